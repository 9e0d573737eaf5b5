"""A cold render does less: WeasyPrint's C declarations come pre-parsed and no library is looked up by
subprocess (writers/weasyprint_import.py); jieba comes without pkg_resources (words.py).

The bytes of every document are unchanged (tests/test_golden.py), and the time it saves is measured in
benchmarks/render_speech.py, not here.
"""

import subprocess
import sys

from docgen.writers import weasyprint_import


def test_the_generated_declarations_are_those_of_the_installed_weasyprint(tmp_path):
    fresh = weasyprint_import.generate(tmp_path / "_weasyprint_ffi.py")
    assert fresh == weasyprint_import.GENERATED.read_text(encoding="utf-8"), \
        "regenerate: .venv/bin/python -m docgen.writers.weasyprint_import"


def test_importing_weasyprint_parses_nothing_and_spawns_nothing():
    probe = (
        "import ctypes.util, subprocess, pycparser.c_parser as c\n"
        "def refuse(*a, **k): raise AssertionError('looked up a library or parsed C')\n"
        "ctypes.util.find_library = refuse\n"
        "subprocess.Popen.__init__ = refuse\n"
        "c.CParser.parse = refuse\n"
        "from docgen.writers import weasyprint_import\n"
        "weasyprint_import.load()\n"
        "from weasyprint.text import ffi\n"
        "print(type(ffi.ffi).__name__, bool(ffi.pango), bool(ffi.harfbuzz_subset))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["_Declared", "True", "True"]


def test_breaking_a_title_imports_jieba_without_pkg_resources():
    probe = ("import sys\nfrom docgen import layout\n"
             "print(len(layout.word_seams('关于在全乡开展创先争优活动的实施意见')), 'pkg_resources' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["9", "False"]  # jieba's words: 关于 在 全乡 开展 创先争优 活动 的 实施 意见
