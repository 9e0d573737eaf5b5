"""HTML → PDF with WeasyPrint, fonts embedded and subset (HarfBuzz when libharfbuzz-subset0 is there).

WeasyPrint is imported here only, so commands that make no PDF never pay for it (about 1 s).
A PdfWriter is built once per process: its FontConfiguration and stylesheet are reused for every
document. Its url_fetcher reads only the font files of the profile: nothing a document or its data
names (a file:// or http URL) is ever fetched.

What makes ``write_pdf`` cheaper, per document:
- streams are deflated at ``DEFLATE_LEVEL`` (1), not pydyf's fixed 9: WeasyPrint's only option is
  on/off (``uncompressed_pdf``), so ``Deflate`` is passed as ``write_pdf``'s ``finisher`` (public:
  it gets the ``pydyf.PDF`` before it is written) and deflates each stream itself through pydyf's
  public ``Stream`` attributes;
- one copy of each font file per process and a cache of font subsets by glyph set: no option
  exists for either, so ``pdf/internals.py`` patches WeasyPrint (checked version, guarded by a test);
- ``render_many`` lays out many documents in one WeasyPrint pass (``pdf/batch.py``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from docgen.errors import DocgenError
from docgen.i18n import _, os_reason
from docgen.model import Document
from docgen.standard import StyleProfile
from docgen.writers.base import Rendered
from docgen.writers.fonts import ResolvedFont
from docgen.writers.html import HtmlWriter, stylesheet
from docgen.writers.pdf import fontlinks as pdf_fontlinks
from docgen.writers.pdf import hanging as pdf_hanging
from docgen.writers.pdf import internals as pdf_internals
from docgen.writers.pdf import weasyprint_import
from docgen.writers.pdf.dates import created_stamp, fixed_date

_RECENT = 2  # layouts a transform made, held for the render that may take them
DEFLATE_LEVEL = 1  # zlib level of every stream: level 9 cost 10 ms a notice for 3 % smaller files


class Deflate:
    """A ``write_pdf`` finisher: deflate every stream pydyf would deflate, at ``level``.

    pydyf compresses each ``Stream`` whose ``compress`` is true at zlib level 9 while writing; this
    does it first at ``level`` (a cached font subset is deflated once per process) and sets
    ``compress`` false with ``/Filter /FlateDecode`` in ``extra``, as pydyf would have. The object
    stream and cross-reference stream pydyf builds while writing stay level 9 (a few KB).
    """

    def __init__(self, level: int = DEFLATE_LEVEL) -> None:
        import pydyf

        self._pydyf = pydyf
        self.level = level

    def __call__(self, document, pdf) -> None:
        stream_type = self._pydyf.Stream
        for item in pdf.objects:
            if isinstance(item, stream_type) and item.compress:
                item.stream = [self.deflate_stream(item)]
                item.extra["Filter"] = "/FlateDecode"
                item.compress = False

    def deflate_stream(self, stream) -> bytes:
        parts = stream.stream
        if len(parts) == 1 and type(parts[0]) is bytes:  # a font file: maybe a cached subset
            done = pdf_internals.deflated_subset(parts[0], self.level, zlib.compress)
            if done is not None:
                return done
            return zlib.compress(parts[0], self.level)
        return zlib.compress(self._plain(parts), self.level)

    def _plain(self, parts: list) -> bytes:
        """The stream's bytes as pydyf joins them, through its public ``Stream.data``."""
        data = self._pydyf.Stream(parts).data  # <</Length n>>\nstream\n…\nendstream
        start = data.index(b"\nstream\n") + len(b"\nstream\n")
        return data[start : len(data) - len(b"\nendstream")]


@contextmanager
def _making_the_pdf() -> Iterator[None]:
    """A file system's refusal while the PDF is laid out or written (WeasyPrint's font copies, the bytes)
    as the one-line error every writer gives."""
    try:
        yield
    except OSError as exc:
        raise DocgenError(_("cannot write: {value} (while making the PDF)").format(value=os_reason(exc))) from None


class PdfWriter:
    """A warm PDF writer: build once, call ``render`` per document (``render_many`` for a batch)."""

    extension = "pdf"

    def __init__(self, profile: StyleProfile, fonts: dict[str, ResolvedFont], variant: str | None = None) -> None:
        """``variant``: a PDF variant of WeasyPrint's own, e.g. "pdf/a-2b" for archives (--pdf-a)."""
        weasyprint_import.load()  # heavy: only when a PDF is asked for (its C declarations pre-parsed)
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcherResponse

        pdf_internals.install()
        pdf_hanging.install()  # layout: a closing mark hangs as the 29th character, as in Word and LibreOffice
        self._weasyprint = weasyprint
        self.profile = profile
        self.fonts = fonts
        self.html = HtmlWriter(profile)
        self.font_config = FontConfiguration()
        linking = pdf_fontlinks.link_into(self.font_config)  # its @font-face files linked, not copied
        self.css = stylesheet(profile, fonts)
        self.finisher = Deflate()
        self.variant = variant
        allowed = frozenset(f.file.resolve() for f in fonts.values() if f.file)

        class AssetFetcher(weasyprint.URLFetcher):
            """Fetches the profile's font files and nothing else."""

            linking = False  # while the stylesheet is parsed: a font file is answered as a pdf_fontlinks.FontFile

            def fetch(self, url: str, headers=None):
                if url.startswith("data:"):  # the seal, inlined by the HTML writer
                    return super().fetch(url, headers)
                parsed = urlparse(url)
                path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
                if path is None or path not in allowed:
                    raise ValueError(_("docgen does not fetch {url!r}").format(url=url))
                found = pdf_fontlinks.font_file(path) if self.linking else None
                if found is not None:
                    return URLFetcherResponse(url, body=found)
                return super().fetch(url, headers)

        self._fetcher = AssetFetcher(allowed_protocols=("file", "data"))
        # Parsed once: parsing the stylesheet (and loading its @font-face files) was a third of a notice's time.
        self._fetcher.linking = linking
        try:  # WeasyPrint puts each @font-face file into a temporary folder here
            self.stylesheet = weasyprint.CSS(
                string=self.css, font_config=self.font_config, url_fetcher=self._fetcher
            )
        except OSError as exc:
            reason = os_reason(exc)
            raise DocgenError(_("cannot write: {reason} (WeasyPrint's temporary copy of the fonts)").format(
                reason=reason)) from None
        finally:
            self._fetcher.linking = False
        self._batch = None
        self._recent: dict[str, Any] = {}  # HTML → its WeasyPrint document, laid out by a transform

    def head(self, doc: Document | None = None) -> str:
        """Dates and generator: created is the document's own date from the data where it has one."""
        stamp = fixed_date()
        created = created_stamp(doc) or stamp
        return (f'<meta name="dcterms.created" content="{created}"><meta name="dcterms.modified" content="{stamp}">'
                '<meta name="generator" content="docgen">')

    def render(self, doc: Document) -> Rendered:
        with _making_the_pdf():
            return self._written(self._laid_out(doc, keep=False))

    def render_if_laid_out(self, doc: Document) -> Rendered | None:
        """``doc``'s PDF if a transform has just laid out the HTML the writer makes of it (a document
        whose signature was placed and that has no 版记 to place: a notice), else None. A batch writes
        such a record now, from that layout, instead of laying it out again in a shared pass
        (``render_many``): the bytes ``render`` makes, one layout a record instead of two."""
        rendered = self._recent.pop(self._html(doc), None)
        if rendered is None:
            return None
        with _making_the_pdf():
            return self._written(rendered)

    def _html(self, doc: Document) -> str:
        return self.html.document_html(doc, self.fonts, css="", head=self.head(doc))

    def _written(self, rendered) -> Rendered:
        return Rendered(self.write(rendered), pages=len(rendered.pages))

    def layout(self, doc: Document) -> list:
        """The document's laid-out WeasyPrint pages, as ``render`` lays them out, nothing written: for the
        transforms that decide from where the body ends (``writers.pdf.measure`` reads them)."""
        return self._laid_out(doc, keep=True).pages

    def _laid_out(self, doc: Document, keep: bool):
        """The WeasyPrint document of ``doc``'s HTML, laid out once: the transforms lay a document out to
        decide (``transforms.fit_signature``, ``keep_table_with_signature``, ``place_imprint``), and where
        their last layout is of the HTML the writer then makes, ``render`` writes that one instead of
        laying it out again (a third to a half of a single render's layout time). The HTML is the key: the
        same HTML, stylesheet and fonts lay out the same, so the bytes do not change. ``keep``: hold it
        for the next call (``_RECENT`` layouts at most; ``render`` takes its own out)."""
        html = self._html(doc)
        rendered = self._recent.pop(html, None)
        if rendered is None:
            page = self._weasyprint.HTML(string=html, url_fetcher=self._fetcher, base_url=None)
            rendered = page.render(font_config=self.font_config, stylesheets=[self.stylesheet])
        if keep:
            self._recent[html] = rendered
            while len(self._recent) > _RECENT:
                self._recent.pop(next(iter(self._recent)))
        return rendered

    def write(self, rendered) -> bytes:
        """A laid-out WeasyPrint document (or a copy of some of its pages) → PDF bytes."""
        if self.variant:
            return rendered.write_pdf(finisher=self.finisher, pdf_variant=self.variant)
        return rendered.write_pdf(finisher=self.finisher)

    def render_many(self, docs: Sequence[Document]) -> list[Rendered | DocgenError]:
        """Each document's PDF, the same as ``render`` makes, from as few layout passes as possible.

        A document that cannot be made is a DocgenError in its place; the others are still made.
        """
        if self._batch is None:
            from docgen.writers.pdf.batch import BatchLayout

            self._batch = BatchLayout(self)
        return self._batch.render_many(docs)
