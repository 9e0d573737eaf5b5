"""Document model → DOCX with python-docx: one rule per node type, the 公文 frame included.

The page grid is the one that holds 22 × 28 in Word and LibreOffice alike: a lines-only grid
(pitch 579) and body text condensed by 0.25 pt, never Word's usual ``linesAndChars`` grid, which
LibreOffice reads as two cells per character. Choices that keep the file editable in Word, WPS
and LibreOffice:
- the red header is a paragraph (red 小标宋, exact line height, space before = the 35 mm gap), and
  the red separator line is the 发文字号 paragraph's bottom border, not a drawn shape: a border moves
  with its text when someone edits the header, a floating line does not;
- the seal is a floating picture behind the text, anchored to the signature's first paragraph;
- the 版记 is a one-column table (its borders are the three rules) pushed to the bottom of the type
  block, in its own section that starts on an even page with empty footers;
- a draft's watermark is the VML text shape Word itself writes into the header.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections.abc import Callable
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Twips
from docx.text.run import Run

from docgen.linebreak import unbreakable
from docgen.model import (
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
from docgen.standard.units import (
    EIGHTHS_PER_PT,
    TWIPS_PER_PT,
    mm_to_border_eighths,
    mm_to_emu,
    mm_to_pt,
    mm_to_twips,
    mm_to_twips_exact,
    pt_to_border_eighths,
    pt_to_mm,
    pt_to_twips,
)
from docgen.writers.base import Rendered, RuleTable, signature_runs
from docgen.writers.docx import ooxml, package
from docgen.writers.docx.styles import RUN_IN_STYLES, styles_xml
from docgen.writers.fonts import ROLES
from docgen.zh import text_cells

EAST_ASIAN_AMBIGUOUS = re.compile("[“”‘’—…·]")  # Word sets these in the Latin font without a hint
RUN_BREAKS = re.compile("[\t\r\n]")  # python-docx writes these as w:tab / w:br, not text

# Calibrated against LibreOffice's rendering (FandolSong Bold 36 pt on an exact 36 pt line): the glyph
# top sits 2.4 mm above the line's top, so the header paragraph is raised by this much.
MASTHEAD_RAISE_TWIPS = 134
TABLE_PARAGRAPH_GAP_TWIPS = 40  # a table paragraph's space before and after (the table_padding_pt top)


class DocxWriter(RuleTable):
    """Builds DOCX bytes from the model; one per process, styles XML built once."""

    extension = "docx"

    def __init__(self, profile: StyleProfile, office_fonts: dict[str, str] | None = None) -> None:
        self.profile = profile
        self.office_fonts = office_fonts or {}
        self.styles_xml = styles_xml(profile, self.office_fonts)  # once per writer, not per document
        self._base: tuple[docx.document.Document, object] | None = None
        self._cache = package.PackageCache()  # the reused package's unchanging entries, deflated once
        self._document: docx.document.Document | None = None
        self._people: tuple[str, ...] = ()  # the document's names in the data, while it is written

    def rules(self) -> dict[type, Callable[[Node], None]]:
        return {
            Watermark: self.watermark, Masthead: self.masthead, Title: self.title, Speaker: self.speaker,
            SpeechDate: self.speech_date, Addressee: self.addressee, Salutation: self.salutation,
            Heading: self.heading, Paragraph: self.paragraph, ListBlock: self.list_block, Table: self.table,
            Closing: self.closing, AttachmentNote: self.attachment_note, Signature: self.signature, Note: self.note,
            NameList: self.name_list, Attachment: self.attachment, Imprint: self.imprint,
            LetterHead: self.letter_head, OrderSignature: self.order_signature,
        }

    # --- documents ----------------------------------------------------------------------------
    def render(self, doc: Document) -> Rendered:
        return Rendered(self.write_many([doc]), pages=None)

    def write_many(self, docs: list[Document]) -> bytes:
        """One DOCX; each document after the first starts a new section on an odd page, numbered from 1."""
        # Headers (watermark) and extra sections (版记) add parts to the package: those documents get a
        # package of their own instead of the reused one.
        # So does a first page of its own (信函格式: a first-page header and footer).
        structural = any(doc.first(Imprint) or doc.first(Watermark) or not doc.meta.first_page_numbered
                         for doc in docs)
        document = self._new_document() if structural else self._blank()
        self._document = document
        self._watermarked = False
        self._shapes = 0
        for number, doc in enumerate(docs):
            self._people = tuple(doc.meta.people)
            if number:
                section = self._add_section(WD_SECTION.ODD_PAGE)
                package.restart_numbering(section._sectPr)
            if not doc.meta.first_page_numbered:  # 信函: the first page's footer is empty
                self._first_page(document.sections[-1])
            self._render_body(doc)
        self._properties(document, docs[0].meta if docs else None)
        self._document = None
        return package.deterministic_zip(document) if structural else self._cache.zip(document)

    def _render_body(self, doc: Document) -> None:
        """The nodes; the last body block and the 附件说明 before the 署名 kept with it (w:keepNext: the
        last paragraph, every line of the 附件说明), and everything up to the 署名 set at exact, tighter
        line spacing when the transforms fit it (``Signature.fit``), as the PDF does."""
        runs = signature_runs(doc.nodes)
        body = self._document.element.body
        for index, node in enumerate(doc.nodes):
            start = len(body) - 1  # new paragraphs go before the body's sectPr
            self.rule_for(node)(node)
            made = [child for child in list(body)[start:-1] if child.tag == qn("w:p")]
            if index in runs.keep and made:
                for element in made if index in runs.keep_all else made[-1:]:
                    ooxml.put(element.get_or_add_pPr(), ooxml.element("<w:keepNext/>"), ooxml.PPR_ORDER)
            if index < runs.fit_end:
                self._fit(made, runs.fit)

    def _fit(self, paragraphs, fit: float) -> None:
        """Exact line spacing of ``fit`` times the grid's pitch, off the grid, and the blank lines above
        and below scaled alike — the 版头's lines excepted (their places are the standard's)."""
        pitch = self.profile.docx_line_pitch_twips
        for element in paragraphs:
            ppr = element.get_or_add_pPr()
            style = ppr.pStyle.val if ppr.pStyle is not None else "Normal"
            if style in ("Masthead", "MastheadMeta", "DocNumber"):
                continue
            ooxml.put(ppr, ooxml.element('<w:snapToGrid w:val="0"/>'), ooxml.PPR_ORDER)
            spacing = ppr.find(qn("w:spacing"))
            if spacing is None:
                spacing = ooxml.element("<w:spacing/>")
                ooxml.put(ppr, spacing, ooxml.PPR_ORDER)
            for side in ("after",) if style == "DocTitle" else ("before", "after"):
                value = spacing.get(qn(f"w:{side}"))
                if value is not None:
                    spacing.set(qn(f"w:{side}"), str(round(int(value) * fit)))
            if style in ("DocTitle", "SpeechDate") and spacing.get(qn("w:after")) is None:
                spacing.set(qn("w:after"), str(round(pitch * fit)))  # the style's blank line under them
            spacing.set(qn("w:line"), str(round(pitch * fit)))
            spacing.set(qn("w:lineRule"), "exact")

    def _add_section(self, start):
        """A new section; a first page of its own (the 信函's) stays with the section that has it."""
        section = self._document.add_section(start)
        section.different_first_page_header_footer = False
        return section

    @staticmethod
    def _first_page(section):
        """A section whose first page has a header and footer of its own: an empty footer (no number)."""
        section.different_first_page_header_footer = True
        section.first_page_footer.is_linked_to_previous = False
        section.first_page_header.is_linked_to_previous = False
        return section

    def _new_document(self) -> docx.document.Document:
        document = docx.Document()
        package.drop_template_leftovers(document)
        package.chinese_line_breaking(document)
        package.font_table(document, [package.Face(self.office_font(key), self.office_alternate(key), role.fixed_pitch)
                                      for key, role in ROLES.items()])
        package.theme_fonts(document, major=self.office_font("title"), minor=self.office_font("body"))
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
            self._base = (document, copy.deepcopy(document.element.body.sectPr))
        document, pristine = self._base
        body = document.element.body
        for child in list(body):
            body.remove(child)
        body.append(copy.deepcopy(pristine))
        return document

    @property
    def body(self):
        assert self._document is not None, "only while a document is written"
        return self._document._body

    # --- body rules ---------------------------------------------------------------------------
    def speaker(self, node: Speaker) -> None:
        self._paragraph("Speaker", [Span(node.text)])

    def speech_date(self, node: SpeechDate) -> None:
        self._paragraph("SpeechDate", [Span(node.text)])

    def salutation(self, node: Salutation) -> None:
        self._paragraph("Salutation", [Span(node.text)])

    def closing(self, node: Closing) -> None:
        self._paragraph("Closing", [Span(node.text)])

    def addressee(self, node: Addressee) -> None:
        self._paragraph("Addressee", [Span(node.text)])

    def heading(self, node: Heading) -> None:
        if not node.lines:
            self._paragraph(f"Heading{node.level}", [Span(node.number), *node.spans], protect=True)
            return
        # broken between words by the transforms: a line break after each line, flush left (a justified
        # line that ends in a break would be spread over the whole width)
        paragraph = self._paragraph(f"Heading{node.level}", [])
        for number, line in enumerate(node.lines):
            run = self._run(paragraph, Span(line))
            if number < len(node.lines) - 1:
                run.add_break()
        ooxml.paragraph_property(paragraph, '<w:jc w:val="left"/>')

    def paragraph(self, node: Paragraph) -> None:
        self._paragraph("Normal", node.spans, lead=node.lead, protect=True)

    def list_block(self, node: ListBlock) -> None:
        for lead, item in zip(node.leads(), node.items, strict=True):
            self._paragraph("Normal", [Span(lead), *item] if lead else item, protect=True)

    def note(self, node: Note) -> None:
        self._paragraph("Normal", [Span(node.text)], protect=True)

    def table(self, node: Table) -> None:
        """A bordered table; the first row is marked to repeat on every page (w:tblHeader)."""
        p = self.profile
        columns = len(node.header)
        width_twips = mm_to_twips_exact(p.block_width_mm)
        weights = geometry.table_widths(p, node, self._people)
        widths = [round(width_twips * w / sum(weights)) for w in weights]
        grid = self.body.add_table(rows=1 + len(node.rows), cols=columns, width=Twips(width_twips))
        tbl_pr = grid._tbl.tblPr
        tbl_pr.append(parse_xml(
            f'<w:tblBorders {nsdecls("w")}>'
            + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + "</w:tblBorders>"
        ))
        tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
        side = pt_to_twips(p.table_padding_pt[1])  # the same cell padding as the PDF's
        tbl_pr.append(ooxml.element(f'<w:tblCellMar><w:left w:w="{side}" w:type="dxa"/>'
                                    f'<w:right w:w="{side}" w:type="dxa"/></w:tblCellMar>'))
        for column, twips in zip(grid.columns, widths, strict=True):
            column.width = Twips(twips)
        row_min = geometry.table_row_min_mm(p, node)
        last = len(node.rows)
        # one blank line of the grid above the table, as the PDF's table has (css: margin-top of one pitch)
        grid._tbl.addprevious(self._paragraph("Normal", [])._p)
        for row_index, (row, cells) in enumerate(zip(grid.rows, [node.header, *node.rows], strict=True)):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))  # a row never splits across pages
            if row_index == 0:
                tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
            elif row_min:
                tr_pr.append(ooxml.element(f'<w:trHeight w:val="{mm_to_twips(row_min)}" w:hRule="atLeast"/>'))
            for cell, spans, twips in zip(row.cells, cells, widths, strict=False):
                cell.width = Twips(twips)
                if row_min:  # centred in the tall row, as the PDF's cells are
                    cell._tc.get_or_add_tcPr().append(ooxml.element('<w:vAlign w:val="center"/>'))
                paragraph = cell.paragraphs[0]
                _set_style(paragraph._p, "TableHeader" if row_index == 0 else "TableText")
                for span in spans:
                    self._run(paragraph, span, protect=True)
                if row_index >= last - p.table_rows_with_signature + 1:  # the last rows go with the 署名
                    ooxml.paragraph_property(paragraph, "<w:keepNext/>")
        if node.last_page_from:
            self._break_table(grid._tbl, node.last_page_from)

    def _break_table(self, tbl, row: int) -> None:
        """The table's last page begins at body row ``row``, as the PDF laid it out: the rows from there
        become a table of their own, its header row repeated, after a paragraph of no height that starts
        a page (a table row takes no page break; LibreOffice does not keep the last rows of a table that
        runs over three pages with the paragraph after it, as the PDF does)."""
        rows = tbl.findall(qn("w:tr"))
        if not 0 < row < len(rows) - 1:
            return
        rest = ooxml.element("<w:tbl/>")
        rest.append(copy.deepcopy(tbl.find(qn("w:tblPr"))))
        rest.append(copy.deepcopy(tbl.find(qn("w:tblGrid"))))
        rest.append(copy.deepcopy(rows[0]))  # the header
        for tr in rows[1 + row:]:
            rest.append(tr)
        gap = ooxml.element('<w:p><w:pPr><w:pStyle w:val="Normal"/><w:pageBreakBefore/><w:snapToGrid w:val="0"/>'
                            '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr></w:p>')
        tbl.addnext(gap)
        gap.addnext(rest)

    # --- frame rules --------------------------------------------------------------------------
    def watermark(self, node: Watermark) -> None:
        """草稿 / 征求意见稿 across every page: Word's own watermark shape, in the headers (once a file)."""
        if self._watermarked:
            return
        self._watermarked = True
        p = self.profile
        hei = self.office_font("hei")
        width, height = p.watermark_box_pt
        rotation = round(360 - p.watermark_angle_deg)  # VML turns clockwise; the word rises to the right
        section = self._document.sections[0]
        for number, header in enumerate((section.header, section.even_page_header)):
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0]
            shape = ooxml.element(
                f"<w:r><w:pict>{SHAPETYPE_136}"
                f'<v:shape id="docgen-watermark-{number}" type="#_x0000_t136" '
                f'style="position:absolute;margin-left:0;margin-top:0;width:{width:g}pt;height:{height:g}pt;'
                f"rotation:{rotation};"
                "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
                'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#a0a0a0" stroked="f">'
                '<v:fill opacity="0.35"/>'
                f'<v:textpath style="font-family:&quot;{hei}&quot;;font-size:1pt" string="{node.text}"/>'
                "</v:shape></w:pict></w:r>"
            )
            paragraph._p.append(shape)

    def masthead(self, m: Masthead) -> None:
        p = self.profile
        pitch = p.docx_line_pitch_twips
        for text, element in m.meta_lines:
            paragraph = self._paragraph("MastheadMeta", [Span(text)])
            if element != "masthead_meta":  # 份号: Arabic digits in the body face, not 黑体
                self._font(paragraph.runs[0], p.element(element).role)
        box = geometry.masthead_box(p, len(m.organs), len(m.meta_lines), m.form)
        gap = mm_to_twips(box.organ_top) - len(m.meta_lines) * pitch + MASTHEAD_RAISE_TWIPS
        if len(m.organs) <= 1:
            name = (m.organs[0] if m.organs else "") + m.suffix
            organ = self._paragraph("Masthead", [Span(name)])
            ooxml.paragraph_property(organ, f'<w:spacing w:before="{max(gap, 0)}"/>')
            scale = min(100, int(geometry.masthead_scale(p, name) * 100))
            if scale < 100:
                ooxml.run_property(organ.runs[0], f'<w:w w:val="{scale}"/>')
        else:
            self._joint_masthead(m, max(gap, 0))
        number = self._paragraph("DocNumber", [])
        # two blank lines under the header; the header line was lowered by the raise, the number is not
        ooxml.paragraph_property(number, f'<w:spacing w:before="{2 * pitch - MASTHEAD_RAISE_TWIPS}"/>')
        if m.signer:
            inset = p.docx_char_twips
            right_tab = mm_to_twips_exact(p.block_width_mm) - inset
            ooxml.paragraph_property(number, f'<w:tabs><w:tab w:val="right" w:pos="{right_tab}"/></w:tabs>')
            ooxml.paragraph_property(number, f'<w:ind w:left="{inset}" w:right="{inset}" w:firstLine="0"/>')
            ooxml.paragraph_property(number, '<w:jc w:val="left"/>')
            self._run(number, Span(f"{m.number}\t签发人："))
            self._font(self._run(number, Span(m.signer)), "kai")
        else:
            self._run(number, Span(m.number))
        if box.redline is None:  # 命令格式: no red line; the body two blank lines under the 令号
            ooxml.paragraph_property(number, f'<w:spacing w:before="{2 * pitch - MASTHEAD_RAISE_TWIPS}" '
                                             f'w:after="{2 * pitch}"/>')
            return
        # The red line: this paragraph's bottom border, redline_gap_mm under the number's baseline.
        space_pt = max(0, round(mm_to_pt(p.redline_gap_mm - p.baseline_above_line_bottom_mm)))
        width = pt_to_border_eighths(p.redline_width_pt)
        ooxml.paragraph_property(
            number,
            f'<w:pBdr><w:bottom w:val="single" w:sz="{width}" w:space="{space_pt}" w:color="{p.red}"/></w:pBdr>',
        )

    def letter_head(self, m: LetterHead) -> None:
        """信函格式: the red name and the four red lines are shapes placed on the paper in the first
        page's header (so they stay on the first page whatever the body does, and carry no page
        number); the 发文字号 is the body's first line, at the right under the top lines."""
        p = self.profile
        box = geometry.letter_box(p, len(m.meta_lines))
        header = self._first_page(self._document.sections[-1]).first_page_header
        anchor = header.paragraphs[0]
        size = p.letter_masthead_size_pt
        scale = min(100, int(geometry.letter_masthead_scale(p, m.organ) * 100))
        condense = f'<w:w w:val="{scale}"/>' if scale < 100 else ""
        name = (f'<w:p><w:pPr><w:pStyle w:val="Masthead"/><w:spacing w:before="0" w:after="0" '
                f'w:line="{pt_to_twips(size)}" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr>'
                f'<w:r><w:rPr>{condense}<w:sz w:val="{round(2 * size)}"/><w:szCs w:val="{round(2 * size)}"/></w:rPr>'
                f"<w:t>{escape(m.organ)}</w:t></w:r></w:p>")
        for rule_top, thickness in box.rules:
            self._page_shape(anchor, "红色双线", box.rule_left, rule_top, box.rule_length, thickness,
                             fill=p.red)
        number = self._paragraph("DocNumber", [])
        self._page_shape(number, "发文机关标志", p.margin_left_mm, box.organ_top + pt_to_mm(MASTHEAD_RAISE_TWIPS / 20),
                         p.block_width_mm, box.organ_height * 1.5, text=name)
        ooxml.paragraph_property(number, f'<w:spacing w:before="{mm_to_twips(box.number_top)}"/>')
        right = mm_to_twips_exact(p.block_width_mm)
        ooxml.paragraph_property(number, f'<w:tabs><w:tab w:val="right" w:pos="{right}"/></w:tabs>')
        ooxml.paragraph_property(number, '<w:jc w:val="left"/>')
        meta = list(m.meta_lines)
        if meta:  # 份号 (or 密级) at the left of the 发文字号's line, the others under it
            text, element = meta.pop(0)
            run = self._run(number, Span(text))
            self._font(run, p.element(element).role)
        self._run(number, Span(f"\t{m.number}"))
        for text, element in meta:
            paragraph = self._paragraph("MastheadMeta", [Span(text)])
            if element != "masthead_meta":
                self._font(paragraph.runs[0], p.element(element).role)

    def _page_shape(self, paragraph, name: str, left_mm: float, top_mm: float, width_mm: float, height_mm: float,
                    text: str = "", fill: str = "") -> None:
        """A DrawingML shape placed on the page (not in the text): a filled rectangle or a text box."""
        self._shapes += 1
        fill_xml = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
        body = f"<wps:txbx><w:txbxContent>{text}</w:txbxContent></wps:txbx>" if text else ""
        box_pr = ' txBox="1"' if text else ""
        cx, cy = mm_to_emu(width_mm), mm_to_emu(height_mm)
        paragraph._p.append(ooxml.element(
            '<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            f'relativeHeight="{251660000 + self._shapes}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
            '<wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="page"><wp:posOffset>{mm_to_emu(left_mm)}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{mm_to_emu(top_mm)}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{9000 + self._shapes}" name="{name} {self._shapes}"/><wp:cNvGraphicFramePr/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f"<wps:wsp><wps:cNvSpPr{box_pr}/><wps:spPr>"
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill_xml}<a:ln><a:noFill/></a:ln></wps:spPr>'
            f'{body}<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" '
            'anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'
        ))

    def order_signature(self, node: OrderSignature) -> None:
        """命令格式: 职务 and 签名章 on one line, right 4 字, two blank lines under the body; the 成文日期
        one blank line under it, right 4 字. The 签名章 is the name in red 楷体 with a red border."""
        p = self.profile
        char = p.docx_char_twips
        pitch = p.docx_line_pitch_twips
        box = geometry.order_signature_box(p)
        signer = self._paragraph("Signature", [Span(node.post + "\u3000" * round(box.post_gap))])
        ooxml.paragraph_property(signer, f'<w:spacing w:before="{box.blank_before * pitch}"/>')
        ooxml.paragraph_property(signer, _right_indent(box.seal_right, char))
        seal = self._run(signer, Span(node.name))
        if node.sealed:
            self._font(seal, p.element("signer_seal").role)
            ooxml.run_property(seal, f'<w:color w:val="{p.red}"/>')
            border = pt_to_border_eighths(p.signer_seal_border_pt)
            padding = round(p.signer_seal_padding_pt)
            ooxml.run_property(seal, f'<w:bdr w:val="single" w:sz="{border}" w:space="{padding}" w:color="{p.red}"/>')
        date = self._paragraph("Signature", [Span(node.date)])
        ooxml.paragraph_property(date, f'<w:spacing w:before="{box.blank_before_date * pitch}"/>')
        ooxml.paragraph_property(date, _right_indent(box.date_right, char))

    def _joint_masthead(self, m: Masthead, gap: int) -> None:
        """Joint issue: the organs stacked, 文件 to their right, centred vertically (a borderless table)."""
        spacer = self._paragraph("Masthead", [])
        ooxml.paragraph_property(spacer, f'<w:spacing w:before="{gap}" w:line="20" w:lineRule="exact"/>')
        p = self.profile
        width = mm_to_twips_exact(p.block_width_mm)
        suffix_width = pt_to_twips(geometry.joint_suffix_width_pt(p, m.suffix))
        table = self.body.add_table(rows=1, cols=2, width=Twips(width))
        left, right = table.rows[0].cells
        left.width, right.width = Twips(width - suffix_width), Twips(suffix_width)
        for cell in (left, right):
            cell._tc.get_or_add_tcPr().append(ooxml.element('<w:vAlign w:val="center"/>'))
        for index, organ in enumerate(m.organs):
            paragraph = left.paragraphs[0] if index == 0 else left.add_paragraph()
            _set_style(paragraph._p, "Masthead")
            ooxml.paragraph_property(paragraph, '<w:jc w:val="distribute"/>')
            self._run(paragraph, Span(organ))
        suffix = right.paragraphs[0]
        _set_style(suffix._p, "Masthead")
        ooxml.paragraph_property(suffix, '<w:jc w:val="right"/>')
        self._run(suffix, Span(m.suffix))

    def title(self, node: Title) -> None:
        paragraph = self._paragraph("DocTitle", [])
        lines = node.lines or [node.text]
        for number, line in enumerate(lines):
            run = self._run(paragraph, Span(line))
            if number < len(lines) - 1:
                run.add_break()
        if node.under_masthead:  # two blank lines under the red line
            ooxml.paragraph_property(paragraph, f'<w:spacing w:before="{2 * self.profile.docx_line_pitch_twips}"/>')

    def signature(self, node: Signature) -> None:
        """Right-indented in 字; with a seal the date stands 4 字 in and the seal sits behind both."""
        p = self.profile
        char = p.docx_char_twips
        sealed = bool(node.seal)
        sig_right, date_right = geometry.signature_indents(node.lines, node.date, sealed=sealed)
        before = geometry.signature_blank_lines(sealed) * p.docx_line_pitch_twips
        rows = [(line, sig_right) for line in node.lines] + ([(node.date, date_right)] if node.date else [])
        first = None
        for number, (text, right) in enumerate(rows):
            paragraph = self._paragraph("Signature", [Span(text)])
            indent = f'w:rightChars="{round(right * 100)}" w:right="{round(right * char)}"'
            ooxml.paragraph_property(paragraph, f'<w:ind {indent} w:firstLineChars="0" w:firstLine="0"/>')
            if number == 0:
                ooxml.paragraph_property(paragraph, f'<w:spacing w:before="{before}"/>')
                first = paragraph
        if node.seal and first is not None:
            centre_mm = pt_to_mm(geometry.seal_centre_from_right(node.date, date_right) * p.body_size_pt)
            left_mm = p.block_width_mm - centre_mm - p.seal_diameter_mm / 2
            _floating_seal(first, node.seal, p.seal_diameter_mm, left_mm, top_mm=p.seal_top_mm)

    def attachment_note(self, node: AttachmentNote) -> None:
        """附件：1.名称 — 2 字 in, one blank line above; later names and wrapped lines align with the first name."""
        p = self.profile
        char = p.docx_advance_twips
        for line in geometry.attachment_note_lines(p, node.names):
            paragraph = self._paragraph("Normal", [Span(line.text)])
            left, hanging = round(line.left_chars * char), round(line.hanging_chars * char)
            ooxml.paragraph_property(paragraph, f'<w:ind w:left="{left}" w:hanging="{hanging}" w:firstLineChars="0"/>')
            ooxml.paragraph_property(paragraph, '<w:jc w:val="left"/>')
            if line.first:
                ooxml.paragraph_property(paragraph, f'<w:spacing w:before="{p.docx_line_pitch_twips}"/>')

    def name_list(self, node: NameList) -> None:
        """出席：names — the label in 黑体 2 字 in, wrapped lines aligned with the first name."""
        p = self.profile
        char = p.docx_advance_twips
        left, hanging = geometry.name_list_indents(p, node.label)
        paragraph = self._paragraph("Normal", [])
        self._font(self._run(paragraph, Span(node.label)), p.element("minutes_label").role)
        for number, name in enumerate(node.names):
            if number:
                self._run(paragraph, Span("、"))
            if len(name) > unbreakable.WHOLE_NAME:  # a longer entry (各党支部书记……共53人): its units kept
                self._run(paragraph, Span(name), protect=True)
                continue
            run = self._run(paragraph, Span(unbreakable.joined(name)))
            ooxml.run_property(run, f'<w:lang w:eastAsia="{unbreakable.NO_LANGUAGE}"/>')
        ooxml.paragraph_property(paragraph, f'<w:ind w:left="{round(left * char)}" w:hanging="{round(hanging * char)}" '
                                            'w:firstLineChars="0"/>')
        ooxml.paragraph_property(paragraph, '<w:jc w:val="left"/>')
        if node.space_before:
            ooxml.paragraph_property(paragraph, f'<w:spacing w:before="{p.docx_line_pitch_twips}"/>')

    def attachment(self, node: Attachment) -> None:
        """A new page: 附件N top left in 黑体, a blank line, the title centred on the third line."""
        label = self._paragraph("AttachmentLabel", [Span(node.label)])
        ooxml.paragraph_property(label, "<w:pageBreakBefore/>")
        ooxml.paragraph_property(label, f'<w:spacing w:after="{self.profile.docx_line_pitch_twips}"/>')
        if node.title:
            self.title(Title(node.title, [node.title]))
        self.render_nodes(node.blocks)

    def imprint(self, node: Imprint) -> None:
        """版记: at the foot of the type block of the page ``node.placement`` says — the body's own last
        page (``SAME_PAGE``), or a section from the next even page (``NEXT_PAGE`` numbered; ``AFTER_BLANK``
        with empty footers: Word and LibreOffice put the blank page in as the section starts).

        It is a one-column table whose top, inner and bottom borders are the 版记's thick, thin and thick
        rules, inside a text box anchored to the bottom of the type block (wrap: top and bottom, so the
        body never runs under it): the bottom rule sits on the block's bottom whatever the text above
        it does. A table placed below the margin with ``w:tblpPr`` and a ``w:framePr`` frame are ignored
        by LibreOffice's DOCX import; a DrawingML text box it places as Word does.
        """
        p = self.profile
        if node.placement != SAME_PAGE:
            section = self._add_section(WD_SECTION.EVEN_PAGE)
            if not node.numbered:  # after a blank page: a fresh, empty footer, the 版记 page carries no number
                for footer in (section.footer, section.even_page_footer):
                    footer.is_linked_to_previous = False
        size = p.element("imprint").size_pt
        char = pt_to_twips(size)
        width = mm_to_twips_exact(p.block_width_mm)
        thick = mm_to_border_eighths(p.imprint_thick_mm)
        thin = mm_to_border_eighths(p.imprint_thin_mm)
        date = f"{node.print_date}印发"
        one_line = geometry.imprint_printer_on_one_line(p, node.printer, date)
        printer = [f"{node.printer}\t{date}"] if one_line else [node.printer, f"\t{date}"]
        rows = ([("cc", [node.cc_text])] if node.cc else []) + [("printer", printer)]
        line = pt_to_twips(size * p.table_line)  # the Imprint style's exact line height
        row_height = line + 2 * TABLE_PARAGRAPH_GAP_TWIPS
        left_chars, hanging_chars, right_chars = p.imprint_cc_indent_chars
        cc_width_pt = p.block_width_pt - (left_chars + right_chars) * size
        cc_lines = max(1, math.ceil(text_cells(node.cc_text) * size / cc_width_pt)) if node.cc else 1
        rules = 3 * thick * TWIPS_PER_PT // EIGHTHS_PER_PT
        table_height = row_height * (len(rows) - 1 + cc_lines if node.cc else 1) + rules
        table_height += line * (len(printer) - 1)
        table = self.body.add_table(rows=len(rows), cols=1, width=Twips(width))
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
        side = round(p.imprint_side_chars * char)
        for (kind, texts), row in zip(rows, table.rows, strict=True):
            cell = row.cells[0]
            cell.width = Twips(width)
            for number, text in enumerate(texts):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                _set_style(paragraph._p, "Imprint")
                self._run(paragraph, Span(text))
                if kind == "cc":  # 1 字 in on both sides, wrapped lines aligned after 抄送：
                    ooxml.paragraph_property(paragraph, f'<w:ind w:left="{round(left_chars * char)}" '
                                                        f'w:right="{round(right_chars * char)}" '
                                                        f'w:hanging="{round(hanging_chars * char)}"/>')
                else:  # organ 1 字 from the left, date 1 字 from the right
                    ooxml.paragraph_property(paragraph,
                                             f'<w:tabs><w:tab w:val="right" w:pos="{width - side}"/></w:tabs>')
                    ooxml.paragraph_property(paragraph, f'<w:ind w:left="{side}" w:right="{side}"/>')
        # The paragraph that anchors the text box (a section and a document end with a paragraph): no
        # height of its own, so it fits on the body's last page above the box.
        anchor = self._paragraph("Imprint", [])
        ooxml.paragraph_property(anchor, '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>')
        box = self._text_box(anchor, "版记", p.block_width_mm, table_height / TWIPS_PER_PT * 25.4 / 72)
        box.append(table._tbl)  # the table moves from the body into the box, a tiny paragraph after it
        box.append(ooxml.element('<w:p><w:pPr><w:pStyle w:val="Imprint"/><w:spacing w:before="0" w:after="0" '
                                 'w:line="20" w:lineRule="exact"/></w:pPr></w:p>'))

    def _text_box(self, paragraph, name: str, width_mm: float, height_mm: float):
        """A text box at the foot of the type block, anchored in ``paragraph``: returns its w:txbxContent."""
        self._shapes += 1
        cx, cy = mm_to_emu(width_mm), mm_to_emu(height_mm)
        paragraph._p.append(ooxml.element(
            '<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            f'relativeHeight="{251660000 + self._shapes}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">'
            '<wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
            f'<wp:docPr id="{9000 + self._shapes}" name="{name} {self._shapes}"/><wp:cNvGraphicFramePr/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
            '<wps:txbx><w:txbxContent/></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" '
            'rIns="0" bIns="0" anchor="b" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData>'
            '</a:graphic></wp:anchor></w:drawing></w:r>'
        ))
        return paragraph._p.findall(".//" + qn("w:txbxContent"))[-1]

    # --- helpers --------------------------------------------------------------------------------
    def office_font(self, role: str) -> str:
        return self.office_fonts.get(role, ROLES[role].office_name)

    def office_alternate(self, role: str) -> str:
        """The face Word and WPS take when the office font is missing (an office's own font: the usual one)."""
        alternate = ROLES[role].alternate
        return ROLES[role].office_name if self.office_font(role) == alternate else alternate

    def _font(self, run, role: str):
        font = self.office_font(role)
        ooxml.run_property(run, f'<w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}"/>')
        return run

    def _paragraph(self, style_id: str, spans: list[Span], lead: Heading | None = None, protect: bool = False):
        paragraph = self.body.add_paragraph()
        _set_style(paragraph._p, style_id)
        if lead is not None:
            run_style = RUN_IN_STYLES.get(lead.level)
            for span in [Span(lead.number), *lead.spans]:
                self._run(paragraph, span, run_style, protect=protect)
        for span in spans:
            self._run(paragraph, span, protect=protect)
        return paragraph

    def _run(self, paragraph, span: Span, char_style: str | None = None, protect: bool = False):
        """A run of ``span`` (the last, when ``protect`` splits it): with ``protect``, each unit that must
        not break (a name, a number and its measure word, a date, a post, a phone number:
        ``docgen.linebreak.unbreakable``) is a run of its own, its characters joined by word joiners and its
        East Asian language unset (``x-none``). LibreOffice's Chinese line breaking breaks between any
        two ideographs and ignores the word joiner; under no language it follows Unicode's line
        breaking, which honours it, as Word does."""
        if not protect:
            return self._plain_run(paragraph, span.text, span, char_style)
        run = None
        for piece, unit in unbreakable.segments(span.text, self._people) or [("", False)]:
            run = self._plain_run(paragraph, unbreakable.joined(piece) if unit else piece, span, char_style)
            if unit:
                ooxml.run_property(run, f'<w:lang w:eastAsia="{unbreakable.NO_LANGUAGE}"/>')
        return run

    @staticmethod
    def _plain_run(paragraph, text: str, span: Span, char_style: str | None):
        if RUN_BREAKS.search(text):  # tabs and line breaks: python-docx's own translation
            run = paragraph.add_run(text)
        else:  # what add_run does for plain text (one w:t), without its character-by-character walk
            r = paragraph._p.add_r()
            if text:
                r.add_t(text)
            run = Run(r, paragraph)
        if char_style:
            run._r.style = char_style
        if span.bold:
            run.bold = True
        if span.italic:
            run.italic = True
        if EAST_ASIAN_AMBIGUOUS.search(text):
            run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "eastAsia")
        return run

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
        footer_mm = p.margin_bottom_mm - p.page_number_gap_mm - pt_to_mm(number.size_pt)
        section.footer_distance = Twips(mm_to_twips(footer_mm))
        section.header_distance = Twips(mm_to_twips(15))
        sect = section._sectPr
        for old in sect.findall(qn("w:docGrid")):
            sect.remove(old)
        sect.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{p.docx_line_pitch_twips}"/>'))

    def _page_numbers(self, document: docx.document.Document) -> None:
        """`— N —` in 4号宋体: odd pages right, even pages left, 1 字 in from the type block's edge."""
        document.settings.odd_and_even_pages_header_footer = True
        section = document.sections[0]
        inset = pt_to_twips(self.profile.element("page_number").size_pt)
        for footer, align, side in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            _set_style(paragraph._p, "Footer")
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
    def _properties(document: docx.document.Document, meta) -> None:
        """Title, author (the issuing organ), subject and the document's own date from the data."""
        props = document.core_properties
        stamp = package.fixed_datetime()
        props.title = meta.title if meta else ""
        props.author = (meta.author if meta and meta.author else "docgen")
        props.last_modified_by = "docgen"
        props.subject = meta.subject if meta else ""
        created = dt.datetime.fromisoformat(meta.created) if meta and meta.created else stamp
        props.created = created
        props.modified = props.last_printed = stamp
        props.revision = 1
        props.comments = ""


def _right_indent(chars: float, char_twips: int) -> str:
    """A right indent of N 字 (Word's character unit and its twips), no first-line indent."""
    return (f'<w:ind w:rightChars="{round(chars * 100)}" w:right="{round(chars * char_twips)}" '
            'w:firstLineChars="0" w:firstLine="0"/>')


def _set_style(p, style_id: str) -> None:
    """python-docx's ``p.style = style_id``; for a new, empty paragraph (most of them) the same
    ``<w:pPr><w:pStyle w:val=…/></w:pPr>`` without python-docx's search of the ~40 tags that may follow a
    ``w:pPr``, which was the writer's largest single cost."""
    if len(p):
        p.style = style_id
        return
    properties = OxmlElement("w:pPr")
    properties.append(OxmlElement("w:pStyle", attrs={qn("w:val"): style_id}))
    p.append(properties)


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
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{mm_to_emu(left_mm)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{mm_to_emu(top_mm)}</wp:posOffset>'
        "</wp:positionV>"
        f'<wp:extent cx="{extent.get("cx")}" cy="{extent.get("cy")}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{doc_pr.get("id")}" name="印章"/><wp:cNvGraphicFramePr/>'
        "</wp:anchor>"
    )
    anchor.append(graphic)
    inline.getparent().replace(inline, anchor)


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
