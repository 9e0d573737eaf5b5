"""A produced DOCX checked as Word would open it, beyond "python-docx can read it".

Word repairs (or refuses) a file whose bookmark ids repeat or whose bookmarkStart has no end, and
shows every w:ins/w:del left in a document as a tracked change; a part's children out of schema
order (a w:pPr after a run, a w:tcPr after the cell's paragraph) make it report the file as
corrupt. ``assert_sound`` checks each of those on every part of the package; the Word-template
tests run it on every DOCX they make.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# What a revision or a comment leaves in WordprocessingML: none may reach a document.
REVISION_MARKS = ("ins", "del", "moveFrom", "moveTo", "delText", "delInstrText", "rPrChange", "pPrChange",
                  "sectPrChange", "tblPrChange", "tblGridChange", "trPrChange", "tcPrChange", "tblPrExChange",
                  "numberingChange", "cellIns", "cellDel", "cellMerge", "moveFromRangeStart", "moveFromRangeEnd",
                  "moveToRangeStart", "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
                  "customXmlDelRangeStart", "customXmlDelRangeEnd", "commentRangeStart", "commentRangeEnd",
                  "commentReference")
COMMENT_TYPES = ("comments+xml", "commentsExtended+xml", "commentsIds+xml", "commentsExtensible+xml")

# Schema order (ECMA-376 Part 1) of the children docgen adds to or removes from.
TC_PR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
               "tcPrChange")
FIRST_CHILD = {"p": "pPr", "r": "rPr", "tc": "tcPr", "tbl": "tblPr"}


def assert_sound(data: bytes, name: str = "document") -> None:
    """Every structural rule above, on every XML part; an AssertionError names the part and what is wrong."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    problems: list[str] = []
    bookmark_names: dict[str, str] = {}
    types = etree.fromstring(archive.read("[Content_Types].xml"))
    for override in types.iter(f"{{{CT}}}Override"):
        part = override.get("PartName", "").lstrip("/")
        if part not in names:
            problems.append(f"[Content_Types].xml names {part}, which is not in the package")
        if override.get("ContentType", "").endswith(COMMENT_TYPES):
            problems.append(f"a comments part is left: {part}")
    for entry in sorted(names):
        if not entry.endswith((".xml", ".rels")):
            continue
        root = etree.fromstring(archive.read(entry))
        if entry.endswith(".rels"):
            folder = posixpath.dirname(posixpath.dirname(entry))
            for rel in root.iter(f"{{{PR}}}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(folder, rel.get("Target", ""))).lstrip("/")
                if target not in names:
                    problems.append(f"{entry}: {rel.get('Id')} points at {target}, which is not in the package")
                if "comments" in rel.get("Type", "").rsplit("/", 1)[-1].lower():
                    problems.append(f"{entry}: a relationship to comments is left ({target})")
            continue
        problems += [f"{entry}: {p}" for p in _part_problems(root, bookmark_names, entry)]
    assert not problems, f"{name} is not sound:\n" + "\n".join(problems[:20])


def _part_problems(root: etree._Element, bookmark_names: dict[str, str], entry: str) -> list[str]:
    problems = []
    if root.tag == w("settings") and root.find(w("trackRevisions")) is not None:
        problems.append("w:trackRevisions is still on")
    for mark in REVISION_MARKS:
        found = root.find(f".//{w(mark)}")
        if found is not None:
            problems.append(f"a w:{mark} is left")
    for pi in root.iter(etree.ProcessingInstruction):
        problems.append(f"a processing instruction is left: {pi}")
    opened: dict[str, int] = {}
    closed: set[str] = set()
    for element in root.iter(w("bookmarkStart"), w("bookmarkEnd")):
        ident = element.get(w("id"))
        if element.tag == w("bookmarkStart"):
            label = element.get(w("name"), "")
            if ident in opened or ident in closed:
                problems.append(f"bookmark id {ident} is used twice")
            opened[ident] = 1
            if label in bookmark_names:
                problems.append(f"bookmark name {label!r} is used twice (also in {bookmark_names[label]})")
            bookmark_names[label] = entry
        elif ident in opened:
            del opened[ident]
            closed.add(ident)
        else:
            problems.append(f"bookmarkEnd {ident} has no bookmarkStart before it")
    problems += [f"bookmarkStart {ident} has no bookmarkEnd" for ident in opened]
    seen_para_ids: set[str] = set()
    for element in root.iter(w("p"), w("r"), w("tc"), w("tbl"), w("tr"), w("tcPr"), w("body"), w("hdr"), w("ftr"),
                             w("txbxContent")):
        local = etree.QName(element).localname
        children = [c for c in element if isinstance(c.tag, str)]
        tags = [etree.QName(c).localname for c in children]
        first = FIRST_CHILD.get(local)
        if first and first in tags and tags.index(first) != 0:
            problems.append(f"w:{first} is not the first child of a w:{local}")
        if local == "p":
            if element.find(f".//{w('p')}") is not None and element.find(f".//{w('txbxContent')}") is None:
                problems.append("a paragraph inside a paragraph")
            para_id = element.get(f"{{{W14}}}paraId")
            if para_id:
                if para_id in seen_para_ids:
                    problems.append(f"w14:paraId {para_id} is used twice")
                seen_para_ids.add(para_id)
        if local == "r":
            problems += [f"a w:{t} inside a run" for t in tags if t in ("p", "r", "tbl")]
        if local == "tr":
            if "tc" not in tags and "sdt" not in tags:
                problems.append("a table row without a cell")
            order = [t for t in tags if t in ("tblPrEx", "trPr", "tc")]
            if order != sorted(order, key=("tblPrEx", "trPr", "tc").index):
                problems.append(f"a row's children out of order: {order}")
        if local == "tbl":
            grid = element.find(w("tblGrid"))
            if grid is None or tags.index("tblGrid") != 1:
                problems.append("a table's w:tblGrid is missing or not second")
            else:
                columns = len(grid.findall(w("gridCol")))
                for row in element.findall(w("tr")):
                    span = sum(int(c.find(f"{w('tcPr')}/{w('gridSpan')}").get(w("val")))
                               if c.find(f"{w('tcPr')}/{w('gridSpan')}") is not None else 1
                               for c in row.findall(w("tc")))
                    if span > columns:
                        problems.append(f"a row spans {span} grid columns; the table's grid has {columns}")
        if local == "tcPr":
            known = [t for t in tags if t in TC_PR_ORDER]
            if known != sorted(known, key=TC_PR_ORDER.index):
                problems.append(f"w:tcPr's children out of schema order: {known}")
        if local in ("tc", "hdr", "ftr", "txbxContent"):
            blocks = [t for t in tags if t not in ("tcPr",) and t not in ("bookmarkStart", "bookmarkEnd")]
            if "p" not in tags:
                problems.append(f"a w:{local} without a paragraph")
            elif local == "tc" and blocks and blocks[-1] != "p":
                problems.append(f"a table cell ends with a w:{blocks[-1]}, not a paragraph")
        if local == "body" and "sectPr" in tags and tags[-1] != "sectPr":
            problems.append("the body's w:sectPr is not its last child")
    return problems
