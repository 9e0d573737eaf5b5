"""Spreadsheet files as tables of cells: .xlsx/.xlsm/.xls/.ods through python-calamine, .csv by hand.

A ``SheetTable`` is one sheet's used area as Python values (str, float, int, bool, date, datetime;
``""`` for an empty cell) with its top-left position, so every value keeps its cell name (``C17``),
plus the sheet's merged ranges where the format records them (xlsx, xls). Reading ignores the
sheet's stored ``<dimension>`` (WPS writes ``A1:A1`` for a full sheet) and takes a formula cell's
cached value.

CSV is read as UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode text"), or
GB18030 (which also covers GBK and GB2312, what Excel on a Chinese Windows writes); every CSV cell
is text.

What a roster may cost is bounded before it is read: the file's size (``MAX_BYTES``), what a
workbook's zip members unpack to (``unpacking.ROSTER``: a 7 MB file of 1.6 GB of sheet XML is refused
from its directory, before calamine inflates anything), and the rows (``MAX_ROWS``: a CSV is read
row by row and stops there, a sheet is converted to Python no further).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError, SourceSpot
from docgen.files import unpacking
from docgen.i18n import _, os_reason

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")  # .xls is an OLE file, not a zip
TEXT_SUFFIXES = (".csv", ".tsv")
SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES
MAX_BYTES = 64 * 1024 * 1024  # a roster of 100,000 members is about 5 MiB as .xlsx
MAX_ROWS = 300_000


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell_name(row: int, col: int) -> str:
    """0-based row and column → ``C17``."""
    return f"{column_name(col)}{row + 1}"


@dataclass
class SheetTable:
    """One sheet: rows of values from (``top``, ``left``) on, 0-based, and its merged ranges."""

    file: str  # as messages show it
    sheet: str | None  # None for a CSV file
    rows: list[list[Any]]
    top: int = 0
    left: int = 0
    merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None  # absolute ((r0, c0), (r1, c1))

    def value(self, row: int, col: int) -> Any:
        """The value at an absolute position, ``""`` outside the used area."""
        r, c = row - self.top, col - self.left
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return ""

    @property
    def bottom(self) -> int:
        """One past the last row."""
        return self.top + len(self.rows)

    @functools.cached_property
    def right(self) -> int:
        """One past the last column."""
        return self.left + max((len(r) for r in self.rows), default=0)


@dataclass
class SheetInfo:
    name: str
    visible: bool


@dataclass
class Book:
    """An open workbook (or a CSV file standing for one sheet)."""

    path: Path
    file: str
    sheets: list[SheetInfo] = field(default_factory=list)
    _workbook: Any = None
    _csv: SheetTable | None = None

    @property
    def is_csv(self) -> bool:
        return self._csv is not None

    def visible_names(self) -> list[str]:
        return [s.name for s in self.sheets if s.visible]

    def close(self) -> None:
        """Let the workbook's file go (a folder of a thousand returned rosters is read one file at a time)."""
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    def table(self, sheet: str | None) -> SheetTable:
        if self._csv is not None:
            return self._csv
        try:
            data = self._workbook.get_sheet_by_name(sheet)
            rows = data.to_python(skip_empty_area=True, nrows=MAX_ROWS + 1)  # no Python rows past the limit
            top, left = data.start if rows else (0, 0)
            merged = getattr(data, "merged_cell_ranges", None)  # None where the format has none to tell (ods)
        except Exception as exc:  # python-calamine raises its own error types, all with a message
            raise DocgenError(_("cannot read sheet {sheet}: {exc}").format(sheet=sheet, exc=exc), self.file) from None
        if len(rows) > MAX_ROWS:
            raise DocgenError(_("sheet {sheet} has {rows_count} rows; a roster is limited to {MAX_ROWS}").format(
                sheet=sheet, rows_count=max(data.height, len(rows)), MAX_ROWS=MAX_ROWS), self.file)
        return SheetTable(self.file, sheet, rows, top, left, None if merged is None else list(merged))


def open_book(path: Path, shown: str | None = None) -> Book:
    """Open a workbook or CSV file; any failure is one DocgenError naming the file."""
    file = shown or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocgenError(_("docgen reads rosters from {SUFFIXES} files, not {value} ones").format(
            SUFFIXES=', '.join(SUFFIXES), value=suffix or 'suffix-less'),
                          file)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocgenError(_("cannot read: {strerror}").format(strerror=os_reason(exc)), file) from None
    if size > MAX_BYTES:
        raise DocgenError(_("file is {size} MiB; a roster is limited to {MAX_BYTES} MiB").format(
            size=size // 1_048_576, MAX_BYTES=MAX_BYTES // 1_048_576), file)
    if suffix in TEXT_SUFFIXES:
        text = decode_text(path.read_bytes(), file)
        table = SheetTable(file, None, read_csv(text, "\t" if suffix == ".tsv" else None, file))
        return Book(path, file, [SheetInfo(path.stem, True)], _csv=table)
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - a dependency of docgen
        raise DocgenError(_("reading spreadsheets needs python-calamine: pip install python-calamine"), file) from None
    if suffix in ZIP_SUFFIXES:
        unpacking.check_file(path, file, unpacking.ROSTER)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise DocgenError(_open_error(exc, suffix), file) from None
    sheets = [SheetInfo(m.name, m.visible == python_calamine.SheetVisibleEnum.Visible)
              for m in workbook.sheets_metadata]
    return Book(path, file, sheets, _workbook=workbook)


def _open_error(exc: Exception, suffix: str) -> str:
    name = type(exc).__name__
    text = str(exc)
    if name == "PasswordError" or "password" in text.lower() or "encrypt" in text.lower():
        return _("the workbook is protected with a password; save a copy without one")
    return _("not a readable {suffix} workbook ({error}); open it and save it again as .xlsx").format(
        suffix=suffix, error=text or name)


def decode_text(raw: bytes, file: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030; refuse what none of them reads."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocgenError(_("the text is neither UTF-8 nor GB18030; save the file as CSV UTF-8"), file)


def read_csv(text: str, delimiter: str | None = None, file: str = "") -> list[list[str]]:
    """Rows of text cells, read one by one up to ``MAX_ROWS``; the delimiter (comma, tab or semicolon) is
    guessed from the first lines. A cell past the csv module's field limit (128 KiB: an unclosed quote
    swallows the rest of the file into one cell) is an error at its line."""
    if delimiter is None:
        head = [line for line in text.splitlines()[:20] if line.strip()]
        counts = {d: sum(line.count(d) for line in head) for d in (",", "\t", ";")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if len(rows) == MAX_ROWS:
                raise DocgenError(_("more than {MAX_ROWS} rows; a roster is limited to {MAX_ROWS}").format(
                    MAX_ROWS=MAX_ROWS), file or None)
            rows.append(row)
    except csv.Error as exc:
        spot = SourceSpot(file, reader.line_num) if file else None
        if "field larger than field limit" in str(exc):
            raise DocgenError(_("a cell is longer than {most} characters; a roster's cells hold names and short "
                                "texts (a quote left open?)").format(most=csv.field_size_limit()), spot) from None
        raise DocgenError(_("not readable as CSV (`{error}`); save the file from Excel or WPS as CSV UTF-8").format(
            error=exc), spot) from None
    return rows


def nonempty(values: Iterable[Any]) -> bool:
    return any(not (v == "" or v is None or (isinstance(v, str) and not v.strip())) for v in values)
