"""Write the form's values into the campaign file the way a careful person edits it by hand.

The form sends the whole campaign as JSON; the file must change only where a value changed: its
comments, key order, quoting, blank lines and every other byte stay. Three steps:

1. ``diff``: what changed, walking the old values and the new ones beside the JSON Schema
   (``formschema.resolved``): a scalar set, a key added (at its place in the schema's order, after
   the keys that come before it) or dropped, list items inserted, deleted or edited in place (the
   items matched by content, so editing one phase never touches another). Keys the schema does not
   know and free-form mappings (``extra:``) are never looked at, so never changed. An empty input
   where the file has nothing, or the schema's default where the file has nothing, is no change.
2. Only scalars changed (typing in a field, the common case): each value's characters are replaced
   in the text (libyaml's marks give where), written plain or in the quotes the file used; the
   result is read back and must hold exactly the intended values, else step 3 does it.
3. Anything else (a phase added, a key dropped): ruamel.yaml's round trip — the library
   ``docgen migrate`` uses — edits the parsed document and dumps it. Its dump of an unedited file may
   still differ from the file in places (a long plain scalar folded over lines, an unusual indent),
   so only the lines the edit changed are taken from the dump: the file's own lines are kept wherever
   the dump's lines before and after the edit agree (a three-way merge on lines, anchored at lines
   all three share).

ruamel.yaml reads YAML 1.2 and docgen's loader (PyYAML) 1.1: a text such as ``no``, ``on`` or ``0755``
that 1.1 would read as another type is written quoted, so docgen reads back what the form sent.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml

from docgen.web.formschema import kind, resolved

Path_ = tuple[str | int, ...]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STR = "tag:yaml.org,2002:str"


class Op:
    """One change to the file's values (``what``: set, replace, put, drop, insert, delete)."""

    __slots__ = ("what", "path", "key", "value", "node", "order", "source", "moved")

    def __init__(self, what: str, path: Path_, key: Any = None, value: Any = None, node: dict | None = None,
                 order: list[str] | None = None, source: int | None = None) -> None:
        self.what, self.path, self.key, self.value, self.node, self.order = what, path, key, value, node, order
        self.source = source  # an insert of an item deleted elsewhere in the same list: its old index
        self.moved: Any = None  # that item's own ruamel node (its styles and comments go with it)

    def __repr__(self) -> str:
        return f"Op({self.what}, {self.path}, {self.key!r}, {self.value!r})"


def edit(text: str, new: dict[str, Any], file: str = "campaign.yaml") -> str:
    """The text with the form's values written in; every byte the change does not need kept."""
    old = _plain(text, file)
    ops = diff(old, new)
    if not ops:
        return text
    if all(op.what == "set" for op in ops):
        fast = _in_place(text, old, ops, file)
        if fast is not None:
            return fast
    return _roundtrip(text, ops, file)


# ---- 1. what changed ---------------------------------------------------------------------------------


def diff(old: Any, new: Any, node: dict[str, Any] | None = None, path: Path_ = ()) -> list[Op]:
    """The changes from ``old`` (the file's values) to ``new`` (the form's), in an order that can be
    applied one after another (a list's later items first, so earlier indices stay valid)."""
    ops: list[Op] = []
    _diff(old, new, resolved() if node is None else node, path, ops)
    return ops


def _diff(old: Any, new: Any, node: dict[str, Any] | None, path: Path_, ops: list[Op]) -> None:
    shape = kind(node) if node else "free"
    if shape == "free":
        return
    if old == new:  # also a value of another shape than the schema's, unchanged (`branches: {from: 名册.xlsx}`)
        return
    if shape == "multi":
        if _norm(old) == _norm(new, node):
            return
        option = next((o for o in node["oneOf"] if (kind(o) == "object") == isinstance(new, dict)), None)
        if option is not None and isinstance(old, dict) == isinstance(new, dict):
            _diff(old, new, option, path, ops)
        else:
            ops.append(Op("replace", path, value=_clean(new, option), node=option))
        return
    if shape in ("object", "map"):
        if not isinstance(new, dict) or not isinstance(old, dict):
            if _empty(old) and _empty(new):
                return
            if isinstance(new, dict) or _empty(new):
                ops.append(Op("replace", path, value=_clean(new, node) if not _empty(new) else None, node=node))
            return
        if shape == "object":
            fields = dict(node["properties"])
        else:
            fields = {key: node["additionalProperties"] for key in [*old, *(k for k in new if k not in old)]}
        order = list(fields)
        required = node.get("required", [])
        for key, sub in fields.items():
            if key in old and key in new and _empty(new[key]) and not _empty(old[key]) and key not in required \
                    and kind(sub) != "free":
                ops.append(Op("drop", path, key))  # an optional field emptied in the form: its line goes
            elif key in old and key in new:
                _diff(old[key], new[key], sub, (*path, key), ops)
            elif key in new:
                if _empty(new[key]) or _norm(new[key], sub) == _norm(sub.get("default")) or kind(sub) == "free":
                    continue
                ops.append(Op("put", path, key, _clean(new[key], sub), sub, order))
            elif key in old and not _empty(old[key]) and kind(sub) != "free":
                if shape == "map" or key not in required:
                    ops.append(Op("drop", path, key))
                else:
                    ops.append(Op("replace", (*path, key), value=_empty_like(sub), node=sub))
        return
    if shape == "array":
        item = node.get("items") or {}
        if not isinstance(new, list) or not isinstance(old, list):
            if _empty(old) and _empty(new):
                return
            ops.append(Op("replace", path, value=_clean(new, node), node=node))
            return
        if _norm(old, node) == _norm(new, node):
            return
        before = [_key(v, item) for v in old]
        after = [_key(v, item) for v in new]
        opcodes = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        # an item deleted in one place and inserted in another was moved: the insert takes its node
        deleted: dict[str, list[int]] = {}
        for tag, i1, i2, j1, j2 in opcodes:
            if tag in ("delete", "replace"):
                for k in range(i1 + (min(i2 - i1, j2 - j1) if tag == "replace" else 0), i2):
                    deleted.setdefault(before[k], []).append(k)
        for tag, i1, i2, j1, j2 in reversed(opcodes):
            if tag == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in reversed(range(i1 + pairs, i2)):
                ops.append(Op("delete", path, k))
            for k in reversed(range(j1 + pairs, j2)):
                sources = deleted.get(after[k])
                ops.append(Op("insert", path, i1 + pairs, _clean(new[k], item), item,
                              source=sources.pop(0) if sources else None))
            for k in reversed(range(pairs)):
                _diff(old[i1 + k], new[j1 + k], item, (*path, i1 + k), ops)
        return
    value = _scalar(new, node)
    if _norm(old) == value or (_empty(old) and _empty(value)):
        return
    ops.append(Op("set" if not isinstance(old, dict | list) else "replace", path, value=value, node=node))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _scalar(value: Any, node: dict[str, Any] | None) -> Any:
    """The form's value as the schema types it: an integer field's "46" is 46, a text field's 46 "46"."""
    type_ = (node or {}).get("type")
    if type_ == "integer" and isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    if type_ == "number" and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    if type_ == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _norm(value: Any, node: dict[str, Any] | None = None) -> Any:
    """A value for comparing: empty keys dropped from mappings, scalars typed by the schema."""
    shape = kind(node) if node else None
    if isinstance(value, dict):
        fields = node.get("properties", {}) if shape == "object" else {}
        inner = node.get("additionalProperties") if shape == "map" else None
        return {str(k): _norm(v, fields.get(str(k), inner) if node else None)
                for k, v in value.items() if not _empty(v)}
    if isinstance(value, list):
        return [_norm(v, node.get("items") if shape == "array" else None) for v in value]
    return _scalar(value, node)


def _key(value: Any, node: dict[str, Any]) -> str:
    return json.dumps(_norm(value, node), sort_keys=True, ensure_ascii=False, default=str)


def _clean(value: Any, node: dict[str, Any] | None) -> Any:
    """A new value as it goes into the file: empty fields left out, scalars typed."""
    shape = kind(node) if node else None
    if isinstance(value, dict):
        fields = node.get("properties", {}) if shape == "object" else {}
        inner = node.get("additionalProperties") if shape == "map" else None
        return {k: _clean(v, fields.get(k, inner)) for k, v in value.items() if not _empty(v)}
    if isinstance(value, list):
        return [_clean(v, node.get("items") if shape == "array" else None) for v in value]
    return _scalar(value, node)


def _empty_like(node: dict[str, Any]) -> Any:
    return [] if kind(node) == "array" else ({} if kind(node) in ("object", "map") else "")


# ---- 2. scalars in place --------------------------------------------------------------------------


def _in_place(text: str, old: dict[str, Any], ops: list[Op], file: str) -> str | None:
    """Each changed scalar's characters replaced; None when one is not a one-line plain or quoted scalar."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    spans = []
    for op in ops:
        found = _node_at(root, op.path)
        if found is None:
            return None
        scalar, in_flow = found
        style = (scalar.style or None) if isinstance(scalar, yaml.ScalarNode) else "?"  # libyaml: "" for plain
        if not isinstance(scalar, yaml.ScalarNode) or style not in (None, "'", '"') \
                or scalar.start_mark.line != scalar.end_mark.line:
            return None
        if scalar.start_mark.index == scalar.end_mark.index:  # `key:` with nothing: no characters to replace
            return None
        written = _written(op.value, style, in_flow, op.node)
        if written is None:
            return None
        spans.append((scalar.start_mark.index, scalar.end_mark.index, written))
    spans.sort()
    if any(a[1] > b[0] for a, b in zip(spans, spans[1:], strict=False)):
        return None
    result = text
    for start, end, written in reversed(spans):
        result = result[:start] + written + result[end:]
    expected = json.loads(json.dumps(old))
    for op in ops:
        _put(expected, op.path, op.value)
    try:
        if _norm(_plain(result, file)) != _norm(expected):
            return None
    except Exception:  # anything unexpected: the round trip does it
        return None
    return result


def _node_at(root: yaml.Node | None, path: Path_) -> tuple[yaml.Node, bool] | None:
    node, in_flow = root, False
    for part in path:
        if isinstance(node, yaml.MappingNode):
            in_flow = in_flow or bool(node.flow_style)
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            in_flow = in_flow or bool(node.flow_style)
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node, in_flow


def _written(value: Any, style: str | None, in_flow: bool, node: dict[str, Any] | None) -> str | None:
    """A scalar as YAML text on one line: plain where docgen reads it back as the same value, else
    in the quotes the file used (or single quotes)."""
    if value is None:
        return "~" if style is None else None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if not isinstance(value, str):
        return str(value)
    if (node or {}).get("format") == "date" and _DATE.fullmatch(value) and style is None:
        return value
    chosen = style if style in ("'", '"') else None
    if chosen is None and not in_flow:
        plain = yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_flow_style=False)
        plain = plain.removesuffix("\n...\n").removesuffix("\n")
        if plain and "\n" not in plain:
            return plain
        chosen = "'"
    if chosen is None:  # in a flow collection ([a, b], {k: v}): the emitter's own choice for that context
        flow = yaml.safe_dump([value], allow_unicode=True, width=1 << 30, default_flow_style=True).strip()
        return flow[1:-1] if flow.startswith("[") and flow.endswith("]") and "\n" not in flow else None
    quoted = yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_style=chosen).strip()
    quoted = quoted.removesuffix("\n...").strip()
    return quoted if "\n" not in quoted else None


def _put(values: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        values = values[part]
    values[path[-1]] = value


# ---- 3. the round trip ----------------------------------------------------------------------------


def _roundtrip(text: str, ops: list[Op], file: str) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    rt = _yaml(text)
    document = rt.load(text)
    if document is None:
        document = CommentedMap()
    before = _dump(rt, document)
    for op in ops:  # before anything moves: the nodes of moved items, by their old places
        if op.what == "insert" and op.source is not None:
            op.moved = _container(document, op.path)[op.source]
    for op in ops:
        _apply(document, op, CommentedMap, CommentedSeq)
    after = _tidy(before, _dump(rt, document))
    merged = _merge(text, before, after)
    if merged != after:
        try:
            if _norm(_plain(merged, file)) != _norm(_plain(after, file)):
                return after
        except Exception:
            return after
    return merged


def _yaml(text: str):
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.allow_unicode = True
    mapping, sequence, offset = _indents(text)
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    return rt


def _indents(text: str) -> tuple[int, int, int]:
    """The file's own indents (mapping, sequence, dash offset), as ruamel's ``indent()`` takes them;
    docgen's (2, 4, 2) where the file does not show."""
    mapping = sequence = offset = None
    previous = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if previous is not None and previous[1].rstrip().endswith(":") and indent > previous[0]:
            if stripped.startswith("- ") and offset is None:
                offset = indent - previous[0]
                rest = stripped[2:]
                sequence = offset + 2 + (len(rest) - len(rest.lstrip(" ")))
            elif not stripped.startswith("- ") and mapping is None and not previous[1].lstrip().startswith("- "):
                mapping = indent - previous[0]
        if mapping is not None and offset is not None:
            break
        previous = (indent, line)
    return mapping or 2, sequence or 4, offset if offset is not None else 2


def _dump(rt, document: Any) -> str:
    buffer = io.StringIO()
    rt.dump(document, buffer)
    return buffer.getvalue()


def _container(document: Any, path: Path_) -> Any:
    for part in path:
        document = document[part]
    return document


def _apply(document: Any, op: Op, CommentedMap, CommentedSeq) -> None:  # noqa: N803 — ruamel's classes
    if op.what in ("set", "replace"):
        parent = _container(document, op.path[:-1]) if op.path else None
        if parent is None:
            return
        key = op.path[-1]
        old = parent[key] if (isinstance(parent, dict) and key in parent) or isinstance(parent, list) else None
        parent[key] = _styled(op.value, old, op.node) if op.what == "set" else \
            _made(op.value, op.node, CommentedMap, CommentedSeq)
    elif op.what == "put":
        mapping = _container(document, op.path)
        _unflow(mapping)
        position = _position(list(mapping), op.key, op.order or [])
        value = _made(op.value, op.node, CommentedMap, CommentedSeq)
        if hasattr(mapping, "insert"):
            mapping.insert(position, op.key, value)
        else:
            mapping[op.key] = value
    elif op.what == "drop":
        mapping = _container(document, op.path)
        _keep_comment(mapping, op.key)
        del mapping[op.key]
    elif op.what == "insert":
        sequence = _container(document, op.path)
        _unflow(sequence)
        value = op.moved if op.moved is not None else _made(op.value, op.node, CommentedMap, CommentedSeq)
        sequence.insert(op.key, value)
    elif op.what == "delete":
        sequence = _container(document, op.path)
        del sequence[op.key]


def _unflow(collection: Any) -> None:
    """An empty ``{}`` or ``[]`` that gets its first entry is written as a block, as a person would."""
    if not len(collection) and hasattr(collection, "fa"):
        collection.fa.set_block_style()


def _position(keys: list[Any], key: Any, order: list[str]) -> int:
    """Where a new key goes: after the last key the schema puts before it, else before the first key
    the schema puts after it, else at the end."""
    if key not in order:
        return len(keys)
    at = order.index(key)
    earlier, later = set(order[:at]), set(order[at + 1:])
    after = [i + 1 for i, k in enumerate(keys) if k in earlier]
    if after:
        return max(after)
    return next((i for i, k in enumerate(keys) if k in later), len(keys))


def _keep_comment(mapping: Any, key: Any) -> None:
    """A comment after a dropped key's value belongs to what follows: hand it to the key before."""
    comments = getattr(getattr(mapping, "ca", None), "items", None)
    if not comments or key not in comments:
        return
    entry = comments[key]
    trailing = entry[2] if len(entry) > 2 else None
    keys = list(mapping)
    at = keys.index(key)
    if trailing is None or at == 0:
        return
    before = keys[at - 1]
    slot = comments.setdefault(before, [None, None, None, None])
    if slot[2] is None and not isinstance(mapping[before], dict | list):
        slot[2] = trailing


def _styled(value: Any, old: Any, node: dict[str, Any] | None) -> Any:
    """A new scalar written as the old one was: its quotes, its block style (``|``)."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if not isinstance(value, str):
        return value
    if (node or {}).get("format") == "date" and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return SingleQuotedScalarString(value)  # 2010-02-30: docgen reads the text and says why it is no date
    if "\n" in value and not isinstance(old, DoubleQuotedScalarString):
        return LiteralScalarString(value)  # lines as lines (`|`), as a person writes a paragraph with breaks
    for style in (LiteralScalarString, FoldedScalarString, DoubleQuotedScalarString, SingleQuotedScalarString):
        if isinstance(old, style):
            return style(value)
    if _resolves_elsewhere(value):
        return SingleQuotedScalarString(value)
    return value


def _resolves_elsewhere(value: str) -> bool:
    """Plain, would YAML 1.1 (docgen's loader) read this text as something else (no, on, 0755, 1e3, ~)?"""
    resolver = yaml.resolver.Resolver()
    return resolver.resolve(yaml.ScalarNode, value, (True, False)) not in (_STR, "tag:yaml.org,2002:timestamp")


def _made(value: Any, node: dict[str, Any] | None, CommentedMap, CommentedSeq) -> Any:  # noqa: N803
    """A new value as ruamel nodes: mappings in the schema's order, scalars styled."""
    shape = kind(node) if node else None
    if isinstance(value, dict):
        fields = node.get("properties", {}) if shape == "object" else {}
        inner = node.get("additionalProperties") if shape == "map" else None
        made = CommentedMap()
        for key in [*(k for k in fields if k in value), *(k for k in value if k not in fields)]:
            made[key] = _made(value[key], fields.get(key, inner), CommentedMap, CommentedSeq)
        return made
    if isinstance(value, list):
        made = CommentedSeq()
        for item in value:
            made.append(_made(item, node.get("items") if shape == "array" else None, CommentedMap, CommentedSeq))
        return made
    return _styled(value, None, node)


def _tidy(before: str, after: str) -> str:
    """Comments where a person means them. ruamel keeps a comment line with the value before it, so a
    section's heading comment (``# ---- 会议 ----`` before ``meeting:``) stays above a key added at the end
    of the section before, and goes when that section's last value is deleted. A run of blank lines and
    comments less indented than the lines added or deleted belongs to what follows: a block added goes
    above it, a block deleted leaves it."""
    b, a = before.splitlines(keepends=True), after.splitlines(keepends=True)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, b, a, autojunk=False).get_opcodes():
        if tag == "insert":
            indent = _indent(a[j1:j2])
            at = len(out)
            while at > 0 and _loose(out[at - 1], indent):
                at -= 1
            out[at:at] = a[j1:j2]
        elif tag == "delete":
            indent = _indent(b[i1:i2])
            keep = i2
            while keep > i1 and _loose(b[keep - 1], indent):
                keep -= 1
            if any(line.strip() for line in b[keep:i2]):  # comments, not only blank lines
                out.extend(b[keep:i2])
        else:
            out.extend(a[j1:j2])
    return "".join(out)


def _indent(lines: list[str]) -> int:
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    return len(first) - len(first.lstrip(" "))


def _loose(line: str, indent: int) -> bool:
    """A blank line, or a comment less indented than ``indent``."""
    stripped = line.lstrip(" ")
    return not stripped.strip() or (stripped.startswith("#") and len(line) - len(stripped) < indent)


def _merge(text: str, before: str, after: str) -> str:
    """The file's own lines, but where the edit changed the dump: there the edited dump's lines.

    ``before`` is ruamel's dump of the unedited file, ``after`` of the edited one. Lines that all three
    share (in order) anchor the merge; between two anchors, the file's lines stay if the edit left
    that stretch of the dump as it was, else the edited dump's lines replace them.
    """
    if before == text:
        return after
    t, b, a = (s.splitlines(keepends=True) for s in (text, before, after))
    b_to_t = _matches(b, t)
    b_to_a = _matches(b, a)
    anchors = [(-1, -1, -1)] + [(i, b_to_t[i], b_to_a[i]) for i in range(len(b)) if i in b_to_t and i in b_to_a] \
        + [(len(b), len(t), len(a))]
    out: list[str] = []
    for (pb, pt, pa), (qb, qt, qa) in zip(anchors, anchors[1:], strict=False):
        if qt <= pt or qa <= pa:  # not monotonic: cannot merge safely
            return after
        out.extend(t[pt + 1:qt] if b[pb + 1:qb] == a[pa + 1:qa] else a[pa + 1:qa])
        if qb < len(b):
            out.append(t[qt])
    return "".join(out)


def _matches(x: list[str], y: list[str]) -> dict[int, int]:
    found = {}
    for block in SequenceMatcher(None, x, y, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            found[block.a + k] = block.b + k
    return found


# ---- reading ---------------------------------------------------------------------------------------


def _plain(text: str, file: str) -> dict[str, Any]:
    """The values docgen reads from the text (its own loader: dates stay text, 1.1 types)."""
    from docgen.sources import yaml as source

    values = source.load(Path(file), text).values
    return values if isinstance(values, dict) else {}
