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


FONT_ATTRIBUTES = ("ascii", "eastAsia", "hAnsi", "cs")
ALTERNATES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "黑体": "SimHei",
              "宋体": "SimSun"}
JAPANESE = ("ＭＳ", "MS ", "明朝", "ゴシック", "Meiryo", "Yu ")


def _package_fonts(path):
    """Every face the package names (runs, styles, headers, footers, the watermark) and its font table
    and theme, read from the zip as Word and WPS read them."""
    import re

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    named, table, theme = set(), {}, {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            root = etree.fromstring(z.read(name))
            if name == "word/fontTable.xml":
                for font in root.iter(f"{w}font"):
                    child = {c.tag[len(w):]: c.get(f"{w}val") for c in font}
                    table[font.get(f"{w}name")] = child
            elif name.startswith("word/theme/"):
                for slot in ("majorFont", "minorFont"):
                    scheme = root.find(f".//{a}{slot}")
                    theme[slot] = {(c.tag[len(a):], c.get("script")): c.get("typeface") for c in scheme}
            else:
                for fonts in root.iter(f"{w}rFonts"):
                    named |= {fonts.get(f"{w}{k}") for k in FONT_ATTRIBUTES} - {None}
                for match in re.finditer(r'font-family:&quot;([^&]+)&quot;|font-family:"([^"]+)"',
                                         z.read(name).decode()):
                    named.add(match.group(1) or match.group(2))
                for math in root.iter("{http://schemas.openxmlformats.org/officeDocument/2006/math}mathFont"):
                    named.add(math.get("{http://schemas.openxmlformats.org/officeDocument/2006/math}val"))
    return named, table, theme


@pytest.mark.parametrize("template", ["opinion", "minutes"])
def test_the_font_table_lists_every_face_used_with_gb2312_and_an_alternate(tmp_path, template):
    """Word and WPS substitute a missing 方正小标宋简体 or 仿宋_GB2312 from the font table (charset, family,
    altName): it lists exactly the faces the document names, each GB2312 (charset 86) with its usual
    alternate, no Japanese face, and the theme's fonts name the title's and the body's Chinese faces."""
    import docgen

    from .conftest import EXAMPLE

    draft = "草稿" if template == "minutes" else None  # the watermark's VML names 黑体 in a header
    (path,) = docgen.render(EXAMPLE, template=template, formats=("docx",), out=tmp_path, draft=draft)
    named, table, theme = _package_fonts(path)
    assert named == set(ALTERNATES), named
    assert set(table) == named
    for face, entry in table.items():
        assert entry["charset"] == "86" and entry["altName"] == ALTERNATES[face], (face, entry)
        assert entry["family"] in ("modern", "roman") and entry["pitch"] in ("fixed", "variable"), (face, entry)
    faces = [*table, *(f for scheme in theme.values() for f in scheme.values())]
    assert not any(face.startswith(JAPANESE) for face in faces if face), faces
    assert theme["majorFont"] == {("latin", None): "方正小标宋简体", ("ea", None): "方正小标宋简体", ("cs", None): "",
                                  ("font", "Hans"): "方正小标宋简体"}
    assert theme["minorFont"] == {("latin", None): "仿宋_GB2312", ("ea", None): "仿宋_GB2312", ("cs", None): "",
                                  ("font", "Hans"): "仿宋_GB2312"}


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
