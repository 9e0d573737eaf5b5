"""The page: the campaign's editor, its documents and preview; with no campaign file yet, the 新建活动 start."""

from __future__ import annotations

from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docgen import i18n
from docgen.errors import DocgenError
from docgen.web import formschema, formside, safety
from docgen.web.checking import documents_hash
from docgen.web.routes import Web
from docgen.web.site import read_campaign_file
from docgen.web.state import checked

VIEWS = ("form", "roster", "text")  # the campaign as a form, its roster as tables, or the YAML (the docgen_view cookie)


def routes(web: Web) -> list[Route]:
    site = web.site
    state = web.state
    pages = web.pages
    record_number = web.record_number
    script_messages = web.script_messages

    def start_page(request: Request) -> Response:
        """No campaign file yet: the page asks for the few facts of a new one (新建活动)."""
        checked = {"ok": False, "error": None, "warnings": [], "documents": [], "summary": ""}
        client = {"file": None, "hash": "", "doc": None, "record": None, "documentsHash": "", "files": [],
                  "maxBody": safety.MAX_BODY, "opened": None, "outName": site.shown_out(), "lang": i18n.current(),
                  "messages": script_messages.get(i18n.current(), {}), "start": True, "view": "form"}
        return pages.TemplateResponse(request, "index.html", {
            "lang": i18n.current(), "lang_tag": "zh-CN" if i18n.is_chinese() else "en", "file": "",
            "files": site.yaml_files(), "text": "", "checked": checked, "documents": [], "doc": None, "record": None,
            "client": client, "opened": None, "out": site.shown_out(), "loopback_only": site.loopback_only,
            "start": True, "new": new_defaults(), "view": "form",
        }, headers={"cache-control": "no-store"})

    def new_defaults() -> dict[str, Any]:
        """The 新建活动 dialog: a free file name, and each fact's label from the schema."""
        taken = set(site.yaml_files())
        name = next(n for n in (site.default, *(f"campaign-{i}.yaml" for i in range(2, 1000))) if n not in taken)
        labels = {key: formschema.label(formschema.at(path) or {}, path[-1]) for key, path in (
            ("organization", ("organization", "name")), ("campaign", ("campaign", "name")),
            ("start", ("campaign", "period", "start")), ("end", ("campaign", "period", "end")))}
        return {"name": name, "labels": labels, "starters": formside.starters()}

    async def index(request: Request) -> Response:
        if not request.query_params.get("file") and not (site.root / site.default).is_file():
            return start_page(request)
        path = site.data_file(request.query_params.get("file"))
        name = site.name_of(path)
        try:
            text, file_hash = await anyio.to_thread.run_sync(read_campaign_file, path)
            opened = None
        except DocgenError as exc:
            text, file_hash, opened = "", "", str(exc)
        result = await anyio.to_thread.run_sync(checked, state, path, None if opened else text, i18n.current())
        entries = result["documents"]
        wanted = request.query_params.get("doc")
        usable = [e for e in entries if not e["problem"]] or entries
        doc = next((e for e in entries if e["key"] == wanted), usable[0] if usable else None)
        record = record_number(request.query_params.get("record")) if doc and doc["each"] else None
        if doc and doc["each"] and record is None and doc["records"]:
            record = 1
        view = "text" if opened else request.cookies.get("docgen_view", "form")
        view = view if view in VIEWS else "form"
        client = {"file": name, "hash": file_hash, "doc": doc["key"] if doc else None, "record": record,
                  "documentsHash": documents_hash(entries), "view": view,
                  "files": site.yaml_files(), "maxBody": safety.MAX_BODY, "opened": opened,
                  "outName": site.shown_out(), "lang": i18n.current(),
                  "messages": script_messages.get(i18n.current(), {})}
        return pages.TemplateResponse(request, "index.html", {
            "lang": i18n.current(), "lang_tag": "zh-CN" if i18n.is_chinese() else "en",
            "file": name, "files": site.yaml_files(), "text": text, "checked": result, "documents": entries,
            "doc": doc, "record": record, "client": client, "opened": opened, "out": site.shown_out(),
            "loopback_only": site.loopback_only, "start": False, "new": new_defaults(), "view": view,
        }, headers={"cache-control": "no-store"})

    return [
        Route("/", index),
    ]
