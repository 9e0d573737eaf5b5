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

Only files under the campaign folder and the output folder are served (``safety.inside``).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import re
import secrets
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from docgen import i18n, output, templating
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.web import formschema, formside, rosterbook, safety
from docgen.web.worker import CHECK_SECONDS, Batches, CheckJob, Job, PreviewWorker

HERE = Path(__file__).resolve().parent
PAGE_SCALE = 2.0  # page images at 144 dpi: sharp on a high-density screen, about 1190 × 1684 px
KEEP_PREVIEWS = 8  # previews whose PDF stays in memory (pages are drawn from it on request)
KEEP_IMAGES = 48
VIEWS = ("form", "roster", "text")  # the campaign as a form, its roster as tables, or the YAML (the docgen_view cookie)
MEDIA = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass
class Site:
    """What the server serves: one campaign folder (its YAML files) and one output folder."""

    root: Path
    default: str  # the campaign file opened first, relative to root
    out: Path
    user_dirs: tuple[str, ...] = ()
    font_dir: str | None = None
    loopback_only: bool = True

    def data_file(self, name: Any) -> Path:
        """A campaign file named by a request: a .yaml/.yml file under the campaign folder."""
        if name is not None and not isinstance(name, str):
            raise safety.Refused(400, _("file: the name of a campaign file"))
        path = safety.inside(self.root, name or self.default)
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise safety.Refused(403, _("only the campaign's YAML files can be opened"))
        return path

    def name_of(self, path: Path) -> str:
        return path.relative_to(self.root.resolve()).as_posix()

    def yaml_files(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir()
                      if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file())

    def shown(self, text: str) -> str:
        """Messages name files relative to the campaign folder, as a user sees them in the page."""
        return text.replace(f"{self.root.resolve()}/", "").replace(str(self.root.resolve()), ".")


@dataclass(frozen=True)
class Doc:
    key: str  # "template:notice" or "speech:cxzy-mobilization"
    name: str
    option: str
    template: str  # as pipeline.run takes it
    description: str
    campaign: str  # a speech written for one campaign
    each: str  # a per-record kind's list (branches), else ""


def catalogue(user_dirs: tuple[str, ...]) -> list[Doc]:
    docs = []
    for info in templating.list_templates(user_dirs):
        speech = info.option == "--speech"
        template = templating.speech_name(info.name) if speech else templating.template_name(info.name)
        docs.append(Doc(f"{'speech' if speech else 'template'}:{info.name}", info.name, info.option, template,
                        info.description, info.campaign, templating.markers(template, user_dirs).each))
    return docs


@dataclass
class Preview:
    pdf: bytes
    pages: int
    texts: list[str]


@dataclass
class State:
    site: Site
    worker: PreviewWorker
    checker: PreviewWorker
    batches: Batches = field(default_factory=Batches)
    previews: OrderedDict[str, Preview] = field(default_factory=OrderedDict)
    images: OrderedDict[tuple[str, int], bytes] = field(default_factory=OrderedDict)
    latest: dict[str, int] = field(default_factory=dict)  # per page: the newest preview request
    render_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    file_lock: threading.Lock = field(default_factory=threading.Lock)
    pdfium_lock: threading.Lock = field(default_factory=threading.Lock)  # pdfium is not thread-safe


# ---- reading and writing the campaign file --------------------------------------------------------


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_campaign_file(path: Path) -> tuple[str, str]:
    """The file as the editor shows it (text without a BOM, \\n line ends) and its hash."""
    raw = path.read_bytes()
    if len(raw) > safety.MAX_BODY:
        raise DocgenError(_("the file is {raw_count} KiB; the page edits files up to {MAX_BODY} KiB (edit it in a text "
                            "editor)").format(raw_count=len(raw) // 1024, MAX_BODY=safety.MAX_BODY // 1024), path.name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocgenError(_("not UTF-8 text (GBK/GB18030?); save the file as UTF-8 and open it again"),
                          path.name) from None
    return text.replace("\r\n", "\n"), digest(raw)


def save_campaign_file(path: Path, text: str, base: str) -> str:
    """Write the editor's text if the file is still what the editor opened; keep a .bak of it."""
    raw = path.read_bytes()
    if digest(raw) != base:
        raise Conflict(_("{name} was changed on disk since you opened it (by another program or person); your text is "
                         "still in the editor — load the file again to see theirs, then redo your edit").format(
            name=path.name))
    new = text.replace("\r\n", "\n")
    if b"\r\n" in raw:  # keep the file's own line ends and BOM
        new = new.replace("\n", "\r\n")
    payload = (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"") + new.encode("utf-8")
    if payload != raw:
        output.write_atomic(path.with_name(path.name + ".bak"), raw)
        output.write_atomic(path, payload)
    return digest(payload)


class Conflict(Exception):
    pass


# ---- checking the editor's text ------------------------------------------------------------------

_WARNING = re.compile(r"^(?P<file>.*?):(?P<line>\d+): (?:warning: |警告：)?(?P<message>.*)$", re.DOTALL)
_WARNING_MARK = re.compile(r": (?:warning: |警告：)")


def _issue(site: Site, path: Path, text: str) -> dict[str, Any]:
    match = _WARNING.match(text)
    if match and Path(match["file"]) == path:
        return {"line": int(match["line"]), "message": site.shown(match["message"]), "text": site.shown(text)}
    return {"line": None, "message": site.shown(text), "text": site.shown(text)}


def documents_hash(entries: list[dict[str, Any]]) -> str:
    """What the documents list shows, as a hash: the page replaces its list only when this changes, so
    that an answer to a check never swaps the list under a click in progress (the click was lost)."""
    shown = json.dumps(entries, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()[:16]


def check(site: Site, path: Path, text: str | None) -> dict[str, Any]:
    """What `docgen validate` says of the text (one error, or warnings), and the documents it makes."""
    from docgen.pipeline import check_template, load_campaign

    docs = catalogue(site.user_dirs)
    try:
        campaign = load_campaign(path, text)
    except DocgenError as exc:
        where = exc.where
        line = where.line if where and Path(where.file) == path else None
        error = {"line": line, "message": site.shown(exc.message), "text": site.shown(str(exc)),
                 "path": formschema.error_path(exc.message),  # the form shows it at this field
                 "sheet": where.sheet if where else None, "cell": where.cell if where else None}
        return {"ok": False, "error": error, "warnings": [], "documents": [_entry(d, None, site) for d in docs]}
    entries = []
    for doc in docs:
        entry = _entry(doc, campaign, site)
        try:
            check_template(campaign, doc.template, site.user_dirs)
        except DocgenError as exc:
            entry["problem"] = site.shown(str(exc))
        entries.append(entry)
    model = campaign.model
    summary = _("{organization} · {campaign} · {phases} phases · {branches} branches").format(
        organization=model.organization.name, campaign=model.campaign.name, phases=len(model.campaign.phases),
        branches=len(model.branches))
    return {"ok": True, "error": None, "summary": summary, "documents": entries,
            "warnings": [_issue(site, path, w) for w in campaign.warnings]}


def checked(state: State, path: Path, text: str | None, lang: str) -> dict[str, Any]:
    """``check`` in the check process; what it says when that process gave up (too long, out of memory)."""
    site = state.site
    reply = state.checker.call(CheckJob(site, str(path), text, lang))
    if reply["ok"]:
        return reply["checked"]
    with i18n.using(lang):
        message = site.shown(reply["error"])
        documents = [_entry(d, None, site) for d in catalogue(site.user_dirs)]
    return {"ok": False, "error": {"line": reply.get("line"), "message": message, "text": message}, "warnings": [],
            "documents": documents}


def _entry(doc: Doc, campaign, site: Site) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": doc.key, "name": doc.name, "option": doc.option, "each": doc.each,
                             "description": doc.description, "campaign": doc.campaign, "records": [],
                             "problem": None}
    if doc.each and campaign is not None:
        from docgen.batching.records import select

        try:
            entry["records"] = [(n, r.title) for n, r in enumerate(select(campaign.model, doc.each), 1)]
        except DocgenError as exc:
            entry["problem"] = site.shown(str(exc))
    return entry


# ---- page images -----------------------------------------------------------------------------------


def page_texts(state: State, pdf: bytes) -> list[str]:
    import pypdfium2 as pdfium

    with state.pdfium_lock:
        document = pdfium.PdfDocument(pdf)
        try:
            texts = []
            for page in document:
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return texts
        finally:
            document.close()


def page_png(state: State, pdf: bytes, index: int) -> bytes:
    import pypdfium2 as pdfium

    with state.pdfium_lock:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[index]
            image = page.render(scale=PAGE_SCALE).to_pil()
            page.close()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


# ---- the application -------------------------------------------------------------------------------


def create_app(data: str | Path, out: str | Path | None = None, *, user_dirs: tuple[str, ...] = (),
               font_dir: str | None = None, loopback_only: bool = True,
               worker: PreviewWorker | None = None, checker: PreviewWorker | None = None) -> Starlette:
    """The Starlette app for one campaign (a folder with campaign.yaml, or a YAML file)."""
    from docgen.sources import DATA_FILE_NAMES, resolve_data_path

    folder = Path(data)
    if folder.is_dir() and not any((folder / name).is_file() for name in DATA_FILE_NAMES):
        file = (folder / DATA_FILE_NAMES[0]).resolve()  # an empty folder: the page starts a campaign there
    else:
        file = resolve_data_path(data).resolve()
    root = file.parent
    site = Site(root, file.name, Path(out).resolve() if out else root / "out", tuple(user_dirs), font_dir,
                loopback_only)
    state = State(site, worker or PreviewWorker(font_dir),
                  checker or PreviewWorker(seconds=CHECK_SECONDS, role="check"))
    pages = Jinja2Templates(directory=str(HERE / "templates"))
    pages.env.globals["quote"] = quote
    pages.env.add_extension("jinja2.ext.i18n")
    pages.env.install_gettext_callables(i18n.gettext, i18n.ngettext)  # type: ignore[attr-defined]
    script_messages = _script_messages()

    def job(path: Path, doc: Doc, record: int | None, text: str | None, formats: tuple[str, ...]) -> Job:
        return Job(str(path), doc.template, text, record, formats, site.user_dirs, site.font_dir, i18n.current())

    def find_doc(key: Any) -> Doc:
        doc = next((d for d in catalogue(site.user_dirs) if d.key == key), None)
        if doc is None:
            raise safety.Refused(404, _("no document {key!r}; see `docgen templates`").format(key=key))
        return doc

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

    async def body(request: Request) -> dict[str, Any]:
        try:
            payload = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise safety.Refused(400, _("the body is not JSON")) from None
        if not isinstance(payload, dict):
            raise safety.Refused(400, _("the body is not a JSON object"))
        return payload

    def text_of(payload: dict[str, Any]) -> str | None:
        text = payload.get("text")
        if text is not None and not isinstance(text, str):
            raise safety.Refused(400, "text: a string")
        return text

    # -- pages

    def start_page(request: Request) -> Response:
        """No campaign file yet: the page asks for the few facts of a new one (新建活动)."""
        checked = {"ok": False, "error": None, "warnings": [], "documents": [], "summary": ""}
        client = {"file": None, "hash": "", "doc": None, "record": None, "documentsHash": "", "files": [],
                  "maxBody": safety.MAX_BODY, "opened": None, "outName": _shown_out(site), "lang": i18n.current(),
                  "messages": script_messages.get(i18n.current(), {}), "start": True, "view": "form"}
        return pages.TemplateResponse(request, "index.html", {
            "lang": i18n.current(), "lang_tag": "zh-CN" if i18n.is_chinese() else "en", "file": "",
            "files": site.yaml_files(), "text": "", "checked": checked, "documents": [], "doc": None, "record": None,
            "client": client, "opened": None, "out": _shown_out(site), "loopback_only": site.loopback_only,
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
                  "outName": _shown_out(site), "lang": i18n.current(),
                  "messages": script_messages.get(i18n.current(), {})}
        return pages.TemplateResponse(request, "index.html", {
            "lang": i18n.current(), "lang_tag": "zh-CN" if i18n.is_chinese() else "en",
            "file": name, "files": site.yaml_files(), "text": text, "checked": result, "documents": entries,
            "doc": doc, "record": record, "client": client, "opened": opened, "out": _shown_out(site),
            "loopback_only": site.loopback_only, "start": False, "new": new_defaults(), "view": view,
        }, headers={"cache-control": "no-store"})

    # -- the form, the roster's tables, a new campaign

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

    # -- the editor

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

    # -- the preview

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
        findings = [site.shown(_WARNING_MARK.split(w, maxsplit=1)[-1]) for w in reply["warnings"]]
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

    # -- files

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

    async def api_batch(request: Request) -> Response:
        payload = await body(request)
        path = site.data_file(payload.get("file"))
        doc = find_doc(payload.get("doc"))
        if not doc.each:
            raise safety.Refused(400, _("{name} is one document per campaign, not one per record").format(
                name=doc.name))
        folder_name = doc.name if site.name_of(path) == site.default else f"{path.stem}-{doc.name}"
        out = site.out / output.safe_stem(folder_name)
        params = {"data": str(path), "each": doc.each, "templates": site.user_dirs, "font_dir": site.font_dir,
                  "jobs": max(1, (os.cpu_count() or 2) - 1),  # a core stays free for the preview
                  ("speech" if doc.option == "--speech" else "template"): doc.name, "lang": i18n.current()}
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
                folder=f"{_shown_out(site)}/{rel.as_posix()}",
            )
        return JSONResponse(reply, headers={"cache-control": "no-store"})

    async def campaign_file(request: Request) -> Response:
        target = safety.inside(site.root, request.path_params["path"])
        return FileResponse(target, content_disposition_type="inline", filename=target.name)

    async def output_file(request: Request) -> Response:
        target = safety.inside(site.out, request.path_params["path"])
        return FileResponse(target, filename=target.name)

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

    routes = [
        Route("/", index),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/file", api_file),
        Route("/api/save", api_save, methods=["POST"]),
        Route("/api/form", api_form, methods=["POST"]),
        Route("/api/form/apply", api_form_apply, methods=["POST"]),
        Route("/api/roster/save", api_roster_save, methods=["POST"]),
        Route("/api/new", api_new, methods=["POST"]),
        Route("/api/preview", api_preview, methods=["POST"]),
        Route("/preview/{id:str}/{n:int}.png", preview_page),
        Route("/preview/{id:str}.pdf", preview_pdf),
        Route("/download", download),
        Route("/api/batch", api_batch, methods=["POST"]),
        Route("/api/batch/{id:str}", api_batch_status),
        Route("/files/{path:path}", campaign_file),
        Route("/out/{path:path}", output_file),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
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


def _shown_out(site: Site) -> str:
    try:
        return site.out.relative_to(site.root.resolve()).as_posix()
    except ValueError:
        return str(site.out)


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"ok": False, "error": message}, status_code=status)
    return PlainTextResponse(f"{message}\n", status_code=status)


def attachment(name: str) -> str:
    """Content-Disposition for a Chinese file name: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    stem, dot, suffix = name.rpartition(".")
    plain = re.sub(r"[^A-Za-z0-9-]+", "_", stem.encode("ascii", "ignore").decode()).strip("_")
    fallback = f"{plain or 'document'}{dot}{suffix}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
