"""Reading a Word part as a writer sees it: stories, paragraphs, and the tags in their text.

Word keeps a paragraph's text in runs (``w:r``), one per stretch of formatting, and splits them
where it likes: a spelling mark, an edit made on another day (rsid), a bold brace. A tag such as
``{{ meeting.date }}`` can therefore lie across three runs. The scanner reads each paragraph's
text as one string (``Atom``\\ s map it back to the ``w:t`` elements), finds the tags in it, and
names every paragraph the way a writer would: 第3段 of the 正文, 表格2 第2行 第3列, 页眉, 文本框1.

Nothing is changed here; ``compile`` moves the tags (see there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from docgen.errors import SourceSpot
from docgen.i18n import _
from docgen.wordtemplate.ooxml import mc, w, wp

# Elements whose children carry the paragraph's text on (runs, links, fields, content controls, edits).
_DESCEND = {w(t) for t in ("r", "hyperlink", "ins", "smartTag", "sdt", "sdtContent", "customXml", "fldSimple",
                            "dir", "bdo", "moveTo")}
# In-line objects: a picture, a shape or text box, an embedded object, a note reference.
_OBJECTS = {w("drawing"), w("pict"), w("object"), mc("AlternateContent"), w("footnoteReference"),
            w("endnoteReference"), w("sym"), w("ptab")}
_CHARS = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "\u2011", w("softHyphen"): "\u00ad"}
OBJECT_CHAR = "\ufffc"

OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
LEVEL_HINT = re.compile(r"\{%-?(tr|tc|p|r)\s")  # docxtpl's level prefixes: row, cell, paragraph, run
# Chinese input methods type full-width braces; read them as the ASCII ones (a repair, reported).
_FULL_BRACES = str.maketrans({"｛": "{", "｝": "}", "％": "%", "＃": "#"})
_OPEN = re.compile(r"[{｛][{｛%％#＃]")


@dataclass
class Atom:
    """One piece of a paragraph's text: a ``w:t`` (its text), a tab or break, or an object."""

    kind: str  # "t", "char" (tab, break…), "object"
    element: etree._Element
    start: int
    end: int

    @property
    def run(self) -> etree._Element | None:
        parent = self.element.getparent()
        return parent if parent is not None and parent.tag == w("r") else None


@dataclass
class Para:
    """A paragraph with where it is: the story (正文, 页眉, 文本框1…), its number, or its table cell."""

    element: etree._Element
    story: str
    number: int | None  # 第N段 of the story (paragraphs outside tables)
    cell: str | None  # 表格2 第2行 第3列 (第2段 when the cell has more than one)
    text: str
    atoms: list[Atom]
    duplicate: bool = False  # the fallback copy of a text box (mc:Fallback): rendered, not reported twice
    tags: list[Tag] = field(default_factory=list)
    objects: list[etree._Element] = field(default_factory=list)
    origins: list[tuple[int, int | None, str | None]] = field(default_factory=list)  # joined pieces: offset, names

    def named_at(self, offset: int | None) -> tuple[int | None, str | None]:
        """The 第N段 number and cell label of the paragraph Word shows at this offset (a joined one's own)."""
        number, cell = self.number, self.cell
        for start, piece_number, piece_cell in self.origins:
            if offset is not None and offset >= start:
                number, cell = piece_number, piece_cell
        return number, cell

    def spot(self, file: str, start: int | None = None, end: int | None = None) -> SourceSpot:
        excerpt = excerpt_of(self.text, start, end) if start is not None else None
        number, cell = self.named_at(start)
        if cell:
            place = cell if self.story == "正文" else f"{self.story} {cell}"
            return SourceSpot(file, place=place, excerpt=excerpt)
        return SourceSpot(file, paragraph=number, place=self.story, excerpt=excerpt)

    @property
    def label(self) -> str:
        return self.cell or f"第{self.number}段"

    @property
    def where(self) -> str:
        """第3段, 表格1 第2行 第3列, 页眉 第1段: the paragraph named in a list of places."""
        return self.where_at(None)

    def where_at(self, offset: int | None) -> str:
        number, cell = self.named_at(offset)
        label = cell or f"第{number}段"
        return label if self.story == "正文" else f"{self.story} {label}"


@dataclass
class Tag:
    """A Jinja tag as the writer typed it, where it is, and how it was repaired."""

    number: int
    para: Para
    start: int  # offsets in para.text
    end: int
    original: str  # as written in Word
    source: str  # as Jinja reads it (repaired)
    runs: int  # how many runs Word spread it over
    repairs: list[str] = field(default_factory=list)
    level_hint: str | None = None  # "p" / "tr" / "tc": docxtpl's {%p …%}, {%tr …%} and {%tc …%}
    order: tuple[int, int] = (0, 0)  # document order: (element index, offset)
    spot: SourceSpot | None = None

    @property
    def kind(self) -> str:
        return self.source[:2]

    @property
    def body(self) -> str:
        return self.source[2:-2].strip("-+ \t\n")

    @property
    def keyword(self) -> str | None:
        if self.kind != "{%":
            return None
        match = re.match(r"\w+", self.body)
        return match.group(0) if match else ""

    def shown(self, limit: int = 40) -> str:
        text = " ".join(self.original.split())
        return text if len(text) <= limit else text[: limit - 3] + "…" + text[-2:]


def excerpt_of(text: str, start: int | None, end: int | None) -> str:
    """The tag with the words around it, up to a punctuation mark or another tag (at most 8 each side)."""
    if start is None or end is None:
        return text
    left = start
    while left > 0 and start - left < 8 and text[left - 1] not in "，。；：、！？,;:\n\t" + OBJECT_CHAR:
        if text[left - 2: left] in ("}}", "%}", "#}"):
            break
        left -= 1
    right = end
    while right < len(text) and right - end < 8 and text[right] not in "，。；：、！？,;:\n\t" + OBJECT_CHAR:
        if _OPEN.match(text, right):
            break
        right += 1
    return text[left:right].strip()


def paragraph_atoms(p: etree._Element) -> tuple[str, list[Atom], list[etree._Element]]:
    """The paragraph's text, its atoms, and the objects in it (text boxes are read as their own stories)."""
    atoms: list[Atom] = []
    objects: list[etree._Element] = []
    parts: list[str] = []
    position = 0

    def visit(element: etree._Element) -> None:
        nonlocal position
        for child in element:
            tag = child.tag
            if tag == w("t"):
                text = child.text or ""
                atoms.append(Atom("t", child, position, position + len(text)))
                parts.append(text)
                position += len(text)
            elif tag in _CHARS:
                atoms.append(Atom("char", child, position, position + 1))
                parts.append(_CHARS[tag])
                position += 1
            elif tag in _OBJECTS:
                atoms.append(Atom("object", child, position, position + 1))
                objects.append(child)
                parts.append(OBJECT_CHAR)
                position += 1
            elif tag in _DESCEND:
                visit(child)

    visit(p)
    return "".join(parts), atoms, objects


def find_tags(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """(start, end) of every tag in a paragraph's text, and (offset, opener) of tags left open."""
    found: list[tuple[int, int]] = []
    unclosed: list[tuple[int, str]] = []
    position = 0
    while True:
        match = _OPEN.search(text, position)
        if not match:
            break
        start = match.start()
        opener = match.group().translate(_FULL_BRACES)
        closer = OPENERS[opener]
        index = start + 2
        quote = None
        while index < len(text):
            char = text[index]
            if opener != "{#" and quote:
                if char in quote:
                    quote = None
            elif opener != "{#" and char in "\"“”":
                quote = "\"“”"
            elif opener != "{#" and char in "'‘’":
                quote = "'‘’"
            elif text[index: index + 2].translate(_FULL_BRACES) == closer:
                break
            index += 1
        else:
            unclosed.append((start, opener))
            break
        found.append((start, index + 2))
        position = index + 2
    return found, unclosed


_SMART = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "\u3000": " ", "\t": " ",
                        "\n": " ", "\u2011": "-"})


def repair(original: str) -> tuple[str, list[str]]:
    """A tag as Jinja must read it: ASCII braces and quotes, and ASCII punctuation outside strings.

    Word's AutoCorrect makes "书记" into “书记”, and a Chinese input method types （）｜，for ()|,.
    """
    notes = []
    source = original[:2].translate(_FULL_BRACES) + original[2:-2] + original[-2:].translate(_FULL_BRACES)
    if source[:2] != original[:2] or source[-2:] != original[-2:]:
        notes.append(_("full-width braces read as { } % #"))
    if source[:2] == "{#":
        return source, notes
    smart = source.translate(_SMART)
    if any(c in source for c in "“”‘’"):
        notes.append(_("curly quotes read as straight quotes"))
    source = smart
    out = []
    quote = None
    changed = False
    for char in source:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif "\uff01" <= char <= "\uff5e":
            char = chr(ord(char) - 0xFEE0)
            changed = True
        out.append(char)
    if changed:
        notes.append(_("full-width punctuation in the tag read as ASCII"))
    return "".join(out), notes


@dataclass
class Story:
    """The paragraphs of one part, in document order, with the picture placeholders found on the way."""

    part: str
    paras: list[Para] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    unclosed: list[tuple[Para, int, str]] = field(default_factory=list)


Names = dict[etree._Element, tuple[int | None, str | None]]  # a paragraph's 第N段 number and its table-cell label


def walk_paragraphs(root: etree._Element, story: str) -> Iterator[tuple[etree._Element, str, int | None, str | None,
                                                                         bool, str, list[Atom], list]]:
    """Every paragraph of a part in document order: (element, story, 第N段 number, table-cell label,
    whether it is a text box's fallback copy, text, atoms, objects)."""
    boxes = _BoxCounter()
    tables = [0]

    def walk(container: etree._Element, story_name: str, cell: str | None, counter: list[int],
             duplicate: bool) -> Iterator:
        paragraphs_here = [c for c in _block_children(container) if c.tag == w("p")]
        for child in _block_children(container):
            if child.tag == w("p"):
                counter[0] += 1
                label = cell
                if cell and len(paragraphs_here) > 1:
                    label = f"{cell} 第{paragraphs_here.index(child) + 1}段"
                text, atoms, objects = paragraph_atoms(child)
                yield child, story_name, None if cell else counter[0], label, duplicate, text, atoms, objects
                for obj in objects:
                    for box, fallback in _text_boxes(obj):
                        number = boxes.number(box, fallback)
                        yield from walk(box, f"文本框{number}", None, [0], duplicate or fallback)
            elif child.tag == w("tbl"):
                tables[0] += 1
                table = tables[0]
                rows = [row for row in _block_children(child) if row.tag == w("tr")]
                for row_number, row in enumerate(rows, 1):
                    cells = [c for c in _block_children(row) if c.tag == w("tc")]
                    for column, tc in enumerate(cells, 1):
                        yield from walk(tc, story_name, f"表格{table} 第{row_number}行 第{column}列", [0], duplicate)

    if root.tag == w("document"):
        body = root.find(w("body"))
        containers = [(body, story)] if body is not None else []
    elif root.tag in (w("footnotes"), w("endnotes")):
        containers = [(note, f"{story}{note.get(w('id'))}") for note in root
                      if note.get(w("type")) in (None, "normal")]
    else:
        containers = [(root, story)]
    for container, name in containers:
        yield from walk(container, name, None, [0], False)


def paragraph_names(root: etree._Element, story: str) -> Names:
    """Each paragraph's name as Word shows the part now (kept when ``whitespace`` joins paragraphs)."""
    return {element: (number, cell) for element, _s, number, cell, *_rest in walk_paragraphs(root, story)}


def scan_part(root: etree._Element, part: str, story: str, file: str, first_tag: int, names: Names | None = None,
              origins: dict[etree._Element, list[tuple[int, etree._Element]]] | None = None) -> Story:
    """Every paragraph of a part (body, header…), named, with its tags found. ``names``: the paragraphs'
    names before ``whitespace`` joined some; ``origins``: where each joined piece starts in its paragraph."""
    found = Story(part)
    for element, story_name, number, cell, duplicate, text, atoms, objects in walk_paragraphs(root, story):
        if names and element in names:
            number, cell = names[element]
        para = Para(element, story_name, number, cell, text, atoms, duplicate, objects=objects)
        if origins and names and element in origins:
            para.origins = [(offset, *names.get(piece, (None, None))) for offset, piece in origins[element]]
        found.paras.append(para)
    number = first_tag
    order = {element: index for index, element in enumerate(root.iter())}
    for para in found.paras:
        spans, unclosed = find_tags(para.text)
        for start, opener in unclosed:
            found.unclosed.append((para, start, opener))
        for start, end in spans:
            original = para.text[start:end]
            source, notes = repair(original)
            hint = None
            hinted = LEVEL_HINT.match(source)
            if hinted:  # docxtpl's {%tr …%}, {%tc …%}, {%p …%}; its {%r …%} is an ordinary tag in the text
                hint = hinted.group(1) if hinted.group(1) != "r" else None
                source = source[: hinted.start(1)] + " " + source[hinted.end(1):]
                if not hint:
                    notes.append(_("docxtpl's {%r %} read as {% %}: a tag in the text stays in its run"))
            runs = {id(atom.run) for atom in para.atoms
                    if atom.start < end and atom.end > start and atom.run is not None}
            host = next(atom for atom in para.atoms if atom.start <= start < atom.end)
            tag = Tag(number, para, start, end, original, source, len(runs), notes, hint,
                      (order.get(host.element, 0), start))
            tag.spot = para.spot(file, start, end)
            number += 1
            para.tags.append(tag)
            found.tags.append(tag)
    found.tags.sort(key=lambda t: t.order)
    return found


def _block_children(container: etree._Element) -> Iterator[etree._Element]:
    """Children of a body, cell, text box or row, looking through content controls and custom XML."""
    for child in container:
        if child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                yield from _block_children(content)
        else:
            yield child


def _text_boxes(obj: etree._Element) -> Iterator[tuple[etree._Element, bool]]:
    """The text boxes directly in an object (not those nested in its text boxes' paragraphs)."""
    for box in obj.iter(w("txbxContent")):
        nested = False
        fallback = False
        for ancestor in box.iterancestors():
            if ancestor is obj:
                break
            if ancestor.tag == w("txbxContent"):
                nested = True
                break
            if ancestor.tag == mc("Fallback"):
                fallback = True
        if not nested:
            yield box, fallback


class _BoxCounter:
    """Text boxes numbered in order; a box's fallback copy (mc:Fallback) takes the number of its choice."""

    def __init__(self) -> None:
        self.count = 0
        self.by_switch: dict[int, int] = {}

    def number(self, box: etree._Element, fallback: bool) -> int:
        switch = next((a for a in box.iterancestors() if a.tag == mc("AlternateContent")), None)
        key = id(switch) if switch is not None else None
        if key is not None and key in self.by_switch:
            return self.by_switch[key]
        self.count += 1
        if key is not None:
            self.by_switch[key] = self.count
        return self.count


def picture_expression(drawing: etree._Element) -> str | None:
    """The ``{{ … }}`` a picture's alt text (descr, or title) holds, if it is a placeholder."""
    doc_pr = drawing.find(f".//{wp('docPr')}")
    if doc_pr is None:
        return None
    for attribute in ("descr", "title"):
        value = (doc_pr.get(attribute) or "").strip().translate(_FULL_BRACES)
        if value.startswith("{{") and value.endswith("}}"):
            return value
    return None
