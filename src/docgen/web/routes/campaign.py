"""The campaign as the page edits it: its text checked, read and saved; as a form; its roster's tables; a new one."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from docgen import i18n
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.web import formside, rosterbook, safety
from docgen.web.checking import documents_hash
from docgen.web.routes import Web, attachment
from docgen.web.site import Conflict, digest, read_campaign_file, save_campaign_file
from docgen.web.state import checked


def routes(web: Web) -> list[Route]:
    site = web.site
    state = web.state
    pages = web.pages
    body = web.body
    text_of = web.text_of

    async def api_form(request: Request) -> Response:
        payload = await body(request)
        path = site.data_file(payload.get("file"))
        reply = await anyio.to_thread.run_sync(formside.form_reply, path, text_of(payload), site.shown)
        return JSONResponse(reply, headers={"cache-control": "no-store"})

    async def api_form_apply(request: Request) -> Response:
        payload = await body(request)
        path = site.data_file(payload.get("file"))
        text, values = text_of(payload), payload.get("values")
        if text is None or not isinstance(values, dict):
            raise safety.Refused(400, _("send text and values (the form's)"))
        try:
            new = await anyio.to_thread.run_sync(formside.apply, path, text, values)
        except DocgenError as exc:
            return JSONResponse({"ok": False, "error": site.shown(str(exc))}, status_code=422)
        return JSONResponse({"ok": True, "text": new, "changed": new != text})

    async def api_roster_save(request: Request) -> Response:
        payload = await body(request)
        path = site.data_file(payload.get("file"))
        edits, base, download = payload.get("edits"), payload.get("base"), bool(payload.get("download"))
        if not isinstance(edits, list) or not isinstance(base, str) or not all(isinstance(e, dict) for e in edits):
            raise safety.Refused(400, _("send edits and base (the hash of the workbook the page read)"))

        def write() -> tuple[bytes, str, bool]:
            with state.file_lock:
                return rosterbook.write(path, text_of(payload), edits, base, download=download)

        try:
            data, name, written = await anyio.to_thread.run_sync(write)
        except rosterbook.Conflict as exc:
            return JSONResponse({"ok": False, "conflict": True, "error": str(exc)}, status_code=409)
        except DocgenError as exc:
            return JSONResponse({"ok": False, "error": site.shown(str(exc))}, status_code=422)
        if not written:
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            return Response(data, media_type=media, headers={"content-disposition": attachment(name),
                                                             "cache-control": "no-store"})
        return JSONResponse({"ok": True, "hash": digest(data), "backup": f"{name}.bak", "file": name})

    async def api_new(request: Request) -> Response:
        payload = await body(request)

        def make() -> str:
            with state.file_lock:
                return formside.new_campaign(site.root, payload.get("name"), payload, payload.get("like"))

        try:
            name = await anyio.to_thread.run_sync(make)
        except DocgenError as exc:
            return JSONResponse({"ok": False, "error": site.shown(str(exc))}, status_code=422)
        return JSONResponse({"ok": True, "file": name, "open": f"/?file={quote(name)}"})

    async def api_check(request: Request) -> Response:
        payload = await body(request)
        path = site.data_file(payload.get("file"))
        result = await anyio.to_thread.run_sync(checked, state, path, text_of(payload), i18n.current())
        doc_key, record = payload.get("doc"), payload.get("record")
        result["documents_html"] = pages.get_template("_documents.html").render(
            documents=result["documents"], file=site.name_of(path), doc_key=doc_key, record=record, quote=quote)
        result["documents_hash"] = documents_hash(result["documents"])
        return JSONResponse(result)

    async def api_file(request: Request) -> Response:
        path = site.data_file(request.query_params.get("file"))
        try:
            text, file_hash = await anyio.to_thread.run_sync(read_campaign_file, path)
        except DocgenError as exc:
            return JSONResponse({"ok": False, "error": site.shown(str(exc))}, status_code=422)
        reply: dict[str, Any] = {"ok": True, "file": site.name_of(path), "hash": file_hash}
        if request.query_params.get("text"):
            reply["text"] = text
        return JSONResponse(reply, headers={"cache-control": "no-store"})

    async def api_save(request: Request) -> Response:
        payload = await body(request)
        path = site.data_file(payload.get("file"))
        text, base = text_of(payload), payload.get("base")
        if text is None or not isinstance(base, str):
            raise safety.Refused(400, _("send text and base (the hash of the file the editor opened)"))

        def save() -> str:
            with state.file_lock:
                return save_campaign_file(path, text, base)

        try:
            new_hash = await anyio.to_thread.run_sync(save)
        except Conflict as exc:
            return JSONResponse({"ok": False, "conflict": True, "error": str(exc)}, status_code=409)
        except DocgenError as exc:
            return JSONResponse({"ok": False, "error": site.shown(str(exc))}, status_code=500)
        return JSONResponse({"ok": True, "hash": new_hash, "backup": f"{site.name_of(path)}.bak"})

    return [
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/file", api_file),
        Route("/api/save", api_save, methods=["POST"]),
        Route("/api/form", api_form, methods=["POST"]),
        Route("/api/form/apply", api_form_apply, methods=["POST"]),
        Route("/api/roster/save", api_roster_save, methods=["POST"]),
        Route("/api/new", api_new, methods=["POST"]),
    ]
