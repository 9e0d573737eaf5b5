"""PDF from a Word template's documents: LibreOffice, started once per ≤200 files, outputs counted.

docgen's own PDF writer lays out docgen's document model; a Word template's layout is the office's
own (its styles, text boxes, floating seal), so LibreOffice lays it out. Starting ``soffice`` costs
seconds, so a batch converts its documents in invocations of at most ``MAX_FILES`` files, each
with the same user profile (made by the first invocation, removed at the end). LibreOffice 7.4
silently stops converting after about 247 files in one invocation and still exits 0, so every
invocation's outputs are counted and opened; a file it skipped is converted again on its own, and
a file that still has no PDF is reported, never passed over. With ``instances`` > 1 the chunks are
shared among that many LibreOffice processes, each with its own profile (a profile serves one
process at a time).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import _

MAX_FILES = 200
SECONDS_PER_FILE = 10.0
START_SECONDS = 120.0
_running: set[subprocess.Popen] = set()  # stopped together on Ctrl-C
_running_lock = threading.Lock()


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def stop_all() -> None:
    with _running_lock:
        processes = list(_running)
    for process in processes:
        _stop(process)


def soffice() -> str:
    found = os.environ.get("DOCGEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise DocgenError(_("PDF from a Word template needs LibreOffice (`soffice` on the PATH, or DOCGEN_SOFFICE); "
                            "install it, or ask for --format docx"))
    return found


def pdf_pages(data: bytes) -> int:
    """The page count of a PDF; raises if it does not open."""
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


class Office:
    """One LibreOffice user profile, used by one invocation at a time."""

    def __init__(self, workdir: Path, name: str = "profile") -> None:
        self.profile = workdir / name
        self.binary = soffice()

    def convert(self, sources: list[Path], outdir: Path) -> dict[Path, Path]:
        """Convert in invocations of ≤ MAX_FILES; then each file missing from the output on its own."""
        outdir.mkdir(parents=True, exist_ok=True)
        done: dict[Path, Path] = {}
        for start in range(0, len(sources), MAX_FILES):
            chunk = sources[start: start + MAX_FILES]
            self._invoke(chunk, outdir)
            done.update(self._collect(chunk, outdir))
        for source in [s for s in sources if s not in done]:
            with contextlib.suppress(DocgenError):
                self._invoke([source], outdir)
            done.update(self._collect([source], outdir))
        return done

    def _collect(self, sources: list[Path], outdir: Path) -> dict[Path, Path]:
        found = {}
        for source in sources:
            pdf = outdir / f"{source.stem}.pdf"
            if pdf.is_file() and pdf.stat().st_size > 0:
                found[source] = pdf
        return found

    def _invoke(self, sources: list[Path], outdir: Path) -> None:
        command = [self.binary, f"-env:UserInstallation={self.profile.resolve().as_uri()}", "--headless",
                   "--norestore", "--nologo", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir),
                   *map(str, sources)]
        timeout = START_SECONDS + SECONDS_PER_FILE * len(sources)
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
            with _running_lock:
                _running.add(process)
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _stop(process)
                raise DocgenError(_("LibreOffice gave no answer in {timeout:g} s for {sources_count} file(s); stopped "
                                    "it").format(timeout=timeout, sources_count=len(sources))) from None
            except BaseException:  # Ctrl-C: stop LibreOffice and whatever it started
                _stop(process)
                raise
            finally:
                with _running_lock:
                    _running.discard(process)
            if code != 0:
                log.seek(0)
                tail = log.read().decode("utf-8", "replace").strip().splitlines()[-3:]
                raise DocgenError(_("LibreOffice failed (exit {code}) converting {count} file(s): {log}").format(
                    code=code, count=len(sources), log=" / ".join(tail)))


MIN_FILES_PER_INSTANCE = 16  # below this a second LibreOffice costs more (its start, its profile) than it saves


def plan_chunks(count: int, instances: int) -> list[tuple[int, int]]:
    """(start, end) of each invocation: ≤ MAX_FILES files, as many per instance, instances sharing evenly.

    1,000 files on 2 instances: 6 invocations of 167 (3 each), not 5 of 200 (3 and 2)."""
    instances = max(1, min(instances, count // MIN_FILES_PER_INSTANCE or 1))
    rounds = -(-count // (MAX_FILES * instances))
    total = instances * rounds
    size = -(-count // total)
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def convert_all(sources: list[Path], outdir: Path, instances: int = 1,
                advance: Callable[[int], None] | None = None) -> dict[Path, Path]:
    """PDFs for ``sources`` (source → pdf path in ``outdir``); profiles live in a temporary folder."""
    if not sources:
        return {}
    chunks = plan_chunks(len(sources), instances)
    instances = min(max(1, instances), len(chunks))
    chunks = [sources[start:end] for start, end in chunks]
    done: dict[Path, Path] = {}
    lock = threading.Lock()
    errors: list[BaseException] = []
    with tempfile.TemporaryDirectory(prefix="docgen-office-") as work:
        offices = [Office(Path(work), f"profile-{n}") for n in range(instances)]

        def serve(number: int) -> None:
            for chunk in chunks[number::instances]:
                try:
                    converted = offices[number].convert(chunk, outdir)
                except BaseException as exc:  # reported after the other instance finishes
                    errors.append(exc)
                    return
                with lock:
                    done.update(converted)
                if advance:
                    advance(len(chunk))

        if instances == 1:
            serve(0)
        else:
            threads = [threading.Thread(target=serve, args=(n,), daemon=True) for n in range(instances)]
            for thread in threads:
                thread.start()
            try:
                for thread in threads:
                    thread.join()
            except BaseException:  # Ctrl-C reaches this thread only: stop the instances the others started
                stop_all()
                raise
    if errors and not done:
        raise errors[0] if isinstance(errors[0], DocgenError | KeyboardInterrupt) else DocgenError(str(errors[0]))
    return done


def convert_one(docx: bytes, stem: str = "document") -> bytes:
    """One document's PDF (a single render): one LibreOffice invocation with a fresh profile."""
    with tempfile.TemporaryDirectory(prefix="docgen-office-") as work:
        folder = Path(work)
        source = folder / f"{stem}.docx"
        source.write_bytes(docx)
        done = Office(folder).convert([source], folder / "pdf")
        if source not in done:
            raise DocgenError(_("LibreOffice wrote no PDF for the document (it opened the DOCX but did not convert "
                                "it)"))
        return done[source].read_bytes()
