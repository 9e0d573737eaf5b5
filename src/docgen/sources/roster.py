"""Rosters: a campaign's branches (支部) and members (党员) read from a spreadsheet.

The campaign file names the roster instead of listing the branches::

    branches:
      from: 名册.xlsx          # beside the campaign file (.xlsx .xlsm .xls .xlsb .ods .csv .tsv), or a
                              # folder, a pattern (回收/*.xlsx) or a list: each branch's own return
      sheet: 支部              # default: the visible sheet 支部, else the first whose name has 支部
      header: 3               # default: found (the row among the first 30 naming the most columns)
      columns: {村支部: name, 备注: ~}   # header → field, over the defaults below; ~ leaves a column out
      members:                # default: the visible sheet 党员, else the first whose name has 党员
        sheet: 党员            # (or `from: 党员.csv`; `members: false` reads no members)
        join: 所属支部          # the column naming each member's branch (default: 所属支部, 支部名称…)
        columns: {…}

``expand`` replaces that mapping with the list of branch dicts — members attached to their branch
by the join column — so validation and templates see the same ``branches`` / ``branch.members`` as
from YAML. Every value keeps its cell (``名册.xlsx!党员!C17``) for messages, and the roster's file
is added to ``files`` so a batch re-renders when the roster changes. Columns the schema has no
field for (入党时间, 性别, a header docgen does not know) go to each row's ``extra`` dict when the
schema's models have an ``extra`` field, else they are left out with a note. 入党时间 and 出生年月
written without a day (2014.06, 2014年6月, 2014-6) are ``zh.YearMonth`` values, not dates.

A bad cell does not stop the reading: its fault is kept (``Roster.problems``, then
``LoadedData.problems``) and ``schema.validate`` reports every one with its own, in one run. Of a
folder of returned files, each is opened, read and closed in turn, its members joined to its own
branches; a file that cannot be read is a fault too, and a branch or member in two files is told.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import typing
import unicodedata
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError, SourceSpot
from docgen.i18n import _
from docgen.sources.base import LoadedData, Path_
from docgen.sources.spreadsheet import SUFFIXES, Book, SheetTable, cell_name, column_name, nonempty, open_book
from docgen.zh import YearMonth

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Column:
    """A column docgen knows: the field it fills, how its cells are read, the headers that name it."""

    field: str
    kind: str  # text, name, list, date, month (a date, or a year and month), int, digits
    headers: tuple[str, ...]  # the first is what `docgen roster-template` writes
    note: str = ""  # for the 说明 sheet
    example: str = ""


BRANCH_COLUMNS = (
    Column("name", "name", ("支部名称", "支部", "党支部", "党组织名称", "支部全称"),
           "支部全称；党员表的“所属支部”须与此一致", "春风村党支部"),
    Column("category", "text", ("类别", "支部类别", "类型"),
           "农村、社区、机关、学校、卫生…，须是活动数据 campaign.categories 中的类别", "农村"),
    Column("secretary", "name", ("书记", "支部书记", "党支部书记"), "支部书记姓名", "李春明"),
    Column("member_count", "int", ("党员人数", "党员数", "人数"), "整数", "46"),
    Column("commitments", "list", ("承诺事项", "支部承诺", "承诺内容", "公开承诺事项"),
           "多项用“；”分隔或在单元格内换行（Alt+Enter）；也可分列写“承诺事项1”“承诺事项2”…",
           "建强村“两委”班子；发展特色产业"),
    Column("measures", "list", ("落实措施", "措施"), "多项用“；”分隔或换行", "支部书记包片、党员联户"),
    Column("deadline", "date", ("完成时限", "承诺完成时限", "时限"),
           "日期：2011-06-30、2011.6.30、2011年6月30日或 Excel 日期", "2011-06-30"),
    Column("phone", "digits", ("联系电话", "电话"), "请把此列设为文本格式", "0838-1234567"),
    Column("note", "text", ("备注",), "", ""),
)

MEMBER_COLUMNS = (
    Column("name", "name", ("姓名", "党员姓名"), "党员姓名", "张国华"),
    Column("post", "text", ("职务", "党内职务", "身份"), "支部书记、支部委员、党员…", "支部委员"),
    Column("commitments", "list", ("承诺事项", "个人承诺", "承诺内容", "公开承诺事项"),
           "多项用“；”分隔或在单元格内换行（Alt+Enter）；也可分列写“承诺事项1”“承诺事项2”…",
           "带头发展特色种养业，帮扶困难户3户；带头参与矛盾纠纷调解"),
    Column("deadline", "date", ("完成时限", "承诺完成时限", "时限"),
           "日期：2011-06-30、2011.6.30、2011年6月30日或 Excel 日期", "2011-06-30"),
    Column("supervisor", "name", ("监督人", "监督责任人"), "监督人姓名", "马卫东"),
    Column("gender", "text", ("性别",), "", "男"),
    Column("ethnicity", "text", ("民族",), "", "汉族"),
    Column("birth_date", "month", ("出生日期", "出生年月"), "日期，或年月：1968.03、1968年3月", "1968-03-12"),
    Column("joined", "month", ("入党时间", "入党日期", "入党年月"), "日期，或年月：1995.07、1995年7月", "1995-07-01"),
    Column("education", "text", ("学历", "文化程度"), "", "高中"),
    Column("phone", "digits", ("联系电话", "电话", "手机", "手机号码", "手机号"),
           "请把此列设为文本格式", "13800000000"),
    Column("id_number", "digits", ("身份证号", "身份证号码", "公民身份号码", "身份证"),
           "须设为文本格式（数字格式的18位号码会被 Excel 改掉后三位）", "510000196803120000"),
    Column("note", "text", ("备注",), "", ""),
)

JOIN_HEADERS = ("所属支部", "所在支部", "所在党支部", "支部名称", "党支部", "支部", "所属党组织")
IGNORED_HEADERS = ("序号", "编号", "NO", "NO.")
JOIN = "\0join"  # the binding of the join column (not a field of the member)

BRANCH_KEYS = ("from", "sheet", "header", "columns", "members")
MEMBER_KEYS = ("from", "sheet", "header", "columns", "join")


class _Bad(ValueError):
    """A cell that cannot be read as its column says; the message leads with the value."""


# ---------------------------------------------------------------------------------------------
# The campaign file's side: the `branches: {from: …}` mapping


def wants_roster(values: Mapping[str, Any]) -> bool:
    branches = values.get("branches")
    return isinstance(branches, dict) and "from" in branches


def expand(loaded: LoadedData) -> LoadedData:
    """Replace ``branches: {from: …}`` with the roster's branches; other data passes through as is."""
    if not wants_roster(loaded.values):
        return loaded
    roster = read(loaded.values["branches"], loaded)
    loaded.values["branches"] = roster.branches
    for file in roster.files:
        if file not in loaded.files:
            loaded.files.append(file)
    loaded.spots = SpotMap(loaded.spots, roster)
    loaded.notes.extend(roster.notes)
    loaded.problems.extend(roster.problems)
    return loaded


@dataclass
class _SheetSpec:
    """What the campaign file says about one sheet, with where it says it; ``book`` once a file is open."""

    source: Any  # what `from:` says (None: the branches' file)
    sheet: str | None
    header: int | None
    columns: dict[str, str | None]
    join: str | None
    where: Path_  # the mapping's path in the campaign file, for its spots
    book: Book | None = None


def _spec(raw: Any, path: Path_, keys: tuple[str, ...], loaded: LoadedData) -> _SheetSpec:
    def spot(*key: str) -> SourceSpot:
        return loaded.spot((*path, *key))

    if not isinstance(raw, dict):
        raise DocgenError(_("{dotted}: write a mapping such as {{sheet: 党员}}").format(dotted=_dotted(path)), spot())
    for key in raw:
        if key not in keys:
            near = difflib.get_close_matches(str(key), keys, n=1)
            hint = _("; did you mean `{near}`?").format(
                near=near[0]) if near else _("; it takes {keys}").format(keys=', '.join(keys))
            raise DocgenError(_("{dotted}: unknown key{hint}").format(
                dotted=_dotted((*path, key)), hint=hint), spot(str(key)))
    if "from" not in raw and path == ("branches",):
        raise DocgenError(_("{dotted}: say which file with `from: 名册.xlsx`").format(dotted=_dotted(path)), spot())
    sheet = raw.get("sheet")
    if sheet is not None and not isinstance(sheet, str | int):
        raise DocgenError(_("{dotted}: a sheet name").format(dotted=_dotted((*path, 'sheet'))), spot("sheet"))
    header = raw.get("header")
    if header is not None and (not isinstance(header, int) or isinstance(header, bool) or header < 1):
        raise DocgenError(_("{dotted}: the header's row number (1 for the first row)").format(
            dotted=_dotted((*path, 'header'))),
                          spot("header"))
    columns = raw.get("columns") or {}
    if not isinstance(columns, dict) or not all(
        isinstance(v, str) or v is None for v in columns.values()
    ):
        raise DocgenError(_("{dotted}: a mapping of header → field, e.g. {{村支部: name}}").format(
            dotted=_dotted((*path, 'columns'))),
                          spot("columns"))
    for header_text, target in columns.items():
        if target and not target.isidentifier():
            raise DocgenError(
                _("{dotted}: '{target}' is not a field name (no spaces or marks)").format(
                    dotted=_dotted((*path, 'columns', header_text)), target=target),
                spot("columns", str(header_text)),
            )
    join = raw.get("join")
    if join is not None and not isinstance(join, str):
        raise DocgenError(_("{dotted}: the header of the column naming the branch").format(
            dotted=_dotted((*path, 'join'))),
                          spot("join"))
    return _SheetSpec(raw.get("from"), None if sheet is None else str(sheet), header,
                      {str(k): v for k, v in columns.items()}, join, path)


def _with_book(spec: _SheetSpec, book: Book, loaded: LoadedData) -> _SheetSpec:
    if book.is_csv and spec.sheet is not None:
        raise DocgenError(_("{dotted}: a {suffix} file has no sheets; leave it out").format(
            dotted=_dotted((*spec.where, 'sheet')), suffix=book.path.suffix),
                          loaded.spot((*spec.where, "sheet")))
    return replace(spec, book=book)


# A folder or a pattern of returned files: how many, and how much in all (each file keeps its own bounds:
# spreadsheet.MAX_BYTES, unpacking.ROSTER, MAX_ROWS). A county has about 1,900 organizations.
MAX_FILES = 10_000
MAX_TOTAL_BYTES = 256 * 2**20
_PATTERN = re.compile(r"[*?\[]")


def _sources(name: Any, spot: SourceSpot, key: str, folder: Path) -> tuple[list[tuple[Path, str]], bool]:
    """The files `from:` names, each with the name messages show: one file; or, for a folder, a glob
    pattern (回收/*.xlsx) or a list of these, every roster file in them, in natural order (2 before 10)
    — then ``many``. The count and the size of them all are bounded here; each file keeps its own bounds."""
    names = name if isinstance(name, list) else [name]
    if not names:
        raise DocgenError(_("{key}: the roster's file name, e.g. 名册.xlsx").format(key=key), spot)
    many = isinstance(name, list)
    files: dict[Path, str] = {}
    for one in names:
        found, several = _source(one, spot, key, folder)
        many = many or several
        for path, shown in found:
            files.setdefault(path, shown)
    if len(files) > MAX_FILES:
        raise DocgenError(_("{key}: {count} files; a roster is read from at most {most}").format(
            key=key, count=len(files), most=MAX_FILES), spot)
    if many:
        total = sum(path.stat().st_size for path in files)
        if total > MAX_TOTAL_BYTES:
            raise DocgenError(_("{key}: the files are {size} MiB in all; a roster is limited to {most} MiB").format(
                key=key, size=total // 2**20, most=MAX_TOTAL_BYTES // 2**20), spot)
    return list(files.items()), many


def _source(name: Any, spot: SourceSpot, key: str, folder: Path) -> tuple[list[tuple[Path, str]], bool]:
    """One name of `from:`: a file, a folder or a pattern."""
    if not isinstance(name, str) or not name.strip():
        raise DocgenError(_("{key}: the roster's file name, e.g. 名册.xlsx").format(key=key), spot)
    text = name.strip()
    base = Path(spot.file).parent if spot.file else folder

    def shown(path: Path) -> str:
        return str(base / path.relative_to(folder))

    def inside(path: Path) -> Path:
        resolved = path.resolve()
        if folder not in resolved.parents and not (resolved == folder and resolved.is_dir()):
            raise DocgenError(_("{key}: '{name}' is outside the data's folder; put the roster beside the campaign "
                                "file").format(key=key, name=name), spot)
        return resolved

    if _PATTERN.search(text):
        if Path(text).is_absolute():
            inside(Path(text))
        try:
            found = [p for p in folder.glob(text) if p.is_file()]
        except (ValueError, NotImplementedError) as exc:
            raise DocgenError(_("{key}: '{name}' is not a file pattern docgen can use ({error})").format(
                key=key, name=name, error=exc), spot) from None
        what = _("matching '{name}'").format(name=text)
    else:
        path = inside(folder / text)
        if not path.is_dir():
            if path.suffix.lower() not in SUFFIXES:
                raise DocgenError(_("{key}: docgen reads rosters from {SUFFIXES} files, not '{name}'").format(
                    key=key, SUFFIXES=', '.join(SUFFIXES), name=name), spot)
            if not path.is_file():
                raise DocgenError(_("{key}: no such file '{name}' beside the campaign file").format(
                    key=key, name=name), spot)
            return [(path, shown(path))], False
        found = [p for p in path.iterdir() if p.is_file()]
        what = _("in the folder '{name}'").format(name=text)
    if len(found) > MAX_FILES:  # before each is resolved and sorted
        raise DocgenError(_("{key}: {count} files; a roster is read from at most {most}").format(
            key=key, count=len(found), most=MAX_FILES), spot)
    # Excel's lock files (~$名册.xlsx) and hidden files are not returned rosters
    files = sorted({inside(p) for p in found
                    if p.suffix.lower() in SUFFIXES and not p.name.startswith(("~", "."))},
                   key=lambda p: _natural(str(p.relative_to(folder))))
    if not files:
        raise DocgenError(_("{key}: no roster files ({SUFFIXES}) {what}").format(
            key=key, SUFFIXES=', '.join(SUFFIXES), what=what), spot)
    return [(path, shown(path)) for path in files], True


def _natural(text: str) -> list[Any]:
    """回收/2.xlsx before 回收/10.xlsx: digits compared as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part]


def _open(name: Any, spot: SourceSpot, key: str, folder: Path, books: dict[Path, Book]) -> Book:
    """The one file a `from:` names (the members' own file)."""
    found, many = _sources(name, spot, key, folder)
    if many:
        raise DocgenError(_("{key}: name one file here; with several files for the branches, each file holds its "
                            "own members").format(key=key), spot)
    (path, shown), = found
    if path not in books:
        books[path] = open_book(path, shown)
    return books[path]


def _dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class _Binding:
    """What one column of a sheet is: a field (maybe an extra one), read as ``kind``."""

    field: str
    kind: str
    header: str  # as written in the sheet, for messages
    extra: bool = False


@dataclass
class _Sheet:
    table: SheetTable
    role: str  # 支部 / 党员, for messages
    header_row: int
    data_row: int
    bindings: dict[int, _Binding]  # column → binding
    by_field: dict[str, list[int]]  # field → its columns, left to right
    where: Path_ = ("branches",)  # its mapping in the campaign file (for the `columns:` a message suggests)
    problems: list[DocgenError] = field(default_factory=list)  # faults of cells, read on past

    def fault(self, message: str, row: int, col: int | None = None) -> None:
        self.problems.append(DocgenError(message, self.spot(row, col)))

    def spot(self, row: int, col: int | None = None) -> SourceSpot:
        if col is None:
            cols = sorted(self.bindings) or [self.table.left]
            cell = f"{cell_name(row, cols[0])}:{cell_name(row, cols[-1])}"
        else:
            cell = cell_name(row, col)
        return SourceSpot(self.table.file, sheet=self.table.sheet, cell=cell)


@dataclass
class _Row:
    sheet: _Sheet
    row: int  # absolute, 0-based
    values: dict[str, Any]
    items: dict[str, list[int]] | None = None  # list field → the column of each item, when several columns

    def spot(self, rest: Path_) -> SourceSpot:
        if not rest:
            return self.sheet.spot(self.row)
        name = rest[0]
        if name == "extra" and len(rest) > 1:
            rest = rest[1:]
            name = rest[0]
        cols = self.sheet.by_field.get(str(name))
        if not cols:
            return self.sheet.spot(self.row)
        col = cols[0]
        if len(rest) > 1 and isinstance(rest[1], int) and self.items and name in self.items:
            positions = self.items[str(name)]
            if 0 <= rest[1] < len(positions):
                col = positions[rest[1]]
        return self.sheet.spot(self.row, col)


@dataclass
class Roster:
    """The roster read: branch dicts (members attached), the rows they came from, files, notes."""

    branches: list[dict[str, Any]]
    branch_rows: list[_Row]
    member_rows: list[list[_Row]]  # per branch
    files: list[str]
    notes: list[str] = field(default_factory=list)
    problems: list[DocgenError] = field(default_factory=list)

    def locate(self, path: Path_) -> SourceSpot | None:
        """The cell of ``("branches", 3, "members", 1, "name")`` and the like; None off the roster."""
        if len(path) < 2 or path[0] != "branches" or not isinstance(path[1], int):
            return None
        index = path[1]
        if not 0 <= index < len(self.branch_rows):
            return None
        rest = path[2:]
        if rest and rest[0] == "members":
            if len(rest) < 2 or not isinstance(rest[1], int):
                return None
            members = self.member_rows[index] if index < len(self.member_rows) else []
            if not 0 <= rest[1] < len(members):
                return None
            return members[rest[1]].spot(rest[2:])
        return self.branch_rows[index].spot(rest)

    def paths(self) -> Iterator[Path_]:
        for i, branch in enumerate(self.branches):
            yield from _value_paths(branch, ("branches", i))


def _value_paths(value: Any, path: Path_) -> Iterator[Path_]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _value_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _value_paths(item, (*path, index))


class SpotMap(MutableMapping):
    """``LoadedData.spots`` for a campaign with a roster: the campaign file's own spots, plus each
    roster value's cell, worked out from its row and column when asked for."""

    def __init__(self, base: MutableMapping[Path_, SourceSpot], roster: Roster) -> None:
        self.base = base
        self.roster = roster

    def __getitem__(self, path: Path_) -> SourceSpot:
        if path in self.base:
            return self.base[path]
        found = self.roster.locate(tuple(path))
        if found is None:
            raise KeyError(path)
        return found

    def __contains__(self, path: object) -> bool:
        return path in self.base or (isinstance(path, tuple) and self.roster.locate(path) is not None)

    def __setitem__(self, path: Path_, spot: SourceSpot) -> None:
        self.base[path] = spot

    def __delitem__(self, path: Path_) -> None:
        del self.base[path]

    def __iter__(self) -> Iterator[Path_]:
        yield from self.base
        yield from (p for p in self.roster.paths() if p not in self.base)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def read(config: dict[str, Any], loaded: LoadedData) -> Roster:
    """Read the roster a ``branches:`` mapping names (see the module's docstring): one workbook, or every
    file of a folder or pattern (one per branch, as branches return `docgen roster-template`), each file's
    members joined to its own branches. A fault in a cell is kept and reading goes on, so every one is told
    in one run; in a folder, so is a file that cannot be read at all."""
    folder = Path(loaded.file).resolve().parent
    spec = _spec(config, ("branches",), BRANCH_KEYS, loaded)
    raw_members = config.get("members", True)
    member_spec = None
    if raw_members is not False and raw_members is not None:
        member_spec = _spec({} if raw_members is True else raw_members, ("branches", "members"), MEMBER_KEYS,
                            loaded)
    files, many = _sources(spec.source, loaded.spot(("branches", "from")), "branches.from", folder)
    if many and member_spec is not None and member_spec.source is not None:
        raise DocgenError(_("branches.members.from: branches.from names several files, and each file holds its own "
                            "members; leave branches.members.from out"), loaded.spot(("branches", "members", "from")))
    models = schema_models()
    reading = _Reading(loaded, folder, models, explicit_members="members" in config)
    try:
        for path, shown in files:
            try:
                book = open_book(path, shown)
                try:
                    reading.book(book, spec, member_spec)
                finally:
                    book.close()
            except DocgenError as exc:
                if not many:
                    raise
                reading.problems.append(exc)  # a returned file that cannot be read: said, the others still read
    finally:
        for book in reading.books.values():
            book.close()
    reading.across_files()
    branches = []
    for index, row in enumerate(reading.branch_rows):
        branch = dict(row.values)
        if reading.has_members[index]:
            branch["members"] = [member.values for member in reading.member_rows[index]]
        branches.append(branch)
    files_read = [shown for _path, shown in files] if many else []
    files_read += [book.file for book in reading.books.values()]
    if not many:
        files_read.insert(0, files[0][1])
    return Roster(branches, reading.branch_rows, reading.member_rows, list(dict.fromkeys(files_read)),
                  reading.notes, reading.problems)


class _Reading:
    """What the files read so far gave: branch rows, each branch's member rows, and the faults found."""

    def __init__(self, loaded: LoadedData, folder: Path, models: tuple[Any, Any], explicit_members: bool) -> None:
        self.loaded = loaded
        self.folder = folder
        self.branch_model, self.member_model = models
        self.explicit_members = explicit_members  # `members:` in the campaign file: its sheet must be there
        self.books: dict[Path, Book] = {}  # members' own files (`members: {from: 党员.csv}`)
        self.branch_rows: list[_Row] = []
        self.member_rows: list[list[_Row]] = []
        self.has_members: list[bool] = []
        self.names: dict[str, _Row] = {}  # every branch by name, across files
        self.notes: list[str] = []
        self.problems: list[DocgenError] = []

    def book(self, book: Book, spec: _SheetSpec, member_spec: _SheetSpec | None) -> None:
        """One file's branches (and its members, from the same file or the one `members: {from:}` names)."""
        loaded = self.loaded
        branch_sheet = _sheet(_with_book(spec, book, loaded), "支部", BRANCH_COLUMNS, loaded, exclude=None,
                              problems=self.problems)
        assert branch_sheet is not None
        rows = _rows(branch_sheet, self.branch_model, self.notes)
        if not rows:
            raise DocgenError(_("no branch rows under the header (row {header_row})").format(
                header_row=branch_sheet.header_row + 1),
                              SourceSpot(branch_sheet.table.file, sheet=branch_sheet.table.sheet))
        names: dict[str, _Row] = {}
        kept: list[_Row] = []
        for row in rows:
            name = row.values.get("name")
            if name is not None and name in names:
                branch_sheet.fault(_("{header}: {name} is also on row {row}; list each branch once").format(
                    header=_header(branch_sheet, 'name'), name=name, row=names[name].row + 1),
                    row.row, branch_sheet.by_field["name"][0])
                continue
            if name is not None and name in self.names:
                other = self.names[name]
                branch_sheet.fault(_("{header}: {name} is also in {other}; list each branch once (a file returned "
                                     "twice?)").format(header=_header(branch_sheet, 'name'), name=name,
                                                       other=other.spot(("name",))),
                                   row.row, branch_sheet.by_field["name"][0])
                continue
            if name is not None:
                names[name] = row
            kept.append(row)
        member_rows: list[list[_Row]] = [[] for _ in kept]
        member_spec = self._members_spec(book, member_spec)
        if member_spec is not None:
            exclude = branch_sheet.table.sheet if member_spec.book is book else None
            member_sheet = _sheet(member_spec, "党员", MEMBER_COLUMNS, loaded, exclude=exclude,
                                  required=self.explicit_members, problems=self.problems)
            if member_sheet is not None:
                members = _rows(member_sheet, self.member_model, self.notes)
                _attach(member_sheet, members, kept, names, member_rows, self.names)
        self.names.update(names)
        self.branch_rows += kept
        self.member_rows += member_rows
        self.has_members += [member_spec is not None] * len(kept)

    def _members_spec(self, book: Book, member_spec: _SheetSpec | None) -> _SheetSpec | None:
        loaded = self.loaded
        if member_spec is None:
            return None
        if member_spec.source is not None:
            members_book = _open(member_spec.source, loaded.spot(("branches", "members", "from")),
                                 "branches.members.from", self.folder, self.books)
            return _with_book(member_spec, members_book, loaded)
        if book.is_csv:
            if self.explicit_members and isinstance(loaded.values.get("branches", {}).get("members"), dict):
                raise DocgenError(_("branches.members: {file} is one sheet, the branches; name the members' file "
                                    "with `from: 党员.csv`").format(file=book.file),
                                  loaded.spot(("branches", "members")))
            return None  # a CSV file is one sheet: members come from a second file, named with `from:`
        return _with_book(member_spec, book, loaded)

    def across_files(self) -> None:
        """A member listed twice: the same 身份证号 anywhere, or the same row in two files."""
        by_id: dict[Any, _Row] = {}
        by_row: dict[Any, _Row] = {}
        several = len({row.sheet.table.file for rows in self.member_rows for row in rows}) > 1
        for rows in self.member_rows:
            for row in rows:
                number = (row.values.get("extra") or {}).get("id_number")
                key = (row.values.get("name"), number)
                if number and key in by_id:
                    first = by_id[key]
                    row.sheet.fault(_("{name} with 身份证号 {number} is also listed at {other}; a member is listed "
                                      "once").format(name=key[0], number=number, other=first.sheet.spot(first.row)),
                                    row.row)
                    continue
                if number:
                    by_id[key] = row
                if not several:  # one sheet: a repeated row was told as the sheet was read
                    continue
                whole = _hashable(row.values)
                first = by_row.get(whole)
                if first is not None and first.sheet.table.file != row.sheet.table.file:
                    row.sheet.fault(_("this row repeats {other} ({name}) of another file; a member is listed "
                                      "once").format(other=first.sheet.spot(first.row), name=row.values.get("name")),
                                    row.row)
                    continue
                by_row.setdefault(whole, row)


def schema_models() -> tuple[Any, Any]:
    """The schema's branch and member models (to know their fields); None if the schema has none."""
    from docgen import schema

    branch = _item_model(getattr(schema, "Campaign", None), "branches")
    return branch, _item_model(branch, "members")


def _item_model(model: Any, name: str) -> Any:
    fields = getattr(model, "model_fields", None) or {}
    info = fields.get(name)
    if info is None:
        return None
    for arg in typing.get_args(info.annotation):
        if hasattr(arg, "model_fields"):
            return arg
    return None


def _pick_sheet(spec: _SheetSpec, role: str, exclude: str | None, required: bool, loaded: LoadedData) -> str | None:
    book = spec.book
    assert book is not None
    where = (*spec.where, "sheet")
    if book.is_csv:
        return None
    names = [s.name for s in book.sheets]
    if spec.sheet is not None:
        wanted = spec.sheet.strip()
        for name in names:
            if name.strip() == wanted:
                return name
        near = difflib.get_close_matches(wanted, names, n=1, cutoff=0.3)
        hint = _("; did you mean '{near}'?").format(near=near[0]) if near else ""
        raise DocgenError(_("{file} has no sheet '{wanted}' (its sheets: {names}){hint}").format(
            file=book.file, wanted=wanted, names='、'.join(names), hint=hint),
                          loaded.spot(where))
    visible = [n for n in book.visible_names() if n != exclude]
    other = "党员" if role == "支部" else "\0"
    for candidate in [n for n in visible if n.strip() == role] + [n for n in visible if role in n and other not in n]:
        return candidate
    if not required:
        return None
    hidden = [s.name for s in book.sheets if not s.visible and role in s.name]
    hint = (_("; the sheet '{hidden}' is hidden: unhide it, or name it with `sheet: {hidden}`").format(
        hidden=hidden[0]) if hidden
            else _("; name the sheet with `sheet:` (its visible sheets: {visible_names})").format(
                visible_names='、'.join(book.visible_names())))
    raise DocgenError(_("{file} has no visible sheet named {role}{hint}").format(
        file=book.file, role=role, hint=hint), loaded.spot(spec.where))


def _sheet(spec: _SheetSpec, role: str, columns: tuple[Column, ...], loaded: LoadedData, *,
           exclude: str | None, required: bool = True, problems: list[DocgenError]) -> _Sheet | None:
    assert spec.book is not None
    name = _pick_sheet(spec, role, exclude, required, loaded)
    if name is None and not spec.book.is_csv:
        return None
    sheet = _layout(spec.book.table(name), role, columns, spec, loaded)
    sheet.problems = problems
    return sheet


# --- headers ---------------------------------------------------------------------------------


def _header_text(value: Any) -> str:
    """A header cell as text (a header may be a number or a date; never an error)."""
    if isinstance(value, str):
        return value
    try:
        return _as_text(value)
    except _Bad:
        return str(value)


def _norm_header(text: Any) -> str:
    """How headers are compared: NFKC, no spaces or line breaks, no required-marks or unit notes."""
    return _norm_text(_header_text(text))


@functools.lru_cache(maxsize=4096)
def _norm_text(text: str) -> str:
    """``_norm_header`` of a text, remembered: a folder of a thousand returned rosters has the same headers
    (and the same first rows' words) a thousand times, and finding each sheet's header reads them all."""
    value = unicodedata.normalize("NFKC", text)
    value = re.sub(r"\s+", "", value).strip("*＊")
    return re.sub(r"\((?:必填|选填|人|个|名|年月日|日期|可选)\)$", "", value).upper()


_NUMBERED = re.compile(r"^(.+?)[(]?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[)]?$")


def _vocabulary(columns: tuple[Column, ...]) -> dict[str, Column | None]:
    known: dict[str, Column | None] = {}
    for column in columns:
        for header in column.headers:
            known.setdefault(_norm_header(header), column)
    for header in IGNORED_HEADERS:
        known.setdefault(_norm_header(header), None)
    return known


def _bind(text: str, vocabulary: dict[str, Column | None], overrides: dict[str, str | None],
          by_name: dict[str, Column], join_headers: tuple[str, ...]) -> _Binding | None | str:
    """A header → its binding; None to leave the column out; "" when docgen does not know it."""
    key = _norm_header(text)
    shown = re.sub(r"\s+", "", text)
    if key in overrides:
        target = overrides[key]
        if not target:
            return None
        column = by_name.get(target)
        return _Binding(target, column.kind if column else "text", shown)
    if key in join_headers:
        return _Binding(JOIN, "name", shown)
    if key in vocabulary:
        column = vocabulary[key]
        return None if column is None else _Binding(column.field, column.kind, shown)
    numbered = _NUMBERED.match(key)
    if numbered and numbered.group(1) in vocabulary:
        column = vocabulary[numbered.group(1)]
        if column is not None and column.kind == "list":
            return _Binding(column.field, column.kind, shown)
    return ""


def _merged_header(table: SheetTable, row: int, col: int) -> Any:
    value = table.value(row, col)
    if _filled(value):
        return value
    for (r0, c0), (r1, c1) in table.merged or ():
        if r0 <= row <= r1 and c0 <= col <= c1:
            return table.value(r0, c0)
    return ""


def _layout(table: SheetTable, role: str, columns: tuple[Column, ...], spec: _SheetSpec, loaded: LoadedData) -> _Sheet:
    vocabulary = _vocabulary(columns)
    by_name = {c.field: c for c in columns}
    overrides = {_norm_header(k): v for k, v in spec.columns.items()}
    joins: tuple[str, ...] = ()
    if role == "党员":
        joins = (_norm_header(spec.join),) if spec.join else tuple(_norm_header(h) for h in JOIN_HEADERS)
    sheet_name = f"{table.file}!{table.sheet}" if table.sheet else table.file
    if spec.header is not None:
        header_row = spec.header - 1
    else:
        best, best_score = None, 0
        seen: dict[Any, Any] = {}  # a cell's text → what it binds to (the same words recur down the rows)
        for row in range(table.top, min(table.bottom, table.top + HEADER_SEARCH_ROWS)):
            fields = set()
            for col in range(table.left, table.right):
                text = _merged_header(table, row, col)
                if text == "" or text is None:
                    continue
                if text not in seen:
                    seen[text] = _bind(_header_text(text), vocabulary, overrides, by_name, joins) \
                        if nonempty([text]) else None
                bound = seen[text]
                if isinstance(bound, _Binding):
                    fields.add(bound.field)
            score = len(fields) + (10 if "name" in fields else 0)
            if score > best_score:
                best, best_score = row, score
        if best is None or best_score < 10:
            first = columns[0].headers[0]
            raise DocgenError(
                _("no header row naming {first} in the first {HEADER_SEARCH_ROWS} rows; add a header row (see `docgen "
                  "roster-template`), or map your header with `columns: {{…: name}}`").format(
                    first=first, HEADER_SEARCH_ROWS=HEADER_SEARCH_ROWS),
                SourceSpot(table.file, sheet=table.sheet),
            )
        header_row = best

    bindings: dict[int, _Binding] = {}
    used_overrides: set[str] = set()
    previous: _Binding | None = None
    for col in range(table.left, table.right):
        value = _merged_header(table, header_row, col)
        if not nonempty([value]):
            # Without merge information (ods, csv) a list's second column may stand under one header.
            if table.merged is None and previous is not None and previous.kind == "list":
                bindings[col] = previous
            previous = None if table.merged is not None else previous
            continue
        text = _header_text(value)
        key = _norm_header(text)
        if key in overrides:
            used_overrides.add(key)
        bound = _bind(text, vocabulary, overrides, by_name, joins)
        if bound == "":
            shown = re.sub(r"\s+", "", text)
            bound = _Binding(shown, "text", shown, extra=True)
        previous = bound if isinstance(bound, _Binding) else None
        if isinstance(bound, _Binding):
            bindings[col] = bound
    for key, original in ((_norm_header(k), k) for k in spec.columns):
        if key not in used_overrides:
            headers = "、".join(dict.fromkeys(b.header for b in bindings.values()))
            raise DocgenError(
                _("{dotted}: no column '{original}' in the header of {sheet_name} (row {header_row}: "
                  "{headers})").format(
                    dotted=_dotted((*spec.where, 'columns', original)), original=original, sheet_name=sheet_name,
                    header_row=header_row + 1, headers=headers),
                loaded.spot((*spec.where, "columns", original)),
            )

    by_field: dict[str, list[int]] = {}
    for col, binding in bindings.items():
        by_field.setdefault(binding.field, []).append(col)
    sheet = _Sheet(table, role, header_row, header_row + 1, bindings, by_field, spec.where)
    if "name" not in by_field:  # only when `header:` named the row; a found header always has it
        headers = "、".join(dict.fromkeys(b.header for b in bindings.values())) or "nothing"
        raise DocgenError(
            _("row {header_row} ({dotted}) has no {headers} column (it reads: {headers2}); name the header's row, or "
              "map your header with `columns: {{…: name}}`").format(
                header_row=header_row + 1, dotted=_dotted((*spec.where, 'header')), headers=columns[0].headers[0],
                headers2=headers),
            SourceSpot(table.file, sheet=table.sheet),
        )
    for name, cols in by_field.items():
        if len(cols) > 1 and bindings[cols[0]].kind != "list":
            headers = "、".join(f"{bindings[c].header} ({column_name(c)})" for c in cols)
            label = "the branch" if name == JOIN else f"`{name}`"
            raise DocgenError(_("{headers} all give {label}; keep one, or map the others elsewhere with "
                                "`columns:`").format(
                headers=headers, label=label),
                              sheet.spot(header_row, cols[1]))
    # A header cell merged down over several rows: the data starts below the merge.
    for (r0, c0), (r1, c1) in table.merged or ():
        if r0 <= header_row <= r1 and any(c0 <= c <= c1 for c in bindings):
            sheet.data_row = max(sheet.data_row, r1 + 1)
    return sheet


def _header(sheet: _Sheet, field_name: str) -> str:
    cols = sheet.by_field.get(field_name)
    return sheet.bindings[cols[0]].header if cols else field_name


# --- rows ------------------------------------------------------------------------------------


def _banner_rows(table: SheetTable) -> set[int]:
    """Rows holding one merged cell across most of the table: section titles, footers."""
    width = table.right - table.left
    rows = set()
    for (r0, c0), (r1, c1) in table.merged or ():
        if c1 - c0 + 1 >= max(3, width // 2):
            rows.update(range(r0, r1 + 1))
    return rows


def _rows(sheet: _Sheet, model: Any, notes: list[str]) -> list[_Row]:
    table = sheet.table
    fields = set(getattr(model, "model_fields", {}) or {})
    takes_extra = "extra" in fields
    dropped: dict[str, None] = {}
    banners = _banner_rows(table)
    headed = {col for col in range(table.left, table.right) if nonempty([_merged_header(table, sheet.header_row, col)])}
    unheaded = [col - table.left for col in range(table.left, table.right)
                if col not in headed and col not in sheet.bindings]
    fields_in_order = [(name, [c - table.left for c in cols], sheet.bindings[cols[0]])
                       for name, cols in sheet.by_field.items()]
    rows: list[_Row] = []
    for row in range(max(sheet.data_row, table.top), table.bottom):
        cells = table.rows[row - table.top]
        filled = [i for i, v in enumerate(cells) if _filled(v)]
        if not filled:
            continue
        if len(filled) == 1 and row in banners:
            continue
        for offset in unheaded:
            if offset < len(cells) and _filled(cells[offset]):
                col = table.left + offset
                sheet.fault(
                    _("a value under column {column_name}, which has no header in row {header_row}; give the column a "
                      "header, or clear it").format(column_name=column_name(col), header_row=sheet.header_row + 1),
                    row, col)
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        items: dict[str, list[int]] = {}
        for name, offsets, binding in fields_in_order:
            to_extra = name != JOIN and (binding.extra or (model is not None and name not in fields))
            value = _read_field(sheet, row, cells, offsets, binding, items, to_extra)
            if value is None:
                continue
            if to_extra:
                if takes_extra:
                    extra[name] = value
                else:
                    dropped[binding.header] = None
            else:
                values[name] = value
        if takes_extra:
            values["extra"] = extra
        rows.append(_Row(sheet, row, values, items or None))
    if dropped:
        notes.append(
            _("{file}{value}: warning: the schema has no field for the columns {dropped} (left out)").format(
                file=table.file, value='!' + table.sheet if table.sheet else '', dropped='、'.join(dropped))
        )
    return _without_duplicates(sheet, rows)


def _filled(value: Any) -> bool:
    """Not an empty cell (``""``, None, or nothing but spaces)."""
    if type(value) is str:
        return bool(value) and not value.isspace()
    return value is not None


def _read_field(sheet: _Sheet, row: int, cells: list[Any], offsets: list[int], binding: _Binding,
                items: dict[str, list[int]], to_extra: bool = False) -> Any:
    """One field of a row, from its column (or, for a list, its columns); None when empty."""
    left = sheet.table.left
    if binding.kind == "list":
        result: list[str] = []
        positions: list[int] = []
        for offset in offsets:
            value = cells[offset] if offset < len(cells) else ""
            if not _filled(value):
                continue
            parts = _cell(sheet, row, left + offset, binding, value) or []
            result += parts
            positions += [left + offset] * len(parts)
        if len(offsets) > 1 and result:
            items[binding.field] = positions
        return result or None
    offset = offsets[0]
    value = cells[offset] if offset < len(cells) else ""
    if not _filled(value):
        return None
    return _cell(sheet, row, left + offset, binding, value, to_extra)


def _cell(sheet: _Sheet, row: int, col: int, binding: _Binding, value: Any, to_extra: bool = False) -> Any:
    """A cell read as its column says; None (and a fault kept) when it cannot be."""
    try:
        result = CONVERT[binding.kind](value)
    except _Bad as exc:
        message = str(exc)
        if binding.kind in ("date", "month"):
            message += _DATE_FORMS[binding.kind]()
            if to_extra:  # a column of the 名册's own, not a field docgen needs: it may stay as written
                message += _("; to keep the column as written, map it in the campaign file: "
                             "`{dotted}: {{{header}: {header}}}`").format(
                    dotted=_dotted((*sheet.where, "columns")), header=binding.header)
        sheet.fault(_("{header}: {exc}").format(header=binding.header, exc=message), row, col)
        return None
    for text in result if type(result) is list else (result,):
        if type(text) is str:
            bad = _UNPRINTABLE.search(text)
            if bad:
                message = _("control character U+{group:04X} in the cell; remove it").format(group=ord(bad.group()))
                sheet.fault(_("{header}: {message}").format(header=binding.header, message=message), row, col)
                return None
    return result


_DATE_FORMS = {
    "date": lambda: _(" (a date: 2011-06-30, 2011.6.30, 2011年6月30日, 20110630 or a date cell)"),
    "month": lambda: _(" (a date: 2014-06-01, 2014.6.1, 2014年6月1日; or a year and month: 2014.06, 2014年6月, "
                       "2014-6; or a date cell)"),
}


def _without_duplicates(sheet: _Sheet, rows: list[_Row]) -> list[_Row]:
    """A member row that repeats another in every column is a fault (people share names; rows do not)."""
    if sheet.role != "党员":
        return rows
    seen: dict[Any, _Row] = {}
    kept = []
    for row in rows:
        key = tuple((k, _hashable(v)) for k, v in row.values.items())
        if key in seen:
            first = seen[key]
            who = "，".join(str(row.values[k]) for k in ("name", JOIN) if k in row.values)
            sheet.fault(_("this row repeats row {row} ({who}); delete one of them").format(
                row=first.row + 1, who=who), row.row)
            continue
        seen[key] = row
        kept.append(row)
    return kept


def _hashable(value: Any) -> Any:
    if type(value) is list:
        return tuple(value)
    if type(value) is dict:
        return tuple((k, _hashable(v)) for k, v in value.items())
    return value


def _attach(sheet: _Sheet, rows: list[_Row], branch_rows: list[_Row], names: dict[str, _Row],
            member_rows: list[list[_Row]], elsewhere: Mapping[str, _Row] | None = None) -> None:
    """Each member to the branch its join column names, among ``names`` (this file's branches);
    ``elsewhere``: the branches of other files, named in the message when a member points at one."""
    index = {id(row): i for i, row in enumerate(branch_rows)}
    if JOIN not in sheet.by_field:
        if len(branch_rows) == 1:
            member_rows[0].extend(rows)
            for row in rows:
                row.values.pop(JOIN, None)
            return
        raise DocgenError(
            _("no column naming each member's branch ({JOIN_HEADERS}…); add one, or name yours with `members: {{join: "
              "…}}`").format(JOIN_HEADERS='、'.join(JOIN_HEADERS[:3])),
            sheet.spot(sheet.header_row),
        )
    header = _header(sheet, JOIN)
    col = sheet.by_field[JOIN][0]
    for row in rows:
        branch = row.values.pop(JOIN, None)
        if branch is None:
            sheet.fault(_("{header} is empty; name the member's branch as on the 支部 sheet").format(header=header),
                        row.row, col)
            continue
        found = names.get(branch)
        if found is None:
            sheet.fault(_unknown_branch(header, branch, names, elsewhere or {}), row.row, col)
            continue
        member_rows[index[id(found)]].append(row)


def _unknown_branch(header: str, branch: str, names: Mapping[str, _Row], elsewhere: Mapping[str, _Row]) -> str:
    if branch in elsewhere:
        return _("{header}: '{branch}' is on the 支部 sheet of {other}, not of this file; a file's members belong to "
                 "its own branches").format(header=header, branch=branch, other=elsewhere[branch].sheet.table.file)
    near, closest = nearest_names(branch, list(names))
    if near:
        return _("{header}: '{branch}' is not a branch on the 支部 sheet; did you mean '{near}'?").format(
            header=header, branch=branch, near=near)
    return _("{header}: '{branch}' is not a branch on the 支部 sheet (the closest: {closest}); add it there, or "
             "correct the name").format(header=header, branch=branch, closest="、".join(closest) or "—")


_ORGAN_WORDS = re.compile(r"(?:中共|中国共产党)|(?:党总支部|党总支|党支部|支部委员会|支部|党委|党组|委员会|联合)$")


def _core(name: str) -> str:
    """What tells one branch from another: 县审计局 of 县审计局党支部 (the 党支部 every name has is no evidence)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    previous = None
    while previous != text:
        previous, text = text, _ORGAN_WORDS.sub("", text)
    return text or name


def nearest_names(name: str, names: list[str], count: int = 3) -> tuple[str | None, list[str]]:
    """The name ``name`` surely means, if there is one: the same unit written another way (场镇社区支部 for
    场镇社区党支部, 春风村 for 城关镇春风村党支部); and the closest few by difflib's ratio anyway.

    A character off is not "surely": 县审计局/县统计局 and 实验中学/实验小学 are other units, and the
    ratio of 县审计局党支部 to 县财政局党支部 is 0.71 from the 县…局党支部 every such name shares. So
    a guess is offered only for the same core (``_core``), and otherwise the closest are listed."""
    core = _core(name)
    scored = []
    for candidate in names:
        other = _core(candidate)
        same = core == other or (min(len(core), len(other)) >= 2 and (core in other or other in core))
        scored.append((not same, -difflib.SequenceMatcher(None, core, other).ratio(), candidate))
    scored.sort()
    sure = [item[2] for item in scored if not item[0]]
    return (sure[0] if len(sure) == 1 else None), [item[2] for item in scored[:count]]


# --- cells -----------------------------------------------------------------------------------

# Characters no document format can carry (the YAML source refuses the same ones).
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_CJK = "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SPACES = str.maketrans({"\u3000": " ", "\xa0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200b": "",
                         "\ufeff": "", "\t": " ", "\x0b": "\n", "\r": "\n"})
_ENUMERATOR = re.compile(
    r"^(?:\d{1,2}[.、．)）:：](?!\d)|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}[、.．])\s*"
)
_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}".upper()
    return str(value).strip()


def _as_text(value: Any) -> str:
    """A cell as text: 13800000000.0 → "13800000000", a date → 2010-06-01."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= 1e15:
                raise _Bad(_("{shown} is stored as a number, and Excel keeps only its first 15 digits; set the "
                             "column's format to text and enter it again").format(shown=_shown(value)))
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return str(value)


_UNUSUAL = re.compile(r"[\u3000\xa0\u2002\u2003\u2009\u200b\ufeff\t\x0b\r\n]| {2}")


def _text(value: Any) -> str:
    text = value if type(value) is str else _as_text(value)
    if not _UNUSUAL.search(text):
        return text.strip()
    text = text.translate(_SPACES)
    lines = (re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _name(value: Any) -> str:
    """Names: 王  芳 (padded to line up with three-character names) is 王芳."""
    text = _text(value)
    if " " not in text and "\n" not in text:
        return text
    text = text.replace("\n", " ")
    return re.sub(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])", "", text)


def _list(value: Any) -> list[str]:
    parts = re.split(r"[；;\n]+", _text(value))
    items = [_ENUMERATOR.sub("", part.strip()).strip() for part in parts]
    return [item for item in items if item]


def _digits(value: Any) -> str:
    text = _text(value)
    if _SCIENTIFIC.match(text):
        raise _Bad(_("{text} is a number in scientific notation, and its digits are lost; set the column's format to "
                     "text in the spreadsheet, enter the numbers again and save").format(text=text))
    return text


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad(_("{shown} is not a whole number").format(shown=_shown(value)))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = unicodedata.normalize("NFKC", _text(value)).strip().rstrip("人名个")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise _Bad(_("{shown} is not a whole number").format(shown=_shown(value)))


_YEAR_MONTH = re.compile(r"(\d{4})\s*(?:[-./]\s*(\d{1,2})|年\s*(\d{1,2})\s*月份?)")
_YEARS = range(1900, 2101)  # a number such as 2014.06 in these years is a year and month, not an Excel day


def _when(value: Any) -> dt.date | YearMonth:
    """A date, or a year and month (2014.06, 2014年6月, 2014-6, 201406, the number 2014.06)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer() and int(value) in _YEARS:
            # Excel turns 2014.06 typed in a cell into a number, and 2014.10 into 2014.1: October either way.
            year, month = f"{value:.2f}".split(".")
            return _year_month(int(year), int(month), _shown(value))
        if float(value).is_integer() and int(value) in _YEARS:  # 2014 alone: not Excel's day 2014 (1905)
            raise _Bad(_("{shown} is a year alone; write the month too (2014.06) or the date").format(
                shown=_shown(value)))
        return _from_number(value, _shown(value))
    text = unicodedata.normalize("NFKC", _text(value)).strip()
    match = _DATE.fullmatch(text)
    if match is None:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match is not None:
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise _Bad(_("{text} is not a date").format(text=_text(value))) from None
    month_match = _YEAR_MONTH.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})()", text)
    if month_match is not None:
        year, month = int(month_match.group(1)), int(month_match.group(2) or month_match.group(3))
        return _year_month(year, month, _text(value))
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):  # an Excel date number written out as text (a CSV)
        return _from_number(float(text), _text(value))
    raise _Bad(_("{text} is not a date").format(text=_text(value)))


def _year_month(year: int, month: int, shown: str) -> YearMonth:
    if year not in _YEARS or not 1 <= month <= 12:
        raise _Bad(_("{shown} is not a date").format(shown=shown))
    return YearMonth(year, month)


def _date(value: Any) -> dt.date:
    """A full date: a year and month alone is refused (a deadline needs its day)."""
    found = _when(value)
    if isinstance(found, YearMonth):
        raise _Bad(_("{shown} has a year and month but no day; a full date is needed here").format(
            shown=_shown(value)))
    return found


def _from_number(value: float, shown: str) -> dt.date:
    if 19000101 <= value <= 21001231 and float(value).is_integer():
        digits = str(int(value))
        try:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            raise _Bad(_("{shown} is not a date").format(shown=shown)) from None
    if 1 <= value < 2958466:  # Excel's day numbers (1900 date system), 1900-01-01 … 9999-12-31
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raise _Bad(_("{shown} is not a date").format(shown=shown))


CONVERT = {"text": _text, "name": _name, "list": _list, "date": _date, "month": _when, "int": _int,
           "digits": _digits}
