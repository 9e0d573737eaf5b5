"""The YAML source: safe loading that remembers the line of every value.

PyYAML's safe loader builds the values — libyaml's C parser when PyYAML has it (about 3× faster on a
county's data than the pure-Python one, and it keeps the same node marks), else the pure-Python one.
We walk the node tree beside it to keep each value's line (for messages), to refuse duplicate keys
(YAML silently keeps the last one), and to bound what aliases add: a "billion laughs" file must fail
fast, while an honest file of any size up to MAX_BYTES loads, in memory proportional to the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from docgen.errors import DocgenError, SourceSpot
from docgen.i18n import _, os_reason
from docgen.sources.base import LoadedData, Path_
from docgen.sources.yaml_problems import problem_text

# Values aliases may add beyond the file's own: a million, or four times the file's own values. A tool
# that writes shared lists once (PyYAML's dumper: &id001 … *id001) adds about as many as the file
# holds; a "billion laughs" adds millions from a few dozen and stops here within a second.
ALIAS_ALLOWANCE = 1_000_000
ALIAS_FACTOR = 4
MAX_BYTES = 20 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 controls but tab and line breaks


class _CampaignLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader, leaving dates as text: the schema parses them, so `2010-02-30` gets a line."""

    def resolve(self, kind, value, implicit):
        """A plain scalar starting with a Chinese character is text: no implicit type starts so (the
        resolver would try its patterns for every one of a county's names)."""
        if kind is yaml.ScalarNode and implicit[0] and value and value[0] > "\u2000":
            return "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)


_CampaignLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path) -> str:
    """Read UTF-8 (a BOM is fine); anything else is refused with the offending line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocgenError(_("cannot read: {strerror}").format(strerror=os_reason(exc)), str(path)) from None
    if len(raw) > MAX_BYTES:
        raise DocgenError(_("file is {raw_count} MiB; campaign data is limited to 20 MiB").format(
            raw_count=len(raw) // 1_048_576), str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DocgenError(
            _("not UTF-8 text (GBK/GB18030?); save the file as UTF-8 and try again"), SourceSpot(str(path), line)
        ) from None


def _bounded(text: str, path: Path) -> str:
    if len(text.encode("utf-8", errors="surrogatepass")) > MAX_BYTES:
        raise DocgenError(_("text is over {MAX_BYTES} MiB; campaign data is limited to 20 MiB").format(
            MAX_BYTES=MAX_BYTES // 1_048_576), str(path))
    return text.removeprefix("\ufeff")


def load(file: Path, text: str | None = None) -> LoadedData:
    """Parse a campaign file into plain values with positions; raise DocgenError on anything odd.

    ``text`` is the file's content as an editor holds it, not yet saved (`docgen serve`): it is read
    instead of the file, under the same bounds, and messages still name the file and its lines.
    """
    text = read_text(file) if text is None else _bounded(text, file)
    name = str(file)
    control = _CONTROL.search(text)
    if control:
        number = text.count("\n", 0, control.start()) + 1
        raise DocgenError(_("control character U+{group:04X} in the text; remove it").format(
            group=ord(control.group())),
                          SourceSpot(name, number))
    loader = _CampaignLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DocgenError(_("the file is empty; a campaign is a mapping such as `organization: …`"), name)
        lines: dict[Path_, int] = {}
        _walk(node, (), lines, name, _Budget())
        values = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        if "nesting depth" in problem:  # libyaml's own limit on nesting
            too_deep = _("values nested too deeply (thousands of levels); refused")
            raise DocgenError(too_deep, SourceSpot(name, line)) from None
        rows = text.splitlines()
        bad_line = rows[mark.line][: mark.column + 1] if mark and mark.line < len(rows) else ""
        tab = "\\t" in problem or "\t" in problem or "\t" in bad_line
        hint = _(" (indent with spaces, not tabs)") if tab else ""
        raise DocgenError(_("YAML syntax: {problem}{hint}").format(
            problem=problem_text(problem), hint=hint), SourceSpot(name, line)) from None
    except yaml.YAMLError as exc:
        raise DocgenError(_("YAML: {exc}").format(exc=exc), name) from None
    except RecursionError:
        raise DocgenError(_("values nested too deeply (thousands of levels); refused"), name) from None
    finally:
        loader.dispose()
    if not isinstance(values, dict):
        kind = type(values).__name__
        raise DocgenError(_("the top level must be a mapping (key: value), not a {kind}").format(
            kind=kind), SourceSpot(name, 1))
    loaded = LoadedData(values=values, file=name, lines=lines)
    if "\\" in text:  # only a YAML escape ("\b", "\x07") brings a control character past the text check
        _refuse_unprintable(values, (), loaded)
    return loaded


# Characters no document format can carry: C0/C1 controls other than tab and line breaks (which a
# value may hold and which print as spaces), and the XML non-characters. YAML escapes such as "\b"
# get them past the raw-text check above.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def _refuse_unprintable(value: Any, path: Path_, loaded: LoadedData) -> None:
    if isinstance(value, str):
        bad = _UNPRINTABLE.search(value)
        if bad:
            raise DocgenError(
                _("control character U+{group:04X} in a value; remove it").format(
                    group=ord(bad.group())), loaded.spot(path)
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unprintable(key, path, loaded)
            _refuse_unprintable(item, (*path, key), loaded)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_unprintable(item, (*path, index), loaded)


class _Budget:
    """Counts the nodes a walk visits: the file's own once, and again each time an alias repeats one."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.visits = 0

    def visit(self, node: yaml.Node, file: str) -> None:
        self.visits += 1
        self.seen.add(id(node))
        added = self.visits - len(self.seen)
        if added > max(ALIAS_ALLOWANCE, ALIAS_FACTOR * len(self.seen)):
            raise DocgenError(
                _("aliases repeat more than {added} values (an alias bomb?); refused").format(added=added),
                SourceSpot(file, node.start_mark.line + 1),
            )


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str, budget: _Budget) -> None:
    budget.visit(node, file)
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise DocgenError(
                    _("duplicate key '{key}' (first at line {seen}); YAML would silently keep only the last").format(
                        key=key, seen=seen[key]),
                    SourceSpot(file, line),
                )
            seen[key] = line
            child = (*path, key)
            lines[child] = line
            _walk(value_node, child, lines, file, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, file, budget)
