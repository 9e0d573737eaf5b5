"""Bookmarks through a template: each output's unique, paired, and around the text they marked.

Word repairs (or refuses) a document whose bookmark ids or names repeat, or whose bookmarkStart has
no bookmarkEnd. A template's bookmarks — Word's own ``_GoBack`` where the cursor last was, a 交叉引用
target around a value — meet loops that repeat them, conditions that leave half of them out, and
tags Word split around them. So:

- a paragraph or row of tags only, which ``compile`` removes, leaves its bookmarks where it stood
  (``move_out``): before an opening tag, after a closing one, so a loop does not repeat them;
- a bookmark start or end that Word put inside a tag's text moves to the value's edge
  (``around_value``): the bookmark marks the value (it had become an empty bookmark after it);
- each rendered part keeps the first copy of a bookmark a loop repeated and drops the other copies,
  as Word does when bookmarked text is copied, and drops a half whose other half a condition left
  out (``unique``: a pass over the text, for the parts that have bookmarks).
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from docgen.wordtemplate.ooxml import XML_NS, w

MARKS = (w("bookmarkStart"), w("bookmarkEnd"))
_MARK = re.compile(r'<w:bookmark(Start|End)\b[^>]*?\bw:id="([^"]*)"[^>]*?/>')
_NAME = re.compile(r'\bw:name="([^"]*)"')


def move_out(container: etree._Element, after: bool, placed: int) -> None:
    """The bookmarks inside a paragraph or row about to be removed, put where it stood: after the ``placed``
    tags that replace it when they close blocks, else before them (so a loop does not repeat them)."""
    first = container
    if not after:
        for _tag in range(placed):
            if isinstance(first.getprevious(), etree._ProcessingInstruction):
                first = first.getprevious()
    for mark in [m for m in container.iter(*MARKS)]:
        first.addprevious(mark)


def around_value(text: etree._Element, marker: str, inside: list[etree._Element]) -> None:
    """Bookmark marks that stood inside a tag: starts just before its value, ends just after it.

    ``text`` is the ``w:t`` holding the tag's marker; its run is split so the marker has a run of its own."""
    run = text.getparent()
    if run is None or run.tag != w("r"):
        return
    before, _, after = (text.text or "").partition(marker)
    children = [c for c in run if c.tag != w("rPr")]
    position = children.index(text)
    if before or position > 0:
        head = _empty_like(run)
        head.extend(children[:position])
        if before:
            head.append(_text(before))
        run.addprevious(head)
    if after or position < len(children) - 1:
        tail = _empty_like(run)
        if after:
            tail.append(_text(after))
        tail.extend(children[position + 1:])
        run.addnext(tail)
    text.text = marker
    for mark in inside:
        if mark.tag == w("bookmarkStart"):
            run.addprevious(mark)
    for mark in reversed(inside):
        if mark.tag == w("bookmarkEnd"):
            run.addnext(mark)


def unique(xml: str) -> str:
    """A rendered part with each bookmark once (its first copy) and every start paired with an end."""
    marks = list(_MARK.finditer(xml))
    if not marks:
        return xml
    keep: set[int] = set()
    opened: dict[str, int] = {}
    seen_ids: set[str] = set()
    seen_names: set[str] = set()
    for index, match in enumerate(marks):
        kind, ident = match.group(1), match.group(2)
        if kind == "Start":
            named = _NAME.search(match.group(0))
            name = named.group(1) if named else ""
            if ident in seen_ids or name in seen_names:
                continue
            seen_ids.add(ident)
            seen_names.add(name)
            opened[ident] = index
        elif ident in opened:
            keep.update((opened.pop(ident), index))
    if len(keep) == len(marks):
        return xml
    pieces = []
    position = 0
    for index, match in enumerate(marks):
        if index not in keep:
            pieces.append(xml[position: match.start()])
            position = match.end()
    pieces.append(xml[position:])
    return "".join(pieces)


def _empty_like(run: etree._Element) -> etree._Element:
    clone = etree.Element(run.tag, dict(run.attrib))
    properties = run.find(w("rPr"))
    if properties is not None:
        clone.append(copy.deepcopy(properties))
    return clone


def _text(content: str) -> etree._Element:
    element = etree.Element(w("t"))
    element.text = content
    element.set(f"{{{XML_NS}}}space", "preserve")
    return element
