"""GB/T 9704-2012's numbers in one place, per form, read by both writers and by the tests.

Everything is kept in millimetres and points as the standard states them; the DOCX units
(twips, half-points) and the CSS values are derived here (through ``units``) so no writer does its
own arithmetic. Numbers a writer calibrated against one renderer (LibreOffice's line metrics) are
here too, named as such, so the two writers never hold two copies of one length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.standard.units import TWIPS_PER_PT, margin_mm_to_twips, mm_to_pt, mm_to_twips


@dataclass(frozen=True)
class TextStyle:
    """One element's typography: which font role, what size, how it sits on the line."""

    role: str  # a key of fonts.ROLES: body, title, kai, hei, song
    size_pt: float
    align: str = "justify"  # justify | center | left | right
    indent_chars: float = 2.0  # first-line indent in characters of the body size
    bold: bool = False


@dataclass(frozen=True)
class StyleProfile:
    """Page geometry and element styles of a document family."""

    name: str
    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    margin_top_mm: float = 37.0  # 天头
    margin_bottom_mm: float = 35.0
    margin_left_mm: float = 28.0  # 订口
    margin_right_mm: float = 26.0
    lines_per_page: int = 22
    chars_per_line: int = 28
    body_size_pt: float = 16.0  # 3号
    page_number_size_pt: float = 14.0  # 4号
    page_number_gap_mm: float = 7.0  # below the type block
    docx_condense_twips: int = -5  # −0.25 pt per character: 28 × 15.75 pt fits 156 mm in Word and LibreOffice
    red: str = "FF0000"  # 发文机关标志, the separator line and the seal
    masthead_size_pt: float = 36.0  # 小初, custom; squeezed horizontally when the organ's name is long
    masthead_gap_mm: float = 35.0  # top of the 发文机关标志 below the top of the type block
    redline_gap_mm: float = 4.0  # separator line below the 发文字号's baseline
    redline_width_pt: float = 1.5  # custom
    imprint_thick_mm: float = 0.35  # first and last 版记 lines
    imprint_thin_mm: float = 0.25  # the lines between
    # custom: white between the last line of the body (署名, 成文日期, 附注) and the 版记's first rule when the
    # 版记 shares the body's last page; a print office leaves at least one line
    imprint_gap_lines: float = 1.0
    # LibreOffice's rendering of the DOCX may run longer than the PDF, up to a line a page (its gap before
    # digits breaks some lines a character earlier; measured on the campaign corpus: 4 lines by page 6):
    # the 版记 shares the body's last page only with this many lines to spare for every page before it
    imprint_drift_lines_per_page: float = 1.0
    # custom: how far the line spacing may be tightened so body text comes along with the signature
    # (GB/T 9704 7.3.5: 调整行距、字距): to this share of the grid's pitch, 27 lines a page at most
    signature_fit_least: float = 0.8
    # the white a fitted page keeps at its foot in the PDF: LibreOffice sets the 版头 and the exact lines
    # of the DOCX up to 1 mm lower (measured), and a page that fits in one must fit in the other
    signature_fit_slack_mm: float = 3.0
    seal_diameter_mm: float = 42.0
    seal_top_mm: float = 2.0  # the seal's top below the signature's first line: within one line of the body
    file_suffix: str = "文件"  # 发文机关标志 = the organ's name + 文件 (文件格式)
    joint_organ_line: float = 1.15  # joint issue: line height of the stacked organs, in masthead sizes
    joint_suffix_advance: float = 1.2  # joint issue: width of each 文件 character, in masthead sizes
    # Measured on FandolFang 16 pt on the grid (pdfplumber, and LibreOffice's rendering of the DOCX):
    # a line's baseline sits this far above the bottom of its line box (half-leading plus descent).
    baseline_above_line_bottom_mm: float = 3.0
    table_line: float = 1.45  # a table cell's line height, in its font size
    table_padding_pt: tuple[float, float] = (2.0, 4.0)  # a cell's padding: top/bottom, left/right
    # A column left empty to be written in by hand (签到表's 签到): at least 35 mm, custom; the half
    # millimetre more survives the writers' rounding (the PDF's column percentages, the DOCX's twips).
    table_blank_column_mm: float = 35.5
    table_blank_row_mm: float = 10.0  # a row of a table with such a column: room for a signature, custom
    table_rows_with_signature: int = 2  # custom: a table's last rows go onto the 署名's page with it
    watermark_size_pt: float = 110.0  # 草稿 / 征求意见稿 across the page, custom
    watermark_angle_deg: float = 35.0  # rising to the right
    watermark_tracking_pt: float = 10.0  # letter spacing of the watermark's characters
    watermark_top_mm: float = 80.0  # of its line box, from the type block's top (PDF)
    watermark_box_pt: tuple[float, float] = (420.0, 140.0)  # the DOCX shape the word is fitted into
    imprint_cc_indent_chars: tuple[float, float, float] = (4.0, 3.0, 1.0)  # 抄送: left, hanging, right (字)
    imprint_side_chars: float = 1.0  # 印发机关 1 字 from the left, 印发日期 1 字 from the right
    attachment_note_indent_chars: float = 2.0  # 附件说明 2 字 in
    attachment_label_chars: float = 3.0  # 附件：
    minutes_suffix: str = "纪要"  # 纪要格式: the header is ××××纪要 (GB/T 9704 10.3)
    minutes_label_indent_chars: float = 2.0  # 出席：/请假：/列席： 左空二字
    # 信函格式 (GB/T 9704 10.1), measured from the paper's edges, not the type block's.
    letter_masthead_top_mm: float = 30.0  # 发文机关标志's top edge below the paper's top edge
    letter_masthead_size_pt: float = 36.0  # 小初 小标宋, red; custom (condensed when the name is long)
    letter_rule_gap_mm: float = 4.0  # the first double line 4 mm under the 发文机关标志
    letter_rule_length_mm: float = 170.0  # both double lines, centred on the paper
    letter_bottom_rule_mm: float = 20.0  # the second double line's bottom edge above the paper's bottom edge
    letter_rule_thick_mm: float = 1.0  # custom: the thick line of each pair
    letter_rule_thin_mm: float = 0.35  # custom: the thin line of each pair
    letter_rule_space_mm: float = 0.75  # custom: the white between the two lines of a pair
    letter_number_gap_chars: float = 7 / 8  # 发文字号 under the first double line by 7/8 of a 3号 character's height
    # 命令（令）格式 (GB/T 9704 10.2, 7.3.5.3)
    order_suffix: str = "令"  # 发文机关标志 = the organ's full name + 令 (or 命令)
    order_masthead_gap_mm: float = 20.0  # top of the 发文机关标志 below the top of the type block
    order_signer_right_chars: float = 4.0  # 签名章 右空四字; the 成文日期 too
    order_signer_post_gap_chars: float = 2.0  # 签发人职务 左空二字 from the 签名章
    order_signer_blank_lines: int = 2  # 正文下空二行 the 签名章
    order_date_blank_lines: int = 1  # 签名章下空一行 the 成文日期
    signer_seal_border_pt: float = 1.0  # custom: the drawn 签名章's red frame (the name in red 楷体)
    signer_seal_padding_pt: float = 3.0  # custom: white inside the frame, left and right
    elements: dict[str, TextStyle] = field(default_factory=dict)

    # --- derived geometry -------------------------------------------------------------------
    @property
    def block_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def block_width_pt(self) -> float:
        return mm_to_pt(self.block_width_mm)

    @property
    def block_height_mm(self) -> float:
        return self.page_height_mm - self.margin_top_mm - self.margin_bottom_mm

    @property
    def line_pitch_pt(self) -> float:
        """225 mm / 22 = 28.99 pt: the grid every line of the page sits on."""
        return mm_to_pt(self.block_height_mm) / self.lines_per_page

    @property
    def css_line_height_pt(self) -> float:
        """The pitch less a hair, for the same reason as the letter spacing: 22 exact pitches fill
        the block to the last decimal, and rounding would push the 22nd line to the next page."""
        return self.line_pitch_pt - 0.01

    @property
    def char_pitch_pt(self) -> float:
        """156 mm / 28 = 15.79 pt: the advance of one character including letter spacing."""
        return mm_to_pt(self.block_width_mm) / self.chars_per_line

    @property
    def letter_spacing_pt(self) -> float:
        """CSS letter-spacing that makes a 16 pt character advance one pitch (−0.21 pt).

        A hair (0.01 pt) less than the exact pitch: 28 exact pitches equal the block's width, and
        the layout engine's rounding would then push the 28th character to the next line.
        """
        return self.char_pitch_pt - self.body_size_pt - 0.01

    def table_letter_spacing_pt(self, size_pt: float) -> float:
        """Letter spacing of a table's smaller text: the body's, in proportion, in Word's 1/20 pt steps.

        Both writers set this one value (Word's styles otherwise inherit the body's −0.25 pt, and
        LibreOffice fitted a tenth character in a column where WeasyPrint fitted nine)."""
        return round(self.letter_spacing_pt * size_pt / self.body_size_pt * 20) / 20

    def indent_pt(self, chars: float) -> float:
        """An indent of N characters, measured in pitches so an indented line still holds whole characters."""
        return chars * self.char_pitch_pt

    @property
    def docx_line_pitch_twips(self) -> int:
        """The grid pitch in twips, rounded down: 580 would fit only 21 lines in the type block."""
        return int(self.line_pitch_pt * TWIPS_PER_PT)

    @property
    def docx_margins_twips(self) -> dict[str, int]:
        return {
            "top": margin_mm_to_twips(self.margin_top_mm),
            "bottom": margin_mm_to_twips(self.margin_bottom_mm),
            "left": margin_mm_to_twips(self.margin_left_mm),
            "right": margin_mm_to_twips(self.margin_right_mm),
        }

    @property
    def docx_page_twips(self) -> tuple[int, int]:
        return mm_to_twips(self.page_width_mm), mm_to_twips(self.page_height_mm)

    @property
    def docx_char_twips(self) -> int:
        """One 字 in the DOCX: the body size, Word's character unit (w:firstLineChars counts in it)."""
        return round(self.body_size_pt * TWIPS_PER_PT)

    @property
    def docx_advance_twips(self) -> int:
        """One body character's advance in the DOCX (16 pt condensed by 0.25 pt): the unit of the
        hanging indents whose wrapped lines must still hold whole characters (附件说明, 出席：)."""
        return round(self.body_size_pt * TWIPS_PER_PT) + self.docx_condense_twips

    @property
    def title_chars_per_line(self) -> int:
        """How many 2号 title characters the type block holds: 156 mm of 22 pt is 20."""
        return int(self.block_width_pt // self.element("title").size_pt)

    @property
    def line_pitch_mm(self) -> float:
        return self.block_height_mm / self.lines_per_page

    def element(self, name: str) -> TextStyle:
        return self.elements[name]


GBT9704 = StyleProfile(
    name="gbt9704",
    elements={
        "body": TextStyle("body", 16),
        "title": TextStyle("title", 22, align="center", indent_chars=0),  # 2号小标宋
        "speaker": TextStyle("kai", 16, align="center", indent_chars=0),  # 3号楷体
        "salutation": TextStyle("body", 16, align="left", indent_chars=0),
        "heading1": TextStyle("hei", 16),  # 一、 黑体
        "heading2": TextStyle("kai", 16),  # （一） 楷体
        "heading3": TextStyle("body", 16),  # 1. 仿宋
        "heading4": TextStyle("body", 16),  # （1） 仿宋
        "closing": TextStyle("body", 16),
        "page_number": TextStyle("song", 14, align="right", indent_chars=0),  # 4号宋体
        "addressee": TextStyle("body", 16, align="left", indent_chars=0),  # 主送机关
        "signature": TextStyle("body", 16, align="right", indent_chars=0),  # 署名、成文日期
        "masthead": TextStyle("title", 36, align="center", indent_chars=0),  # 发文机关标志 小标宋, red
        "copy_number": TextStyle("body", 16, align="left", indent_chars=0),  # 份号 3号 (Arabic digits, 仿宋)
        "masthead_meta": TextStyle("hei", 16, align="left", indent_chars=0),  # 密级、紧急程度 3号黑体
        "doc_number": TextStyle("body", 16, align="center", indent_chars=0),  # 发文字号 3号仿宋
        "imprint": TextStyle("body", 14, align="left", indent_chars=0),  # 抄送、印发 4号仿宋
        "attachment_label": TextStyle("hei", 16, align="left", indent_chars=0),  # 附件1 3号黑体
        "minutes_label": TextStyle("hei", 16, align="left", indent_chars=0),  # 出席：请假：列席： 3号黑体
        "signer_seal": TextStyle("kai", 16, align="right", indent_chars=0),  # 命令's 签名章: the name, red 楷体
        "table_header": TextStyle("hei", 12, align="center", indent_chars=0),  # 小四号黑体
        "table_text": TextStyle("body", 12, align="left", indent_chars=0),  # 小四号仿宋: a 公示 table is wide
    },
)

PROFILES = {"gbt9704": GBT9704}
DEFAULT_PROFILE = "gbt9704"


def profile(name: str = DEFAULT_PROFILE) -> StyleProfile:
    """The profile of a form; a name no form has is an error, never a silent fallback."""
    try:
        return PROFILES[name]
    except KeyError:
        raise DocgenError(_("unknown style profile '{name}'; docgen knows: {PROFILES}").format(
            name=name, PROFILES=', '.join(PROFILES))) from None
