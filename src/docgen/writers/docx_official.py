"""The DOCX side of a statutory 公文's own parts: 版头, seal, 附件说明, 附注, 附件, 版记, watermark.

Choices, so the file stays editable in Word, WPS and LibreOffice:
- the red header is a paragraph (red 小标宋, exact line height, space before = the 35 mm gap), and
  the red separator line is that paragraph's bottom border under the 发文字号, not a drawn shape:
  a border moves with its text when someone edits the header, a floating line does not;
- the seal is a floating picture behind the text, anchored to the signature's first paragraph;
- the 版记 is a framed pair of paragraphs anchored to the bottom of the type block, in its own
  section that starts on an even page and has no page number (GB/T 9704: 封四, unnumbered);
- a draft's watermark is the VML text shape Word itself writes into the header.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Mm, Twips

from docgen.model import Attachment, AttachmentNote, Imprint, Masthead, Note, Signature, Span
from docgen.style import TWIPS_PER_PT, mm_to_twips, seal_centre_from_right, signature_indents
from docgen.writers import ooxml
from docgen.zh import text_cells

if TYPE_CHECKING:
    from docgen.writers.docx import DocxWriter

EMU_PER_MM = 36000
# Measured in LibreOffice's rendering (FandolSong Bold 36 pt on an exact 36 pt line, FandolFang 16 pt on
# an exact 579-twip line): the glyph top sits 2.4 mm above the line's top, and the line's bottom
# 3 mm below the baseline. The DOCX numbers below correct for both.
MASTHEAD_RAISE_TWIPS = 134
LINE_BOTTOM_BELOW_BASELINE_MM = 3.0


def masthead(writer: DocxWriter, body, m: Masthead) -> None:
    p = writer.profile
    pitch = p.docx_line_pitch_twips
    meta = [text for text in (m.copy_number, m.secrecy, m.urgency) if text]
    for text in meta:
        writer._paragraph(body, "MastheadMeta", [Span(text)])
    gap = mm_to_twips(p.masthead_gap_mm) - len(meta) * pitch + MASTHEAD_RAISE_TWIPS
    size = p.masthead_size_pt
    width_pt = p.block_width_pt
    if len(m.organs) <= 1:
        name = (m.organs[0] if m.organs else "") + m.suffix
        organ = writer._paragraph(body, "Masthead", [Span(name)])
        ooxml.paragraph_property(organ, f'<w:spacing w:before="{max(gap, 0)}"/>')
        scale = min(100, int(width_pt / (text_cells(name) * size) * 100))
        if scale < 100:
            ooxml.run_property(organ.runs[0], f'<w:w w:val="{scale}"/>')
    else:
        _joint_masthead(writer, body, m, max(gap, 0))
    number = writer._paragraph(body, "DocNumber", [])
    ooxml.paragraph_property(number, f'<w:spacing w:before="{2 * pitch}"/>')
    if m.signer:
        inset = round(p.body_size_pt * TWIPS_PER_PT)
        right_tab = round(p.block_width_mm / 25.4 * 1440) - inset
        ooxml.paragraph_property(number, f'<w:tabs><w:tab w:val="right" w:pos="{right_tab}"/></w:tabs>')
        ooxml.paragraph_property(number, f'<w:ind w:left="{inset}" w:right="{inset}" w:firstLine="0"/>')
        ooxml.paragraph_property(number, '<w:jc w:val="left"/>')
        writer._run(number, Span(f"{m.number}\t签发人："))
        name = writer._run(number, Span(m.signer))
        kai = writer.office_font("kai")
        ooxml.run_property(name, f'<w:rFonts w:ascii="{kai}" w:eastAsia="{kai}" w:hAnsi="{kai}"/>')
    else:
        writer._run(number, Span(m.number))
    # The red line: this paragraph's bottom border, 4 mm under the number's baseline.
    space_pt = max(0, round((p.redline_gap_mm - LINE_BOTTOM_BELOW_BASELINE_MM) * 72 / 25.4))
    width = round(p.redline_width_pt * 8)
    ooxml.paragraph_property(
        number,
        f'<w:pBdr><w:bottom w:val="single" w:sz="{width}" w:space="{space_pt}" w:color="{p.red}"/></w:pBdr>',
    )


def _joint_masthead(writer: DocxWriter, body, m: Masthead, gap: int) -> None:
    """Joint issue: the organs stacked, 文件 to their right, centred vertically (a borderless table)."""
    spacer = writer._paragraph(body, "Masthead", [])
    ooxml.paragraph_property(spacer, f'<w:spacing w:before="{gap}" w:line="20" w:lineRule="exact"/>')
    p = writer.profile
    width = round(p.block_width_mm / 25.4 * 1440)
    suffix_width = round(len(m.suffix) * p.masthead_size_pt * TWIPS_PER_PT * 1.2)
    table = body.add_table(rows=1, cols=2, width=Twips(width))
    left, right = table.rows[0].cells
    left.width, right.width = Twips(width - suffix_width), Twips(suffix_width)
    for cell in (left, right):
        cell._tc.get_or_add_tcPr().append(ooxml.element('<w:vAlign w:val="center"/>'))
    for index, organ in enumerate(m.organs):
        paragraph = left.paragraphs[0] if index == 0 else left.add_paragraph()
        paragraph._p.style = "Masthead"
        ooxml.paragraph_property(paragraph, '<w:jc w:val="distribute"/>')
        writer._run(paragraph, Span(organ))
    suffix = right.paragraphs[0]
    suffix._p.style = "Masthead"
    ooxml.paragraph_property(suffix, '<w:jc w:val="right"/>')
    writer._run(suffix, Span(m.suffix))


def title(writer: DocxWriter, body, lines: list[str], after_masthead: bool) -> None:
    paragraph = writer._paragraph(body, "DocTitle", [])
    for number, line in enumerate(lines):
        run = writer._run(paragraph, Span(line))
        if number < len(lines) - 1:
            run.add_break()
    if after_masthead:  # two blank lines under the red line
        ooxml.paragraph_property(paragraph, f'<w:spacing w:before="{2 * writer.profile.docx_line_pitch_twips}"/>')


def signature(writer: DocxWriter, body, block: Signature) -> None:
    """Right-indented in characters; with a seal the date stands 4 字 in and the seal sits behind both."""
    p = writer.profile
    body_pt = p.body_size_pt
    sig_right, date_right = signature_indents(block.lines, block.date, sealed=bool(block.seal))
    before = (2 if block.seal else 1) * p.docx_line_pitch_twips
    rows = [(line, sig_right) for line in block.lines] + ([(block.date, date_right)] if block.date else [])
    first = None
    for number, (text, right) in enumerate(rows):
        paragraph = writer._paragraph(body, "Signature", [Span(text)])
        twips = round(right * body_pt * TWIPS_PER_PT)
        ooxml.paragraph_property(paragraph, f'<w:ind w:rightChars="{round(right * 100)}" w:right="{twips}" '
                                            'w:firstLineChars="0" w:firstLine="0"/>')
        if number == 0:
            ooxml.paragraph_property(paragraph, f'<w:spacing w:before="{before}"/>')
            first = paragraph
    if block.seal and first is not None:
        center_from_right_mm = seal_centre_from_right(block.date, date_right) * body_pt * 25.4 / 72
        left_mm = p.block_width_mm - center_from_right_mm - p.seal_diameter_mm / 2
        _floating_seal(first, block.seal, p.seal_diameter_mm, left_mm, top_mm=2.0)


def _floating_seal(paragraph, path: str, diameter_mm: float, left_mm: float, top_mm: float) -> None:
    """Add the picture inline (python-docx makes the image part), then re-anchor it behind the text."""
    run = paragraph.add_run()
    run.add_picture(path, width=Mm(diameter_mm), height=Mm(diameter_mm))
    inline = run._r.find(".//" + qn("wp:inline"))
    extent = inline.find(qn("wp:extent"))
    graphic = inline.find(qn("a:graphic"))
    doc_pr = inline.find(qn("wp:docPr"))
    anchor = ooxml.element(
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251658240" '
        'behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{round(left_mm * EMU_PER_MM)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{round(top_mm * EMU_PER_MM)}</wp:posOffset>'
        "</wp:positionV>"
        f'<wp:extent cx="{extent.get("cx")}" cy="{extent.get("cy")}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{doc_pr.get("id")}" name="印章"/><wp:cNvGraphicFramePr/>'
        "</wp:anchor>"
    )
    anchor.append(graphic)
    inline.getparent().replace(inline, anchor)


def attachment_note(writer: DocxWriter, body, block: AttachmentNote) -> None:
    """附件：1.名称 — 2 字 in, one blank line above; later names and wrapped lines align with the first name."""
    p = writer.profile
    char = round(p.body_size_pt * TWIPS_PER_PT)
    for number, name in enumerate(block.names, 1):
        marker = f"{number}." if len(block.names) > 1 else ""
        marker_twips = round(text_cells(marker) * char)
        left = 5 * char + marker_twips
        hanging = (3 * char + marker_twips) if number == 1 else marker_twips
        label = "附件：" if number == 1 else ""
        paragraph = writer._paragraph(body, "Normal", [Span(label + marker + name)])
        ooxml.paragraph_property(paragraph, f'<w:ind w:left="{left}" w:hanging="{hanging}" w:firstLineChars="0"/>')
        ooxml.paragraph_property(paragraph, '<w:jc w:val="left"/>')
        if number == 1:
            ooxml.paragraph_property(paragraph, f'<w:spacing w:before="{p.docx_line_pitch_twips}"/>')


def note(writer: DocxWriter, body, block: Note) -> None:
    writer._paragraph(body, "Normal", [Span(block.text)])


def attachment(writer: DocxWriter, body, item: Attachment) -> None:
    """A new page: 附件N top left in 黑体, a blank line, the title centred on the third line."""
    label = writer._paragraph(body, "AttachmentLabel", [Span(item.label)])
    ooxml.paragraph_property(label, "<w:pageBreakBefore/>")
    ooxml.paragraph_property(label, f'<w:spacing w:after="{writer.profile.docx_line_pitch_twips}"/>')
    if item.title:
        title(writer, body, [item.title], after_masthead=False)
    writer._append_blocks(body, item.blocks)


def imprint(writer: DocxWriter, document, item: Imprint) -> None:
    """版记: its own section from the next even page, no page number, on the bottom of the type block.

    It is a one-column table whose top, inner and bottom borders are the 版记's thick, thin and
    thick rules, pushed down by a spacer paragraph of exact height (a floating table anchored to
    the bottom is ignored by LibreOffice). Its rows' heights are exact, so the arithmetic holds.
    """
    p = writer.profile
    section = document.add_section(WD_SECTION.EVEN_PAGE)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False  # a fresh, empty footer: the 版记 page carries no number
    size = p.element("imprint").size_pt
    char = round(size * TWIPS_PER_PT)
    width = round(p.block_width_mm / 25.4 * 1440)
    thick = round(p.imprint_thick_mm * 72 / 25.4 * 8)
    thin = round(p.imprint_thin_mm * 72 / 25.4 * 8)
    body = document._body
    rows = ([("cc", item.cc_text)] if item.cc else []) + [("printer", f"{item.printer}\t{item.print_date}印发")]
    line = round(size * 1.45 * TWIPS_PER_PT)  # the Imprint style's exact line height
    row_height = line + 80  # its 2 pt before and after
    cc_lines = 1 if not item.cc else max(1, math.ceil(text_cells(item.cc_text) * size / (p.block_width_pt - 5 * size)))
    table_height = row_height * (len(rows) - 1 + cc_lines if item.cc else 1) + 3 * thick * 20 // 8
    spacer = writer._paragraph(body, "Imprint", [])
    spacer_height = mm_to_twips(p.block_height_mm) - table_height - 200  # 200: measured slack in LibreOffice
    ooxml.paragraph_property(
        spacer, f'<w:spacing w:before="0" w:after="0" w:line="{spacer_height}" w:lineRule="exact"/>'
    )
    table = body.add_table(rows=len(rows), cols=1, width=Twips(width))
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(ooxml.element(
        f'<w:tblBorders><w:top w:val="single" w:sz="{thick}" w:space="0" w:color="000000"/>'
        '<w:left w:val="nil"/>'
        f'<w:bottom w:val="single" w:sz="{thick}" w:space="0" w:color="000000"/>'
        '<w:right w:val="nil"/>'
        f'<w:insideH w:val="single" w:sz="{thin}" w:space="0" w:color="000000"/>'
        '<w:insideV w:val="nil"/></w:tblBorders>'
    ))
    tbl_pr.append(ooxml.element(
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
    ))
    for (kind, text), row in zip(rows, table.rows, strict=True):
        cell = row.cells[0]
        cell.width = Twips(width)
        paragraph = cell.paragraphs[0]
        paragraph._p.style = "Imprint"
        writer._run(paragraph, Span(text))
        if kind == "cc":  # 1 字 in on both sides, wrapped lines aligned after 抄送：
            ooxml.paragraph_property(paragraph, f'<w:ind w:left="{4 * char}" w:right="{char}" w:hanging="{3 * char}"/>')
        else:  # organ 1 字 from the left, date 1 字 from the right
            ooxml.paragraph_property(paragraph, f'<w:tabs><w:tab w:val="right" w:pos="{width - char}"/></w:tabs>')
            ooxml.paragraph_property(paragraph, f'<w:ind w:left="{char}" w:right="{char}"/>')
    # A section (and a document) must end with a paragraph; this one holds the table's anchor.
    anchor = writer._paragraph(body, "Imprint", [])
    ooxml.paragraph_property(anchor, '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>')


SHAPETYPE_136 = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(f'<v:f eqn="{eqn}"/>' for eqn in (
        "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3", "if @0 @3 0",
        "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
        "sum @6 0 @5"))
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
)


def watermark(writer: DocxWriter, document, status: str) -> None:
    """草稿 / 征求意见稿 across every page: Word's own watermark shape, in the headers."""
    hei = writer.office_font("hei")
    section = document.sections[0]
    for number, header in enumerate((section.header, section.even_page_header)):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        shape = ooxml.element(
            f"<w:r><w:pict>{SHAPETYPE_136}"
            f'<v:shape id="docgen-watermark-{number}" type="#_x0000_t136" '
            'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;'
            "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
            'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#a0a0a0" stroked="f">'
            '<v:fill opacity="0.35"/>'
            f'<v:textpath style="font-family:&quot;{hei}&quot;;font-size:1pt" string="{status}"/>'
            "</v:shape></w:pict></w:r>"
        )
        paragraph._p.append(shape)
