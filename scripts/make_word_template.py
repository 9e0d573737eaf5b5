"""Make examples/word-template/会议通知.docx: a 会议通知 designed as an office would in Word.

    .venv/bin/python scripts/make_word_template.py [-o examples/word-template/会议通知.docx]

It is an ordinary Word file (python-docx, plus the XML Word itself writes for a text box, a seal
placed "behind text" and a page number), carrying docgen's Jinja tags in its text:

- the title, addressee and body paragraphs with ``{{ … }}`` tags, one of them split by formatting
  over three runs with a spelling mark between (as Word leaves ``{{ meeting.date | date_ar }}``
  when part of it was made bold): the value takes the bold of the first brace;
- a curly-quoted tag (Word's AutoCorrect: ``{{ “；” if … }}``), repaired when read;
- ``{% if %}``/``{% for %}`` paragraphs of their own, and an ``{% if %}…{% endif %}`` spanning a
  whole paragraph (the paragraph goes when there is no contact);
- a header and a footer with tags, and a text box (with Word's VML fallback copy) holding the 份号;
- a 参会人员回执 table whose middle row repeats per member (rows holding only ``{% for %}`` and
  ``{% endfor %}`` around it);
- a seal placeholder: a grey picture floating behind the signature, alt text ``{{ seal }}``.

The file is rebuilt byte for byte the same (fixed dates and zip timestamps).
"""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "word-template" / "会议通知.docx"
BODY_FONT, TITLE_FONT, HEI = "仿宋_GB2312", "方正小标宋简体", "黑体"
LINE = Pt(28.95)  # GB/T 9704: 22 lines on the type block
SEAL_EMU = Mm(42)
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def set_font(run_or_style, name: str, size: float | None = None) -> None:
    font = run_or_style.font
    font.name = name
    if size:
        font.size = Pt(size)
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def paragraph(document, text: str = "", *, align=None, indent: bool = True, font: str = BODY_FONT,
              size: float = 16):
    para = document.add_paragraph()
    para.paragraph_format.line_spacing = LINE
    para.paragraph_format.space_before = Pt(0)
    para.paragraph_format.space_after = Pt(0)
    if indent:
        para.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        para.alignment = align
    if text:
        run = para.add_run(text)
        set_font(run, font, size)
    return para


def add_run(para, text: str, *, bold=False, italic=False, underline=False, color=None, font=BODY_FONT, size=16):
    run = para.add_run(text)
    set_font(run, font, size)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def placeholder_png() -> bytes:
    """A grey ring reading 印章位置: what the office sees in Word where the seal will go."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), outline=(150, 150, 150, 255), width=8)
    draw.line((60, 120, 180, 120), fill=(150, 150, 150, 255), width=6)
    draw.line((120, 60, 120, 180), fill=(150, 150, 150, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def float_behind(run, alt: str, x_emu: int, y_emu: int) -> None:
    """Turn the run's in-line picture into one floating behind the text ("衬于文字下方"), alt text set."""
    inline = run.element.find(f".//{qn('wp:inline')}")
    extent = inline.find(qn("wp:extent"))
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("descr", alt)
    graphic = inline.find(qn("a:graphic"))
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        f'relativeHeight="251659264" behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{x_emu}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y_emu}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{extent.get("cx")}" cy="{extent.get("cy")}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/></wp:anchor>')
    anchor.append(doc_pr)
    anchor.append(parse_xml(f'<wp:cNvGraphicFramePr {nsdecls("wp")}/>'))
    anchor.append(graphic)
    inline.getparent().replace(inline, anchor)


def text_box(para, text_runs: list[tuple[str, dict]], x_emu: int, y_emu: int, width_emu: int, height_emu: int) -> None:
    """A borderless text box anchored to the paragraph, as Word writes it (DrawingML, with a VML fallback)."""
    def content() -> str:
        runs = "".join(
            f'<w:r><w:rPr><w:rFonts w:ascii="{HEI}" w:hAnsi="{HEI}" w:eastAsia="{HEI}"/>'
            f'{"<w:b/>" if style.get("bold") else ""}<w:sz w:val="32"/></w:rPr>'
            f'<w:t xml:space="preserve">{text}</w:t></w:r>'
            for text, style in text_runs)
        return f"<w:txbxContent><w:p><w:pPr><w:jc w:val=\"left\"/></w:pPr>{runs}</w:p></w:txbxContent>"

    xml = (
        f'<w:r {nsdecls("w", "wp", "a")} xmlns:mc="{MC}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wps="{WPS}">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251660288" behindDoc="0" '
        f'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{x_emu}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="margin"><wp:posOffset>{y_emu}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        '<wp:docPr id="20" name="文本框 1"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{width_emu}" cy="{height_emu}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f'<wps:txbx>{content()}</wps:txbx>'
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t">'
        '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><v:shape id="文本框1" type="#_x0000_t202" filled="f" stroked="f" '
        f'style="position:absolute;margin-left:0;margin-top:{y_emu / 12700:.1f}pt;width:{width_emu / 12700:.1f}pt;'
        f'height:{height_emu / 12700:.1f}pt;z-index:251660288;mso-position-horizontal-relative:margin;'
        'mso-position-vertical-relative:margin">'
        f'<v:textbox inset="0,0,0,0">{content()}</v:textbox></v:shape></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>')
    para._p.append(parse_xml(xml))


def page_number_field(para) -> None:
    """— PAGE — as Word writes a page number: a simple field."""
    add_run(para, "— ", font="宋体", size=14)
    para._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" '
        'w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))
    add_run(para, " —", font="宋体", size=14)


def split_tag(para) -> None:
    """``{{ meeting.date | date_ar }}`` over three runs of different formatting, a spelling mark between:
    the way Word stores a tag when its start was made bold and the rest edited later."""
    add_run(para, "{{ meeting.", bold=True)
    para._p.append(parse_xml(f'<w:proofErr {nsdecls("w")} w:type="spellStart"/>'))
    add_run(para, "date | date_", italic=True)
    para._p.append(parse_xml(f'<w:proofErr {nsdecls("w")} w:type="spellEnd"/>'))
    add_run(para, "ar }}", underline=True)


def build() -> docx.Document:
    document = docx.Document()
    normal = document.styles["Normal"]
    set_font(normal, BODY_FONT, 16)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(15)

    core = document.core_properties
    core.title, core.author, core.subject = "会议通知（模板）", "瓦店乡党委办公室", "docgen Word 模板"
    core.created = core.modified = datetime(2010, 6, 1, 9, 0, 0)
    core.last_modified_by, core.revision = "docgen", 1

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_run(header, "{{ organization.short_name }}　{{ campaign.name }}", font=BODY_FONT, size=10.5, color="7F7F7F")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number_field(footer)
    second = section.footer.add_paragraph()
    second.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_run(second, "送达：{{ branch.name }}", size=10.5, color="7F7F7F")

    # the template's own notes: comments, which print nothing and leave no empty paragraph
    paragraph(document, "{# docgen: 会议通知（Word 模板）— 每个支部一份，含参会人员回执 #}", indent=False, size=10.5)
    paragraph(document, "{# docgen-each: branches #}", indent=False, size=10.5)

    title = paragraph(document, "关于召开{{ meeting.name }}的通知", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                      font=TITLE_FONT, size=22)
    title.paragraph_format.line_spacing = Pt(35)
    # the 份号 in a text box at the type block's top left, anchored to the title
    text_box(title, [("份号 ", {}), ("{{ '%06d' % index }}", {"bold": True})], 0, -Mm(12), Mm(50), Mm(9))
    paragraph(document, indent=False)
    paragraph(document, "{{ branch.name }}：", indent=False)
    paragraph(document, "为{{ meeting.purpose or ('深入开展' ~ campaign.name) }}，经{{ organization.short_name }}研究，"
                        "定于{{ meeting.date | date_ar }}召开{{ meeting.name }}，{{ meeting.speaker.post }}"
                        "{{ meeting.speaker.name }}同志作{{ meeting.speech }}。现将有关事项通知如下：")
    when = paragraph(document)
    add_run(when, "一、会议时间：", font=HEI)
    split_tag(when)
    add_run(when, "（{{ meeting.date | weekday }}）{{ meeting.time }}。")
    where = paragraph(document)
    add_run(where, "二、会议地点：", font=HEI)
    add_run(where, "{{ meeting.place }}。")
    who = paragraph(document)
    add_run(who, "三、参会人员：", font=HEI)
    add_run(who, "{{ branch.name | with_post(meeting.attendees) }}。")
    paragraph(document, "{% if meeting.preparations %}", indent=False)
    needs = paragraph(document)
    add_run(needs, "四、有关要求", font=HEI)
    paragraph(document, "{% for item in meeting.preparations %}", indent=False)
    paragraph(document, "{{ loop.index }}．{{ item }}{{ “；” if not loop.last else “。” }}")
    paragraph(document, "{% endfor %}", indent=False)
    paragraph(document, "{% endif %}", indent=False)
    paragraph(document, "{% if meeting.contact %}联系人：{{ meeting.contact.name }}，联系电话："
                        "{{ meeting.contact.phone }}。{% endif %}")
    paragraph(document, "请{{ branch.secretary }}同志于会前一日将参会人员回执（附后）报{{ organization.office }}。")
    paragraph(document, "附件：参会人员回执")
    signer = paragraph(document, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signer.paragraph_format.right_indent = Pt(64)
    add_run(signer, "{{ organization.name }}")
    seal = signer.add_run()
    seal.add_picture(io.BytesIO(placeholder_png()), width=Emu(SEAL_EMU), height=Emu(SEAL_EMU))
    float_behind(seal, "{{ seal }}", Mm(92), -Mm(14))
    dated = paragraph(document, "{{ meeting.notice_date | date_ar }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    dated.paragraph_format.right_indent = Pt(64)

    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    paragraph(document, "附件", indent=False, font=HEI)
    paragraph(document, indent=False)
    paragraph(document, "{{ branch.name }}参会人员回执", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, font=TITLE_FONT,
              size=22)
    paragraph(document, indent=False)
    table = document.add_table(rows=4, cols=4)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(18), Mm(40), Mm(50), Mm(48))
    rows = (("序号", "姓名", "职务", "备注"),
            ("{% for m in branch.members %}", "", "", ""),
            ("{{ loop.index }}", "{{ m.name }}", "{{ m.post }}",
             "{{ '支部书记' if m.name == branch.secretary else '' }}"),
            ("{% endfor %}", "", "", ""))
    for row_number, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, width, text in zip(row.cells, widths, texts, strict=True):
            cell.width = width
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text:
                add_run(para, text, font=HEI if row_number == 0 else BODY_FONT, size=14)
    paragraph(document, indent=False)
    paragraph(document, "请于{{ meeting.date | date_ar }}前报{{ organization.office }}。", indent=False, size=14)
    assert document.sections[-1].start_type in (WD_SECTION.NEW_PAGE, None)
    return document


def fixed_zip(payload: bytes) -> bytes:
    """The same package with fixed timestamps (python-docx stamps the time of saving)."""
    source = zipfile.ZipFile(io.BytesIO(payload))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename == "docProps/thumbnail.jpeg":
                continue  # python-docx's default thumbnail shows an unrelated blank page
            data = source.read(info)
            if info.filename == "_rels/.rels":
                data = re.sub(rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>', b"", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2010, 6, 1, 9, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args()
    buffer = io.BytesIO()
    build().save(buffer)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(fixed_zip(buffer.getvalue()))
    print(args.out)


if __name__ == "__main__":
    main()
