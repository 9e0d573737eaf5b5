"""HTML → PDF with WeasyPrint, fonts embedded and subset (HarfBuzz when libharfbuzz-subset0 is there).

WeasyPrint is imported here only, so commands that make no PDF never pay for it (about 1 s).
A PdfWriter is built once per process: its FontConfiguration and stylesheet are reused for every
document. Its url_fetcher reads only the font files of the profile: nothing a document or its data
names (a file:// or http URL) is ever fetched.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from docgen.errors import DocgenError
from docgen.fonts import ResolvedFont
from docgen.model import Document
from docgen.standard import StyleProfile
from docgen.writers.base import Rendered
from docgen.writers.html import HtmlWriter, stylesheet


class PdfWriter:
    """A warm PDF writer: build once, call ``render`` per document."""

    extension = "pdf"

    def __init__(self, profile: StyleProfile, fonts: dict[str, ResolvedFont]) -> None:
        import weasyprint  # heavy: only when a PDF is asked for
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self.profile = profile
        self.fonts = fonts
        self.html = HtmlWriter(profile)
        self.font_config = FontConfiguration()
        self.css = stylesheet(profile, fonts)
        allowed = frozenset(f.file.resolve() for f in fonts.values() if f.file)

        class AssetFetcher(weasyprint.URLFetcher):
            """Fetches the profile's font files and nothing else."""

            def fetch(self, url: str, headers=None):
                if url.startswith("data:"):  # the seal, inlined by the HTML writer
                    return super().fetch(url, headers)
                parsed = urlparse(url)
                path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
                if path is None or path not in allowed:
                    raise ValueError(f"docgen does not fetch {url!r}")
                return super().fetch(url, headers)

        self._fetcher = AssetFetcher(allowed_protocols=("file", "data"))
        # Parsed once: parsing the stylesheet (and loading its @font-face files) was a third of a notice's time.
        try:  # WeasyPrint copies each @font-face file into a temporary folder here
            self.stylesheet = weasyprint.CSS(
                string=self.css, font_config=self.font_config, url_fetcher=self._fetcher
            )
        except OSError as exc:
            reason = exc.strerror or exc
            raise DocgenError(f"cannot write: {reason} (WeasyPrint's temporary copy of the fonts)") from None

    def render(self, doc: Document) -> Rendered:
        stamp = _fixed_date()
        head = (f'<meta name="dcterms.created" content="{stamp}"><meta name="dcterms.modified" content="{stamp}">'
                '<meta name="generator" content="docgen">')
        html = self.html.document_html(doc, self.fonts, css="", head=head)
        try:
            page = self._weasyprint.HTML(string=html, url_fetcher=self._fetcher, base_url=None)
            rendered = page.render(font_config=self.font_config, stylesheets=[self.stylesheet])
            return Rendered(rendered.write_pdf(), pages=len(rendered.pages))
        except OSError as exc:
            raise DocgenError(f"cannot write: {exc.strerror or exc} (while making the PDF)") from None


def _fixed_date() -> str:
    """Same input, same bytes: the timestamp is SOURCE_DATE_EPOCH, or a fixed date."""
    import datetime as dt

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))  # 2000-01-01
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
