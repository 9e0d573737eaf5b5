"""The one exception type the CLI turns into a single `file:line: message` line (exit 1)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class SourceSpot:
    """Where a value or a template line came from, for messages a user can act on.

    A text file has lines (``campaign.yaml:12``); a spreadsheet has a sheet and a cell
    (``名册.xlsx!党员!C17``); a Word template has paragraphs and table cells, each shown with the
    story it is in and the words around the spot: ``模板.docx: 第3段 (正文, 「定于{{ meeting.dat }}召开」)``,
    ``模板.docx: 表格2 第2行 第3列 (「{{ m.nmae }}」)``.
    """

    file: str
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    paragraph: int | None = None
    place: str | None = None  # a Word story or table cell: 正文, 页眉, 文本框1, 表格2 第2行 第3列
    excerpt: str | None = None  # the words around the spot, as the document shows them

    def __str__(self) -> str:
        if self.sheet or self.cell:
            return "!".join(part for part in (self.file, self.sheet, self.cell) if part)
        if self.paragraph or self.place:
            shown = f"「{self.excerpt}」" if self.excerpt else ""
            if self.paragraph:
                detail = ", ".join(part for part in (self.place, shown) if part)
                return f"{self.file}: 第{self.paragraph}段" + (f" ({detail})" if detail else "")
            return f"{self.file}: {self.place}" + (f" ({shown})" if shown else "")
        return f"{self.file}:{self.line}" if self.line else self.file


class DocgenError(Exception):
    """Bad input: a message naming where it is and what to do. Never shown with a traceback."""

    def __init__(self, message: str, where: SourceSpot | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = SourceSpot(where) if isinstance(where, str) else where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def lines(self) -> list[str]:
        """What the CLI prints, one ``error:`` line each."""
        return [str(self)]


class DocgenErrors(DocgenError):
    """Several problems found in one pass (every fault of a Word template): one line each."""

    def __init__(self, errors: list[DocgenError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors

    def lines(self) -> list[str]:
        return [str(error) for error in self.errors]


class DataErrors(DocgenErrors):
    """Every fault of the campaign's data in one run: the campaign file's by line, a roster's grouped by
    sheet and column with a count (26 cells of 入党时间 are one column's fault, told once as such).

    ``where`` is the first fault's spot, so a caller that shows one place (the web page's line)
    still has one."""

    SHOWN = 20  # cells of one column named in full; the rest by their names

    def __init__(self, errors: list[DocgenError]) -> None:
        super().__init__(errors)
        self.where = errors[0].where if errors else None
        self.message = "\n".join(self.lines())

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        from docgen.i18n import _, ngettext

        groups: dict[tuple, list[DocgenError]] = {}
        for error in self.errors:
            groups.setdefault(_group(error.where), []).append(error)
        lines: list[str] = []
        for (file, sheet, column, _kind), errors in sorted(groups.items(), key=lambda item: _order(item[0])):
            errors.sort(key=lambda e: _position(e.where))
            if column is not None and len(errors) > 1:
                where = "!".join(part for part in (file, sheet) if part)
                lines.append(ngettext("{where}, column {column}: {count} cell", "{where}, column {column}: "
                                      "{count} cells", len(errors)).format(where=where, column=column,
                                                                            count=len(errors)))
                lines += [str(error) for error in errors[: self.SHOWN]]
                rest = [e.where.cell for e in errors[self.SHOWN:] if e.where and e.where.cell]
                if rest:
                    lines.append(_("… and {count} more in column {column}: {cells}").format(
                        count=len(rest), column=column, cells=", ".join(_cell_ranges(rest))))
            else:
                lines += [str(error) for error in errors]
        if len(self.errors) > 1:
            lines.append(ngettext("{count} fault in all", "{count} faults in all", len(self.errors)).format(
                count=len(self.errors)))
        return lines


def report(errors: list[DocgenError]) -> DocgenError:
    """What to raise for ``errors``: the one error as it is, several as ``DataErrors``."""
    if len(errors) == 1:
        return errors[0]
    return DataErrors(errors)


_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def _group(spot: SourceSpot | None) -> tuple:
    """Errors are grouped by file, sheet and column (a cell's); anything else stands alone, in order."""
    if spot is None:
        return ("", None, None, "none")
    cell = _CELL.match(spot.cell or "")
    if cell:
        return (spot.file, spot.sheet, cell.group(1), "cell")
    if spot.sheet or spot.cell:
        return (spot.file, spot.sheet, None, spot.cell or "")
    return (spot.file, None, None, "file")


def _order(key: tuple) -> tuple:
    file, sheet, column, kind = key
    return (kind != "file", file, sheet or "", len(column or ""), column or "", kind)


def _position(spot: SourceSpot | None) -> tuple:
    if spot is None:
        return (0, 0)
    cell = _CELL.match(spot.cell or "")
    if cell:
        return (int(cell.group(2)), 0)
    row = re.match(r"^[A-Z]+(\d+)", spot.cell or "")
    return (int(row.group(1)) if row else (spot.line or 0), 0)


def _cell_ranges(cells: list[str]) -> list[str]:
    """F30, F31, F32, F40 → F30:F32, F40 (cells of one column, in row order)."""
    spans: list[list[tuple[str, int]]] = []
    for cell in cells:
        match = _CELL.match(cell)
        if not match:
            continue
        column, row = match.group(1), int(match.group(2))
        if spans and spans[-1][-1][1] == row - 1:
            spans[-1].append((column, row))
        else:
            spans.append([(column, row)])
    return [f"{s[0][0]}{s[0][1]}" + (f":{s[-1][0]}{s[-1][1]}" if len(s) > 1 else "") for s in spans]


class DocgenWarning(UserWarning):
    """Something docgen left out or worked around (an unknown key): worth a look, not fatal."""


def default_warn(message: str) -> None:
    """Where warnings go when the caller gives no ``warn``: Python's warnings machinery."""
    import warnings

    warnings.warn(message, DocgenWarning, stacklevel=3)
