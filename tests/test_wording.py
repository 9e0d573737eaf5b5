"""The templates compose correctly from real data: each fault a reviewer found in the shipped templates, shown
gone from the documents a clerk gets (the corpus and the examples), with the data shapes that caused it.

tests/test_corpus.py runs the proof-reader over everything; these tests name each fault and read the words.
"""

from __future__ import annotations

import docx
import pytest

import docgen
from docgen.engines.markdown import model_of
from docgen.pipeline import load_campaign, template_name
from docgen.templating import speech_name

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE, ROOT
from .measure import plain

JINQIAO = ROOT / "examples" / "jinqiao"
CORPUS = ROOT / "tests" / "data" / "corpus"
FIRST_SCHEMA_2024 = ROOT / "tests" / "data" / "first-schema-2024"


def text_of(data, template: str, record: dict | None = None) -> str:
    campaign = load_campaign(data)
    name = speech_name(template[len("speech:"):]) if template.startswith("speech:") else template_name(None, template)
    document, _findings = model_of(campaign, name, record)
    return "\n".join(document.paragraphs_text())


def branch_record(data, index: int = 0, member: int | None = None) -> dict:
    model = load_campaign(data).model
    branch = model.branches[index]
    if member is None:
        return {"branch": branch, "record": branch, "index": index + 1}
    return {"branch": branch, "member": branch.members[member], "record": branch.members[member], "index": 1}


# --- 1. doubled words at joins ---------------------------------------------------------------------------------

def test_a_name_that_starts_with_a_verb_is_not_doubled():
    data = CORPUS / "2025-baxiang-guiding"
    assert load_campaign(data).model.campaign.name.startswith("深入贯彻")
    for template, record in (("opinion", None), ("commitment", branch_record(data)),
                             ("commitment", branch_record(data, 0, 0)), ("speech:deployment", None)):
        text = text_of(data, template, record)
        assert "深入开展深入" not in text, template
    assert "为扎实开展深入贯彻中央八项规定精神学习教育" in text_of(data, "commitment", branch_record(data))
    # a name that starts with another verb keeps 深入开展 (学习贯彻…主题教育 is not doubled by it)
    assert "在全街道党员中深入开展学习贯彻" in text_of(CORPUS / "2023-zhuti-jiaoyu", "opinion") or \
        "深入开展学习贯彻" in text_of(CORPUS / "2023-zhuti-jiaoyu", "opinion")


def test_principles_that_start_with_jianchi_are_written_once():
    text = text_of(JINQIAO, "opinion")
    assert "必须坚持“学用结合、知行合一，分类指导、精准施策，从严从实、务求实效”的基本原则" in text
    assert "坚持“坚持" not in text


@pytest.mark.parametrize(("data", "asked", "followed"), [
    (EXAMPLE, "恳请丘山县委领导", "按照丘山县委的统一部署"), (JINQIAO, "恳请云江区委领导", "按照云江区委的统一部署"),
    # addressed to a body that is not the superior's committee (省委教育工委, 市国资委党委): 贵委 and 上级党委
    (CORPUS / "2021-dangshi", "恳请贵委领导", "按照上级党委的统一部署"),
    (CORPUS / "2013-qunzhong-luxian", "恳请贵委领导", "按照上级党委的统一部署")])
def test_the_superior_committee_is_named_once_and_as_addressed(data, asked, followed):
    qingshi, baogao = text_of(data, "qingshi"), text_of(data, "baogao")
    assert asked in qingshi and followed in baogao
    assert not any(f"{level}{level}委" in qingshi + baogao for level in "县区市省")


# --- 2. dates ---------------------------------------------------------------------------------------------------

def test_phase_ranges_are_written_as_a_clerk_writes_them():
    text = text_of(JINQIAO, "opinion")
    assert "学习动员阶段（2024年4月）" in text and "集中学习阶段（2024年5月至6月）" in text
    assert "到7月基本结束" in text and "2024年4月至2024年4月30日" not in text
    assert "动员部署阶段（2010年6月至“七一”前）" in text_of(EXAMPLE, "opinion")
    assert "公示期为2024年5月6日至12日" in text_of(JINQIAO, "commitment-list")


def test_each_document_says_what_is_true_on_its_own_date():
    # 金桥: 函 4月3日 and 请示 4月8日 ask; the notice of 4月9日 fixes it; the 实施方案 of 4月10日 is out by the meeting
    assert "拟于2024年4月12日召开" in text_of(JINQIAO, "xinhan")
    assert "定于2024年4月12日召开" in text_of(JINQIAO, "notice", branch_record(JINQIAO))
    assert "已经印发了党纪学习教育实施方案" in text_of(JINQIAO, "speech:dangji-deployment")
    # 瓦店: the meeting of 6月18日 agreed the 实施意见, issued on 6月21日: the speech says it is still to come
    speech = text_of(EXAMPLE, "speech:cxzy-mobilization")
    assert "实施意见即将下发" in speech
    # 2021: the plan comes after the meeting; 2019: before it
    assert "即将印发" in text_of(CORPUS / "2021-dangshi", "speech:deployment")
    assert "已经印发" in text_of(CORPUS / "2019-buwang-chuxin", "speech:deployment")


def test_a_notice_dated_after_its_meeting_is_said_by_validate_and_refused_under_strict(tmp_path):
    values = fastyaml.load((JINQIAO / "campaign.yaml").read_text(encoding="utf-8"))
    values["meeting"]["notice_date"] = "2024-04-20"
    (tmp_path / "campaign.yaml").write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    (tmp_path / "seal.png").write_bytes((JINQIAO / "seal.png").read_bytes())
    validate = docgen_cli("validate", str(tmp_path))
    assert validate.returncode == 0
    assert "the notice is dated 2024年4月20日, after the meeting it calls (2024年4月12日)" in validate.stderr
    strict = docgen_cli("batch", str(tmp_path), "--template", "notice", "--each", "branches", "--strict", "--format",
                        "docx", "-o", str(tmp_path / "out"), "-j", "1")
    assert strict.returncode == 1 and "after the meeting it calls" in strict.stderr
    assert not list((tmp_path / "out").glob("*.docx"))


def test_the_first_schema_2024_file_is_migrated_aloud():
    """A 2024 campaign kept in the first schema: the values the migration writes are listed, the 2010 提法
    among them flagged with the 2024 wording; the superior is 区委 (the first schema said 县); four months
    are not 一年."""
    result = docgen_cli("validate", str(FIRST_SCHEMA_2024))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    spirit = next(line for line in lines if "campaign.guidance.spirit: docgen wrote" in line)
    assert "党的十七大和十七届三中、四中全会" in spirit and "党的二十大和二十届二中全会精神" in spirit
    thought = next(line for line in lines if "campaign.guidance.thought: docgen wrote" in line)
    assert "以习近平新时代中国特色社会主义思想为指导" in thought
    assert any("campaign.content: docgen wrote" in line and "2012年11月8日" in line for line in lines)
    model = load_campaign(FIRST_SCHEMA_2024).model
    assert model.campaign.basis.endswith("区委的统一部署") and "县委" not in model.campaign.basis
    assert model.campaign.period.length == "四个月"
    assert "时间安排四个月" in text_of(FIRST_SCHEMA_2024, "opinion")


def test_docgen_migrate_lists_what_it_wrote(tmp_path):
    target = tmp_path / "campaign.yaml"
    target.write_text((FIRST_SCHEMA_2024 / "campaign.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = docgen_cli("migrate", str(target))
    assert result.returncode == 0 and "migrated:" in result.stdout
    assert "campaign.guidance.thought: docgen wrote" in result.stderr and "2017年10月18日" not in result.stderr or \
        "以习近平新时代中国特色社会主义思想为指导" in result.stderr
    assert "duration" not in target.read_text(encoding="utf-8")  # the dates say four months; 1 year was dropped


def test_rendering_the_2024_first_schema_file_says_what_to_change(tmp_path):
    warnings: list[str] = []
    docgen.render(FIRST_SCHEMA_2024, template="opinion", formats=("docx",), out=tmp_path, warn=warnings.append)
    said = "\n".join(warnings)
    assert "「以邓小平理论和“三个代表”重要思想为指导」 is a formulation of" in said
    assert "write 「以习近平新时代中国特色社会主义思想为指导」" in said


# --- 3. empty sections ------------------------------------------------------------------------------------------

def test_a_branch_pledge_has_items_or_is_refused_by_name(tmp_path):
    values = fastyaml.load((JINQIAO / "campaign.yaml").read_text(encoding="utf-8"))
    values["branches"][1].pop("commitments")
    (tmp_path / "campaign.yaml").write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    (tmp_path / "seal.png").write_bytes((JINQIAO / "seal.png").read_bytes())
    result = docgen.batch(tmp_path, template="commitment", each="branches", formats=("docx",), out=tmp_path / "out",
                          jobs=1)
    statuses = [d["status"] for d in result["documents"]]
    assert statuses.count("failed") == 1 and statuses.count("written") == 4
    failed = next(d for d in result["documents"] if d["status"] == "failed")
    assert "commitments of 金桥社区党委" in failed["error"]
    for written in (d for d in result["documents"] if d["status"] == "written"):
        paragraphs = [p.text for p in docx.Document(str(tmp_path / "out" / written["files"][0]["file"])).paragraphs]
        heading = paragraphs.index("一、承诺事项")
        assert paragraphs[heading + 1] and not paragraphs[heading + 1].startswith("二、")


# --- 4. speech and minutes voice ------------------------------------------------------------------------------

def test_the_speaker_does_not_name_himself():
    text = text_of(JINQIAO, "speech:dangji-deployment")
    assert "陈立新" not in text and "专班，我任组长" in text


def test_one_way_of_numbering_under_a_heading_and_no_lone_yishi():
    speech = text_of(JINQIAO, "speech:dangji-deployment").splitlines()
    goals = speech.index("二、明确目标任务，推动党纪学习教育取得实效")
    assert speech[goals + 1].startswith("一是") and not any(line.startswith("（") for line in speech[goals:goals + 4])
    opinion = text_of(JINQIAO, "opinion")
    assert "重点是部署启动：" in opinion and "重点抓好以下工作：一是部署启动" not in opinion


def test_the_minutes_tell_the_speech_once():
    text = text_of(JINQIAO, "minutes")
    assert text.count("作部署讲话") == 1


# --- 5. and 6. figures and who is at the meeting --------------------------------------------------------------

def test_a_party_committees_pledge_speaks_as_itself_in_arabic_figures():
    text = text_of(JINQIAO, "commitment", branch_record(JINQIAO))  # 桂园社区党委, 126 members
    assert "结合本党委实际" in text and "本党委126名党员共同践诺" in text
    assert "本支部" not in text and "一百二十六" not in text
    assert "结合本支部实际" in text_of(EXAMPLE, "commitment", branch_record(EXAMPLE))


def test_the_sign_in_sheet_and_the_tongbao_count_the_same_roll(tmp_path):
    [path] = docgen.render(JINQIAO, template="sign-in", formats=("docx",), out=tmp_path)
    rows = [[plain(cell.text) for cell in row.cells] for row in docx.Document(str(path)).tables[0].rows[1:]]
    assert len(rows) == 16  # 5 named, 1 on leave, 5 branches × (书记 + 党员代表1名)
    assert rows[0][1:4] == ["陈立新", "金桥街道党工委", "街道党工委书记"]
    assert ["", "桂园社区党委", "党员代表"] in [row[1:4] for row in rows]
    assert "应出席16人，实际出席15人" in text_of(JINQIAO, "tongbao")
    # 瓦店: not its 42 roster members, but the meeting's people: 8 named, and 14 branches × 4 (书记、委员、代表2名)
    wadian = load_campaign(EXAMPLE).model
    assert len(wadian.roll) == 8 + 14 * 4 - 3  # three branch secretaries are among the named
    assert f"应出席{len(wadian.roll)}人" in text_of(EXAMPLE, "tongbao")
