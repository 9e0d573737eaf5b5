"""Fixes to the Chinese text tools: the ASCII full stop, bracketed 发文字号 in data, --suggest-fields
for titles, levels, period dates, counts and phase ends, and Taiwan/Hong Kong Traditional output."""


import docx

import docgen
from docgen import zh
from docgen.commands.check import check_path
from docgen.commands.importer import import_text
from docgen.pipeline import load_campaign
from docgen.proofread import check_texts

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE, SPEECH
from .measure import plain
from .seed import SEED, normalized_seed_paragraphs

QIAOTOU = EXAMPLE.parents[1] / "tests" / "data" / "qiaotou"


def paragraphs(docx_path):
    """The DOCX's paragraphs as the seed holds them (a wrapped heading's line break is no paragraph)."""
    return [plain(p.text).replace("\n", "") for p in docx.Document(str(docx_path)).paragraphs if p.text.strip()]


def speech_template(tmp_path, template, name):
    folder = tmp_path / "tpl" / "speeches"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md.j2").write_text(template, encoding="utf-8")
    return tmp_path / "tpl"


# --- 1. the ASCII full stop ---------------------------------------------------------------------


def test_fullwidth_punctuation_makes_a_full_stop_after_chinese_text():
    assert zh.fullwidth_punctuation("维护稳定.") == "维护稳定。"
    assert zh.fullwidth_punctuation("维护稳定.下面讲三点") == "维护稳定。下面讲三点"
    assert zh.fullwidth_punctuation("“五好四强”.") == "“五好四强”。"
    for unchanged in ("1.总体要求", "增长1.5个百分点", "等等...", "version 1.5, see (a).", "１．５"):
        assert zh.fullwidth_punctuation(unchanged) == unchanged


def test_import_writes_an_ascii_full_stop_as_a_chinese_one(tmp_path):
    text = "同志们：\n一、总体要求\n要维护稳定.下面讲两点.\n1.加强领导.全年增长1.5个百分点。\n谢谢大家！\n"
    template = import_text(text, source="fanwen.txt").template
    assert "要维护稳定。下面讲两点。" in template and "稳定\\." not in template
    assert "### 加强领导。\n\n全年增长1\\.5个百分点。" in template  # 1. is a heading, 1.5 a number
    docx_path = docgen.render(EXAMPLE, speech="dot", templates=[speech_template(tmp_path, template, "dot")],
                              formats=("docx",), out=tmp_path / "out")[0]
    body = paragraphs(docx_path)
    assert "要维护稳定。下面讲两点。" in body and "1.加强领导。全年增长1.5个百分点。" in body


def test_check_reports_a_half_width_full_stop_after_chinese_text():
    findings = check_texts([("p1", "维护稳定."), ("p2", "增长1.5个百分点，见第1.条"), ("p3", "等等..."),
                            ("p4", "“五好四强”.下面")])
    by_place = {f.where: f for f in findings}
    assert set(by_place) == {"p1", "p4"}
    assert "half-width '.'" in by_place["p1"].message and "'。'" in by_place["p1"].fix


# --- 2. 瓦委发[2010]12号 in data is a note, in a document an error -----------------------------


def test_check_on_data_notes_a_bracketed_document_number_without_failing():
    notes = []
    assert check_path(EXAMPLE, note=notes.append) == []
    assert len(notes) == 1 and "瓦委发[2010]12号" in notes[0].message and "瓦委发〔2010〕12号" in notes[0].message
    result = docgen_cli("check", str(EXAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "note: " in result.stderr and "瓦委发〔2010〕12号" in result.stderr and "error" not in result.stdout


def test_a_bracketed_number_elsewhere_in_data_or_in_a_document_is_still_an_error(tmp_path):
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    values["campaign"]["theme"] = "根据瓦委发[2010]12号文件"  # free text prints as written
    values["documents"]["forward"]["number"] = "瓦委办发12号"  # no year: unreadable
    data = tmp_path / "campaign.yaml"
    data.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    findings = check_path(data, note=lambda finding: None)
    assert len(findings) == 2
    assert "瓦委发〔2010〕12号" in findings[0].fix and "cannot be read" in findings[1].message
    document = docx.Document()
    document.add_paragraph("根据瓦委发[2010]12号文件要求")
    document.save(str(tmp_path / "letter.docx"))
    [finding] = check_path(tmp_path / "letter.docx")
    assert "without 〔〕" in finding.message and "瓦委发〔2010〕12号" in finding.fix


# --- 3. --suggest-fields ------------------------------------------------------------------------

ADDED = ("整个活动从2010年6月开始，到2012年10月基本结束。", "各支部要在2010年6月底前开完动员会。",
         "2012年10月，活动进入总结。")


def test_suggest_fields_title_period_dates_counts_and_phase_ends(tmp_path):
    seed = normalized_seed_paragraphs(errata=False)
    title = "在全乡创先争优活动动员大会上的讲话"
    text = "\n".join([title, *seed[:-1], *ADDED, seed[-1]])
    result = import_text(text, source=str(SEED), campaign=load_campaign(EXAMPLE).model)
    template = result.template
    assert '{% block title %}{{ ("在" ~ meeting.name ~ "上的讲话") | tojson }}{% endblock %}' in template
    assert "共分{{ campaign.phases | length | zh_count }}个阶段" in template
    assert "在{{ campaign.goals | length | zh_count }}个方面" in template
    assert "等{{ campaign.methods | length | zh_count }}种方法" in template
    assert "时间安排{{ campaign.period.length }}" in template
    assert ('从{{ campaign.period.start | date_ar(precision="month") }}开始，'
            '到{{ campaign.period.end | date_ar(precision="month") }}基本结束') in template
    assert '在{{ campaign.phases[0].end | date_ar(precision="month") }}底前' in template
    assert '{{ campaign.period.end | date_ar(precision="month") }}，活动进入总结' in template
    assert '从{{ campaign.phases[0].start | date_ar(precision="month") }}到' in template  # the phase's own line
    templates = speech_template(tmp_path, template, "facts")
    same = paragraphs(docgen.render(EXAMPLE, speech="facts", templates=[templates], formats=("docx",),
                                    out=tmp_path / "w")[0])
    assert same[0] == title
    assert same[same.index("同志们："):] == [*seed[:-1], *ADDED, seed[-1]]
    other = paragraphs(docgen.render(QIAOTOU, speech="facts", templates=[templates], formats=("docx",),
                                     out=tmp_path / "q")[0])
    assert other[0] == "在全镇创先争优活动动员大会上的讲话"
    text = "\n".join(other)
    assert "整个活动从2012年3月开始，到2014年10月基本结束。" in text
    assert "各支部要在2012年6月底前开完动员会。" in text and "2014年10月，活动进入总结。" in text
    assert "瓦店" not in text and "2010年" not in text


def test_suggest_fields_reads_the_level_a_fanwen_speaks_of_itself_at(tmp_path):
    # The seed as a 镇 would write it (全镇, 我镇, 镇党委), adapted for 瓦店乡's data (level 乡).
    seed = [p.replace("全乡", "全镇").replace("我乡", "我镇").replace("乡党委", "镇党委")
            for p in normalized_seed_paragraphs(errata=False)]
    result = import_text("\n".join(seed), source="zhen.txt", campaign=load_campaign(EXAMPLE).model)
    assert "全镇" not in result.template and "镇党委" not in result.template and "我镇" not in result.template
    templates = speech_template(tmp_path, result.template, "zhen")
    body = paragraphs(docgen.render(EXAMPLE, speech="zhen", templates=[templates], formats=("docx",),
                                    out=tmp_path / "w")[0])
    assert body[body.index("同志们："):] == normalized_seed_paragraphs(errata=False)


# --- 4. Taiwan and Hong Kong Traditional --------------------------------------------------------


def test_convert_script_gives_regional_forms_and_corner_quotes():
    text = "他说：“这里‘创先争优’着力为人民”"
    assert zh.convert_script(text, "hant-tw") == "他說：「這裡『創先爭優』著力為人民」"
    assert zh.convert_script(text, "hant-hk") == "他説：「這裏『創先爭優』着力為人民」"
    assert zh.convert_script(text, "hant") == "他說：“這裏‘創先爭優’着力爲人民”"  # OpenCC's standard form
    assert zh.convert_script("“瓦店”和“乡”", "hant-tw", keep=("“瓦店”",)) == "“瓦店”和「鄉」"


def test_rendered_taiwan_and_hong_kong_speeches(tmp_path):
    texts = {}
    for script in ("hant-tw", "hant-hk"):
        path = docgen.render(EXAMPLE, speech=SPEECH, formats=("docx",), out=tmp_path / script, script=script)[0]
        texts[script] = "\n".join(paragraphs(path))
    for script, text in texts.items():
        assert "為" in text and "爲" not in text, script
        assert "「" in text and "」" in text, script
        assert not set("“”‘’") & set(text), script
        assert "「五好四強」" in text, script
    assert "著力" in texts["hant-tw"] and "着" not in texts["hant-tw"]  # Taiwan: 著; Hong Kong keeps 着
    assert "着力" in texts["hant-hk"]
    assert texts["hant-tw"] != texts["hant-hk"]


def test_import_writes_a_taiwan_text_with_mainland_quotes():
    result = import_text("同志們：\n要堅持「黨建帶團建」和『三會一課』。\n謝謝大家！\n", source="tw.txt")
    assert "要坚持“党建带团建”和‘三会一课’。" in result.template
    assert any("「」" in note for note in result.notes)
