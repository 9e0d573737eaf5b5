"""A county's real workflow (issue 26), as a 县直机关工委 goes through it: `docgen init` for this year's
campaign, `docgen roster-template` sent to 14 branches and 14 files returned with 79 members — written
the way offices write them (入党时间 as 2014.06, 2014年6月, 2014-6, or a number cell; a branch's name
mistyped; a category the campaign does not have) —, every fault told in one run, at its cell, and
notices and pledges batched in parts into one folder with one manifest.

Every roster here is built in the test from the template's own workbook, filled as a branch fills it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

import docgen
from docgen.errors import DocgenError
from docgen.linebreak.unbreakable import plain
from docgen.pipeline import load_campaign
from docgen.sources.roster_template import workbook_bytes

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE

UNITS = ["县财政局", "县审计局", "县教育局", "县实验中学", "县人民医院", "县农业农村局", "县交通运输局", "县统计局",
         "县民政局", "县人社局", "县水务局", "县林业局", "县文旅局", "县司法局"]
SIZES = [6] * 9 + [5] * 5  # 79 members
JOINED = ["2014.06", "2014年6月", "2014-6", 2014.06, "201406", dt.date(2001, 7, 1)]
DEADLINE = dt.date(2025, 7, 31)


def branch_name(number: int) -> str:
    return f"{UNITS[number]}党支部"


def returned(path: Path, branches: list[dict], members: list[dict]) -> Path:
    """A branch's return: `docgen roster-template`'s workbook, its 支部 and 党员 sheets filled by header."""
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes()))
    for sheet, rows in (("支部", branches), ("党员", members)):
        head = [cell.value for cell in book[sheet][1]]
        for row in rows:
            missing = set(row) - set(head)
            book[sheet].append([row.get(h) for h in head])
            for extra in missing:  # a column the office added (出生年月)
                column = head.index(extra) + 1 if extra in head else len(head) + 1
                if extra not in head:
                    head.append(extra)
                    book[sheet].cell(row=1, column=column, value=extra)
                book[sheet].cell(row=book[sheet].max_row, column=column, value=row[extra])
    book.save(path)
    return path


def member(branch: int, number: int, **values: Any) -> dict:
    return {"姓名": f"{UNITS[branch][1:3]}{number:02d}", "所属支部": branch_name(branch), "职务": "党员",
            "承诺事项": "带头学习条例；带头为民服务", "完成时限": DEADLINE, "监督人": "周建国",
            "入党时间": JOINED[(branch + number) % len(JOINED)], **values}


def county(folder: Path, *, faults: bool = False, source: str = "回收/*.xlsx") -> Path:
    """campaign.yaml (the 瓦店 example's campaign, this county's branches from the returned files) and
    回收/01_县财政局.xlsx … 回收/14_县司法局.xlsx. ``faults``: what offices get wrong, one of each."""
    (folder / "回收").mkdir(parents=True, exist_ok=True)
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    values.pop("documents")
    values["branches"] = {"from": source}
    (folder / "campaign.yaml").write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    for number, unit in enumerate(UNITS):
        category = "学校" if unit == "县实验中学" else "机关"
        if faults and unit == "县实验中学":
            category = "教育"  # not one of the campaign's categories
        branch = {"支部名称": branch_name(number), "类别": category, "书记": f"{unit[1:3]}01",
                  "党员人数": SIZES[number], "承诺事项": "每月开展一次集中学习", "完成时限": DEADLINE}
        members = [member(number, n) for n in range(1, SIZES[number] + 1)]
        if faults and unit == "县审计局":
            members[2]["所属支部"] = "县审计局支部"  # the same unit written another way
        if faults and unit == "县统计局":
            members[1]["所属支部"] = "县财务局党支部"  # a unit that is not on its 支部 sheet
        returned(folder / "回收" / f"{number + 1:02d}_{unit}.xlsx", [branch], members)
    return folder / "campaign.yaml"


# --- 1. every fault of a roster in one run, grouped by column, with a count ------------------------


def test_every_bad_cell_is_told_in_one_run_grouped_by_column_with_a_count(tmp_path):
    data = county(tmp_path)
    path = tmp_path / "回收" / "03_县教育局.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["党员"]
    head = [cell.value for cell in sheet[1]]
    joined, supervisor = head.index("入党时间") + 1, head.index("监督人") + 1
    for row in range(2, 8):
        sheet.cell(row=row, column=joined, value=f"2014.{12 + row}")  # 2014.14 …: no such month
    sheet.cell(row=3, column=supervisor).value = None  # the schema's fault, at its cell too
    book.save(path)
    result = docgen_cli("validate", "campaign.yaml", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    column = openpyxl.utils.get_column_letter(joined)
    assert f"error: 回收/03_县教育局.xlsx!党员, column {column}: 6 cells" in lines
    told = [line for line in lines if re.match(rf"error: 回收/03_县教育局.xlsx!党员!{column}\d+: 入党时间: 2014.1\d is "
                                               "not a date", line)]
    assert len(told) == 6
    assert any(line.startswith(f"error: 回收/03_县教育局.xlsx!党员!{openpyxl.utils.get_column_letter(supervisor)}3: "
                               "branches[2].members[1].supervisor: required field is missing") for line in lines)
    assert lines[-1] == "error: 7 faults in all"
    assert data.exists()


def test_the_campaign_files_faults_come_together_too(tmp_path):
    text = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8")
    text = text.replace("  date: 2010-06-18", "  date: 2010-02-30").replace("member_count: 46", "member_count: 四十六")
    (tmp_path / "campaign.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "seal.png").write_bytes((EXAMPLE / "seal.png").read_bytes())
    result = docgen_cli("validate", "campaign.yaml", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line.split(": ")[2] for line in lines[:2]] == ["meeting.date", "branches[0].member_count"]
    assert lines[-1] == "error: 2 faults in all"


# --- 2. year-and-month dates -------------------------------------------------------------------


def test_year_months_as_offices_write_them_are_year_months_and_print_as_a_document_writes_them(tmp_path):
    data = county(tmp_path)
    returned(tmp_path / "回收" / "01_县财政局.xlsx",
             [{"支部名称": branch_name(0), "类别": "机关", "书记": "财政01", "党员人数": 6}],
             [member(0, n, 入党时间=joined, 出生年月=born) for n, (joined, born) in enumerate(
                 [("2014.06", "1968.03"), ("2014年6月", "1968年3月"), ("2014-6", 1968.03), (2014.06, "196803"),
                  (2014.1, "1975.10"), (dt.date(2001, 7, 1), dt.date(1968, 3, 12))], 1)])
    model = load_campaign(data).model
    members = model.branches[0].members
    assert [str(m.extra["joined"]) for m in members] == ["2014年6月"] * 4 + ["2014年10月", "2001-07-01"]
    assert [str(m.extra["birth_date"]) for m in members] == ["1968年3月"] * 4 + ["1975年10月", "1968-03-12"]
    # a template prints them as a document does, or in the 名册's own form when it asks (| year_month('.'))
    speeches = tmp_path / "tpl" / "speeches"
    speeches.mkdir(parents=True)
    (speeches / "roll.md.j2").write_text(
        '{% extends "speech/frame.md.j2" %}\n{% block body %}\n'
        "{% for m in branches[0].members %}{{ m.name }}，{{ m.extra.joined | date_ar }}入党，"
        "{{ m.extra.joined | year_month('.') }}，出生年月{{ m.extra.birth_date | year_month }}。\n\n"
        "{% endfor %}{% endblock %}\n", encoding="utf-8")
    (path,) = docgen.render(data, speech="roll", templates=[tmp_path / "tpl"], formats=("docx",), out=tmp_path / "o")
    text = plain("\n".join(p.text for p in docx.Document(str(path)).paragraphs))  # word joiners out (issue 24)
    assert "财政01，2014年6月入党，2014.06，出生年月1968年3月。" in text
    assert "财政05，2014年10月入党，2014.10，出生年月1975年10月。" in text
    assert "财政06，2001年7月1日入党，2001.07，出生年月1968年3月。" in text


def test_a_date_that_is_no_date_says_what_is_accepted_and_how_to_keep_the_column_as_written(tmp_path):
    data = county(tmp_path)
    returned(tmp_path / "回收" / "01_县财政局.xlsx",
             [{"支部名称": branch_name(0), "类别": "机关", "书记": "财政01", "党员人数": 2}],
             [member(0, 1, 入党时间="2014.13"), member(0, 2, 完成时限="2025年7月")])
    with pytest.raises(DocgenError) as caught:
        load_campaign(data)
    lines = caught.value.lines()
    assert lines[-1] == "2 faults in all"
    lines = sorted(lines[:-1], key=lambda line: "E3" in line)  # told by column: E3 (完成时限) first
    assert lines[0].endswith("!党员!H2: 入党时间: 2014.13 is not a date (a date: 2014-06-01, 2014.6.1, 2014年6月1日; "
                             "or a year and month: 2014.06, 2014年6月, 2014-6; or a date cell); to keep the column as "
                             "written, map it in the campaign file: `branches.members.columns: {入党时间: 入党时间}`")
    assert lines[1].endswith("!党员!E3: 完成时限: 2025年7月 has a year and month but no day; a full date is needed "
                             "here (a date: 2011-06-30, 2011.6.30, 2011年6月30日, 20110630 or a date cell)")
    # mapped as the message says, the column is kept as written
    values = fastyaml.load(data.read_text(encoding="utf-8"))
    values["branches"]["members"] = {"columns": {"入党时间": "入党时间"}}
    data.write_text(fastyaml.dump(values, allow_unicode=True), encoding="utf-8")
    returned(tmp_path / "回收" / "01_县财政局.xlsx",
             [{"支部名称": branch_name(0), "类别": "机关", "书记": "财政01", "党员人数": 1}],
             [member(0, 1, 入党时间="2014.13")])
    assert load_campaign(data).model.branches[0].members[0].extra["入党时间"] == "2014.13"


def test_docgen_schema_says_what_a_year_month_is():
    result = docgen_cli("schema")
    extra = json.loads(result.stdout)["$defs"]["Member"]["properties"]["extra"]["description"]
    assert "2014年6月" in extra and "year_month('.')" in extra


# --- 3. rosters returned by every branch ---------------------------------------------------------


def test_a_folder_of_returned_rosters_is_the_countys_roster(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = county(Path("."))
    (tmp_path / "回收" / "~$05_县人民医院.xlsx").write_bytes(b"Excel's lock file")  # open in Excel: not a roster
    model = load_campaign(data).model
    assert [b.name for b in model.branches] == [branch_name(n) for n in range(14)]
    assert sum(len(b.members) for b in model.branches) == 79
    loaded = load_campaign(data).loaded
    assert str(loaded.spot(("branches", 13, "members", 4, "name"))) == "回收/14_县司法局.xlsx!党员!A6"
    assert str(loaded.spot(("branches", 3, "category"))) == "回收/04_县实验中学.xlsx!支部!B2"
    assert loaded.files[1:] == [f"回收/{n + 1:02d}_{unit}.xlsx" for n, unit in enumerate(UNITS)]
    # the folder itself, or a list, name the same files
    for source in ("回收", ["回收/0*.xlsx", "回收/1*.xlsx"]):
        values = fastyaml.load(data.read_text(encoding="utf-8"))
        values["branches"]["from"] = source
        data.write_text(fastyaml.dump(values, allow_unicode=True), encoding="utf-8")
        assert len(load_campaign(data).model.branches) == 14


def test_several_branches_in_one_returned_file_and_a_file_returned_twice(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = county(Path("."))
    both = [{"支部名称": branch_name(n), "类别": "机关", "书记": f"书记{n}", "党员人数": 2} for n in (0, 1)]
    returned(tmp_path / "回收" / "01_县财政局.xlsx", both, [member(0, 1), member(1, 1)])
    (tmp_path / "回收" / "02_县审计局.xlsx").unlink()
    model = load_campaign(data).model
    assert [len(b.members) for b in model.branches[:3]] == [1, 1, 6]
    # the 统计局 sent its file twice, the second time with a member more
    returned(tmp_path / "回收" / "08_县统计局（修改）.xlsx",
             [{"支部名称": branch_name(7), "类别": "机关", "书记": "统计01", "党员人数": 7}],
             [member(7, n) for n in range(1, 8)])
    with pytest.raises(DocgenError) as caught:
        load_campaign(data)
    (line,) = [line for line in caught.value.lines() if "統計" in line or "统计局党支部 is also" in line]
    assert line == ("回收/08_县统计局（修改）.xlsx!支部!A2: 支部名称: 县统计局党支部 is also in "
                    "回收/08_县统计局.xlsx!支部!A2; list each branch once (a file returned twice?)")


def test_a_member_listed_in_two_returned_files_is_told(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = county(Path("."))
    twice = member(0, 1, 身份证号="510000197001010011")
    returned(tmp_path / "回收" / "01_县财政局.xlsx",
             [{"支部名称": branch_name(0), "类别": "机关", "书记": "财政01", "党员人数": 1}], [twice])
    returned(tmp_path / "回收" / "02_县审计局.xlsx",
             [{"支部名称": branch_name(1), "类别": "机关", "书记": "审计01", "党员人数": 1}],
             [{**twice, "所属支部": branch_name(1)}])
    with pytest.raises(DocgenError, match=r"回收/02_县审计局.xlsx!党员!A2:\w+2: 财政01 with 身份证号 "
                                          r"510000197001010011 is also listed at 回收/01_县财政局.xlsx!党员!A2:\w+2; "
                                          r"a member is listed once"):
        load_campaign(data)


def test_every_returned_file_keeps_the_bounds_of_one_roster(tmp_path, monkeypatch):
    """unpacking.py's rule holds for each file of a folder: a bomb among the returns is refused by name."""
    import zipfile

    data = county(tmp_path)
    bomb = tmp_path / "回收" / "15_县档案馆.xlsx"
    data = data.relative_to(tmp_path)
    monkeypatch.chdir(tmp_path)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (300 * 2**20) + b"</a>")
    with pytest.raises(DocgenError) as caught:
        load_campaign(data)
    assert caught.value.lines() == ["回收/15_县档案馆.xlsx: xl/worksheets/sheet1.xml unpacks to 300 MiB; a member may "
                                    "unpack to at most 256 MiB (a zip bomb?)"]


def test_roster_merge_writes_the_returned_files_as_one_workbook_that_reads_the_same(tmp_path):
    data = county(tmp_path)
    result = docgen_cli("roster", "merge", "回收", "-o", "名册.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "名册.xlsx: 14 branches, 79 members from 14 files\n"
    book = openpyxl.load_workbook(tmp_path / "名册.xlsx")
    assert book.sheetnames == ["支部", "党员"]
    head = [c.value for c in book["党员"][1]]
    assert head[:2] == ["姓名", "所属支部"] and head[-1] == "来源"
    assert book["党员"].cell(row=80, column=len(head)).value.startswith("回收/14_县司法局.xlsx!党员!A6")
    from_folder = load_campaign(data).model
    values = fastyaml.load(data.read_text(encoding="utf-8"))
    values["branches"]["from"] = "名册.xlsx"
    data.write_text(fastyaml.dump(values, allow_unicode=True), encoding="utf-8")
    merged = load_campaign(data).model
    without_source = {"branches": {"__all__": {"extra": {"来源"}, "members": {"__all__": {"extra": {"来源"}}}}}}
    assert merged.model_dump(exclude=without_source) == from_folder.model_dump(exclude=without_source)
    again = docgen_cli("roster", "merge", "回收", "-o", "名册.xlsx", cwd=tmp_path)
    assert again.returncode == 1 and "does not overwrite" in again.stderr


def test_roster_merge_writes_nothing_while_a_file_has_a_fault(tmp_path):
    county(tmp_path, faults=True)
    result = docgen_cli("roster", "merge", "回收/*.xlsx", "-o", "名册.xlsx", cwd=tmp_path)
    assert result.returncode == 1 and not (tmp_path / "名册.xlsx").exists()
    assert "error: 回收/02_县审计局.xlsx!党员!B4: 所属支部:" in result.stderr
    assert "error: 回收/08_县统计局.xlsx!党员!B3: 所属支部:" in result.stderr


# --- 4. each fault at its cell, a guess only when it is surely the same unit ------------------------


def test_a_category_fault_is_told_at_its_cell_and_a_branch_is_guessed_only_when_near(tmp_path):
    county(tmp_path, faults=True)
    result = docgen_cli("validate", "campaign.yaml", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert ("error: 回收/02_县审计局.xlsx!党员!B4: 所属支部: '县审计局支部' is not a branch on the 支部 sheet; "
            "did you mean '县审计局党支部'?") in lines
    assert ("error: 回收/08_县统计局.xlsx!党员!B3: 所属支部: '县财务局党支部' is not a branch on the 支部 sheet "
            "(the closest: 县统计局党支部); add it there, or correct the name") in lines
    category = [line for line in lines if "教育" in line]
    assert category == ["error: 回收/04_县实验中学.xlsx!支部!B2: branches[3].category: '教育' is not one of "
                        "campaign.categories (农村、卫生、学校、文化、机关、社区): add it there (or to a category's "
                        "covers), or correct it"]
    assert lines[-1] == "error: 3 faults in all"


def test_a_branch_one_character_off_is_another_unit_not_a_guess(tmp_path):
    from docgen.sources.roster import nearest_names

    branches = ["县财政局党支部", "县统计局党支部", "县实验小学党支部"]
    assert nearest_names("县审计局党支部", branches) == (None, ["县统计局党支部", "县财政局党支部", "县实验小学党支部"])
    assert nearest_names("县实验中学党支部", branches)[0] is None
    assert nearest_names("县财政局支部", branches)[0] == "县财政局党支部"
    assert nearest_names("中共县财政局党支部", branches)[0] == "县财政局党支部"


# --- 5. batches in parts -----------------------------------------------------------------------------


def test_a_batch_in_parts_numbers_files_by_the_whole_list_and_keeps_one_manifest(tmp_path):
    data = county(tmp_path)
    out = tmp_path / "承诺书"
    each = "branches[*].members"
    first = docgen_cli("batch", data, "--template", "commitment", "--each", each, "--where", "index <= 30",
                       "--format", "docx", "-o", out, "-j", "2", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("30 written, 0 unchanged, 0 failed")
    options = dict(template="commitment", each=each, where="index > 30", formats=("docx",), out=out, jobs=2)
    second = docgen.batch(tmp_path, part="1/2", **options)  # the data named another way: the same batch
    third = docgen.batch(data, part="2/2", **options)
    assert [d["index"] for d in second["documents"]] == list(range(31, 55))
    assert [d["index"] for d in third["documents"]] == list(range(55, 80))
    stored = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d["index"] for d in stored["documents"]] == list(range(1, 80))
    files = sorted(p.name for p in out.glob("*.docx"))
    assert len(files) == 79 and files[0].startswith("001_") and files[-1].startswith("079_")
    assert files[54].startswith("055_")
    csv_rows = (out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_rows) == 80
    # a rerun of a part changes nothing; forced, it redoes its own records and the manifest keeps the others
    again = docgen.batch(data, part="2/2", **options)
    assert {d["status"] for d in again["documents"]} == {"unchanged"}
    forced = docgen.batch(data, part="1/2", force=True, **options)
    assert {d["status"] for d in forced["documents"]} == {"written"} and forced["others"] == 55
    assert len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]) == 79
    # a part named otherwise would give a file of the folder to another record: refused, nothing written
    first_file = stored["documents"][0]["stem"]
    clash = docgen_cli("batch", data, "--template", "commitment", "--each", each, "--where", "index == 2",
                       "--name", first_file, "--format", "docx", "-o", out, cwd=tmp_path)
    assert clash.returncode == 1 and f"'{first_file}' would be record 2" in clash.stderr
    assert len(list(out.glob("*.docx"))) == 79


def test_where_and_part_are_checked_before_anything_is_made(tmp_path):
    data = county(tmp_path)
    bad = docgen_cli("batch", data, "--template", "notice", "--each", "branches", "--part", "3/2", "-o", "o",
                     cwd=tmp_path)
    assert bad.returncode == 1 and "--part '3/2': write K/N" in bad.stderr
    none = docgen_cli("batch", data, "--template", "notice", "--each", "branches", "--where", "index > 14", "-o", "o",
                      cwd=tmp_path)
    assert none.returncode == 1 and "selects no record" in none.stderr
    assert not (tmp_path / "o").exists()


# --- 6. a starter that starts clean ----------------------------------------------------------------

ORGAN = "中共丘山县直属机关工作委员会"
CAMPAIGN = "深入贯彻中央八项规定精神学习教育"
FILLED = {
    "organization.short_name": "县直机关工委", "organization.level": "县",
    "organization.superior.name": "丘山县", "organization.superior.level": "县",
    "organization.office": "县直机关工委办公室", "campaign.basis": "深入贯彻落实党中央关于开展学习教育的部署要求",
    "campaign.guidance.spirit": "党的二十大和二十届三中全会", "campaign.theme": "学习贯彻中央八项规定精神",
    "campaign.period.start": "2025-03-01", "campaign.period.end": "2025-07-31",
    "campaign.goals[0].title": "在学习领会上见到新成效",
    "campaign.goals[0].detail": "组织党员逐条学习中央八项规定及其实施细则精神。",
    "campaign.goals[1].title": "在作风建设上取得新进展", "campaign.goals[1].detail": "推动机关作风持续好转。",
    "campaign.phases[0].name": "学习教育阶段", "campaign.phases[0].start": "2025-03-01",
    "campaign.phases[0].end": "2025-06-30", "campaign.phases[0].focus": "组织党员集中学习",
    "campaign.phases[1].name": "总结提升阶段", "campaign.phases[1].start": "2025-07-01",
    "campaign.phases[1].end": "2025-07-31", "campaign.phases[1].focus": "总结学习教育成效",
    "campaign.categories[0].guidance": "机关党组织要把学习教育与转作风结合起来。",
    "meeting.name": "县直机关学习教育动员部署会", "meeting.date": "2025-03-10", "meeting.place": "县委第一会议室",
    "meeting.speaker.name": "王明", "meeting.speaker.post": "县直机关工委书记", "branches[0].name": "县财政局党支部",
    "branches[0].secretary": "李华", "branches[0].member_count": "6",
    "documents.opinion.number": "县直工委发〔2025〕3号", "documents.opinion.date": "2025-03-05",
}


def test_init_writes_a_clean_starter_with_the_organ_and_campaign_that_validate_walks_through(tmp_path):
    made = docgen_cli("init", "新活动", "--organ", ORGAN, "--campaign", CAMPAIGN, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "新活动" / "campaign.yaml").read_text(encoding="utf-8")
    for other in ("金桥", "瓦店", "jinqiao", "wadian", "examples/"):
        assert other not in text
    assert f"name: {ORGAN}" in text and f"name: {CAMPAIGN}" in text and "committee: 党工委" in text
    checked = docgen_cli("validate", "新活动", cwd=tmp_path)
    assert checked.returncode == 1 and not checked.stdout
    told = checked.stderr.splitlines()
    assert told[-1] == f"error: {len(FILLED)} faults in all"
    lines = text.splitlines()
    for line in told[:-1]:  # each at the line of its placeholder
        spot, path = re.match(r"error: 新活动/campaign.yaml:(\d+): ([^:]+): still to fill in: ", line).groups()
        assert "【填写：" in lines[int(spot) - 1] and path in FILLED
    for path, value in FILLED.items():
        hint = re.search(rf"{re.escape(path)}: still to fill in: (.+)$", checked.stderr, re.M).group(1)
        text = text.replace(f"【填写：{hint}】", value, 1)
    (tmp_path / "新活动" / "campaign.yaml").write_text(text, encoding="utf-8")
    ok = docgen_cli("validate", "新活动", cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith(f"ok: 新活动/campaign.yaml: {ORGAN} · {CAMPAIGN}"), ok.stderr
    findings: list[str] = []
    (path, _) = docgen.render(tmp_path / "新活动", template="opinion", out=tmp_path / "out", warn=findings.append)
    assert CAMPAIGN in "".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert findings == []  # the proof-reader finds nothing in what the starter asks for


def test_init_asks_at_a_terminal_and_never_in_a_script(tmp_path):
    quiet = docgen_cli("init", "脚本", cwd=tmp_path)  # stdin is not a terminal: nothing asked, nothing waits
    assert quiet.returncode == 0 and "【填写：发文机关全称" in (tmp_path / "脚本" / "campaign.yaml").read_text("utf-8")
    main, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "docgen", "init", "终端"], stdin=terminal,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    os.write(main, f"{ORGAN}\n{CAMPAIGN}\n".encode())
    out, err = process.communicate(timeout=60)
    os.close(main)
    os.close(terminal)
    assert process.returncode == 0, err
    text = (tmp_path / "终端" / "campaign.yaml").read_text(encoding="utf-8")
    assert f"name: {ORGAN}" in text and f"name: {CAMPAIGN}" in text


# --- 7. validate: one line for what the data cannot make; Markdown templates' names ------------------


def test_validate_counts_the_documents_the_data_cannot_make_in_one_line(tmp_path):
    data = county(tmp_path)
    quiet = docgen_cli("validate", data, cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    (note,) = quiet.stderr.splitlines()
    assert re.fullmatch(r"note: \d documents cannot be made from this data \(baogao, mingling, qingshi, xinhan\): "
                        r"they need what the data does not have; `docgen validate --all` says what each needs", note)
    full = docgen_cli("validate", data, "--all", cwd=tmp_path)
    assert len(full.stderr.splitlines()) == 4
    assert "warning: --template qingshi cannot be made from this data: " in full.stderr


def test_validate_checks_the_names_of_the_markdown_templates_it_is_given(tmp_path):
    data = county(tmp_path)
    speeches = tmp_path / "tpl" / "speeches"
    speeches.mkdir(parents=True)
    (speeches / "mine.md.j2").write_text('{% extends "speech/frame.md.j2" %}\n{% block body %}\n'
                                         "今天召开{{ meeting.nmae }}。\n\n{{ campain.name }}\n{% endblock %}\n",
                                         encoding="utf-8")
    result = docgen_cli("validate", data, "--templates", "tpl", cwd=tmp_path)
    assert result.returncode == 1 and not result.stdout
    assert "error: tpl/speeches/mine.md.j2:3: Meeting has no field `nmae`; did you mean `name`?" in result.stderr
    assert ("error: tpl/speeches/mine.md.j2:5: `campain` is not defined; did you mean `campaign`? the data's names: "
            "organization, campaign, meeting, branches, documents, extra, data, draft") in result.stderr
    linted = docgen_cli("template-check", "tpl/speeches/mine.md.j2", cwd=tmp_path)
    assert linted.returncode == 1 and "mine.md.j2:3: Meeting has no field `nmae`" in linted.stderr
    checked = docgen_cli("check", "tpl/speeches/mine.md.j2", cwd=tmp_path)
    assert checked.returncode == 1 and "mine.md.j2:3: Meeting has no field `nmae`" in checked.stdout
    (speeches / "mine.md.j2").write_text('{% extends "speech/frame.md.j2" %}\n{% block body %}\n'
                                         "今天召开{{ meeting.name }}。\n{% endblock %}\n", encoding="utf-8")
    assert docgen_cli("template-check", "tpl/speeches/mine.md.j2", cwd=tmp_path).returncode == 0
    assert docgen_cli("validate", data, "--templates", "tpl", cwd=tmp_path).returncode == 0


def test_every_builtin_template_passes_the_name_check():
    """No false alarm on docgen's own templates (macros, blocks, `member is defined`, parents' sets)."""
    from docgen import templating
    from docgen.templating import names as markdown_names

    for info in templating.list_templates():
        name = templating.speech_name(info.name) if info.option == "--speech" else templating.template_name(info.name)
        assert markdown_names.faults(name) == [], info.name


# --- 8. messages with their suggestions, in Chinese too --------------------------------------------


def test_a_wrong_list_or_template_name_is_one_message_with_a_suggestion_in_the_users_language(tmp_path):
    data = county(tmp_path)
    each = docgen_cli("batch", data, "--template", "notice", "--each", "branch", "-o", "o", cwd=tmp_path, lang="zh")
    assert each.returncode == 1
    assert each.stderr == ("错误：--each 'branch'：活动数据没有列表“branch”；是不是“branches”？"
                           "（它的列表：branches）\n")
    kind = docgen_cli("batch", data, "--template", "notise", "--each", "branches", "-o", "o", cwd=tmp_path)
    assert kind.returncode == 1
    (line,) = kind.stderr.splitlines()  # once, before any record: not once per record
    assert line.startswith("error: --template 'notise': no such document kind or template; did you mean 'notice'? "
                           "the kinds: agenda, ")
    assert "cxzy-mobilization" not in line  # a speech is not a --template
    zh = docgen_cli("render", data, "--template", "notise", "-o", "o", cwd=tmp_path, lang="zh")
    assert zh.stderr.startswith("错误：--template 'notise'：没有这个文种或模板；是不是“notice”？")
    assert not (tmp_path / "o").exists()


def test_a_roster_fault_in_chinese(tmp_path):
    county(tmp_path, faults=True)
    result = docgen_cli("validate", "campaign.yaml", cwd=tmp_path, lang="zh")
    assert ("错误：回收/02_县审计局.xlsx!党员!B4: 所属支部：“县审计局支部”不是“支部”表中的支部；"
            "是不是“县审计局党支部”？") in result.stderr
    assert "错误：共 3 处错误" in result.stderr
    assert not re.search(r"[a-z]{4,} (?:is|the|not) ", result.stderr.replace("campaign.categories", "")), result.stderr
