"""Word-designed templates: an office's .docx with tags, rendered with the campaign data.

Every test opens what was produced: python-docx for text, runs and tables, the package's XML for
anchors and relationships, pypdf for the PDF's pages. The example template is the one
scripts/make_word_template.py makes (examples/word-template/会议通知.docx); other templates are built
here with python-docx, one feature each.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from pypdf import PdfReader

import docgen
from docgen import pipeline, wordtemplate
from docgen.errors import DocgenError

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE, ROOT
from .measure import plain
from .ooxml_check import assert_sound

TEMPLATE = ROOT / "examples" / "word-template" / "会议通知.docx"
BASE = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
SEAL = EXAMPLE / "seal.png"


def make(path: Path, paragraphs: list[str] = (), table: list[list[str]] | None = None, build=None) -> Path:
    """A python-docx template: paragraphs, then an optional table, then whatever ``build`` adds."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, texts in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
    if build:
        build(document)
    document.save(str(path))
    return path


def runs_of(paragraph, texts: list[tuple[str, dict]]) -> None:
    for text, style in texts:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = style.get("bold"), style.get("italic"), style.get("underline")


def rendered(path: Path, campaign=None, record: dict | None = None, **options) -> tuple[docx.document.Document, bytes]:
    campaign = campaign or pipeline.load_campaign(EXAMPLE)
    result = pipeline.run(campaign, str(path), formats=("docx",), record=record, options=pipeline.Options(**options))
    data = result.outputs["docx"].data
    assert_sound(data, str(path))
    return docx.Document(io.BytesIO(data)), data


def sound_files(folder: Path) -> None:
    """Every DOCX a batch or the CLI wrote, checked as Word would open it."""
    made = sorted(folder.rglob("*.docx"))
    assert made, f"no DOCX in {folder}"
    for path in made:
        assert_sound(path.read_bytes(), str(path))


def branch_record(campaign, index: int = 0) -> dict:
    item = campaign.model.branches[index]
    return {"branch": item, "record": item, "index": index + 1}


def part(data: bytes, name: str = "word/document.xml") -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def errors_of(exc: pytest.ExceptionInfo) -> list[str]:
    return exc.value.lines()


@pytest.fixture(scope="module")
def campaign():
    return pipeline.load_campaign(EXAMPLE)


@pytest.fixture(scope="module")
def notices(tmp_path_factory) -> dict:
    """The example template over every branch, DOCX only, through the public batch API."""
    out = tmp_path_factory.mktemp("word-notices")
    manifest = docgen.batch(EXAMPLE, template=str(TEMPLATE), each="branches", formats=("docx",), out=out, jobs=2,
                            warn=lambda message: None)
    sound_files(out)
    return {"out": out, "manifest": manifest}


@pytest.fixture(scope="module")
def libreoffice_template(tmp_path_factory, libreoffice) -> Path:
    """The example template opened and saved again by LibreOffice (its own run splitting and XML)."""
    out = tmp_path_factory.mktemp("lo-template")
    source = out / "source" / TEMPLATE.name  # a copy: LibreOffice leaves its lock file next to what it opens
    source.parent.mkdir()
    shutil.copy(TEMPLATE, source)
    saved = libreoffice.convert([source], out, "docx", ".docx")[source]
    assert saved.read_bytes() != TEMPLATE.read_bytes()
    return saved


# --- the example -------------------------------------------------------------------------------------


def test_the_committed_example_is_what_the_script_makes(tmp_path):
    made = tmp_path / "会议通知.docx"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_word_template.py"), "-o", str(made)], check=True,
                   capture_output=True)
    assert made.read_bytes() == TEMPLATE.read_bytes()


def test_values_in_place_with_the_templates_formatting(notices):
    out = notices["out"]
    assert [d["status"] for d in notices["manifest"]["documents"]] == ["written"] * len(BASE["branches"])
    first = BASE["branches"][0]
    document = docx.Document(str(out / f"001_{first['name']}.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "关于召开全乡创先争优活动动员大会的通知"
    assert f"{first['name']}：" in texts
    assert "请李春明同志于会前一日将参会人员回执（附后）报乡党委办公室。" in texts
    title_run = document.paragraphs[0].runs[0]
    assert title_run.font.name == "方正小标宋简体" and title_run.font.size.pt == 22
    # the comments ({# docgen: … #}) and {% if %}/{% for %} paragraphs leave no paragraph behind
    assert not any("{" in t or "}" in t for t in texts)
    preparations = BASE["meeting"]["preparations"]
    start = texts.index("四、有关要求")
    assert texts[start + 1: start + 1 + len(preparations)] == [
        f"{n}．{item}{'；' if n < len(preparations) else '。'}" for n, item in enumerate(preparations, 1)]
    assert texts[start + 1 + len(preparations)].startswith("联系人：刘小红")


def test_a_tag_split_over_three_runs_renders_in_its_first_characters_formatting(notices, campaign):
    # the template's {{ meeting.date | date_ar }}: "{{ meeting." bold, "date | date_" italic, "ar }}" underlined,
    # with Word's spelling marks between the runs
    source = docx.Document(str(TEMPLATE))
    split = next(p for p in source.paragraphs if p.text.startswith("一、会议时间"))
    styles = [(r.text, bool(r.bold), bool(r.italic), bool(r.underline)) for r in split.runs[1:4]]
    assert styles == [("{{ meeting.", True, False, False), ("date | date_", False, True, False),
                      ("ar }}", False, False, True)]
    assert "w:proofErr" in split._p.xml
    document = docx.Document(str(notices["out"] / f"001_{BASE['branches'][0]['name']}.docx"))
    line = next(p for p in document.paragraphs if p.text.startswith("一、会议时间"))
    assert line.text == "一、会议时间：2010年6月18日（星期五）上午9时。"
    value = next(r for r in line.runs if "2010年6月18日" in r.text)
    assert value.text == "2010年6月18日" and value.bold and not value.italic and not value.underline
    assert [r.text for r in line.runs if r.italic or r.underline] == []  # the other pieces left their runs


def test_table_rows_repeat_per_member(notices):
    for number, data in enumerate(BASE["branches"], 1):
        document = docx.Document(str(notices["out"] / f"{number:03d}_{data['name']}.docx"))
        rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
        assert rows[0] == ["序号", "姓名", "职务", "备注"]
        assert rows[1:] == [[str(n), m["name"], m["post"], "支部书记" if m["name"] == data["secretary"] else ""]
                            for n, m in enumerate(data["members"], 1)]


def test_header_footer_and_text_box(notices):
    first = BASE["branches"][0]
    path = notices["out"] / f"001_{first['name']}.docx"
    section = docx.Document(str(path)).sections[0]
    assert section.header.paragraphs[0].text == "瓦店乡党委\u3000创先争优活动"
    assert section.footer.paragraphs[-1].text == f"送达：{first['name']}"
    body = part(path.read_bytes())
    boxes = re.findall(r"<w:txbxContent>(.*?)</w:txbxContent>", body)
    assert len(boxes) == 2  # Word's text box and its VML fallback copy: both filled
    assert all("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", box)) == "份号 000001" for box in boxes)


def test_the_seal_floats_behind_the_text_at_the_placeholder(notices):
    source = part(TEMPLATE.read_bytes())
    placeholder = next(re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"/>', inner)
                       for inner in re.findall(r"<wp:anchor .*?</wp:anchor>", source) if 'descr="{{ seal }}"' in inner)
    data = (notices["out"] / f"001_{BASE['branches'][0]['name']}.docx").read_bytes()
    body = part(data)
    anchors = re.findall(r"<wp:anchor ([^>]*)>(.*?)</wp:anchor>", body)
    seal = [(attributes, inner) for attributes, inner in anchors if "rIdDocgenPic" in inner]
    assert len(seal) == 1
    attributes, inner = seal[0]
    assert 'behindDoc="1"' in attributes and "<wp:wrapNone/>" in inner
    assert f'<wp:extent cx="{placeholder.group(1)}" cy="{placeholder.group(2)}"/>' in inner
    position = re.search(r"<wp:positionH.*?</wp:positionV>", inner).group()
    assert position in source  # where the office put it
    embed = re.search(r'r:embed="([^"]+)"', inner).group(1)
    rels = part(data, "word/_rels/document.xml.rels")
    target = re.search(rf'Id="{embed}"[^>]*Target="([^"]+)"', rels).group(1)
    assert zipfile.ZipFile(io.BytesIO(data)).read(f"word/{target}") == SEAL.read_bytes()
    assert "{{" not in body and "image1.png" not in rels  # the placeholder's own picture is gone


def test_an_inline_placeholder_becomes_a_floating_seal_and_a_draft_has_none(tmp_path, campaign):
    def build(document):
        run = document.add_paragraph("中共瓦店乡委员会").add_run()
        run.add_picture(str(SEAL), width=Mm(40), height=Mm(40))
        run.element.find(f".//{qn('wp:docPr')}").set("descr", "{{ seal }}")

    template = make(tmp_path / "盖章.docx", ["{{ organization.name }}"], build=build)
    _, data = rendered(template, campaign)
    body = part(data)
    assert "<wp:inline" not in body
    anchor = re.search(r"<wp:anchor ([^>]*)>", body).group(1)
    assert 'behindDoc="1"' in anchor and f'cx="{Mm(40)}"' in body
    _, draft = rendered(template, campaign, draft="草稿")
    assert "<w:drawing" not in part(draft)
    assert not [n for n in zipfile.ZipFile(io.BytesIO(draft)).namelist() if "docgen-picture" in n]


def test_libreoffice_saved_and_python_docx_templates_render_alike(notices, libreoffice_template, tmp_path):
    ours = docx.Document(str(notices["out"] / f"001_{BASE['branches'][0]['name']}.docx"))
    document, data = rendered(libreoffice_template, record=branch_record(pipeline.load_campaign(EXAMPLE)))
    assert [p.text for p in document.paragraphs if p.text] == [p.text for p in ours.paragraphs if p.text]
    assert [[c.text for c in r.cells] for r in document.tables[0].rows] == \
        [[c.text for c in r.cells] for r in ours.tables[0].rows]
    assert 'behindDoc="1"' in part(data) and "rIdDocgenPic" in part(data)
    report = wordtemplate.lint(libreoffice_template)
    assert not report.faults
    assert any("split over" in note for note in report.repairs)  # LibreOffice splits runs at script changes


@pytest.mark.libreoffice  # docgen's Word-template PDF
def test_pdf_through_libreoffice_has_the_right_page_count(tmp_path):
    names = [b["name"] for b in BASE["branches"][:2]]
    manifest = docgen.batch(EXAMPLE, template=str(TEMPLATE), each="branches", where=f"branch.name in {names!r}",
                            formats=("docx", "pdf"), out=tmp_path, jobs=1, warn=lambda message: None)
    documents = manifest["documents"]
    assert [d["status"] for d in documents] == ["written", "written"]
    sound_files(tmp_path)
    for document, name in zip(documents, names, strict=True):
        files = {f["format"]: f for f in document["files"]}
        pdf = tmp_path / files["pdf"]["file"]
        reader = PdfReader(str(pdf))
        assert len(reader.pages) == 2 == files["pdf"]["pages"] == files["docx"]["pages"]  # the notice, the 回执
        text = "".join("".join((page.extract_text() or "").split()) for page in reader.pages)
        assert name in text and "参会人员回执" in text
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["documents"][0]["status"] == "ok"


@pytest.mark.libreoffice  # docgen's Word-template PDF
def test_a_pdf_only_batch_keeps_no_docx(tmp_path, monkeypatch):
    from docgen.wordtemplate import office

    calls = []
    real = office.Office._invoke

    def counted(self, sources, outdir):
        calls.append(len(sources))
        return real(self, sources, outdir)

    monkeypatch.setattr(office, "MAX_FILES", 1)  # two files: two invocations, one profile
    monkeypatch.setattr(office.Office, "_invoke", counted)
    manifest = docgen.batch(EXAMPLE, template=str(TEMPLATE), each="branches", where="branch.category == '社区'",
                            formats=("pdf",), out=tmp_path, jobs=1, warn=lambda message: None)
    written = sorted(p.name for p in tmp_path.iterdir())
    count = len(manifest["documents"])
    assert count == 2 and calls == [1, 1]
    assert [n for n in written if n.endswith(".pdf")] and not [n for n in written if n.endswith(".docx")]
    assert all([f["format"] for f in d["files"]] == ["pdf"] for d in manifest["documents"])


# --- tags: splits, loops, structure ----------------------------------------------------------------------


def test_row_loops_in_three_spellings(tmp_path, campaign):
    record = branch_record(campaign)
    members = [m.name for m in campaign.model.branches[0].members]
    rows_own = [["姓名", "职务"], ["{% for m in branch.members %}", ""], ["{{ m.name }}", "{{ m.post }}"],
                ["{% endfor %}", ""]]
    in_cells = [["姓名", "职务"], ["{% for m in branch.members %}{{ m.name }}", "{{ m.post }}{% endfor %}"]]
    docxtpl_style = [["姓名", "职务"], ["{%tr for m in branch.members %}", ""], ["{{ m.name }}", "{{ m.post }}"],
                     ["{%tr endfor %}", ""]]
    for number, table in enumerate((rows_own, in_cells, docxtpl_style)):
        document, _ = rendered(make(tmp_path / f"t{number}.docx", ["表"], table), campaign, record)
        rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
        assert rows == [["姓名", "职务"], *[[m, p.post] for m, p in zip(members, campaign.model.branches[0].members,
                                                                          strict=True)]], number


def test_paragraph_blocks_and_whole_paragraph_if(tmp_path, campaign):
    template = make(tmp_path / "blocks.docx", [
        "开头",
        "{% for phase in campaign.phases %}",
        "{{ loop.index }}. {{ phase.name }}",
        "{% endfor %}",
        "{% if draft %}这是草稿。{% endif %}",
        "{% if campaign.phases | length > 3 %}",
        "阶段多于三个。",
        "{% else %}",
        "阶段不多。",
        "{% endif %}",
        "结尾",
    ])
    document, _ = rendered(template, campaign)
    phases = [p.name for p in campaign.model.campaign.phases]
    assert [p.text for p in document.paragraphs] == [
        "开头", *[f"{n}. {name}" for n, name in enumerate(phases, 1)], "阶段多于三个。", "结尾"]
    drafted, _ = rendered(template, campaign, draft="草稿")
    assert "这是草稿。" in [p.text for p in drafted.paragraphs]


def test_split_braces_smart_quotes_and_full_width_punctuation(tmp_path, campaign):
    def build(document):
        paragraph = document.add_paragraph("会议：")
        runs_of(paragraph, [("{", {"bold": True})])
        paragraph._p.append(parse_xml(f'<w:proofErr {nsdecls("w")} w:type="spellStart"/>'))
        runs_of(paragraph, [("{ meeting.name }", {"italic": True}), ("}", {})])
        document.add_paragraph("{{ branch.name | with_post(“书记”) }}")
        document.add_paragraph("｛｛ meeting.date ｜ date_zh ｝｝")

    document, _ = rendered(make(tmp_path / "repairs.docx", build=build), campaign, branch_record(campaign))
    assert [p.text for p in document.paragraphs] == [
        "会议：全乡创先争优活动动员大会", "春风村党支部书记", "二〇一〇年六月十八日"]
    assert document.paragraphs[0].runs[-1].bold
    notes = wordtemplate.lint(tmp_path / "repairs.docx").repairs
    assert any("split over 3 runs" in n for n in notes) and any("curly quotes" in n for n in notes)
    assert any("full-width" in n for n in notes)


def test_every_value_prints_as_itself(tmp_path):
    values = {**BASE, "branches": [{**BASE["branches"][0], "name": "A&B <村> {{ 7*7 }} {% if x %}",
                                    "secretary": "张\n三"}]}
    values["documents"] = {}
    data = tmp_path / "campaign.yaml"
    data.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    campaign = pipeline.load_campaign(data)
    template = make(tmp_path / "t.docx", ["{{ branch.name }}：", "请{{ branch.secretary }}同志"])
    document, raw = rendered(template, campaign, branch_record(campaign))
    assert [p.text for p in document.paragraphs] == ["A&B <村> {{ 7*7 }} {% if x %}：", "请张\n三同志"]  # a w:br
    assert "A&amp;B &lt;村&gt;" in part(raw)


def test_the_sandbox_holds_in_word_templates(tmp_path, campaign):
    template = make(tmp_path / "evil.docx", ["{{ meeting.__class__.__init__.__globals__ }}"])
    with pytest.raises(DocgenError) as caught:
        rendered(template, campaign)
    assert "sandbox" in str(caught.value) and "第1段" in str(caught.value)


# --- errors ------------------------------------------------------------------------------------------------


def test_a_misspelt_name_names_its_paragraph_and_the_nearest_field(tmp_path, campaign):
    template = make(tmp_path / "模板.docx", ["关于召开{{ meeting.name }}的通知", "{{ branch.name }}：",
                                              "经研究，定于{{ meeting.dat }}召开{{ meeting.name }}。"],
                    [["序号", "姓名", "职务"], ["{% for m in branch.members %}{{ loop.index }}", "{{ m.nmae }}",
                                             "{{ m.post }}{% endfor %}"]])
    with pytest.raises(DocgenError) as caught:
        pipeline.run(campaign, str(template), formats=("docx",), record=branch_record(campaign))
    lines = errors_of(caught)
    assert lines == [
        f"{template}: 第3段 (正文, 「定于{{{{ meeting.dat }}}}召开」): "
        "Meeting has no field `dat`; did you mean `date`?",
        f"{template}: 表格1 第2行 第2列 (「{{{{ m.nmae }}}}」): Member has no field `nmae`; did you mean `name`?",
    ]


def test_all_faults_of_a_template_in_one_run_without_a_traceback(tmp_path):
    def build(document):
        header = document.sections[0].header.paragraphs[0]
        header.text = "{{ organizaton.name }}"

    template = make(tmp_path / "坏模板.docx", [
        "{{ branch.name }}：",
        "{% for m in branch.members %}",
        "{{ m.nmae }}",
        "联系人：{{ meeting.contact.name }",
        "{% if draft %}草稿",
        "{% endif %}{% endif %}",
        "{% include 'notice/main.md.j2' %}",
    ], build=build)
    done = docgen_cli("batch", EXAMPLE, "--template", template, "--each", "branches", "-o", tmp_path / "out")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    shown = str(template)
    assert errors == [
        f"error: {shown}: 第3段 (正文, 「{{{{ m.nmae }}}}」): Member has no field `nmae`; did you mean `name`?",
        f"error: {shown}: 第4段 (正文, 「{{{{ meeting.contact.name }}」): `{{{{` is not closed in this paragraph: "
        "a tag "
        "starts and ends in one paragraph (`{{ … }}`)",
        f"error: {shown}: 第6段 (正文, 「{{% endif %}}」): `{{% endif %}}` cannot close the "
        "`{% for m in branch.members %}` "
        "opened at 第2段; close it with `{% endfor %}` first",
        f"error: {shown}: 第7段 (正文, 「{{% include 'notice/main.md.j2' %}}」): `{{% include %}}` is not available in "
        "a Word template (would pull in another (Markdown) template); use if/elif/else/endif, for/else/endfor, "
        "with/endwith, set x = …",
        f"error: {shown}: 第1段 (页眉, 「{{{{ organizaton.name }}}}」): `organizaton` is not defined; did you mean "
        "`organization`? the data's names: organization, campaign, meeting, branches, documents, extra, data, draft, "
        "seal, document, index, branch, record",
    ]
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.docx"))


def test_a_block_that_does_not_enclose_whole_paragraphs_is_refused_with_both_places(tmp_path, campaign):
    template = make(tmp_path / "t.docx", ["前文{% if draft %}中间", "后文{% endif %}末尾"])
    with pytest.raises(DocgenError) as caught:
        rendered(template, campaign)
    message = str(caught.value)
    assert "第1段" in message and "第2段" in message and "start of its first paragraph" in message


def test_render_refuses_a_per_record_template_and_names_the_batch(tmp_path):
    done = docgen_cli("render", EXAMPLE, "--template", TEMPLATE, "-o", tmp_path)
    assert done.returncode == 1
    assert f"docgen batch {EXAMPLE} --template {TEMPLATE} --each branches" in done.stderr


def test_template_check_lints_without_data(tmp_path):
    done = docgen_cli("template-check", TEMPLATE, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"ok: {TEMPLATE.relative_to(ROOT)}: "
                                  "44 tags (34 in 正文, 1 in 文本框1, 6 in 表格1, 1 in 页脚, 2 in 页眉); "
                                  "1 picture placeholder(s): {{ seal }}; made once per record of `branches`")
    assert "第7段 (正文, 「{{ meeting.date | date_ar }}（」): `{{ meeting.date | date_ar }}`: split over 3 runs" in \
        done.stderr
    bad = make(tmp_path / "bad.docx", ["{{ meeting.plase }}", "{{ member.nmae }}"])
    done = docgen_cli("template-check", bad)
    assert done.returncode == 1
    assert "Meeting has no field `plase`; did you mean `place`?" in done.stderr
    assert "Member has no field `nmae`; did you mean `name`?" in done.stderr
    assert "made once per record of `branches[*].members`" in done.stdout


# --- the pipeline around it ---------------------------------------------------------------------------------


def test_render_a_campaign_level_word_template_with_document_facts(tmp_path):
    def build(document):
        document.add_paragraph("{{ document.number }}　{{ document.date | date_zh }}")

    (tmp_path / "templates").mkdir()
    make(tmp_path / "templates" / "承诺公示.docx", [
        "{# docgen-document: opinion #}",
        "{{ organization.place }}共产党员公开承诺公示",
    ], [["序号", "姓名", "监督人"],
        ["{% for m in branches | map(attribute='members') | sum(start=[]) %}{{ loop.index }}", "{{ m.name }}",
         "{{ m.supervisor }}{% endfor %}"]], build=build)
    paths = docgen.render(EXAMPLE, template="承诺公示", templates=[tmp_path / "templates"], formats=("docx",),
                          out=tmp_path / "out", warn=lambda message: None)
    assert [p.name for p in paths] == ["承诺公示.docx"]
    assert_sound(paths[0].read_bytes())
    document = docx.Document(str(paths[0]))
    total = sum(len(b["members"]) for b in BASE["branches"])
    assert len(document.tables[0].rows) == 1 + total
    assert [p.text for p in document.paragraphs] == [
        "瓦店乡共产党员公开承诺公示", "瓦委发〔2010〕12号\u3000二〇一〇年六月二十一日"]


def test_a_rerun_skips_unchanged_and_a_template_edit_redoes(tmp_path):
    template = make(tmp_path / "t.docx", ["{{ branch.name }}"])
    options = dict(template=str(template), each="branches", where="branch.category == '社区'", formats=("docx",),
                   out=tmp_path / "out", jobs=1, warn=lambda message: None)
    first = docgen.batch(EXAMPLE, **options)
    assert {d["status"] for d in first["documents"]} == {"written"}
    again = docgen.batch(EXAMPLE, **options)
    assert {d["status"] for d in again["documents"]} == {"unchanged"}
    make(template, ["{{ branch.name }}（修改）"])
    edited = docgen.batch(EXAMPLE, **options)
    assert {d["status"] for d in edited["documents"]} == {"written"}
    made = tmp_path / "out" / "009_场镇社区党支部.docx"  # numbered by its place in branches, not among those kept
    assert docx.Document(str(made)).paragraphs[0].text.endswith("（修改）")
    sound_files(tmp_path / "out")


def test_traditional_script_converts_the_whole_text(tmp_path, campaign):
    template = make(tmp_path / "t.docx", ["关于召开{{ meeting.name }}的通知"])
    document, _ = rendered(template, campaign, script="hant")
    assert document.paragraphs[0].text == "關於召開全鄉創先爭優活動動員大會的通知"


def test_docxtpl_on_the_same_templates(tmp_path, campaign):
    """The comparison behind the engine choice (wordtemplate's docstring), kept honest."""
    docxtpl = pytest.importorskip("docxtpl")
    from jinja2 import Environment

    from docgen import templating

    env = Environment(autoescape=True)
    env.filters.update(templating.FILTERS)
    context = {**campaign.context(), **branch_record(campaign), "seal": None}
    tpl = docxtpl.DocxTemplate(str(TEMPLATE))
    tpl.render(context, env)
    buffer = io.BytesIO()
    tpl.save(buffer)
    theirs = docx.Document(io.BytesIO(buffer.getvalue()))
    rows = [[c.text for c in r.cells] for r in theirs.tables[0].rows]
    members = campaign.model.branches[0].members
    assert len(rows) > 1 + len(members)  # the {% for %} rows' leftovers: empty rows between the members
    assert sum(1 for p in theirs.paragraphs if not p.text.strip()) > 5  # {% if %} paragraphs stay, empty
    ours, _ = rendered(TEMPLATE, campaign, branch_record(campaign))
    assert len(ours.tables[0].rows) == 1 + len(members)
    # a value with & ends the text there without autoescape (lxml's recover mode drops the rest)
    plain = docxtpl.DocxTemplate(str(make(tmp_path / "amp.docx", ["{{ name }}：通知"])))
    plain.render({"name": "A&B村"})
    buffer = io.BytesIO()
    plain.save(buffer)
    assert docx.Document(io.BytesIO(buffer.getvalue())).paragraphs[0].text != "A&B村：通知"


def test_a_template_cannot_read_local_files_through_xml_entities(tmp_path, campaign):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    template = make(tmp_path / "t.docx", ["{{ meeting.name }}", "ENTITY-HERE"])
    with zipfile.ZipFile(template) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    body = entries["word/document.xml"].decode("utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
    body = body.replace("<w:document ", f"{doctype}<w:document ", 1)
    entries["word/document.xml"] = body.replace("ENTITY-HERE", "&x;").encode("utf-8")
    with zipfile.ZipFile(template, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    try:
        _, data = rendered(template, campaign)
    except DocgenError:
        return  # refused is fine too
    assert b"TOP-SECRET" not in data and "TOP-SECRET" not in part(data)


def test_not_a_word_file_is_one_line(tmp_path):
    fake = tmp_path / "模板.docx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    done = docgen_cli("template-check", fake)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {fake}: not a .docx package")
    old = tmp_path / "旧模板.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    done = docgen_cli("render", EXAMPLE, "--template", old, "-o", tmp_path / "out")
    assert done.returncode == 1 and "save it as .docx" in done.stderr


# --- templates as offices make them: revisions, free-form data, escaping, breaks, whitespace, bookmarks, docxtpl -----


REVISION = 'w:author="张三" w:date="2024-05-06T10:00:00Z"'


def x(fragment: str):
    """One element of WordprocessingML as Word writes it (the w: namespace declared on it)."""
    return parse_xml(re.sub(r"^<(w:\w+)", lambda m: f"<{m.group(1)} {nsdecls('w')}", fragment, count=1))


def campaign_with(tmp_path: Path, **changes) -> pipeline.LoadedCampaign:
    """The example's data with top-level keys replaced (and its seal beside it)."""
    values = {**BASE, **changes}
    data = tmp_path / "campaign.yaml"
    data.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(SEAL, tmp_path / "seal.png")
    return pipeline.load_campaign(data)


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


@pytest.mark.libreoffice  # docgen's Word-template PDF
def test_tracked_changes_are_accepted_and_comments_dropped_with_one_warning(tmp_path, campaign):
    ids = iter(range(100, 200))

    def rev() -> str:
        return f'w:id="{next(ids)}" {REVISION}'

    def build(document):
        # 第1段: a tag edited with 修订 on: "{{ meeting." inserted, a misspelling deleted inside the tag
        p = document.add_paragraph()._p
        p.append(x('<w:r><w:t xml:space="preserve">会议：</w:t></w:r>'))
        p.append(x(f'<w:del {rev()}><w:r><w:delText>旧会议</w:delText></w:r></w:del>'))
        p.append(x(f'<w:ins {rev()}><w:r><w:t>{{{{ meeting.</w:t></w:r></w:ins>'))
        p.append(x(f'<w:del {rev()}><w:r><w:delText>nmae</w:delText></w:r></w:del>'))
        p.append(x(f'<w:ins {rev()}><w:r><w:rPr><w:b/><w:rPrChange {rev()}><w:rPr/></w:rPrChange></w:rPr>'
                   '<w:t>name</w:t></w:r></w:ins>'))
        p.append(x('<w:r><w:t xml:space="preserve"> }}</w:t></w:r>'))
        # 第2段's paragraph mark deleted: it joins 第3段
        p = document.add_paragraph()._p
        p.append(x(f'<w:pPr><w:jc w:val="center"/><w:rPr><w:del {rev()}/></w:rPr></w:pPr>'))
        p.append(x('<w:r><w:t>甲</w:t></w:r>'))
        p = document.add_paragraph()._p
        p.append(x(f'<w:pPr><w:jc w:val="left"/><w:pPrChange {rev()}><w:pPr><w:jc w:val="right"/></w:pPr>'
                   '</w:pPrChange></w:pPr>'))
        p.append(x('<w:r><w:t>乙</w:t></w:r>'))
        # 第4段 inserted, 第5段 deleted (its text and its mark)
        p = document.add_paragraph()._p
        p.append(x(f'<w:pPr><w:rPr><w:ins {rev()}/></w:rPr></w:pPr>'))
        p.append(x(f'<w:ins {rev()}><w:r><w:t>新增的一段</w:t></w:r></w:ins>'))
        p = document.add_paragraph()._p
        p.append(x(f'<w:pPr><w:rPr><w:del {rev()}/></w:rPr></w:pPr>'))
        p.append(x(f'<w:del {rev()}><w:r><w:delText>删掉的一段</w:delText></w:r></w:del>'))
        # 第6段: a comment on a tag (python-docx writes it as Word does: ranges, reference run, comments part)
        run = document.add_paragraph().add_run("{{ organization.name }}")
        document.add_comment(run, text="核对机关全称", author="李四", initials="LS")
        # 第7段 and 第8段: text moved between paragraphs
        p = document.add_paragraph("挪到这里：")._p
        p.append(x(f'<w:moveToRangeStart w:id="300" w:name="move1" {REVISION}/>'))
        p.append(x(f'<w:moveTo {rev()}><w:r><w:t>挪动的字</w:t></w:r></w:moveTo>'))
        p.append(x('<w:moveToRangeEnd w:id="300"/>'))
        p = document.add_paragraph("原处：")._p
        p.append(x(f'<w:moveFromRangeStart w:id="301" w:name="move1" {REVISION}/>'))
        p.append(x(f'<w:moveFrom {rev()}><w:r><w:t>挪动的字</w:t></w:r></w:moveFrom>'))
        p.append(x('<w:moveFromRangeEnd w:id="301"/>'))
        # a table: a row inserted, a row deleted
        table = document.add_table(rows=3, cols=2)
        for row, texts in zip(table.rows, [["序号", "地点"], ["1", "{{ meeting.place }}"], ["删行", "x"]], strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
        table.rows[1]._tr.get_or_add_trPr().append(x(f'<w:ins {rev()}/>'))
        table.rows[2]._tr.get_or_add_trPr().append(x(f'<w:del {rev()}/>'))
        # the 页眉: an insertion
        header = document.sections[0].header.paragraphs[0]._p
        header.append(x(f'<w:ins {rev()}><w:r><w:t>{{{{ organization.short_name }}}}</w:t></w:r></w:ins>'))
        # the 页脚, without a tag: a bookmark begun in deleted text, ended after it
        footer = document.sections[0].footer.paragraphs[0]._p
        footer.append(x(f'<w:del {rev()}><w:bookmarkStart w:id="400" w:name="旧页脚"/>'
                        '<w:r><w:delText>旧页脚</w:delText></w:r></w:del>'))
        footer.append(x('<w:r><w:t>页脚</w:t></w:r>'))
        footer.append(x('<w:bookmarkEnd w:id="400"/>'))
        document.settings.element.append(x("<w:trackRevisions/>"))

    template = make(tmp_path / "修订.docx", build=build)
    source = zipfile.ZipFile(template)
    assert "word/comments.xml" in source.namelist() and "w:ins " in part(template.read_bytes())
    result = pipeline.run(campaign, str(template), formats=("docx", "pdf"))
    printed = "".join("".join((page.extract_text() or "").split())
                      for page in PdfReader(io.BytesIO(result.outputs["pdf"].data)).pages)
    assert "会议：全乡创先争优活动动员大会" in printed  # LibreOffice printed the deletions, struck through
    assert not any(gone in printed for gone in ("旧会议", "nmae", "删掉的一段", "核对机关全称"))
    data = result.outputs["docx"].data
    assert_sound(data)  # no w:ins/w:del/comment left, no comments part, 修订 off
    document = docx.Document(io.BytesIO(data))
    assert body_texts(document) == ["会议：全乡创先争优活动动员大会", "甲乙", "新增的一段", "中共瓦店乡委员会",
                                    "挪到这里：挪动的字", "原处："]
    assert document.paragraphs[1].alignment == 0  # the joined paragraph keeps the mark that stays (乙's, left)
    assert [[c.text for c in r.cells] for r in document.tables[0].rows] == [["序号", "地点"], ["1", "乡政府三楼会议室"]]
    assert document.sections[0].header.paragraphs[0].text == "瓦店乡党委"
    assert document.sections[0].footer.paragraphs[0].text == "页脚"  # its half bookmark gone: assert_sound
    assert not [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "comment" in n.lower()]
    warned = [w for w in result.warnings if "tracked changes" in w]
    assert len(warned) == 1, result.warnings
    places = ("第1段, 第2段, 第3段, 第4段, 第5段, 第6段, 第7段, 第8段, 表格1 第2行 第1列, 表格1 第3行 第1列, "
              "页脚 第1段, 页眉 第1段")
    assert warned[0].startswith(f"{template}: warning: tracked changes accepted and comments removed: {places};")
    assert "修订 (track changes)" in warned[0]
    report = wordtemplate.lint(template)
    assert report.warnings == warned and not report.faults
    done = docgen_cli("template-check", template)
    assert done.returncode == 0 and "warning: tracked changes accepted" in done.stderr
    said: list[str] = []
    manifest = docgen.batch(EXAMPLE, template=str(template), each="branches", where="branch.category == '社区'",
                            formats=("docx",), out=tmp_path / "out", jobs=1, warn=said.append)
    assert said.count(warned[0]) == 1 and not [d for d in manifest["documents"] if d.get("warnings")]
    sound_files(tmp_path / "out")
    with pytest.raises(AssertionError):  # the check itself sees what the template carries
        assert_sound(template.read_bytes())


def test_free_form_extra_reaches_word_and_markdown_templates(tmp_path):
    extra = {"contract": {"number": "瓦合〔2024〕3号", "address": "瓦店乡人民路1号"},
             "items": ["会议桌", "椅子"], "keys": "钥匙两把", "values": 3, "get": "自取",
             2024: "数字键"}
    branches = [{**BASE["branches"][0], "extra": {"items": ["党旗", "党徽"]}}, *BASE["branches"][1:]]
    branches[0]["members"] = [{**branches[0]["members"][0], "extra": {"values": "党员自述"}},
                              *branches[0]["members"][1:]]
    campaign = campaign_with(tmp_path, extra=extra, branches=branches)
    assert not [w for w in campaign.warnings if "extra" in w]  # a known field, not an unknown key
    template = make(tmp_path / "合同.docx", [
        "合同编号：{{ extra.contract.number }}，地址：{{ extra['contract'].address }}",
        "物品：{% for item in extra.items %}{{ item }}{% if not loop.last %}、{% endif %}{% endfor %}",
        "{{ extra.keys }}，{{ extra.values }}件，{{ extra.get }}，{{ extra[2024] }}",
        "{% for key, value in extra.contract | items %}{{ key }}={{ value }};{% endfor %}",
        "支部：{{ branch.extra.items | join('、') }}；{{ branch.members[0].extra.values }}",
    ])
    document, _ = rendered(template, campaign, branch_record(campaign))
    assert body_texts(document) == [
        "合同编号：瓦合〔2024〕3号，地址：瓦店乡人民路1号", "物品：会议桌、椅子", "钥匙两把，3件，自取，数字键",
        "number=瓦合〔2024〕3号;address=瓦店乡人民路1号;", "支部：党旗、党徽；党员自述"]
    assert not wordtemplate.lint(template).faults  # the name check knows `extra` and looks no further
    speeches = tmp_path / "mine" / "speeches"
    speeches.mkdir(parents=True)
    (speeches / "extra.md.j2").write_text(
        '{% extends "speech/frame.md.j2" %}\n{% block body %}\n'
        "合同编号{{ extra.contract.number }}。\n\n"
        "{% for item in extra.items %}{{ item }}{% endfor %}，"
        "{{ extra.keys }}，{{ extra.values }}，{{ extra.get }}。\n\n"
        "{{ branches[0].extra.items | join('、') }}，{{ branches[0].members[0].extra.values }}。\n"
        "{% endblock %}\n", encoding="utf-8")
    made = pipeline.run(campaign, "speeches/extra.md.j2", formats=("docx",),
                        options=pipeline.Options(user_dirs=(str(tmp_path / "mine"),)))
    texts = [plain(p.text) for p in docx.Document(io.BytesIO(made.outputs["docx"].data)).paragraphs]
    assert "合同编号瓦合〔2024〕3号。" in texts
    assert "会议桌椅子，钥匙两把，3，自取。" in texts and "党旗、党徽，党员自述。" in texts


def test_extra_is_free_form_in_the_schema_and_named_when_a_name_is_unknown(tmp_path, campaign):
    described = docgen_schema()["properties"]["extra"]
    assert described["type"] == "object" and described.get("additionalProperties", True) is True
    assert "free-form" in described["description"] and "自由" in described["description"]
    template = make(tmp_path / "t.docx", ["{{ extras.number }}"])
    with pytest.raises(DocgenError) as caught:
        rendered(template, campaign)
    assert "`extras` is not defined; did you mean `extra`?" in str(caught.value)
    (tmp_path / "speeches").mkdir()
    (tmp_path / "speeches" / "typo.md.j2").write_text(
        '{% extends "speech/frame.md.j2" %}\n{% block body %}\n{{ extr.number }}\n{% endblock %}\n', encoding="utf-8")
    with pytest.raises(DocgenError) as caught:
        pipeline.run(campaign, "speeches/typo.md.j2", formats=("docx",),
                     options=pipeline.Options(user_dirs=(str(tmp_path),)))
    assert "`extr` is not defined; did you mean `extra`?" in str(caught.value)
    done = docgen_cli("schema")
    assert done.returncode == 0 and '"extra"' in done.stdout


def docgen_schema() -> dict:
    from docgen.schema import json_schema

    return json_schema()


def test_escape_filters_print_the_value_once(tmp_path):
    campaign = campaign_with(tmp_path, branches=[{**BASE["branches"][0], "name": "a&b <村>"}, *BASE["branches"][1:]])
    template = make(tmp_path / "e.docx", [
        "{{ '<html> A&B' | e }}", "{{ '<html> A&B' | escape }}", "{{ '<html> A&B' | forceescape }}",
        "{{ '<b>粗</b>' | safe }}", "{{ branch.name | e }}：{{ branch.name | escape | upper }}",
    ])
    document, raw = rendered(template, campaign, branch_record(campaign))
    assert body_texts(document) == ["<html> A&B"] * 3 + ["<b>粗</b>", "a&b <村>：A&B <村>"]
    assert "&amp;lt;" not in part(raw)


def test_line_breaks_tabs_and_paragraphs_in_values(tmp_path):
    extra = {"address": "瓦店乡人民路1号\n乡党委办公室\r\n邮编 628000", "row": "姓名\t职务",
             "notes": "一、按时到会。\n\n二、带好笔记本。\n三、不得请人代会。"}
    campaign = campaign_with(tmp_path, extra=extra)

    def build(document):
        paragraph = document.add_paragraph("要求：", style="List Bullet")
        paragraph.paragraph_format.first_line_indent = Mm(10)
        bold = paragraph.add_run("{{ extra.notes | paragraphs }}")
        bold.bold = True
        paragraph.add_run("（完）")
        document.add_paragraph("结尾")
        cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
        cell.text = "{{ extra.notes | paragraphs }}"

    template = make(tmp_path / "breaks.docx", ["地址：{{ extra.address }}", "{{ extra.row }}"], build=build)
    document, raw = rendered(template, campaign)
    texts = body_texts(document)
    assert texts[:2] == ["地址：瓦店乡人民路1号\n乡党委办公室\n邮编 628000", "姓名\t职务"]
    assert texts[2:] == ["要求：一、按时到会。", "二、带好笔记本。", "三、不得请人代会。（完）", "结尾"]
    split = document.paragraphs[2:5]
    assert {p.style.name for p in split} == {"List Bullet"}
    indents = {p.paragraph_format.first_line_indent for p in split}
    assert len(indents) == 1 and None not in indents
    assert all(r.bold for p in split for r in p.runs if r.text.startswith(("一", "二", "三")))
    assert [p.text for p in document.tables[0].rows[0].cells[0].paragraphs] == [
        "一、按时到会。", "二、带好笔记本。", "三、不得请人代会。"]
    body = part(raw)
    assert body.count("<w:br/>") == 2 and body.count("<w:tab/>") == 1


def test_whitespace_control_trims_line_breaks_and_joins_paragraphs(tmp_path, campaign):
    def lines(document, *pieces):
        paragraph = document.add_paragraph()
        for number, piece in enumerate(pieces):
            run = paragraph.add_run(piece)
            if number < len(pieces) - 1:
                run.add_break()

    def build(document):
        # 第1段: a tag alone on its line takes the line's break with it (as Jinja's trim_blocks does)
        lines(document, "阶段：", "{% for p in campaign.phases %}", "{{ p.name }}", "{% endfor %}", "（完）")
        # 第2段: `-` trims the break (and the spaces) beside the tag
        lines(document, "{{ meeting.name }}  ", "{%- if true %}（已定）{% endif %}")
        # 第3-4段: `{%-` at a paragraph's start joins it to the paragraph before; 第5-6段: `-%}` at the end, the next
        document.add_paragraph("甲方：{{ organization.name }}")
        document.add_paragraph("  {%- if meeting.place %}，地点：{{ meeting.place }}{% endif %}")
        document.add_paragraph("乙方：{{ organization.office }}{% if true -%}")
        document.add_paragraph("（盖章）{% endif %}")
        # 第7-11段: paragraphs holding only tags go, with or without `-`; their neighbours stay apart
        for text in ("前", "{%- if true -%}", "中", "{%- endif -%}", "后"):
            document.add_paragraph(text)

    document, _ = rendered(make(tmp_path / "ws.docx", build=build), campaign)
    assert body_texts(document) == [
        "阶段：\n动员部署阶段\n全面争创阶段\n整体提升阶段\n系统总结阶段\n（完）",
        "全乡创先争优活动动员大会（已定）",
        "甲方：中共瓦店乡委员会，地点：乡政府三楼会议室",
        "乙方：乡党委办公室（盖章）",
        "前", "中", "后"]
    # a fault after a join still names the paragraph as Word shows it
    bad = make(tmp_path / "bad.docx", ["甲方", "{%- if true %}{{ meeting.nmae }}{% endif %}", "{{ meeting.plase }}"])
    with pytest.raises(DocgenError) as caught:
        rendered(bad, campaign)
    lines_ = errors_of(caught)
    assert lines_[0].startswith(f"{bad}: 第2段 ") and "`nmae`" in lines_[0]
    assert lines_[1].startswith(f"{bad}: 第3段 ") and "`plase`" in lines_[1]


def bookmarks_of(xml: str) -> list[tuple[str, str, str]]:
    """(name, id, the text between its start and its end) of every bookmark in a part."""
    found = []
    for match in re.finditer(r'<w:bookmarkStart [^>]*?w:id="(\d+)" w:name="([^"]+)"/>', xml):
        end = re.search(rf'<w:bookmarkEnd w:id="{match.group(1)}"/>', xml[match.end():])
        inner = xml[match.end(): match.end() + end.start()] if end else ""
        found.append((match.group(2), match.group(1), "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", inner))))
    return found


def test_bookmarks_stay_unique_paired_and_around_their_text(tmp_path, campaign):
    def mark(p, kind: str, ident: int, name: str = "") -> None:
        attributes = f'w:id="{ident}"' + (f' w:name="{name}"' if kind == "Start" else "")
        p.append(x(f"<w:bookmark{kind} {attributes}/>"))

    def build(document):
        p = document.add_paragraph("{% for p in campaign.phases %}")._p  # Word's _GoBack where the cursor was
        mark(p, "Start", 0, "_GoBack")
        mark(p, "End", 0)
        p = document.add_paragraph("第")._p  # a bookmark around a value in a repeated paragraph
        mark(p, "Start", 1, "阶段名")
        p.append(x("<w:r><w:t>{{ p.name }}</w:t></w:r>"))
        mark(p, "End", 1)
        document.add_paragraph("{% endfor %}")
        p = document.add_paragraph("会议：")._p  # a bookmark begun inside a tag (Word's split runs)
        p.append(x("<w:r><w:t>{{ meeting.</w:t></w:r>"))
        mark(p, "Start", 2, "会议名")
        p.append(x("<w:r><w:t>name }}</w:t></w:r>"))
        mark(p, "End", 2)
        p.append(x("<w:r><w:t>。</w:t></w:r>"))
        p = document.add_paragraph("{% if false %}")._p  # begun in a block that prints nothing, ended after it
        p = document.add_paragraph("不印")._p
        mark(p, "Start", 3, "半截")
        document.add_paragraph("{% endif %}")
        p = document.add_paragraph("印")._p
        mark(p, "End", 3)

    document, raw = rendered(make(tmp_path / "bm.docx", build=build), campaign)  # assert_sound: ids, pairs
    body = part(raw)
    found = bookmarks_of(body)
    assert [name for name, _, _ in found] == ["_GoBack", "阶段名", "会议名"]
    assert dict((name, text) for name, _, text in found)["阶段名"] == "动员部署阶段"
    assert dict((name, text) for name, _, text in found)["会议名"] == "全乡创先争优活动动员大会"
    assert body_texts(document) == ["第动员部署阶段", "第全面争创阶段", "第整体提升阶段", "第系统总结阶段",
                                    "会议：全乡创先争优活动动员大会。", "印"]


def test_docxtpl_tags_are_explained_or_done(tmp_path, campaign):
    refused = make(tmp_path / "docxtpl.docx", ["{{r organization.name }}", "{{p meeting.name }}",
                                                "{% cellbg 'FF0000' %}"])
    with pytest.raises(DocgenError) as caught:
        rendered(refused, campaign)
    lines = errors_of(caught)
    assert len(lines) == 3
    assert "docxtpl's RichText" in lines[0] and "`{{ organization.name }}`" in lines[0]
    assert "docxtpl's paragraph-level value" in lines[1] and "| paragraphs" in lines[1]
    assert "docxtpl's cell background" in lines[2]


def cells_of(table) -> list[list[tuple[str, int, str | None]]]:
    """Each row's cells as Word lays them out: (text, grid columns spanned, vMerge)."""
    rows = []
    for tr in table._tbl.findall(qn("w:tr")):
        row = []
        for tc in tr.findall(qn("w:tc")):
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            row.append((text, int(span.get(qn("w:val"))) if span is not None else 1,
                        None if merge is None else merge.get(qn("w:val"), "continue")))
        rows.append(row)
    return rows


def test_cell_loops_and_merges_in_docxtpl_spelling(tmp_path, campaign):
    phases = [p.name for p in campaign.model.campaign.phases]
    members = [m.name for m in campaign.model.branches[0].members]
    branch = campaign.model.branches[0].name

    def build(document):
        note = document.tables[0].add_row()  # one cell across the table: the grid's other cells removed
        for tc in note._tr.findall(qn("w:tc"))[1:]:
            note._tr.remove(tc)
        note.cells[0].text = "{% colspan campaign.phases | length + 2 %}说明"
        roll = document.add_table(rows=2, cols=2)
        for cell, text in zip([*roll.rows[0].cells, *roll.rows[1].cells],
                              ["支部", "姓名", "{% for m in branch.members %}{% vm %}{{ branch.name }}",
                               "{{ m.name }}{% endfor %}"], strict=True):
            cell.text = text

    template = make(tmp_path / "cells.docx", ["统计表"], [
        ["项目", "{%tc for p in campaign.phases %}", "{% hm %}各阶段", "{%tc endfor %}", "合计"],
        ["名称", "{%tc for p in campaign.phases %}", "{{ p.name }}", "{%tc endfor %}", "—"],
        ["序号", "{% for p in campaign.phases %}", "{{ loop.index }}", "{% endfor %}",
         "{{ campaign.phases | length }}"],
    ], build=build)
    source = docx.Document(str(template))
    widths = [int(c.get(qn("w:w"))) for c in source.tables[0]._tbl.find(qn("w:tblGrid"))]
    document, raw = rendered(template, campaign, branch_record(campaign))  # assert_sound: grid, tcPr order
    rows = cells_of(document.tables[0])
    count = len(phases)
    assert rows[0] == [("项目", 1, None), ("各阶段", count, None), ("合计", 1, None)]
    assert rows[1] == [("名称", 1, None), *[(name, 1, None) for name in phases], ("—", 1, None)]
    assert rows[2] == [("序号", 1, None), *[(str(n), 1, None) for n in range(1, count + 1)], (str(count), 1, None)]
    assert rows[3] == [("说明", count + 2, None)]
    grid = [int(c.get(qn("w:w"))) for c in document.tables[0]._tbl.find(qn("w:tblGrid"))]
    assert len(grid) == count + 2 and abs(sum(grid) - sum(widths)) <= len(grid)  # the table keeps its width
    assert grid[0] == widths[0] and grid[-1] == widths[-1]  # the fixed columns keep theirs; the loop shares the rest
    assert cells_of(document.tables[1]) == [
        [("支部", 1, None), ("姓名", 1, None)],
        [(branch, 1, "restart"), (members[0], 1, None)],
        *[[("", 1, "continue"), (name, 1, None)] for name in members[1:]]]
