"""The meeting's other 公文 forms: 会议议程, 签到表, 会议纪要 — from both examples, in DOCX and PDF."""

import re

import docx
import pdfplumber
import pytest
from click.testing import CliRunner
from docx.shared import Mm

import docgen
from docgen.cli import main as cli_main
from docgen.pipeline import load_campaign

from .conftest import ROOT
from .measure import MM, lines_of, plain, text

EXAMPLES = {"wadian": ROOT / "examples" / "wadian", "jinqiao": ROOT / "examples" / "jinqiao"}
KINDS = ("agenda", "sign-in", "minutes", "qingshi", "baogao", "tongbao")


def each_example(*kinds: str):
    """A test runs for the kinds it is about, from each example (it skips none)."""
    return pytest.mark.parametrize("case", [(k, e) for k in kinds for e in EXAMPLES], ids=lambda p: f"{p[0]}-{p[1]}")


def render_kind(kind: str, example: str, tmp_path_factory, libreoffice=None) -> dict:
    """One kind of one example in both formats, and LibreOffice's rendering of its DOCX if asked."""
    out = tmp_path_factory.mktemp(f"{kind}-{example}")
    docx_path, pdf_path = docgen.render(EXAMPLES[example], template=kind, out=out)
    made = {"kind": kind, "example": example, "docx": docx_path, "pdf": pdf_path}
    if libreoffice:
        made["lo"] = libreoffice.pdf(docx_path, out / "lo")
    return made


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each (kind, example) rendered once for the module, when a test first asks for it."""
    done: dict[tuple[str, str], dict] = {}

    def get(kind: str, example: str) -> dict:
        if (kind, example) not in done:
            done[kind, example] = render_kind(kind, example, tmp_path_factory)
        return done[kind, example]

    return get


@pytest.fixture(scope="module")
def made_in_libreoffice(made, libreoffice):
    """The same, with LibreOffice's rendering of the DOCX (once per document)."""

    def get(kind: str, example: str) -> dict:
        files = made(kind, example)
        if "lo" not in files:
            files["lo"] = libreoffice.pdf(files["docx"], files["docx"].parent / "lo")
        return files

    return get


@pytest.fixture()
def rendered(case, made_in_libreoffice) -> dict:
    """The test's kind of one example in both formats, and LibreOffice's rendering of its DOCX."""
    return made_in_libreoffice(*case)


@pytest.fixture()
def rendered_pdf(case, made) -> dict:
    """The test's kind of one example in both formats (for a test that reads no LibreOffice rendering)."""
    return made(*case)


@each_example(*KINDS)
def test_each_kind_renders_with_equal_page_counts_in_the_pdf_and_libreoffice(rendered):
    with pdfplumber.open(rendered["pdf"]) as ours, pdfplumber.open(rendered["lo"]) as lo:
        assert len(ours.pages) == len(lo.pages), rendered["kind"]
    assert docx.Document(rendered["docx"]).paragraphs


@each_example("agenda")
def test_the_agenda_is_one_page_with_its_items_in_order(rendered):
    campaign = load_campaign(EXAMPLES[rendered["example"]]).model
    meeting = campaign.meeting
    for path in (rendered["pdf"], rendered["lo"]):
        with pdfplumber.open(path) as pdf:
            assert len(pdf.pages) == 1
            flat = re.sub(r"\s", "", pdf.pages[0].extract_text())  # LibreOffice spreads a short justified line
        assert flat.startswith(meeting.name + "议程")
        for word in (meeting.place, meeting.chair.name, "会议议程："):
            assert word in flat
        # an item whose title starts with its speaker's post names him there (乡党委书记王建国作动员讲话)
        spots = [flat.index(f"{n}.") for n in range(1, len(meeting.agenda) + 1)]
        assert spots == sorted(spots) and all(item.title[-5:] in flat for item in meeting.agenda)


def _signature_column_mm(page) -> tuple[float, float]:
    xs = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
    return xs[-1] / MM - xs[-2] / MM, len(xs)


@each_example("sign-in")
def test_the_sign_in_header_repeats_and_its_signature_column_is_35mm(rendered):
    for path in (rendered["pdf"], rendered["lo"]):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                header = "序号姓名单位/支部职务签到"
                headers = [line for line in lines_of(page) if text(line).replace(" ", "") == header]
                assert len(headers) == 1, (path.name, page.page_number)
                width, columns = _signature_column_mm(page)
                assert columns == 6 and width >= 35, (path.name, width)
            names = "".join(text(line) for p in pdf.pages for line in lines_of(p))
            # names and posts do not wrap: each is whole on its row
            assert "支部书记" in names
    if rendered["example"] == "wadian":
        with pdfplumber.open(rendered["pdf"]) as pdf:
            assert len(pdf.pages) >= 2  # 42 members: the header is seen repeating
    document = docx.Document(rendered["docx"])
    table = document.tables[0]
    assert table.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    assert table.columns[4].width >= Mm(35)
    assert all(cell.width >= Mm(35) for cell in table.columns[4].cells)
    assert all(row.height >= Mm(10) for row in table.rows[1:])  # room to sign
    for row in table.rows[1:]:
        for column in (1, 3):  # 姓名, and a post of up to 10 characters, on one line: the column is wide enough
            cell = row.cells[column]
            if column == 1 or len(plain(cell.text)) <= 10:  # a leader's long post (副书记、办事处主任) may wrap
                assert cell.width / Mm(1) >= len(plain(cell.text)) * 12 * 0.3528, cell.text


@each_example("minutes")
def test_the_minutes_labels_are_hei_with_the_names_aligned_and_no_seal(rendered):
    meeting = load_campaign(EXAMPLES[rendered["example"]]).model.meeting
    for path in (rendered["pdf"], rendered["lo"]):
        with pdfplumber.open(path) as pdf:
            first = pdf.pages[0]
            assert not any(page.images for page in pdf.pages), "a 纪要 is not sealed"
            red = [c for c in first.chars if tuple(c["non_stroking_color"] or ()) in ((1.0, 0.0, 0.0), (1, 0, 0))]
            assert text(red).endswith("纪要")
            assert meeting.minutes_number in first.extract_text().replace(" ", "")
            lines = [line for page in pdf.pages for line in lines_of(page)]
            for label in ("出席：", "请假：", "列席："):
                line = next(line for line in lines if text(line).startswith(label))
                fonts = {c["fontname"] for c in line[:3]}
                assert all("Hei" in f or "hei" in f for f in fonts), (path.name, fonts)
                assert "Hei" not in line[3]["fontname"] and "hei" not in line[3]["fontname"]
                # 左空二字
                assert abs(line[0]["x0"] / MM - 28 - 2 * 156 / 28) < 1.5, (path.name, line[0]["x0"] / MM)
            # a wrapped 出席 line starts under the first name, after the label
            start = next(i for i, line in enumerate(lines) if text(line).startswith("出席："))
            if not text(lines[start + 1]).startswith(("请假", "列席")):
                assert abs(lines[start + 1][0]["x0"] - lines[start][3]["x0"]) < 2, path.name
            flat = "".join(text(line) for line in lines).replace(" ", "")
            spots = [flat.index(f"{n}.{d[:8]}") for n, d in enumerate(meeting.decisions, 1)]
            assert spots == sorted(spots)


def test_docgen_templates_lists_the_new_kinds():
    out = CliRunner().invoke(cli_main, ["templates"]).output
    for kind in KINDS:
        assert f"--template {kind} " in out


@each_example("qingshi", "baogao")
def test_the_qingshi_carries_its_signer_and_the_contact_in_the_note(rendered):
    documents = load_campaign(EXAMPLES[rendered["example"]]).model.documents
    issued = documents[rendered["kind"]]
    for path in (rendered["pdf"], rendered["lo"]):
        with pdfplumber.open(path) as pdf:
            first = pdf.pages[0].extract_text().replace(" ", "")
            everything = "".join(page.extract_text() for page in pdf.pages).replace(" ", "").replace("\n", "")
        assert f"签发人：{issued.signer}" in first
        assert issued.addressees[0] + "：" in first
        if rendered["kind"] == "qingshi":
            assert "妥否，请批示。" in everything
            assert f"（联系人：{issued.contact.name}，联系电话：{issued.contact.phone.replace(' ', '')}）" in everything


@pytest.mark.parametrize("field", ["signer", "contact"])
def test_validate_refuses_a_qingshi_without_signer_or_contact_at_its_line(tmp_path, field):
    data = (EXAMPLES["wadian"] / "campaign.yaml").read_text(encoding="utf-8")
    lines = data.splitlines()
    start = lines.index("  qingshi:")
    kept = [line for i, line in enumerate(lines) if not (i > start and line.startswith(f"    {field}:")
                                                         and i < start + 8)]
    (tmp_path / "campaign.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    (tmp_path / "seal.png").write_bytes((EXAMPLES["wadian"] / "seal.png").read_bytes())
    result = CliRunner().invoke(cli_main, ["validate", str(tmp_path), "--template", "qingshi"])
    assert result.exit_code == 1
    assert f"campaign.yaml:{start + 1}: documents.qingshi.{field}" in result.output, result.output


@each_example("tongbao")
def test_the_tongbao_reports_attendance_and_the_decisions(rendered_pdf):
    campaign = load_campaign(EXAMPLES[rendered_pdf["example"]]).model
    meeting = campaign.meeting
    with pdfplumber.open(rendered_pdf["pdf"]) as pdf:
        flat = "".join(page.extract_text() for page in pdf.pages).replace(" ", "").replace("\n", "")
    seats = campaign.roll  # the one list the 签到表 prints (tests/test_wording.py counts it by hand)
    assert f"应出席{len(seats)}人，实际出席{len(seats) - len(meeting.absentees)}人" in flat
    assert all(a.name in flat for a in meeting.absentees)
    assert all(f"{n}.{d[:10]}" in flat for n, d in enumerate(meeting.decisions, 1))
