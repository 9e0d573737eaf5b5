"""What runs on a Dask worker for `docgen batch --cluster`: a warm-up plugin and the chunk task.

The worker need not see the client's files. The client loads and validates the data once and
scatters a ``Payload`` to every worker (``client.scatter(..., broadcast=True)``): the campaign
itself, the run's settings, the files of the ``--templates`` folders, the seal images the data
names and the client's SOURCE_DATE_EPOCH (the documents' timestamps: same input, same bytes,
wherever a worker runs). Each task then gets the worker's own copy by reference, so the data travels once per worker,
not once per task. ``WarmWorker`` (a worker plugin: it also runs on a worker that joins later, e.g.
one the nanny restarted after a crash) builds the writers — fonts, styles, WeasyPrint's font
configuration — and the Jinja environment before the first task; the first task of a run on a
worker adopts the payload (``worker.adopt``) and every later one finds it there (a worker keeps the
last few runs' states, for clients that share a cluster).

A task renders its records with the local pool's own ``worker.render_chunk``, in slices of the
pool's chunk size (one WeasyPrint pass per slice), so a cluster makes the same bytes as the pool;
between slices it stops if the client cancelled it (Ctrl-C), which Dask itself does not do.
Tasks on one worker take turns (a lock): the per-process state is one run's.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from docgen import pipeline, templating
from docgen.batching import worker
from docgen.batching.worker import Settings
from docgen.standard import DEFAULT_PROFILE
from docgen.version import __version__
from docgen.writers import writer

Task = tuple[int, str, str]  # (position, record label, file stem), as the local pool's


@dataclass(frozen=True)
class Payload:
    """What every worker holds once per run."""

    key: str  # this run's token
    settings: Settings
    campaign: pipeline.LoadedCampaign
    templates: tuple[tuple[tuple[str, bytes], ...], ...]  # per --templates folder: (relative path, bytes)
    seals: tuple[tuple[str, bytes], ...]  # (the client's path, bytes) of each seal image the data names
    slice_size: int  # records per render_chunk call: the local pool's chunk size
    epoch: str | None  # the client's SOURCE_DATE_EPOCH


def payload(key: str, settings: Settings, campaign: pipeline.LoadedCampaign, slice_size: int) -> Payload:
    """Collect what a worker on another machine needs besides docgen itself."""
    templates = tuple(
        tuple((str(path.relative_to(root)), path.read_bytes()) for path in sorted(Path(root).rglob("*"))
              if path.is_file())
        for root in map(Path, settings.options.user_dirs)
    )
    seals = tuple(
        (document.seal, Path(document.seal).read_bytes())
        for document in campaign.model.documents.values() if document.seal
    )
    return Payload(key, settings, campaign, templates, seals, slice_size, os.environ.get("SOURCE_DATE_EPOCH"))


class WarmWorker(WorkerPlugin):
    """Once per worker process: the writers (fonts, styles) and the Jinja environment."""

    name = "docgen-warm"

    def __init__(self, formats: tuple[str, ...], font_dir: str | None) -> None:
        self.formats, self.font_dir = formats, font_dir

    def setup(self, worker: Any) -> None:
        templating.environment(())
        for fmt in self.formats:
            writer(fmt, DEFAULT_PROFILE, self.font_dir)


def version() -> str:
    """This worker's docgen (the client checks it is its own)."""
    return __version__


KEEP_RUNS = 4  # runs whose state a worker keeps: several clients (say, one per county) may share a cluster
_lock = threading.Lock()
# payload key → (worker state, the folder holding that run's templates and seals), most recent last
_runs: OrderedDict[str, tuple[Any, tempfile.TemporaryDirectory | None]] = OrderedDict()


def render(shared: Payload, tasks: list[Task]) -> list[dict[str, Any]]:
    """One cluster task: adopt the run's payload if this worker has not yet, then render the records."""
    with _lock:
        run = _runs.pop(shared.key, None)
        if run is None:
            settings, campaign, files = _materialized(shared)
            run = (worker.adopt(settings, campaign), files)
        else:
            worker.use(run[0])
        _runs[shared.key] = run
        while len(_runs) > KEEP_RUNS:
            _, (_, old_files) = _runs.popitem(last=False)
            if old_files is not None:
                old_files.cleanup()
        if shared.epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = shared.epoch
        results: list[dict[str, Any]] = []
        for start in range(0, len(tasks), shared.slice_size):
            if cancelled():
                break  # the client is gone (Ctrl-C): what is written is whole; the rest is redone next run
            results += worker.render_chunk(tasks[start : start + shared.slice_size])
        return results


def cancelled() -> bool:
    """Whether the client cancelled the task this thread runs. Dask does not stop a running task: its
    worker marks it cancelled and lets it finish, so a task of 50 records on a remote cluster went on
    writing for seconds after a Ctrl-C. Read from the worker's own state: no call to the scheduler."""
    try:
        from distributed import get_worker

        here = get_worker()
        task = here.state.tasks.get(here.get_current_task())
    except Exception:  # noqa: BLE001 - not on a worker, or another distributed: carry on as before
        return False
    return task is not None and task.state == "cancelled"


def _materialized(shared: Payload) -> tuple[Settings, pipeline.LoadedCampaign, tempfile.TemporaryDirectory | None]:
    """The payload's templates and seals as files in a temporary folder of this worker, the settings
    and campaign pointing at them (and the folder, removed when the worker forgets the run)."""
    settings, campaign = shared.settings, shared.campaign
    if not shared.templates and not shared.seals:
        return settings, campaign, None
    folder = tempfile.TemporaryDirectory(prefix="docgen-worker-")
    root = Path(folder.name)
    user_dirs = []
    for number, files in enumerate(shared.templates):
        for name, data in files:
            path = root / f"templates{number}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        user_dirs.append(str(root / f"templates{number}"))
    seals = {}
    for number, (original, data) in enumerate(shared.seals):
        path = root / f"seal{number}" / Path(original).name  # its own name: the DOCX names the picture by it
        path.parent.mkdir()
        path.write_bytes(data)
        seals[original] = str(path)
    if seals:
        documents = {key: doc.model_copy(update={"seal": seals[doc.seal]}) if doc.seal else doc
                     for key, doc in campaign.model.documents.items()}
        campaign = replace(campaign, model=campaign.model.model_copy(update={"documents": documents}))
    return replace(settings, options=replace(settings.options, user_dirs=tuple(user_dirs))), campaign, folder
