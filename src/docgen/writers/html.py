"""Document model → HTML + CSS for WeasyPrint. Every number comes from the style profile.

The page is a compressed grid, as GB/T 9704 needs: every line is one pitch (225 mm / 22) high and
every character advances one pitch (156 mm / 28), so a full line holds 28 characters and a full
page 22 lines. Indents are whole pitches so an indented line still ends on the right edge.
"""

from __future__ import annotations

from html import escape

from docgen.fonts import ResolvedFont
from docgen.model import Closing, Document, Heading, ListBlock, Paragraph, Salutation, Span
from docgen.style import StyleProfile, TextStyle

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


def body_html(doc: Document) -> str:
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
    return "\n".join(parts)


def document_html(doc: Document, profile: StyleProfile, fonts: dict[str, ResolvedFont], css: str | None = None) -> str:
    """A complete HTML page; pass ``css`` built once per worker to skip rebuilding it."""
    css = css if css is not None else stylesheet(profile, fonts)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(doc.meta.title)}</title><style>{css}</style></head>\n"
        f"<body>\n{body_html(doc)}\n</body></html>\n"
    )
