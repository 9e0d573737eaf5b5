"""The DOCX package around the text: section numbering, zh-CN line breaking, python-docx's template
leftovers dropped, and serialization with fixed timestamps (same input, same bytes).

Serialization writes the zip itself (``docgen.files.zipped``) instead of going through python-docx's
PackageWriter and ``zipfile``: the same entries in the same order and the same bytes, but the entries
that never change between a batch's documents are deflated once per process (``PackageCache``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

import docx
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.part import Part, XmlPart
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from docgen.files import zipped

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


_LEFTOVER_PARTS = ("/stylesWithEffects", "/customXml", "/thumbnail", "/numbering")


def drop_template_leftovers(document: docx.document.Document) -> None:
    """python-docx's template carries a 438 KB stylesWithEffects part (Word 2010's copy of the styles,
    with theme fonts), a bibliography customXml part, a thumbnail of an empty page, a numbering part
    of bullet lists in Symbol (docgen numbers in the text: 一、 1.) and equation settings in Cambria
    Math. None belongs in a 公文, and compressing the first was most of a notice's DOCX time."""
    for rels in (document.part.rels, document.part.package.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype.endswith(_LEFTOVER_PARTS):
                del rels[r_id]
    math = document.settings.element.find(qn("m:mathPr"))  # Cambria Math for equations a 公文 never has
    if math is not None:
        document.settings.element.remove(math)


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


# The font table's description of a Chinese face: GB2312 (charset 86, code page 936 in csb0), the
# Unicode ranges of Basic Latin and the CJK ideographs: what Word and WPS match a missing face by.
_GB2312_SIGNATURE = ('<w:sig w:usb0="00000001" w:usb1="080E0000" w:usb2="00000010" w:usb3="00000000" '
                     'w:csb0="00040000" w:csb1="00000000"/>')


@dataclass(frozen=True)
class Face:
    """A font the document names, as its font table lists it."""

    name: str
    alternate: str
    fixed_pitch: bool = True


def _part(document: docx.document.Document, suffix: str) -> Part:
    return next(part for part in document.part.package.parts if str(part.partname).endswith(suffix))


def font_table(document: docx.document.Document, faces: list[Face]) -> None:
    """The font table lists the faces the document uses, each with GB2312 and an alternate name.

    python-docx's template lists Calibri, Cambria, ＭＳ 明朝 and ＭＳ ゴシック and none of the faces the
    styles name: on a machine without 方正小标宋简体 or 仿宋_GB2312, Word and WPS choose the substitute
    from this table (charset, family, altName), and with no entry they fell back to a Latin or Japanese
    face. Written whole (it is python-docx's blob part, not an XML part it models)."""
    entries = []
    for face in faces:
        family, pitch = ("modern", "fixed") if face.fixed_pitch else ("roman", "variable")
        entries.append(f'<w:font w:name="{escape(face.name)}"><w:altName w:val="{escape(face.alternate)}"/>'
                       f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/>'
                       f"{_GB2312_SIGNATURE}</w:font>")
    xml = (f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<w:fonts {nsdecls('w')}>"
           + "".join(entries) + "</w:fonts>")
    _part(document, "/fontTable.xml")._blob = xml.encode("utf-8")


_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"


def theme_fonts(document: docx.document.Document, major: str, minor: str) -> None:
    """The theme's heading (major) and body (minor) fonts name the title's and the body's Chinese faces.

    python-docx's theme says Calibri and Cambria with empty East Asian faces and a Japanese face for
    Japanese text; docgen's styles name their faces directly, but Word's font menu, a clerk's new
    style and WPS read the theme. Each scheme keeps one face per slot and script Hans: no Japanese face."""
    part = _part(document, "/theme/theme1.xml")
    root = etree.fromstring(part.blob)
    for slot, face in (("majorFont", major), ("minorFont", minor)):
        scheme = root.find(f".//{{{_DRAWING}}}{slot}")
        for child in list(scheme):
            scheme.remove(child)
        for tag, typeface in (("latin", face), ("ea", face), ("cs", "")):
            etree.SubElement(scheme, f"{{{_DRAWING}}}{tag}", typeface=typeface)
        etree.SubElement(scheme, f"{{{_DRAWING}}}font", script="Hans", typeface=face)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
