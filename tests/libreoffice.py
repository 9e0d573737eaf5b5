"""LibreOffice's own rendering of the DOCX files docgen writes: the one way the tests (and the golden
record) start ``soffice``.

What a user opening a DOCX in LibreOffice sees is measured in the PDF LibreOffice exports. Starting
``soffice`` costs seconds, so files are converted many to a call; LibreOffice 7.4 silently stops after
about 247 files in one call (and still exits 0), so a call takes at most ``BATCH`` files and every
output is checked. Each ``LibreOffice`` has its own user profile in a temporary folder (never the
developer's ~/.config/libreoffice, never another process's: a profile serves one process at a time),
reused by its calls one after another and removed when it is closed.

This is the tests' own code on purpose, not docgen's ``wordtemplate/office.py``: the files docgen makes
are measured by a path that does not go through docgen.

Tests ask for the ``libreoffice`` fixture (tests/conftest.py), which marks them ``libreoffice``: `make
check` leaves them out, `make test` runs them.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

BATCH = 200  # files per soffice call (LibreOffice stops converting after ~247 in one call)
TIMEOUT = 600  # seconds per call


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is installed by `make setup-test`"
    return found


def _pdf_filter(keep_blank_pages: bool) -> str:
    """LibreOffice's PDF export; its default skips the blank pages a section start inserts (an odd-page
    section after an odd page), which a printer prints: ``keep_blank_pages`` keeps them."""
    skip = "false" if keep_blank_pages else "true"
    return f'pdf:writer_pdf_Export:{{"IsSkipEmptyPages":{{"type":"boolean","value":"{skip}"}}}}'


class LibreOffice:
    """One LibreOffice user profile; its conversions run one after another."""

    def __init__(self) -> None:
        self.binary = soffice()
        self._folder = tempfile.TemporaryDirectory(prefix="lo-profile-")
        self.profile = Path(self._folder.name) / "profile"

    def close(self) -> None:
        self._folder.cleanup()

    def __enter__(self) -> LibreOffice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pdf(self, docx_path: Path, out: Path, *, keep_blank_pages: bool = True) -> Path:
        """LibreOffice's rendering of one DOCX, as ``out/<stem>.pdf``."""
        return self.pdfs([docx_path], out, keep_blank_pages=keep_blank_pages)[docx_path]

    def pdfs(self, docx_paths: list[Path], out: Path, *, keep_blank_pages: bool = True) -> dict[Path, Path]:
        """LibreOffice's rendering of each DOCX into ``out`` (DOCX → PDF), blank pages kept as printed
        unless ``keep_blank_pages`` is False (LibreOffice's default export)."""
        return self.convert(docx_paths, out, _pdf_filter(keep_blank_pages), ".pdf")

    def convert(self, paths: list[Path], out: Path, to: str, suffix: str) -> dict[Path, Path]:
        """Each file opened and saved by LibreOffice as ``to`` (``--convert-to``) into ``out``: source →
        output. Sources that share a name (a batch's 01.docx in several folders) are copied under numbered
        names first, as LibreOffice names each output after its source."""
        out.mkdir(parents=True, exist_ok=True)
        paths = [Path(p) for p in paths]
        sources = paths
        if len({p.stem for p in paths}) < len(paths):
            staged = out / "staged"
            staged.mkdir(exist_ok=True)
            sources = [staged / f"{number:03d}{p.suffix}" for number, p in enumerate(paths)]
            for path, source in zip(paths, sources, strict=True):
                shutil.copy(path, source)
        produced = {path: out / f"{source.stem}{suffix}" for path, source in zip(paths, sources, strict=True)}
        clash = [str(made) for made in produced.values() if made.exists()]  # docgen's own PDF, next to its DOCX
        assert not clash, f"LibreOffice would write over {clash}: give it another folder"
        for start in range(0, len(sources), BATCH):
            self._call(sources[start:start + BATCH], out, to)
        missing = [str(path) for path, made in produced.items() if not made.is_file()]
        assert not missing, f"LibreOffice wrote nothing for {missing}"
        return produced

    def _call(self, sources: list[Path], out: Path, to: str) -> None:
        command = [self.binary, f"-env:UserInstallation={self.profile.as_uri()}", "--headless",
                   "--convert-to", to, "--outdir", str(out), *map(str, sources)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, f"soffice exited {done.returncode}: {done.stdout}{done.stderr}"
