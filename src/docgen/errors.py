"""The one exception type the CLI turns into a single `file:line: message` line (exit 1)."""

from __future__ import annotations

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


class DocgenWarning(UserWarning):
    """Something docgen left out or worked around (an unknown key): worth a look, not fatal."""


def default_warn(message: str) -> None:
    """Where warnings go when the caller gives no ``warn``: Python's warnings machinery."""
    import warnings

    warnings.warn(message, DocgenWarning, stacklevel=3)
