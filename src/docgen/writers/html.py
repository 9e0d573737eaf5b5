"""Document model → HTML + CSS for WeasyPrint. Every number comes from the style profile.

The page is a compressed grid, as GB/T 9704 needs: every line is one pitch (225 mm / 22) high and
every character advances one pitch (156 mm / 28), so a full line holds 28 characters and a full
page 22 lines. Indents are whole pitches so an indented line still ends on the right edge.
"""

from __future__ import annotations

from html import escape

from docgen.fonts import ResolvedFont
from docgen.model import (
    Addressee,
    Closing,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Salutation,
    Signature,
    Span,
    Table,
)
from docgen.style import StyleProfile, TextStyle, signature_indents

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
html {{ color: #000; line-height: {pitch}; orphans: 1; widows: 1; }}
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
.signature {{ break-inside: avoid; }}
.signature.first {{ margin-top: {pitch}; break-before: avoid; }}
table {{ width: 100%; border-collapse: collapse; margin: {pitch} 0 0 0; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th, td {{ border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: middle; line-height: 1.45; }}
th {{ {_text_css(e("table_header"), profile, fonts)} }}
td {{ {_text_css(e("table_text"), profile, fonts)} }}
b {{ font-weight: bold; }}
"""


def _spans(spans: list[Span]) -> str:
    out = []
    for span in spans:
        text = escape(span.text)
        if span.bold:
            text = f"<b>{text}</b>"
        if span.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


def _heading_inline(h: Heading) -> str:
    return escape(h.number) + _spans(h.spans)


def _signature_html(block: Signature, pitch_pt: float) -> str:
    signature_right, date_right = signature_indents(block.lines, block.date)
    rows = [
        f'<p class="signature{" first" if i == 0 else ""}" style="padding-right: {signature_right * pitch_pt:.2f}pt">'
        f"{escape(line)}</p>"
        for i, line in enumerate(block.lines)
    ]
    if block.date:
        indent = f"padding-right: {date_right * pitch_pt:.2f}pt"
        rows.append(f'<p class="signature" style="{indent}">{escape(block.date)}</p>')
    return "\n".join(rows)


def _table_html(table: Table, width_cells: float) -> str:
    weights = table.column_weights(width_cells)
    total = sum(weights) or 1
    cols = "".join(f'<col style="width: {100 * w / total:.1f}%">' for w in weights)
    head = "".join(f"<th>{_spans(cell)}</th>" for cell in table.header)
    body = "".join("<tr>" + "".join(f"<td>{_spans(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def body_html(doc: Document, pitch_pt: float = 15.79, table_cells: float = 36.0) -> str:
    """The document's body as HTML; ``pitch_pt`` turns character indents into points and
    ``table_cells`` is how many table characters fit across the type block."""
    parts: list[str] = []
    meta = doc.meta
    if meta.title:
        parts.append(f'<h1 class="title">{escape(meta.title)}</h1>')
    if meta.speaker:
        parts.append(f'<p class="speaker">{escape(meta.speaker)}</p>')
    if meta.date:
        parts.append(f'<p class="date">{escape(meta.date)}</p>')
    for block in doc.blocks:
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
            parts.append(_signature_html(block, pitch_pt))
        elif isinstance(block, Table):
            parts.append(_table_html(block, table_cells))
    return "\n".join(parts)


def document_html(doc: Document, profile: StyleProfile, fonts: dict[str, ResolvedFont], css: str | None = None) -> str:
    """A complete HTML page; pass ``css`` built once per worker to skip rebuilding it."""
    css = css if css is not None else stylesheet(profile, fonts)
    table_cells = profile.block_width_pt / profile.element("table_text").size_pt
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(doc.meta.title)}</title><style>{css}</style></head>\n"
        f"<body>\n{body_html(doc, profile.char_pitch_pt, table_cells)}\n</body></html>\n"
    )
