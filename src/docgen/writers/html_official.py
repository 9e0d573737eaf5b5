"""HTML + CSS for the parts only a statutory 公文 has: 版头, seal, 附件说明, 附件, 版记, watermark.

Positions follow GB/T 9704 in millimetres from the type block's top, so the 版头 is laid out in
one absolutely positioned block whose height is known; everything after it flows on the grid.
"""

from __future__ import annotations

from html import escape

from docgen.model import Attachment, AttachmentNote, Imprint, Masthead, Note, Signature
from docgen.style import MM_PER_PT, StyleProfile, seal_centre_from_right, signature_indents
from docgen.zh import text_cells

# A 16 pt line on the grid: its baseline sits this far above the line box's bottom (half-leading
# plus the font's descent), measured on FandolFang with pdfplumber.
BASELINE_FROM_LINE_BOTTOM_MM = 3.0


def _mm(pt: float) -> float:
    return pt * MM_PER_PT


def masthead_layout(m: Masthead, p: StyleProfile) -> dict[str, float]:
    """Where each 版头 line goes (mm from the type block's top) and the block's height."""
    pitch_mm = _mm(p.line_pitch_pt)
    organs = max(len(m.organs), 1)
    organ_top = p.masthead_gap_mm  # line-height equals the size: the glyphs' top is the line's top
    organ_height = _mm(p.masthead_size_pt) * organs * (1.0 if organs == 1 else 1.15)
    # 发文字号: two blank lines under the header, i.e. its line starts three pitches below the header's bottom.
    number_top = organ_top + organ_height + 2 * pitch_mm
    baseline = number_top + pitch_mm - BASELINE_FROM_LINE_BOTTOM_MM
    redline = baseline + p.redline_gap_mm
    # 标题: two blank lines under the red line.
    height = redline + 2 * pitch_mm
    return {"organ_top": organ_top, "organ_height": organ_height, "number_top": number_top,
            "redline": redline, "height": height}


def masthead_html(m: Masthead, p: StyleProfile) -> str:
    box = masthead_layout(m, p)
    pitch_mm = _mm(p.line_pitch_pt)
    parts = [f'<div class="masthead" style="height: {box["height"]:.2f}mm">']
    meta_lines = [(m.copy_number, "copy"), (m.secrecy, "secrecy"), (m.urgency, "urgency")]
    row = 0
    for text, kind in meta_lines:
        if text:
            parts.append(f'<p class="mh-meta {kind}" style="top: {row * pitch_mm:.2f}mm">{escape(text)}</p>')
            row += 1
    width_pt = p.block_width_pt
    if len(m.organs) <= 1:
        name = (m.organs[0] if m.organs else "") + m.suffix
        scale = min(1.0, width_pt / (text_cells(name) * p.masthead_size_pt))
        parts.append(
            f'<div class="organ" style="top: {box["organ_top"]:.2f}mm"><span style="transform: scaleX({scale:.3f})">'
            f"{escape(name)}</span></div>"
        )
    else:
        longest = max(text_cells(o) for o in m.organs)
        scale = min(1.0, (width_pt - text_cells(m.suffix) * p.masthead_size_pt * 1.2) / (longest * p.masthead_size_pt))
        rows = "".join(f'<div style="transform: scaleX({scale:.3f})">{escape(o)}</div>' for o in m.organs)
        parts.append(
            f'<table class="organ joint" style="top: {box["organ_top"]:.2f}mm"><tr>'
            f'<td class="organs">{rows}</td><td class="suffix">{escape(m.suffix)}</td></tr></table>'
        )
    if m.signer:
        parts.append(
            f'<p class="doc-number upward" style="top: {box["number_top"]:.2f}mm">'
            f'<span class="number">{escape(m.number)}</span>'
            f'<span class="signer">签发人：<span class="kai">{escape(m.signer)}</span></span></p>'
        )
    elif m.number:
        parts.append(f'<p class="doc-number" style="top: {box["number_top"]:.2f}mm">{escape(m.number)}</p>')
    parts.append(f'<div class="redline" style="top: {box["redline"]:.2f}mm"></div>')
    parts.append("</div>")
    return "".join(parts)


def signature_html(block: Signature, p: StyleProfile, seal_uri: str | None) -> str:
    """署名 and 成文日期; with a seal, the date stands 4 字 from the right and the seal sits over both."""
    pitch = p.char_pitch_pt
    line_pt = p.line_pitch_pt
    sig_right, date_right = signature_indents(block.lines, block.date, sealed=bool(seal_uri))
    if seal_uri:
        date_center_from_right_mm = _mm(seal_centre_from_right(block.date, date_right) * pitch)
        d = p.seal_diameter_mm
        seal = (
            f'<img class="seal" src="{seal_uri}" style="width: {d}mm; height: {d}mm; top: 2mm; '
            f'right: {date_center_from_right_mm - d / 2:.2f}mm">'
        )
        top_pad = f"padding-top: {2 * line_pt:.2f}pt"
    else:
        seal, top_pad = "", f"padding-top: {line_pt:.2f}pt"
    rows = [f'<p class="signature" style="padding-right: {sig_right * pitch:.2f}pt">{escape(line)}</p>'
            for line in block.lines]
    if block.date:
        rows.append(f'<p class="signature" style="padding-right: {date_right * pitch:.2f}pt">{escape(block.date)}</p>')
    return f'<div class="signed" style="{top_pad}">{seal}{"".join(rows)}</div>'


def attachment_note_html(block: AttachmentNote, p: StyleProfile) -> str:
    """附件：1.…  — a blank line above, 2 字 in; wrapped lines align with the name."""
    pitch = p.char_pitch_pt
    lead = 2 + 3  # 2 字 indent + 附件：
    rows = []
    for number, name in enumerate(block.names, 1):
        marker = f"{number}." if len(block.names) > 1 else ""
        marker_pt = text_cells(marker) * pitch
        first = number == 1
        indent = -(3 * pitch + marker_pt) if first else -marker_pt
        label = "附件：" if first else ""
        style = f"padding-left: {lead * pitch + marker_pt:.2f}pt; text-indent: {indent:.2f}pt"
        if first:
            style += f"; margin-top: {p.line_pitch_pt:.2f}pt"
        rows.append(f'<p class="attachment-note" style="{style}">{label}{escape(marker + name)}</p>')
    return "".join(rows)


def note_html(block: Note) -> str:
    return f'<p class="note">{escape(block.text)}</p>'


def attachment_open(attachment: Attachment) -> str:
    title = f'<p class="attachment-title">{escape(attachment.title)}</p>' if attachment.title else ""
    return f'<section class="attachment"><p class="attachment-label">{escape(attachment.label)}</p>{title}'


def imprint_html(imprint: Imprint, p: StyleProfile) -> str:
    """版记 on its own even page, its last rule on the bottom of the type block."""
    size = p.element("imprint").size_pt
    cc = ""
    if imprint.cc:
        cc = (f'<p class="cc" style="padding-left: {size * 4:.2f}pt; text-indent: {-size * 3:.2f}pt">'
              f"{escape(imprint.cc_text)}</p>")
    printer = (f'<p class="printer"><span>{escape(imprint.printer)}</span>'
               f'<span class="print-date">{escape(imprint.print_date)}印发</span></p>')
    return f'<div class="imprint-page"><div class="imprint">{cc}{printer}</div></div>'


def watermark_html(status: str) -> str:
    return f'<div class="watermark">{escape(status)}</div>'


def stylesheet(p: StyleProfile, families) -> str:
    """The CSS these parts need; ``families(role)`` gives a role's font-family list."""
    red = f"#{p.red}"
    pitch = f"{p.line_pitch_pt - 0.01:.4f}pt"
    imprint_size = p.element("imprint").size_pt
    return f"""
.masthead {{ position: relative; margin: 0; }}
.mh-meta {{ position: absolute; left: 0; right: 0; margin: 0; font-family: {families("hei")}; font-size: 16pt;
  line-height: {pitch}; text-indent: 0; text-align: left; white-space: nowrap; }}
.mh-meta.copy {{ font-family: {families("body")}; }}
.organ {{ position: absolute; left: 0; right: 0; margin: 0; text-align: center; color: {red};
  font-family: {families("title")}; font-size: {p.masthead_size_pt}pt; line-height: 1; letter-spacing: 0; }}
.organ span {{ display: inline-block; white-space: nowrap; }}
table.organ.joint {{ width: 100%; border-collapse: collapse; margin: 0; }}
table.organ.joint td {{ padding: 0; border: none; vertical-align: middle; color: {red};
  font-family: {families("title")}; font-size: {p.masthead_size_pt}pt; letter-spacing: 0; text-indent: 0; }}
table.organ.joint td.organs {{ text-align: justify; text-align-last: justify; line-height: 1.15; }}
table.organ.joint td.organs div {{ white-space: nowrap; transform-origin: left; }}
table.organ.joint td.suffix {{ width: {1.2 * 2 * p.masthead_size_pt:.0f}pt; text-align: right; }}
.doc-number {{ position: absolute; left: 0; right: 0; margin: 0; text-align: center; text-indent: 0;
  font-family: {families("body")}; font-size: 16pt; line-height: {pitch}; }}
.doc-number.upward {{ text-align: left; padding: 0 {p.char_pitch_pt:.2f}pt; white-space: nowrap; }}
.doc-number.upward .signer {{ position: absolute; top: 0; right: {p.char_pitch_pt:.2f}pt; }}
.doc-number .kai {{ font-family: {families("kai")}; }}
.redline {{ position: absolute; left: 0; right: 0; height: 0; border-top: {p.redline_width_pt}pt solid {red}; }}
.title.official {{ margin-top: 0; }}
.signed {{ position: relative; break-inside: avoid; break-before: avoid; }}
.signed .seal {{ position: absolute; z-index: -1; }}
.attachment-note {{ text-align: left; }}
.note {{ text-indent: {2 * p.char_pitch_pt:.2f}pt; }}
section.attachment {{ break-before: page; }}
.attachment-label {{ font-family: {families("hei")}; text-indent: 0; text-align: left; }}
.attachment-title {{ font-family: {families("title")}; font-size: 22pt; text-align: center; text-indent: 0;
  letter-spacing: 0; margin: {pitch} 0 {pitch} 0; }}
.imprint-page {{ page: imprint; break-before: left; position: relative; height: {p.block_height_mm - 0.2:.2f}mm; }}
.imprint {{ position: absolute; left: 0; right: 0; bottom: 0; border-top: {p.imprint_thick_mm}mm solid #000;
  border-bottom: {p.imprint_thick_mm}mm solid #000; font-family: {families("body")};
  font-size: {imprint_size}pt; line-height: {pitch}; letter-spacing: 0; }}
.imprint p {{ margin: 0; text-indent: 0; font-size: {imprint_size}pt; letter-spacing: 0; }}
.imprint .cc {{ border-bottom: {p.imprint_thin_mm}mm solid #000; padding-right: {imprint_size}pt; }}
.imprint .printer {{ padding: 0 {imprint_size}pt; text-align: left; }}
.imprint .print-date {{ float: right; }}
@page imprint {{ @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
@page :blank {{ @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
.watermark {{ position: fixed; top: 80mm; left: -20mm; right: -20mm; text-align: center; transform: rotate(-35deg);
  font-family: {families("hei")}; font-size: 110pt; line-height: 1; color: rgba(150, 150, 150, 0.3);
  letter-spacing: 10pt; text-indent: 0; z-index: -1; }}
"""
