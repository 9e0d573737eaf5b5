"""GB/T 9704's special formats — 信函格式 (templates/xinhan) and 命令格式 (templates/mingling) — measured
in docgen's PDF and in LibreOffice's rendering of the DOCX, from both examples."""

import docx
import pdfplumber
import pytest
from click.testing import CliRunner

from docgen.cli import main as cli_main
from docgen.engines import markdown as markdown_engine
from docgen.kinds import FrameContext
from docgen.pipeline import load_campaign
from docgen.standard import GBT9704 as P
from docgen.standard.units import pt_to_mm
from docgen.writers import writer
from docgen.writers.pdf.batch import shares_layout

from .measure import MM, lines_of, text
from .test_forms import EXAMPLES, render_kind

KINDS = ("xinhan", "mingling")
RED = (1.0, 0.0, 0.0)
# GB/T 9704-2012's own numbers (10.1, 10.2), written out: a changed profile must not move the goalposts.
LETTER_HEADER_TOP_MM = 30  # the 信函's 发文机关标志 from the paper's top edge
LETTER_RULE_MM = 170  # both double lines
LETTER_RULE_GAP_MM = 4  # the first double line under the 发文机关标志
LETTER_BOTTOM_RULE_MM = 20  # the second double line above the paper's bottom edge
ORDER_HEADER_GAP_MM = 20  # the 命令's 发文机关标志 below the type block's top
BLOCK_TOP = 37  # the type block's top from the paper's top (天头)
assert P.margin_top_mm == BLOCK_TOP
BLOCK_BOTTOM = P.page_height_mm - P.margin_bottom_mm
BLOCK_RIGHT = P.margin_left_mm + P.block_width_mm
CHAR = P.block_width_mm / P.chars_per_line  # one 字 on the grid
AXIS = P.margin_left_mm + P.block_width_mm / 2  # 居中: the type block's axis


@pytest.fixture(scope="module", params=[(k, e) for k in KINDS for e in EXAMPLES], ids=lambda p: f"{p[0]}-{p[1]}")
def rendered(request, tmp_path_factory, libreoffice):
    kind, example = request.param
    return {**render_kind(kind, example, tmp_path_factory, libreoffice),
            "campaign": load_campaign(EXAMPLES[example]).model}


def _red(color) -> bool:
    return isinstance(color, tuple | list) and tuple(color)[:3] == RED


def red_chars(page) -> list[dict]:
    return [c for c in page.chars if _red(c["non_stroking_color"])]


def red_fills(page) -> list[dict]:
    """Filled red shapes, as docgen's PDF (rects) and LibreOffice (paths) draw them, top to bottom."""
    shapes = {(round(s["x0"] / MM, 1), round(s["x1"] / MM, 1), round(s["top"] / MM, 2), round(s["bottom"] / MM, 2))
              for s in page.rects + page.curves if s.get("fill") and _red(s.get("non_stroking_color"))
              and s["bottom"] - s["top"] > 0.1}  # WeasyPrint adds a path of no height along each border
    return [{"x0": x0, "x1": x1, "top": top, "bottom": bottom}
            for x0, x1, top, bottom in sorted(shapes, key=lambda s: s[2])]


def page_numbers(page) -> list[str]:
    """The page number's line (— N —) under the type block."""
    return [text(line).replace(" ", "") for line in lines_of(page)
            if line[0]["top"] / MM > BLOCK_BOTTOM and "—" in text(line)]


def test_page_counts_equal_in_the_pdf_and_libreoffice(rendered):
    with pdfplumber.open(rendered["pdf"]) as ours, pdfplumber.open(rendered["lo"]) as lo:
        assert len(ours.pages) == len(lo.pages) >= 1, rendered["kind"]


# --- 信函格式 ---------------------------------------------------------------------------------------
def check_letter_first_page(page, organ: str, number: str, where: str) -> None:
    name = red_chars(page)
    assert text(sorted(name, key=lambda c: c["x0"])) == organ, where
    top = min(c["top"] for c in name) / MM
    assert top == pytest.approx(LETTER_HEADER_TOP_MM, abs=1), (where, "header from the paper's top", top)
    assert name[0]["size"] == pytest.approx(P.letter_masthead_size_pt, abs=0.1)
    centre = (min(c["x0"] for c in name) + max(c["x1"] for c in name)) / 2 / MM
    assert centre == pytest.approx(AXIS, abs=1), where

    rules = red_fills(page)
    assert len(rules) == 4, (where, rules)
    for rule in rules:  # 170 mm long, centred as the name is
        assert rule["x1"] - rule["x0"] == pytest.approx(LETTER_RULE_MM, abs=0.5), (where, rule)
        assert (rule["x0"] + rule["x1"]) / 2 == pytest.approx(AXIS, abs=0.5), (where, rule)
    thickness = [r["bottom"] - r["top"] for r in rules]
    upper, lower = rules[:2], rules[2:]
    assert thickness[0] > thickness[1] * 2, (where, "the top pair: thick over thin", thickness)
    assert thickness[3] > thickness[2] * 2, (where, "the bottom pair: thin over thick", thickness)
    assert thickness[0] == pytest.approx(P.letter_rule_thick_mm, abs=0.15)
    name_bottom = top + pt_to_mm(P.letter_masthead_size_pt)
    assert upper[0]["top"] - name_bottom == pytest.approx(LETTER_RULE_GAP_MM, abs=1), (where, "4 mm under the name")
    assert upper[1]["top"] - upper[0]["bottom"] < 1.5 and lower[1]["top"] - lower[0]["bottom"] < 1.5, where
    assert 297 - lower[1]["bottom"] == pytest.approx(LETTER_BOTTOM_RULE_MM, abs=0.5), \
        (where, "the bottom pair 20 mm above the paper's bottom edge")

    # 发文字号 at the right, 7/8 of a 3号 character under the top lines; the title under it
    lines = lines_of(page)
    number_line = next(line for line in lines if text(line).replace(" ", "") == number)
    assert number_line[-1]["x1"] / MM == pytest.approx(BLOCK_RIGHT, abs=1), (where, "the number flush right")
    gap = number_line[0]["top"] / MM - upper[1]["bottom"]
    assert gap == pytest.approx(7 / 8 * pt_to_mm(16), abs=1.5), (where, gap)
    title = next(line for line in lines if line[0]["size"] == pytest.approx(22, abs=0.1))
    assert title[0]["top"] > number_line[0]["top"] + 2 * P.line_pitch_mm, where
    assert not page_numbers(page), (where, "the first page carries no page number")


def test_the_letter_header_double_lines_and_number(rendered):
    if rendered["kind"] != "xinhan":
        pytest.skip("信函 only")
    campaign = rendered["campaign"]
    issued = campaign.documents["xinhan"]
    for path in (rendered["pdf"], rendered["lo"]):
        with pdfplumber.open(path) as pdf:
            check_letter_first_page(pdf.pages[0], campaign.organization.name, issued.number,
                                    f"{path.parent.name}/{path.name}")
            flat = "".join(page.extract_text() for page in pdf.pages).replace(" ", "").replace("\n", "")
        # a 商洽函 asks for help, it does not seek approval (妥否，请批示 is the 请示's)
        assert issued.addressees[0] + "：" in flat and "恳请予以支持，并请函复。" in flat
        assert "印发" not in flat and "文件" not in flat  # no 版记, no 文件 suffix


def test_the_docx_letterhead_is_on_the_first_page_only(rendered):
    if rendered["kind"] != "xinhan":
        pytest.skip("信函 only")
    section = docx.Document(rendered["docx"]).sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_footer.paragraphs).strip()  # no number on page 1
    assert "PAGE" in section.footer._element.xml  # later pages numbered as usual


LONG_LETTER = """---
kind: letter
document: xinhan
title: 关于商洽有关事项的函
---
""" + "\n\n".join(f"第{n}段：为做好有关工作，现就有关事项商洽如下，请予支持配合，并将有关意见及时反馈我们。"
                  for n in range(1, 31)) + "\n\n特此函商。\n"


@pytest.fixture(scope="module")
def long_letter(tmp_path_factory, libreoffice):
    """A letter of three pages, through the kind and both writers."""
    out = tmp_path_factory.mktemp("long-letter")
    campaign = load_campaign(EXAMPLES["wadian"])
    document = markdown_engine.from_markup(LONG_LETTER, FrameContext(campaign.model, campaign.loaded))
    assert not shares_layout(document)  # a batch lays a letter out alone: its own first page
    (out / "letter.docx").write_bytes(writer("docx").render(document).data)
    pdf = writer("pdf").render(document)
    (out / "letter.pdf").write_bytes(pdf.data)
    return {"pdf": out / "letter.pdf", "lo": libreoffice.pdf(out / "letter.docx", out / "lo"), "pages": pdf.pages,
            "campaign": campaign.model}


def test_a_long_letter_numbers_its_later_pages_only(long_letter):
    campaign = long_letter["campaign"]
    counts = []
    for path in (long_letter["pdf"], long_letter["lo"]):
        with pdfplumber.open(path) as pdf:
            counts.append(len(pdf.pages))
            assert len(pdf.pages) >= 2, path.name
            check_letter_first_page(pdf.pages[0], campaign.organization.name, campaign.documents["xinhan"].number,
                                    path.name)
            for number, page in enumerate(pdf.pages[1:], 2):
                assert page_numbers(page) == [f"—{number}—"], (path.name, number, page_numbers(page))
                assert not red_fills(page) and not red_chars(page), (path.name, "the letterhead is the first page's")
    assert counts[0] == counts[1] == long_letter["pages"]


# --- 命令格式 ---------------------------------------------------------------------------------------
def test_the_order_header_number_and_signature(rendered):
    if rendered["kind"] != "mingling":
        pytest.skip("命令 only")
    campaign = rendered["campaign"]
    issued = campaign.documents["mingling"]
    for path in (rendered["pdf"], rendered["lo"]):
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]
            lines = lines_of(page)
            edges = [e for e in page.edges if _red(e.get("stroking_color")) or _red(e.get("non_stroking_color"))]
        where = f"{path.parent.name}/{path.name}"
        header = next(line for line in lines if all(_red(c["non_stroking_color"]) for c in line)
                      and line[0]["size"] > 30)
        assert text(header) == campaign.organization.name + "令", where  # the 令 suffix
        assert header[0]["top"] / MM - BLOCK_TOP == pytest.approx(ORDER_HEADER_GAP_MM, abs=1), \
            (where, "20 mm below the type block's top")
        centre = (header[0]["x0"] + header[-1]["x1"]) / 2 / MM
        assert centre == pytest.approx(AXIS, abs=1), where
        # the 令号 two blank lines under the header, centred; the body two blank lines under it
        at = lines.index(header)
        number = lines[at + 1]
        assert text(number).replace(" ", "") == issued.number == "第1号", where
        header_bottom = header[0]["top"] / MM + pt_to_mm(header[0]["size"])
        assert number[0]["top"] / MM - header_bottom == pytest.approx(2 * P.line_pitch_mm + 2.3, abs=1.5), where
        assert (number[0]["x0"] + number[-1]["x1"]) / 2 / MM == pytest.approx(AXIS, abs=1.5), where
        body = lines[at + 2]
        assert body[0]["top"] - number[0]["top"] == pytest.approx(3 * P.line_pitch_mm * MM, abs=2), where
        assert not [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 100], "no red line"
        # the 签发人职务 and the 签名章 (the name, red, framed) on one line, the seal 4 字 from the right
        signer = next(line for line in lines if issued.signer in text(line).replace(" ", "").replace("\u3000", ""))
        assert text(signer).replace(" ", "").replace("\u3000", "") == issued.signer_post + issued.signer, where
        seal = [c for c in signer if _red(c["non_stroking_color"])]
        assert text(seal) == issued.signer, (where, "the name in red")
        frame = [e for e in edges if e["top"] / MM > signer[0]["top"] / MM - 4
                 and e["bottom"] / MM < signer[0]["top"] / MM + 12]
        assert len(frame) >= 4, (where, "the 签名章's red frame")
        right = max(e["x1"] for e in frame) / MM
        assert BLOCK_RIGHT - right == pytest.approx(4 * CHAR, abs=1.5), (where, "签名章 右空四字", right)
        post_end = max(c["x1"] for c in signer if not _red(c["non_stroking_color"]) and c["text"].strip()) / MM
        assert min(e["x0"] for e in frame) / MM - post_end == pytest.approx(2 * CHAR, abs=2), (where, "职务 左空二字")
        body_end = lines[lines.index(signer) - 1][0]["top"] / MM  # the body's last line
        assert signer[0]["top"] / MM - body_end == pytest.approx(3 * P.line_pitch_mm, abs=1.5), (where, "下空二行")
        date = lines[lines.index(signer) + 1]
        assert text(date).replace(" ", "") == f"{issued.date.year}年{issued.date.month}月{issued.date.day}日"
        assert date[0]["top"] - signer[0]["top"] == pytest.approx(2 * P.line_pitch_mm * MM, abs=3), where
        assert BLOCK_RIGHT - date[-1]["x1"] / MM == pytest.approx(4 * CHAR, abs=1.5), (where, "日期 右空四字")


def test_templates_lists_the_special_formats():
    out = CliRunner().invoke(cli_main, ["templates"]).output
    assert "--template xinhan " in out and "信函格式" in out
    assert "--template mingling " in out and "命令（令）格式" in out


@pytest.mark.parametrize("field", ["signer", "signer_post"])
def test_validate_refuses_an_order_without_its_signer(tmp_path, field):
    data = (EXAMPLES["wadian"] / "campaign.yaml").read_text(encoding="utf-8")
    lines = data.splitlines()
    start = lines.index("  mingling:   # 命令（令）格式")
    kept = [line for i, line in enumerate(lines) if not (start < i < start + 6 and line.startswith(f"    {field}:"))]
    (tmp_path / "campaign.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    (tmp_path / "seal.png").write_bytes((EXAMPLES["wadian"] / "seal.png").read_bytes())
    result = CliRunner().invoke(cli_main, ["validate", str(tmp_path), "--template", "mingling"])
    assert result.exit_code == 1
    assert f"campaign.yaml:{start + 1}: documents.mingling.{field}" in result.output, result.output


def test_an_order_number_is_a_lingbao_and_a_document_number_is_still_normalized():
    from docgen.schema import OfficialDocument

    order = OfficialDocument(number="第 01 号", date="2010-06-20")
    assert order.number == "第1号"
    assert OfficialDocument(number="瓦委函[2010]03号", date="2010-06-08").number == "瓦委函〔2010〕3号"
    with pytest.raises(ValueError, match="not a document number"):
        OfficialDocument(number="1号", date="2010-06-08")
