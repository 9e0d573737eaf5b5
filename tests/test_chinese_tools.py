"""Chinese text tools: import a 范文, Traditional output, proof-reading checks, line breaking."""


import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from docgen import zh
from docgen.api import render
from docgen.commands.check import check_path
from docgen.commands.importer import import_text, read_source
from docgen.proofread import check_texts

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE, SPEECH
from .measure import body_lines, pdf_lines, plain
from .seed import SEED, normalized_seed_paragraphs

QIAOTOU = EXAMPLE.parents[1] / "tests" / "data" / "qiaotou"


def body(docx_path):
    paragraphs = [plain(p.text) for p in docx.Document(str(docx_path)).paragraphs if p.text.strip()]
    start = next(i for i, text in enumerate(paragraphs) if text in ("同志们：", "同志們："))
    return [paragraph.replace("\n", "") for paragraph in paragraphs[start:]]  # a heading's line break


def imported_speech(tmp_path, text, campaign=None, name="imported"):
    folder = tmp_path / "tpl" / "speeches"
    folder.mkdir(parents=True, exist_ok=True)
    result = import_text(text, source=str(SEED), campaign=campaign)
    (folder / f"{name}.md.j2").write_text(result.template, encoding="utf-8")
    return result, tmp_path / "tpl"


def test_importing_the_seed_renders_its_text_paragraph_for_paragraph(tmp_path):
    result, templates = imported_speech(tmp_path, read_source(SEED))
    notes = "\n".join(result.notes)
    assert "dropped a line that looks like site noise: 本站小编" in notes
    assert "removed the stray word '新晨'" in notes and "removed a stray '*'" in notes
    assert "converted Traditional characters to Simplified" in notes
    docx_path = render(EXAMPLE, speech="imported", templates=[templates], formats=("docx",), out=tmp_path / "o")[0]
    assert body(docx_path) == normalized_seed_paragraphs(errata=False)
    assert "## 创先争优活动的总体要求。\n\n深入开展" in result.template  # a run-in heading found


def test_a_simplified_text_gives_the_same_structure(tmp_path):
    traditional = import_text(read_source(SEED), source="seed").template
    simplified_text = "\n".join(normalized_seed_paragraphs(errata=False))
    simplified = import_text(simplified_text, source="seed").template
    assert simplified.splitlines()[1:] == traditional.splitlines()[1:]


def test_gb18030_files_are_read(tmp_path):
    path = tmp_path / "fanwen.txt"
    path.write_bytes("同志们：\n一、总体要求\n开展活动。\n谢谢大家！\n".encode("gb18030"))
    assert read_source(path).startswith("同志们：")
    result = docgen_cli("import", str(path))
    assert result.returncode == 0 and "# 总体要求" in result.stdout


def test_suggest_fields_turns_facts_into_expressions(tmp_path):
    from docgen.pipeline import load_campaign

    campaign = load_campaign(EXAMPLE).model
    result, templates = imported_speech(tmp_path, read_source(SEED), campaign=campaign, name="facts")
    for expression in ("{{ organization.place_short }}", "{{ campaign.name }}", "{{ campaign.phases[0].name }}",
                       '{{ campaign.phases[0].start | date_ar(precision="month") }}',
                       "{{ campaign.methods | join_zh(last=None) }}"):
        assert expression in result.template
    same = render(EXAMPLE, speech="facts", templates=[templates], formats=("docx",), out=tmp_path / "w")[0]
    assert body(same) == normalized_seed_paragraphs(errata=False)
    other = render(QIAOTOU, speech="facts", templates=[templates], formats=("docx",), out=tmp_path / "q")[0]
    text = "\n".join(body(other))
    assert "桥头" in text and "宣传发动阶段" in text and "2012年3月" in text and "全镇" in text
    assert "瓦店" not in text


def test_traditional_output_converts_back_to_the_simplified_rendering(tmp_path):
    simplified = render(EXAMPLE, speech=SPEECH, formats=("docx",), out=tmp_path / "s")[0]
    traditional = render(EXAMPLE, speech=SPEECH, formats=("docx",), out=tmp_path / "t", script="hant")[0]
    hant = body(traditional)
    assert hant[1].startswith("這次會議的一項主要任務")
    assert [zh.to_simplified(p) for p in hant] == body(simplified)
    kept = render(EXAMPLE, speech=SPEECH, formats=("docx",), out=tmp_path / "k", script="hant-tw", keep=("乡党委",))[0]
    text = "\n".join(body(kept))
    assert "乡党委" in text and "鄉黨委" not in text and "創先爭優" in text


def test_traditional_pdf_from_the_cli(tmp_path):
    result = docgen_cli("render", str(EXAMPLE), "--speech", SPEECH, "--script", "hant-hk", "--format", "pdf", "-o",
                        str(tmp_path), timeout=300)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(next(tmp_path.glob("*.pdf"))) as pdf:
        assert "創先爭優" in pdf.pages[0].extract_text()


def test_checks_find_each_kind_of_slip():
    findings = check_texts([
        ("p1", "按照统一部署,安排落实"),
        ("p2", "二〇一O年六月十五日"),
        ("p3", "根据瓦委发[2010]12号文件"),
        ("p4", "2010年06月05日印发"),
        ("p5", "。这一段以句号开头"),
        ("p6", "一切正常的一段话，2010年6月5日，瓦委发〔2010〕12号。"),
    ])
    by_place = {f.where: f for f in findings}
    assert set(by_place) == {"p1", "p2", "p3", "p4", "p5"}
    assert "'，'" in by_place["p1"].fix
    assert "二〇一〇年" in by_place["p2"].fix
    assert "瓦委发〔2010〕12号" in by_place["p3"].fix
    assert "2010年6月5日" in by_place["p4"].fix
    assert "join it" in by_place["p5"].fix


def test_check_command_on_files_and_data(tmp_path):
    clean = render(EXAMPLE, speech=SPEECH, out=tmp_path / "clean")
    for path in clean:
        assert check_path(path) == []
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    values.pop("documents")
    values["campaign"]["theme"] = "推动科学发展,促进社会和谐"
    data = tmp_path / "campaign.yaml"
    data.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = docgen_cli("check", str(data))
    assert result.returncode == 1
    line = next(n for n, text in enumerate(data.read_text(encoding="utf-8").splitlines(), 1) if "促进社会和谐" in text)
    assert f"campaign.yaml:{line}: half-width ','" in result.stdout
    ok = docgen_cli("check", str(clean[0]))
    assert ok.returncode == 0 and "no findings" in ok.stdout


PROVOKING = (
    "测试断行规则的段落甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉，戌亥。"
    "又一行文字甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌“亥”子丑寅。"
    "再一行文字甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥《子丑》寅。"
    "破折号测试甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉——戌亥子丑寅。"
    "省略号测试甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉……戌亥子丑寅。"
    "括号测试文字甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申（酉戌）亥子丑。"
)


def test_line_breaking_rules_in_pdf_and_docx(tmp_path):
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    values.pop("documents")
    values["campaign"]["theme"] = PROVOKING * 3
    data = tmp_path / "campaign.yaml"
    data.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    folder = tmp_path / "tpl" / "speeches"
    folder.mkdir(parents=True)
    (folder / "breaks.md.j2").write_text(
        '{% extends "speech/frame.md.j2" %}\n{% block body %}\n{{ campaign.theme }}\n\n'
        "{{ campaign.theme[5:] }}\n\n{{ campaign.theme[11:] }}\n{% endblock %}\n", encoding="utf-8")
    docx_path, pdf_path = render(data, speech="breaks", templates=[tmp_path / "tpl"], out=tmp_path / "out")
    pages, _ = pdf_lines(pdf_path)
    lines = [line.text for page in pages for line in body_lines(page)]
    assert len(lines) > 20
    for before, after in zip(lines, lines[1:], strict=False):
        assert after[0] not in "。，、；：？！”’）》」", (before, after)
        assert before[-1] not in "“‘（《「", (before, after)
        assert not (before.endswith("—") and after.startswith("—")), (before, after)
        assert not (before.endswith("…") and after.startswith("…")), (before, after)
    settings = docx.Document(str(docx_path)).settings.element
    assert settings.find(qn("w:characterSpacingControl")).get(qn("w:val")) == "compressPunctuation"
    assert "。" in settings.find(qn("w:noLineBreaksBefore")).get(qn("w:val"))
    assert "《" in settings.find(qn("w:noLineBreaksAfter")).get(qn("w:val"))
    assert settings.find(qn("w:noLineBreaksBefore")).get(qn("w:lang")) == "zh-CN"


@pytest.mark.parametrize("script", ["hant", "hant-tw", "hant-hk"])
def test_scripts_convert(script):
    assert zh.convert_script("创先争优活动", script) != "创先争优活动"


NOTICE_TEXT = """关于召开党员大会的通知
各党支部：
根据瓦委发[2010]12号文件要求，定于6月18日召开党员大会。
一、会议时间
2010年6月18日上午9时。
二、参会人员
(一)支部书记。请准时参加。
(二)党员代表。每支部2名。
中共瓦店乡委员会
2010年6月12日
"""


def test_importing_a_notice_finds_title_signature_date_and_numbers(tmp_path):
    result = import_text(NOTICE_TEXT, source="notice.txt", kind="document")
    template = result.template
    assert '{% block title %}{{ "关于召开党员大会的通知" | tojson }}{% endblock %}' in template
    assert '{% block signature %}{{ ["中共瓦店乡委员会"] | tojson }}{% endblock %}' in template
    assert '{% block signature_date %}{{ "2010年6月12日" | tojson }}{% endblock %}' in template
    assert "瓦委发〔2010〕12号" in template and any("瓦委发〔2010〕12号" in note for note in result.notes)
    assert "## 支部书记。\n\n请准时参加。" in template  # (一) with ASCII parentheses, run in
    folder = tmp_path / "tpl" / "imported"
    folder.mkdir(parents=True)
    (folder / "main.md.j2").write_text(template, encoding="utf-8")
    docx_path = render(EXAMPLE, template="imported", templates=[tmp_path / "tpl"], formats=("docx",),
                       out=tmp_path / "out")[0]
    paragraphs = [plain(p.text) for p in docx.Document(str(docx_path)).paragraphs if p.text.strip()]
    assert paragraphs[:2] == ["关于召开党员大会的通知", "各党支部："]
    assert docx.Document(str(docx_path)).paragraphs[1].style.style_id == "Addressee"
    assert paragraphs[-2:] == ["中共瓦店乡委员会", "2010年6月12日"]
    assert "（一）支部书记。请准时参加。" in paragraphs
