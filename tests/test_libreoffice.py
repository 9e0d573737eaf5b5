"""LibreOffice opens the DOCX: its rendering too holds 28 characters a line and 22 lines a page."""

from .measure import body_lines, cells, is_full_width_only, pdf_lines


def test_libreoffice_grid_is_22_by_28(libreoffice_pdf, speech_files):
    pages, sizes = pdf_lines(libreoffice_pdf)
    assert len(pages) >= 8
    counts = [cells(line.text) for lines in pages for line in body_lines(lines) if is_full_width_only(line.text)]
    assert max(counts) == 28
    assert counts.count(28) > len(counts) / 2
    per_page = [len(body_lines(lines)) for lines in pages[1:-1]]
    # as in the PDF: a page a line or two short where a paragraph keeps two lines together
    assert max(per_page) == 22 and min(per_page) >= 20, per_page


def test_libreoffice_keeps_the_text(libreoffice_pdf):
    pages, _ = pdf_lines(libreoffice_pdf)
    text = "".join(line.text for lines in pages for line in body_lines(lines))
    assert "同志们：" in text and "谢谢大家！" in text
