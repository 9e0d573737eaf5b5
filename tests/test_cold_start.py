"""A cold render does less: WeasyPrint's C declarations come pre-parsed, no library is looked up by
subprocess and fontTools' subsetter and instancer wait until used (writers/weasyprint_import.py); jieba
comes without pkg_resources and reads its dictionary from a table (words.py); `docgen render` collects no
cycles while it starts (collector.py); the PDF writer links its font files (writers/pdf_fontlinks.py).

The bytes of every document are unchanged (tests/test_golden.py), and the time it saves is measured in
benchmarks/render_speech.py, not here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from docgen.writers.pdf import weasyprint_import


def test_the_generated_declarations_are_those_of_the_installed_weasyprint(tmp_path):
    fresh = weasyprint_import.generate(tmp_path / "_weasyprint_ffi.py")
    assert fresh == weasyprint_import.GENERATED.read_text(encoding="utf-8"), \
        "regenerate: .venv/bin/python -m docgen.writers.pdf.weasyprint_import"


def test_importing_weasyprint_parses_nothing_and_spawns_nothing():
    probe = (
        "import ctypes.util, subprocess, pycparser.c_parser as c\n"
        "def refuse(*a, **k): raise AssertionError('looked up a library or parsed C')\n"
        "ctypes.util.find_library = refuse\n"
        "subprocess.Popen.__init__ = refuse\n"
        "c.CParser.parse = refuse\n"
        "from docgen.writers.pdf import weasyprint_import\n"
        "weasyprint_import.load()\n"
        "from weasyprint.text import ffi\n"
        "print(type(ffi.ffi).__name__, bool(ffi.pango), bool(ffi.harfbuzz_subset))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["_Declared", "True", "True"]


def test_breaking_a_title_imports_jieba_without_pkg_resources():
    probe = ("import sys\nfrom docgen.linebreak import titles as layout\n"
             "print(len(layout.word_seams('关于在全乡开展创先争优活动的实施意见')), 'pkg_resources' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["9", "False"]  # jieba's words: 关于 在 全乡 开展 创先争优 活动 的 实施 意见


_SEGMENT = """
import json, sys
from pathlib import Path
from docgen.linebreak import words
import jieba
lines = [line.strip() for path in sorted(Path(sys.argv[1]).glob("*.md.j2"))
         for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
lines += ["关于在全乡开展创先争优活动的实施意见", "中共瓦店乡委员会2010年6月", "GB/T 9704-2012 第十二师二二一团"]
ours = [words.tokenize(line) for line in lines]
print(json.dumps({"words": ours, "jieba loaded its dictionary": jieba.dt.initialized}))
"""


def test_jiebas_dictionary_is_read_from_its_table_and_gives_jiebas_words(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    speeches = str(Path(__file__).resolve().parents[1] / "speeches")
    first, second = (subprocess.run([sys.executable, "-c", _SEGMENT, speeches], capture_output=True, text=True,
                                    env=env) for _ in range(2))
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    first, second = json.loads(first.stdout), json.loads(second.stdout)
    assert first["jieba loaded its dictionary"] and not second["jieba loaded its dictionary"]
    assert [path.name.split("-")[0] for path in (tmp_path / "docgen").iterdir()] == ["jieba"]  # no partial left
    stock = subprocess.run([sys.executable, "-c", _SEGMENT.replace("words.tokenize(line)",
                                                                   "list(jieba.tokenize(line, HMM=False))"),
                            speeches], capture_output=True, text=True, env=env)
    assert stock.returncode == 0, stock.stderr
    assert second["words"] == first["words"] == json.loads(stock.stdout)["words"]
    assert sum(len(line) for line in second["words"]) > 1000


_PDF_MODULES = """
import sys
from docgen import api
api.render(sys.argv[1], speech="cxzy-mobilization", formats=["pdf"], out=sys.argv[2])
loaded = [name for name in ("fontTools.subset", "fontTools.varLib.instancer") if name in sys.modules]
import fontTools.subset
from fontTools.ttLib import TTFont
from weasyprint.pdf import fonts
assert fonts.subset.Subsetter is fontTools.subset.Subsetter  # the stand-in answers from the real module
try:
    fonts.instantiateVariableFont(TTFont(), {})  # the real instancer, called through
except ValueError as error:
    print(error)
print(loaded)
"""


def test_a_pdf_of_docgens_fonts_never_imports_fonttools_subsetter_or_instancer(tmp_path):
    example = Path(__file__).resolve().parents[1] / "examples" / "wadian"
    result = subprocess.run([sys.executable, "-c", _PDF_MODULES, str(example), str(tmp_path)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Missing required table fvar", "[]"]
    assert [path.suffix for path in tmp_path.iterdir()] == [".pdf"]


_COLLECTOR = """
import gc, sys
from pathlib import Path
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info["generation"]) if phase == "start" else None)
if sys.argv[3] == "cli":
    from docgen.cli import main
    main(["render", sys.argv[1], "--speech", "cxzy-mobilization", "--format", "pdf", "-o", sys.argv[2]],
         standalone_mode=False)
else:
    from docgen import api
    api.render(sys.argv[1], speech="cxzy-mobilization", formats=["pdf"], out=sys.argv[2])
print(gc.isenabled(), gc.get_freeze_count(), len(collections), len(list(Path(sys.argv[2]).glob("*.pdf"))))
"""


def test_docgen_render_collects_no_cycles_until_its_writer_is_built(tmp_path):
    example = str(Path(__file__).resolve().parents[1] / "examples" / "wadian")
    made = {}
    for way in ("cli", "api"):
        result = subprocess.run([sys.executable, "-c", _COLLECTOR, example, str(tmp_path / way), way],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        enabled, frozen, collections, pdfs = result.stdout.splitlines()[-1].split()
        made[way] = (enabled, int(frozen), int(collections), pdfs)
    cli, api = made["cli"], made["api"]
    assert cli[0] == api[0] == "True" and cli[3] == api[3] == "1"  # the collector on again; the PDF made
    assert cli[1] > 50_000 and api[1] == 0  # the command's start set aside; the Python API never pauses
    assert 0 < cli[2] < api[2] / 2  # the layout's collections only


def test_the_pdf_writers_font_files_are_linked_not_copied():
    from docgen import writers
    from docgen.writers.pdf import fontlinks as pdf_fontlinks

    assert pdf_fontlinks.problems() == ()
    pdf = writers.writer("pdf")
    folder = pdf.font_config._folder
    linked = sorted(os.readlink(entry) for entry in folder.iterdir() if entry.is_symlink())
    assert linked == sorted(str(font.file) for font in pdf.fonts.values() if font.file)
    assert all(entry.is_symlink() for entry in folder.iterdir())


def test_the_formulations_table_reads_the_same_with_libyaml():
    import yaml

    from docgen.proofread import formulations

    text = (Path(formulations.__file__).with_name("formulations.yaml")).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text)
    assert formulations.table().formulations


_FFI = """
from docgen.writers.pdf import _weasyprint_ffi
from docgen.writers.pdf import weasyprint_import
weasyprint_import.load()
from weasyprint.text.ffi import ffi
assert type(ffi).__name__ == "_Declared"
assert ffi.new == _weasyprint_ffi.ffi.new and ffi.NULL == _weasyprint_ffi.ffi.NULL
assert {"new", "NULL"} <= set(vars(ffi)) and "errno" not in vars(ffi)  # kept after the first use
_weasyprint_ffi.ffi.errno = 7
assert ffi.errno == 7 and "errno" not in vars(ffi)
"""


def test_weasyprints_ffi_answers_from_the_pre_parsed_one_and_keeps_what_never_changes():
    result = subprocess.run([sys.executable, "-c", _FFI], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


_HMM = """
import json, sys
text = "瓦店乡党委书记王建国在创先争优活动动员大会上讲话强调"
if sys.argv[1] == "docgen":
    from docgen.linebreak import words
    seams = words.tokenize(text)
    waited = "jieba.finalseg" not in sys.modules
import jieba
print(json.dumps([jieba.lcut(text, HMM=True), sys.argv[1] == "stock" or waited]))
"""


def test_jiebas_hmm_module_waits_until_used_and_then_answers():
    docgen, stock = (subprocess.run([sys.executable, "-c", _HMM, way], capture_output=True, text=True)
                     for way in ("docgen", "stock"))
    assert docgen.returncode == 0 and stock.returncode == 0, docgen.stderr + stock.stderr
    assert json.loads(docgen.stdout) == json.loads(stock.stdout)
    assert json.loads(docgen.stdout)[1] is True
