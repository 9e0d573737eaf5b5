"""What the page says of the editor's text: `docgen validate`'s errors and warnings at their lines, and which
documents the campaign can make (``check``). It runs in the bounded check process (``worker.py``)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from docgen import pipeline
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.web import formschema
from docgen.web.site import Doc, Site, catalogue

_WARNING = re.compile(r"^(?P<file>.*?):(?P<line>\d+): (?:warning: |警告：)?(?P<message>.*)$", re.DOTALL)
WARNING_MARK = re.compile(r": (?:warning: |警告：)")


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
    docs = catalogue(site.options.user_dirs)
    try:
        campaign = pipeline.load_campaign(path, text)
    except DocgenError as exc:
        where = exc.where
        line = where.line if where and Path(where.file) == path else None
        error = {"line": line, "message": site.shown(exc.message), "text": site.shown(str(exc)),
                 "path": formschema.error_path(exc.message),  # the form shows it at this field
                 "sheet": where.sheet if where else None, "cell": where.cell if where else None}
        return {"ok": False, "error": error, "warnings": [], "documents": [document_entry(d, None, site) for d in docs]}
    entries = []
    for doc in docs:
        entry = document_entry(doc, campaign, site)
        try:
            pipeline.check_template(campaign, doc.template, site.options.user_dirs)
        except DocgenError as exc:
            entry["problem"] = site.shown(str(exc))
        entries.append(entry)
    model = campaign.model
    summary = _("{organization} · {campaign} · {phases} phases · {branches} branches").format(
        organization=model.organization.name, campaign=model.campaign.name, phases=len(model.campaign.phases),
        branches=len(model.branches))
    return {"ok": True, "error": None, "summary": summary, "documents": entries,
            "warnings": [_issue(site, path, w) for w in campaign.warnings]}


def document_entry(doc: Doc, campaign, site: Site) -> dict[str, Any]:
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
