"""The page's routes, one module per concern: the page itself (``page``), the campaign as text, form and roster
(``campaign``), the preview and downloads (``preview``), batches (``batches``), and the served files
(``files``). Each module's ``routes(web)`` returns its routes; ``Web`` holds what they share."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from docgen import i18n
from docgen.i18n import _
from docgen.web import safety
from docgen.web.site import Doc, Site, catalogue
from docgen.web.state import State
from docgen.web.worker import PreviewJob


@dataclass
class Web:
    """What every route uses: the site, the server's state, the page templates, the scripts' messages."""

    site: Site
    state: State
    pages: Jinja2Templates
    script_messages: dict[str, dict[str, str]]

    def job(self, path: Path, doc: Doc, record: int | None, text: str | None,
            formats: tuple[str, ...]) -> PreviewJob:
        return PreviewJob(str(path), doc.template, text, record, formats, self.site.options, i18n.current())

    def find_doc(self, key: Any) -> Doc:
        doc = next((d for d in catalogue(self.site.options.user_dirs) if d.key == key), None)
        if doc is None:
            raise safety.Refused(404, _("no document {key!r}; see `docgen templates`").format(key=key))
        return doc

    @staticmethod
    def record_number(value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise safety.Refused(400, "record: a number") from None
        if not 1 <= number <= 1_000_000:
            raise safety.Refused(400, _("record: a number from 1"))
        return number

    @staticmethod
    async def body(request: Request) -> dict[str, Any]:
        try:
            payload = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise safety.Refused(400, _("the body is not JSON")) from None
        if not isinstance(payload, dict):
            raise safety.Refused(400, _("the body is not a JSON object"))
        return payload

    @staticmethod
    def text_of(payload: dict[str, Any]) -> str | None:
        text = payload.get("text")
        if text is not None and not isinstance(text, str):
            raise safety.Refused(400, "text: a string")
        return text


def attachment(name: str) -> str:
    """Content-Disposition for a Chinese file name: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    stem, dot, suffix = name.rpartition(".")
    plain = re.sub(r"[^A-Za-z0-9-]+", "_", stem.encode("ascii", "ignore").decode()).strip("_")
    fallback = f"{plain or 'document'}{dot}{suffix}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
