"""The campaign form, generated at run time from the JSON Schema `docgen schema` prints.

`docgen serve` shows a campaign as a form (JSON Editor, ``static/vendor/json-editor``) and its
branches and members as tables (Tabulator, ``static/vendor/tabulator``). Nothing here names a field
of the campaign: every section, input, label, choice and column comes from ``schema.json_schema()``,
so a field another change adds to the models shows in the form by itself. This module turns that
schema into what the two libraries take:

- ``$ref`` inlined; ``anyOf [X, null]`` (an optional field) read as X; ``anyOf`` of several shapes
  (a name, or ``{name, post}``) as JSON Editor's ``oneOf`` switch;
- a label per field in the page's language: the schema's Chinese ``title``, else the head of its
  Chinese description, as `docgen validate` names fields (``schema.field_label``); in English
  pydantic's title (``Short Name``); the whole description under the input;
- choices: the schema's ``enum`` or ``examples``, else the list its description gives after a colon
  (``党组织的类别：党委、党工委、党组、党总支、党支部``). A closed list is a select, whose options always
  include the values the file holds (a select never changes a value by itself); a list ending in
  ``…`` (``层级用字：乡、镇、街道、县、区…``) is a text input with those suggestions;
- a text area instead of a line where the description speaks of a paragraph (段) or a value the file
  holds is long;
- what the form does not show: a free-form mapping (``extra:``, an object without properties) and
  keys the schema does not know. They stay in the file untouched (``yamledit`` never writes them)
  and the page lists them with their lines (``kept``).

The top-level ``branches`` list is not a form section: the page shows it as two tables, branches
and members (``roster_columns``), the way an office keeps its roster in Excel.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from docgen import i18n
from docgen.i18n import N_, _

Path_ = tuple[str | int, ...]
ROSTER_KEY = "branches"  # the top-level list shown as tables (its items' `members` as the second table)
LONG_TEXT = 40  # characters: a value longer than this is edited in a text area
_CJK = re.compile(r"[\u3400-\u9fff]")
_LABEL_END = re.compile(r"[，（：,(；]")
_CHOICES = re.compile(r"[：:]\s*([^，。；（()）：:]+)")


# ---- the schema, resolved ---------------------------------------------------------------------------


@functools.cache
def resolved() -> dict[str, Any]:
    """The campaign's JSON Schema with every ``$ref`` inlined and optional fields read as their type."""
    from docgen.schema import json_schema

    schema = json_schema()
    return _resolve(schema, schema.get("$defs", {}))


def _resolve(node: Any, defs: dict[str, Any]) -> Any:
    if not isinstance(node, dict):
        return node
    node = dict(node)
    node.pop("$defs", None)
    node.pop("$schema", None)
    ref = node.pop("$ref", None)
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = _resolve(defs[ref.removeprefix("#/$defs/")], defs)
        node = {**target, **node}  # the property's own description wins over its model's
    options = node.pop("anyOf", None)
    if isinstance(options, list):
        real = [_resolve(o, defs) for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
        if len(real) < len(options):
            node["nullable"] = True
        if len(real) == 1:
            node = {**real[0], **node}
        else:
            node["oneOf"] = real
    for key in ("properties",):
        if isinstance(node.get(key), dict):
            node[key] = {name: _resolve(sub, defs) for name, sub in node[key].items()}
    if isinstance(node.get("items"), dict):
        node["items"] = _resolve(node["items"], defs)
    if isinstance(node.get("additionalProperties"), dict):
        node["additionalProperties"] = _resolve(node["additionalProperties"], defs)
    return node


def kind(node: dict[str, Any]) -> str:
    """object (known properties), map (keys of one known shape: ``documents``), free (any mapping or
    value: ``extra``), array, multi (one of several shapes), or scalar."""
    if "properties" in node:
        return "object"
    if "oneOf" in node:
        return "multi"
    kind_ = node.get("type")
    if kind_ == "object":
        extra = node.get("additionalProperties")
        return "map" if isinstance(extra, dict) and ("properties" in extra or "type" in extra) else "free"
    if kind_ == "array":
        return "array"
    if kind_ in ("string", "integer", "number", "boolean"):
        return "scalar"
    return "free"


def at(path: Path_) -> dict[str, Any] | None:
    """The resolved schema node of a value path (``("campaign", "phases", 0, "name")``), or None."""
    node: dict[str, Any] | None = resolved()
    for part in path:
        if node is None:
            return None
        shape = kind(node)
        if isinstance(part, int):
            node = node.get("items") if shape == "array" else None
        elif shape == "object":
            node = node["properties"].get(part)
        elif shape == "map":
            node = node["additionalProperties"]
        else:
            return None
    return node


# ---- labels, descriptions, choices -----------------------------------------------------------------


def label(node: dict[str, Any], key: str | int) -> str:
    """The field's name in the page's language (Chinese: the title, else the description's head)."""
    title = str(node.get("title") or "")
    english = title if title and not _CJK.search(title) else str(key).replace("_", " ").capitalize()
    if not i18n.is_chinese():
        return english
    if _CJK.search(title):
        return title
    head = _LABEL_END.split(str(node.get("description") or ""), maxsplit=1)[0].strip()
    return head if head and _CJK.search(head) and not head.startswith("如") and len(head) <= 12 else english


def description(node: dict[str, Any]) -> str:
    return str(node.get("description") or "")


def hint(node: dict[str, Any], key: str | int) -> str:
    """The description under an input, less the label it starts with (``发文机关全称，如 …`` → ``如 …``)."""
    text, shown = description(node), label(node, key)
    if text.startswith(shown):
        text = text[len(shown):].lstrip("，,：: ")
    return "" if text in ("", shown) else text


def choices(node: dict[str, Any]) -> tuple[list[str], bool]:
    """(the values, closed?) a field offers: ``enum``, ``examples``, else its description's list."""
    if isinstance(node.get("enum"), list):
        return [str(v) for v in node["enum"] if v is not None], True
    if isinstance(node.get("examples"), list):
        return [str(v) for v in node["examples"] if v is not None], False
    text = description(node)
    at = _colon(text)
    match = _CHOICES.match(text, at) if at is not None else None
    if not match:
        return [], False
    items = [item.strip() for item in match.group(1).split("、")]
    closed = not items[-1].endswith(("…", "..."))
    items = [item.rstrip("…. ") for item in items]
    if len(items) < 2 or not all(0 < len(item) <= 8 and " " not in item for item in items):
        return [], False
    return items, closed


def _colon(text: str) -> int | None:
    """Where the first colon outside brackets is (党组织的类别：党委、党工委…), if any."""
    depth = 0
    for at, char in enumerate(text):
        depth += 1 if char in "（(" else (-1 if char in "）)" else 0)
        if char in "：:" and depth == 0:
            return at
    return None


def _long(node: dict[str, Any], values: list[Any]) -> bool:
    return "一段" in description(node) or any(
        isinstance(v, str) and (len(v) > LONG_TEXT or "\n" in v) for v in values)


# ---- what JSON Editor takes ------------------------------------------------------------------------


class _Builder:
    """One form's JSON Editor schemas, with the datalists of its open choices."""

    def __init__(self) -> None:
        self.datalists: dict[str, list[str]] = {}

    def datalist(self, values: list[str]) -> str:
        for name, known in self.datalists.items():
            if known == values:
                return name
        name = f"docgen-choices-{len(self.datalists) + 1}"
        self.datalists[name] = values
        return name

    def editor(self, node: dict[str, Any], key: str | int, values: list[Any]) -> dict[str, Any] | None:
        """JSON Editor's schema for one field; ``values``: what the data holds there (every instance)."""
        shape = kind(node)
        out: dict[str, Any] = {"title": label(node, key), "description": hint(node, key)}
        if shape == "free":
            return None
        if shape == "object":
            out.update(type="object", properties={}, required=list(node.get("required", [])),
                       options={"disable_properties": True, "disable_edit_json": True})
            for order, (name, sub) in enumerate(node["properties"].items()):
                inner = [v[name] for v in values if isinstance(v, dict) and name in v]
                made = self.editor(sub, name, inner)
                if made is not None:
                    made["propertyOrder"] = order + 1
                    out["properties"][name] = made
            out["defaultProperties"] = list(out["properties"])
            return out
        if shape == "map":
            inner_node = node["additionalProperties"]
            keys = sorted({k for v in values if isinstance(v, dict) for k in v}, key=str)
            out.update(type="object", properties={}, options={"disable_edit_json": True})
            for order, name in enumerate(keys):
                inner = [v[name] for v in values if isinstance(v, dict) and name in v]
                made = self.editor(inner_node, name, inner)
                if made is not None:
                    made["title"] = str(name).replace("<", "‹")  # a key from the data, shown as a heading
                    made["description"] = ""  # the model's docstring (English, for developers)
                    made["propertyOrder"] = order + 1
                    out["properties"][name] = made
            made = self.editor(inner_node, "", [])
            if made is not None:
                out["additionalProperties"] = made
            out["defaultProperties"] = keys
            return out
        if shape == "array":
            item_node = node.get("items") or {"type": "string"}
            inner = [item for v in values if isinstance(v, list) for item in v]
            items = self.editor(item_node, "", inner)
            if items is None:
                return None
            objects = kind(item_node) in ("object", "multi")
            items["title"] = out["title"]
            items["description"] = ""  # a model's docstring (English, for developers), not the field's words
            items["headerTemplate"] = out["title"] + " {{i1}}"
            out.update(type="array", items=items,
                       options={"disable_array_delete_all_rows": True, "disable_array_delete_last_row": True,
                                "disable_collapse": not objects})
            return out
        if shape == "multi":
            options = []
            for option in node["oneOf"]:
                made = self.editor(option, key, values)
                if made is not None:
                    made["description"] = ""
                    if kind(option) == "object":  # {name, post}: 姓名、职务
                        made["title"] = "、".join(p["title"] for p in made["properties"].values())
                    options.append(made)
            out["oneOf"] = options
            return out
        # a scalar
        type_ = node.get("type", "string")
        out["type"] = type_
        if type_ == "string" and node.get("format") == "date":
            out["format"] = "date"
            return out
        if type_ != "string":
            return out
        offered, closed = choices(node)
        held = [str(v) for v in values if isinstance(v, str | int | float) and str(v) not in offered and v != ""]
        if offered and closed:
            listed = offered + sorted(set(held))
            default = node.get("default")  # "" stands for "not written": the default, or nothing
            empty = _("(default: {value})").format(value=default) if default else _("(none)")
            out["enum"], out["options"] = ["", *listed], {"enum_titles": [empty, *listed]}
            return out
        if offered:
            out["options"] = {"inputAttributes": {"list": self.datalist(offered)}}
        if _long(node, values):
            out["format"] = "textarea"
        return out


def form(values: dict[str, Any]) -> dict[str, Any]:
    """The form of a campaign in the page's language: one section per top-level field (but the
    roster), the datalists of open choices, and the roster tables' columns."""
    schema = resolved()
    builder = _Builder()
    sections = []
    for key, node in schema["properties"].items():
        if key == ROSTER_KEY:
            continue
        made = builder.editor(node, key, [values[key]] if key in values else [])
        if made is None:
            continue
        made.update(title=" ", description="")  # the page's section header says them
        made.setdefault("options", {})["disable_collapse"] = True
        sections.append({"key": key, "label": label(node, key), "description": hint(node, key),
                         "required": key in schema.get("required", []), "schema": made})
    return {"sections": sections, "datalists": builder.datalists, "roster": roster_columns(values),
            "words": editor_words()}


# ---- the roster's tables ---------------------------------------------------------------------------


def roster_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The columns of the branches' and the members' tables: each scalar (or list-of-text) field."""
    branches = at((ROSTER_KEY,))
    branch = (branches or {}).get("items") or {}
    member = at((ROSTER_KEY, 0, "members", 0)) or {}
    rows = values.get(ROSTER_KEY) if isinstance(values.get(ROSTER_KEY), list) else []
    members = [m for b in rows if isinstance(b, dict) for m in (b.get("members") or []) if isinstance(m, dict)]
    return {"branch": _columns(branch, [b for b in rows if isinstance(b, dict)]), "member": _columns(member, members),
            "branch_label": label(branches or {}, ROSTER_KEY), "member_label": label(
                at((ROSTER_KEY, 0, "members")) or {}, "members")}


def _columns(node: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    columns = []
    for name, sub in (node.get("properties") or {}).items():
        shape = kind(sub)
        items = sub.get("items") or {}
        if shape == "array" and kind(items) == "scalar":
            type_ = "list"
        elif shape == "scalar":
            type_ = "date" if sub.get("format") == "date" else sub.get("type", "string")
        else:
            continue  # members (its own table), extra (free-form: kept)
        offered, closed = choices(items if type_ == "list" else sub)
        columns.append({"field": name, "title": label(sub, name), "description": description(sub), "type": type_,
                        "required": name in node.get("required", []), "choices": offered, "closed": closed,
                        "long": type_ == "list" or _long(sub, [r.get(name) for r in rows])})
    return columns


# ---- what the form leaves alone --------------------------------------------------------------------


def kept(values: Any, lines: dict[Path_, int]) -> list[dict[str, Any]]:
    """Keys the form does not show — unknown to the schema, or a free-form mapping — with their lines."""
    found: list[dict[str, Any]] = []

    def walk(value: Any, node: dict[str, Any] | None, path: Path_) -> None:
        if node is None:
            found.append(_kept(path, lines, _("not a field docgen knows; kept as written")))
            return
        shape = kind(node)
        if shape == "free":
            if value not in (None, {}, [], ""):
                found.append(_kept(path, lines, _("free-form: the form does not show it; kept as written")))
            return
        if shape == "object" and isinstance(value, dict):
            for key, item in value.items():
                walk(item, node["properties"].get(str(key)), (*path, key))
        elif shape == "map" and isinstance(value, dict):
            for key, item in value.items():
                walk(item, node["additionalProperties"], (*path, key))
        elif shape == "array" and isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, node.get("items"), (*path, index))

    if isinstance(values, dict):
        schema = resolved()
        for key, value in values.items():
            if key == ROSTER_KEY and isinstance(value, dict):
                continue  # branches from a spreadsheet: the roster tab says so
            walk(value, schema["properties"].get(str(key)), (key,))
    return found


def _kept(path: Path_, lines: dict[Path_, int], why: str) -> dict[str, Any]:
    return {"path": dotted(path), "line": lines.get(path), "why": why}


def dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_DOTTED = re.compile(r"^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*)(?:（[^）]*）)?[:：]")


def error_path(message: str) -> list[str | int] | None:
    """The value path a `docgen validate` message starts with (``meeting.date（会议日期）：…``), if any."""
    match = _DOTTED.match(message)
    if not match:
        return None
    path: list[str | int] = []
    for name, index in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", match.group(1)):
        path.append(int(index) if index else name)
    return path if path and at(tuple(path)) is not None else None


# ---- JSON Editor's own words -----------------------------------------------------------------------

_EDITOR_WORDS = {  # the only object with its properties button is the map of documents
    "button_add_row_title": N_("Add {{0}}"),
    "button_delete_row_title": N_("Delete {{0}}"),
    "button_delete_row_title_short": N_("Delete"),
    "button_move_down_title": N_("Move down"),
    "button_move_up_title": N_("Move up"),
    "button_collapse": N_("Collapse"),
    "button_expand": N_("Expand"),
    "button_add": N_("Add"),
    "button_properties": N_("Add"),
    "button_object_properties": N_("Add a document"),
    "button_cancel": N_("Cancel"),
    "button_copy": N_("Copy"),
    "button_save": N_("Save"),
    "default_array_item_title": N_("item"),
}


def editor_words() -> dict[str, str]:
    """JSON Editor's button words, through docgen's catalog."""
    return {key: _(text) for key, text in _EDITOR_WORDS.items()}
