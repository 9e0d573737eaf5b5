"""`docgen serve`: the campaign's documents in a browser, edited and previewed as they will print.

One page, rendered here (Jinja, autoescaped) with a little JavaScript (``static/app.js``):

- the documents of the campaign (``templating.list_templates``; a per-record kind lists its records),
- the campaign file in an editor; ``/api/check`` validates the editor's text as one types
  (``pipeline.load_campaign`` on the text: the same errors as `docgen validate`, at their lines), in
  the check process (``worker.py``: bounded in memory and time, so a hostile roster costs no more),
- the chosen document as page images: ``/api/preview`` runs ``pipeline.run`` on the editor's text in
  the warm preview process (``worker.py``) and keeps the PDF; ``/preview/<id>/<n>.png`` draws a page
  with pdfium when the browser asks for it,
- the proof-reader's findings (``Result.warnings``) beside the pages,
- ``/api/save`` (atomic, a ``.bak`` of what it replaces, refused when the file changed on disk since
  it was opened), ``/download`` (the saved file's DOCX or PDF), ``/api/batch`` (``docgen.batch`` with
  a zip, in its own process, with progress) and ``/out/…`` for what a batch wrote,
- the campaign as a form and its roster as tables (``static/form.js``): ``/api/form`` gives the form
  (``formschema``: generated from the JSON Schema) and the values of the editor's text, ``/api/form/apply``
  writes the form's values into the text (``yamledit``: only what changed), ``/api/roster/save`` writes
  a roster workbook's edited cells (``rosterbook``), ``/api/new`` starts a campaign from `docgen init`'s
  starter with the few facts the page asks.

The parts: ``site`` (the folder served, the documents it can make, the campaign file read and saved),
``checking`` (the editor's text checked), ``state`` (the warm processes, the previews kept), ``routes/`` (one
module per concern), ``worker`` (the processes), ``safety`` (what is refused). Only files under the campaign
folder and the output folder are served (``safety.served_file``).
"""

from __future__ import annotations

import re
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from docgen import i18n
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.options import Options
from docgen.web import safety
from docgen.web.routes import Web, batches, campaign, files, page, preview
from docgen.web.site import Site
from docgen.web.state import State
from docgen.web.worker import CHECK_SECONDS, PreviewWorker

HERE = Path(__file__).resolve().parent


def create_app(data: str | Path, out: str | Path | None = None, *, options: Options | None = None,
               loopback_only: bool = True, worker: PreviewWorker | None = None,
               checker: PreviewWorker | None = None) -> Starlette:
    """The Starlette app for one campaign (a folder with campaign.yaml, or a YAML file); ``options``: how its
    documents are made (the --templates folders, --font-dir)."""
    from docgen.sources import DATA_FILE_NAMES, resolve_data_path

    options = options or Options()
    folder = Path(data)
    if folder.is_dir() and not any((folder / name).is_file() for name in DATA_FILE_NAMES):
        file = (folder / DATA_FILE_NAMES[0]).resolve()  # an empty folder: the page starts a campaign there
    else:
        file = resolve_data_path(data).resolve()
    root = file.parent
    site = Site(root, file.name, Path(out).resolve() if out else root / "out", options, loopback_only)
    state = State(site, worker or PreviewWorker(options.font_dir),
                  checker or PreviewWorker(seconds=CHECK_SECONDS, role="check"))
    pages = Jinja2Templates(directory=str(HERE / "templates"))
    pages.env.globals["quote"] = quote
    pages.env.add_extension("jinja2.ext.i18n")
    pages.env.install_gettext_callables(i18n.gettext, i18n.ngettext)  # type: ignore[attr-defined]
    web = Web(site, state, pages, _script_messages())

    # -- errors: one line, never a traceback

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, safety.Refused)
        return _error(request, exc.status, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _error(request, exc.status_code, _("not found") if exc.status_code == 404 else str(exc.detail))

    async def too_large(request: Request, exc: Exception) -> Response:
        return _error(request, 413, str(exc))

    async def internal(request: Request, exc: Exception) -> Response:
        if isinstance(exc, DocgenError):
            return _error(request, 422, site.shown(str(exc)))
        return _error(request, 500, _("internal error: {name}: {exc}").format(name=type(exc).__name__, exc=exc))

    @asynccontextmanager
    async def lifespan(app: Starlette):
        threading.Thread(target=state.worker.start, daemon=True, name="docgen-preview-start").start()
        threading.Thread(target=state.checker.start, daemon=True, name="docgen-check-start").start()
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(state.worker.close)
            await anyio.to_thread.run_sync(state.checker.close)

    routes = [*page.routes(web), *campaign.routes(web), *preview.routes(web), *batches.routes(web),
              *files.routes(web), Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")]
    app = Starlette(
        routes=routes, lifespan=lifespan,
        exception_handlers={safety.Refused: refused, HTTPException: http_error, safety.BodyTooLarge: too_large,
                            DocgenError: internal, Exception: internal},
    )
    app.state.docgen = state
    return Language(safety.Guard(app, loopback_only=loopback_only))


class Language:
    """Each request in its reader's language: the page's switch (the ``docgen_lang`` cookie, or
    ``?lang=``), else the browser's Accept-Language (a Chinese browser gets Chinese), else English."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with i18n.using(request_language(Request(scope))):
            await self.app(scope, receive, send)


def request_language(request: Request) -> str:
    for chosen in (request.query_params.get("lang"), request.cookies.get("docgen_lang")):
        if chosen in i18n.LANGUAGES:
            return chosen
    return i18n.from_accept_language(request.headers.get("accept-language"))


def _script_messages() -> dict[str, dict[str, str]]:
    """The translations the page's scripts need, per language: the catalog's messages that appear in them."""
    script = "".join((HERE / "static" / name).read_text(encoding="utf-8") for name in ("app.js", "form.js"))
    script = re.sub(r'"\s*\+\s*"', "", script)  # "a long " + "message": one message, as Babel extracts it
    found: dict[str, dict[str, str]] = {}
    for lang in i18n.LANGUAGES:
        catalog = getattr(i18n.translations(lang), "_catalog", {})
        found[lang] = {key: value for key, value in catalog.items()
                       if isinstance(key, str) and key and f'"{key}"' in script}
    return found


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"ok": False, "error": message}, status_code=status)
    return PlainTextResponse(f"{message}\n", status_code=status)
