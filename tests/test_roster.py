"""Rosters: branches and members from a spreadsheet, as first-class as YAML.

Every test builds its own file (openpyxl for .xlsx, xlwt for .xls, a hand-made .ods, CSV in three
encodings), names it in a campaign with `branches: {from: …}`, and reads it through the same
`sources.load` → `schema.validate` the CLI runs. Errors must name the cell (名册.xlsx!党员!C17).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from docgen import schema, sources
from docgen.errors import DocgenError
from docgen.pipeline import load_campaign
from docgen.sources import roster

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE

BRANCH_HEAD = ["支部名称", "类别", "书记", "党员人数", "承诺事项", "完成时限"]
MEMBER_HEAD = ["姓名", "所属支部", "职务", "承诺事项", "完成时限", "监督人"]
DEADLINE = dt.date(2011, 6, 30)


def branch_rows() -> list[list[Any]]:
    return [
        ["春风村党支部", "农村", "李春明", 46, "建强村“两委”班子；发展特色产业", DEADLINE],
        ["场镇社区党支部", "社区", "郑丽萍", 20, "办好民生实事", DEADLINE],
    ]


def member_rows() -> list[list[Any]]:
    return [
        ["李春明", "春风村党支部", "支部书记", "带头发展特色种养业；带头调解纠纷", DEADLINE, "马卫东"],
        ["张国华", "春风村党支部", "支部委员", "帮扶困难户3户", DEADLINE, "马卫东"],
        ["郑丽萍", "场镇社区党支部", "支部书记", "带头参加志愿服务", DEADLINE, "马卫东"],
    ]


def campaign(folder: Path, branches: dict | None = None) -> Path:
    """The example campaign with its branches replaced by a roster mapping."""
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    values.pop("documents")  # names a seal image the tests do not need
    values["branches"] = branches or {"from": "名册.xlsx"}
    path = folder / "campaign.yaml"
    path.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def xlsx(path: Path, sheets: dict[str, list[list[Any]]], *, merges: dict[str, list[str]] | None = None,
         hidden: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None and value != "":
                    sheet.cell(row=r, column=c, value=value)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def standard(folder: Path, members: list[list[Any]] | None = None, **kwargs) -> Path:
    xlsx(folder / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()],
                               "党员": [MEMBER_HEAD, *(members if members is not None else member_rows())]}, **kwargs)
    return campaign(folder)


def error_of(path: Path) -> str:
    with pytest.raises(DocgenError) as caught:
        load_campaign(path)
    return str(caught.value)


def rewrite_sheet_xml(path: Path, sheet_index: int, edit) -> None:
    """Edit one worksheet's XML inside an .xlsx (what openpyxl cannot write: a WPS dimension, a cached value)."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, edit(data.decode("utf-8")).encode("utf-8") if info.filename == name else data)


@pytest.fixture
def with_extra(monkeypatch):
    """The schema change docs/rosters.md proposes (an `extra` dict on Branch and Member), for the reader."""
    from typing import Any as AnyType

    class Member(schema.Member):
        extra: dict[str, AnyType] = {}

    class Branch(schema.Branch):
        members: list[Member] = []
        extra: dict[str, AnyType] = {}

    monkeypatch.setattr(roster, "schema_models", lambda: (Branch, Member))
    return Branch, Member


# --- the example, and the campaign the CLI sees ----------------------------------------------


def test_the_example_roster_gives_the_same_campaign_as_the_yaml():
    from_yaml = load_campaign(EXAMPLE)
    from_roster = load_campaign(EXAMPLE / "campaign-roster.yaml")
    without_extra = {"branches": {"__all__": {"extra": True, "members": {"__all__": {"extra": True}}}}}
    assert from_roster.model.model_dump(exclude=without_extra) == from_yaml.model.model_dump(exclude=without_extra)
    first = from_roster.model.branches[0].members[0]  # columns the schema has no field for, kept for templates
    assert set(first.extra) == {"gender", "joined", "phone"} and first.extra["phone"] == "13395164605"
    assert from_roster.loaded.files[-1].endswith("名册.xlsx")
    assert str(from_roster.loaded.spot(("branches", 2, "members", 1, "commitments", 1))).endswith("名册.xlsx!党员!D9")
    assert str(from_roster.loaded.spot(("branches", 2))).endswith("名册.xlsx!支部!A4:G4")


def test_validate_and_render_take_a_roster_campaign(tmp_path):
    data = standard(tmp_path)
    result = docgen_cli("validate", data)
    assert result.returncode == 0, result.stderr
    assert "2 branches" in result.stdout
    import docgen

    (path,) = docgen.render(data, template="commitment-list", formats=("docx",), out=tmp_path / "out")
    import docx

    text = "\n".join(cell.text for table in docx.Document(str(path)).tables for row in table.rows
                     for cell in row.cells).replace("\u2060", "")  # the word joiners inside names and counts
    assert "张国华" in text and "帮扶困难户3户" in text


def test_a_roster_file_given_as_the_campaign_says_how_to_use_it(tmp_path):
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD]})
    with pytest.raises(DocgenError, match=r"a roster is not a whole campaign; .*branches: \{from: 名册.xlsx\}"):
        sources.load(tmp_path / "名册.xlsx")


# --- layouts offices really have --------------------------------------------------------------


def test_title_rows_blank_rows_and_section_rows_are_skipped(tmp_path):
    members = [
        ["瓦店乡党员名册"], [], ["填报单位：瓦店乡党委"],  # a title (merged), a blank row, a note
        MEMBER_HEAD,
        [], ["一、农村党支部"],  # a blank row and a section title merged across the table
        *member_rows()[:2],
        [], [],
        *member_rows()[2:],
        [], [], [],
    ]
    xlsx(tmp_path / "名册.xlsx", {"支部": [["瓦店乡党支部名单"], [], BRANCH_HEAD, *branch_rows()], "党员": members},
         merges={"党员": ["A1:F1", "A6:F6"], "支部": ["A1:F1"]})
    loaded = sources.load(campaign(tmp_path))
    branches = loaded.values["branches"]
    assert [b["name"] for b in branches] == ["春风村党支部", "场镇社区党支部"]
    assert [m["name"] for m in branches[0]["members"]] == ["李春明", "张国华"]
    assert [m["name"] for m in branches[1]["members"]] == ["郑丽萍"]
    assert str(loaded.spot(("branches", 0, "members", 1, "name"))).endswith("名册.xlsx!党员!A8")
    assert str(loaded.spot(("branches", 1, "members", 0, "supervisor"))).endswith("名册.xlsx!党员!F11")
    assert str(loaded.spot(("branches", 1, "secretary"))).endswith("名册.xlsx!支部!C5")


def test_a_two_row_header_with_merged_cells(tmp_path):
    members = [
        ["姓名", "所属支部", "职务", "承诺事项", None, "完成时限", "监督人"],
        [None, None, None, "一", "二"],
        ["李春明", "春风村党支部", "支部书记", "带头发展特色种养业", "带头调解纠纷", DEADLINE, "马卫东"],
        ["郑丽萍", "场镇社区党支部", "支部书记", "带头参加志愿服务", None, DEADLINE, "马卫东"],
    ]
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": members},
         merges={"党员": ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2", "G1:G2"]})
    loaded = sources.load(campaign(tmp_path))
    first = loaded.values["branches"][0]["members"][0]
    assert first["commitments"] == ["带头发展特色种养业", "带头调解纠纷"]
    assert str(loaded.spot(("branches", 0, "members", 0, "commitments", 1))).endswith("党员!E3")
    assert loaded.values["branches"][1]["members"][0]["commitments"] == ["带头参加志愿服务"]


def test_numbered_columns_and_numbered_items_make_one_list(tmp_path):
    members = [["姓名", "所属支部", "职务", "承诺事项1", "承诺事项2", "完成时限", "监督人"],
               ["李春明", "春风村党支部", "支部书记", "1.带头发展产业；2.带头调解纠纷", "（3）走访群众1.5万户",
                DEADLINE, "马卫东"]]
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": members})
    (member,) = sources.load(campaign(tmp_path)).values["branches"][0]["members"]
    assert member["commitments"] == ["带头发展产业", "带头调解纠纷", "走访群众1.5万户"]


def test_spaces_full_width_spaces_and_line_breaks(tmp_path):
    members = [[" 姓 名 ", "所属支部\n", "职务", "承诺事项", "完成时限", "监督人　"],
               ["王　 芳 ", "春风村党支部　", " 支部委员  ", "带头学习\n带头服务\r\n\n", DEADLINE, "马卫东\u00a0"]]
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": members})
    (member,) = load_campaign(campaign(tmp_path)).model.branches[0].members
    assert (member.name, member.post, member.supervisor) == ("王芳", "支部委员", "马卫东")
    assert member.commitments == ["带头学习", "带头服务"]


def test_numbers_stay_digits_and_dates_become_dates(tmp_path, with_extra):
    head = [*MEMBER_HEAD, "联系电话", "身份证号", "入党时间", "出生日期", "籍贯"]
    rows = [
        [*member_rows()[0], 13800000000, "51000019680312001X", dt.date(1995, 7, 1), "1968.3.12", 510000],
        [*member_rows()[1], "0838-1234567", "510000196803120011", "1995-07-01", 25000, None],
    ]
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": [head, *rows]})
    first, second = sources.load(campaign(tmp_path)).values["branches"][0]["members"]
    assert first["extra"] == {"phone": "13800000000", "id_number": "51000019680312001X",
                              "joined": dt.date(1995, 7, 1), "birth_date": dt.date(1968, 3, 12), "籍贯": "510000"}
    assert second["extra"] == {"phone": "0838-1234567", "id_number": "510000196803120011",
                               "joined": dt.date(1995, 7, 1), "birth_date": dt.date(1968, 6, 11)}


def test_columns_the_schema_has_no_field_for_are_left_out_with_a_note(tmp_path):
    head = [*MEMBER_HEAD, "入党时间", "籍贯"]
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()],
                               "党员": [head, [*member_rows()[0], "2001-07-01", "四川"]]})
    loaded = sources.load(campaign(tmp_path))
    assert "extra" not in loaded.values["branches"][0]["members"][0] or "extra" in schema.Member.model_fields
    if "extra" not in schema.Member.model_fields:
        assert loaded.notes == [f"{tmp_path / '名册.xlsx'}!党员: warning: the schema has no field for the columns "
                                "入党时间、籍贯 (left out)"]


@pytest.mark.parametrize("written", [dt.date(2010, 6, 1), dt.datetime(2010, 6, 1), 40330, "40330", "2010.6.1",
                                     "2010-06-01", "2010/6/1", "2010年6月1日", "２０１０．６．１", "20100601",
                                     "2010-06-01 00:00:00"])
def test_a_deadline_in_any_form_office_files_have(tmp_path, written):
    rows = member_rows()
    rows[0][4] = written
    model = load_campaign(standard(tmp_path, rows)).model
    assert model.branches[0].members[0].deadline == dt.date(2010, 6, 1)


def test_a_bad_date_names_its_cell_in_one_line(tmp_path):
    head = ["姓名", "所属支部", "入党时间", "职务", "承诺事项", "完成时限", "监督人"]
    rows = [[f"党员{i}", "春风村党支部", "2001.7.1", "党员", "带头学习", DEADLINE, "马卫东"] for i in range(2, 17)]
    rows.append(["王芳", "春风村党支部", "2010.13.01", "党员", "带头学习", DEADLINE, "马卫东"])
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": [head, *rows]})
    data = campaign(tmp_path)
    result = docgen_cli("validate", "campaign.yaml", cwd=tmp_path)
    assert result.returncode == 1
    said = ("入党时间: 2010.13.01 is not a date (a date: 2014-06-01, 2014.6.1, 2014年6月1日; or a year and month: "
            "2014.06, 2014年6月, 2014-6; or a date cell); to keep the column as written, map it in the campaign file: "
            "`branches.members.columns: {入党时间: 入党时间}`")
    assert result.stderr == f"error: 名册.xlsx!党员!C17: {said}\n"
    assert error_of(data) == f"{tmp_path / '名册.xlsx'}!党员!C17: {said}"


def test_a_missing_or_bad_value_names_its_cell(tmp_path):
    rows = member_rows()
    rows[1][5] = None  # 监督人 empty: the schema's "required" error points at F3
    assert error_of(standard(tmp_path, rows)).startswith(
        f"{tmp_path / '名册.xlsx'}!党员!F3: branches[0].members[1].supervisor: required field is missing")
    branches = branch_rows()
    branches[1][3] = "二十"
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branches], "党员": [MEMBER_HEAD, *member_rows()]})
    assert error_of(tmp_path / "campaign.yaml").endswith("名册.xlsx!支部!D3: 党员人数: 二十 is not a whole number")
    branches[1][3] = "20人"
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branches], "党员": [MEMBER_HEAD, *member_rows()]})
    assert load_campaign(tmp_path / "campaign.yaml").model.branches[1].member_count == 20


def test_numbers_excel_has_already_spoiled_are_refused(tmp_path, with_extra):
    head = [*MEMBER_HEAD, "身份证号"]
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()],
                               "党员": [head, [*member_rows()[0], 510000196803120011]]})
    assert "名册.xlsx!党员!G2: 身份证号: 5.1000019680312E+17 is stored as a number, and Excel keeps only its " \
           "first 15 digits; set the column's format to text and enter it again" in error_of(campaign(tmp_path))
    (tmp_path / "支部.csv").write_text("\n".join(",".join(map(str, r)) for r in [BRANCH_HEAD, *branch_rows()]),
                                       encoding="utf-8")
    (tmp_path / "党员.csv").write_text("姓名,所属支部,职务,承诺事项,完成时限,监督人,手机\n"
                                       "李春明,春风村党支部,支部书记,带头学习,2011-06-30,马卫东,1.38E+10\n",
                                       encoding="utf-8")
    data = campaign(tmp_path, {"from": "支部.csv", "members": {"from": "党员.csv"}})
    assert error_of(data).endswith("党员.csv!G2: 手机: 1.38E+10 is a number in scientific notation, and its digits "
                                   "are lost; set the column's format to text in the spreadsheet, enter the numbers "
                                   "again and save")


def test_a_member_of_an_unknown_branch_gets_the_nearest_name(tmp_path):
    rows = member_rows()
    rows[2][1] = "场镇社区支部"
    assert error_of(standard(tmp_path, rows)).endswith(
        "名册.xlsx!党员!B4: 所属支部: '场镇社区支部' is not a branch on the 支部 sheet; did you mean '场镇社区党支部'?")


def test_duplicate_rows_are_reported(tmp_path):
    rows = member_rows()
    rows.insert(3, list(rows[1]))
    assert error_of(standard(tmp_path, rows)).endswith(
        "名册.xlsx!党员!A5:F5: this row repeats row 3 (张国华，春风村党支部); delete one of them")
    branches = branch_rows()
    branches.append(list(branches[0]))
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branches], "党员": [MEMBER_HEAD, *member_rows()]})
    assert error_of(tmp_path / "campaign.yaml").endswith(
        "名册.xlsx!支部!A4: 支部名称: 春风村党支部 is also on row 2; list each branch once")


def test_a_value_under_no_header_is_refused(tmp_path):
    rows = member_rows()
    rows[0].append("多出的一格")
    assert error_of(standard(tmp_path, rows)).endswith(
        "名册.xlsx!党员!G2: a value under column G, which has no header in row 1; "
        "give the column a header, or clear it")


def test_control_characters_in_a_cell_are_refused(tmp_path):
    (tmp_path / "支部.csv").write_text("\n".join(",".join(map(str, r)) for r in [BRANCH_HEAD, *branch_rows()]),
                                       encoding="utf-8")
    (tmp_path / "党员.csv").write_text("姓名,所属支部,职务,承诺事项,完成时限,监督人\n"
                                       "李春明,春风村党支部,支部书记,带头\x07学习,2011-06-30,马卫东\n",
                                       encoding="utf-8")
    data = campaign(tmp_path, {"from": "支部.csv", "members": {"from": "党员.csv"}})
    assert error_of(data).endswith("党员.csv!D2: 承诺事项: control character U+0007 in the cell; remove it")


def test_hidden_sheets(tmp_path):
    old = [MEMBER_HEAD, ["旧党员", "不存在的支部", "党员", "x", DEADLINE, "x"]]
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": old,
                               "党员名单": [MEMBER_HEAD, *member_rows()], "类别选项": [["农村"], ["社区"]]},
         hidden=("党员", "类别选项"))
    branches = sources.load(campaign(tmp_path)).values["branches"]  # the visible 党员名单, not the hidden 党员
    assert [m["name"] for m in branches[0]["members"]] == ["李春明", "张国华"]
    data = campaign(tmp_path, {"from": "名册.xlsx", "members": {"sheet": "党员"}})  # named: read though hidden
    assert "'不存在的支部' is not a branch" in error_of(data)
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "说明": [["…"]]}, hidden=("支部",))
    assert "the sheet '支部' is hidden: unhide it, or name it with `sheet: 支部`" in error_of(campaign(tmp_path))


def test_a_formula_cell_gives_its_cached_value(tmp_path):
    path = xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": [MEMBER_HEAD, *member_rows()]})
    def formulas(xml: str) -> str:
        xml = re.sub(r'<c r="D2"[^>]*>.*?</c>', '<c r="D2"><f>SUM(40,5)</f><v>45</v></c>', xml)
        return re.sub(r'<c r="C2"[^>]*>.*?</c>', '<c r="C2" t="str"><f>"李"&amp;"春明"</f><v>李春明</v></c>', xml)

    rewrite_sheet_xml(path, 1, formulas)
    branch = load_campaign(campaign(tmp_path)).model.branches[0]
    assert (branch.member_count, branch.secretary) == (45, "李春明")


def test_a_wps_dimension_of_a1_still_reads_every_row(tmp_path):
    path = xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": [MEMBER_HEAD, *member_rows()]})
    for index in (1, 2):
        rewrite_sheet_xml(path, index, lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:A1"/>', xml))
    assert '<dimension ref="A1:A1"/>' in zipfile.ZipFile(path).read("xl/worksheets/sheet2.xml").decode()
    model = load_campaign(campaign(tmp_path)).model
    assert [len(b.members) for b in model.branches] == [2, 1]


# --- other formats -----------------------------------------------------------------------------


def test_xls(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for name, rows in (("支部", [BRANCH_HEAD, *branch_rows()]), ("党员", [MEMBER_HEAD, *member_rows()])):
        sheet = book.add_sheet(name)
        sheet.write_merge(0, 0, 0, 5, f"瓦店乡{name}名册")
        for r, row in enumerate(rows, 2):
            for c, value in enumerate(row):
                sheet.write(r, c, value, dates) if isinstance(value, dt.date) else sheet.write(r, c, value)
    book.save(str(tmp_path / "名册.xls"))
    data = campaign(tmp_path, {"from": "名册.xls"})
    model = load_campaign(data).model
    assert [m.name for m in model.branches[0].members] == ["李春明", "张国华"]
    assert model.branches[0].members[0].deadline == DEADLINE


def ods(path: Path, sheets: dict[str, list[list[Any]]], hidden: tuple[str, ...] = ()) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one (typed cells, repeated rows)."""

    def cell(value: Any) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                    f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
        if isinstance(value, int | float):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        paragraphs = "".join(f"<text:p>{line}</text:p>" for line in str(value).split("\n"))
        return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'

    tables = []
    for name, rows in sheets.items():
        style = ' table:style-name="hidden"' if name in hidden else ""
        body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows)
        tables.append(f'<table:table table:name="{name}"{style}>{body}'
                      '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                      'table:number-columns-repeated="1024"/></table:table-row></table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2">'
        '<office:automatic-styles><style:style style:name="hidden" style:family="table">'
        '<style:table-properties table:display="false"/></style:style></office:automatic-styles>'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def test_ods(tmp_path):
    members = [["党员名册"], [], MEMBER_HEAD, *member_rows()]
    members[4][3] = "带头学习\n带头服务"
    ods(tmp_path / "名册.ods", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": members, "旧表": [["x"]]},
        hidden=("旧表",))
    loaded = sources.load(campaign(tmp_path, {"from": "名册.ods"}))
    first = loaded.values["branches"][0]["members"][1]
    assert first["commitments"] == ["带头学习", "带头服务"]
    assert str(loaded.spot(("branches", 0, "members", 1, "commitments"))).endswith("名册.ods!党员!D5")
    assert load_campaign(tmp_path / "campaign.yaml").model.branches[1].members[0].deadline == DEADLINE


def test_ods_a_list_header_over_two_columns(tmp_path):
    """ODS keeps no merge information calamine passes on: an empty header right of a list's continues it."""
    members = [["姓名", "所属支部", "职务", "承诺事项", None, "完成时限", "监督人"],
               ["李春明", "春风村党支部", "支部书记", "带头学习", "带头服务", DEADLINE, "马卫东"]]
    ods(tmp_path / "名册.ods", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": members})
    loaded = sources.load(campaign(tmp_path, {"from": "名册.ods"}))
    assert loaded.values["branches"][0]["members"][0]["commitments"] == ["带头学习", "带头服务"]
    assert str(loaded.spot(("branches", 0, "members", 0, "commitments", 1))).endswith("名册.ods!党员!E2")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_offices_save(tmp_path, encoding):
    def text(rows):
        return "\r\n".join(",".join(f'"{v}"' if isinstance(v, str) and ("\n" in v or "," in v) else str(v)
                                    for v in row) for row in rows) + "\r\n"

    members = [[*r[:3], r[3].replace("；", "\n"), "2011年6月30日", r[5]] for r in member_rows()]
    (tmp_path / "支部.csv").write_bytes(text([BRANCH_HEAD, *branch_rows()]).encode(encoding))
    (tmp_path / "党员.csv").write_bytes(text([["党员名册"], [], MEMBER_HEAD, *members, [], []]).encode(encoding))
    data = campaign(tmp_path, {"from": "支部.csv", "members": {"from": "党员.csv", "join": "所属支部"}})
    loaded = sources.load(data)
    assert loaded.files[1:] == [str(tmp_path / "支部.csv"), str(tmp_path / "党员.csv")]
    model = load_campaign(data).model
    assert model.branches[0].members[0].commitments == ["带头发展特色种养业", "带头调解纠纷"]
    assert model.branches[0].members[0].deadline == DEADLINE
    assert str(loaded.spot(("branches", 1, "members", 0, "name"))) == f"{tmp_path / '党员.csv'}!A6"


# --- the campaign file's side ------------------------------------------------------------------


def test_columns_map_other_headers_and_leave_some_out(tmp_path):
    branches = [["村支部", "类型", "支部书记", "党员数", "备注一"], *[[*r[:4], "x"] for r in branch_rows()]]
    members = [["名字", "单位", "职务", "个人承诺", "完成时限", "监督人", "序号"],
               *[[*r, i] for i, r in enumerate(member_rows(), 1)]]
    xlsx(tmp_path / "名册.xlsx", {"支部": branches, "党员": members})
    data = campaign(tmp_path, {"from": "名册.xlsx", "columns": {"村支部": "name", "备注一": None},
                               "members": {"join": "单位", "columns": {"名字": "name"}}})
    model = load_campaign(data).model
    assert [m.name for m in model.branches[0].members] == ["李春明", "张国华"]
    assert model.branches[0].members[1].commitments == ["帮扶困难户3户"]


@pytest.mark.parametrize(("branches", "words"), [
    ({"from": "名册.xlsx", "sheeet": "支部"},
     "campaign.yaml:{line}: branches.sheeet: unknown key; did you mean `sheet`?"),
    ({"from": "../名册.xlsx"}, "branches.from: '../名册.xlsx' is outside the data's folder"),
    ({"from": "花名册.xlsx"}, "branches.from: no such file '花名册.xlsx' beside the campaign file"),
    ({"from": "名册.xlsx", "sheet": "支部名单"},
     "has no sheet '支部名单' (its sheets: 支部、党员); did you mean '支部'?"),
    ({"from": "名册.xlsx", "columns": {"村支部": "name"}},
     "branches.columns.村支部: no column '村支部' in the header of"),
    ({"from": "名册.xlsx", "members": {"join": "单位"}}, "no column naming each member's branch"),
    ({"from": "名册.xlsx", "members": {"sheet": "党员", "colums": {}}}, "branches.members.colums: unknown key; did you "
                                                                     "mean `columns`?"),
    ({"from": "支部.csv", "members": {"join": "所属支部"}}, "is one sheet, the branches; name the members' file"),
    ({"from": "支部.csv", "sheet": "支部"}, "branches.sheet: a .csv file has no sheets; leave it out"),
])
def test_mistakes_in_the_campaign_file_name_their_line(tmp_path, branches, words):
    data = standard(tmp_path)
    (tmp_path / "支部.csv").write_text("\n".join(",".join(map(str, r)) for r in [BRANCH_HEAD, *branch_rows()]),
                                       encoding="utf-8")
    data = campaign(tmp_path, branches)
    line = next(n for n, text in enumerate(data.read_text(encoding="utf-8").splitlines(), 1) if "sheeet" in text) \
        if "sheeet" in branches else 0
    message = error_of(data)
    assert words.format(line=line) in message, message


def test_no_header_row_is_explained(tmp_path):
    xlsx(tmp_path / "名册.xlsx", {"支部": [["名称", "类"], *branch_rows()]})
    assert error_of(campaign(tmp_path)).startswith(
        f"{tmp_path / '名册.xlsx'}!支部: no header row naming 支部名称 in the first 30 rows")
    assert error_of(campaign(tmp_path, {"from": "名册.xlsx", "header": 1})) == (
        f"{tmp_path / '名册.xlsx'}!支部: row 1 (branches.header) has no 支部名称 column (it reads: 名称、类); "
        "name the header's row, or map your header with `columns: {…: name}`")


def test_a_header_row_named_in_the_campaign_file(tmp_path):
    xlsx(tmp_path / "名册.xlsx", {"支部": [["支部名称"], ["说明：本表由乡党委办公室填报"], BRANCH_HEAD, *branch_rows()],
                               "党员": [MEMBER_HEAD, *member_rows()]})
    data = campaign(tmp_path, {"from": "名册.xlsx", "header": 3})
    assert [b.name for b in load_campaign(data).model.branches] == ["春风村党支部", "场镇社区党支部"]


def test_check_names_the_cell_of_a_finding(tmp_path):
    rows = member_rows()
    rows[1][3] = "帮扶困难户3户,带头调解纠纷"  # an ASCII comma in Chinese text
    data = standard(tmp_path, rows)
    result = docgen_cli("check", data)
    assert result.returncode == 1
    assert f"{tmp_path / '名册.xlsx'}!党员!D3" in result.stdout


# --- docgen roster-template, and batch -------------------------------------------------------


def test_the_roster_template_filled_in_is_a_valid_campaign(tmp_path):
    run = docgen_cli("roster-template", "-o", "名册.xlsx", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    again = docgen_cli("roster-template", "-o", "名册.xlsx", cwd=tmp_path)
    assert again.returncode == 1 and "does not overwrite" in again.stderr
    book = openpyxl.load_workbook(tmp_path / "名册.xlsx")
    assert book.sheetnames == ["支部", "党员", "说明"]
    guide = list(book["说明"].iter_rows(values_only=True))
    assert next(r for r in guide if r[1] == "所属支部")[:4] == ("党员", "所属支部", "是", "branch.name")
    branch_head = [c.value for c in book["支部"][1]]
    member_head = [c.value for c in book["党员"][1]]
    for row in branch_rows():
        book["支部"].append([dict(zip(BRANCH_HEAD, row, strict=True)).get(h) for h in branch_head])
    for row in member_rows():
        values = dict(zip(MEMBER_HEAD, row, strict=True)) | {"性别": "男", "联系电话": "13800000000"}
        book["党员"].append([values.get(h) for h in member_head])
    book.save(tmp_path / "名册.xlsx")
    model = load_campaign(campaign(tmp_path)).model
    assert [len(b.members) for b in model.branches] == [2, 1]
    assert model.branches[0].commitments == ["建强村“两委”班子", "发展特色产业"]


def test_batch_over_roster_members_records_their_rows_and_notices_a_changed_roster(tmp_path):
    from docgen.batching import batch

    data = standard(tmp_path)
    out = tmp_path / "out"
    each = "branches[*].members"
    first = batch(data, template="commitment", each=each, formats=("docx",), out=out, jobs=1)
    assert [d["status"] for d in first["documents"]] == ["written"] * 3
    stored = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d["source"] for d in stored["documents"]] == [
        f"{tmp_path / '名册.xlsx'}!党员!A{row}:F{row}" for row in (2, 3, 4)]
    assert "名册.xlsx!党员!A3:F3" in (out / "manifest.csv").read_text(encoding="utf-8-sig")
    again = batch(data, template="commitment", each=each, formats=("docx",), out=out, jobs=1)
    assert [d["status"] for d in again["documents"]] == ["unchanged"] * 3
    rows = member_rows()
    rows[1][3] = "帮扶困难户4户"
    xlsx(tmp_path / "名册.xlsx", {"支部": [BRANCH_HEAD, *branch_rows()], "党员": [MEMBER_HEAD, *rows]})
    changed = batch(data, template="commitment", each=each, formats=("docx",), out=out, jobs=1)
    assert [d["status"] for d in changed["documents"]] == ["written"] * 3


def test_batch_cli_over_the_example_roster(tmp_path):
    for name in ("campaign-roster.yaml", "名册.xlsx", "seal.png"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    result = docgen_cli("batch", "campaign-roster.yaml", "--template", "commitment", "--each", "branches[*].members",
                        "--where", 'branch.name == "乡机关党支部"', "--format", "docx", "-o", "out", "-j", "1",
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("3 written, 0 unchanged, 0 failed")
    documents = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert documents[0]["source"].startswith("名册.xlsx!党员!A") and documents[0]["name"] == "马卫东"
