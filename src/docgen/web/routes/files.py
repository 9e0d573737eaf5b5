"""What the page links to: files of the campaign folder (a seal, a roster) and what a batch wrote."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from docgen.web import safety
from docgen.web.routes import Web


def routes(web: Web) -> list[Route]:
    site = web.site

    async def campaign_file(request: Request) -> Response:
        target = safety.served_file(site.root, request.path_params["path"])
        return FileResponse(target, content_disposition_type="inline", filename=target.name)

    async def output_file(request: Request) -> Response:
        target = safety.served_file(site.out, request.path_params["path"])
        return FileResponse(target, filename=target.name)

    return [
        Route("/files/{path:path}", campaign_file),
        Route("/out/{path:path}", output_file),
    ]
