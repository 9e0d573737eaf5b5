"""The server's state: the warm preview and check processes, the batches, the previews kept in memory (their
PDFs and page images, drawn with pdfium on request), and the locks that keep them consistent."""

from __future__ import annotations

import asyncio
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen import i18n
from docgen.web.checking import document_entry
from docgen.web.site import Site, catalogue
from docgen.web.worker import Batches, CheckJob, PreviewWorker

PAGE_SCALE = 2.0  # page images at 144 dpi: sharp on a high-density screen, about 1190 × 1684 px
KEEP_PREVIEWS = 8  # previews whose PDF stays in memory (pages are drawn from it on request)
KEEP_IMAGES = 48


@dataclass
class Preview:
    pdf: bytes
    pages: int
    texts: list[str]


@dataclass
class State:
    site: Site
    worker: PreviewWorker
    checker: PreviewWorker
    batches: Batches = field(default_factory=Batches)
    previews: OrderedDict[str, Preview] = field(default_factory=OrderedDict)
    images: OrderedDict[tuple[str, int], bytes] = field(default_factory=OrderedDict)
    latest: dict[str, int] = field(default_factory=dict)  # per page: the newest preview request
    render_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    file_lock: threading.Lock = field(default_factory=threading.Lock)
    pdfium_lock: threading.Lock = field(default_factory=threading.Lock)  # pdfium is not thread-safe


def checked(state: State, path: Path, text: str | None, lang: str) -> dict[str, Any]:
    """``check`` in the check process; what it says when that process gave up (too long, out of memory)."""
    site = state.site
    reply = state.checker.call(CheckJob(site, str(path), text, lang))
    if reply["ok"]:
        return reply["checked"]
    with i18n.using(lang):
        message = site.shown(reply["error"])
        documents = [document_entry(d, None, site) for d in catalogue(site.options.user_dirs)]
    return {"ok": False, "error": {"line": reply.get("line"), "message": message, "text": message}, "warnings": [],
            "documents": documents}


# ---- page images -----------------------------------------------------------------------------------


def page_texts(state: State, pdf: bytes) -> list[str]:
    import pypdfium2 as pdfium

    with state.pdfium_lock:
        document = pdfium.PdfDocument(pdf)
        try:
            texts = []
            for page in document:
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return texts
        finally:
            document.close()


def page_png(state: State, pdf: bytes, index: int) -> bytes:
    import pypdfium2 as pdfium

    with state.pdfium_lock:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[index]
            image = page.render(scale=PAGE_SCALE).to_pil()
            page.close()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()
