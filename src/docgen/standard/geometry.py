"""Where the 公文 frame's elements go: computed once here, used by the DOCX and the HTML/PDF writer.

Positions are in millimetres from the type block's top, indents in 字 (characters of the element's
size); each writer turns 字 into its own unit with one helper (the DOCX's character unit, the PDF's
grid pitch), so a rule such as "the date 4 字 from the right" is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.standard.gbt9704 import StyleProfile
from docgen.standard.units import mm_to_pt, pt_to_mm
from docgen.zh import script_seams, text_cells


@dataclass(frozen=True)
class MastheadBox:
    """The 版头's lines, in mm from the type block's top, and the height it takes before the title."""

    meta_tops: tuple[float, ...]  # 份号, 密级, 紧急程度: one grid line each, from the top
    organ_top: float
    organ_height: float
    number_top: float
    number_baseline: float
    redline: float | None  # None: the form has no red line (命令格式)
    height: float


FORMS = ("file", "order")  # 文件格式 (and 纪要格式, which has its 版头), 命令（令）格式


def masthead_box(p: StyleProfile, organs: int, meta_lines: int, form: str = "file") -> MastheadBox:
    """GB/T 9704 7.2: header 35 mm below the block's top, 发文字号 two blank lines under it, the red
    line 4 mm under the number's baseline, the title two blank lines under the red line.

    命令格式 (10.2): header 20 mm below the block's top, the 令号 two blank lines under it, no red
    line, the body two blank lines under the 令号."""
    if form not in FORMS:
        raise ValueError(f"unknown 版头 form {form!r}; one of {', '.join(FORMS)}")
    pitch = p.line_pitch_mm
    organs = max(organs, 1)
    organ_top = p.order_masthead_gap_mm if form == "order" else p.masthead_gap_mm
    # line height equals the size: the glyphs' top is the line's top
    organ_height = pt_to_mm(p.masthead_size_pt) * organs * (1.0 if organs == 1 else p.joint_organ_line)
    number_top = organ_top + organ_height + 2 * pitch
    baseline = number_top + pitch - p.baseline_above_line_bottom_mm
    redline = None if form == "order" else baseline + p.redline_gap_mm
    height = number_top + 3 * pitch if redline is None else redline + 2 * pitch
    return MastheadBox(
        meta_tops=tuple(row * pitch for row in range(meta_lines)),
        organ_top=organ_top, organ_height=organ_height, number_top=number_top, number_baseline=baseline,
        redline=redline, height=height,
    )


def masthead_scale(p: StyleProfile, name: str) -> float:
    """How much a one-organ 发文机关标志 is condensed to stay inside the type block (1.0: not at all)."""
    return min(1.0, p.block_width_pt / (text_cells(name) * p.masthead_size_pt))


def joint_suffix_width_pt(p: StyleProfile, suffix: str) -> float:
    """Joint issue: the width kept right of the stacked organs for 文件."""
    return text_cells(suffix) * p.masthead_size_pt * p.joint_suffix_advance


def joint_scale(p: StyleProfile, organs: list[str], suffix: str) -> float:
    """Joint issue: the condensing that fits the longest organ left of 文件."""
    longest = max(text_cells(o) for o in organs)
    return min(1.0, (p.block_width_pt - joint_suffix_width_pt(p, suffix)) / (longest * p.masthead_size_pt))


def table_widths(p: StyleProfile, table, people: tuple[str, ...] = ()) -> list[float]:
    """A table's column widths in character cells of its text size, padding included (both writers): a
    column to write in (签到) at least ``table_blank_column_mm``, the others as ``layout.column_widths``
    makes the table shortest, no column narrower than its longest name, post or date (``people``: the
    names in the data)."""
    from docgen.linebreak import titles as layout
    from docgen.linebreak import unbreakable

    size = p.element("table_text").size_pt
    pad_h = p.table_padding_pt[1]
    padding = (2 * pad_h + 2) / size  # a cell's left and right padding, and its borders
    total = p.block_width_pt / size
    blank = blank_columns(table)
    least = mm_to_pt(p.table_blank_column_mm) / size
    written = [col for col in range(len(table.header)) if col not in blank]
    columns = [[table.cell_text(table.header[col]),
                *(table.cell_text(row[col]) for row in table.rows if col < len(row))] for col in written]

    def longest_unit(text: str) -> float:  # with LibreOffice's gap at each seam, as the column's text
        pieces = unbreakable.segments(text, people)
        return max((text_cells(piece) + 0.25 * script_seams(piece) for piece, whole in pieces if whole),
                   default=1.0 if text else 0.0)

    advance = (size + p.table_letter_spacing_pt(size)) / size
    row_min = table_row_min_mm(p, table)
    line = size * p.table_line  # a cell's line, and a row's padding above and below it
    floor = (mm_to_pt(row_min) - 2 * p.table_padding_pt[0]) / line if row_min else 1.0
    found = layout.column_widths(columns, total - least * len(blank), padding, longest_unit, fill=not blank,
                                 advance=advance, floor=max(1.0, floor))
    widths = [0.0] * len(table.header)
    for col, width in zip(written, found, strict=True):
        widths[col] = width
    spare = max(0.0, total - sum(found) - least * len(blank))
    for col in blank:  # what the written columns leave goes to the columns to write in
        widths[col] = least + spare / len(blank)
    return widths


def blank_columns(table) -> list[int]:
    """The columns whose body cells are all empty (to be written in by hand), unless all are."""
    columns = len(table.header)
    blank = [col for col in range(columns)
             if table.rows and all(not table.cell_text(row[col]).strip() for row in table.rows if col < len(row))]
    return blank if len(blank) < columns else []


def table_row_min_mm(p: StyleProfile, table) -> float | None:
    """A body row's least height: room to sign when the table has a column to write in, else none."""
    return p.table_blank_row_mm if blank_columns(table) else None


def signature_indents(lines: list[str], date: str, sealed: bool = False) -> tuple[float, float]:
    """Right indents (in 字) of 发文机关署名 and 成文日期, GB/T 9704 7.3.5.

    Without a seal (7.3.5.2) the signature stands 2 字 from the right; the date on the next line
    starts 2 字 right of the signature's start, and a date longer than that allows stands 2 字 from
    the right and pushes the signature left by as much. With a seal (7.3.5.1) the date stands 4 字
    from the right and the signature is centred over it — a name longer than the date allows (a 团场's
    21-character 委员会) stops at the right margin instead of running off the page.
    """
    signature = max((text_cells(line) for line in lines), default=0.0)
    date_cells = text_cells(date)
    if sealed:
        return max(0.0, 4.0 + (date_cells - signature) / 2), 4.0
    signature_right = 2.0
    date_right = signature_right + signature - 2 - date_cells
    if date_right < 2:
        date_right = 2.0
        signature_right = date_right + date_cells + 2 - signature
    return signature_right, date_right


def signature_blank_lines(sealed: bool) -> int:
    """Blank lines between the body and the 署名: one, or two to leave the seal room."""
    return 2 if sealed else 1


def seal_centre_from_right(date: str, date_right: float) -> float:
    """Where the seal's centre sits, in 字 from the right: over the middle of the date."""
    return date_right + text_cells(date) / 2


@dataclass(frozen=True)
class NoteLine:
    """One line of the 附件说明: its text, and its indents in 字 (left edge of wrapped lines, hanging)."""

    text: str
    left_chars: float
    hanging_chars: float
    first: bool


def attachment_note_lines(p: StyleProfile, names: list[str]) -> list[NoteLine]:
    """附件：1.名称 — 2 字 in; later names and wrapped lines align with the first name."""
    lines = []
    lead = p.attachment_note_indent_chars + p.attachment_label_chars
    for number, name in enumerate(names, 1):
        marker = f"{number}." if len(names) > 1 else ""
        marker_chars = text_cells(marker)
        first = number == 1
        hanging = (p.attachment_label_chars + marker_chars) if first else marker_chars
        label = "附件：" if first else ""
        lines.append(NoteLine(label + marker + name, lead + marker_chars, hanging, first))
    return lines


def name_list_indents(p: StyleProfile, label: str) -> tuple[float, float]:
    """纪要's 出席：…: (left, hanging) in 字 — the label 2 字 in, wrapped names aligned after it."""
    hanging = text_cells(label)
    return p.minutes_label_indent_chars + hanging, hanging


def imprint_printer_on_one_line(p: StyleProfile, printer: str, date_text: str) -> bool:
    """Whether 印发机关 (1 字 from the left) and 印发日期 (1 字 from the right) share a line with at least
    one 字 between them; a 团场's 24-character 办公室 does not, and the date takes the next line, right."""
    size = p.element("imprint").size_pt
    cells = p.block_width_pt / size - 2 * p.imprint_side_chars
    return text_cells(printer) + 1 + text_cells(date_text) <= cells


@dataclass(frozen=True)
class LetterBox:
    """信函格式's 版头 (GB/T 9704 10.1), in mm from the paper's top and left edges.

    ``rules`` are the first page's four red lines as (top, thickness): the top pair thick over thin
    under the 发文机关标志, the bottom pair thin over thick, its lower edge ``letter_bottom_rule_mm``
    above the paper's bottom edge; all ``rule_length`` long from ``rule_left``, centred on the type
    block's axis as the 发文机关标志 is (居中排布: the axis of every centred element). ``number_top`` is the
    top of the 发文字号's line box in mm from the type block's top, and ``height`` how far below the
    type block's top the title's line starts (two blank lines under the 发文字号).
    """

    organ_top: float
    organ_height: float
    rules: tuple[tuple[float, float], ...]
    rule_left: float
    rule_length: float
    number_glyph_top: float  # page mm: 7/8 of a 3号 character under the first pair
    number_top: float  # block mm: the 发文字号's line box
    meta_tops: tuple[float, ...]  # block mm: 份号, 密级, 紧急程度 on the lines of the 发文字号 and after
    height: float


def letter_box(p: StyleProfile, meta_lines: int = 0) -> LetterBox:
    organ_top = p.letter_masthead_top_mm
    organ_height = pt_to_mm(p.letter_masthead_size_pt)
    thick, thin, space = p.letter_rule_thick_mm, p.letter_rule_thin_mm, p.letter_rule_space_mm
    first = organ_top + organ_height + p.letter_rule_gap_mm
    bottom_thick = p.page_height_mm - p.letter_bottom_rule_mm - thick
    rules = ((first, thick), (first + thick + space, thin),
             (bottom_thick - space - thin, thin), (bottom_thick, thick))
    under_rules = first + thick + space + thin
    glyph_top = under_rules + p.letter_number_gap_chars * pt_to_mm(p.body_size_pt)
    pitch = p.line_pitch_mm
    # the line box's top: the glyphs' em box is centred in the grid line (half the leading above it)
    number_top = glyph_top - p.margin_top_mm - (pitch - pt_to_mm(p.body_size_pt)) / 2
    lines = max(meta_lines, 1)  # the 发文字号 shares the first line with the 份号 (left and right)
    return LetterBox(
        organ_top=organ_top, organ_height=organ_height, rules=rules,
        rule_left=p.margin_left_mm + (p.block_width_mm - p.letter_rule_length_mm) / 2,
        rule_length=p.letter_rule_length_mm,
        number_glyph_top=glyph_top, number_top=number_top,
        meta_tops=tuple(number_top + row * pitch for row in range(meta_lines)),
        height=number_top + (lines + 2) * pitch,
    )


def letter_masthead_scale(p: StyleProfile, name: str) -> float:
    """How much the 信函's 发文机关标志 is condensed to stay inside the type block (1.0: not at all)."""
    return min(1.0, p.block_width_pt / (text_cells(name) * p.letter_masthead_size_pt))


@dataclass(frozen=True)
class OrderSignatureBox:
    """命令格式's 签发人职务, 签名章 and 成文日期 (GB/T 9704 7.3.5.3), in 字 and grid lines."""

    seal_right: float  # 签名章 右空四字
    post_gap: float  # 职务 左空二字 from the 签名章
    date_right: float  # 成文日期 右空四字
    blank_before: int  # 正文下空二行
    blank_before_date: int  # 签名章下空一行


def order_signature_box(p: StyleProfile) -> OrderSignatureBox:
    return OrderSignatureBox(
        seal_right=p.order_signer_right_chars, post_gap=p.order_signer_post_gap_chars,
        date_right=p.order_signer_right_chars, blank_before=p.order_signer_blank_lines,
        blank_before_date=p.order_date_blank_lines,
    )
