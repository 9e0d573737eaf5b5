"""What a template engine is: the seam between the pipeline (data in, files out) and the templates' own world.

An engine says which templates it takes, what a ``--template NAME`` means to it, how to check a template
against a campaign, how to make one record's document and a chunk's, what a batch worker warms up, and what a
batch does around its workers. ``pipeline`` and ``batching`` call these and name no engine; the registry is
``engines/__init__.py``. The two engines: ``markdown`` (Markdown-Jinja: the model and docgen's own writers) and
``word`` (an office's .docx with tags; LibreOffice makes its PDFs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import DocgenError
from docgen.model import Document
from docgen.options import Options
from docgen.writers.base import Rendered

if TYPE_CHECKING:
    from docgen.pipeline import LoadedCampaign
    from docgen.templating import Markers


@dataclass
class Result:
    """One document made: its model (None for an engine without one), one Rendered per format, the warnings,
    and its title (what a file is called when no --name is given)."""

    document: Document | None
    outputs: dict[str, Rendered]
    warnings: list[str]
    title: str | None = None

    def __post_init__(self) -> None:
        if self.title is None and self.document is not None:
            self.title = self.document.meta.title


@dataclass(frozen=True)
class BatchRun:
    """What a batch's workers are asked to make (``formats``) and where they write (``out``): an engine may
    change both around its workers (``Engine.batch``)."""

    formats: tuple[str, ...]
    out: Path | None


class Engine:
    """The defaults are those of an engine whose documents are made whole by its workers."""

    name = ""
    needs_folder: str | None = None  # why -o must be a folder (a message naming the engine's templates), or None
    on_cluster: str | None = None  # why --cluster cannot run it, or None
    merges_models = False  # --merge can rebuild its DOCX and OFD from models (else a merged PDF only)
    merge_note: str | None = None  # what --merge says when it cannot merge the DOCX (untranslated: N_)

    def takes(self, template: str) -> bool:
        raise NotImplementedError

    def locate(self, name: str, user_dirs: tuple[str, ...]) -> str | None:
        """The template a ``--template NAME`` means to this engine, or None when the name is not its."""
        return None

    def markers(self, template: str, user_dirs: tuple[str, ...]) -> Markers:
        """The template's declared (or inferred) campaign, --each list and needs."""
        raise NotImplementedError

    def check(self, campaign: LoadedCampaign, template: str, user_dirs: tuple[str, ...],
              record: dict[str, Any] | None = None) -> None:
        """Before any record: what the engine itself refuses (with a record's names: a name the data lacks)."""

    def notes(self, template: str, user_dirs: tuple[str, ...]) -> list[str]:
        """The template's own warnings, which a batch says once (not once per record)."""
        return []

    def digest(self, template: str, user_dirs: tuple[str, ...]) -> str:
        """What the template's own content adds to a batch's record hashes (the template folders count already)."""
        return ""

    def label(self, template: str, user_dirs: tuple[str, ...]) -> str:
        """What a batch's bundle files (zip, merged print file) are called."""
        return Path(template).stem

    def run(self, campaign: LoadedCampaign, template: str, record: dict[str, Any] | None,
            formats: Sequence[str], options: Options) -> Result:
        raise NotImplementedError

    def run_many(self, campaign: LoadedCampaign, template: str, records: Sequence[dict[str, Any]],
                 formats: Sequence[str], options: Options) -> list[Result | DocgenError]:
        """``run`` for each record, a DocgenError in place of a record that fails."""
        made: list[Result | DocgenError] = []
        for record in records:
            try:
                made.append(self.run(campaign, template, record, formats, options))
            except DocgenError as exc:
                made.append(exc)
        return made

    def warm(self, template: str, formats: Sequence[str], options: Options) -> list[str]:
        """A worker's once-per-process set-up before its first record; returns the template's own notes."""
        return []

    def batch(self, run: Callable[[BatchRun], list[dict[str, Any]]], wanted: BatchRun, jobs: int,
              progress: Callable[[int, str], Any]) -> list[dict[str, Any]]:
        """Around a batch's workers: ``run`` makes the records (``wanted``) and returns their manifest entries.
        ``progress(total, label)`` makes a bar for any later step."""
        return run(wanted)
