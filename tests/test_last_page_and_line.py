"""The last page and the line (GB/T 9704 as a reviewing office reads it; issue 24): where the 版记 goes, a
signature never alone, titles and headings without a lone word, names and numbers never split, no widows,
tables whose rows stay whole, no stretched spaces, and both formats with the same pages.

Every built-in document of both examples, of the stress campaign and of the campaign corpus is rendered
once (the notices and pledges for a few branches) and measured in the PDF (pdfplumber) and in
LibreOffice's rendering of the DOCX with blank pages kept, as printed; the DOCX itself is read with
python-docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

import docgen
from docgen.linebreak.titles import title_lines, word_seams
from docgen.standard import GBT9704

from .conftest import EXAMPLE, ROOT
from .measure import MM, Line, pdf_lines
from .stress import stress_campaign

JINQIAO = ROOT / "examples" / "jinqiao"
CORPUS = ROOT / "tests" / "data" / "corpus"
KINDS = ["opinion", "forward", "commitment-list", "sign-in", "agenda", "minutes", "qingshi", "baogao", "tongbao",
         "xinhan", "mingling"]
SPEECHES = {"wadian": "cxzy-mobilization", "jinqiao": "dangji-deployment", "stress": "dangji-deployment"}
PER_RECORD = (("notice", "branches"), ("commitment", "branches"))
RECORDS = 3  # of each per-record kind (the campaign corpus: one)


def _corpus() -> dict[str, tuple[Path, list[str], str]]:
    """The campaign corpus (tests/data/corpus: other years, levels, wording shapes): each campaign with the
    kinds its data can make and the speech written for any campaign."""
    from docgen import templating
    from docgen.errors import DocgenError
    from docgen.pipeline import check_template, load_campaign, template_name

    found = {}
    for folder in sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []:
        if not (folder / "campaign.yaml").is_file():
            continue
        campaign = load_campaign(folder)
        kinds, speech = [], ""
        for info in templating.list_templates():
            is_speech = info.option == "--speech"
            try:
                check_template(campaign, templating.speech_name(info.name) if is_speech
                               else template_name(None, info.name))
            except DocgenError:
                continue
            if is_speech:
                speech = speech or info.name
            elif info.name in KINDS:
                kinds.append(info.name)
        found[f"corpus-{folder.name[:4]}"] = (folder, kinds, speech)
    return found


CORPUS_PLAN = _corpus()
DATA = ["wadian", "jinqiao", "stress", *CORPUS_PLAN]


def kinds_of(data: str) -> list[str]:
    return CORPUS_PLAN[data][1] if data in CORPUS_PLAN else KINDS


def speech_of(data: str) -> str:
    return CORPUS_PLAN[data][2] if data in CORPUS_PLAN else SPEECHES[data]


@dataclass
class Made:
    """One document in both formats: the files and their lines per page (page numbers included)."""

    docx: Path
    pdf: Path
    lo: Path

    @property
    def pdf_pages(self) -> list[list[Line]]:
        return pdf_lines(self.pdf)[0]

    @property
    def lo_pages(self) -> list[list[Line]]:
        return pdf_lines(self.lo)[0]

    def both(self) -> list[tuple[str, list[list[Line]]]]:
        return [("pdf", self.pdf_pages), ("libreoffice", self.lo_pages)]


def _render_all(root: Path, libreoffice) -> dict[str, Made]:
    folders = {"wadian": EXAMPLE, "jinqiao": JINQIAO, "stress": stress_campaign(root / "stress-data", branches=6),
               **{name: plan[0] for name, plan in CORPUS_PLAN.items()}}
    made: dict[str, tuple[Path, Path]] = {}
    for label, folder in folders.items():
        for kind in [*kinds_of(label), "speech"]:
            if kind == "speech" and not speech_of(label):
                continue
            options = {"speech": speech_of(label)} if kind == "speech" else {"template": kind}
            docx_path, pdf_path = docgen.render(folder, out=root / label / kind, name=f"{label}-{kind}",
                                                warn=lambda message: None, **options)
            made[f"{label}/{kind}"] = (docx_path, pdf_path)
        for template, each in PER_RECORD:
            out = root / label / template
            result = docgen.batch(folder, template=template, each=each, out=out, jobs=1,
                                  name=f"{label}-{template}-{{index:02d}}", warn=lambda message: None)
            for document in result["documents"][: 1 if label in CORPUS_PLAN else RECORDS]:
                files = {Path(f["file"]).suffix: out / f["file"] for f in document["files"]}
                made[f"{label}/{template}/{files['.pdf'].stem[-2:]}"] = (files[".docx"], files[".pdf"])
    lo = libreoffice.pdfs([docx_path for docx_path, _ in made.values()], root / "libreoffice")
    return {label: Made(docx_path, pdf_path, lo[docx_path]) for label, (docx_path, pdf_path) in made.items()}


@pytest.fixture(scope="module")
def made(tmp_path_factory, libreoffice) -> dict[str, Made]:
    return _render_all(tmp_path_factory.mktemp("last-page"), libreoffice)


def labels(*patterns: str) -> list[str]:
    """The fixture's labels that match one of the patterns (``*`` any campaign or kind)."""
    everything = [f"{data}/{kind}" for data in DATA for kind in [*kinds_of(data), "speech"]
                  if kind != "speech" or speech_of(data)]
    everything += [f"{data}/{template}/{n:02d}" for data in DATA for template, _ in PER_RECORD
                   for n in range(1, 1 + (1 if data in CORPUS_PLAN else RECORDS))]
    return [label for label in everything if any(re.fullmatch(p.replace("*", "[^/]+"), label) for p in patterns)]


def lonely(line: str) -> bool:
    """A line a reviewer sends back: a function word alone (关于, 在, 的), or one or two characters."""
    return len(line.strip()) <= 2 or line.strip() in ("关于", "对于", "在", "的", "和", "及", "与", "以及")


def is_page_number(line: Line) -> bool:
    return bool(re.fullmatch(r"—\s*\d+\s*—", line.text))


def text_lines(page: list[Line]) -> list[Line]:
    return [line for line in page if not is_page_number(line)]


# --- 3. titles and headings leave no word alone -------------------------------------------------------
@pytest.mark.parametrize("title", [
    "关于召开金桥街道党纪学习教育工作部署会的通知", "关于召开金桥街道党纪学习教育工作部署会的请示",
    "关于召开全乡创先争优活动动员大会情况的报告", "关于全乡创先争优活动动员大会召开情况的通报",
    "在县直机关深入贯彻中央八项规定精神学习教育工作部署会上的讲话",
])
def test_no_title_line_is_a_lone_function_word_or_two_characters(title):
    keep = ["中共金桥街道工作委员会", "金桥街道", "党纪学习教育", "创先争优活动", "县直机关",
            "深入贯彻中央八项规定精神学习教育"]
    lines = title_lines(title, keep=keep)
    assert len(lines) >= 2 and "".join(lines) == title
    assert not any(lonely(line) for line in lines), lines
    seams = word_seams(title)
    assert all(sum(map(len, lines[:n])) in seams for n in range(1, len(lines))), lines


def rendered_title(pages: list[list[Line]]) -> list[str]:
    return [line.text for line in pages[0] if line.size == 22.0]


@pytest.mark.parametrize("label", labels("*/notice/01", "*/qingshi", "*/baogao", "*/tongbao", "*/opinion",
                                         "*/forward", "*/speech", "*/xinhan", "*/minutes"))
def test_rendered_titles_have_no_lone_line_in_both_formats(made, label):
    lines = rendered_title(made[label].pdf_pages)
    assert lines and not any(lonely(line) for line in lines), lines
    assert rendered_title(made[label].lo_pages) == lines


@pytest.mark.parametrize("label", labels("*/speech", "*/opinion", "*/forward"))
def test_a_wrapped_heading_keeps_its_last_word_whole(made, label):
    """「三、坚持“四个贯穿始终”，确保创先争优活动任务落到实 / 处」: a block heading (黑体 一、, 楷体 （一）
    on its own line) that wraps breaks between words and never leaves one or two characters alone."""
    for fmt, pages in made[label].both():
        for page in pages:
            rows = text_lines(page)
            for line, after in zip(rows, rows[1:], strict=False):
                if "hei" in line.font and "hei" in after.font and line.size == after.size == 16.0:
                    assert not lonely(after.text), (fmt, line.text, after.text)
                    heading = line.text + after.text
                    assert len(line.text) in word_seams(heading), (fmt, line.text, after.text)


def test_a_speech_may_set_its_title_lines(tmp_path):
    """A speech, like a 公文, takes ``title_lines`` from its front matter (kinds/speech.py)."""
    folder = tmp_path / "mine" / "speeches"
    folder.mkdir(parents=True)
    (folder / "lines.md.j2").write_text(
        '---\nkind: speech\ntitle: "在全乡创先争优活动动员大会上的讲话"\n'
        'title_lines: ["在全乡创先争优活动", "动员大会上的讲话"]\n---\n同志们：\n\n正文。\n', encoding="utf-8")
    docx_path, pdf_path = docgen.render(EXAMPLE, speech="lines", templates=[tmp_path / "mine"], out=tmp_path / "out")
    assert rendered_title(pdf_lines(pdf_path)[0]) == ["在全乡创先争优活动", "动员大会上的讲话"]


# --- 1. the 版记 at the foot of the last even page ---------------------------------------------------------
BLOCK_TOP = GBT9704.margin_top_mm
BLOCK_BOTTOM = GBT9704.margin_top_mm + GBT9704.block_height_mm
PITCH = GBT9704.line_pitch_mm
WITH_IMPRINT = labels("*/opinion", "*/forward", "*/minutes", "*/qingshi", "*/baogao", "*/tongbao")


def imprint_rules(path: Path, page_index: int) -> list[float]:
    """Tops (mm) of the full-width horizontal rules on a page: the 版记's."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_index]
        edges = [e for e in page.horizontal_edges if (e["x1"] - e["x0"]) / MM > GBT9704.block_width_mm - 2]
        return sorted({round(e["top"] / MM, 1) for e in edges})


def body_bottom(page: list[Line]) -> float:
    """The bottom (mm) of the page's last line of 3号 text (body, 署名, 成文日期, 附注): 0 if none."""
    body = [line for line in text_lines(page) if line.size >= 15.5]
    return max((line.top_mm + 16 / MM for line in body), default=0.0)


@pytest.mark.parametrize("label", WITH_IMPRINT)
def test_the_imprint_sits_at_the_foot_of_the_last_even_page(made, label):
    """On the body's own last page when it is even and the 版记 fits under it (a line of white between);
    on the next page when the body ends on an odd page; a blank page only when an even last page has no
    room — then neither it nor the 版记's page carries a number, otherwise the 版记's page is numbered.
    Every campaign: both examples, the stress campaign and the corpus."""
    doc = made[label]
    for (fmt, pages), path in zip(doc.both(), (doc.pdf, doc.lo), strict=True):
        count = len(pages)
        assert count % 2 == 0, (fmt, count)
        rules = imprint_rules(path, count - 1)
        assert rules and abs(rules[-1] - BLOCK_BOTTOM) < 1.0, (fmt, rules)
        imprint_top = rules[0]
        last = pages[-1]
        numbers = [line for line in last if is_page_number(line)]
        if body_bottom(last):  # the 版记 shares the body's last page, under the body
            assert body_bottom(last) + PITCH <= imprint_top + 0.5, (fmt, body_bottom(last), imprint_top)
            assert numbers, (fmt, "the 版记 shares a numbered page")
            continue
        before = count - 1  # the page before the 版记's (1-based number of pages[-2])
        if text_lines(pages[-2]):  # the body ends on the odd page before
            assert before % 2 == 1 and numbers, (fmt, before, "the 版记 alone, numbered")
            continue
        # a blank page: only when the body's last, even page had no room for the 版记 under the body and
        # the seal, with a line of white, and a line to spare for each page before (LibreOffice's rendering
        # of the DOCX may run that much longer: gbt9704.imprint_drift_lines_per_page)
        end = pages[-3]
        with pdfplumber.open(path) as pdf:
            seal = max((image["bottom"] / MM for image in pdf.pages[count - 3].images), default=0.0)
        room = BLOCK_BOTTOM - max(body_bottom(end) + PITCH, seal)
        spare = (count - 3) * PITCH * GBT9704.imprint_drift_lines_per_page
        assert room < BLOCK_BOTTOM - imprint_top + spare, (fmt, label, "room for the 版记 on page", count - 2)
        assert not numbers and not [line for line in pages[-2] if is_page_number(line)], fmt


def test_a_two_page_request_prints_on_two_pages(made):
    """The 请示, 报告, 通报 and 纪要 of both examples end half-way down page 2: the 版记 goes under them."""
    for label in labels("wadian/qingshi", "wadian/baogao", "wadian/tongbao", "wadian/minutes", "jinqiao/qingshi",
                        "jinqiao/baogao", "jinqiao/tongbao", "jinqiao/minutes"):
        assert [len(pages) for _, pages in made[label].both()] == [2, 2], label


# --- 4. names, numbers, dates, posts and phone numbers never split ------------------------------------
def people(folder: Path) -> set[str]:
    """The persons the data names (2–4 characters, or with ·), as a reviewer would list them."""
    from docgen.pipeline import load_campaign

    model = load_campaign(folder).model
    meeting = model.meeting
    values = [meeting.speaker.name, meeting.chair.name if meeting.chair else "",
              meeting.contact.name if meeting.contact else ""]
    values += [p if isinstance(p, str) else p.name for p in [*meeting.attendees_list, *meeting.observers]]
    values += [a.name for a in meeting.absentees] + [(item.speaker or " ").split()[-1] for item in meeting.agenda]
    for branch in model.branches:
        values += [branch.secretary, *(v for m in branch.members for v in (m.name, m.supervisor))]
    for document in model.documents.values():
        values += [document.signer or "", document.contact.name if document.contact else ""]
    return {v for v in values if re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]+(·[\u4e00-\u9fff]+)+", v)}


UNITS = (r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}|\d{3,4}-\d{3,4} ?\d{3,4}"
         r"|\d+(?:小时|分钟|名|户|次|项|人|个|节)|副?书记|指导员|委员(?!会)")


def split_units(before: str, after: str, names: set[str]) -> list[str]:
    """The units a line break between ``before`` and ``after`` cuts in two."""
    pattern = "|".join([*(re.escape(n) for n in sorted(names, key=len, reverse=True)), UNITS])
    joined, cut = before + after, len(before)
    return [m.group() for m in re.finditer(pattern, joined) if m.start() < cut < m.end()]


def data_of(label: str, made: dict[str, Made]) -> Path:
    data = label.split("/")[0]
    if data in CORPUS_PLAN:
        return CORPUS_PLAN[data][0]
    return {"wadian": EXAMPLE, "jinqiao": JINQIAO}.get(data) or made[label].pdf.parents[2] / "stress-data"


@pytest.mark.parametrize("label", labels("*/*", "*/notice/01", "*/commitment/01"))
def test_no_line_break_splits_a_name_a_number_a_date_a_post_or_a_phone_number(made, label):
    """「赵 / 德华」 (纪要's 出席), 「陈 / 志强」 and 「副书 / 记」 (议程), 「党员代表2 / 名。」 (notices), 「20小 /
    时」 and 「书 / 记」 (table cells): in body text, label lists and table cells, both formats."""
    names = people(data_of(label, made))
    for fmt, path in (("pdf", made[label].pdf), ("libreoffice", made[label].lo)):
        found = []
        with pdfplumber.open(path) as pdf:
            rows = []
            for page in pdf.pages:
                for table in page.extract_tables():
                    for cell in (c for row in table for c in row if c):
                        parts = cell.split("\n")
                        found += [(u, "cell") for a, b in zip(parts, parts[1:], strict=False)
                                  for u in split_units(a, b, names)]
                boxes = [t.bbox for t in page.find_tables()]
                rows += [line for line in lines_of_page(page)
                         if line[1] >= 15.5 and not any(b[1] - 1 <= line[2] <= b[3] + 1 for b in boxes)]
        texts = [text for text, _size, _top in rows if not re.fullmatch(r"—\s*\d+\s*—", text)]
        found += [(u, a[-6:] + "|" + b[:6]) for a, b in zip(texts, texts[1:], strict=False)
                  for u in split_units(a, b, names)]
        assert not found, (fmt, found)


def lines_of_page(page) -> list[tuple[str, float, float]]:
    """(text, size, top in pt) of each line of a pdfplumber page."""
    from .measure import lines_of

    return [("".join(c["text"] for c in chars), round(chars[0]["size"], 1), chars[0]["top"])
            for chars in lines_of(page)]


# --- 7. no stretched spaces; merged documents start where they start alone ----------------------------
@pytest.mark.parametrize("label", labels("*/agenda", "*/commitment-list", "*/notice/01", "*/minutes", "*/qingshi"))
def test_justification_never_stretches_a_space_in_the_pdf(made, label):
    """WeasyPrint justified a line by widening its spaces only: 「028-8765    4321」, 「书记    陈」."""
    with pdfplumber.open(made[label].pdf) as pdf:
        from .measure import lines_of

        for page in pdf.pages:
            for chars in lines_of(page):
                for char, after in zip(chars, chars[1:], strict=False):
                    if char["text"].isspace():
                        advance = after["x0"] - char["x0"]
                        assert advance <= 0.5 * char["size"], ("".join(c["text"] for c in chars), advance)


def test_a_space_in_a_justified_line_keeps_its_width(tmp_path):
    """A phone number and a post before a name, in lines the PDF justifies: their spaces keep their width."""
    from docgen.engines.markdown import from_markup
    from docgen.writers import writer

    text = ("联系人：林晓雯，联系电话：028-8765 4321，请各支部于会前一日将参会人员名单报街道党工委办公室。"
            "主持人：街道党工委副书记 吴敏，各党组织书记参加会议并作表态发言，会后分组讨论。")
    document = from_markup(f"---\nkind: speech\ntitle: 测试\n---\n{text}\n", None)
    path = tmp_path / "spaces.pdf"
    path.write_bytes(writer("pdf").render(document).data)
    with pdfplumber.open(path) as pdf:
        from .measure import lines_of

        spaces = [(chars[i + 1]["x0"] - char["x0"], char["size"]) for chars in lines_of(pdf.pages[0])
                  for i, char in enumerate(chars[:-1]) if char["text"].isspace() and char["size"] > 15]
    assert len(spaces) == 2 and all(advance <= 0.5 * size for advance, size in spaces), spaces


def test_a_merged_docx_starts_every_document_where_it_starts_alone(tmp_path, libreoffice):
    """Every document of a merged DOCX starts at the height it has alone (LibreOffice set the documents after
    the first 3.6 mm lower: their odd-page sections got a shorter footer and a lower text grid)."""
    where = 'branch.name in ["春风村党支部", "瓦店村党支部", "石桥村党支部"]'
    result = docgen.batch(EXAMPLE, template="notice", each="branches", where=where, out=tmp_path, jobs=1,
                          merge=True, formats=("docx", "pdf"))
    merged = tmp_path / result["merged"]["docx"]
    alone = tmp_path / result["documents"][0]["files"][0]["file"]
    lo = libreoffice.pdfs([merged, alone], tmp_path / "lo")
    first = pdf_lines(lo[alone])[0][0][0].top_mm
    pages = [page for page in pdf_lines(lo[merged])[0] if page]
    assert len(pages) == 3
    assert [round(page[0].top_mm - first, 1) for page in pages] == [0.0, 0.0, 0.0]


# --- 6. tables: rows stay whole, widths follow content, the last rows carry the signature --------------
def table_rows(path: Path) -> list[tuple[int, list[str | None]]]:
    """(page number, cells) of every table row after each page's repeated header."""
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for table in page.extract_tables():
                found += [(number, row) for row in table if row and row[0] != "序号"]
    return found


@pytest.mark.parametrize("label", labels("*/commitment-list", "*/sign-in"))
def test_table_rows_never_split_across_pages(made, label):
    """瓦店's 承诺公示 DOCX began pages with 「5户」 and 「每月走访一次」, the rest of a row left behind."""
    for fmt, path in (("pdf", made[label].pdf), ("libreoffice", made[label].lo)):
        rows = table_rows(path)
        first_on_page = {}
        for number, row in rows:
            first_on_page.setdefault(number, row)
        assert all((row[0] or "").strip().isdigit() for row in first_on_page.values()), (fmt, first_on_page)


def test_widths_follow_content_so_commitments_are_not_squeezed(made):
    """瓦店's 职务 column was as wide as its longest post and the 承诺事项 got 3–4 lines a row; the widths
    that make the table shortest give a long post two lines and no row more than three."""
    for fmt, path in (("pdf", made["wadian/commitment-list"].pdf), ("libreoffice", made["wadian/commitment-list"].lo)):
        rows = table_rows(path)
        assert len(rows) == 42, fmt
        tallest = max(max(len((cell or "").split("\n")) for cell in row) for _, row in rows)
        assert tallest <= 3, (fmt, tallest)


def test_the_last_rows_of_a_table_carry_the_signature(tmp_path, libreoffice):
    """A 公示 table that runs onto a new page takes at least its last two rows there with the 署名 and 成文日期
    (金桥's last page held the signature alone, or one row and it), and both formats break it alike — also
    when it runs onto a fourth page (LibreOffice keeps no rows with the next paragraph there: the DOCX
    breaks the table where the PDF does)."""
    from docgen import transforms
    from docgen.engines.markdown import from_markup
    from docgen.writers import writer

    made_files = []
    for count in [*range(7, 15), *range(40, 44)]:  # onto page 2, and onto page 4 (LibreOffice lost the keep)
        rows = "\n".join(f"| {i} | 张{i:02d} | 第{i}党支部书记 | 带头学习条例，每月走访群众不少于{i}户 | 李四 |"
                         for i in range(1, count + 1))
        document = from_markup("---\nkind: document\ntitle: 测试承诺公示\nsignature: [中共测试委员会]\n"
                               "signature_date: 2024年5月6日\n---\n正文一段。\n\n"
                               f"| 序号 | 姓名 | 职务 | 承诺事项 | 监督人 |\n|---|---|---|---|---|\n{rows}\n")
        document = transforms.keep_table_with_signature(transforms.fit_signature(document))
        (tmp_path / f"{count}.pdf").write_bytes(writer("pdf").render(document).data)
        (tmp_path / f"{count}.docx").write_bytes(writer("docx").render(document).data)
        made_files.append(tmp_path / f"{count}.docx")
    lo = libreoffice.pdfs(made_files, tmp_path / "lo")
    spilled = 0
    for docx_path in made_files:
        counts = []
        for path in (docx_path.with_suffix(".pdf"), lo[docx_path]):
            pages = pdf_lines(path)[0]
            rows = [line for line in pages[-1] if re.match(r"\d+张", line.text)]
            counts.append(len(pages))
            assert any(line.text == "中共测试委员会" for line in pages[-1])
            if len(pages) > 1:
                assert len(rows) >= 2, (path.name, [line.text for line in pages[-1]])
        assert counts[0] == counts[1], (docx_path.name, counts)
        spilled += counts[0] > 1
    assert 0 < spilled < len(made_files)  # the sweep crosses the page


# --- both formats ------------------------------------------------------------------------------------
@pytest.mark.parametrize("label", labels("*/*", "*/notice/*", "*/commitment/*"))
def test_the_pdf_and_libreoffice_s_rendering_of_the_docx_have_the_same_pages(made, label):
    assert len(made[label].pdf_pages) == len(made[label].lo_pages)


# --- 5. no widows, no orphans -----------------------------------------------------------------------
LEFT = GBT9704.margin_left_mm
INDENT = LEFT + 2 * GBT9704.char_pitch_pt / MM  # a paragraph's first line, 2 字 in


def flush(line: Line, x: float) -> bool:
    return abs(line.size - 16) < 0.5 and abs(line.x0_mm - x) < 0.6


@pytest.mark.parametrize("label", labels("*/opinion", "*/forward", "*/speech", "*/minutes", "*/qingshi",
                                         "*/baogao", "*/tongbao", "*/xinhan"))
def test_no_paragraph_leaves_one_line_alone_at_a_page_s_head_or_foot(made, label):
    """「切”。」 alone at the top of 金桥's speech p4 and forward p6, 瓦店's forward ending on a page of one
    line: a paragraph that runs over a page keeps at least two lines on each side, in both formats."""
    for fmt, pages in made[label].both():
        for number in range(1, len(pages)):
            before, after = text_lines(pages[number - 1]), text_lines(pages[number])
            if not before or not after or not flush(after[0], LEFT) or not flush(before[-1], LEFT) \
                    and not flush(before[-1], INDENT):
                continue  # the page starts a paragraph (or a table, a title, the 版记): nothing ran over
            assert len(after) > 1 and flush(after[1], LEFT), (fmt, "widow", number + 1, after[0].text)
            assert not flush(before[-1], INDENT), (fmt, "orphan", number, before[-1].text)


# --- 2. the signature never stands on a page without body text ----------------------------------------
def signature_page(pages: list[list[Line]], first_line: str) -> tuple[int, list[Line]]:
    """The page the 署名 starts on (its first line's text, first occurrence) and the lines above it there."""
    for number, page in enumerate(pages, 1):
        rows = text_lines(page)
        at = next((i for i, line in enumerate(rows) if line.text == first_line and line.size == 16.0), None)
        if at is not None:
            return number, rows[:at]
    raise AssertionError(f"no signature {first_line!r}")


def body_text(lines: list[Line], addressee: str = "") -> list[str]:
    """正文 among lines: running 3号 text (2 字 in or flush left; not the 主送, the title, the 附件说明) or
    a table's rows."""
    return [line.text for line in lines
            if (line.size == 12.0 and line.text[:1].isdigit())
            or (abs(line.size - 16) < 0.5 and line.text != addressee and not line.text.startswith("附件")
                and (abs(line.x0_mm - LEFT) < 0.6 or abs(line.x0_mm - INDENT) < 0.6))]


def signature_of(label: str, made: dict[str, Made]) -> tuple[str, str]:
    """The 署名's first line and the 主送 of a rendered document (from its model)."""
    from docgen import pipeline
    from docgen.model import Addressee, Signature

    data, kind, *record = label.split("/")
    campaign = pipeline.load_campaign(data_of(label, made))
    name = pipeline.template_name(speech_of(data) if kind == "speech" else None, None if kind == "speech" else kind)
    names = {}
    if record:
        branch = campaign.model.branches[int(record[0]) - 1]
        names = {"branch": branch, "member": branch.members[0] if branch.members else None}
    document = pipeline.run(campaign, name, record=names, formats=()).document
    signature = next(node for node in document.nodes if isinstance(node, Signature))
    addressee = document.first(Addressee)
    return signature.lines[0], addressee.text if addressee else ""


@pytest.mark.parametrize("label", labels("*/opinion", "*/forward", "*/qingshi", "*/baogao", "*/tongbao",
                                         "*/commitment-list", "*/xinhan", "*/notice/01"))
def test_the_signature_never_stands_on_a_page_without_body_text(made, label):
    """Every 转发通知's page 2 held only 署名 and 日期 (the PDF also split the 附件说明 across pages 1–2):
    body text comes along with the signature, and the 附件说明 stays whole, in both formats."""
    first, addressee = signature_of(label, made)
    for fmt, pages in made[label].both():
        number, above = signature_page(pages, first)
        assert body_text(above, addressee), (fmt, number, [line.text for line in above])
        notes = [n for n, page in enumerate(pages, 1) for line in text_lines(page) if line.text.startswith("附件：")]
        if notes:  # the 附件说明 on the signature's page, whole
            assert notes[0] == number, (fmt, notes, number)


def test_a_body_ending_at_a_page_s_foot_brings_its_last_lines_to_the_signature(tmp_path, libreoffice):
    """Over a sweep of body lengths the 署名 never opens a page: the body's last paragraph goes over with it
    (whole, as LibreOffice keeps a paragraph with the next), in both formats alike."""
    from docgen.engines.markdown import from_markup
    from docgen.writers import writer

    made_files = []
    for count in range(17, 24):
        body = "\n\n".join(f"第{i}段，" + "正文内容，" * 9 + "完。" for i in range(1, count + 1))
        document = from_markup("---\nkind: document\ntitle: 测试通知\naddressee: 各党支部：\n"
                               f"signature: [中共测试委员会]\nsignature_date: 2024年5月6日\n---\n{body}\n")
        (tmp_path / f"{count}.pdf").write_bytes(writer("pdf").render(document).data)
        (tmp_path / f"{count}.docx").write_bytes(writer("docx").render(document).data)
        made_files.append(tmp_path / f"{count}.docx")
    lo = libreoffice.pdfs(made_files, tmp_path / "lo")
    for docx_path in made_files:
        counts = []
        for path in (docx_path.with_suffix(".pdf"), lo[docx_path]):
            pages = pdf_lines(path)[0]
            number, above = signature_page(pages, "中共测试委员会")
            assert body_text(above), (path.name, number)
            counts.append(len(pages))
        assert counts[0] == counts[1], (docx_path.name, counts)
