"""The one exception type the CLI turns into a single `file:line: message` line (exit 1)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SourceSpot:
    """Where a value or a template line came from, for messages a user can act on.

    A text file has lines (``campaign.yaml:12``); a spreadsheet has a sheet and a cell
    (``名册.xlsx!党员!C17``); a Word template has paragraphs (``模板.docx: paragraph 4``).
    """

    file: str
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    paragraph: int | None = None

    def __str__(self) -> str:
        if self.sheet or self.cell:
            return "!".join(part for part in (self.file, self.sheet, self.cell) if part)
        if self.paragraph:
            return f"{self.file}: paragraph {self.paragraph}"
        return f"{self.file}:{self.line}" if self.line else self.file


class DocgenError(Exception):
    """Bad input: a message naming where it is and what to do. Never shown with a traceback."""

    def __init__(self, message: str, where: SourceSpot | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = SourceSpot(where) if isinstance(where, str) else where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class DocgenWarning(UserWarning):
    """Something docgen left out or worked around (an unknown key): worth a look, not fatal."""


def default_warn(message: str) -> None:
    """Where warnings go when the caller gives no ``warn``: Python's warnings machinery."""
    import warnings

    warnings.warn(message, DocgenWarning, stacklevel=3)
