"""What one batch worker does: warm up once, then render and write one record per call.

A worker loads the campaign, its records, the Jinja environment and the writers (fonts, styles,
WeasyPrint's FontConfiguration) once; each call then costs only the document itself. All formats of
a record are rendered before any is written, so a failing record leaves no half set of files.
"""

from __future__ import annotations

import hashlib
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import output
from docgen.batching.records import Record, select
from docgen.errors import DocgenError
from docgen.pipeline import Campaign, build_document, load_campaign
from docgen.script import convert_document
from docgen.writers import writer


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to rebuild the run's state in its own process."""

    data: str
    template: str
    each: str
    formats: tuple[str, ...]
    out: str
    user_dirs: tuple[str, ...] = ()
    font_dir: str | None = None
    script: str = "hans"
    keep: tuple[str, ...] = ()


@dataclass
class _Warm:
    settings: Settings
    campaign: Campaign
    records: dict[str, Record]


_state: _Warm | None = None


def warm_up(settings: Settings, in_pool: bool = False) -> None:
    """Build the per-process state once. Pool workers leave Ctrl-C to the parent, which stops them."""
    global _state
    if in_pool:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    campaign = load_campaign(settings.data)
    records = {r.label: r for r in select(campaign.model, settings.each)}
    _state = _Warm(settings, campaign, records)
    for fmt in settings.formats:  # build the writers now, not inside the first document's time
        writer(fmt, "gbt9704", settings.font_dir)


def render_job(job: tuple[int, str, str]) -> dict[str, Any]:
    """Render and write one record; a bad record becomes a 'failed' result, never an exception."""
    position, label, stem = job
    assert _state is not None, "warm_up() first"
    settings = _state.settings
    record = _state.records[label]
    result: dict[str, Any] = {"index": position, "record": label, "name": record.title, "stem": stem}
    try:
        extra = {**record.names, "index": position}
        document = build_document(_state.campaign, settings.template, settings.user_dirs, extra)
        document = convert_document(document, settings.script, settings.keep)
        rendered = []
        for fmt in settings.formats:
            fmt_writer = writer(fmt, document.meta.profile, settings.font_dir)
            payload = fmt_writer.write_bytes(document)
            pages = getattr(fmt_writer, "last_page_count", None) if fmt == "pdf" else None
            rendered.append((fmt, payload, pages))
        folder = Path(settings.out)
        files = []
        for fmt, payload, pages in rendered:
            path = output.inside(folder, f"{stem}.{fmt}")
            output.write_atomic(path, payload)
            files.append({"file": path.name, "format": fmt, "bytes": len(payload),
                          "sha256": hashlib.sha256(payload).hexdigest(), "pages": pages})
        result.update(status="written", files=files)
    except DocgenError as exc:
        result.update(status="failed", files=[], error=str(exc))
    return result


def render_chunk(jobs: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """Several records per call: fewer round trips between the parent and a worker."""
    return [render_job(job) for job in jobs]


def died(job: tuple[int, str, str]) -> dict[str, Any]:
    """The result for a record whose worker process died before answering."""
    position, label, stem = job
    return {"index": position, "record": label, "name": stem, "stem": stem, "status": "failed", "files": [],
            "error": "the worker process died (killed, or a crash in a native library); run again to retry"}
