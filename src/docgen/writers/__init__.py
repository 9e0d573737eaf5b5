"""Writers turn the document model into file bytes; each is built once per process (warm)."""

from __future__ import annotations

from functools import lru_cache

from docgen import fonts, style

FORMATS = ("docx", "pdf")


@lru_cache(maxsize=8)
def writer(fmt: str, profile_name: str = "gbt9704", font_dir: str | None = None):
    """The warm writer for a format. PDF imports WeasyPrint here, and only here."""
    profile = style.profile(profile_name)
    if fmt == "docx":
        from docgen.writers.docx import DocxWriter

        return DocxWriter(profile)
    if fmt == "pdf":
        from docgen.writers.pdf import PdfWriter

        return PdfWriter(profile, fonts.resolve(font_dir))
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
