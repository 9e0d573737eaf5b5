"""Jinja's whitespace control in Word's terms: line breaks and paragraph marks beside block tags.

A Markdown template loses a line holding only ``{% … %}`` with its newline (``trim_blocks``), and
``{%-``/``-%}`` trim the whitespace beside a tag, newlines included. A Word paragraph's lines end in
line breaks (``w:br``, Shift+Enter) and the paragraph in its mark, so before the tags are placed:

- a paragraph holding only ``{% %}``/``{# #}`` tags is left to ``compile``, which removes it with
  its tags, with or without ``-``; its neighbours stay apart (its own mark was the one beside them);
- in a paragraph with other text, a line holding only such tags disappears with the line break
  that ends it (the paragraph's last line has none: put the loop's break at its start, see the docs);
- ``{%-`` (and ``{{-``, ``{#-``) removes the spaces, tabs and line breaks before the tag within its
  paragraph; when only those stood before it, the paragraph mark before it goes too and the
  paragraph joins the one before (blank paragraphs between are eaten, as Jinja eats blank lines);
  ``-%}`` does the same after the tag, joining the next paragraph to this one. The joined
  paragraph keeps the first one's properties. Paragraphs join only with a paragraph beside them
  in the same body, cell or text box, never across a table, a section break or a paragraph of
  tags only; a page or column break is never trimmed.

Jinja's own ``-`` would trim nothing useful here (a tag's neighbours are XML, and ``compile`` puts
a comment before each tag), so this is the only whitespace control. Joined paragraphs keep the
names Word shows: ``origins`` says where each joined piece starts, for the messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from docgen.wordtemplate import bookmarks
from docgen.wordtemplate.ooxml import w
from docgen.wordtemplate.scan import LEVEL_HINT, find_tags, paragraph_atoms, repair

_SPACES = {" ", "\t", "\n", "\u3000", "\u00a0"}


@dataclass
class _Para:
    element: etree._Element
    text: str
    atoms: list
    tags: list[tuple[int, int, str]]  # start, end, as Jinja reads it
    trimmable: list[bool]  # a space, tab or line break (not a page break) at each offset
    protected: list[bool]  # inside a tag
    deleted: set[int] = field(default_factory=set)
    structural: bool = False  # only {% %}/{# #} tags: compile removes it
    removed: bool = False  # a blank paragraph a `-` ate

    def blank(self) -> bool:
        return not self.tags and all(self.trimmable[i] or i in self.deleted for i in range(len(self.text)))


@dataclass
class Plan:
    """What ``-`` and the lines of tags only change in a part: decided on the tree as it is, then applied."""

    paras: dict[etree._Element, _Para]
    joins: set[etree._Element]  # paragraphs that join the one before them

    def __bool__(self) -> bool:
        return bool(self.joins) or any(p.deleted or p.removed for p in self.paras.values())

    def apply(self, root: etree._Element) -> dict[etree._Element, list[tuple[int, etree._Element]]]:
        """Trim and join in place; for each paragraph that took others in, (offset in its text, the
        paragraph as it was) for every piece after the first: how ``scan`` names a spot in it."""
        for para in self.paras.values():
            _delete(para)
        for para in self.paras.values():
            if para.removed:  # an eaten blank paragraph: its bookmarks (Word's _GoBack …) stay where it was
                bookmarks.move_out(para.element, True, 0)
                _remove(para.element)
        origins: dict[etree._Element, list[tuple[int, etree._Element]]] = {}
        host: dict[etree._Element, etree._Element] = {}
        for element in [p for p in root.iter(w("p")) if p in self.joins]:  # document order
            before = element.getprevious()
            target = host.get(before, before)
            offset = len(paragraph_atoms(target)[0])
            for child in [c for c in element if c.tag != w("pPr")]:
                target.append(child)
            _remove(element)
            host[element] = target
            origins.setdefault(target, []).append((offset, element))
        return origins


def plan(root: etree._Element) -> Plan:
    """Which characters, line breaks and paragraph marks a part's tags trim (nothing changed yet)."""
    paras = {p: _read(p) for p in root.iter(w("p")) if _worth_reading(p)}
    joins: set[etree._Element] = set()
    for para in list(paras.values()):
        if para.structural:
            continue
        _trim_lines(para)
        for start, end, source in para.tags:
            if source[2] == "-" and _trim(para, start - 1, -1) and _neighbour(para, paras, -1) is not None:
                joins.add(para.element)
            if source[-3] == "-" and _trim(para, end, 1):
                following = _neighbour(para, paras, 1)
                if following is not None:
                    joins.add(following.element)
    return Plan(paras, joins)


def _worth_reading(p: etree._Element) -> bool:
    """A paragraph with a tag's opening in its text (the cheap test: most paragraphs have none)."""
    return any(t.text and ("{" in t.text or "｛" in t.text) for t in p.iter(w("t")))


def _read(p: etree._Element) -> _Para:
    text, atoms, objects = paragraph_atoms(p)
    spans, _unclosed = find_tags(text)
    tags = []
    hinted = False
    for start, end in spans:
        source, _notes = repair(text[start:end])
        level = LEVEL_HINT.match(source)
        hinted |= bool(level and level.group(1) != "r")
        tags.append((start, end, source))
    protected = [False] * len(text)
    for start, end, _source in tags:
        protected[start:end] = [True] * (end - start)
    trimmable = [False] * len(text)
    for atom in atoms:
        for offset in range(atom.start, atom.end):
            char = text[offset]
            if atom.kind == "char" and atom.element.get(w("type")) in ("page", "column"):
                continue
            trimmable[offset] = char in _SPACES
    para = _Para(p, text, atoms, tags, trimmable, protected)
    rest = "".join(" " if protected[i] else c for i, c in enumerate(text))
    para.structural = hinted or (bool(tags) and not objects and all(s[:2] != "{{" for *_, s in tags)
                                 and rest.strip() == "")
    return para


def _trim_lines(para: _Para) -> None:
    """A line of tags only (in a paragraph of several lines) goes with the line break that ends it."""
    breaks = [a.start for a in para.atoms if a.kind == "char" and para.text[a.start] == "\n"
              and para.trimmable[a.start]]
    if not breaks:
        return
    start = 0
    for end in [*breaks, len(para.text)]:
        line = range(start, end)
        tags = [t for t in para.tags if start <= t[0] < end]
        if (tags and all(t[2][:2] != "{{" for t in tags)
                and all(para.protected[i] or para.trimmable[i] for i in line)):
            para.deleted.update(i for i in line if not para.protected[i])
            if end < len(para.text):
                para.deleted.add(end)
        start = end + 1


def _trim(para: _Para, position: int, step: int) -> bool:
    """Mark the whitespace from ``position`` on (backwards when ``step`` is -1); whether it reached the
    paragraph's edge."""
    while 0 <= position < len(para.text):
        if para.protected[position] or not (para.trimmable[position] or position in para.deleted):
            return False
        para.deleted.add(position)
        position += step
    return True


def _neighbour(para: _Para, paras: dict[etree._Element, _Para], step: int) -> _Para | None:
    """The paragraph a `-` at ``para``'s edge joins (blank ones between eaten), its edge trimmed; or None."""
    own = para.element.find(f"{w('pPr')}/{w('sectPr')}")
    element = para.element
    while True:
        element = element.getprevious() if step < 0 else element.getnext()
        if element is None or element.tag != w("p"):
            return None
        other = paras.get(element) or _read(element)
        paras.setdefault(element, other)
        section = other.element.find(f"{w('pPr')}/{w('sectPr')}")
        if other.structural or other.removed or (section if step < 0 else own) is not None:
            return None
        if other.blank() and not paragraph_atoms(element)[2]:
            if step > 0 and section is not None:
                return None
            other.removed = True  # an empty paragraph between: eaten
            continue
        _trim(other, len(other.text) - 1 if step < 0 else 0, step)
        return other


def _delete(para: _Para) -> None:
    """Remove the marked characters: from a ``w:t`` its text, a tab or break element whole."""
    if not para.deleted or para.removed:
        return
    for atom in para.atoms:
        gone = [i for i in range(atom.start, atom.end) if i in para.deleted]
        if not gone:
            continue
        if atom.kind != "t":
            _remove(atom.element)
            continue
        kept = "".join(para.text[i] for i in range(atom.start, atom.end) if i not in para.deleted)
        if kept:
            atom.element.text = kept
            continue
        run = atom.element.getparent()
        _remove(atom.element)
        if run is not None and run.tag == w("r") and all(child.tag == w("rPr") for child in run):
            _remove(run)


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
