"""The batch plan: a safe, distinct file name per record, and what its output depends on.

Names come from data (`--name '{index:02d}_{name}_会议通知'`), so they are made safe
(docgen.files.output.safe_stem) and checked for collisions — also the ones only a case-insensitive
file system would see — before a single file is written.
"""

from __future__ import annotations

import hashlib
import json
import string
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docgen.batching.records import Record
from docgen.errors import DocgenError
from docgen.files import output
from docgen.i18n import _
from docgen.version import __version__


@dataclass(frozen=True)
class Job:
    """One document to make: the record, its position (its index in the whole list), its file stem and its
    input hash."""

    position: int
    record: Record
    stem: str
    input_hash: str

    def files(self, formats: tuple[str, ...]) -> list[str]:
        return [f"{self.stem}.{fmt}" for fmt in formats]


def name_fields(record: Record, position: int) -> dict[str, Any]:
    """What --name may use: ``index``, the record's own plain fields, and ``<parent>_<field>``."""
    fields: dict[str, Any] = {"index": position}
    for holder, item in record.names.items():
        if holder == "record" or not isinstance(item, BaseModel):
            continue
        for key, value in _plain_fields(item):
            fields[f"{holder}_{key}"] = value
    if isinstance(record.item, BaseModel):
        fields.update(dict(_plain_fields(record.item)))
    return fields


def _plain_fields(item: BaseModel):
    for key in type(item).model_fields:
        value = getattr(item, key)
        if isinstance(value, str | int | float) or value is None:
            yield key, "" if value is None else value
        elif hasattr(value, "isoformat"):
            yield key, value.isoformat()


def check_pattern(pattern: str) -> None:
    """Only plain ``{field}`` / ``{field:fmt}``: no attribute or item access on data values."""
    for _literal, field, _spec, _conversion in string.Formatter().parse(pattern):
        if field is not None and (not field.isidentifier()):
            raise DocgenError(_("--name {pattern!r}: '{{{field}}}' must be a plain field name such as {{name}}").format(
                pattern=pattern, field=field))


def stem_for(pattern: str, record: Record, position: int) -> str:
    fields = name_fields(record, position)
    try:
        raw = pattern.format_map(fields)
    except KeyError as exc:
        known = ", ".join(sorted(fields))
        raise DocgenError(_("--name {pattern!r}: no field {exc} for {label}; fields: {known}").format(
            pattern=pattern, exc=exc, label=record.label, known=known)) from None
    except (ValueError, TypeError) as exc:
        raise DocgenError(_("--name {pattern!r}: {exc}").format(pattern=pattern, exc=exc)) from None
    return output.safe_stem(raw, fallback=f"{position:03d}")


def sources_digest(roots: list[Path]) -> str:
    """One hash of every template a run may read: a template edit re-renders, nothing else does."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*.j2")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def make_jobs(
    records: list[Record], pattern: str, context_digest: str, settings: dict[str, Any]
) -> list[Job]:
    """Jobs with safe stems; collisions are an error listing every clash, raised before any write."""
    check_pattern(pattern)
    settings_text = json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str)
    jobs = []
    for number, record in enumerate(records, 1):
        position = record.index or number  # a record from `select` has its place in the whole list
        stem = stem_for(pattern, record, position)
        digest = hashlib.sha256(
            f"{__version__}\n{context_digest}\n{settings_text}\n{record.label}\n{stem}".encode()
        ).hexdigest()
        jobs.append(Job(position, record, stem, digest))
    clashes: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        clashes[job.stem.casefold()].append(job)
    repeated = [group for group in clashes.values() if len(group) > 1]
    if repeated:
        described = "; ".join(
            f"'{group[0].stem}' ← " + ", ".join(f"{j.record.label} ({j.record.title})" for j in group)
            for group in repeated
        )
        raise DocgenError(
            _("{repeated_count} file name(s) would be used twice: {described}. Add {{index}} to --name, or make the "
              "names distinct in the data; nothing was written").format(
                repeated_count=len(repeated), described=described)
        )
    return jobs
