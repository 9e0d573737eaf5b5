"""A campaign's roster workbook as the page's tables, and the page's edits written back into it.

When the campaign file says ``branches: {from: 名册.xlsx}``, the page shows the 支部 and 党员 sheets as
tables with the sheet's own headers and the rows docgen reads (``sources.roster.read`` finds them: the
header row, title rows and section rows left out), each row with its number in the sheet.

Saving writes only the cells the page changed, through openpyxl (a dependency already; python-calamine
only reads): every other cell, the styles, column widths, merged cells, drop-down lists, other sheets
(the 说明 sheet) and hidden sheets stay as they were. A new row takes the style of the row above it; a
deleted row is removed with the rows below moving up. The file is replaced atomically, the old one kept
as ``名册.xlsx.bak``, and only if it is still the file the page read (its hash), as the campaign file is.

openpyxl cannot write .xls, .ods or .csv, and it drops pictures and charts from a workbook it saves, so
for those the page offers the edited roster as a download (an .xlsx of the two sheets' values, or the
workbook with its pictures gone) and says why.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.files import output
from docgen.i18n import _
from docgen.sources.spreadsheet import cell_name, column_name

IN_PLACE = (".xlsx", ".xlsm")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class Conflict(Exception):
    """The workbook changed on disk since the page read it."""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shown(value: Any) -> str:
    """A cell as the table shows it: 2011-06-30 for a date, 46 for 46.0, text as written."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def tables(campaign: Path, text: str | None) -> dict[str, Any] | None:
    """The roster's sheets as tables, or None when the campaign's branches are in the YAML."""
    from docgen.sources import roster as roster_source
    from docgen.sources import yaml as yaml_source

    loaded = yaml_source.load(campaign, text)
    if not roster_source.wants_roster(loaded.values):
        return None
    read = roster_source.read(loaded.values["branches"], loaded)
    sheets = []
    files: set[str] = set()
    member_rows = sorted((m for rows in read.member_rows for m in rows), key=lambda m: m.row)
    for role, rows in (("branch", read.branch_rows), ("member", member_rows)):
        if not rows:
            continue
        sheet = rows[0].sheet
        table = sheet.table
        columns = [c for c in range(table.left, table.right)
                   if shown(table.value(sheet.header_row, c)).strip() or c in sheet.bindings]
        headers = [shown(table.value(sheet.header_row, c)).strip() or column_name(c) for c in columns]
        files.add(Path(table.file).name)
        sheets.append({
            "role": role, "sheet": table.sheet, "file": Path(table.file).name,
            "header_row": sheet.header_row + 1, "columns": [column_name(c) for c in columns], "headers": headers,
            "fields": [sheet.bindings[c].field if c in sheet.bindings else None for c in columns],
            "rows": [{"row": r.row + 1, "cells": [shown(table.value(r.row, c)) for c in columns]} for r in rows],
        })
    source = _workbook_path(campaign, loaded.values["branches"])
    writable, why = can_write(source)
    if writable and files - {source.name}:
        writable, why = False, _("the members are in another file ({name}); the edited roster is offered as a "
                                 "download").format(name="、".join(sorted(files - {source.name})))
    return {"file": source.name, "hash": digest(source), "writable": writable, "why": why, "sheets": sheets}


def _workbook_path(campaign: Path, config: dict[str, Any]) -> Path:
    return (campaign.resolve().parent / str(config["from"]).strip()).resolve()


def can_write(path: Path) -> tuple[bool, str]:
    """Can the workbook be written in place (and if not, why the page offers a download)?"""
    if path.suffix.lower() not in IN_PLACE:
        return False, _("docgen can write only .xlsx workbooks; {name} is offered as a download (an .xlsx of "
                        "its two sheets) to open and save over the original").format(name=path.name)
    try:
        with zipfile.ZipFile(path) as book:
            names = book.namelist()
    except (OSError, zipfile.BadZipFile):
        return False, _("{name} cannot be opened as a workbook").format(name=path.name)
    if any(n.startswith(("xl/drawings/", "xl/charts/", "xl/media/")) for n in names):
        return False, _("{name} holds pictures or charts, which saving here would drop; the edited workbook is "
                        "offered as a download instead").format(name=path.name)
    return True, ""


def write(campaign: Path, text: str | None, edits: list[dict[str, Any]], base: str, *,
          download: bool = False) -> tuple[bytes, str, bool]:
    """Apply the page's edits (per sheet: changed cells, new rows, deleted rows); write the workbook in
    place (keeping a .bak) or return its bytes for a download. Returns (bytes, file name, written?)."""
    from docgen.sources import yaml as yaml_source

    loaded = yaml_source.load(campaign, text)
    source = _workbook_path(campaign, loaded.values["branches"])
    raw = source.read_bytes()
    if hashlib.sha256(raw).hexdigest() != base:
        raise Conflict(_("{name} was changed on disk since the page read it; load it again, then redo your "
                         "edit").format(name=source.name))
    writable = tables(campaign, text)["writable"] if can_write(source)[0] else False
    if writable:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(raw), keep_vba=source.suffix.lower() == ".xlsm")
        for edit in edits:
            _apply(book, edit)
        buffer = io.BytesIO()
        book.save(buffer)
        data, name = buffer.getvalue(), source.name
    else:
        data, name = _values_copy(campaign, text, edits), f"{source.stem}.xlsx"
    if download or not writable:
        return data, name, False
    output.write_atomic(source.with_name(source.name + ".bak"), raw)
    output.write_atomic(source, data)
    return data, name, True


def _apply(book: Any, edit: dict[str, Any]) -> None:
    sheet_name = edit.get("sheet")
    if sheet_name not in book.sheetnames:
        raise DocgenError(_("the workbook has no sheet {sheet}").format(sheet=sheet_name))
    sheet = book[sheet_name]
    for change in edit.get("cells", []):
        cell = sheet[_cell(change.get("cell"))]
        cell.value = _typed(change.get("value"), cell.value, cell.is_date)
    added = edit.get("added") or []
    if added:
        last = max(int(edit.get("last_row") or sheet.max_row), 1)
        for offset, row in enumerate(added, 1):
            target = last + offset
            for letter, value in row.items():
                cell = sheet[_cell(f"{letter}{target}")]
                model = sheet[f"{letter}{last}"]
                if model.has_style:
                    cell._style = copy.copy(model._style)
                cell.value = _typed(value, model.value, model.is_date)
            if sheet.row_dimensions[last].height:
                sheet.row_dimensions[target].height = sheet.row_dimensions[last].height
    for number in sorted({int(n) for n in edit.get("deleted") or []}, reverse=True):
        sheet.delete_rows(number)


def _cell(name: Any) -> str:
    if not isinstance(name, str) or not re.fullmatch(r"[A-Z]{1,3}[1-9]\d{0,6}", name):
        raise DocgenError(_("not a cell name: {name}").format(name=name))
    return name


def _typed(value: Any, old: Any, was_date: bool) -> Any:
    """The page's text as the cell held its old value: a number stays a number, a date a date."""
    if value is None or value == "":
        return None
    text = str(value)
    if (was_date or isinstance(old, dt.date)) and (match := _DATE.fullmatch(text.strip())):
        try:
            return dt.datetime(*(int(part) for part in match.groups()))
        except ValueError:
            return text
    if isinstance(old, int | float) and not isinstance(old, bool) and _NUMBER.fullmatch(text.strip()):
        number = float(text)
        return int(number) if number.is_integer() else number
    return text


def _values_copy(campaign: Path, text: str | None, edits: list[dict[str, Any]]) -> bytes:
    """An .xlsx of the roster's sheets as values, edited: for a workbook docgen cannot write in place."""
    import openpyxl

    from docgen.sources import roster as roster_source
    from docgen.sources import yaml as yaml_source

    loaded = yaml_source.load(campaign, text)
    read = roster_source.read(loaded.values["branches"], loaded)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for role, rows in (("branch", read.branch_rows), ("member", [m for ms in read.member_rows for m in ms])):
        if not rows:
            continue
        table = rows[0].sheet.table
        out = book.create_sheet(str(table.sheet or Path(table.file).stem))
        for r, values in enumerate(table.rows):
            for c, value in enumerate(values):
                if value not in ("", None):
                    out[cell_name(table.top + r, table.left + c)] = value
        for edit in edits:
            if edit.get("role") == role:
                _apply(book, {**edit, "sheet": out.title})
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
