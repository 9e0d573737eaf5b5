"""Writers turn the document model into file bytes: a registry of formats, each built once per process.

A format is one line in ``WRITERS``: its name (what ``--format`` takes), the file extension, a
factory (profile, font folder → a warm writer whose ``render(document)`` returns ``Rendered``), and
whether it reports page counts. Heavy engines are imported inside the factory, only when asked for.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.standard import DEFAULT_PROFILE, StyleProfile, profile
from docgen.writers import collector, fonts
from docgen.writers.base import Rendered

__all__ = ["FORMATS", "WRITERS", "Rendered", "WriterSpec", "check_formats", "extension", "writer"]


@dataclass(frozen=True)
class WriterSpec:
    name: str
    extension: str
    factory: Callable[[StyleProfile, str | None], Any]
    reports_pages: bool
    default: bool = True  # made when no format is named (the API's and batch's formats=FORMATS)


def _docx(style: StyleProfile, font_dir: str | None):
    from docgen.writers.docx import DocxWriter

    return DocxWriter(style)


def _pdf(style: StyleProfile, font_dir: str | None):
    from docgen.writers.pdf.writer import PdfWriter  # WeasyPrint: about 1 s to import

    return PdfWriter(style, fonts.resolve(font_dir))


def _pdfa(style: StyleProfile, font_dir: str | None):
    from docgen.writers.pdf.writer import PdfWriter

    return PdfWriter(style, fonts.resolve(font_dir), variant="pdf/a-2b")


def _ofd(style: StyleProfile, font_dir: str | None):
    from docgen.writers.ofd import OfdWriter  # lays out with the PDF writer's warm WeasyPrint set-up

    return OfdWriter(writer("pdf", style.name, font_dir))


WRITERS: dict[str, WriterSpec] = {
    "docx": WriterSpec("docx", "docx", _docx, reports_pages=False),
    "pdf": WriterSpec("pdf", "pdf", _pdf, reports_pages=True),
    "pdfa": WriterSpec("pdfa", "pdf", _pdfa, reports_pages=True, default=False),  # PDF/A-2b: --pdf-a
    "ofd": WriterSpec("ofd", "ofd", _ofd, reports_pages=True, default=False),
}
FORMATS = tuple(name for name, spec in WRITERS.items() if spec.default)  # what a render makes unless told


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The formats asked for, each one a registered writer (else one line naming the choices)."""
    chosen = tuple(formats)
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown or not chosen:
        raise DocgenError(_("unknown format {value}; choose from {WRITERS}").format(
            value=', '.join(unknown) or '(none)', WRITERS=', '.join(WRITERS)))
    extensions = [WRITERS[f].extension for f in chosen]
    clash = sorted({e for e in extensions if extensions.count(e) > 1})
    if clash:
        raise DocgenError(_("{chosen} would write the same .{clash} file; choose one of them").format(
            chosen=', '.join(chosen), clash=clash[0]))
    return chosen


def spec(fmt: str) -> WriterSpec:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise DocgenError(_("unknown format {fmt!r}; choose from {FORMATS}").format(
            fmt=fmt, FORMATS=', '.join(FORMATS))) from None


def extension(fmt: str) -> str:
    return spec(fmt).extension


@lru_cache(maxsize=8)
def writer(fmt: str, profile_name: str = DEFAULT_PROFILE, font_dir: str | None = None):
    """The warm writer for a format and form, built once per process."""
    made = spec(fmt).factory(profile(profile_name), font_dir)
    collector.resume()  # a cold `docgen render` is set up: collect cycles again (docgen/writers/collector.py)
    return made


@atexit.register
def _release() -> None:
    """The warm writers let go while Python is whole (their finalizers need it), not during its teardown."""
    if collector.was_frozen():
        writer.cache_clear()
        collector.release()
