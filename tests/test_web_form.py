"""`docgen serve`'s form and roster tables: a clerk makes a campaign without typing YAML.

The browser tests drive Debian's Chromium with Playwright against `docgen serve` started by the CLI,
as tests/test_web.py does (its helpers are reused). The round-trip tests call ``web.yamledit`` on a
file with comments and check that every byte outside the edited value stays. The roster test writes
a changed cell back into a workbook and compares every other cell, style and sheet with openpyxl.
Set DOCGEN_WEB_SCREENSHOTS=docs to write the screenshots docs/serve.md and docs/zh/使用指南.md show.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE

pytest.importorskip("starlette", reason="the web extra is installed by `make setup-test`")
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from .test_web import CHROMIUM, CHROMIUM_FLAGS, api, request, start_server, stop_server  # noqa: E402

SHOTS = os.environ.get("DOCGEN_WEB_SCREENSHOTS")  # a folder: the docs' screenshots are written there
VIEWPORT = {"width": 1440, "height": 860}


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).is_file(), "Chromium is installed by `make setup-test` (scripts/install-system.sh test)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Page:
    """A tab on a running `docgen serve`; a JavaScript error, dialog or request off the server fails the test."""

    def __init__(self, browser, url: str, locale: str = "zh-CN") -> None:
        self.context = browser.new_context(viewport=VIEWPORT, locale=locale, accept_downloads=True)
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
        self.tab = self.context.new_page()
        self.url = url
        self.problems: list[str] = []
        self.tab.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.tab.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.tab.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.tab.on("request", lambda r: r.url.startswith((url, "data:", "blob:")) or self.problems.append(
            f"request off the server: {r.url}"))

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


def shot(tab, name: str) -> None:
    """A screenshot for the docs, in 96 colours (a third of the bytes; the page has few colours)."""
    if SHOTS:
        from PIL import Image

        path = Path(SHOTS) / name
        tab.screenshot(path=str(path))
        image = Image.open(path).convert("RGB")
        image.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def text_of(tab) -> str:
    return tab.input_value("#editor")  # read, never typed into: the campaign is made in the form


def form_ready(tab) -> None:
    expect(tab.locator(".form-section[data-section='meeting']")).to_be_visible(timeout=60_000)
    expect(tab.locator("#form-status")).to_be_hidden()


def items(tab, path: str) -> int:
    return tab.evaluate("p => [...document.querySelectorAll('[data-schemapath]')].filter(e => "
                        "new RegExp('^' + p.replace(/\\./g, '\\\\.') + '\\\\.\\\\d+$').test(e.dataset.schemapath))"
                        ".length", path)


def field(tab, path: str):
    return tab.locator(f"[data-schemapath='{path}']").locator("input, textarea, select").first


def rows_in(tab, table: str) -> int:
    """The rows of a Tabulator table (it draws only those in view)."""
    return tab.evaluate("table => Tabulator.findTable(table)[0].getDataCount()", table)


def edit_cell(tab, table: str, row: int, column: str, value: str) -> None:
    """Type into a Tabulator cell as a person does: click it, type, leave it."""
    tab.evaluate("([t, r]) => Tabulator.findTable(t)[0].getRows()[r].scrollTo()", [table, row])
    cell = tab.evaluate_handle("([t, r, c]) => Tabulator.findTable(t)[0].getRows()[r].getCell(c).getElement()",
                               [table, row, column]).as_element()
    cell.click()
    editor = tab.locator(f"{table} .tabulator-cell.tabulator-editing").locator("input, textarea")
    expect(editor).to_be_visible()
    if editor.get_attribute("type") == "date":
        editor.fill(value)  # a date picker: the date, as a person picks it
    else:
        editor.fill("")
        editor.press_sequentially(value)  # key by key: a list editor filters its choices as one types
    editor.press("Enter" if column != "commitments" else "Tab")


# ---- "Done when": a campaign from an empty folder, through the form only ---------------------------------


def test_a_campaign_from_an_empty_folder_through_the_form_only(browser, tmp_path):
    folder = tmp_path / "青石镇"
    folder.mkdir()
    process, url, _ = start_server(folder)
    page = Page(browser, url)
    tab = page.tab
    try:
        tab.goto(url + "/")
        dialog = tab.locator("#new-dialog")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("发文机关全称")  # the labels come from the schema
        dialog.locator("input[name=organization]").fill("中共青石镇委员会")
        dialog.locator("input[name=campaign]").fill("深入贯彻中央八项规定精神学习教育")
        dialog.locator("input[name=start]").fill("2025-03-25")
        dialog.locator("input[name=end]").fill("2025-07-31")
        shot(tab, "serve-new.png")
        dialog.locator("#new-create").click()
        expect(tab).to_have_url(re.compile(r"\?file=campaign\.yaml$"))
        form_ready(tab)
        path = folder / "campaign.yaml"
        assert "name: 中共青石镇委员会" in path.read_text(encoding="utf-8")

        # a comment added by hand, outside the page; the page is reloaded and must keep it
        lines = path.read_text(encoding="utf-8").split("\n")
        at = lines.index("meeting:")
        lines[at:at] = ["# 会议安排：以镇党委办公室最后通知为准（手工添加的注释）"]
        path.write_text("\n".join(lines), encoding="utf-8")
        tab.reload()
        form_ready(tab)
        assert text_of(tab).count("手工添加的注释") == 1
        tab.click("li.doc[data-doc='template:notice'] > a")  # the first branch's notice beside the form
        tab.click("li.doc[data-doc='template:notice'] ol.records a[data-record='1']")
        expect(tab.locator("#pages .page-text").first).to_contain_text("中共青石镇委员会", timeout=60_000)

        # two phases, through the form's own "add" button
        before = items(tab, "campaign.phases")
        for number, (name, start, end, focus) in enumerate([
                ("巩固深化阶段", "2025-08-01", "2025-09-30", "把学习教育成果转化为推动发展的实际成效"),
                ("总结提升阶段", "2025-10-01", "2025-10-31", "")]):
            tab.get_by_role("button", name="添加阶段安排", exact=True).click()
            index = before + number
            expect(field(tab, f"campaign.phases.{index}.name")).to_be_visible()
            field(tab, f"campaign.phases.{index}.name").fill(name)
            field(tab, f"campaign.phases.{index}.start").fill(start)
            field(tab, f"campaign.phases.{index}.end").fill(end)
            if focus:
                field(tab, f"campaign.phases.{index}.focus").fill(focus)
        # the second has no 本阶段的重点 yet: docgen validate's error, in Chinese, at that very field
        last = before + 1
        note = tab.locator(f"[data-schemapath='campaign.phases.{last}.focus'] .field-error-note")
        expect(note).to_have_text(re.compile(rf"^campaign\.phases\[{last}\]\.focus（本阶段的重点）：缺少必填字段"))
        expect(tab.locator("#view-form .badge")).to_be_visible()
        tab.locator(f"[data-schemapath='campaign.phases.{last}.focus']").scroll_into_view_if_needed()
        shot(tab, "serve-form.png")
        field(tab, f"campaign.phases.{last}.focus").fill("总结经验，建立健全长效机制")
        expect(note).to_have_count(0)
        expect(tab.locator("#view-form .badge")).to_be_hidden()
        expect(tab.locator("#problems li.error")).to_have_count(0)

        # three branches and two members in the roster's tables
        tab.click("#view-roster")
        start = rows_in(tab, "#branch-table")
        for number, (name, category, secretary, count) in enumerate([
                ("青石社区党支部", "社区", "周桂兰", "38"), ("镇机关党支部", "机关", "孙立平", "26"),
                ("青石镇卫生院党支部", "机关", "吴建军", "17")]):
            tab.click("#add-branch")
            tab.wait_for_function("([t, n]) => Tabulator.findTable(t)[0].getDataCount() === n",
                                  arg=["#branch-table", start + number + 1])
            for column, value in (("name", name), ("category", category), ("secretary", secretary),
                                  ("member_count", count)):
                edit_cell(tab, "#branch-table", start + number, column, value)
        first = rows_in(tab, "#member-table")
        for number, values in enumerate([
                {"name": "周桂兰", "_branch": "青石社区党支部", "post": "支部书记",
                 "commitments": "带头走访困难群众", "deadline": "2025-07-31", "supervisor": "孙立平"},
                {"name": "陈晓东", "_branch": "青石社区党支部", "post": "党员",
                 "commitments": "带头参与社区志愿服务", "deadline": "2025-07-31", "supervisor": "周桂兰"}]):
            tab.click("#add-member")
            tab.wait_for_function("([t, n]) => Tabulator.findTable(t)[0].getDataCount() === n",
                                  arg=["#member-table", first + number + 1])
            for column, value in values.items():
                edit_cell(tab, "#member-table", first + number, column, value)
        expect(tab.locator("#editor")).to_have_value(re.compile(r"name: 陈晓东"), timeout=30_000)
        expect(tab.locator("#problems li.error")).to_have_count(0, timeout=30_000)
        tab.evaluate("() => document.querySelectorAll('.tabulator-tableholder').forEach(e => { e.scrollLeft = 0; })")
        shot(tab, "serve-roster.png")

        # the notice of a new branch, and the 实施方案, previewed from the page
        tab.click("li.doc[data-doc='template:notice'] > a")
        tab.locator("li.doc[data-doc='template:notice'] ol.records a", has_text="青石社区党支部").click()
        expect(tab.locator("#pages .page-text").first).to_contain_text("青石社区党支部：", timeout=60_000)
        tab.click("li.doc[data-doc='template:opinion'] > a")
        expect(tab.locator("#pages .page-text").first).to_contain_text("实施方案", timeout=60_000)
        expect(tab.locator("#pages .page-text").first).to_contain_text("中共青石镇委员会")

        tab.keyboard.press("Control+s")
        expect(tab.locator("#save-state")).to_contain_text("campaign.yaml.bak", timeout=30_000)
    finally:
        page.close()
        err = stop_server(process)
    assert "Traceback" not in err, err
    saved = path.read_text(encoding="utf-8")
    assert "# 会议安排：以镇党委办公室最后通知为准（手工添加的注释）\nmeeting:" in saved
    for value in ("总结提升阶段", "总结经验，建立健全长效机制", "镇机关党支部", "青石镇卫生院党支部", "陈晓东"):
        assert value in saved, value

    branches = {b["name"]: b for b in fastyaml.load(saved)["branches"]}
    assert [m["name"] for m in branches["青石社区党支部"]["members"]] == ["周桂兰", "陈晓东"]
    assert branches["镇机关党支部"]["member_count"] == 26 and branches["青石镇卫生院党支部"]["category"] == "机关"
    result = docgen_cli("validate", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr


# ---- the roster table: ten rows pasted from Excel -----------------------------------------------------

PASTED = [  # as Excel and WPS copy a range: tabs between cells, a cell with a line break in quotes
    ("姓名", "所属支部", "职务", "承诺事项", "承诺完成时限", "监督人"),
    *[(f"王{name}", "春风村党支部" if n < 6 else "瓦店村党支部", "党员",
       '"带头学习政策\n带头调解纠纷"' if n == 0 else f"带头帮扶困难户{n + 1}户", "2011-06-30", "马卫东")
      for n, name in enumerate("一二三四五六七八九十")],
]


def test_pasting_ten_rows_copied_from_excel_into_the_roster_table(browser, tmp_path):
    for name in ("campaign.yaml", "seal.png"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    process, url, _ = start_server(tmp_path)
    page = Page(browser, url)
    tab = page.tab
    try:
        tab.goto(url + "/")
        form_ready(tab)
        tab.click("#view-roster")
        members = tab.locator("#member-table .tabulator-row")
        expect(members.first).to_be_visible()
        before = rows_in(tab, "#member-table")
        clipboard = "\r\n".join("\t".join(row) for row in PASTED) + "\r\n"
        tab.evaluate("text => navigator.clipboard.writeText(text)", clipboard)
        members.nth(2).locator(".tabulator-cell[tabulator-field='post']").click()  # a cell: its editor opens
        tab.keyboard.press("Control+v")
        tab.wait_for_function("([table, count]) => Tabulator.findTable(table)[0].getDataCount() === count",
                              arg=["#member-table", before + 10])
        expect(tab.locator("#editor")).to_have_value(re.compile("name: 王十"), timeout=30_000)
        expect(tab.locator("#problems li.error")).to_have_count(0, timeout=30_000)
        # a row naming a branch the table does not have: said at the table, nothing written until it is fixed
        text = text_of(tab)
        tab.evaluate("text => navigator.clipboard.writeText(text)", "赵小满\t无此村党支部\t党员\n")
        tab.locator("#member-table .tabulator-col-title").first.click()
        tab.keyboard.press("Control+v")
        expect(tab.locator("#roster-error")).to_contain_text("“无此村党支部”不是上表中的支部")
        tab.wait_for_timeout(800)
        assert text_of(tab) == text
        tab.evaluate("() => { const t = Tabulator.findTable('#member-table')[0];"
                     " t.getRows().find(r => r.getData().name === '赵小满').delete(); }")
        expect(tab.locator("#roster-error")).to_be_hidden()
        tab.keyboard.press("Control+s")
        expect(tab.locator("#save-state")).to_contain_text("campaign.yaml.bak", timeout=30_000)
    finally:
        page.close()
        err = stop_server(process)
    assert "Traceback" not in err, err

    saved = fastyaml.load((tmp_path / "campaign.yaml").read_text(encoding="utf-8"))
    by_branch = {b["name"]: [m["name"] for m in b.get("members", [])] for b in saved["branches"]}
    assert by_branch["春风村党支部"][-6:] == [f"王{c}" for c in "一二三四五六"]
    assert by_branch["瓦店村党支部"][-4:] == [f"王{c}" for c in "七八九十"]
    first = next(m for m in saved["branches"][0]["members"] if m["name"] == "王一")
    assert first["commitments"] == ["带头学习政策", "带头调解纠纷"] and str(first["deadline"]) == "2011-06-30"
    # everything else of the file is as it was: the new members are lines added, nothing changed
    old = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8").split("\n")
    new = (tmp_path / "campaign.yaml").read_text(encoding="utf-8").split("\n")
    assert opcodes("\n".join(old), "\n".join(new)) == {"insert"}


# ---- the round trip: the form's values into the file, as a careful person edits it ----------------------


def commented() -> str:
    """The 瓦店 campaign with what people write by hand: comments, quotes, blank lines, flow mappings,
    a free-form mapping and a key docgen does not know."""
    text = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8")
    text = text.replace("  place: 乡政府三楼会议室\n", '  place: "乡政府三楼会议室"   # 待办公室确认\n', 1)
    text = text.replace("  date: 2010-06-18\n", "  date: 2010-06-18  # 星期五\n\n", 1)
    text = text.replace("meeting:\n", "# ---- 会议 ----\n\nmeeting:\n", 1)
    text = text.replace("  time: 上午9时\n", "  time: '上午9时'\n", 1)
    return text + UNKNOWN


UNKNOWN = "\n# 下面两项表单不认识，原样保留\nextra:\n  印数: 120  # 份\n  联系人: {name: 刘小红}\nnotes: 手写备注\n"


def edited(text: str, change) -> str:
    from docgen.sources import yaml as source
    from docgen.web import formside

    values = formside.form_values(source.load(Path("campaign.yaml"), text).values)
    new = copy.deepcopy(values)
    change(new)
    from docgen.web import yamledit

    return yamledit.edit(text, {**source.load(Path("campaign.yaml"), text).values, **new}, "campaign.yaml")


def opcodes(old: str, new: str) -> set[str]:
    import difflib

    return {tag for tag, *_ in difflib.SequenceMatcher(None, old.split("\n"), new.split("\n"), autojunk=False)
            .get_opcodes() if tag != "equal"}


def test_a_changed_value_changes_only_its_characters():
    text = commented()
    new = edited(text, lambda v: v["meeting"].update(place="乡文化站二楼", date="2010-06-20"))
    assert new == text.replace('"乡政府三楼会议室"', '"乡文化站二楼"').replace("2010-06-18  # 星期五",
                                                                              "2010-06-20  # 星期五")
    # a text YAML 1.1 would read as another type is quoted; docgen reads back what the form sent
    from docgen.sources import yaml as source

    new = edited(text, lambda v: v["meeting"]["contact"].update(phone="0755", name="no"))
    assert "contact: {name: 'no', phone: '0755'}" in new
    assert source.load(Path("c.yaml"), new).values["meeting"]["contact"] == {"name": "no", "phone": "0755"}
    new = edited(text, lambda v: v["meeting"]["preparations"].append("on"))  # the round trip's way: quoted too
    assert "    - 'on'\n" in new and source.load(Path("c.yaml"), new).values["meeting"]["preparations"][-1] == "on"


def test_a_phase_added_removed_or_moved_changes_only_its_lines():
    text = commented()
    phase = {"name": "巩固提高阶段", "start": "2012-11-01", "end": "2012-12-31", "focus": "巩固活动成果",
             "tasks": [{"title": "建立长效机制", "detail": "把活动中形成的好做法固定下来"}]}
    added = edited(text, lambda v: v["campaign"]["phases"].append(phase))
    assert opcodes(text, added) == {"insert"}
    assert "    - name: 巩固提高阶段\n      start: 2012-11-01\n      end: 2012-12-31\n" \
           "      focus: 巩固活动成果\n" in added
    removed = edited(text, lambda v: v["campaign"]["phases"].pop(1))
    assert opcodes(text, removed) == {"delete"}
    moved = edited(text, lambda v: v["campaign"]["phases"].insert(0, v["campaign"]["phases"].pop(1)))
    assert sorted(moved.split("\n")) == sorted(text.split("\n"))  # the same lines, the phase's block moved
    cleared = edited(text, lambda v: v["meeting"].pop("time"))
    assert cleared == text.replace("  time: '上午9时'\n", "")
    # a key added at the end of its section (the example has pledge_date and publicity: take them out first)
    bare = "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith(("  pledge_date:", "  publicity:")))
    added_key = edited(bare, lambda v: v["campaign"].update(pledge_date="2010-07-01"))
    assert opcodes(bare, added_key) == {"insert"}  # after the keys the schema puts before it
    assert "\n  pledge:\n" in added_key.split("  pledge_date: 2010-07-01\n")[0].rsplit("\ncampaign:", 1)[1]
    assert "根本标准。\n  pledge_date: 2010-07-01\n# ---- 会议 ----\n\nmeeting:\n" in added_key  # its heading stays
    same = edited(text, lambda v: v["organization"].update(committee="", place_short="瓦店"))  # "" = the default
    assert same == text
    dropped = edited(text, lambda v: v["campaign"].pop("leadership"))  # the last of a section: the next one's
    assert "\n# ---- 会议 ----\n\nmeeting:\n" in dropped and "务求取得实效" not in dropped  # heading stays
    emptied = edited(text, lambda v: v["organization"].update(slogan=""))  # an optional field emptied: no line
    assert emptied == text.replace("  slogan: 绿色瓦店、生态之乡\n", "")


def test_what_the_form_does_not_know_stays_and_is_listed():
    from docgen.sources import yaml as source
    from docgen.web import formschema

    text = commented()
    new = edited(text, lambda v: v["campaign"]["principles"].append("坚持实事求是"))
    assert new.endswith(UNKNOWN)
    assert "# ---- 会议 ----\n\nmeeting:\n" in new and "2010-06-18  # 星期五\n\n" in new
    loaded = source.load(Path("campaign.yaml"), text)
    kept = {item["path"]: item["line"] for item in formschema.kept(loaded.values, loaded.lines)}
    lines = text.split("\n")
    assert set(kept) == {"extra", "notes"} and lines[kept["extra"] - 1] == "extra:"


def test_a_file_laid_out_unlike_ruamel_keeps_its_own_lines():
    """A dump of an unedited file can differ from it (here: a plain scalar folded over lines, three-space
    indents); only the lines an edit changes are taken from the dump."""
    text = commented().replace("  theme: ", "  theme:\n    ", 1).replace("  aim: ", "  aim:   ", 1)
    text = text.replace("  milestones:\n    - 建党90周年\n    - 党的十八大\n",
                        "  milestones:\n  - 建党90周年\n  - 党的十八大\n", 1)

    assert fastyaml.load(text)["campaign"]["milestones"] == ["建党90周年", "党的十八大"]
    from docgen.web import yamledit

    assert yamledit._dump(yamledit._yaml(text), yamledit._yaml(text).load(text)) != text  # ruamel's own layout
    new = edited(text, lambda v: v["campaign"]["phases"].append({"name": "巩固阶段", "timing": "活动结束后",
                                                                 "focus": "巩固成果"}))
    assert opcodes(text, new) == {"insert"}


# ---- a roster in a workbook: the changed cell written back, the rest as it was ------------------------


def workbook_state(path: Path) -> dict:
    """Every cell's value and style, the sheets, widths, heights, merges and drop-down lists of a workbook."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    state = {"sheets": [(s.title, s.sheet_state) for s in book.worksheets]}
    for sheet in book.worksheets:
        state[sheet.title] = {
            "cells": {c.coordinate: (c.value, c.number_format, *map(repr, (c.font, c.fill, c.border, c.alignment,
                                                                             c.protection)))
                      for row in sheet.iter_rows() for c in row},  # repr: openpyxl's style proxies have no ==
            "widths": {k: d.width for k, d in sheet.column_dimensions.items()},
            "heights": {k: d.height for k, d in sheet.row_dimensions.items()},
            "merged": sorted(map(str, sheet.merged_cells.ranges)),
            "validations": [(v.type, v.formula1, str(v.sqref)) for v in sheet.data_validations.dataValidation],
            "freeze": sheet.freeze_panes,
        }
    return state


def test_a_workbook_roster_is_edited_in_its_table_and_only_the_changed_cell_written_back(browser, tmp_path):
    for name in ("campaign-roster.yaml", "seal.png", "名册.xlsx"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    book = tmp_path / "名册.xlsx"
    original = book.read_bytes()
    before = workbook_state(book)
    process, url, _ = start_server(tmp_path)  # a folder with no campaign.yaml: the page opens the file named
    page = Page(browser, url)
    tab = page.tab
    try:
        tab.goto(url + "/?file=campaign-roster.yaml&doc=template:notice&record=1")
        form_ready(tab)
        tab.click("#view-roster")
        expect(tab.locator("#roster-source")).to_contain_text("名册.xlsx")
        expect(tab.locator("#roster-source")).to_contain_text("名册.xlsx.bak")  # the choice, said on the page
        headers = tab.locator("#branch-table .tabulator-col-title")
        expect(headers.filter(has_text="书记")).to_have_count(1)  # the sheet's own column names
        secretary = tab.evaluate("() => Tabulator.findTable('#branch-table')[0].getColumns()"
                                 ".find(c => c.getDefinition().title === '书记').getField()")
        edit_cell(tab, "#branch-table", 0, secretary, "李春光")
        expect(tab.locator("#workbook-save")).to_be_enabled()
        tab.click("#workbook-save")
        expect(tab.locator("#workbook-state")).to_contain_text("名册.xlsx.bak", timeout=30_000)
        expect(tab.locator("#pages .page-text").first).to_contain_text("春风村党支部", timeout=60_000)
        status, reply = api(url, "/api/form", {"file": "campaign-roster.yaml"})
        cells = reply["workbook"]["sheets"][0]["rows"][0]["cells"]
        assert "李春光" in cells
        # the 公开承诺书 of every branch, from the workbook as written, as a zip
        tab.click("li.doc[data-doc='template:commitment'] > a")
        expect(tab.locator("#pages .page-text").first).to_contain_text("书记：李春光", timeout=60_000)
        tab.click("#batch")
        expect(tab.locator("#batch-links a", has_text="zip")).to_be_visible(timeout=180_000)
        expect(tab.locator("#batch-text")).to_contain_text("14")
        shot(tab, "serve-workbook.png")
        # the download instead of writing: the file stays as it is
        written = book.read_bytes()
        status, data = request(url, "POST", "/api/roster/save", json.dumps({
            "file": "campaign-roster.yaml", "base": reply["workbook"]["hash"], "download": True,
            "edits": [{"sheet": "支部", "cells": [{"cell": f"{secretary}2", "value": "李春明"}]}]}).encode(),
            {"Content-Type": "application/json"})
        assert status == 200 and data.startswith(b"PK") and book.read_bytes() == written
        import openpyxl

        assert openpyxl.load_workbook(io.BytesIO(data))["支部"][f"{secretary}2"].value == "李春明"
        # someone changed the workbook meanwhile: refused, nothing written
        status, reply = api(url, "/api/roster/save", {"file": "campaign-roster.yaml", "base": "0" * 64,
                                                      "edits": []})
        assert status == 409 and reply["conflict"] and book.read_bytes() == written
    finally:
        page.close()
        err = stop_server(process)
    assert "Traceback" not in err, err
    assert (tmp_path / "名册.xlsx.bak").read_bytes() == original
    after = workbook_state(book)
    changed = {(sheet, cell) for sheet in before if sheet != "sheets"
               for cell in set(before[sheet]["cells"]) | set(after[sheet]["cells"])
               if before[sheet]["cells"].get(cell) != after[sheet]["cells"].get(cell)}
    assert changed == {("支部", f"{secretary}2")}
    assert after["支部"]["cells"][f"{secretary}2"][0] == "李春光"
    assert after["sheets"] == before["sheets"] and after["说明"] == before["说明"]
    for sheet in ("支部", "党员"):
        assert {k: v for k, v in after[sheet].items() if k != "cells"} == \
               {k: v for k, v in before[sheet].items() if k != "cells"}
    result = docgen_cli("validate", str(tmp_path / "campaign-roster.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr


# ---- the form and the text are two views of one file ----------------------------------------------------


def test_the_form_and_the_text_show_the_same_data(browser, tmp_path):
    for name in ("campaign.yaml", "seal.png"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    process, url, _ = start_server(tmp_path)
    page = Page(browser, url, locale="en-US")
    tab = page.tab
    try:
        tab.goto(url + "/?doc=template:notice&record=3")
        form_ready(tab)
        expect(tab.locator("[data-schemapath='meeting.place'] label")).to_have_text("Place")  # the page's language
        field(tab, "meeting.place").fill("乡文化站二楼")
        expect(tab.locator("#pages .page-text").first).to_contain_text("会议地点：乡文化站二楼", timeout=60_000)
        tab.click("#view-text")
        expect(tab.locator("#editor")).to_have_value(re.compile(r"\n  place: 乡文化站二楼\n"))
        text = text_of(tab).replace("  date: 2010-06-18\n", "  date: 2010-06-25\n  plase: 会议室\n", 1)
        tab.fill("#editor", text)
        tab.click("#view-form")
        expect(field(tab, "meeting.date")).to_have_value("2010-06-25")
        expect(field(tab, "meeting.place")).to_have_value("乡文化站二楼")
        kept = tab.locator("#form-kept")
        expect(kept).to_contain_text("meeting.plase")  # a key the form does not know: listed, kept
        kept.locator("li", has_text="meeting.plase").click()  # … and shown at its line in the text
        expect(tab.locator("#text-pane")).to_be_visible()
        tab.click("#view-form")
        field(tab, "meeting.time").fill("上午8时30分")
        expect(tab.locator("#editor")).to_have_value(re.compile(r"\n  time: 上午8时30分\n"))
        assert "  plase: 会议室\n" in text_of(tab)
        tab.keyboard.press("Control+s")
        expect(tab.locator("#save-state")).to_contain_text("campaign.yaml.bak", timeout=30_000)
    finally:
        page.close()
        err = stop_server(process)
    assert "Traceback" not in err, err
    assert (tmp_path / "campaign.yaml").read_text(encoding="utf-8") == text.replace(
        "  time: 上午9时\n", "  time: 上午8时30分\n")


def test_the_scripts_messages_reach_the_page_in_chinese():
    """A message the script writes over two lines ("…" + "…") is one message in the catalog; the page
    found none of them in Chinese (the conflict banner of app.js stayed English)."""
    from docgen.web.app import _script_messages

    zh = _script_messages()["zh"]
    assert any(key.startswith("{file} was changed on disk by another program or person.") for key in zh)
    assert zh["Branch"] == "所属支部"  # form.js


def test_the_browser_libraries_are_in_the_package_with_their_licences():
    static = Path(__file__).resolve().parents[1] / "src" / "docgen" / "web" / "static"
    versions = (static / "vendor" / "VERSIONS").read_text(encoding="utf-8").split("\n")
    assert versions[0].startswith("@json-editor/json-editor 2.17.2 sha512-")
    assert versions[1].startswith("tabulator-tables 6.5.3 sha512-")
    for name in ("json-editor/LICENSE", "json-editor/jsoneditor.min.js", "json-editor/jsoneditor.css",
                 "tabulator/LICENSE", "tabulator/tabulator.min.js", "tabulator/tabulator.min.css"):
        assert (static / "vendor" / name).stat().st_size > 500, name
    assert "MIT" in (static / "vendor" / "tabulator" / "LICENSE").read_text(encoding="utf-8") + \
        (static / "vendor" / "json-editor" / "LICENSE").read_text(encoding="utf-8")
    page = (static.parent / "templates" / "index.html").read_text(encoding="utf-8") + \
        (static / "form.js").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page  # no CDN: every file from the server


def test_a_csv_roster_is_offered_as_an_edited_workbook_to_download(tmp_path):
    """openpyxl writes .xlsx only: a CSV roster is never rewritten; its edit comes back as an .xlsx."""
    import csv

    import openpyxl

    from docgen.web import rosterbook

    book = openpyxl.load_workbook(EXAMPLE / "名册.xlsx")
    for sheet, name in (("支部", "支部.csv"), ("党员", "党员.csv")):
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for row in book[sheet].iter_rows(values_only=True):
                writer.writerow(["" if v is None else getattr(v, "date", lambda v=v: v)() for v in row])
    text = (EXAMPLE / "campaign-roster.yaml").read_text(encoding="utf-8").replace(
        "  from: 名册.xlsx\n  sheet: 支部\n  members: {sheet: 党员, join: 所属支部}\n",
        "  from: 支部.csv\n  members: {from: 党员.csv, join: 所属支部}\n")
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(text, encoding="utf-8")
    (tmp_path / "seal.png").write_bytes((EXAMPLE / "seal.png").read_bytes())
    tables = rosterbook.tables(campaign, None)
    assert not tables["writable"] and ".xlsx" in tables["why"]
    branches = next(s for s in tables["sheets"] if s["role"] == "branch")
    assert branches["headers"][:3] == ["支部名称", "类别", "书记"] and branches["rows"][0]["row"] == 2
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    edits = [{"role": "branch", "sheet": None, "cells": [{"cell": "C2", "value": "李春光"}],
              "added": [{"A": "新村党支部", "B": "农村"}], "last_row": 15},
             {"role": "member", "sheet": None, "cells": [{"cell": "A3", "value": "张国强"}]}]
    data, name, written = rosterbook.write(campaign, None, edits, tables["hash"])
    assert not written and name == "支部.xlsx"
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing written
    branches, members = openpyxl.load_workbook(io.BytesIO(data)).worksheets
    assert branches["C2"].value == "李春光" and branches["C3"].value == "赵德华"
    assert branches["A16"].value == "新村党支部" and branches["A3"].value == "瓦店村党支部"  # not the members edit
    assert members["A3"].value == "张国强" and members["A2"].value == "李春明" and members["C2"].value != "李春光"
