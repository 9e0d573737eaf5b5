"""`docgen roster merge`: the rosters every branch returned, as one workbook for the office's own records.

A county sends `docgen roster-template` to its branches and gets a file back from each; the campaign
reads them where they are (`branches: {from: 回收/*.xlsx}`), and this writes them out as one 名册.xlsx
in the template's layout — a 支部 sheet and a 党员 sheet, the known columns under their first header,
the branches' own columns after them, and a 来源 column naming the file and row each line came from.
Reading the merged workbook gives the same branches and members (with 来源 in ``extra``).

The files are read by ``roster.read``, so what is refused there is refused here, every fault at once,
and nothing is written while there is one. Writing needs openpyxl (python-calamine only reads).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError, report
from docgen.i18n import _
from docgen.sources import roster
from docgen.sources.base import LoadedData
from docgen.sources.roster import BRANCH_COLUMNS, JOIN_HEADERS, MEMBER_COLUMNS, Column, Roster, _Row
from docgen.sources.roster_template import WIDTHS
from docgen.zh import YearMonth

SOURCE_HEADER = "来源"


def read_sources(sources: Sequence[str]) -> Roster:
    """The roster of a campaign (its `branches: {from: …}`, with its `columns:`), or of roster files, folders
    and patterns given as they are (each file one or more branches with their members)."""
    if len(sources) == 1 and _campaign_file(sources[0]) is not None:
        from docgen import sources as data_sources

        loaded = data_sources.load(_campaign_file(sources[0]))
        spots = loaded.spots
        if not isinstance(spots, roster.SpotMap):
            raise DocgenError(_("its branches are not read from a roster (`branches: {{from: …}}`); nothing to merge"),
                              loaded.file)
        if loaded.problems:
            raise report(loaded.problems)
        return spots.roster
    paths = [Path(source) for source in sources]
    common = Path(os.path.commonpath([str(p.resolve().parent if p.is_file() else p.resolve())
                                      for p in paths if p.exists()] or [str(Path.cwd())]))
    try:
        base = common.relative_to(Path.cwd().resolve())
    except ValueError:
        base = common
    names = [str(_relative(Path(source), common)) for source in sources]
    loaded = LoadedData({"branches": {"from": names}}, str(base / "roster merge"))
    try:
        found = roster.read(loaded.values["branches"], loaded)
    except DocgenError as exc:
        if exc.where and exc.where.file == loaded.file:  # about the arguments, not a file: say it plainly
            raise DocgenError(exc.message.removeprefix("branches.from: ")) from None
        raise
    if found.problems:
        raise report(found.problems)
    return found


def _campaign_file(source: str) -> Path | None:
    path = Path(source)
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        return path
    if path.is_dir():
        for name in ("campaign.yaml", "campaign.yml"):
            if (path / name).is_file():
                return path / name
    return None


def _relative(path: Path, common: Path) -> Path:
    """A source as `from:` takes it, relative to the folder every source is in (a pattern stays a pattern)."""
    if any(mark in str(path) for mark in "*?["):
        try:
            return Path(os.path.relpath(path.absolute(), common))
        except ValueError:
            return path
    return path.resolve().relative_to(common) if path.exists() else path


def workbook_bytes(found: Roster) -> bytes:
    """The merged roster as .xlsx bytes: 支部 and 党员 sheets, each row with its 来源. Written in openpyxl's
    write-only mode, row by row: a county's 36,000 members in seconds, not the default mode's tens."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
    except ImportError:  # pragma: no cover - a dependency of docgen
        raise DocgenError(_("writing a roster workbook needs openpyxl: pip install openpyxl")) from None
    book = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    centered, wrapped = Alignment(horizontal="center", vertical="center"), Alignment(wrap_text=True, vertical="top")
    member_rows = [(row, branch_row.values.get("name")) for branch_row, rows in
                   zip(found.branch_rows, found.member_rows, strict=True) for row in rows]
    for title, columns, rows in (
        ("支部", BRANCH_COLUMNS, [(row, None) for row in found.branch_rows]),
        ("党员", MEMBER_COLUMNS, member_rows),
    ):
        sheet = book.create_sheet(title)
        layout = _layout(columns, [row for row, _branch in rows], joined=title == "党员")
        for col, (_header, kind, _key) in enumerate(layout, 1):
            sheet.column_dimensions[get_column_letter(col)].width = WIDTHS.get(kind, 14)
        sheet.freeze_panes = "A2"
        heads = []
        for header, _kind, _key in layout:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font, cell.fill, cell.alignment = bold, fill, centered
            heads.append(cell)
        sheet.append(heads)
        for row, branch in rows:
            line: list[Any] = []
            for _header, kind, key in layout:
                value = _value(row, key, branch)
                if value is None or value == "":
                    line.append(None)
                    continue
                shown = _cell(value)
                if kind == "digits" or isinstance(value, YearMonth | dt.date) or kind == "list":
                    shown = WriteOnlyCell(sheet, value=shown)
                    if kind == "list":
                        shown.alignment = wrapped
                    else:
                        shown.number_format = "yyyy-mm-dd" if isinstance(value, dt.date) else "@"
                line.append(shown)
            sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _layout(columns: tuple[Column, ...], rows: list[_Row], joined: bool) -> list[tuple[str, str, Any]]:
    """(header, kind, key) per column: the known fields any row has, in the template's order, then (for the
    党员 sheet) the branch, then the rows' own columns as they were headed, then 来源."""
    present: dict[str, None] = {}
    extra: dict[str, None] = {}
    for row in rows:
        present.update(dict.fromkeys(k for k in row.values if k != "extra"))
        extra.update(dict.fromkeys(row.values.get("extra") or {}))
    layout: list[tuple[str, str, Any]] = []
    for column in columns:
        if column.field in present:
            layout.append((column.headers[0], column.kind, column.field))
        elif column.field in extra:
            layout.append((column.headers[0], column.kind, ("extra", column.field)))
        if joined and column.field == "name":
            layout.append((JOIN_HEADERS[0], "name", ("branch",)))
    known = {column.field for column in columns}
    layout += [(key, "text", key) for key in present if key not in known and key != "members"]
    layout += [(key, "text", ("extra", key)) for key in extra if key not in known and key != SOURCE_HEADER]
    layout.append((SOURCE_HEADER, "text", ("source",)))
    return layout


def _value(row: _Row, key: Any, branch: str | None) -> Any:
    if key == ("branch",):
        return branch
    if key == ("source",):
        return str(row.sheet.spot(row.row))
    if isinstance(key, tuple):
        return (row.values.get("extra") or {}).get(key[1])
    return row.values.get(key)


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "；".join(str(item) for item in value)
    if isinstance(value, YearMonth):
        return f"{value.year}.{value.month:02d}"
    return value
