"""The server side of the page's form, roster tables and 新建活动 (static/form.js is the browser's).

Plain functions ``app.py`` runs in a thread: the form and the values of an editor's text
(``form_reply``), the form's values written into that text (``apply``), and a new campaign file from
`docgen init`'s starter with the few facts the page asks (``new_campaign``). The editor's text stays
the one truth: the form is drawn from it, and every change in the form comes back as a new text, which
the page checks and previews exactly as if it had been typed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tempfile
from pathlib import Path
from typing import Any

from docgen.commands.migrate import STARTERS
from docgen.errors import DocgenError
from docgen.files import output
from docgen.i18n import _
from docgen.web import formschema, yamledit

_FILE_NAME = re.compile(r"[^/\\\x00-\x1f:*?\"<>|]{1,120}\.ya?ml")


def _values(path: Path, text: str | None) -> tuple[dict[str, Any], dict]:
    from docgen.sources import yaml as source

    loaded = source.load(path, text)
    values = loaded.values if isinstance(loaded.values, dict) else {}
    return values, loaded.lines


def form_reply(path: Path, text: str | None, shown) -> dict[str, Any]:
    """The form (generated from the schema), the values it shows, what it leaves alone, the roster."""
    from docgen.sources import roster

    try:
        values, lines = _values(path, text)
    except DocgenError as exc:
        where = exc.where
        return {"ok": False, "error": shown(str(exc)), "line": where.line if where else None}
    reply: dict[str, Any] = {"ok": True, "form": formschema.form(values), "data": form_values(values),
                             "kept": formschema.kept(values, lines), "workbook": None}
    if roster.wants_roster(values):
        from docgen.web import rosterbook

        try:
            reply["workbook"] = rosterbook.tables(path, text)
        except DocgenError as exc:
            reply["workbook"] = {"error": shown(str(exc))}
    return reply


def form_values(values: dict[str, Any]) -> dict[str, Any]:
    """The values the form shows: what the schema knows, free-form mappings and unknown keys left out
    (they stay in the file; ``formschema.kept`` lists them)."""
    schema = formschema.resolved()
    shown = {}
    for key, node in schema["properties"].items():
        if key in values:
            value = _known(values[key], node)
            if value is not None:
                shown[key] = value
    return shown


def _known(value: Any, node: dict[str, Any]) -> Any:
    shape = formschema.kind(node)
    if shape == "free":
        return None
    if shape == "object":
        if not isinstance(value, dict):
            return value if not isinstance(value, list) else None
        out = {}
        for key, sub in node["properties"].items():
            if key in value:
                known = _known(value[key], sub)
                if known is not None:
                    out[key] = known
        return out
    if shape == "map":
        if not isinstance(value, dict):
            return None
        return {key: _known(item, node["additionalProperties"]) for key, item in value.items()}
    if shape == "array":
        return [_known(item, node.get("items") or {}) for item in value] if isinstance(value, list) else None
    if shape == "multi":
        if isinstance(value, dict):
            option = next((o for o in node["oneOf"] if formschema.kind(o) == "object"), None)
            return _known(value, option) if option else value
        return value
    return value if not isinstance(value, dict | list) else None


def apply(path: Path, text: str, sent: dict[str, Any]) -> str:
    """The text with the form's values: the sections the page sent replace the file's, through
    ``yamledit`` (only what changed is written; everything else, byte for byte, stays)."""
    values, _lines = _values(path, text)
    known = formschema.resolved()["properties"]
    new = dict(values)
    for key, value in sent.items():
        if key in known:
            new[key] = value
    return yamledit.edit(text, new, str(path))


def starters() -> list[tuple[str, str]]:
    """The examples a campaign can start from, each named by its own data: 党纪学习教育（2024，实施方案）."""
    return _starters()


@functools.cache
def _starters() -> list[tuple[str, str]]:
    from docgen.resources import builtin_dir

    found = []
    for like in STARTERS:
        path = builtin_dir("examples") / like / "campaign.yaml"
        try:
            values, _lines = _values(path, None)
            campaign = values["campaign"]
            genre = campaign.get("genre") or (formschema.at(("campaign", "genre")) or {}).get("default", "")
            found.append((like, f"{campaign['name']}（{str(campaign['period']['start'])[:4]}，{genre}）"))
        except (DocgenError, KeyError, TypeError):
            found.append((like, like))
    return found


def new_campaign(root: Path, name: Any, facts: dict[str, Any], like: Any) -> str:
    """A new campaign file in the served folder, from `docgen init`'s starter, with the organ, the
    campaign's name and its dates set; returns its name. Never overwrites a file."""
    from docgen.commands.migrate import starter

    if not isinstance(name, str) or not _FILE_NAME.fullmatch(name) or name.startswith("."):
        raise DocgenError(_("a file name such as campaign.yaml (no folders)"))
    target = root / name
    if target.exists():
        raise DocgenError(_("{name} already exists; choose another name").format(name=name))
    like = like if like in STARTERS else STARTERS[0]
    organization, campaign = (str(facts.get(k) or "").strip() for k in ("organization", "campaign"))
    if not organization or not campaign:
        raise DocgenError(_("give the issuing organ's full name and the campaign's name"))
    start, end = (_date(facts.get(k)) for k in ("start", "end"))
    if end < start:
        raise DocgenError(_("end {end} is before start {start}").format(end=end, start=start))
    with tempfile.TemporaryDirectory() as folder:
        text = Path(starter(folder, like)).read_text(encoding="utf-8")
    values, _lines = _values(target, text)
    values["organization"]["name"] = organization
    values["campaign"]["name"] = campaign
    values["campaign"]["period"]["start"] = start.isoformat()
    values["campaign"]["period"]["end"] = end.isoformat()
    text = yamledit.edit(text, values, str(target))
    output.write_atomic(target, text.encode("utf-8"))
    return name


def _date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DocgenError(_("a date as 2025-03-25, not {value!r}").format(value=value)) from None
