"""Data sources: a file suffix → a reader returning values with their source positions.

Adding a source (a spreadsheet, say) is one module with a ``load(path) -> LoadedData`` and one line
in ``READERS``; the reader keeps each value's spot so errors can name it.

Whatever the reader, ``branches: {from: 名册.xlsx, …}`` in the data is then replaced by the branches
and members of that roster (``sources/roster.py``, docs/rosters.md), with each value's cell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.sources.base import LoadedData, Path_, iter_strings
from docgen.sources.spreadsheet import SUFFIXES as ROSTER_SUFFIXES

__all__ = ["READERS", "LoadedData", "Path_", "iter_strings", "load", "resolve_data_path"]

DATA_FILE_NAMES = ("campaign.yaml", "campaign.yml")


def _yaml(path: Path) -> LoadedData:
    from docgen.sources import yaml

    return yaml.load(path)


READERS: dict[str, Callable[[Path], LoadedData]] = {".yaml": _yaml, ".yml": _yaml}


def resolve_data_path(path: str | Path) -> Path:
    """A campaign is a YAML file, or a folder holding ``campaign.yaml``."""
    p = Path(path)
    if p.is_dir():
        for name in DATA_FILE_NAMES:
            if (p / name).is_file():
                return p / name
        raise DocgenError(_("no {DATA_FILE_NAMES} in this folder; pass the YAML file itself").format(
            DATA_FILE_NAMES=DATA_FILE_NAMES[0]), str(p))
    if not p.exists():
        raise DocgenError(_("no such file or folder"), str(p))
    return p


def load(path: str | Path, text: str | None = None) -> LoadedData:
    """Read campaign data with the reader its suffix names.

    ``text``: the YAML file's unsaved content (an editor's buffer), read in place of the file; paths
    in it (a seal, a roster) are still relative to the file's folder, and messages name the file.
    """
    file = resolve_data_path(path)
    if text is not None:
        if file.suffix.lower() not in (".yaml", ".yml"):
            raise DocgenError(_("only YAML campaign files can be edited as text"), str(file))
        from docgen.sources import yaml

        return _with_roster(yaml.load(file, text=text))
    reader = READERS.get(file.suffix.lower())
    if reader is None and file.suffix.lower() in ROSTER_SUFFIXES:
        raise DocgenError(_("a roster is not a whole campaign; name it in campaign.yaml as `branches: {{from: "
                            "{name}}}` (see docs/rosters.md)").format(name=file.name), str(file))
    if reader is None:
        known = ", ".join(READERS)
        suffix = file.suffix or "suffix-less"
        raise DocgenError(_("docgen cannot read {suffix} files; it reads {known}").format(
            suffix=suffix, known=known), str(file))
    return _with_roster(reader(file))


def _with_roster(loaded: LoadedData) -> LoadedData:
    if isinstance(loaded.values.get("branches"), dict):  # `branches: {from: 名册.xlsx}`: a roster
        from docgen.sources import roster

        return roster.expand(loaded)
    return loaded
