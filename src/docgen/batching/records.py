"""Which records a batch makes documents for: `--each PATH`, `--where EXPR` and `--part K/N`.

PATH names a list in the campaign, with `[*]` to step through outer lists:
``branches`` (one document per branch) or ``branches[*].members`` (one per member, with the
member's branch beside it). Inside the template each record is reachable by the singular of its
list's name (``branch``, ``member``) and as ``record``, next to the whole campaign.

Each record keeps its ``index``: its place (from 1) in the whole list PATH reaches, whatever
`--where` or `--part` leaves out, so a file is numbered alike in every run and `--where` can
pick by it (``index <= 30``). `--part K/N` then takes the K-th of N nearly equal runs of what
`--where` kept: a batch done in parts without counting.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.templating.problems import problem_text

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
    index: int = 0  # its place in the whole list (from 1): file names, `{index}`, `--where 'index …'`

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
    """Every record the path reaches, in document order, each with its index."""
    parts = parse_each(each)
    return [replace(record, index=number) for number, record in enumerate(_walk(campaign, parts, (), {}, each), 1)]


def _walk(node: Any, parts: list[tuple[str, bool]], path: tuple, names: dict, each: str) -> Iterator[Record]:
    (name, star), rest = parts[0], parts[1:]
    value = getattr(node, name, None) if isinstance(node, BaseModel) else None
    if value is None:
        fields = list(type(node).model_fields) if isinstance(node, BaseModel) else []
        lists = [f for f in fields if isinstance(getattr(node, f, None), list)]
        where = ".".join(str(p) for p in path) if path else _("the campaign")
        near = difflib.get_close_matches(name, lists, n=1, cutoff=0.5) or difflib.get_close_matches(
            name, [f for f in lists if f.startswith(name)], n=1, cutoff=0)
        hint = _("; did you mean '{near}'?").format(near=near[0]) if near else ""
        raise DocgenError(_("--each {each!r}: {where} has no list '{name}'{hint} (its lists: {fields})").format(
            each=each, where=where, name=name, hint=hint, fields=', '.join(lists) or "—"))
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
            if test(**record.names, index=record.index):
                kept.append(record)
        except Exception as exc:
            raise DocgenError(_("--where {where!r} on {label}: {exc}").format(
                where=where, label=record.label, exc=problem_text(str(exc)))) from None
    return kept


def parse_part(text: str) -> tuple[int, int]:
    """``2/5`` → (2, 5): the second of five parts."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise DocgenError(_("--part {part!r}: write K/N, the K-th of N parts, with 1 ≤ K ≤ N (e.g. 2/5)").format(
            part=text))
    return int(match.group(1)), int(match.group(2))


def part_of(records: list[Record], part: str | None) -> list[Record]:
    """The K-th of N runs of ``records``, as near in size as they can be (79 in 5: 15, 16, 16, 16, 16)."""
    if not part:
        return records
    number, count = parse_part(part)
    return records[len(records) * (number - 1) // count : len(records) * number // count]
