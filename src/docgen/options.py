"""The run options, declared once: how each document is made (``Options``) and, for a batch, which records and
where their files go (``BatchOptions``).

Each front end builds them once from its own syntax — the CLI's flags, the API's keyword arguments
(``docgen.render``/``docgen.batch``), the web page's site and request — and passes them down: the pipeline,
the engines, the batch, its local or cluster workers all read these objects, so a new option is one field
here, one flag in each front end that offers it, and whatever code uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from docgen.i18n import _

DEFAULT_NAME = "{index:03d}_{name}"  # a batch file's name: the record's place in the whole list, then its name


def _folders(value: Iterable[str | Path] | str | Path | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | Path):
        return (str(Path(value)),)
    return tuple(str(Path(item)) for item in value)


@dataclass(frozen=True)
class Options:
    """How a document is made, beyond which template and which record."""

    draft: str | None = None  # 草稿 / 征求意见稿: watermark, no seal
    script: str = "hans"  # --script: OpenCC conversion of the final text
    keep: tuple[str, ...] = ()  # terms the conversion leaves as written
    user_dirs: tuple[str, ...] = ()  # --templates folders (the API's ``templates``)
    font_dir: str | None = None  # --font-dir: the PDF's own fonts
    strict: bool = False  # --strict: the proof-reader's findings are errors, nothing is written

    def __post_init__(self) -> None:  # what a front end hands in (lists, Paths) as the types the fields say
        object.__setattr__(self, "keep", tuple(self.keep))
        object.__setattr__(self, "user_dirs", _folders(self.user_dirs))
        object.__setattr__(self, "font_dir", str(self.font_dir) if self.font_dir else None)

    @classmethod
    def build(cls, templates: Iterable[str | Path] | None = None, **values: Any) -> Options:
        """From the API's keyword names (``templates=`` for ``user_dirs``); an unknown name is a TypeError."""
        if templates is not None:
            values["user_dirs"] = templates
        return cls(**values)


@dataclass(frozen=True)
class BatchOptions:
    """A batch: the records (``each``, ``where``, ``part``), the files (``name``, ``formats``, ``out``, ``zip``,
    ``merge``, ``force``), who makes them (``jobs``, ``cluster``, ``chunk``), a progress bar, and the ``document``
    options every record is made with."""

    each: str
    where: str | None = None
    part: str | None = None  # "K/N": the K-th of N nearly equal runs of the records
    name: str = DEFAULT_NAME
    formats: tuple[str, ...] | None = None  # None: what the writers make unless told (writers.FORMATS)
    out: str = "out"  # a folder or an fsspec URL
    jobs: int | None = None
    force: bool = False
    zip: bool = False
    merge: bool = False
    cluster: str | None = None  # tcp://host:8786, or local:N
    chunk: int | None = None  # records per cluster task
    progress: bool = False  # a bar on stderr
    document: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        object.__setattr__(self, "formats", None if self.formats is None else tuple(self.formats))
        object.__setattr__(self, "out", str(self.out))

    @classmethod
    def build(cls, **values: Any) -> BatchOptions:
        """From the API's keyword arguments: the batch's own, and those of ``Options`` for every document."""
        mine = {f.name for f in fields(cls)}
        document = {key: values.pop(key) for key in list(values) if key not in mine}
        if "document" in values and document:
            raise TypeError(_("give document= or its options ({names}), not both").format(names=", ".join(document)))
        values.setdefault("document", Options.build(**document))
        return cls(**values)
