"""The DOCX package around the text: section numbering, zh-CN line breaking, python-docx's template
leftovers dropped, and serialization with fixed timestamps (same input, same bytes).

Serialization writes the zip itself (``docgen.zipped``) instead of going through python-docx's
PackageWriter and ``zipfile``: the same entries in the same order and the same bytes, but the entries
that never change between a batch's documents are deflated once per process (``PackageCache``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import docx
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.part import Part, XmlPart
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from docgen import zipped

_AFTER_PGNUMTYPE = ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
                    "docGrid", "printerSettings")


def restart_numbering(sect_pr) -> None:
    """Page numbers of this section start at 1; pgNumType goes where the schema orders it."""
    if sect_pr.find(qn("w:pgNumType")) is not None:
        return
    element = parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>')
    follower = next((child for child in sect_pr if child.tag in {qn(f"w:{n}") for n in _AFTER_PGNUMTYPE}), None)
    if follower is None:
        sect_pr.append(element)
    else:
        follower.addprevious(element)


def fixed_datetime() -> dt.datetime:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))  # 2000-01-01
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)


# Word's zh-CN kinsoku lists: no line ends with the first set, no line starts with the second.
NO_BREAK_AFTER = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"
NO_BREAK_BEFORE = "!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠"


def chinese_line_breaking(document: docx.document.Document) -> None:
    """Punctuation compression, the zh-CN line-start/line-end rules, and zh-CN as the East Asian language."""
    settings = document.settings.element
    control = settings.find(qn("w:characterSpacingControl"))
    control.set(qn("w:val"), "compressPunctuation")
    control.addnext(parse_xml(f'<w:noLineBreaksBefore {nsdecls("w")} w:lang="zh-CN" w:val="{NO_BREAK_BEFORE}"/>'))
    control.addnext(parse_xml(f'<w:noLineBreaksAfter {nsdecls("w")} w:lang="zh-CN" w:val="{NO_BREAK_AFTER}"/>'))
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    preview = settings.find(qn("w:savePreviewPicture"))
    if preview is not None:
        settings.remove(preview)


_LEFTOVER_PARTS = ("/stylesWithEffects", "/customXml", "/thumbnail")


def drop_template_leftovers(document: docx.document.Document) -> None:
    """python-docx's template carries a 438 KB stylesWithEffects part (Word 2010's copy of the styles,
    with theme fonts), a bibliography customXml part and a thumbnail of an empty page. None belongs
    in a 公文, and compressing the first was most of a notice's DOCX time."""
    for rels in (document.part.rels, document.part.package.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype.endswith(_LEFTOVER_PARTS):
                del rels[r_id]


# The parts every document writes anew; in the writer's reused package nothing else changes unless the
# package's shape (its parts and relationships) does.
PER_DOCUMENT = frozenset({"word/document.xml", "docProps/core.xml"})
ZIP_MODE = 0o644  # each entry's Unix mode, as python-docx's writer (and docgen's before it) gave them


def _stamp() -> tuple[int, ...]:
    return max(fixed_datetime().timetuple()[:6], (1980, 1, 1, 0, 0, 0))


def _entries(package, parts: list[Part]) -> list[tuple[str, Part | None, Callable[[], bytes]]]:
    """The package's zip entries in python-docx's PackageWriter order: [name, part (None for a .rels or the
    content types), its bytes on demand]."""
    items: list[tuple[str, Part | None, Callable[[], bytes]]] = [
        (CONTENT_TYPES_URI.membername, None, lambda: _ContentTypesItem.from_parts(parts).blob),
        (PACKAGE_URI.rels_uri.membername, None, lambda: package.rels.xml),
    ]
    for part in parts:
        items.append((part.partname.membername, part, lambda part=part: part.blob))
        if len(part.rels):
            items.append((part.partname.rels_uri.membername, None, lambda part=part: part.rels.xml))
    return items


def deterministic_zip(document: docx.document.Document) -> bytes:
    """The package as python-docx's PackageWriter.write would zip it, with a fixed timestamp on every entry
    (python-docx stamps the current time, so the same input would not give the same bytes)."""
    package = document.part.package
    entries = [zipped.ZipEntry.deflate(name, blob()) for name, _part, blob in _entries(package, list(package.parts))]
    return zipped.write_entries(entries, _stamp(), ZIP_MODE)


class PackageCache:
    """The deflated entries of the writer's reused package that no document changes, made once per process.

    A notice rewrites two parts, the body and the core properties; styles, settings, theme, numbering, font
    table, footers, relationships and content types stay as the writer built them, and re-serializing and
    re-deflating them cost more than the notice's own text. They are reused while the package's shape holds:
    its part names, content types and relationships. A document that adds a part (a seal's picture) changes
    the shape and the cache starts again; a binary part (the picture) is kept by its bytes, not its name.
    Only the writer's own package uses it, and only for documents that touch nothing but the body and the
    core properties (the writer builds a fresh package for any other), so one record's text never reaches
    another's file: the per-document parts are always serialized anew.
    """

    def __init__(self) -> None:
        self._shape: tuple | None = None
        self._kept: dict[object, zipped.ZipEntry] = {}

    def zip(self, document: docx.document.Document) -> bytes:
        package = document.part.package
        parts = list(package.parts)
        shape = _shape(package, parts)
        if shape != self._shape:
            self._shape, self._kept = shape, {}
        entries = []
        for name, part, blob in _entries(package, parts):
            if name in PER_DOCUMENT:
                entries.append(zipped.ZipEntry.deflate(name, blob()))
                continue
            key: object = name
            if part is not None and not isinstance(part, XmlPart):
                key = (name, part.blob)  # bytes: a different picture under the same name is another entry
            entry = self._kept.get(key)
            if entry is None:
                entry = self._kept[key] = zipped.ZipEntry.deflate(name, blob())
            entries.append(entry)
        return zipped.write_entries(entries, _stamp(), ZIP_MODE)


def _shape(package, parts: list[Part]) -> tuple:
    """What the package's fixed entries depend on besides their own XML: parts, types and relationships
    (a relationship's target by part name: its written target is that name relative to the source's)."""
    def rels(collection) -> tuple:
        return tuple((r.rId, r.reltype, r.is_external, r.target_ref if r.is_external else str(r.target_part.partname))
                     for r in collection.values())

    return (rels(package.rels), tuple((str(part.partname), part.content_type, rels(part.rels)) for part in parts))
