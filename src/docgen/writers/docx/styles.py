"""The DOCX's named styles, written from the style profile (python-docx's template styles use theme
fonts WPS warns about): one paragraph style per element of the standard, character styles for
run-in headings, and Normal as the body."""

from __future__ import annotations

from docx.oxml.ns import nsdecls

from docgen.standard import StyleProfile, TextStyle
from docgen.standard.units import mm_to_twips, pt_to_twips
from docgen.writers.fonts import ROLES

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


def run_properties(style: TextStyle, profile: StyleProfile, office_fonts: dict[str, str], red: bool = False) -> str:
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


def paragraph_properties(style: TextStyle, kind: str, level: int, profile: StyleProfile) -> str:
    pitch = profile.docx_line_pitch_twips
    parts = []
    if kind in ("heading", "signature"):
        parts.append("<w:keepNext/>")  # a heading stays with its text; 署名 with 成文日期
    # no lone first or last line of a paragraph at a page's foot or head (the PDF's orphans and widows: 2):
    # a page then holds 21 lines where the 22nd would stand alone
    parts.append('<w:widowControl/>')
    parts.append('<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>')  # LibreOffice reads it per style
    if kind in ("title", "footer", "table", "masthead", "docnumber"):
        parts.append('<w:snapToGrid w:val="0"/>')
    if kind == "title":
        parts.append(f'<w:spacing w:after="{pitch}" w:line="{pitch}" w:lineRule="exact"/>')
    elif kind == "date":
        parts.append(f'<w:spacing w:after="{pitch}" w:line="240" w:lineRule="auto"/>')
    elif kind == "masthead":
        line = pt_to_twips(style.size_pt)
        parts.append(f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>')
    elif kind == "docnumber":
        parts.append(f'<w:spacing w:before="0" w:after="0" w:line="{pitch}" w:lineRule="exact"/>')
    elif kind == "table":
        line = pt_to_twips(style.size_pt * profile.table_line)
        parts.append(f'<w:spacing w:before="40" w:after="40" w:line="{line}" w:lineRule="exact"/>')
    elif kind == "footer":
        # The page number page_number_gap_mm below the type block, as space before its line: the footer
        # is then exactly as tall as the margin under the type block leaves it, and LibreOffice gives
        # every page style the same body (a section from an odd or even page was 7 mm taller, and its
        # text grid, centred in it, 3.5 mm lower).
        line = pt_to_twips(style.size_pt)
        before = mm_to_twips(profile.page_number_gap_mm)
        parts.append(f'<w:spacing w:before="{before}" w:after="0" w:line="{line}" w:lineRule="exact"/>')
    else:
        parts.append('<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    if style.indent_chars:
        chars = round(style.indent_chars * 100)
        twips = round(style.indent_chars * profile.docx_char_twips)
        parts.append(f'<w:ind w:firstLineChars="{chars}" w:firstLine="{twips}"/>')
    else:
        parts.append('<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    parts.append(f'<w:jc w:val="{ALIGN[style.align]}"/>')
    if kind == "heading":
        parts.append(f'<w:outlineLvl w:val="{level - 1}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def styles_xml(profile: StyleProfile, office_fonts: dict[str, str]) -> str:
    body = profile.element("body")
    out = [
        f"<w:styles {nsdecls('w')}>",
        "<w:docDefaults><w:rPrDefault>",
        run_properties(body, profile, office_fonts).replace("<w:rPr>", "<w:rPr>", 1).replace(
            "</w:rPr>", '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
        ),
        "</w:rPrDefault><w:pPrDefault><w:pPr>",
        # No automatic gap between Chinese and Latin letters or digits: 瓦委发〔2010〕12号 and 2010年6月15日
        # are set solid in a 公文 (Word and LibreOffice add a quarter-em gap unless told not to).
        '<w:kinsoku/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
        '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
        "</w:pPr></w:pPrDefault></w:docDefaults>",
    ]
    for style_id, (name, element, kind) in PARAGRAPH_STYLES.items():
        style = profile.element(element)
        level = int(style_id[-1]) if kind == "heading" else 0
        default = ' w:default="1"' if style_id == "Normal" else ""
        based = "" if style_id == "Normal" else '<w:basedOn w:val="Normal"/>'
        nxt = '<w:next w:val="Normal"/>' if kind in ("heading", "title", "speaker", "date") else ""
        runs = run_properties(style, profile, office_fonts, red=kind == "masthead")
        if element in ("table_text", "table_header"):
            twentieths = round(profile.table_letter_spacing_pt(style.size_pt) * 20)
            runs = runs.replace("<w:sz ", f'<w:spacing w:val="{twentieths}"/><w:sz ', 1)
        out.append(
            f'<w:style w:type="paragraph"{default} w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f"{based}{nxt}<w:qFormat/>{paragraph_properties(style, kind, level, profile)}{runs}"
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
            f'<w:basedOn w:val="DefaultParagraphFont"/>{run_properties(style, profile, office_fonts)}</w:style>'
        )
    out.append(
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )
    out.append("</w:styles>")
    return "".join(out)
