"""What every data source returns: plain values, and where each came from (file:line, or sheet!cell)."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from docgen.errors import DocgenError, SourceSpot

Path_ = tuple[str | int, ...]


@dataclass
class LoadedData:
    """Plain values plus where each one stands, keyed by its path (``("branches", 3, "name")``).

    A text source fills ``lines`` (file:line); a source with other positions (a spreadsheet's sheet
    and cell) fills ``spots`` with a SourceSpot per path — any mapping will do: a roster's spots are
    worked out when asked for (``sources.roster.SpotMap``), not stored for each of 100,000 rows.
    ``notes`` are what a source left out or worked around (a roster column the schema has no place for);
    ``problems`` are faults in values it read on past (every bad cell of a roster), for ``schema.validate``
    to report with its own, all in one run.
    """

    values: dict[str, Any]
    file: str
    lines: dict[Path_, int] = field(default_factory=dict)
    spots: MutableMapping[Path_, SourceSpot] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # every file the values came from (skip-unchanged hashes them)
    notes: list[str] = field(default_factory=list)
    problems: list[DocgenError] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.files:
            self.files = [self.file]

    def spot(self, path: Path_) -> SourceSpot:
        """The nearest known spot for a path: a missing field points at its parent."""
        probe = tuple(path)
        while probe and probe not in self.spots and probe not in self.lines:
            probe = probe[:-1]
        if probe in self.spots:
            return self.spots[probe]
        return SourceSpot(self.file, self.lines.get(probe, 1))


def iter_strings(value: Any) -> Iterator[str]:
    """Every string in a data tree: what `docgen fonts` checks for missing glyphs."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from iter_strings(k)
            yield from iter_strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from iter_strings(v)
