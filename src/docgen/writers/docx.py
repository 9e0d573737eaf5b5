"""Document model → DOCX with python-docx: named styles, GB/T 9704 page, `— N —` page numbers.

The styles are written from the style profile, replacing python-docx's template styles (which use
theme fonts WPS warns about). The page grid is the one that holds 22 × 28 in Word and LibreOffice
alike: a lines-only grid (pitch 579) and body text condensed by 0.25 pt, never Word's usual
``linesAndChars`` grid, which LibreOffice reads as two cells per character.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import zipfile

import docx
from docx.enum.section import WD_SECTION
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

from docgen.fonts import ROLES
from docgen.model import (
    Addressee,
    AttachmentNote,
    Closing,
    Document,
    Heading,
    ListBlock,
    Note,
    Paragraph,
    Salutation,
    Signature,
    Span,
    Table,
)
from docgen.style import TWIPS_PER_PT, StyleProfile, TextStyle, mm_to_twips
from docgen.writers import docx_official as official

EAST_ASIAN_AMBIGUOUS = re.compile("[“”‘’—…·]")  # Word sets these in the Latin font without a hint
ALIGN = {"justify": "both", "center": "center", "left": "left", "right": "right"}

# style id → (name shown in Word, profile element, kind, extra paragraph properties)
PARAGRAPH_STYLES = {
    "Normal": ("Normal", "body", ""),
    "DocTitle": ("公文标题", "title", "title"),
    "Speaker": ("讲话人", "speaker", "speaker"),
    "SpeechDate": ("讲话日期", "speaker", "date"),
    "Salutation": ("称呼", "salutation", ""),
    "Heading1": ("heading 1", "heading1", "heading"),
    "Heading2": ("heading 2", "heading2", "heading"),
    "Heading3": ("heading 3", "heading3", "heading"),
    "Heading4": ("heading 4", "heading4", "heading"),
    "Closing": ("结束语", "closing", ""),
    "Footer": ("footer", "page_number", "footer"),
    "Addressee": ("主送机关", "addressee", ""),
    "Signature": ("署名", "signature", "signature"),
    "Masthead": ("发文机关标志", "masthead", "masthead"),
    "MastheadMeta": ("份号密级紧急程度", "masthead_meta", ""),
    "DocNumber": ("发文字号", "doc_number", "docnumber"),
    "AttachmentLabel": ("附件标签", "attachment_label", ""),
    "Imprint": ("版记", "imprint", "table"),
    "TableHeader": ("表头", "table_header", "table"),
    "TableText": ("表格文字", "table_text", "table"),
}
RUN_IN_STYLES = {2: "Heading2Char", 3: "Heading3Char", 4: "Heading4Char"}


def _rpr(style: TextStyle, profile: StyleProfile, office_fonts: dict[str, str], red: bool = False) -> str:
    font = office_fonts.get(style.role, ROLES[style.role].office_name)
    half_points = round(style.size_pt * 2)
    condense = ""
    if style.size_pt == profile.body_size_pt and style.role != "song":
        condense = f'<w:spacing w:val="{profile.docx_condense_twips}"/>'
    return (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
        + ("<w:b/><w:bCs/>" if style.bold else "")
        + (f'<w:color w:val="{profile.red}"/>' if red else "")
        + condense
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )


def _ppr(style: TextStyle, kind: str, level: int, profile: StyleProfile) -> str:
    pitch = profile.docx_line_pitch_twips
    parts = []
    if kind in ("heading", "signature"):
        parts.append("<w:keepNext/>")  # a heading stays with its text; 署名 with 成文日期
    parts.append('<w:widowControl w:val="0"/>')  # full pages hold 22 lines, as the standard counts them
    if kind in ("title", "footer", "table", "masthead", "docnumber"):
        parts.append('<w:snapToGrid w:val="0"/>')
    if kind == "title":
        parts.append(f'<w:spacing w:after="{pitch}" w:line="{pitch}" w:lineRule="exact"/>')
    elif kind == "date":
        parts.append(f'<w:spacing w:after="{pitch}" w:line="240" w:lineRule="auto"/>')
    elif kind == "masthead":
        line = round(style.size_pt * TWIPS_PER_PT)
        parts.append(f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>')
    elif kind == "docnumber":
        parts.append(f'<w:spacing w:before="0" w:after="0" w:line="{pitch}" w:lineRule="exact"/>')
    elif kind == "table":
        line = round(style.size_pt * 1.45 * TWIPS_PER_PT)
        parts.append(f'<w:spacing w:before="40" w:after="40" w:line="{line}" w:lineRule="exact"/>')
    elif kind == "footer":
        line = round(style.size_pt * TWIPS_PER_PT)
        parts.append(f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>')
    else:
        parts.append('<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    if style.indent_chars:
        chars = round(style.indent_chars * 100)
        twips = round(style.indent_chars * profile.body_size_pt * TWIPS_PER_PT)
        parts.append(f'<w:ind w:firstLineChars="{chars}" w:firstLine="{twips}"/>')
    else:
        parts.append('<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    parts.append(f'<w:jc w:val="{ALIGN[style.align]}"/>')
    if kind == "heading":
        parts.append(f'<w:outlineLvl w:val="{level - 1}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def _styles_xml(profile: StyleProfile, office_fonts: dict[str, str]) -> str:
    body = profile.element("body")
    out = [
        f"<w:styles {nsdecls('w')}>",
        "<w:docDefaults><w:rPrDefault>",
        _rpr(body, profile, office_fonts).replace("<w:rPr>", "<w:rPr>", 1).replace(
            "</w:rPr>", '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
        ),
        "</w:rPrDefault><w:pPrDefault><w:pPr>",
        '<w:kinsoku/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
        "</w:pPr></w:pPrDefault></w:docDefaults>",
    ]
    for style_id, (name, element, kind) in PARAGRAPH_STYLES.items():
        style = profile.element(element)
        level = int(style_id[-1]) if kind == "heading" else 0
        default = ' w:default="1"' if style_id == "Normal" else ""
        based = "" if style_id == "Normal" else '<w:basedOn w:val="Normal"/>'
        nxt = '<w:next w:val="Normal"/>' if kind in ("heading", "title", "speaker", "date") else ""
        out.append(
            f'<w:style w:type="paragraph"{default} w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f"{based}{nxt}<w:qFormat/>{_ppr(style, kind, level, profile)}"
            f"{_rpr(style, profile, office_fonts, red=kind == 'masthead')}"
            "</w:style>"
        )
    out.append(
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    )
    for level, style_id in RUN_IN_STYLES.items():
        style = profile.element(f"heading{level}")
        out.append(
            f'<w:style w:type="character" w:styleId="{style_id}"><w:name w:val="heading {level} run-in"/>'
            f'<w:basedOn w:val="DefaultParagraphFont"/>{_rpr(style, profile, office_fonts)}</w:style>'
        )
    out.append(
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )
    out.append("</w:styles>")
    return "".join(out)


class DocxWriter:
    """Builds DOCX bytes from the model; one per process, styles XML built once."""

    def __init__(self, profile: StyleProfile, office_fonts: dict[str, str] | None = None) -> None:
        self.profile = profile
        self.office_fonts = office_fonts or {}
        self.styles_xml = _styles_xml(profile, self.office_fonts)  # once per writer, not per document
        self._base: tuple[docx.document.Document, object] | None = None

    def write_bytes(self, doc: Document) -> bytes:
        return self.write_many([doc])

    def office_font(self, role: str) -> str:
        return self.office_fonts.get(role, ROLES[role].office_name)

    def write_many(self, docs: list[Document]) -> bytes:
        """One DOCX; each document after the first starts a new section on an odd page, numbered from 1."""
        # Headers (watermark) and extra sections (版记) add parts to the package: those documents get a
        # package of their own instead of the reused one.
        structural = any(doc.imprint or doc.meta.status for doc in docs)
        document = self._new_document() if structural else self._blank()
        status = next((doc.meta.status for doc in docs if doc.meta.status), "")
        if status:
            official.watermark(self, document, status)
        for number, doc in enumerate(docs):
            if number:
                section = document.add_section(WD_SECTION.ODD_PAGE)
                _restart_numbering(section._sectPr)
            self._append(document, doc)
        self._properties(document, docs[0].meta.title if docs else "")
        return _deterministic_zip(document)

    def _new_document(self) -> docx.document.Document:
        document = docx.Document()
        _drop_template_leftovers(document)
        _chinese_line_breaking(document)
        self._install_styles(document)
        self._page_setup(document)
        self._page_numbers(document)
        return document

    def _blank(self) -> docx.document.Document:
        """The writer's one package, emptied: styles, page setup and footers are built once per process.

        Opening python-docx's template and installing the styles cost more than a notice's text;
        each document instead clears the body and restores the section properties.
        """
        if self._base is None:
            document = self._new_document()
            body = document.element.body
            self._base = (document, copy.deepcopy(body.sectPr))
        document, pristine = self._base
        body = document.element.body
        for child in list(body):
            body.remove(child)
        body.append(copy.deepcopy(pristine))
        return document

    def _append(self, document: docx.document.Document, doc: Document) -> None:
        body = document._body
        meta = doc.meta
        if doc.masthead:
            official.masthead(self, body, doc.masthead)
        if meta.title:
            official.title(self, body, meta.title_lines or [meta.title], after_masthead=doc.masthead is not None)
        if meta.speaker:
            self._paragraph(body, "Speaker", [Span(meta.speaker)])
        if meta.date:
            self._paragraph(body, "SpeechDate", [Span(meta.date)])
        self._append_blocks(body, doc.blocks)
        for attachment in doc.attachments:
            official.attachment(self, body, attachment)
        if doc.imprint:
            official.imprint(self, document, doc.imprint)

    def _append_blocks(self, body, blocks: list) -> None:
        for block in blocks:
            if isinstance(block, Salutation):
                self._paragraph(body, "Salutation", [Span(block.text)])
            elif isinstance(block, Closing):
                self._paragraph(body, "Closing", [Span(block.text)])
            elif isinstance(block, Heading):
                self._paragraph(body, f"Heading{block.level}", [Span(block.number), *block.spans])
            elif isinstance(block, Paragraph):
                self._paragraph(body, "Normal", block.spans, lead=block.lead)
            elif isinstance(block, ListBlock):
                for lead, item in zip(block.leads(), block.items, strict=True):
                    self._paragraph(body, "Normal", [Span(lead), *item] if lead else item)
            elif isinstance(block, Addressee):
                self._paragraph(body, "Addressee", [Span(block.text)])
            elif isinstance(block, Signature):
                official.signature(self, body, block)
            elif isinstance(block, Table):
                self._table(body, block)
            elif isinstance(block, AttachmentNote):
                official.attachment_note(self, body, block)
            elif isinstance(block, Note):
                official.note(self, body, block)

    # --- parts ----------------------------------------------------------------------------------
    def _install_styles(self, document: docx.document.Document) -> None:
        styles = document.styles.element
        fresh = parse_xml(self.styles_xml)
        for child in list(styles):
            styles.remove(child)
        for child in list(fresh):
            styles.append(child)

    def _page_setup(self, document: docx.document.Document) -> None:
        p = self.profile
        section = document.sections[0]
        width, height = p.docx_page_twips
        margins = p.docx_margins_twips
        section.page_width, section.page_height = Twips(width), Twips(height)
        section.top_margin, section.bottom_margin = Twips(margins["top"]), Twips(margins["bottom"])
        section.left_margin, section.right_margin = Twips(margins["left"]), Twips(margins["right"])
        number = p.element("page_number")
        # The number's top sits page_number_gap_mm under the type block; Word measures the footer
        # from the paper's bottom edge to the footer's bottom, one exact line lower.
        footer_mm = p.margin_bottom_mm - p.page_number_gap_mm - number.size_pt * 25.4 / 72
        section.footer_distance = Twips(mm_to_twips(footer_mm))
        section.header_distance = Twips(mm_to_twips(15))
        sect = section._sectPr
        for old in sect.findall(qn("w:docGrid")):
            sect.remove(old)
        sect.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{p.docx_line_pitch_twips}"/>'))

    def _paragraph(self, body, style_id: str, spans: list[Span], lead: Heading | None = None):
        paragraph = body.add_paragraph()
        paragraph._p.style = style_id
        if lead is not None:
            run_style = RUN_IN_STYLES.get(lead.level)
            for span in [Span(lead.number), *lead.spans]:
                self._run(paragraph, span, run_style)
        for span in spans:
            self._run(paragraph, span)
        return paragraph

    def _table(self, body, table: Table) -> None:
        """A bordered table; the first row is marked to repeat on every page (w:tblHeader)."""
        columns = len(table.header)
        width_twips = round((self.profile.block_width_mm / 25.4) * 1440)
        weights = table.column_weights(self.profile.block_width_pt / self.profile.element("table_text").size_pt)
        widths = [round(width_twips * w / sum(weights)) for w in weights]
        grid = body.add_table(rows=1 + len(table.rows), cols=columns, width=Twips(width_twips))
        tbl_pr = grid._tbl.tblPr
        tbl_pr.append(parse_xml(
            f'<w:tblBorders {nsdecls("w")}>'
            + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + "</w:tblBorders>"
        ))
        tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
        for column, twips in zip(grid.columns, widths, strict=True):
            column.width = Twips(twips)
        for row_index, (row, cells) in enumerate(zip(grid.rows, [table.header, *table.rows], strict=True)):
            if row_index == 0:
                tr_pr = row._tr.get_or_add_trPr()
                tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
                tr_pr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
            for cell, spans, twips in zip(row.cells, cells, widths, strict=False):
                cell.width = Twips(twips)
                paragraph = cell.paragraphs[0]
                paragraph._p.style = "TableHeader" if row_index == 0 else "TableText"
                for span in spans:
                    self._run(paragraph, span)

    @staticmethod
    def _run(paragraph, span: Span, char_style: str | None = None):
        run = paragraph.add_run(span.text)
        if char_style:
            run._r.style = char_style
        if span.bold:
            run.bold = True
        if span.italic:
            run.italic = True
        if EAST_ASIAN_AMBIGUOUS.search(span.text):
            run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "eastAsia")
        return run

    def _page_numbers(self, document: docx.document.Document) -> None:
        """`— N —` in 4号宋体: odd pages right, even pages left, 1 字 in from the type block's edge."""
        document.settings.odd_and_even_pages_header_footer = True
        section = document.sections[0]
        inset = round(self.profile.element("page_number").size_pt * TWIPS_PER_PT)
        for footer, align, side in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph._p.style = "Footer"
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:ind {nsdecls("w")} w:{side}="{inset}" w:firstLine="0"/>'))
            ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="{align}"/>'))
            self._run(paragraph, Span("— "))
            for xml in (
                '<w:fldChar w:fldCharType="begin"/>',
                '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>',
                "<w:t>1</w:t>",
                '<w:fldChar w:fldCharType="end"/>',
            ):
                paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))
            self._run(paragraph, Span(" —"))

    @staticmethod
    def _properties(document: docx.document.Document, title: str) -> None:
        props = document.core_properties
        stamp = _fixed_datetime()
        props.title = title
        props.author = props.last_modified_by = "docgen"
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        props.comments = ""


_AFTER_PGNUMTYPE = ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
                    "docGrid", "printerSettings")


def _restart_numbering(sect_pr) -> None:
    """Page numbers of this section start at 1; pgNumType goes where the schema orders it."""
    if sect_pr.find(qn("w:pgNumType")) is not None:
        return
    element = parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>')
    follower = next((child for child in sect_pr if child.tag in {qn(f"w:{n}") for n in _AFTER_PGNUMTYPE}), None)
    if follower is None:
        sect_pr.append(element)
    else:
        follower.addprevious(element)


def _fixed_datetime() -> dt.datetime:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))  # 2000-01-01
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)


# Word's zh-CN kinsoku lists: no line ends with the first set, no line starts with the second.
NO_BREAK_AFTER = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"
NO_BREAK_BEFORE = "!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠"


def _chinese_line_breaking(document: docx.document.Document) -> None:
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


def _drop_template_leftovers(document: docx.document.Document) -> None:
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
        self._stamp = max(_fixed_datetime().timetuple()[:6], (1980, 1, 1, 0, 0, 0))

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def _deterministic_zip(document: docx.document.Document) -> bytes:
    """Serialize the package as python-docx's PackageWriter.write does, through _FixedTimeZip."""
    package = document.part.package
    buffer = io.BytesIO()
    writer = _FixedTimeZip(buffer)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return buffer.getvalue()
