"""What one batch worker does: warm up once, then render and write a chunk of records per call.

A worker loads the campaign, its records, the Jinja environment and the writers (fonts, styles,
WeasyPrint's FontConfiguration) once; each call then costs only the documents themselves. A chunk
goes through ``pipeline.run_many``: every record's model first, then the good ones' PDFs from one
WeasyPrint layout pass. All formats of a record are rendered before any is written, so a failing
record leaves no half set of files, and it fails alone: the chunk's other records are written.

The same functions run in a local pool process (``warm_up`` loads the data) and on a Dask worker
(``batching/remote.py`` hands ``adopt`` the campaign the client loaded and scattered).
"""

from __future__ import annotations

import gc
import hashlib
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import pipeline
from docgen.batching.records import Record, select
from docgen.batching.target import Target, open_target
from docgen.engines import engine_for
from docgen.errors import DocgenError
from docgen.files import output
from docgen.options import Options
from docgen.writers import extension


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to rebuild the run's state in its own process."""

    data: str
    template: str
    each: str
    formats: tuple[str, ...]
    out: str  # a folder, or a URL (batching/target.py)
    options: Options = Options()  # how each document is made (the batch's ``document`` options)


@dataclass
class _Warm:
    settings: Settings
    campaign: pipeline.LoadedCampaign
    records: dict[str, Record]
    target: Target
    template_notes: tuple[str, ...] = ()  # a Word template's own warnings: the batch says them once, not per record


_state: _Warm | None = None
# The campaign the batch already loaded (its data path, the campaign): warm_up in the same process, or in a
# pool worker forked from it, takes it instead of reading and validating the YAML again (a third of a
# large batch's time went to loading it twice). A spawned worker starts empty and loads the file.
_loaded: tuple[str, pipeline.LoadedCampaign] | None = None


@contextmanager
def campaign_loaded(data: str, campaign: pipeline.LoadedCampaign) -> Iterator[None]:
    """While the batch renders: warm_up takes this campaign for ``data`` instead of loading it again."""
    global _loaded
    _loaded = (data, campaign)
    try:
        yield
    finally:
        _loaded = None


def warm_up(settings: Settings, in_pool: bool = False) -> None:
    """Build the per-process state once. Pool workers leave Ctrl-C to the parent, which stops them."""
    if in_pool:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _loaded is not None and _loaded[0] == settings.data:
        campaign = _loaded[1]
    else:
        campaign = pipeline.load_campaign(settings.data)
    adopt(settings, campaign)
    # What warm-up built lives as long as the process: out of the garbage collector's way. A PDF notice's
    # collections walked it again and again (2.1 -> 0.65 ms of collecting a notice); the DOCX writer's
    # lxml trees are not the collector's, so a DOCX batch does not notice. The in-process run unfreezes
    # when it ends (batching._run).
    gc.freeze()


def adopt(settings: Settings, campaign: pipeline.LoadedCampaign) -> _Warm:
    """Make ``campaign`` (loaded here, or by a cluster's client) this process's state, writers built."""
    state = _Warm(settings, campaign, {r.label: r for r in select(campaign.model, settings.each)},
                  open_target(settings.out))
    use(state)
    # the engine's once-per-process set-up (the writers built, a Word file compiled), and the template's own notes
    state.template_notes = tuple(engine_for(settings.template).warm(settings.template, settings.formats,
                                                                    settings.options))
    return state


def use(state: _Warm) -> None:
    """Switch to a state ``adopt`` made before (a cluster worker serving several runs keeps a few)."""
    global _state
    _state = state


def render_job(job: tuple[int, str, str]) -> dict[str, Any]:
    """Render and write one record; a bad record becomes a 'failed' result, never an exception."""
    return render_chunk([job])[0]


def _made(job: tuple[int, str, str]) -> pipeline.Result | DocgenError:
    position, label, _stem = job
    assert _state is not None, "warm_up() first"
    settings = _state.settings
    try:
        return pipeline.run(_state.campaign, settings.template, formats=settings.formats,
                            record=record_names(_state.records[label], position), options=settings.options)
    except DocgenError as exc:
        return exc


def _write(jobs: list[tuple[int, str, str]], made: list[pipeline.Result | DocgenError]) -> list[dict[str, Any]]:
    """Write each record's files atomically (its manifest entry), or report why it failed.

    Every file of the chunk is staged first (a temporary file beside its name), then one sync makes them
    all durable and only then are they renamed into place (``output``): a name only ever shows a whole
    file, and a record whose staging fails leaves none of its files."""
    assert _state is not None, "warm_up() first"
    folder = _state.target.folder  # None for an fsspec store (written record by record, whole)
    results: list[dict[str, Any]] = []
    staged: list[list[output.Staged]] = []
    for job, one in zip(jobs, made, strict=True):
        result, files = _stage(folder, job, one)
        results.append(result)
        staged.append(files)
    everything = [item for files in staged for item in files]
    if folder is None:
        return results
    try:
        output.make_durable(folder, everything)
    except DocgenError as exc:
        output.discard(everything)
        for result, files in zip(results, staged, strict=True):
            if files:
                result.update(status="failed", files=[], error=str(exc))
        return results
    for result, files in zip(results, staged, strict=True):
        for number, item in enumerate(files):
            try:
                output.commit(item)
            except DocgenError as exc:
                output.discard(files[number + 1:])
                result.update(status="failed", files=[], error=str(exc))
                break
    if everything:
        output.sync_folder(folder)
    return results


def _stage(folder: Path | None, job: tuple[int, str, str],
           made: pipeline.Result | DocgenError) -> tuple[dict[str, Any], list[output.Staged]]:
    """One record's manifest entry and its staged files (none if it failed)."""
    position, label, stem = job
    assert _state is not None, "warm_up() first"
    record = _state.records[label]
    result: dict[str, Any] = {"index": position, "record": label, "name": record.title, "stem": stem}
    staged: list[output.Staged] = []
    try:
        if isinstance(made, DocgenError):
            raise made
        files = []
        # A DOCX's pages are Word's to decide; the PDF writer lays out the same pages (LibreOffice agrees in
        # the tests), so when both are made the manifest gives the DOCX the PDF's count.
        laid_out = next((r.pages for r in made.outputs.values() if r.pages is not None), None)
        for fmt, rendered in made.outputs.items():
            name = f"{stem}.{extension(fmt)}"
            if folder is None:  # a store: each file one whole put, nothing to stage
                written = _state.target.write(name, rendered.data)
            else:
                path = output.inside(folder, name)
                staged.append(output.stage(path, rendered.data))
                written = path.name
            files.append({"file": written, "format": fmt, "bytes": len(rendered.data),
                          "sha256": hashlib.sha256(rendered.data).hexdigest(),
                          "pages": rendered.pages if rendered.pages is not None else laid_out})
        result.update(status="written", files=files)
        warnings = [w for w in made.warnings if w not in _state.template_notes]
        if warnings:
            result["warnings"] = warnings
    except DocgenError as exc:
        output.discard(staged)
        staged = []
        result.update(status="failed", files=[], error=str(exc))
    except BaseException:
        output.discard(staged)
        raise
    return result, staged


def record_names(record: Record, position: int) -> dict[str, Any]:
    """What a record's template sees besides the campaign: the record by its singular name, and index."""
    return {**record.names, "index": position}


def render_chunk(jobs: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """Several records per call: fewer round trips, one sync of their files, and their PDFs laid out in one
    WeasyPrint pass."""
    assert _state is not None, "warm_up() first"
    if len(jobs) < 2:
        return _write(jobs, [_made(job) for job in jobs])
    settings = _state.settings
    records = [record_names(_state.records[label], position) for position, label, _ in jobs]
    made = pipeline.run_many(_state.campaign, settings.template, records, formats=settings.formats,
                             options=settings.options)
    return _write(jobs, made)


def died(job: tuple[int, str, str]) -> dict[str, Any]:
    """The result for a record whose worker process died before answering."""
    position, label, stem = job
    return {"index": position, "record": label, "name": stem, "stem": stem, "status": "failed", "files": [],
            "error": "the worker process died (killed, or a crash in a native library); run again to retry"}
