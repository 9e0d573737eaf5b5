"""The PDF, measured with pdfplumber: A4, type block at 37/28 mm, 22 lines × 28 characters, `— N —`."""

import re
import subprocess

import pytest

from docgen.standard import GBT9704

from .measure import HANGING, body_lines, cells, is_full_width_only, pdf_lines

P = GBT9704


@pytest.fixture(scope="module")
def measured(speech_files):
    return pdf_lines(speech_files["pdf"])


def test_a4(measured):
    _, sizes = measured
    for width, height in sizes:
        assert width == pytest.approx(210, abs=0.5) and height == pytest.approx(297, abs=0.5)


def test_left_edge_at_28mm_and_first_line_at_the_type_block_top(measured):
    pages, _ = measured
    for lines in pages[1:-1]:
        body = body_lines(lines)
        assert min(line.x0_mm for line in body) == pytest.approx(P.margin_left_mm, abs=1)
        # The first grid line starts at 37 mm; a 16 pt glyph sits centred in its 28.99 pt line.
        assert P.margin_top_mm <= body[0].top_mm <= P.margin_top_mm + 3


def test_full_lines_hold_28_characters(measured):
    pages, _ = measured
    counts = [cells(line.text) for lines in pages for line in body_lines(lines) if is_full_width_only(line.text)]
    assert max(counts) == 28  # a 29th character only as a closing mark hung past the edge (pdf_hanging)
    hung = [line for lines in pages for line in body_lines(lines) if len(line.text) == 29]
    assert hung and all(line.text[-1] in HANGING and line.x1_mm > P.page_width_mm - P.margin_right_mm + 3
                        for line in hung)
    # Most lines of the speech are full lines of Chinese text and hold exactly 28.
    assert counts.count(28) > len(counts) / 2
    right_edge = P.page_width_mm - P.margin_right_mm
    full = [line for lines in pages for line in body_lines(lines)
            if len(line.text) == 28 and is_full_width_only(line.text)]
    assert all(line.x1_mm == pytest.approx(right_edge, abs=0.5) for line in full)


def test_full_pages_hold_22_lines(measured):
    pages, _ = measured
    counts = [len(body_lines(lines)) for lines in pages[1:-1]]
    assert max(counts) == 22
    # a heading kept with its text, or a paragraph's last line not left alone (widows and orphans: two
    # lines together), shortens a page by a line or two
    assert min(counts) >= 20, counts


def test_page_numbers_odd_right_even_left(measured):
    pages, _ = measured
    block_bottom = P.page_height_mm - P.margin_bottom_mm
    inset = P.page_number_size_pt * 25.4 / 72
    for number, lines in enumerate(pages, 1):
        footer = [line for line in lines if line.size == P.page_number_size_pt]
        assert len(footer) == 1
        assert re.fullmatch(rf"— {number} —", footer[0].text.replace("\u2009", " "))
        assert footer[0].top_mm == pytest.approx(block_bottom + P.page_number_gap_mm, abs=1)
        if number % 2:
            assert footer[0].x1_mm == pytest.approx(P.page_width_mm - P.margin_right_mm - inset, abs=0.5)
        else:
            assert footer[0].x0_mm == pytest.approx(P.margin_left_mm + inset, abs=0.5)


def test_fonts_are_the_roles_and_all_embedded(speech_files, measured):
    result = subprocess.run(["pdffonts", str(speech_files["pdf"])], capture_output=True, text=True, check=True)
    rows = result.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        columns = row.split()
        assert columns[-5] == "yes", row  # emb
    names = " ".join(rows)
    for role in ("title", "body", "kai", "hei", "song"):
        assert f"docgen-{role}" in names
    pages, _ = measured
    fonts_by_kind = {line.text[:2]: line.font for lines in pages for line in lines}
    assert "docgen-hei" in fonts_by_kind["一、"] and "docgen-kai" in fonts_by_kind["（一"]


def test_a_line_may_end_after_a_closing_quote_and_a_29th_mark_hangs(tmp_path):
    """writers/pdf/hanging.py, in the 瓦店 opinion as LibreOffice sets its DOCX: a line may end with a closing
    quote before a Chinese character (「…未达到“五好四强”」, then 「要求的各党组织」: Pango alone kept ”要
    together and carried the word over), and lines of 28 characters followed by a closing mark hang the mark
    past the right edge instead of carrying the 28th character over."""
    import docgen

    from .conftest import EXAMPLE

    (pdf,) = docgen.render(EXAMPLE, template="opinion", formats=("pdf",), out=tmp_path)
    pages, _ = pdf_lines(pdf)
    lines = [line for page in pages for line in body_lines(page)]
    assert any(line.text.endswith("”") and following.text[:1] >= "\u4e00"
               for line, following in zip(lines, lines[1:], strict=False))
    right_edge = P.page_width_mm - P.margin_right_mm
    hung = [line for line in lines if len(line.text) == 29 and is_full_width_only(line.text)]
    assert hung and all(line.text[-1] in HANGING and line.x1_mm > right_edge + 3 for line in hung)
