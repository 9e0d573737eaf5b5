"""The page-quality checks on a stress campaign: the longest real names, a 60-character title, 200 branches.

Every kind renders to DOCX and PDF; the PDF is measured with pdfplumber and the DOCX through LibreOffice's
rendering (blank pages kept, as printed). What a reviewing office would send back fails here: a page count
that differs between the formats, a character outside the type block (the 发文机关标志, the 署名, the
版记's 印发 line, a table cell), a title split inside a word, a name wrapped in a table, a doubled word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest

import docgen
from docgen.linebreak.titles import title_lines, word_seams
from docgen.standard import GBT9704

from .cli import docgen_cli
from .measure import HANGING, MM, pdf_lines
from .stress import OFFICE, ORGAN, SECRETARIES, TITLE, stress_campaign

LEFT = GBT9704.margin_left_mm
RIGHT = LEFT + GBT9704.block_width_mm
TOP = GBT9704.margin_top_mm
BOTTOM = TOP + GBT9704.block_height_mm
KINDS = ["opinion", "forward", "commitment-list", "sign-in", "agenda", "minutes", "qingshi", "baogao", "tongbao",
         "xinhan", "mingling"]
SPEECH = "dangji-deployment"


@pytest.fixture(scope="module")
def stress(tmp_path_factory, libreoffice) -> dict[str, tuple[Path, Path]]:
    """Each kind's (PDF, LibreOffice's rendering of the DOCX), by kind."""
    root = tmp_path_factory.mktemp("stress")
    data = stress_campaign(root / "data")
    rendered: dict[str, tuple[Path, Path]] = {}
    for kind in [*KINDS, SPEECH]:
        options = {"speech": kind} if kind == SPEECH else {"template": kind}
        docx_path, pdf_path = docgen.render(data, out=root / kind, **options)
        rendered[kind] = (docx_path, pdf_path)
    lo = libreoffice.pdfs([docx_path for docx_path, _ in rendered.values()], root / "libreoffice")
    return {kind: (pdf_path, lo[docx_path]) for kind, (docx_path, pdf_path) in rendered.items()}


def outside_the_block(path: Path, first_page_top: float = TOP) -> list[tuple]:
    """Characters outside the type block: horizontally (a closing mark may hang), vertically (but the page
    number, 7 mm below it, and a 信函's 发文机关标志, 30 mm from the paper's top: ``first_page_top``)."""
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for char in page.chars:
                if not char["text"].strip():
                    continue
                x0, x1, top, bottom = (char[key] / MM for key in ("x0", "x1", "top", "bottom"))
                hangs = char["text"] in HANGING and x1 < RIGHT + 6
                if x0 < LEFT - 0.6 or (x1 > RIGHT + 0.6 and not hangs):
                    found.append((number, char["text"], round(x0, 1), round(x1, 1)))
                page_number = BOTTOM + 3 < top < BOTTOM + 13
                if top < (first_page_top if number == 1 else TOP) - 1 or (bottom > BOTTOM + 1 and not page_number):
                    found.append((number, char["text"], round(top, 1), round(bottom, 1)))
    return found


@pytest.mark.parametrize("kind", [*KINDS, SPEECH])
def test_both_formats_have_the_same_pages_and_nothing_leaves_the_type_block(stress, kind):
    pdf_path, lo_path = stress[kind]
    pdf_pages, _ = pdf_lines(pdf_path)
    lo_pages, _ = pdf_lines(lo_path)
    assert len(pdf_pages) == len(lo_pages), (kind, len(pdf_pages), len(lo_pages))
    letterhead = GBT9704.letter_masthead_top_mm if kind == "xinhan" else TOP
    for path in (pdf_path, lo_path):
        assert outside_the_block(path, first_page_top=letterhead) == [], path.name


@pytest.mark.parametrize(("kind", "header"), [("opinion", ORGAN + "文件"), ("forward", OFFICE + "文件")])
def test_a_26_character_red_header_is_condensed_into_the_block(stress, kind, header):
    for path in stress[kind]:
        with pdfplumber.open(path) as pdf:
            red = [c for c in pdf.pages[0].chars if c["non_stroking_color"] in ((1.0, 0.0, 0.0), [1.0, 0.0, 0.0])]
        assert "".join(c["text"] for c in red) == header, path.name
        x0, x1 = min(c["x0"] for c in red) / MM, max(c["x1"] for c in red) / MM
        assert x0 >= LEFT - 0.5 and x1 <= RIGHT + 0.5, (path.name, x0, x1)
        assert abs((x0 + x1) / 2 - (LEFT + RIGHT) / 2) < 1.5, path.name


def rendered_title(path: Path) -> list[str]:
    pages, _ = pdf_lines(path)
    return [line.text for line in pages[0] if line.size == 22.0]


@pytest.mark.parametrize("kind", ["opinion", "forward", "qingshi", "tongbao", SPEECH])
def test_long_titles_break_between_words_the_same_way_in_both_formats(stress, kind):
    pdf_path, lo_path = stress[kind]
    lines = rendered_title(pdf_path)
    assert rendered_title(lo_path) == lines
    title = "".join(lines)
    assert len(lines) >= 3 and all(len(line) <= GBT9704.title_chars_per_line for line in lines), lines
    seams = word_seams(title)
    position = 0
    for line in lines[:-1]:
        position += len(line)
        assert position in seams, (kind, line)  # never inside one of jieba's words
    for unit in ("第十二师", "二二一团", "中国特色社会主义", "习近平"):
        assert all(unit not in a + b or unit in a or unit in b
                   for a, b in zip(lines, lines[1:], strict=False)), (unit, lines)
    assert not any(line.startswith(("的", "》", "、")) for line in lines[1:]), lines


def test_the_60_character_title_takes_a_fourth_line_rather_than_split_a_word():
    """60 characters fill three 20-character lines exactly, which would cut 社会|主义: a fourth line is better."""
    lines = title_lines(TITLE, keep=[ORGAN, "党纪学习教育", "习近平新时代中国特色社会主义思想"])
    assert len(lines) == 4 and "习近平新时代中国特色社会主义思想" in lines
    assert all(len(line) <= 20 for line in lines)


def test_the_print_line_of_a_long_printer_puts_the_date_on_its_own_line_right(stress):
    """中共新疆…委员会办公室 (24 characters) and 2024年4月11日印发 do not share one 4号 line: the date
    takes the next line, 1 字 from the right, in both formats."""
    for path in stress["forward"]:
        pages, _ = pdf_lines(path)
        last = pages[-1]
        printer = next(line for line in last if line.text.startswith(OFFICE))
        date = next(line for line in last if line.text.endswith("印发"))
        assert date.top_mm > printer.top_mm and printer.text == OFFICE, path.name
        assert abs(date.x1_mm - (RIGHT - 14 / MM)) < 1.0, (path.name, date.x1_mm)


def names_wrapped(path: Path, names: list[str]) -> list[str]:
    """Names cut by a line break: their first characters end a line's cell without the last one."""
    text = [line.text for page in pdf_lines(path)[0] for line in page]
    return [name for name in names for line in text
            if name[:-1] in line and line.count(name[:-1]) > line.count(name)]


@pytest.mark.parametrize("kind", ["commitment-list", "sign-in"])
def test_tables_of_200_rows_keep_names_whole_and_repeat_their_header(stress, kind):
    short_names = [name for name in SECRETARIES if len(name) <= 4]
    for path in stress[kind]:
        assert names_wrapped(path, short_names) == [], path.name
        pages, _ = pdf_lines(path)
        for number, page in enumerate(pages[1:], 2):
            first = next(line for line in page if line.size == 12.0)
            assert first.text.startswith("序号姓名"), (path.name, number, first.text)


def text_and_cells(path: Path) -> list[str]:
    """The text outside tables, and each table cell's text on its own: a table's neighbouring cells share
    a line on the page, and their texts run together when read line by line (第一党支部 | 党支部书记)."""
    texts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            boxes = [table.bbox for table in page.find_tables()]

            def outside(obj, boxes=boxes) -> bool:
                return not any(x0 <= obj.get("x0", 0) <= x1 and top <= obj.get("top", 0) <= bottom
                               for x0, top, x1, bottom in boxes)

            texts.append("".join((page.filter(outside).extract_text() or "").split()))
            texts += ["".join(cell.split()) for table in page.extract_tables() for row in table for cell in row if cell]
    return texts


def test_posts_and_names_do_not_double(stress):
    for kind, (pdf_path, lo_path) in stress.items():
        for path in (pdf_path, lo_path):
            for text in text_and_cells(path):
                for doubled in ("党支部党支部", "委员会委员会", "党委党委", "书记书记"):
                    assert doubled not in text, (kind, path.name, doubled)


def test_a_batch_of_200_notices_is_whole_named_and_inside_the_block(tmp_path, libreoffice):
    data = stress_campaign(tmp_path / "data")
    out = tmp_path / "notices"
    result = docgen_cli("batch", str(data), "--template", "notice", "--each", "branches", "--format", "docx,pdf", "-o",
                        str(out), timeout=900)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [document["status"] for document in manifest["documents"]] == ["ok"] * 200
    pdfs = sorted(out.glob("*.pdf"))
    docxs = sorted(out.glob("*.docx"))
    assert len(pdfs) == len(docxs) == 200
    assert len({path.stem for path in pdfs}) == 200 and all(path.parent == out for path in pdfs)
    for path in pdfs:
        assert outside_the_block(path) == [], path.name
    longest = sorted(docxs, key=lambda path: len(path.stem))[-3:]
    lo = libreoffice.pdfs(longest, tmp_path / "libreoffice")
    for docx_path in longest:
        ours = len(pdf_lines(out / f"{docx_path.stem}.pdf")[0])
        theirs = pdf_lines(lo[docx_path])[0]
        assert len(theirs) == ours, docx_path.name
