"""The chosen document as page images (made in the warm preview process), its PDF, and its download."""

from __future__ import annotations

import secrets

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from docgen.files import output
from docgen.i18n import _
from docgen.web import safety
from docgen.web.checking import WARNING_MARK
from docgen.web.routes import Web, attachment
from docgen.web.state import KEEP_IMAGES, KEEP_PREVIEWS, Preview, page_png, page_texts

MEDIA = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def routes(web: Web) -> list[Route]:
    site = web.site
    state = web.state
    body = web.body
    text_of = web.text_of
    record_number = web.record_number
    find_doc = web.find_doc
    job = web.job

    async def api_preview(request: Request) -> Response:
        payload = await body(request)
        path = site.data_file(payload.get("file"))
        doc = find_doc(payload.get("doc"))
        record = record_number(payload.get("record"))
        text = text_of(payload)
        client = str(payload.get("client", ""))[:64]
        if len(state.latest) > 1000:  # one entry per open page; forget long-closed ones
            state.latest.clear()
        ticket = state.latest.get(client, 0) + 1
        state.latest[client] = ticket
        async with state.render_lock:
            if state.latest.get(client) != ticket:  # a newer edit came while this one waited
                return JSONResponse({"ok": False, "superseded": True})
            reply = await anyio.to_thread.run_sync(state.worker.call, job(path, doc, record, text, ("pdf",)))
        if not reply["ok"]:
            return JSONResponse({"ok": False, "error": site.shown(reply["error"]), "line": reply.get("line")})
        pdf, count = reply["outputs"]["pdf"]
        texts = await anyio.to_thread.run_sync(page_texts, state, pdf)
        preview_id = secrets.token_hex(8)
        state.previews[preview_id] = Preview(pdf, len(texts), texts)
        while len(state.previews) > KEEP_PREVIEWS:
            old, _pdf = state.previews.popitem(last=False)
            for key in [k for k in state.images if k[0] == old]:
                del state.images[key]
        findings = [site.shown(WARNING_MARK.split(w, maxsplit=1)[-1]) for w in reply["warnings"]]
        return JSONResponse({
            "ok": True, "id": preview_id, "pages": len(texts), "texts": texts, "title": reply["title"],
            "record_title": reply["record_title"], "findings": findings, "seconds": round(reply["seconds"], 3),
            "pdf": f"/preview/{preview_id}.pdf",
        })

    async def preview_page(request: Request) -> Response:
        preview = state.previews.get(request.path_params["id"])
        number = request.path_params["n"]
        if preview is None or not 1 <= number <= preview.pages:
            raise safety.Refused(404, _("this preview is gone (a newer one replaced it)"))
        key = (request.path_params["id"], number)
        image = state.images.get(key)
        if image is None:
            image = await anyio.to_thread.run_sync(page_png, state, preview.pdf, number - 1)
            state.images[key] = image
            while len(state.images) > KEEP_IMAGES:
                state.images.popitem(last=False)
        return Response(image, media_type="image/png", headers={"cache-control": "private, max-age=600"})

    async def preview_pdf(request: Request) -> Response:
        preview = state.previews.get(request.path_params["id"])
        if preview is None:
            raise safety.Refused(404, _("this preview is gone (a newer one replaced it)"))
        return Response(preview.pdf, media_type="application/pdf", headers={"cache-control": "no-store"})

    async def download(request: Request) -> Response:
        query = request.query_params
        path = site.data_file(query.get("file"))
        doc = find_doc(query.get("doc"))
        fmt = query.get("format", "pdf")
        if fmt not in MEDIA:
            raise safety.Refused(400, _("format: one of {MEDIA}").format(MEDIA=', '.join(MEDIA)))
        async with state.render_lock:
            reply = await anyio.to_thread.run_sync(
                state.worker.call, job(path, doc, record_number(query.get("record")), None, (fmt,)))
        if not reply["ok"]:
            return PlainTextResponse(_("error: {message}").format(message=site.shown(reply["error"])) + "\n",
                                     status_code=422)
        title = reply["title"] or doc.name
        stem = output.safe_stem(f"{reply['record_title']}_{title}" if reply["record_title"] else title)
        return Response(reply["outputs"][fmt][0], media_type=MEDIA[fmt],
                        headers={"content-disposition": attachment(f"{stem}.{fmt}"), "cache-control": "no-store"})

    return [
        Route("/api/preview", api_preview, methods=["POST"]),
        Route("/preview/{id:str}/{n:int}.png", preview_page),
        Route("/preview/{id:str}.pdf", preview_pdf),
        Route("/download", download),
    ]
