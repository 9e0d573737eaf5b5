"""Many documents, one WeasyPrint layout pass, one PDF per document — the same bytes as one at a time.

Setting up a layout (parsing, the cascade, the page maker) is a fixed part of WeasyPrint's
``render``. Here the documents of a chunk are laid out as one HTML file, each in its own
``<section class="docgen-part">``, and split again:

- each section is a page group (``page: docgen-part``, CSS GCPM) and starts a new page; the group's
  first page resets the page counter, and ``:nth(2n+1 of docgen-part)`` / ``:nth(2n of …)`` put the
  number where ``:right`` / ``:left`` put it on the document's own odd / even pages
  (``html.css.page_group_stylesheet``), so a one-page notice needs no blank page after it;
- a document with a 版记 (it breaks to a left page, blank page included) also starts on a right
  page (class ``docgen-recto``): its pages keep the very sides they have alone. The blank page put
  before it belongs to no document;
- a document's pages are those that hold a fragment of its section: its ``id`` is an anchor on
  every such page (``Page.anchors``), from the first of them to the last (a blank page inside a
  document, before its 版记, is kept). The anchors are removed before anything is written;
- each document is written from ``Document.copy(its pages)``, with its own title in a copy of the
  metadata (timestamps from SOURCE_DATE_EPOCH in the shared head, as for one document): WeasyPrint
  then embeds only the fonts and glyphs those pages use.

A document with a ``position: fixed`` part (the 草稿 watermark: WeasyPrint repeats it on every page
of the layout) is laid out alone, and so is one whose first page carries no number (信函格式). If
the shared pass fails, each of its documents is made alone, so one bad document costs only itself.
``tests/test_pdf_fast.py`` checks that every part has the text, positions and bytes of the same
document rendered alone through ``pipeline.run``.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from html import escape

from docgen.errors import DocgenError
from docgen.i18n import _, os_reason
from docgen.model import Document, Imprint, Watermark
from docgen.writers.base import Rendered
from docgen.writers.html.css import page_group_stylesheet
from docgen.writers.pdf.dates import created_stamp

PART = "docgen-part"  # the sections' class and page group
RECTO = "docgen-recto"  # a section that starts on a right-hand page
PART_ID = "docgen-part-"


def shares_layout(doc: Document) -> bool:
    """Whether a document can be laid out with others: a fixed-position watermark cannot, nor a
    document whose first page is unnumbered (信函格式: its named first page is the layout's first)."""
    return doc.meta.first_page_numbered and not any(isinstance(node, Watermark) for node in doc.nodes)


def needs_recto(doc: Document) -> bool:
    """Whether a document's layout depends on its pages' real sides: the 版记 breaks to a left page."""
    return any(isinstance(node, Imprint) for node in doc.nodes)


def _parsed_title(title: str) -> str:
    """The title as WeasyPrint reads it back from ``<title>`` (the HTML parser's newline rules)."""
    return title.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


class BatchLayout:
    """Lays out the documents for one PdfWriter (its fonts, stylesheet, fetcher) together."""

    def __init__(self, writer) -> None:
        self.writer = writer
        weasyprint = writer._weasyprint
        css = page_group_stylesheet(writer.profile, writer.fonts, PART, RECTO)
        self.css = weasyprint.CSS(string=css, font_config=writer.font_config, url_fetcher=writer._fetcher)

    def render_many(self, docs: Sequence[Document]) -> list[Rendered | DocgenError]:
        results: list[Rendered | DocgenError | None] = [None] * len(docs)
        shared = [i for i, doc in enumerate(docs) if shares_layout(doc)]
        if len(shared) > 1:
            try:
                for i, rendered in zip(shared, self.together([docs[i] for i in shared]), strict=True):
                    results[i] = rendered
            except Exception:  # noqa: BLE001 - each document alone says which one fails, and how
                pass
        for i, doc in enumerate(docs):
            if results[i] is None:
                try:
                    results[i] = self.writer.render(doc)
                except DocgenError as exc:
                    results[i] = exc
        return results  # type: ignore[return-value]

    def html(self, docs: Sequence[Document]) -> str:
        body = "\n".join(
            f'<section class="{PART}{" " + RECTO if needs_recto(doc) else ""}" id="{PART_ID}{k}">\n'
            f"{self.writer.html.body_html(doc)}\n</section>"
            for k, doc in enumerate(docs)
        )
        title = escape(docs[0].meta.title) if docs else ""
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">{self.writer.head()}'
            f"<title>{title}</title></head>\n<body>\n{body}\n</body></html>\n"
        )

    def layout(self, docs: Sequence[Document]):
        """The laid-out WeasyPrint document of all ``docs``, and each one's pages."""
        w = self.writer
        page = w._weasyprint.HTML(string=self.html(docs), url_fetcher=w._fetcher, base_url=None)
        rendered = page.render(font_config=w.font_config, stylesheets=[w.stylesheet, self.css])
        return rendered, split_pages(rendered.pages, len(docs))

    def together(self, docs: Sequence[Document]) -> list[Rendered]:

        try:
            rendered, parts = self.layout(docs)
            out = []
            for doc, pages in zip(docs, parts, strict=True):
                part = rendered.copy(pages)
                part.metadata = copy.copy(rendered.metadata)
                part.metadata.title = _parsed_title(doc.meta.title)
                part.metadata.authors = [doc.meta.author] if doc.meta.author else []
                part.metadata.description = doc.meta.subject or None
                part.metadata.created = created_stamp(doc) or rendered.metadata.created
                out.append(Rendered(self.writer.write(part), pages=len(pages)))
            return out
        except OSError as exc:
            raise DocgenError(_("cannot write: {value} (while making the PDF)").format(
                value=os_reason(exc))) from None


def split_pages(pages: list, count: int) -> list[list]:
    """Each document's pages: from the first to the last page its section's anchor is on.

    The anchors are taken out of the pages, so no part names another in its PDF.
    """
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for number, page in enumerate(pages):
        for name in [a for a in page.anchors if a.startswith(PART_ID)]:
            del page.anchors[name]
            k = int(name[len(PART_ID):])
            first.setdefault(k, number)
            last[k] = number
    if sorted(first) != list(range(count)):
        raise RuntimeError(f"batch layout: {count} documents, pages found for {len(first)}")
    parts = [pages[first[k] : last[k] + 1] for k in range(count)]
    for k in range(1, count):
        if last[k - 1] >= first[k]:
            raise RuntimeError("batch layout: two documents share a page")
    return parts
