"""The DOCX, read back with python-docx: GB/T 9704 page, grid, styles, fonts and page numbers."""

import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from docgen.standard import GBT9704


@pytest.fixture(scope="module")
def document(speech_files):
    return docx.Document(str(speech_files["docx"]))


def test_page_size_and_margins(document):
    sect = document.sections[0]._sectPr
    size = sect.find(qn("w:pgSz"))
    margins = sect.find(qn("w:pgMar"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
    assert {k: margins.get(qn(f"w:{k}")) for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1588", "right": "1474"
    }


def test_grid_is_lines_only_with_pitch_579(document):
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) is None  # Word's linesAndChars recipe breaks LibreOffice


def _rfonts(style):
    return style.element.rPr.find(qn("w:rFonts"))


@pytest.mark.parametrize(
    ("style_id", "font", "half_points"),
    [("Normal", "仿宋_GB2312", "32"), ("DocTitle", "方正小标宋简体", "44"), ("Speaker", "楷体_GB2312", "32"),
     ("Heading1", "黑体", "32"), ("Heading2", "楷体_GB2312", "32"), ("Heading3", "仿宋_GB2312", "32"),
     ("Heading4", "仿宋_GB2312", "32"), ("Footer", "宋体", "28")],
)
def test_styles_name_east_asian_fonts_and_sizes(document, style_id, font, half_points):
    style = next(s for s in document.styles if s.style_id == style_id)
    fonts = _rfonts(style)
    assert fonts.get(qn("w:eastAsia")) == font and fonts.get(qn("w:ascii")) == font
    assert style.element.rPr.find(qn("w:sz")).get(qn("w:val")) == half_points


def test_no_theme_fonts_anywhere(speech_files):
    with zipfile.ZipFile(speech_files["docx"]) as z:
        styles = z.read("word/styles.xml").decode()
        body = z.read("word/document.xml").decode()
    for attribute in ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"):
        assert attribute not in styles and attribute not in body


def test_body_is_condensed_justified_and_indented_two_characters(document):
    normal = document.styles["Normal"].element
    ind = normal.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"
    assert normal.pPr.find(qn("w:jc")).get(qn("w:val")) == "both"
    assert normal.rPr.find(qn("w:spacing")).get(qn("w:val")) == str(GBT9704.docx_condense_twips)


def test_title_and_footer_leave_the_grid(document):
    for style_id in ("DocTitle", "Footer"):
        style = next(s for s in document.styles if s.style_id == style_id)
        assert style.element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"


def test_headings_use_their_styles_and_run_in_heads_their_char_style(document):
    by_style = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.style_id, []).append(p)
    assert [p.text[:2] for p in by_style["Heading1"]] == ["一、", "二、", "三、"]
    run_in = [p for p in by_style["Normal"] if p.runs and p.runs[0].style.style_id == "Heading2Char"]
    assert [p.runs[0].text for p in run_in][:3] == ["（一）", "（二）", "（三）"]
    assert run_in[0].text.startswith("（一）创先争优活动的总体要求。深入开展")


def test_quotes_and_dashes_carry_the_east_asian_hint(document):
    hinted = unhinted = 0
    for p in document.paragraphs:
        for run in p.runs:
            if any(c in run.text for c in "“”—"):
                fonts = run._r.rPr.find(qn("w:rFonts")) if run._r.rPr is not None else None
                if fonts is not None and fonts.get(qn("w:hint")) == "eastAsia":
                    hinted += 1
                else:
                    unhinted += 1
    assert hinted > 10 and unhinted == 0


def test_page_numbers_odd_right_even_left(document):
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align, side in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert "PAGE" in xml and 'fldCharType="begin"' in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        assert paragraph._p.pPr.find(qn("w:ind")).get(qn(f"w:{side}")) == "280"  # 1 字 of 14 pt
        assert paragraph.style.style_id == "Footer"


def test_same_input_same_bytes(tmp_path):
    from docgen.api import render

    from .conftest import EXAMPLE, SPEECH

    first = render(EXAMPLE, speech=SPEECH, formats=("docx", "pdf"), out=tmp_path / "a")
    second = render(EXAMPLE, speech=SPEECH, formats=("docx", "pdf"), out=tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
