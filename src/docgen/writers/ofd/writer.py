"""Document model → OFD (GB/T 33190-2016), laid out by the PDF writer's WeasyPrint set-up.

The OFD writer builds the very HTML the PDF writer builds (its ``HtmlWriter``: one rule per node
type, so an unknown node fails there), with the same parsed stylesheet and FontConfiguration, has
WeasyPrint lay it out (``HTML.render``), and then, instead of painting PDF, walks the laid-out
boxes (``layout.PageWalker``) into glyphs, rules and images at their page positions, and writes
them as an OFD package (``package.write``). So the OFD's pages are the PDF's pages: the same
lines, glyphs, advances, red line, seal and page numbers, to a fraction of a millimetre.

Why no rule table here (``tests/test_writers.py`` checks rule tables): the OFD is what the boxes
paint, not a second rendering of the nodes; the node rules it depends on are the HTML writer's,
which that test already covers. Anything on a page this writer cannot paint as the PDF does raises
``layout.UnknownContent`` (an ``UnknownNode``), so nothing vanishes silently.

A seal image is a picture, not an electronic seal: signing an OFD (GM/T 0031, 电子印章) is out of scope.
"""

from __future__ import annotations

from docgen.errors import DocgenError
from docgen.i18n import _, os_reason
from docgen.model import Document, Masthead
from docgen.version import __version__
from docgen.writers.base import Rendered
from docgen.writers.ofd import package
from docgen.writers.ofd.fonts import FontRegistry
from docgen.writers.ofd.layout import Page, PageWalker, px_to_mm

CREATOR = "docgen"


class OfdWriter:
    """A warm OFD writer: build once (on a warm PdfWriter), call ``render`` per document."""

    extension = "ofd"

    def __init__(self, pdf_writer) -> None:
        import weasyprint

        self._weasyprint = weasyprint
        self.pdf = pdf_writer  # its HtmlWriter, fonts, FontConfiguration and parsed stylesheet
        self.profile = pdf_writer.profile
        self.fonts = FontRegistry(pdf_writer.fonts)
        self.walker = PageWalker(self.fonts)

        class InlineOnly(weasyprint.URLFetcher):
            """The stylesheet's fonts are loaded already; a document may only hold data: URIs (the seal)."""

            def fetch(self, url: str, headers=None):
                if url.startswith("data:"):
                    return super().fetch(url, headers)
                raise ValueError(_("docgen does not fetch {url!r}").format(url=url))

        self._fetcher = InlineOnly(allowed_protocols=("data",))

    def layout(self, doc: Document):
        """WeasyPrint's laid-out document, as the PDF writer lays it out."""
        stamp = package.fixed_datetime().strftime("%Y-%m-%dT%H:%M:%SZ")
        head = (f'<meta name="dcterms.created" content="{stamp}"><meta name="dcterms.modified" content="{stamp}">'
                '<meta name="generator" content="docgen">')
        html = self.pdf.html.document_html(doc, self.pdf.fonts, css="", head=head)
        try:
            page = self._weasyprint.HTML(string=html, url_fetcher=self._fetcher, base_url=None)
            return page.render(font_config=self.pdf.font_config, stylesheets=[self.pdf.stylesheet])
        except OSError as exc:
            raise DocgenError(_("cannot write: {value} (while laying out the OFD)").format(
                value=os_reason(exc))) from None

    def pages(self, doc: Document) -> tuple[list[Page], list[package.Bookmark]]:
        laid_out = self.layout(doc)
        pages = [self.walker.page(page) for page in laid_out.pages]
        return pages, _bookmarks(laid_out.make_bookmark_tree())

    def render(self, doc: Document) -> Rendered:
        pages, bookmarks = self.pages(doc)
        return Rendered(package.write(pages, _info(doc), bookmarks), pages=len(pages))

    def write_many(self, docs: list[Document], title: str = "") -> bytes:
        """One OFD of several documents for two-sided printing: each starts on an odd page (a blank
        page follows a document with an odd page count), each keeps its own page numbers."""
        pages: list[Page] = []
        bookmarks: list[package.Bookmark] = []
        for doc in docs:
            own, marks = self.pages(doc)
            bookmarks += _shifted(marks, len(pages))
            pages += own
            if len(own) % 2:
                pages.append(Page(own[-1].width, own[-1].height))
        info = _info(docs[0]) if docs else package.Info(title, CREATOR, CREATOR, __version__)
        info = package.Info(title or info.title, info.author, info.creator, info.creator_version)
        return package.write(pages, info, bookmarks)


def _info(doc: Document) -> package.Info:
    masthead = doc.first(Masthead)
    author = "、".join(masthead.organs) if isinstance(masthead, Masthead) and masthead.organs else CREATOR
    return package.Info(doc.meta.title, author, CREATOR, __version__)


def _bookmarks(tree) -> list[package.Bookmark]:
    """WeasyPrint's bookmark tree ((label, (page, x, y), children, state), CSS px) in mm."""
    return [package.Bookmark(label, page, px_to_mm(x), px_to_mm(y), _bookmarks(children))
            for label, (page, x, y), children, _state in tree]


def _shifted(marks: list[package.Bookmark], offset: int) -> list[package.Bookmark]:
    return [package.Bookmark(m.title, m.page + offset, m.x, m.y, _shifted(m.children, offset)) for m in marks]
