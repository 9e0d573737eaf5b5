"""What a batch can add on top of its files: one zip, and one print-ready PDF and DOCX.

The zip stores UTF-8 names with the UTF-8 flag (bit 11), which Windows' Explorer honours, and a
fixed timestamp. The merged PDF starts each document on an odd page (a blank page is inserted
after a document with an odd page count) and keeps each document's own page numbers.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docgen.files import output

ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def write_zip(folder: Path, files: list[str], name: str) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            info = zipfile.ZipInfo(file, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.flag_bits |= 0x800  # names are UTF-8
            archive.writestr(info, (folder / file).read_bytes())
    path = output.inside(folder, name)
    output.write_atomic(path, buffer.getvalue())
    return path


def merge_pdfs(folder: Path, files: list[str], name: str) -> Path:
    """Concatenate the PDFs so each one starts on a right-hand (odd) page when printed two-sided."""
    from pypdf import PdfReader, PdfWriter

    merged = PdfWriter()
    for file in files:
        reader = PdfReader(folder / file)
        for page in reader.pages:
            merged.add_page(page)
        if len(reader.pages) % 2:
            box = reader.pages[-1].mediabox
            merged.add_blank_page(width=box.width, height=box.height)
    merged.add_metadata({"/Producer": "docgen"})
    buffer = io.BytesIO()
    merged.write(buffer)
    path = output.inside(folder, name)
    output.write_atomic(path, buffer.getvalue())
    return path
