"""Which records a batch makes documents for: `--each PATH` and `--where EXPR`.

PATH names a list in the campaign, with `[*]` to step through outer lists:
``branches`` (one document per branch) or ``branches[*].members`` (one per member, with the
member's branch beside it). Inside the template each record is reachable by the singular of its
list's name (``branch``, ``member``) and as ``record``, next to the whole campaign.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.template_problems import problem_text

_SEGMENT = re.compile(r"^([A-Za-z_]\w*)(\[\*\])?$")


def singular(name: str) -> str:
    """branches → branch, members → member, categories → category, phases → phase."""
    if name.endswith("ies"):
        return name[:-3] + "y"
    if re.search(r"(ch|sh|x|ss)es$", name):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


@dataclass(frozen=True)
class Record:
    """One selected item: its path in the data and the names the template sees."""

    path: tuple[str | int, ...]
    names: dict[str, Any]  # singular name → item, for the item and each enclosing record

    @property
    def item(self) -> Any:
        return self.names["record"]

    @property
    def label(self) -> str:
        """``branches[3]`` or ``branches[0].members[2]``: how messages name the record."""
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text

    @property
    def title(self) -> str:
        name = getattr(self.item, "name", None)
        return str(name) if name is not None else self.label


def parse_each(path: str) -> list[tuple[str, bool]]:
    """``branches[*].members`` → [("branches", True), ("members", False)]; the last one is iterated."""
    parts = []
    for segment in path.split("."):
        match = _SEGMENT.match(segment.strip())
        if not match:
            raise DocgenError(_("--each {path!r}: '{segment}' is not a name or name[*] (e.g. "
                                "branches[*].members)").format(
                path=path, segment=segment))
        parts.append((match.group(1), bool(match.group(2))))
    return parts


def select(campaign: BaseModel, each: str) -> list[Record]:
    """Every record the path reaches, in document order."""
    parts = parse_each(each)
    return list(_walk(campaign, parts, (), {}, each))


def _walk(node: Any, parts: list[tuple[str, bool]], path: tuple, names: dict, each: str) -> Iterator[Record]:
    (name, star), rest = parts[0], parts[1:]
    value = getattr(node, name, None) if isinstance(node, BaseModel) else None
    if value is None:
        fields = list(type(node).model_fields) if isinstance(node, BaseModel) else []
        where = ".".join(str(p) for p in path) or "the campaign"
        raise DocgenError(_("--each {each!r}: {where} has no list '{name}' (it has: {fields})").format(
            each=each, where=where, name=name, fields=', '.join(fields)))
    if not isinstance(value, list):
        raise DocgenError(_("--each {each!r}: '{name}' is not a list").format(each=each, name=name))
    if rest and not star:
        raise DocgenError(_("--each {each!r}: write '{name}[*]' to go through every item of '{name}'").format(
            each=each, name=name))
    for index, item in enumerate(value):
        here = (*path, name, index)
        scoped = {**names, singular(name): item}
        if rest:
            yield from _walk(item, rest, here, scoped, each)
        else:
            yield Record(path=here, names={**scoped, "record": item})


def where_filter(records: list[Record], where: str | None, environment) -> list[Record]:
    """Filter with a Jinja expression evaluated in the sandbox, e.g. ``branch.category == "农村"``."""
    if not where:
        return records
    try:
        test = environment.compile_expression(where, undefined_to_none=False)
    except Exception as exc:  # jinja2.TemplateSyntaxError, with its own wording
        raise DocgenError(_("--where {where!r}: {exc}").format(where=where, exc=problem_text(str(exc)))) from None
    kept = []
    for record in records:
        try:
            if test(**record.names):
                kept.append(record)
        except Exception as exc:
            raise DocgenError(_("--where {where!r} on {label}: {exc}").format(
                where=where, label=record.label, exc=problem_text(str(exc)))) from None
    return kept
