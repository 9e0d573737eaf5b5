"""The CSS for WeasyPrint, written from the style profile: @font-face per role, the page and its
numbers, one rule per element, and the 公文 frame's parts (版头, seal, 附件, 版记, watermark).

The page is a compressed grid, as GB/T 9704 needs: every line is one pitch (225 mm / 22) high and
every character advances one pitch (156 mm / 28), so a full line holds 28 characters and a full
page 22 lines. Indents are whole pitches so an indented line still ends on the right edge.
"""

from __future__ import annotations

from collections.abc import Callable

from docgen.standard import StyleProfile, TextStyle, geometry
from docgen.writers.fonts import ResolvedFont

ALIGN = {"justify": "justify", "center": "center", "left": "left", "right": "right"}
# WeasyPrint lays a box of exactly the type block's height onto a second page; a hair less fits.
IMPRINT_PAGE_SLACK_MM = 0.2


def _families(fonts: dict[str, ResolvedFont], role: str) -> str:
    font = fonts[role]
    names = [f'"{font.css_family}"'] if font.file else []
    names.append(f'"{font.role.fallback_family}"')
    names.append("sans-serif" if role == "hei" else "serif")
    return ", ".join(names)


def _text_css(style: TextStyle, profile: StyleProfile, fonts: dict[str, ResolvedFont]) -> str:
    spacing = profile.letter_spacing_pt * style.size_pt / profile.body_size_pt
    return (
        f"font-family: {_families(fonts, style.role)}; font-size: {style.size_pt}pt; "
        f"font-weight: {'bold' if style.bold else 'normal'}; text-align: {ALIGN[style.align]}; "
        f"text-indent: {profile.indent_pt(style.indent_chars):.3f}pt; letter-spacing: {spacing:.3f}pt;"
    )


def _page_numbers(profile: StyleProfile, fonts: dict[str, ResolvedFont]) -> tuple[str, str]:
    """The margin boxes of the page number (— 1 —, 宋体 4号, 1 字 in from the outer edge): right, left."""
    number = profile.element("page_number")
    number_css = (
        f"font-family: {_families(fonts, number.role)}; font-size: {number.size_pt}pt; "
        f"line-height: {number.size_pt}pt; vertical-align: top; padding-top: {profile.page_number_gap_mm}mm; "
        f'content: "— " counter(page) " —";'
    )
    inset = f"{number.size_pt}pt"  # 1 字 of the page number's own size
    return (f"@bottom-right {{ {number_css} text-align: right; padding-right: {inset}; }}",
            f"@bottom-left {{ {number_css} text-align: left; padding-left: {inset}; }}")


def page_group_stylesheet(profile: StyleProfile, fonts: dict[str, ResolvedFont], group: str, recto: str) -> str:
    """Page numbers per page group, for many documents laid out in one pass (``writers/pdf/batch.py``).

    Each document is an element with ``page: <group>`` and starts a new page; its first page resets
    the page counter, and its own odd and even pages (``:nth(2n+1 of <group>)``, CSS GCPM) carry the
    number on the right and on the left, whatever side they fall on in the pass: the same margin
    boxes ``:right`` and ``:left`` give a document laid out alone. A document whose layout needs its
    real sides (the 版记 breaks to a left page) gets the ``recto`` class and starts on a right page.
    The ``:nth`` rules outrank ``:left``/``:right``; blank pages keep no number, and a named page
    (the 版记's ``imprint``) is not in the group, so it keeps its own rules.
    """
    right, left = _page_numbers(profile, fonts)
    none = "@bottom-left { content: none; } @bottom-right { content: none; }"
    odd, even = f":nth(2n+1 of {group})", f":nth(2n of {group})"
    return f"""
.{group} {{ page: {group}; break-before: page; }}
.{group}.{recto} {{ break-before: right; }}
@page :nth(1 of {group}) {{ counter-reset: page 1; }}
@page {odd} {{ {right} @bottom-left {{ content: none; }} }}
@page {even} {{ {left} @bottom-right {{ content: none; }} }}
@page {odd}:blank, {even}:blank {{ {none} }}
"""


def stylesheet(profile: StyleProfile, fonts: dict[str, ResolvedFont]) -> str:
    """The CSS for a profile: @font-face per role, the page, and one rule per element."""
    faces = "\n".join(
        f'@font-face {{ font-family: "{f.css_family}"; src: url("{f.file.as_uri()}"); }}'
        for f in fonts.values()
        if f.file
    )
    right, left = _page_numbers(profile, fonts)
    e = profile.element
    pitch = f"{profile.css_line_height_pt:.4f}pt"
    pad_v, pad_h = profile.table_padding_pt
    return f"""
{faces}
@page {{
  size: {profile.page_width_mm}mm {profile.page_height_mm}mm;
  margin: {profile.margin_top_mm}mm {profile.margin_right_mm}mm {profile.margin_bottom_mm}mm {profile.margin_left_mm}mm;
}}
@page :right {{ {right} }}
@page :left {{ {left} }}
html {{ color: #000; line-height: {pitch}; orphans: 2; widows: 2; line-break: strict; }}
.nobreak {{ white-space: nowrap; }}
body {{ margin: 0; }}
p, h1, h2, h3, h4, h5 {{ margin: 0; padding: 0; }} /* the line height from html: a fitted run sets its own */
p {{ {_text_css(e("body"), profile, fonts)} }}
.title {{ {_text_css(e("title"), profile, fonts)} margin-bottom: {pitch}; }}
.speaker {{ {_text_css(e("speaker"), profile, fonts)} }}
.date {{ {_text_css(e("speaker"), profile, fonts)} margin-bottom: {pitch}; }}
.salutation {{ {_text_css(e("salutation"), profile, fonts)} }}
.closing {{ {_text_css(e("closing"), profile, fonts)} }}
.h1 {{ {_text_css(e("heading1"), profile, fonts)} break-after: avoid; }}
.h2 {{ {_text_css(e("heading2"), profile, fonts)} break-after: avoid; }}
.h3 {{ {_text_css(e("heading3"), profile, fonts)} }}
.h4 {{ {_text_css(e("heading4"), profile, fonts)} }}
span.h1, span.h2, span.h3, span.h4 {{ text-indent: 0; }}
.broken {{ text-align: left; }}
.addressee {{ {_text_css(e("addressee"), profile, fonts)} }}
.signature {{ {_text_css(e("signature"), profile, fonts)} }}
table {{ width: 100%; border-collapse: collapse; margin: {pitch} 0 0 0; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
tbody tr:nth-last-child(-n+{profile.table_rows_with_signature - 1}) {{ break-before: avoid; }}
th, td {{ border: 0.5pt solid #000; padding: {pad_v:g}pt {pad_h:g}pt; vertical-align: middle;
  line-height: {profile.table_line:g}; }} /* unitless: how pdf_hanging knows a cell's text */
th {{ {_text_css(e("table_header"), profile, fonts)}
  letter-spacing: {profile.table_letter_spacing_pt(e("table_header").size_pt):g}pt; }}
td {{ {_text_css(e("table_text"), profile, fonts)}
  letter-spacing: {profile.table_letter_spacing_pt(e("table_text").size_pt):g}pt; }}
b {{ font-weight: bold; }}
{frame_stylesheet(profile, lambda role: _families(fonts, role))}
"""


def frame_stylesheet(p: StyleProfile, families: Callable[[str], str]) -> str:
    """The CSS of the 公文 frame's parts; ``families(role)`` gives a role's font-family list."""
    red = f"#{p.red}"
    pitch = f"{p.css_line_height_pt:.4f}pt"
    body = f"{p.body_size_pt:g}pt"
    pad_v, pad_h = p.table_padding_pt
    imprint_size = p.element("imprint").size_pt
    return f"""
.masthead {{ position: relative; margin: 0; }}
.mh-meta {{ position: absolute; left: 0; right: 0; margin: 0; font-family: {families("hei")}; font-size: {body};
  line-height: {pitch}; text-indent: 0; text-align: left; white-space: nowrap; }}
.mh-meta.copy {{ font-family: {families("body")}; }}
.organ {{ position: absolute; left: 0; right: 0; margin: 0; text-align: center; color: {red};
  font-family: {families("title")}; font-size: {p.masthead_size_pt}pt; line-height: 1; letter-spacing: 0; }}
.organ span {{ display: inline-block; white-space: nowrap; }}
table.organ.joint {{ width: 100%; border-collapse: collapse; margin: 0; }}
table.organ.joint td {{ padding: 0; border: none; vertical-align: middle; color: {red};
  font-family: {families("title")}; font-size: {p.masthead_size_pt}pt; letter-spacing: 0; text-indent: 0; }}
table.organ.joint td.organs {{ text-align: justify; text-align-last: justify; line-height: {p.joint_organ_line:g}; }}
table.organ.joint td.organs div {{ white-space: nowrap; transform-origin: left; }}
table.organ.joint td.suffix {{ width: {geometry.joint_suffix_width_pt(p, p.file_suffix):.0f}pt; text-align: right; }}
.doc-number {{ position: absolute; left: 0; right: 0; margin: 0; text-align: center; text-indent: 0;
  font-family: {families("body")}; font-size: {body}; line-height: {pitch}; }}
.doc-number.upward {{ text-align: left; padding: 0 {p.char_pitch_pt:.2f}pt; white-space: nowrap; }}
.doc-number.upward .signer {{ position: absolute; top: 0; right: {p.char_pitch_pt:.2f}pt; }}
.doc-number .kai {{ font-family: {families("kai")}; }}
.redline {{ position: absolute; left: 0; right: 0; height: 0; border-top: {p.redline_width_pt}pt solid {red}; }}
.title.official {{ margin-top: 0; }}
.letterhead {{ position: relative; margin: 0; }}
.letter-organ {{ position: absolute; left: 0; right: 0; margin: 0; text-align: center; color: {red};
  font-family: {families("title")}; font-size: {p.letter_masthead_size_pt}pt; line-height: 1; letter-spacing: 0; }}
.letter-organ span {{ display: inline-block; white-space: nowrap; }}
.letter-rule {{ position: absolute; height: 0; border-top: 1mm solid {red}; }}
.doc-number.letter {{ text-align: right; }}
body.unnumbered-first {{ page: unnumbered-first; }}
@page unnumbered-first:first {{ @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
.order-signed {{ break-inside: avoid; break-before: avoid; }}
.signer-seal {{ font-family: {families(p.element("signer_seal").role)}; color: {red};
  border: {p.signer_seal_border_pt:g}pt solid {red}; padding: 0 {p.signer_seal_padding_pt:g}pt; }}
.signed {{ position: relative; break-inside: avoid; break-before: avoid; }}
.keep-next {{ break-after: avoid; break-inside: avoid; }} /* whole, as LibreOffice keeps a paragraph with the next */
.signed .seal {{ position: absolute; z-index: -1; }}
.attachment-note {{ text-align: left; }}
.name-list {{ text-align: left; }}
.name-list .label {{ font-family: {families(p.element("minutes_label").role)}; }}
.note {{ text-indent: {2 * p.char_pitch_pt:.2f}pt; }}
section.attachment {{ break-before: page; }}
.attachment-label {{ font-family: {families("hei")}; text-indent: 0; text-align: left; }}
.attachment-title {{ bookmark-level: 1; bookmark-label: "附件：" content();
  font-family: {families("title")}; font-size: {p.element("title").size_pt:g}pt;
  text-align: center; text-indent: 0;
  letter-spacing: 0; margin: {pitch} 0 {pitch} 0; }}
.imprint-page {{ page: imprint; break-before: left; position: relative;
  height: {p.block_height_mm - IMPRINT_PAGE_SLACK_MM:.2f}mm; }}
.imprint {{ position: absolute; left: 0; right: 0; bottom: 0; border-top: {p.imprint_thick_mm}mm solid #000;
  border-bottom: {p.imprint_thick_mm}mm solid #000; font-family: {families("body")};
  font-size: {imprint_size}pt; letter-spacing: 0; }}
.imprint p {{ margin: 0; text-indent: 0; font-size: {imprint_size}pt; letter-spacing: 0;
  line-height: {imprint_size * p.table_line:.2f}pt; }}
.imprint .cc, .imprint .printer {{ padding-top: {pad_v:g}pt; padding-bottom: {pad_v:g}pt; }} /* as the DOCX's rows */
.imprint .cc {{ border-bottom: {p.imprint_thin_mm}mm solid #000; padding-right: {imprint_size}pt; }}
.imprint .printer {{ padding-left: {imprint_size}pt; padding-right: {imprint_size}pt; text-align: left; }}
.imprint .print-date {{ float: right; }}
.imprint .print-date-line {{ text-align: right; }}
.imprint .print-date-line .print-date {{ float: none; }}
@page imprint {{ @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
.imprint-page.numbered {{ page: imprint-numbered; }}
.imprint-page.same-page {{ page: auto; break-before: auto; break-inside: avoid; }}
.imprint-page.imprint-probe {{ page: auto; break-before: auto; height: 0; }}
.imprint-probe .imprint {{ top: 0; bottom: auto; }}
@page :blank {{ @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
.watermark {{ position: fixed; top: {p.watermark_top_mm:g}mm; left: -20mm; right: -20mm; text-align: center;
  transform: rotate(-{p.watermark_angle_deg:g}deg);
  font-family: {families("hei")}; font-size: {p.watermark_size_pt:g}pt; line-height: 1; color: rgba(150, 150, 150, 0.3);
  letter-spacing: {p.watermark_tracking_pt:g}pt; text-indent: 0; z-index: -1; }}
"""
