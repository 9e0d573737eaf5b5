"""Document model → HTML for WeasyPrint: one rule per node type, the 公文 frame included.

The 版头 is one absolutely positioned block whose lines sit where ``standard.geometry`` puts them
(mm from the type block's top); everything after it flows on the grid the stylesheet sets up.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from html import escape
from pathlib import Path

from docgen.linebreak import unbreakable
from docgen.model import (
    PROBE,
    SAME_PAGE,
    Addressee,
    Attachment,
    AttachmentNote,
    Closing,
    Document,
    Heading,
    Imprint,
    LetterHead,
    ListBlock,
    Masthead,
    NameList,
    Node,
    Note,
    OrderSignature,
    Paragraph,
    Salutation,
    Signature,
    Span,
    Speaker,
    SpeechDate,
    Table,
    Title,
    Watermark,
)
from docgen.standard import StyleProfile, geometry
from docgen.standard.units import pt_to_mm
from docgen.writers.base import RuleTable, signature_runs
from docgen.writers.fonts import ResolvedFont
from docgen.writers.html.css import IMPRINT_PAGE_SLACK_MM, stylesheet
from docgen.writers.pdf.measure import IMPRINT_PROBE
from docgen.zh import text_cells

_UNBREAKABLE = re.compile("(——+|……+)")
# A space in Chinese text: one third of an em, as the body face's own space (Pango sets it at that width
# where the face lacks it), but not a word separator WeasyPrint widens to justify a line.
FIXED_SPACE = "\u2004"


class HtmlWriter(RuleTable):
    """HTML body content per node; ``document_html`` wraps it into a page for WeasyPrint."""

    extension = "html"

    def __init__(self, profile: StyleProfile) -> None:
        self.profile = profile
        self.people: tuple[str, ...] = ()  # the document's names in the data (``body_html`` sets them)
        self.scale = 1.0  # the line pitch's share while a fitted run is written (``body_html``)

    def rules(self) -> dict[type, Callable[[Node], str]]:
        return {
            Watermark: self.watermark, Masthead: self.masthead, Title: self.title, Speaker: self.speaker,
            SpeechDate: self.speech_date, Addressee: self.addressee, Salutation: self.salutation,
            Heading: self.heading, Paragraph: self.paragraph, ListBlock: self.list_block, Table: self.table,
            Closing: self.closing, AttachmentNote: self.attachment_note, Signature: self.signature, Note: self.note,
            NameList: self.name_list, Attachment: self.attachment, Imprint: self.imprint,
            LetterHead: self.letter_head, OrderSignature: self.order_signature,
        }

    def body_html(self, doc: Document) -> str:
        """The nodes' HTML; the last body block and the 附件说明 before the 署名 kept on its page
        (``keep-next``), and everything up to the 署名 set tighter when the transforms fit it
        (``Signature.fit``: a wrapper's line height, and the blank lines' heights in the rules)."""
        self.people = tuple(doc.meta.people)
        runs = signature_runs(doc.nodes)
        parts = []
        for index, node in enumerate(doc.nodes):
            self.scale = runs.fit if index < runs.fit_end else 1.0
            html = self.rule_for(node)(node)
            if index in runs.keep:
                html = f'<div class="keep-next">{html}</div>'
            parts.append(html)
        self.scale = 1.0
        if runs.fit_end:
            height = self.profile.css_line_height_pt * runs.fit
            parts[: runs.fit_end] = [f'<div class="fit" style="line-height: {height:.4f}pt">',
                                     *parts[: runs.fit_end], "</div>"]
        return "\n".join(parts)

    def pitch_pt(self) -> float:
        """The height of a blank line here: the grid's pitch, or less where the transforms fit the text."""
        return self.profile.line_pitch_pt * self.scale

    def document_html(
        self, doc: Document, fonts: dict[str, ResolvedFont], css: str | None = None, head: str = ""
    ) -> str:
        """A complete HTML page. ``css=""`` leaves the stylesheet out, for a writer that parsed it once."""
        css = css if css is not None else stylesheet(self.profile, fonts)
        style = f"<style>{css}</style>" if css else ""
        # 信函格式: the first page unnumbered (a named page, ``@page unnumbered-first:first``)
        body = "<body>" if doc.meta.first_page_numbered else '<body class="unnumbered-first">'
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">{head}{metadata(doc)}'
            f"<title>{escape(doc.meta.title)}</title>{style}</head>\n"
            f"{body}\n{self.body_html(doc)}\n</body></html>\n"
        )

    # --- body rules ---------------------------------------------------------------------------
    def speaker(self, node: Speaker) -> str:
        return f'<p class="speaker">{escape(node.text)}</p>'

    def speech_date(self, node: SpeechDate) -> str:
        fitted = f' style="margin-bottom: {self.pitch_pt():.2f}pt"' if self.scale != 1.0 else ""
        return f'<p class="date"{fitted}>{escape(node.text)}</p>'

    def salutation(self, node: Salutation) -> str:
        return f'<p class="salutation">{escape(node.text)}</p>'

    def closing(self, node: Closing) -> str:
        return f'<p class="closing">{escape(node.text)}</p>'

    def addressee(self, node: Addressee) -> str:
        return f'<p class="addressee">{escape(node.text)}</p>'

    def heading(self, node: Heading) -> str:
        tag = f"h{node.level + 1}"
        if node.lines:  # broken between words by the transforms: flush left, as the DOCX
            lines = "<br>".join(_spans([Span(line)]) for line in node.lines)
            return f'<{tag} class="h{node.level} broken">{lines}</{tag}>'
        return f'<{tag} class="h{node.level}">{self._heading_inline(node)}</{tag}>'

    def paragraph(self, node: Paragraph) -> str:
        lead = f'<span class="h{node.lead.level}">{self._heading_inline(node.lead)}</span>' if node.lead else ""
        return f"<p>{lead}{self._spans(node.spans)}</p>"

    def list_block(self, node: ListBlock) -> str:
        return "\n".join(f"<p>{escape(lead)}{self._spans(item)}</p>" for lead, item in zip(node.leads(), node.items,
                                                                                      strict=True))

    def note(self, node: Note) -> str:
        return f'<p class="note">{self._text(node.text)}</p>'

    def table(self, node: Table) -> str:
        p = self.profile
        weights = geometry.table_widths(p, node, self.people)
        total = sum(weights) or 1
        cols = "".join(f'<col style="width: {100 * w / total:.3f}%">' for w in weights)
        head = "".join(f"<th>{self._spans(cell)}</th>" for cell in node.header)
        row_min = geometry.table_row_min_mm(p, node)
        tr = f'<tr style="height: {row_min:g}mm">' if row_min else "<tr>"
        body = "".join(tr + "".join(f"<td>{self._spans(cell)}</td>" for cell in row) + "</tr>" for row in node.rows)
        return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    # --- frame rules --------------------------------------------------------------------------
    def watermark(self, node: Watermark) -> str:
        return f'<div class="watermark">{escape(node.text)}</div>'

    def masthead(self, m: Masthead) -> str:
        p = self.profile
        box = geometry.masthead_box(p, len(m.organs), len(m.meta_lines), m.form)
        parts = [f'<div class="masthead" style="height: {box.height:.2f}mm">']
        for (text, element), top in zip(m.meta_lines, box.meta_tops, strict=True):
            kind = "copy" if element == "copy_number" else "mark"
            parts.append(f'<p class="mh-meta {kind}" style="top: {top:.2f}mm">{escape(text)}</p>')
        if len(m.organs) <= 1:
            name = (m.organs[0] if m.organs else "") + m.suffix
            scale = geometry.masthead_scale(p, name)
            place = f"top: {box.organ_top:.2f}mm"
            if scale < 1:  # a box of the name's natural width, centred on the block, condensed about its centre
                natural = text_cells(name) * p.masthead_size_pt
                place += f"; left: 50%; right: auto; width: {natural:.2f}pt; margin-left: {-natural / 2:.2f}pt"
            parts.append(
                f'<div class="organ" style="{place}"><span style="transform: scaleX({scale:.3f})">'
                f"{escape(name)}</span></div>"
            )
        else:
            scale = geometry.joint_scale(p, m.organs, m.suffix)
            rows = "".join(f'<div style="transform: scaleX({scale:.3f})">{escape(o)}</div>' for o in m.organs)
            parts.append(
                f'<table class="organ joint" style="top: {box.organ_top:.2f}mm"><tr>'
                f'<td class="organs">{rows}</td><td class="suffix">{escape(m.suffix)}</td></tr></table>'
            )
        if m.signer:
            parts.append(
                f'<p class="doc-number upward" style="top: {box.number_top:.2f}mm">'
                f'<span class="number">{escape(m.number)}</span>'
                f'<span class="signer">签发人：<span class="kai">{escape(m.signer)}</span></span></p>'
            )
        elif m.number:
            parts.append(f'<p class="doc-number" style="top: {box.number_top:.2f}mm">{escape(m.number)}</p>')
        if box.redline is not None:
            parts.append(f'<div class="redline" style="top: {box.redline:.2f}mm"></div>')
        parts.append("</div>")
        return "".join(parts)

    def letter_head(self, m: LetterHead) -> str:
        """信函格式: the red name and the double lines sit on the paper, where ``geometry.letter_box``
        puts them (above the type block, and below it for the bottom pair): absolutely placed from
        the type block's top-left corner; the 发文字号 at the right under the top lines."""
        p = self.profile
        box = geometry.letter_box(p, len(m.meta_lines))
        top, left = p.margin_top_mm, p.margin_left_mm
        parts = [f'<div class="letterhead" style="height: {box.height:.2f}mm">']
        scale = geometry.letter_masthead_scale(p, m.organ)
        place = f"top: {box.organ_top - top:.2f}mm"
        if scale < 1:  # as the 文件格式's: the name's natural width, centred on the block, condensed about its centre
            natural = text_cells(m.organ) * p.letter_masthead_size_pt
            place += f"; left: 50%; right: auto; width: {natural:.2f}pt; margin-left: {-natural / 2:.2f}pt"
        parts.append(f'<div class="letter-organ" style="{place}">'
                     f'<span style="transform: scaleX({scale:.3f})">{escape(m.organ)}</span></div>')
        for rule_top, thickness in box.rules:
            parts.append(f'<div class="letter-rule" style="top: {rule_top - top:.2f}mm; '
                         f'left: {box.rule_left - left:.2f}mm; width: {box.rule_length:g}mm; '
                         f'border-top-width: {thickness:g}mm"></div>')
        for (text, element), row_top in zip(m.meta_lines, box.meta_tops, strict=True):
            kind = "copy" if element == "copy_number" else "mark"
            parts.append(f'<p class="mh-meta {kind}" style="top: {row_top:.2f}mm">{escape(text)}</p>')
        if m.number:
            parts.append(f'<p class="doc-number letter" style="top: {box.number_top:.2f}mm">{escape(m.number)}</p>')
        parts.append("</div>")
        return "".join(parts)

    def order_signature(self, node: OrderSignature) -> str:
        """命令格式: 职务 and 签名章 on one line (the seal 4 字 from the right, the post 2 字 left of
        it), a blank line, the 成文日期 4 字 from the right."""
        p = self.profile
        char = p.char_pitch_pt
        box = geometry.order_signature_box(p)
        seal = f'<span class="signer-seal">{escape(node.name)}</span>' if node.sealed else escape(node.name)
        gap = f'<span class="post-gap" style="padding-right: {box.post_gap * char:.2f}pt"></span>'
        return (
            f'<div class="order-signed" style="padding-top: {box.blank_before * self.pitch_pt():.2f}pt">'
            f'<p class="signature" style="padding-right: {box.seal_right * char:.2f}pt">'
            f"{escape(node.post)}{gap}{seal}</p>"
            f'<p class="signature" style="padding-right: {box.date_right * char:.2f}pt; '
            f'margin-top: {box.blank_before_date * self.pitch_pt():.2f}pt">{escape(node.date)}</p></div>'
        )

    def title(self, node: Title) -> str:
        lines = "<br>".join(escape(line) for line in (node.lines or [node.text]))
        fitted = f' style="margin-bottom: {self.pitch_pt():.2f}pt"' if self.scale != 1.0 else ""
        return f'<h1 class="title{" official" if node.under_masthead else ""}"{fitted}>{lines}</h1>'

    def signature(self, node: Signature) -> str:
        """署名 and 成文日期; with a seal, the date stands 4 字 from the right and the seal sits over both."""
        p = self.profile
        char = p.char_pitch_pt
        sealed = bool(node.seal)
        sig_right, date_right = geometry.signature_indents(node.lines, node.date, sealed=sealed)
        top_pad = f"padding-top: {geometry.signature_blank_lines(sealed) * self.pitch_pt():.2f}pt"
        seal = ""
        if node.seal:
            centre_mm = pt_to_mm(geometry.seal_centre_from_right(node.date, date_right) * char)
            d = p.seal_diameter_mm
            seal = (
                f'<img class="seal" src="{_seal_uri(node.seal)}" style="width: {d}mm; height: {d}mm; '
                f'top: {p.seal_top_mm:g}mm; right: {centre_mm - d / 2:.2f}mm">'
            )
        rows = [f'<p class="signature" style="padding-right: {sig_right * char:.2f}pt">{escape(line)}</p>'
                for line in node.lines]
        if node.date:
            style = f"padding-right: {date_right * char:.2f}pt"
            rows.append(f'<p class="signature" style="{style}">{escape(node.date)}</p>')
        return f'<div class="signed" style="{top_pad}">{seal}{"".join(rows)}</div>'

    def attachment_note(self, node: AttachmentNote) -> str:
        """附件：1.…  — a blank line above, 2 字 in; wrapped lines align with the name."""
        p = self.profile
        char = p.char_pitch_pt
        rows = []
        for line in geometry.attachment_note_lines(p, node.names):
            style = f"padding-left: {line.left_chars * char:.2f}pt; text-indent: {-line.hanging_chars * char:.2f}pt"
            if line.first:
                style += f"; margin-top: {self.pitch_pt():.2f}pt"
            rows.append(f'<p class="attachment-note" style="{style}">{escape(line.text)}</p>')
        return "".join(rows)

    def name_list(self, node: NameList) -> str:
        """出席：names — the label in 黑体 2 字 in, wrapped lines aligned with the first name."""
        p = self.profile
        char = p.char_pitch_pt
        left, hanging = geometry.name_list_indents(p, node.label)
        style = f"padding-left: {left * char:.2f}pt; text-indent: {-hanging * char:.2f}pt"
        if node.space_before:
            style += f"; margin-top: {self.pitch_pt():.2f}pt"
        return (f'<p class="name-list" style="{style}"><span class="label">{escape(node.label)}</span>'
                f'{"、".join(self._text(name, whole=True) for name in node.names)}</p>')

    def attachment(self, node: Attachment) -> str:
        title = f'<p class="attachment-title">{escape(node.title)}</p>' if node.title else ""
        opening = f'<section class="attachment"><p class="attachment-label">{escape(node.label)}</p>{title}'
        return "\n".join([opening, *self.render_nodes(node.blocks), "</section>"])

    def imprint(self, node: Imprint) -> str:
        """版记 at the foot of the page ``node.placement`` says, its last rule on the bottom of the type block."""
        p = self.profile
        size = p.element("imprint").size_pt
        left, hanging, _right = p.imprint_cc_indent_chars
        cc = ""
        if node.cc:
            cc = (f'<p class="cc" style="padding-left: {size * left:.2f}pt; text-indent: {-size * hanging:.2f}pt">'
                  f"{escape(node.cc_text)}</p>")
        date = f"{node.print_date}印发"
        if geometry.imprint_printer_on_one_line(p, node.printer, date):
            printer = (f'<p class="printer"><span>{escape(node.printer)}</span>'
                       f'<span class="print-date">{escape(date)}</span></p>')
        else:
            printer = (f'<p class="printer"><span>{escape(node.printer)}</span></p>'
                       f'<p class="printer print-date-line"><span class="print-date">{escape(date)}</span></p>')
        inner = f'<div class="imprint">{cc}{printer}</div>'
        if node.placement == PROBE:  # where the body ends, for the transforms (the 版记 hangs below it)
            return f'<div class="imprint-page {IMPRINT_PROBE}">{inner}</div>'
        if node.placement == SAME_PAGE:  # the rest of the body's last page, filled from below
            height = node.room_mm - IMPRINT_PAGE_SLACK_MM
            return f'<div class="imprint-page same-page" style="height: {height:.2f}mm">{inner}</div>'
        page = "imprint-page numbered" if node.numbered else "imprint-page"
        return f'<div class="{page}">{inner}</div>'


    # --- body text ------------------------------------------------------------------------------
    def _text(self, text: str, whole: bool = False) -> str:
        """Body text for WeasyPrint: each unit that must not break (``docgen.linebreak.unbreakable``: a name, a
        number and its measure word, a date, a post, a phone number) joined by word joiners, as in the
        DOCX — or the whole text with ``whole`` (a name in a 纪要's 出席 list) — (Pango's line breaking
        honours them and sets them at no width; a no-wrap span hid the break opportunity right after
        it, and 「副主任（主」 overran its table cell), —— and …… never split, and each space one that
        justification does not stretch (WeasyPrint justifies by widening spaces only, so one space in a
        line of Chinese took the line's whole slack: 「书记    陈」, 「028-8765    4321」)."""
        if whole and len(text) <= unbreakable.WHOLE_NAME:
            pieces = [(text, True)]
        else:
            pieces = unbreakable.segments(text, self.people)
        out = []
        for piece, unit in pieces:
            html = escape(unbreakable.joined(piece) if unit else piece)
            html = html.replace(" ", FIXED_SPACE).replace("\u00a0", FIXED_SPACE)
            out.append(html if unit else _UNBREAKABLE.sub(r'<span class="nobreak">\1</span>', html))
        return "".join(out)

    def _spans(self, spans: list[Span]) -> str:
        out = []
        for span in spans:
            text = self._text(span.text)
            if span.bold:
                text = f"<b>{text}</b>"
            if span.italic:
                text = f"<i>{text}</i>"
            out.append(text)
        return "".join(out)

    def _heading_inline(self, h: Heading) -> str:
        return escape(h.number) + self._spans(h.spans)


def metadata(doc: Document) -> str:
    """The document's author and subject as the meta tags WeasyPrint writes into the PDF's Info."""
    tags = []
    if doc.meta.author:
        tags.append(f'<meta name="author" content="{escape(doc.meta.author)}">')
    if doc.meta.subject:
        tags.append(f'<meta name="description" content="{escape(doc.meta.subject)}">')
    return "".join(tags)


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


def _seal_uri(path: str) -> str:
    """The seal travels inside the HTML as a data: URI, so the PDF writer fetches no file for it."""
    data = Path(path).read_bytes()
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"
