"""The proof-reader catches each fault a clerk would send back — in the model of every render, and in a
DOCX, a PDF and an OFD through `docgen check` — and says where it is and what to write instead.

Each fault is seeded into a document made here with a template of the test's own (the data is the 金桥
example: a 街道党工委 under a 区, 2024; its 请示 is dated 4月8日, its 实施方案 4月10日, its meeting 4月12日).
A clean twin of each paragraph gives no finding, so the rules find the faults, not the words around them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import docgen
from docgen import zh
from docgen.commands.check import check_path
from docgen.pipeline import load_campaign
from docgen.proofread import check_texts, formulations

from . import fastyaml
from .cli import docgen_cli
from .conftest import ROOT

JINQIAO = ROOT / "examples" / "jinqiao"

# (fault, a paragraph carrying it, what the finding must say, the same paragraph written as a clerk would)
PARAGRAPHS = [
    ("adverb doubled at a join", "为深入开展深入贯彻中央八项规定精神学习教育，制定本方案。", "「深入」 twice",
     "为扎实开展深入贯彻中央八项规定精神学习教育，制定本方案。"),
    ("word doubled across a quotation", "开展学习教育，必须坚持“坚持学用结合、知行合一”的基本原则。", "「坚持」 twice",
     "开展学习教育，必须坚持“学用结合、知行合一”的基本原则。"),
    ("level doubled", "恳请云江区区委领导出席会议并作指导讲话。", "「区」 twice",
     "恳请云江区委领导出席会议并作指导讲话。"),
    ("word written twice", "各社区社区党组织要抓好落实。", "「社区」 twice", "各社区党组织要抓好落实。"),
    ("range repeats the year, mixed precision", "（一）学习动员阶段（2024年7月至2024年7月31日）。", "2024年7月",
     "（一）学习动员阶段（2024年7月）。"),
    ("range repeats the year before words", "从2010年6月至2010年“七一”前，完成动员部署。", "repeats the year",
     "从2010年6月至“七一”前，完成动员部署。"),
    ("range with a day at one end", "集中学习阶段（2024年12月至2025年1月31日）。", "a day at one end only",
     "集中学习阶段（2024年12月至2025年1月）。"),
    ("one speech told twice", "陈立新同志作部署讲话。会议传达区委精神；街道党工委书记作部署讲话。", "said twice",
     "会议传达区委精神；街道党工委书记作部署讲话。"),
    ("the same act twice in a sentence", "为深入开展党史学习教育，按照深入开展“我为师生办实事”实践活动的要求，",
     "「深入开展」 twice in one sentence", "为扎实开展党史学习教育，按照深入开展“我为师生办实事”实践活动的要求，"),
    ("即 before a list", "“五好四强”即，领导班子好、党员队伍好", "即 before a list takes a colon",
     "“五好四强”即：领导班子好、党员队伍好"),
]


@pytest.mark.parametrize(("fault", "text", "says", "clean"), PARAGRAPHS, ids=[p[0] for p in PARAGRAPHS])
def test_a_paragraph_rule_finds_the_fault_and_not_the_clean_text(fault, text, says, clean):
    findings = check_texts([("p", text)])
    assert findings and says in str(findings[0]), (fault, findings)
    assert check_texts([("p", clean)]) == [], fault


def test_a_finding_gives_the_mended_words():
    [finding] = check_texts([("p", "恳请丘山县县委领导出席")])
    assert "丘山县委" in finding.fix
    [finding] = check_texts([("p", "（2024年4月至2024年4月30日）")])
    assert finding.fix == "write 「2024年4月」"
    [finding] = check_texts([("p", "（2024年5月至2024年6月30日）")])
    assert finding.fix == "write 「2024年5月至6月」"


def test_reduplications_and_named_twice_are_not_doubled_words():
    for text in ("要实实在在抓好落实", "一步一步推进", "的的确确", "中共江临市人民政府国有资产监督管理委员会委员会：",
                 "2024年4月1日至4月30日", "2024年4月1日至30日", "2024年12月20日至2025年1月10日",
                 "在工作会议上的重要讲话精神，作动员部署", "县委十三届十一次全会"):
        assert check_texts([("p", text)]) == [], text


# --- 提法 by date ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "on", "says", "writes"), [
    ("以邓小平理论和“三个代表”重要思想为指导", "2024-04-12", "2002年11月8日 to 2012年11月8日",
     "以习近平新时代中国特色社会主义思想为指导"),
    ("以习近平新时代中国特色社会主义思想为指导", "2016-09-01", "2017年10月18日 on",
     "以邓小平理论、“三个代表”重要思想、科学发展观为指导"),
    ("认真贯彻落实党的十七大和十七届三中、四中全会精神", "2024-04-12", "党的二十大", "党的二十大和二十届二中全会精神"),
    ("贯彻落实党的二十大和二十届三中全会精神", "2024-04-12", "had not closed", ""),
    ("贯彻落实党的二十大和二十届二中全会精神", "2024-09-01", "leaves out the 二十届三中全会",
     "党的二十大和二十届二中、三中全会精神"),
    ("深入学习实践科学发展观", "2024-04-12", "2008年9月5日 to 2012年11月8日", ""),
    ("增强“四个意识”", "2015-06-01", "2016年1月29日 on", ""),
])
def test_a_formulation_out_of_its_time_is_found_with_the_one_current_then(text, on, says, writes):
    found = list(formulations.check(text, dt.date.fromisoformat(on)))
    assert found and says in found[0][0], found
    assert writes in found[0][1]


def test_formulations_current_at_the_date_are_not_findings():
    assert not list(formulations.check("认真贯彻落实党的十七大和十七届三中、四中全会精神", dt.date(2010, 6, 18)))
    assert not list(formulations.check("以习近平新时代中国特色社会主义思想为指导", dt.date(2024, 4, 12)))
    assert not list(formulations.check("贯彻落实党的二十大和二十届二中全会精神", dt.date(2024, 4, 12)))
    assert not list(formulations.check("党的十八大以来", dt.date(2024, 4, 12)))  # history, not a spirit carried out


def test_every_formulation_names_its_source_and_a_sane_period():
    table = formulations.table()
    assert all(f.source for f in table.formulations)
    assert all(f.until is None or f.start is None or f.start < f.until for f in table.formulations)
    congresses = [c.opened for c in table.congresses]
    assert congresses == sorted(congresses)
    assert all(list(c.plenums) == sorted(c.plenums) and c.plenums[0] > c.opened for c in table.congresses)


# --- documents: faults seeded into a template, read from the model and from the files ---------------------

SEEDED = """{#- docgen: 一份带着毛病的通知（测试用） -#}
{% extends "document/frame.md.j2" %}
{% block title %}{{ "关于开展党纪学习教育的通知" | tojson }}{% endblock %}
{% block addressee %}{{ "桂园社区党委：" | tojson }}{% endblock %}
{% block signature %}{{ ["桂园社区党委"] | tojson }}{% endblock %}
{% block signature_date %}{{ "2024年4月5日" | tojson }}{% endblock %}
{% block body %}
为深入开展深入贯彻中央八项规定精神学习教育，经研究，定于2024年4月12日召开部署会。街道党工委的实施方案已经印发。

# 指导思想

要以邓小平理论和“三个代表”重要思想为指导，认真贯彻落实党的十七大和十七届三中、四中全会精神，按照中央和省、市、县委的统一部署，必须坚持“坚持学用结合”的基本原则。恳请云江区区委领导出席。

# 空着的一节

# 时间安排

学习动员阶段（2024年7月至2024年7月31日）。重点抓好以下工作：一是部署启动，制定学习计划。

本支部一百二十六名党员共同践诺，认领服务事项80项。应出席8人，实际出席7人。陈立新同志作部署讲话。会议传达精神；街道党工委书记作部署讲话。

# 集中学习

一是读原文。二是悟原理。

## 学条例。

逐章学习条例。

## 看警示片。

观看警示教育片。
{% endblock %}
"""

# Each fault of the issue, as the finding names it (English messages: the tests read docgen's English).
EXPECTED = {
    "adverb doubled": "「深入」 twice",
    "quotation doubled": "「坚持」 twice",
    "level doubled": "「区」 twice",
    "range": "repeats the year",
    "empty section": "「二、空着的一节」 has nothing under it",
    "一是 alone": "「一是」 with no 「二是」",
    "mixed enumeration": "the items run 一是, 二是 … and then （一）",
    "speech told twice": "「作部署讲话」 is said twice",
    "Chinese count beside Arabic": "「一百二十六名」 in Chinese numerals",
    "本支部 in a 党委's document": "「本支部」 in a document of 桂园社区党委",
    "guiding thought of its time": "以邓小平理论和“三个代表”重要思想为指导」 is a formulation of",
    "congress of its time": "the spirit carried out is that of 党的二十大",
    "定于 before the 请示": "before the 请示 of 2024年4月8日 is answered",
    "已印发 before the plan": "「已经印发」: the 实施方案 is dated 2024年4月10日, after this document (2024年4月5日)",
    "counts against the roll": "「应出席8人」 but 16 are invited",
    "superior's level": "「、县委」 in a document of an organ under a 区",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The seeded document rendered in every format, and the proof-reader's warnings on its model."""
    folder = tmp_path_factory.mktemp("seeded")
    templates = folder / "templates"
    (templates / "faulty").mkdir(parents=True)
    (templates / "faulty" / "main.md.j2").write_text(SEEDED, encoding="utf-8")
    warnings: list[str] = []
    paths = docgen.render(JINQIAO, template="faulty", templates=[templates], formats=("docx", "pdf", "ofd"),
                          out=folder / "out", name="faulty", warn=warnings.append)
    return {"model": "\n".join(warnings), **{p.suffix[1:]: p for p in paths}}


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_each_seeded_fault_is_found_in_the_model_of_a_render(seeded, fault):
    assert EXPECTED[fault] in seeded["model"], seeded["model"]


@pytest.mark.parametrize("form", ["docx", "pdf", "ofd"])
def test_docgen_check_finds_every_seeded_fault_in_the_file(seeded, form):
    text = "\n".join(str(f) for f in check_path(seeded[form], data=JINQIAO))
    missing = [fault for fault, says in EXPECTED.items() if says not in text]
    assert not missing, (form, missing, text)


def test_headings_said_twice_a_post_before_wo_and_the_steps_counted_by_their_own_word(tmp_path):
    from docgen.engines.markdown import from_markup
    from docgen.proofread import Context, check_document

    text = ("---\nkind: speech\ntitle: 在部署会上的讲话\nspeaker: 县直机关工委书记　何建华\n---\n"
            "# 加强组织领导，为学习教育提供坚强保证\n\n## 加强组织领导。\n\n县直机关工委书记我任组长。\n\n"
            "## 坚持分类指导。\n\n分类推进。\n\n# 坚持分类指导，推动落实\n\n分四个阶段进行。\n")
    document = from_markup(text)
    campaign = load_campaign(ROOT / "tests" / "data" / "corpus" / "2013-qunzhong-luxian")  # its steps are 环节
    found = "\n".join(map(str, check_document(document, Context(campaign.model, campaign.loaded, "speech"))))
    assert "「加强组织领导」 repeats the heading above it" in found
    assert "「坚持分类指导」 heads two sections of one document" in found
    assert "a post before 我" in found
    assert "「分四个阶段」 but campaign.phases lists 4个环节" in found


def test_a_speaker_who_names_himself_or_calls_an_issued_plan_to_come_is_found(tmp_path):
    templates = tmp_path / "templates" / "speeches"
    templates.mkdir(parents=True)
    (templates / "own.md.j2").write_text(
        '{% extends "speech/frame.md.j2" %}{% block body %}\n'
        "街道党工委成立工作专班，街道党工委书记陈立新同志任组长。\n\n街道党工委的实施方案即将下发，我们要抓好落实。\n"
        "{% endblock %}\n",
        encoding="utf-8")
    warnings: list[str] = []
    [docx_path] = docgen.render(JINQIAO, speech="own", templates=[tmp_path / "templates"], formats=("docx",),
                                out=tmp_path / "out", warn=warnings.append)
    assert any("陈立新 names himself in his own speech" in w for w in warnings), warnings
    assert any("「即将下发」: the 实施方案 was issued on 2024年4月10日, before this document (2024年4月12日)" in w
               for w in warnings), warnings
    assert any("names himself" in str(f) for f in check_path(docx_path))


def test_strict_makes_findings_errors_and_writes_nothing(tmp_path):
    templates = tmp_path / "templates" / "faulty"
    templates.mkdir(parents=True)
    (templates / "main.md.j2").write_text(SEEDED, encoding="utf-8")
    out = tmp_path / "out"
    result = docgen_cli("render", str(JINQIAO), "--template", "faulty", "--templates", str(tmp_path / "templates"),
                        "--strict", "-o", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "proof-reader (--strict)" in result.stderr and "「深入」 twice" in result.stderr
    assert not out.exists() or not any(out.iterdir())
    batch = docgen_cli("batch", str(JINQIAO), "--template", "faulty", "--each", "branches", "--templates",
                       str(tmp_path / "templates"), "--strict", "--format", "docx", "-o", str(out), "-j", "1")
    assert batch.returncode == 1 and "0 written" in batch.stdout and "5 failed" in batch.stdout
    assert not list(out.glob("*.docx"))


def test_docgen_check_of_a_campaign_says_what_it_cannot_make_and_where(tmp_path):

    values = fastyaml.load((JINQIAO / "campaign.yaml").read_text(encoding="utf-8"))
    values["branches"][1].pop("commitments")
    values["meeting"]["notice_date"] = "2024-04-15"  # after the meeting
    (tmp_path / "campaign.yaml").write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    (tmp_path / "seal.png").write_bytes((JINQIAO / "seal.png").read_bytes())
    result = docgen_cli("check", str(tmp_path))
    assert result.returncode == 1
    assert "commitment [2]: cannot be made" in result.stdout and "金桥社区党委" in result.stdout
    assert "the notice is dated 2024年4月15日, after the meeting it calls (2024年4月12日)" in result.stdout
    lines = (tmp_path / "campaign.yaml").read_text(encoding="utf-8").splitlines()
    notice_line = next(n for n, line in enumerate(lines, 1) if line.strip().startswith("notice_date"))
    assert f"campaign.yaml:{notice_line}:" in result.stdout


def test_the_chinese_messages_say_the_same(seeded):
    result = docgen_cli("--lang", "zh", "check", str(seeded["docx"]), "--data", str(JINQIAO))
    assert result.returncode == 1
    assert "说了两次" in result.stdout and "写作「为扎实开展深入" in result.stdout, result.stdout
    assert zh.date_arabic(dt.date(2024, 4, 8)) in result.stdout


def test_the_roll_counts_who_the_notice_invites():
    """金桥: 5 named (4 leaders and the contact), 1 on leave, and from each of 5 branches its secretary and 1
    党员代表 (党组织书记和党员代表1名) — 16 invited, 15 present."""
    seats = load_campaign(JINQIAO).model.roll
    assert len(seats) == 5 + 1 + 5 * 2
    assert sum(seat.present for seat in seats) == 15
    assert [s.name for s in seats[:6]] == ["陈立新", "周启明", "吴敏", "郑涛", "林晓雯", "黄海波"]
    guiyuan = [s for s in seats if s.unit == "桂园社区党委"]
    assert [(s.name, s.post) for s in guiyuan] == [("周海燕", "党委书记"), ("", "党员代表")]


def test_the_examples_and_readme_example_fault(tmp_path):
    """The README shows `docgen check` finding a real fault: a 实施意见 of 2024 that kept the 2010 提法."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docgen check" in readme and "is a formulation of" in readme
    data = ROOT / "tests" / "data" / "first-schema-2024"
    [pdf] = docgen.render(data, template="opinion", formats=("pdf",), out=tmp_path, warn=lambda message: None)
    text = "\n".join(str(f) for f in check_path(Path(pdf)))
    assert "以邓小平理论和“三个代表”重要思想为指导」 is a formulation of" in text
