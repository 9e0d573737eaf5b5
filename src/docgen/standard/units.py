"""Length units: the one place millimetres, points, twips, EMUs and border eighths convert.

The standard states lengths in millimetres and type sizes in points; Word counts twips (1/20 pt),
EMUs (1/36000 mm) for pictures and eighths of a point for borders; CSS takes mm and pt as they are.
"""

from __future__ import annotations

MM_PER_PT = 25.4 / 72
TWIPS_PER_PT = 20
TWIPS_PER_INCH = 1440
EMU_PER_MM = 36000
EIGHTHS_PER_PT = 8  # w:sz of a border


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


def pt_to_mm(pt: float) -> float:
    return pt * MM_PER_PT


def pt_to_twips(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


def mm_to_twips(mm: float) -> int:
    return round(mm_to_pt(mm) * TWIPS_PER_PT)


def mm_to_twips_exact(mm: float) -> int:
    """Millimetres to twips by the inch (mm / 25.4 × 1440), as a table or tab stop width is written."""
    return round(mm / 25.4 * TWIPS_PER_INCH)


def margin_mm_to_twips(mm: float) -> int:
    """Word's own conversion for margins (1 cm = 567 twips): 28 mm → 1588, as offices' templates have it."""
    return round(mm * 56.7)


def mm_to_emu(mm: float) -> int:
    return round(mm * EMU_PER_MM)


def mm_to_border_eighths(mm: float) -> int:
    return round(mm_to_pt(mm) * EIGHTHS_PER_PT)


def pt_to_border_eighths(pt: float) -> int:
    return round(pt * EIGHTHS_PER_PT)
