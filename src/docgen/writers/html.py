"""Document model → HTML + CSS for WeasyPrint. Every number comes from the style profile.

The page is a compressed grid, as GB/T 9704 needs: every line is one pitch (225 mm / 22) high and
every character advances one pitch (156 mm / 28), so a full line holds 28 characters and a full
page 22 lines. Indents are whole pitches so an indented line still ends on the right edge.
"""

from __future__ import annotations

import base64
import re
from html import escape
from pathlib import Path

from docgen.fonts import ResolvedFont
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
from docgen.style import StyleProfile, TextStyle
from docgen.writers import html_official as official

ALIGN = {"justify": "justify", "center": "center", "left": "left", "right": "right"}


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


def stylesheet(profile: StyleProfile, fonts: dict[str, ResolvedFont]) -> str:
    """The CSS for a profile: @font-face per role, the page, and one rule per element."""
    faces = "\n".join(
        f'@font-face {{ font-family: "{f.css_family}"; src: url("{f.file.as_uri()}"); }}'
        for f in fonts.values()
        if f.file
    )
    number = profile.element("page_number")
    number_css = (
        f"font-family: {_families(fonts, number.role)}; font-size: {number.size_pt}pt; "
        f"line-height: {number.size_pt}pt; vertical-align: top; padding-top: {profile.page_number_gap_mm}mm; "
        f'content: "— " counter(page) " —";'
    )
    inset = f"{number.size_pt}pt"  # 1 字 of the page number's own size
    e = profile.element
    pitch = f"{profile.css_line_height_pt:.4f}pt"
    return f"""
{faces}
@page {{
  size: {profile.page_width_mm}mm {profile.page_height_mm}mm;
  margin: {profile.margin_top_mm}mm {profile.margin_right_mm}mm {profile.margin_bottom_mm}mm {profile.margin_left_mm}mm;
}}
@page :right {{ @bottom-right {{ {number_css} text-align: right; padding-right: {inset}; }} }}
@page :left {{ @bottom-left {{ {number_css} text-align: left; padding-left: {inset}; }} }}
html {{ color: #000; line-height: {pitch}; orphans: 1; widows: 1; line-break: strict; }}
.nobreak {{ white-space: nowrap; }}
body {{ margin: 0; }}
p, h1, h2, h3, h4, h5 {{ margin: 0; padding: 0; line-height: {pitch}; }}
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
.addressee {{ {_text_css(e("addressee"), profile, fonts)} }}
.signature {{ {_text_css(e("signature"), profile, fonts)} }}
table {{ width: 100%; border-collapse: collapse; margin: {pitch} 0 0 0; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th, td {{ border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: middle; line-height: 1.45; }}
th {{ {_text_css(e("table_header"), profile, fonts)} }}
td {{ {_text_css(e("table_text"), profile, fonts)} }}
b {{ font-weight: bold; }}
{official.stylesheet(profile, lambda role: _families(fonts, role))}
"""


_UNBREAKABLE = re.compile("(——+|……+)")


def _spans(spans: list[Span]) -> str:
    out = []
    for span in spans:
        # —— and …… are one mark of two characters: never split across lines.
        text = _UNBREAKABLE.sub(r'<span class="nobreak">\1</span>', escape(span.text))
        if span.bold:
            text = f"<b>{text}</b>"
        if span.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


def _heading_inline(h: Heading) -> str:
    return escape(h.number) + _spans(h.spans)


def _table_html(table: Table, width_cells: float) -> str:
    weights = table.column_weights(width_cells)
    total = sum(weights) or 1
    cols = "".join(f'<col style="width: {100 * w / total:.1f}%">' for w in weights)
    head = "".join(f"<th>{_spans(cell)}</th>" for cell in table.header)
    body = "".join("<tr>" + "".join(f"<td>{_spans(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _seal_uri(path: str | None) -> str | None:
    """The seal travels inside the HTML as a data: URI, so the PDF writer fetches no file for it."""
    if not path:
        return None
    data = Path(path).read_bytes()
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def body_html(doc: Document, profile: StyleProfile) -> str:
    """The document as HTML body content: 版头, title, blocks, attachments, 版记."""
    parts: list[str] = []
    meta = doc.meta
    if meta.status:
        parts.append(official.watermark_html(meta.status))
    if doc.masthead:
        parts.append(official.masthead_html(doc.masthead, profile))
    if meta.title:
        lines = "<br>".join(escape(line) for line in (meta.title_lines or [meta.title]))
        parts.append(f'<h1 class="title{" official" if doc.masthead else ""}">{lines}</h1>')
    if meta.speaker:
        parts.append(f'<p class="speaker">{escape(meta.speaker)}</p>')
    if meta.date:
        parts.append(f'<p class="date">{escape(meta.date)}</p>')
    parts += _blocks_html(doc.blocks, profile)
    for attachment in doc.attachments:
        parts.append(official.attachment_open(attachment))
        parts += _blocks_html(attachment.blocks, profile)
        parts.append("</section>")
    if doc.imprint:
        parts.append(official.imprint_html(doc.imprint, profile))
    return "\n".join(parts)


def _blocks_html(blocks: list, profile: StyleProfile) -> list[str]:
    table_cells = profile.block_width_pt / profile.element("table_text").size_pt
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Salutation):
            parts.append(f'<p class="salutation">{escape(block.text)}</p>')
        elif isinstance(block, Closing):
            parts.append(f'<p class="closing">{escape(block.text)}</p>')
        elif isinstance(block, Heading):
            tag = f"h{block.level + 1}"
            parts.append(f'<{tag} class="h{block.level}">{_heading_inline(block)}</{tag}>')
        elif isinstance(block, Paragraph):
            lead = ""
            if block.lead:
                lead = f'<span class="h{block.lead.level}">{_heading_inline(block.lead)}</span>'
            parts.append(f"<p>{lead}{_spans(block.spans)}</p>")
        elif isinstance(block, ListBlock):
            for lead, item in zip(block.leads(), block.items, strict=True):
                parts.append(f"<p>{escape(lead)}{_spans(item)}</p>")
        elif isinstance(block, Addressee):
            parts.append(f'<p class="addressee">{escape(block.text)}</p>')
        elif isinstance(block, Signature):
            parts.append(official.signature_html(block, profile, _seal_uri(block.seal)))
        elif isinstance(block, Table):
            parts.append(_table_html(block, table_cells))
        elif isinstance(block, AttachmentNote):
            parts.append(official.attachment_note_html(block, profile))
        elif isinstance(block, Note):
            parts.append(official.note_html(block))
    return parts


def document_html(
    doc: Document, profile: StyleProfile, fonts: dict[str, ResolvedFont], css: str | None = None, head: str = ""
) -> str:
    """A complete HTML page. ``css=""`` leaves the stylesheet out, for a writer that parsed it once."""
    css = css if css is not None else stylesheet(profile, fonts)
    style = f"<style>{css}</style>" if css else ""
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">{head}'
        f"<title>{escape(doc.meta.title)}</title>{style}</head>\n"
        f"<body>\n{body_html(doc, profile)}\n</body></html>\n"
    )
