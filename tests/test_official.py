"""The red-header 公文 (实施意见, 转发通知), measured in the PDF, read back from the DOCX, opened in LibreOffice."""

import re

import docx
import pdfplumber
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont

from docgen import zh
from docgen.api import render
from docgen.linebreak.titles import title_lines
from docgen.standard import GBT9704
from docgen.writers import fonts

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE, copy_assets
from .measure import MM, lines_of, text

P = GBT9704
BLOCK_TOP = P.margin_top_mm
BLOCK_BOTTOM = P.page_height_mm - P.margin_bottom_mm


@pytest.fixture(scope="module")
def opinion(tmp_path_factory):
    out = tmp_path_factory.mktemp("opinion")
    docx_path, pdf_path = render(EXAMPLE, template="opinion", out=out)
    return {"docx": docx_path, "pdf": pdf_path, "out": out}


@pytest.fixture(scope="module")
def forward(tmp_path_factory):
    out = tmp_path_factory.mktemp("forward")
    docx_path, pdf_path = render(EXAMPLE, template="forward", out=out)
    return {"docx": docx_path, "pdf": pdf_path}


def descent_mm(role: str, size: float) -> float:
    font = TTFont(str(fonts.resolve(None)[role].file))
    return -font["hhea"].descent / font["head"].unitsPerEm * size / MM


def test_red_header_35mm_below_the_type_block(opinion):
    with pdfplumber.open(opinion["pdf"]) as pdf:
        header = lines_of(pdf.pages[0])[0]
    assert text(header) == "中共瓦店乡委员会文件"
    assert all(c["non_stroking_color"] == (1.0, 0.0, 0.0) for c in header)  # red
    assert header[0]["top"] / MM - BLOCK_TOP == pytest.approx(P.masthead_gap_mm, abs=1)
    assert header[0]["size"] == pytest.approx(P.masthead_size_pt, abs=0.1)


def test_number_red_rule_and_title(opinion):
    with pdfplumber.open(opinion["pdf"]) as pdf:
        page = pdf.pages[0]
        rows = lines_of(page)
        number = next(r for r in rows if "〔2010〕" in text(r))
        assert text(number) == "瓦委发〔2010〕12号"  # [2010] in the data, 〔〕 on the page
        centre = (number[0]["x0"] + number[-1]["x1"]) / 2 / MM
        assert centre == pytest.approx(P.margin_left_mm + P.block_width_mm / 2, abs=1)
        baseline = number[0]["bottom"] / MM - descent_mm("body", 16)
        red = [e for e in page.horizontal_edges if e.get("non_stroking_color") == (1.0, 0.0, 0.0)
               or e.get("stroking_color") == (1.0, 0.0, 0.0)]
        assert red, "a red separator line"
        rule = min(red, key=lambda e: e["top"])
        assert rule["top"] / MM - baseline == pytest.approx(P.redline_gap_mm, abs=1)
        assert (rule["x1"] - rule["x0"]) / MM == pytest.approx(P.block_width_mm, abs=1)
        titles = [r for r in rows if r[0]["size"] == pytest.approx(22, abs=0.1)]
        assert [text(r) for r in titles] == ["关于在全乡党组织和党员中", "深入开展创先争优活动的实施意见"]
        assert titles[0][0]["top"] / MM > rule["top"] / MM + 2 * P.line_pitch_pt / MM  # two blank lines


def test_page_numbers_and_the_imprint_page(opinion):
    with pdfplumber.open(opinion["pdf"]) as pdf:
        pages = pdf.pages
        count = len(pages)
        assert count % 2 == 0  # the 版记 sits on the last, even page
        for number, page in enumerate(pages, 1):
            footer = [r for r in lines_of(page) if r[0]["size"] == pytest.approx(14, abs=0.1)
                      and re.fullmatch(r"— \d+ —", text(r).replace("\u2009", " "))]
            if page.chars:  # the 版记 page too: no blank page comes before it here (page 7 ends the body)
                assert [text(r).replace("\u2009", " ") for r in footer] == [f"— {number} —"]
        last = pages[-1]
        edges = [e for e in last.horizontal_edges if (e["x1"] - e["x0"]) / MM == pytest.approx(156, abs=1)]
        assert max(e["top"] for e in edges) / MM == pytest.approx(BLOCK_BOTTOM, abs=1)
        content = "".join(text(r) for r in lines_of(last))
        assert "抄送：县委组织部，县委创先争优活动领导小组办公室。" in content
        assert "中共瓦店乡委员会办公室" in content and "2010年6月21日印发" in content


def test_signature_seal_and_note(opinion):
    with pdfplumber.open(opinion["pdf"]) as pdf:
        page = next(p for p in pdf.pages if "（此件发至各党支部）" in "".join((p.extract_text() or "").split()))
        assert page.images, "the seal is on the signature's page"
        seal = page.images[0]
        assert (seal["x1"] - seal["x0"]) / MM == pytest.approx(P.seal_diameter_mm, abs=0.5)
        date = next(r for r in lines_of(page) if text(r) == "2010年6月21日")
        centre = (date[0]["x0"] + date[-1]["x1"]) / 2
        assert (seal["x0"] + seal["x1"]) / 2 == pytest.approx(centre, abs=2 * MM)
        # With a seal the date stands 4 字 from the right edge.
        right_gap = (P.page_width_mm - P.margin_right_mm) - date[-1]["x1"] / MM
        assert right_gap == pytest.approx(4 * P.char_pitch_pt / MM, abs=1.5)


def test_docx_elements_in_order_with_their_styles(opinion):
    document = docx.Document(str(opinion["docx"]))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    styles = [p.style.style_id for p in paragraphs]
    assert styles[:4] == ["Masthead", "DocNumber", "DocTitle", "Addressee"]
    assert paragraphs[0].text == "中共瓦店乡委员会文件"
    assert paragraphs[1].text == "瓦委发〔2010〕12号"
    border = paragraphs[1]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == P.red  # the red line is the number's bottom border
    assert paragraphs[2].text == "关于在全乡党组织和党员中\n深入开展创先争优活动的实施意见"
    masthead = document.styles["发文机关标志"].element
    assert masthead.rPr.find(qn("w:color")).get(qn("w:val")) == P.red
    for name in ("发文机关标志", "公文标题", "版记"):
        assert document.styles[name].element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    signature = [p for p in paragraphs if p.style.style_id == "Signature"]
    assert [p.text for p in signature] == ["中共瓦店乡委员会", "2010年6月21日"]
    anchor = signature[0]._p.find(".//" + qn("wp:anchor"))
    assert anchor is not None and anchor.get("behindDoc") == "1"  # the seal floats behind the text
    assert "（此件发至各党支部）" in [p.text for p in paragraphs]
    last = document.sections[-1]
    assert last.start_type == WD_SECTION.EVEN_PAGE
    # no blank page before this 版记 (the body ends on page 7): its page keeps the running number
    assert last.footer.is_linked_to_previous and "— 1 —" in "".join(p.text for p in last.footer.paragraphs)
    # the 版记: a table in a text box anchored to the foot of the type block, in the last section
    body = document.element.body
    box = body.findall(".//" + qn("w:txbxContent"))[-1]
    anchor = next(a for a in body.iter(qn("wp:anchor")) if box in a.iter(qn("w:txbxContent")))
    assert anchor.find(qn("wp:positionV")).get("relativeFrom") == "margin"
    assert anchor.find(qn("wp:positionV")).find(qn("wp:align")).text == "bottom"
    assert anchor.find(qn("wp:wrapTopAndBottom")) is not None
    imprint = docx.table.Table(box.find(qn("w:tbl")), document._body)
    assert [c.text for c in imprint.columns[0].cells] == [
        "抄送：县委组织部，县委创先争优活动领导小组办公室。", "中共瓦店乡委员会办公室\t2010年6月21日印发"
    ]
    paragraph = next(p for p in body.iter(qn("w:p")) if anchor in p.iter(qn("wp:anchor")))
    assert body.index(paragraph) > body.index(signature[-1]._p)  # 版记 in the last section


def test_libreoffice_page_count_equals_the_pdf_writer(opinion, libreoffice):
    rendered = libreoffice.pdf(opinion["docx"], opinion["out"] / "lo", keep_blank_pages=False)
    with pdfplumber.open(rendered) as lo, pdfplumber.open(opinion["pdf"]) as ours:
        assert len(lo.pages) == len(ours.pages)
        header = lines_of(lo.pages[0])[0]
        assert text(header) == "中共瓦店乡委员会文件"
        assert header[0]["non_stroking_color"] in ((1.0, 0.0, 0.0), [1.0, 0.0, 0.0], (1, 0, 0))


def test_forwarding_notice_carries_the_opinion_as_attachment(forward):
    with pdfplumber.open(forward["pdf"]) as pdf:
        pages = pdf.pages
        first = "".join((pages[0].extract_text() or "").split())
        assert "关于转发《中共瓦店乡委员会关于" in first and "瓦委办发〔2010〕8号" in first
        assert "附件：中共瓦店乡委员会关于在全乡党组织和党员中深入开" in first
        start = next(i for i, p in enumerate(pages) if lines_of(p) and text(lines_of(p)[0]) == "附件")
        rows = lines_of(pages[start])
        label, title = rows[0], rows[1]
        assert "docgen-hei" in label[0]["fontname"] and label[0]["x0"] / MM == pytest.approx(P.margin_left_mm, abs=1)
        assert title[0]["size"] == pytest.approx(22, abs=0.1)
        third_line_top = BLOCK_TOP + 2 * P.line_pitch_pt / MM
        assert title[0]["top"] / MM == pytest.approx(third_line_top, abs=4)
        footer = [text(r).replace("\u2009", " ") for r in rows if r[0]["size"] == pytest.approx(14, abs=0.1)]
        assert footer == [f"— {start + 1} —"]  # attachment pages continue the count
        attachment_text = "".join("".join((p.extract_text() or "").split()) for p in pages[start:])
        assert "一、指导思想和总体要求" in attachment_text  # numbering restarts inside the attachment


def _variant(tmp_path, **changes):
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    values["documents"]["opinion"].update(changes)
    path = tmp_path / "campaign.yaml"
    path.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    copy_assets(tmp_path)
    return path


def test_joint_issue_upward_signer_and_top_left_marks(tmp_path):
    data = _variant(tmp_path, issuers=["中共瓦店乡委员会", "瓦店乡人民政府"], signer="王建国",
                    copy_number="1", secrecy="秘密★1年", urgency="特急")
    _, pdf_path = render(data, template="opinion", out=tmp_path / "out")
    with pdfplumber.open(pdf_path) as pdf:
        rows = lines_of(pdf.pages[0])
        texts = [text(r) for r in rows]
        assert texts[:3] == ["000001", "秘密★1年", "特急"]
        assert all(r[0]["x0"] / MM == pytest.approx(P.margin_left_mm, abs=1) for r in rows[:3])
        red = [r for r in rows if r[0]["non_stroking_color"] == (1.0, 0.0, 0.0)]
        red_text = "".join(text(r) for r in red)
        assert "中共瓦店乡委员会" in red_text and "瓦店乡人民政府" in red_text and "文件" in red_text
        organ_rows = [r for r in red if "文件" not in text(r)]
        suffix = next(c for r in red for c in r if c["text"] == "文")
        assert suffix["x0"] > max(c["x1"] for r in organ_rows for c in r) - 1  # 文件 to the right
        number_row = next(r for r in rows if "瓦委发" in text(r))
        assert "签发人：王建国" in text(number_row)
        assert number_row[0]["x0"] / MM == pytest.approx(P.margin_left_mm + P.char_pitch_pt / MM, abs=1)
        name = next(c for c in number_row if c["text"] == "王")
        assert "docgen-kai" in name["fontname"]
        signature_text = "".join("".join((p.extract_text() or "").split()) for p in pdf.pages)
        assert "中共瓦店乡委员会瓦店乡人民政府" in signature_text


def test_draft_watermarks_every_page_and_drops_the_seal(tmp_path):
    docx_path, pdf_path = render(EXAMPLE, template="opinion", out=tmp_path, draft="征求意见稿")
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            assert "征求意见稿" in "".join(c["text"] for c in page.chars)
            assert not page.images
    document = docx.Document(str(docx_path))
    pictures = [a for a in document.element.body.iter(qn("wp:anchor")) if a.find(".//" + qn("pic:pic")) is not None]
    assert pictures == []  # no seal (the 版记's text box is the only floating object)
    header_xml = document.sections[0].header._element.xml
    assert 'string="征求意见稿"' in header_xml


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"number": "瓦委发12号"}, "documents.opinion.number"),
        ({"date": "2010-02-30"}, "documents.opinion.date"),
        ({"seal": "no-such-seal.png"}, "no such file"),
        ({"seal": "campaign.yaml"}, "not a PNG or JPEG"),
        ({"seal": "../outside.png"}, "outside the data's folder"),
        ({"addressees": []}, "documents.opinion.addressees"),
    ],
)
def test_bad_official_data_is_one_line_exit_1_nothing_written(tmp_path, change, words):
    data = _variant(tmp_path, **change)
    out = tmp_path / "out"
    result = docgen_cli("render", str(data), "--template", "opinion", "-o", str(out), timeout=300)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert words in lines[0]
    assert re.search(r"(campaign\.yaml|main\.md\.j2):\d+:", lines[0]), lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_document_numbers_are_normalized():
    for raw in ("瓦委发[2010]12号", "瓦委发［2010］12号", "瓦委发【2010】12号", "瓦委发(2010)12号",
                "瓦委发（2010）第12号", "瓦委发〔2010〕012号"):
        assert zh.document_number(raw) == "瓦委发〔2010〕12号"
    with pytest.raises(ValueError):
        zh.document_number("瓦委发〔10〕12号")


def test_long_titles_break_into_a_trapezoid_without_splitting_words():
    assert title_lines("关于召开全乡创先争优活动动员大会的通知") == ["关于召开全乡创先争优活动动员大会的通知"]
    two = title_lines("关于在全乡党组织和党员中深入开展创先争优活动的实施意见")
    assert two == ["关于在全乡党组织和党员中", "深入开展创先争优活动的实施意见"]
    assert len(two[0]) <= len(two[1])
    three = title_lines("关于转发《中共瓦店乡委员会关于在全乡党组织和党员中深入开展创先争优活动的实施意见》的通知")
    assert len(three) == 3 and "".join(three).count("创先争优") == 1
    assert all(len(line) <= 20 for line in three)
