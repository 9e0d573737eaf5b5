"""Faults from outside: a killed batch, a full disk, missing and corrupt fonts; and determinism."""

import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from docgen.api import render
from docgen.writers import fonts

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE, SPEECH

BASE = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))


def many_branches(tmp_path: Path, count: int) -> Path:
    values = {**BASE}
    values.pop("documents", None)
    template = {k: v for k, v in BASE["branches"][0].items() if k != "members"}
    values["branches"] = [{**template, "name": f"第{i:03d}村党支部"} for i in range(count)]
    path = tmp_path / "campaign.yaml"
    path.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_sigkill_mid_batch_leaves_only_whole_files_and_a_rerun_completes(tmp_path):
    data = many_branches(tmp_path, 50)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "batch", str(data), "--template", "notice", "--each", "branches",
               "-o", str(out), "-j", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 5:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the parent and its workers, with no chance to clean up
    process.wait(timeout=60)
    visible = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert visible, "some documents were written before the kill"
    for path in visible:
        if path.suffix == ".pdf":
            assert PdfReader(path).pages
        elif path.suffix == ".docx":
            assert zipfile.is_zipfile(path)
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert len(list(out.glob("*.pdf"))) == 50 and len(list(out.glob("*.docx"))) == 50
    assert not list(out.glob(".*.part"))  # the killed run's leftovers are swept


def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_gives_one_clear_error_and_no_partial_file(tmp_path):
    """The process may write at most 8 KB per file (RLIMIT_FSIZE): as on a full disk, writes fail."""
    for formats in ("docx", "docx,pdf"):  # the DOCX write itself; WeasyPrint's temporary font copies
        out = tmp_path / formats.replace(",", "-")
        result = subprocess.run(
            [sys.executable, "-m", "docgen", "render", str(EXAMPLE), "--speech", SPEECH, "--format", formats,
             "-o", str(out)],
            capture_output=True, text=True, timeout=300, preexec_fn=_limit_file_size(8_000),
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "cannot write" in lines[0] and "File too large" in lines[0], lines
        assert not out.exists() or [p.name for p in out.iterdir()] == []  # no document, no temporary file


def test_a_corrupt_font_in_the_font_folder_is_skipped(tmp_path):
    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / "仿宋_GB2312.ttf").write_bytes(b"\x00\x01\x00\x00 this is not a font")
    (folder / "broken-link.otf").symlink_to(tmp_path / "missing.otf")
    resolved = fonts.resolve(str(folder))
    assert resolved["body"].source == "open font"
    pdf = render(EXAMPLE, speech=SPEECH, formats=("pdf",), out=tmp_path / "out", font_dir=folder)[0]
    with pdfplumber.open(pdf) as document:
        assert "同志们" in document.pages[0].extract_text()


def test_missing_open_fonts_fall_back_to_noto(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "FANDOL_DIRS", (str(tmp_path / "nowhere"),))
    fonts.resolve.cache_clear()
    try:
        resolved = fonts.resolve(None)
        assert all(f.file is None and f.source == "fallback only" for f in resolved.values())
        from docgen.pipeline import load_campaign, run
        from docgen.standard import GBT9704
        from docgen.templating import speech_name
        from docgen.writers.pdf.writer import PdfWriter

        document = run(load_campaign(EXAMPLE), speech_name(SPEECH)).document
        payload = PdfWriter(GBT9704, resolved).render(document).data
        path = tmp_path / "fallback.pdf"
        path.write_bytes(payload)
        with pdfplumber.open(path) as pdf:
            assert "同志们" in pdf.pages[0].extract_text()
            assert "Noto" in pdf.pages[0].chars[0]["fontname"]
    finally:
        fonts.resolve.cache_clear()


def test_source_date_epoch_fixes_the_timestamps(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1276560000"}  # 2010-06-15
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "docgen", "render", str(EXAMPLE), "--speech", SPEECH, "-o", str(out)],
                       check=True, capture_output=True, env=env, timeout=300)
        outputs.append(sorted(out.iterdir()))
    for first, second in zip(*outputs, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    docx_path = next(p for p in outputs[0] if p.suffix == ".docx")
    core = zipfile.ZipFile(docx_path).read("docProps/core.xml").decode()
    assert "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2010-06-15T00:00:00Z" in core
    assert "2010-06-18T00:00:00Z" in core  # created: the speech's own date, from the data
    assert all(info.date_time[:3] == (2010, 6, 15) for info in zipfile.ZipFile(docx_path).infolist())
    pdf_path = next(p for p in outputs[0] if p.suffix == ".pdf")
    assert "20100615" in str(PdfReader(pdf_path).metadata.get("/ModDate"))
    assert "20100618" in str(PdfReader(pdf_path).metadata.get("/CreationDate"))


def test_a_really_full_disk_small_tmpfs(tmp_path):
    """A 64 KiB tmpfs as the output folder (needs root to mount, as CI and the set-up run)."""
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        out = small / "out"
        result = docgen_cli("render", str(EXAMPLE), "--speech", SPEECH, "-o", str(out), timeout=300)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "No space left on device" in lines[0], lines
        left = list(out.iterdir())
        assert not [p for p in left if p.name.startswith(".") or p.suffix == ".part"]
        for path in left:  # what did fit is whole
            assert zipfile.is_zipfile(path) if path.suffix == ".docx" else PdfReader(path).pages
    finally:
        subprocess.run(["umount", str(small)], check=False)
