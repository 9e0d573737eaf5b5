"""A batch from a Word template: workers make the DOCX files, then LibreOffice makes the PDFs.

docgen's batch machinery (records, names, warm workers, atomic writes, manifest) runs unchanged
with the workers asked for DOCX only; when PDF is asked for, this module then converts the
written DOCX files in LibreOffice invocations of ≤200 files (``office``), checks that each PDF
exists and opens, writes it atomically next to its DOCX, and adds it to the record's manifest
entry (the DOCX's page count is the PDF's). A record whose PDF LibreOffice did not make fails,
with the reason; the others keep theirs. Without ``docx`` in the formats the DOCX files are made
in a temporary folder and removed.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docgen.files import output
from docgen.i18n import _
from docgen.wordtemplate import office


@contextmanager
def docx_folder(folder: Path, formats: tuple[str, ...]):
    """Where the workers write DOCX files: the output folder, or a temporary one when only PDF is asked.

    A PDF batch checks for LibreOffice first, before any document is made."""
    if "pdf" in formats:
        office.soffice()
    if "docx" in formats or "pdf" not in formats:
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="docgen-docx-") as staging:
        yield Path(staging)


def worker_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The workers make DOCX only; PDFs, when asked for, come from LibreOffice afterwards."""
    return ("docx",) if formats else ()


def add_pdfs(results: list[dict[str, Any]], folder: Path, made_in: Path, formats: tuple[str, ...],
             jobs: int | None, progress: Callable[[int, str], Any]) -> None:
    """Convert every written record's DOCX and put its PDF in the output folder and its manifest entry.
    ``progress(total, label)`` makes the batch's bar (``advance``, ``close``) for this step."""
    if "pdf" not in formats:
        return
    written = [r for r in results if r.get("status") == "written"]
    sources = [made_in / f"{r['stem']}.docx" for r in written]
    keep_docx = "docx" in formats
    bar = progress(len(sources), "PDF (LibreOffice)")
    try:
        with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as work:
            done = office.convert_all(sources, Path(work), instances=jobs or 1, advance=bar.advance)
            for result, source in zip(written, sources, strict=True):
                files = [f for f in result.get("files", []) if keep_docx or f["format"] != "docx"]
                pdf = done.get(source)
                try:
                    if pdf is None:
                        raise ValueError(_("LibreOffice wrote no PDF for it (it stopped or could not open the DOCX)"))
                    data = pdf.read_bytes()
                    pages = office.pdf_pages(data)
                except Exception as exc:  # a missing or unreadable PDF fails this record only
                    result.update(status="failed", files=files if keep_docx else [], error=f"PDF: {exc}")
                    continue
                path = output.inside(folder, f"{result['stem']}.pdf")
                output.write_atomic(path, data)
                for entry in files:
                    entry["pages"] = pages
                files.append({"file": path.name, "format": "pdf", "bytes": len(data),
                              "sha256": hashlib.sha256(data).hexdigest(), "pages": pages})
                files.sort(key=lambda f: formats.index(f["format"]))
                result["files"] = files
    finally:
        bar.close()
