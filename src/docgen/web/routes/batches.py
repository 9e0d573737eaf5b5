"""A batch from the page: `docgen batch` with a zip, in its own process, and its progress."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from docgen import i18n
from docgen.errors import DocgenError
from docgen.files import output
from docgen.i18n import _
from docgen.options import BatchOptions
from docgen.web import safety
from docgen.web.routes import Web


def routes(web: Web) -> list[Route]:
    site = web.site
    state = web.state
    body = web.body
    find_doc = web.find_doc

    async def api_batch(request: Request) -> Response:
        payload = await body(request)
        path = site.data_file(payload.get("file"))
        doc = find_doc(payload.get("doc"))
        if not doc.each:
            raise safety.Refused(400, _("{name} is one document per campaign, not one per record").format(
                name=doc.name))
        folder_name = doc.name if site.name_of(path) == site.default else f"{path.stem}-{doc.name}"
        out = site.out / output.safe_stem(folder_name)
        options = BatchOptions(each=doc.each, jobs=max(1, (os.cpu_count() or 2) - 1),  # a core stays free
                               zip=True, out=str(out), document=site.options)
        params = {"data": str(path), ("speech" if doc.option == "--speech" else "template"): doc.name,
                  "options": options, "lang": i18n.current()}
        try:  # starting a process takes a moment: not on the event loop
            started = await anyio.to_thread.run_sync(state.batches.start, params, out, doc.name)
        except DocgenError as exc:
            return JSONResponse({"ok": False, "error": site.shown(str(exc))}, status_code=409)
        return JSONResponse({"ok": True, "id": started.id, "poll": f"/api/batch/{started.id}"}, status_code=202)

    async def api_batch_status(request: Request) -> Response:
        job_state = state.batches.jobs.get(request.path_params["id"])
        if job_state is None:
            raise safety.Refused(404, _("no such batch"))
        reply: dict[str, Any] = {"state": job_state.state, "done": job_state.done, "total": job_state.total,
                                 "seconds": job_state.seconds, "error": job_state.error and site.shown(job_state.error),
                                 "warnings": [site.shown(w) for w in job_state.warnings[:20]]}
        result = job_state.result
        if result is not None:
            rel = job_state.out.relative_to(site.out)
            link = "/out/" + "/".join(quote(part) for part in rel.parts)
            documents = result["documents"]
            reply.update(
                documents=len(documents),
                counts={s: sum(d["status"] == s for d in documents) for s in ("written", "unchanged", "failed")},
                failed=[{"index": d["index"], "name": d["name"], "error": site.shown(d.get("error", ""))}
                        for d in documents if d["status"] == "failed"],
                zip=f"{link}/{quote(result['zip'])}" if result.get("zip") else None,
                manifest=[f"{link}/manifest.json", f"{link}/manifest.csv"],
                folder=f"{site.shown_out()}/{rel.as_posix()}",
            )
        return JSONResponse(reply, headers={"cache-control": "no-store"})

    return [
        Route("/api/batch", api_batch, methods=["POST"]),
        Route("/api/batch/{id:str}", api_batch_status),
    ]
