"""The DOCX package around the text: section numbering, zh-CN line breaking, python-docx's template
leftovers dropped, and serialization with fixed timestamps (same input, same bytes)."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import docx
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

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


class _FixedTimeZip:
    """A stand-in for python-docx's PhysPkgWriter: same calls, but a fixed timestamp on every entry
    (python-docx stamps the current time, so the same input would not give the same bytes)."""

    def __init__(self, buffer: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self._stamp = max(fixed_datetime().timetuple()[:6], (1980, 1, 1, 0, 0, 0))

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def deterministic_zip(document: docx.document.Document) -> bytes:
    """Serialize the package as python-docx's PackageWriter.write does, through _FixedTimeZip."""
    package = document.part.package
    buffer = io.BytesIO()
    writer = _FixedTimeZip(buffer)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return buffer.getvalue()
