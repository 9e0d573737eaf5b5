"""A template's tracked changes accepted and its comments removed, before anything reads its text.

Offices edit their templates with 修订 (track changes) on and leave 批注 (comments) for each other.
A document made from such a file must carry neither: Word shows a revision left in an output as
one, and LibreOffice prints deletions struck through and insertions underlined in the PDF. So a
template is read as Word's 审阅 → 接受所有修订 and 删除所有批注 leave it:

- inserted content (``w:ins``, ``w:moveTo``) stays, unwrapped; deleted content (``w:del``,
  ``w:moveFrom``) goes; the move ranges' bookmarks go;
- a deleted paragraph mark joins its paragraph to the next one, which keeps its own properties
  (a paragraph's properties are its mark's: the mark that stays is the next one's); a deleted table
  row or cell goes with its content; an inserted one stays;
- a formatting change keeps the new properties: the old ones kept beside them (``w:rPrChange``,
  ``w:pPrChange``, ``w:tblPrChange`` …) go;
- comment ranges and reference runs go, and so do the comments parts and their relationships;
- ``w:trackRevisions`` goes from the settings, so an office's later edits to a document are its own.

Written by hand: python-docx reads inserted text as ordinary runs and skips deleted runs but
leaves both in the file; the track-changes add-ons for it (docx-revisions 0.1) accept run-level
insertions and deletions in the body's paragraphs only — not a deleted paragraph mark, a moved or
deleted row, a header, a text box, a footnote or the comments. Here every part the engine reads
is an lxml tree already; accepting on it is a few rules per element.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from lxml import etree

from docgen.wordtemplate.ooxml import XML_DECLARATION, Package, parse, w

# Any revision or comment mark, in any prefix: a part without one is not parsed again.
_MARKED = re.compile(rb"<(?:\w+:)?(?:ins|del|moveFrom|moveTo|\w+Change|cellIns|cellDel|cellMerge|commentRangeStart"
                     rb"|commentRangeEnd|commentReference|moveFromRange\w+|moveToRange\w+|customXml\w+Range\w+)"
                     rb"[\s/>]")
_INSERTED = {w("ins"), w("moveTo")}
_DELETED = {w("del"), w("moveFrom")}
_CHANGES = {w(t) for t in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblGridChange", "trPrChange",
                           "tcPrChange", "tblPrExChange", "numberingChange")}
_RANGES = {w(t) for t in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
                          "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
                          "customXmlDelRangeEnd", "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd",
                          "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd")}
_COMMENT_MARKS = {w("commentRangeStart"), w("commentRangeEnd")}
_CELL_MARKS = {w("cellIns"), w("cellMerge")}
_COMMENT_RELS = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible")
SETTINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"


@dataclass
class Accepted:
    """What one part held: the paragraphs with a revision or a comment (as they were), and which kinds."""

    paragraphs: list[etree._Element] = field(default_factory=list)
    revisions: bool = False
    comments: bool = False

    def __bool__(self) -> bool:
        return self.revisions or self.comments


def marked(data: bytes) -> bool:
    """Whether a part's bytes may hold a revision or a comment (cheap: no parse)."""
    return _MARKED.search(data) is not None


def accept(root: etree._Element) -> Accepted:
    """Accept every tracked change in a part's tree and remove its comment marks, in place."""
    found = Accepted()
    marks = [e for e in root.iter() if isinstance(e.tag, str) and _is_mark(e)]
    if not marks:
        return found
    found.revisions = any(e.tag not in _COMMENT_MARKS and e.tag != w("commentReference") for e in marks)
    found.comments = any(e.tag in _COMMENT_MARKS or e.tag == w("commentReference") for e in marks)
    found.paragraphs = list(dict.fromkeys(p for p in (_paragraph_of(e) for e in marks) if p is not None))
    joined = []
    for element in marks:
        parent = element.getparent()
        if parent is None:  # already gone with a container
            continue
        tag = element.tag
        if tag in _DELETED and parent.tag == w("rPr"):  # a paragraph's mark deleted: it joins the next
            properties = parent.getparent()
            if properties is not None and properties.tag == w("pPr"):
                joined.append(properties.getparent())
            parent.remove(element)
            if len(parent) == 0:
                _remove(parent)
        elif tag in _DELETED and parent.tag == w("trPr"):  # a deleted row
            _remove(parent.getparent())
        elif tag == w("cellDel"):
            _remove(next((a for a in element.iterancestors() if a.tag == w("tc")), None))
        elif tag in _DELETED:
            parent.remove(element)
        elif tag in _INSERTED and parent.tag in (w("rPr"), w("trPr"), w("numPr")):
            parent.remove(element)
            if len(parent) == 0 and parent.tag != w("numPr"):
                _remove(parent)
        elif tag in _INSERTED:
            _unwrap(element)
        elif tag == w("commentReference"):
            parent.remove(element)
            if parent.tag == w("r") and all(child.tag == w("rPr") for child in parent):
                _remove(parent)
        else:  # property changes, move ranges, comment ranges, cell marks
            parent.remove(element)
    for paragraph in joined:
        if paragraph is not None and paragraph.tag == w("p") and paragraph.getparent() is not None:
            _join_next(paragraph)
    for text in [*root.iter(w("delText"), w("delInstrText"))]:  # outside a deletion: malformed, not text
        _remove(text)
    for table in [*root.iter(w("tbl"))]:
        if table.find(w("tr")) is None:
            _remove(table)
    for row in [*root.iter(w("tr"))]:
        if row.find(w("tc")) is None:
            _remove(row)
    return found


def accept_bytes(data: bytes) -> tuple[bytes, Accepted]:
    """A part that is not a story (styles, numbering): its changes accepted, reserialized."""
    root = parse(data)
    found = accept(root)
    if not found:
        return data, found
    return _serialized(root), found


def drop_comment_parts(package: Package) -> bool:
    """Remove the comments parts (comments.xml and Word's later companions) and the relationships to them."""
    rels_name = package.rels_name(package.main)
    if rels_name not in package.entries:
        return False
    root = parse(package.entries[rels_name])
    folder = posixpath.dirname(package.main)
    dropped = False
    for rel in list(root):
        if rel.get("Type", "").endswith(_COMMENT_RELS) and rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", ""))).lstrip("/")
            package.entries.pop(target, None)
            package.entries.pop(package.rels_name(target), None)
            root.remove(rel)
            dropped = True
    if dropped:
        package.entries[rels_name] = _serialized(root)
    return dropped


def stop_tracking(package: Package) -> bool:
    """Remove ``w:trackRevisions`` from the settings; whether it was on."""
    settings = next((target for kind, target in package.relationships(package.main).values() if kind == SETTINGS_REL),
                    None)
    if settings not in package.entries or b"trackRevisions" not in package.entries[settings]:
        return False
    root = parse(package.entries[settings])
    found = root.findall(w("trackRevisions"))
    for element in found:
        root.remove(element)
    package.entries[settings] = _serialized(root)
    return bool(found)


def _is_mark(element: etree._Element) -> bool:
    tag = element.tag
    return (tag in _INSERTED or tag in _DELETED or tag in _CHANGES or tag in _RANGES or tag in _COMMENT_MARKS
            or tag in _CELL_MARKS or tag in (w("cellDel"), w("commentReference")))


def _paragraph_of(element: etree._Element) -> etree._Element | None:
    """The paragraph a mark is in; for a row's or a table's mark, its first paragraph."""
    for ancestor in element.iterancestors():
        if ancestor.tag == w("p"):
            return ancestor
        if ancestor.tag in (w("tr"), w("tbl"), w("tc")):
            return ancestor.find(f".//{w('p')}")
    return element.find(f".//{w('p')}")


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def _remove(element: etree._Element | None) -> None:
    if element is not None and element.getparent() is not None:
        element.getparent().remove(element)


def _join_next(paragraph: etree._Element) -> None:
    """A paragraph whose mark was deleted: its content moves to the start of the next paragraph."""
    following = paragraph.getnext()
    if following is None or following.tag != w("p"):
        return  # before a table or at a cell's end Word keeps the mark
    properties = following.find(w("pPr"))
    index = 0 if properties is None else following.index(properties) + 1
    for child in reversed([c for c in paragraph if c.tag != w("pPr")]):
        following.insert(index, child)
    paragraph.getparent().remove(paragraph)


def _serialized(root: etree._Element) -> bytes:
    return XML_DECLARATION.encode() + etree.tostring(root, encoding="utf-8")
