"""The work `docgen serve` hands off: one warm preview process, and one process per batch.

The page never renders in the server's own process. A render is CPU work (WeasyPrint holds the GIL
for its whole layout), a template's time limit is a SIGALRM that only a main thread can take, and a
crash in a native library must not take the server down. So:

- ``PreviewWorker`` keeps one process (spawned, not forked from the threaded server) that has built
  the writers once and answers ``PreviewJob``s with ``make`` — ``pipeline.run`` on the editor's text or the
  file on disk, exactly as ``docgen render`` and a batch worker call it. A job that runs longer than
  its time limit, or a process that dies or grows past ``MAX_RSS``, is replaced by a fresh one.
- ``PreviewWorker(role="check")`` is a second such process, not warmed with writers, for
  ``/api/check``: ``checking.check`` (the data loaded as `docgen validate` loads it, rosters included) runs
  there under an address-space limit (``CHECK_MEMORY``) and a time limit (``CHECK_SECONDS``), so a
  roster that would take gigabytes or minutes (issue 28: three checks of a 7 MB bomb took 4.4 GB in
  the server and blocked every preview for 47 s) costs a refusal or a restarted process, never the
  server's memory or its other requests.
- ``Batches`` runs ``docgen.batch(..., zip=True)`` in a spawned process per batch and follows its
  progress through a queue, so the server keeps answering while documents are written.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import queue as queue_module
import resource
import secrets
import signal
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docgen import i18n
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.options import Options

JOB_SECONDS = 90.0  # longer than the template time limit (60 s) plus a long document's layout
MAX_RSS = 1_500 * 1024 * 1024  # a preview process that grew past this is replaced after its answer
CHECK_SECONDS = 30.0  # validating a county's 36,000-member roster takes about a second
CHECK_MEMORY = 2 * 1024**3  # the check process's address space: a roster needing more is refused, not served


@dataclass(frozen=True)
class PreviewJob:
    """One document to make: which campaign (its file, and the editor's text if unsaved), which
    template (as ``pipeline.run`` names it), which record of a per-record kind (1-based), which formats,
    and how (the site's ``Options``)."""

    data: str
    template: str
    text: str | None = None
    record: int | None = None
    formats: tuple[str, ...] = ("pdf",)
    options: Options = Options()
    lang: str = "en"  # the page's language: messages are made in the preview process


@dataclass(frozen=True)
class CheckJob:
    """One check of a campaign file (its editor's text, if unsaved) for the page: ``checking.check``'s arguments."""

    site: Any  # web.site.Site
    data: str
    text: str | None = None
    lang: str = "en"


def failure(message: str, line: int | None = None) -> dict[str, Any]:
    return {"ok": False, "error": message, "line": line}


# ---- inside the preview process -------------------------------------------------------------------

_campaigns: dict[tuple[str, str, str], Any] = {}  # the last campaign loaded (and its files' stamps), by text


def _campaign(data: str, text: str | None):
    """The campaign of the editor's text, kept while the text — and every other file it was read from (a
    roster workbook the page wrote back, a seal) — stays the same."""
    from docgen import pipeline

    if text is None:
        return pipeline.load_campaign(data)
    key = (data, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), i18n.current())
    kept = _campaigns.get(key)
    if kept is None or _stamps(kept[0].loaded.files, data) != kept[1]:
        _campaigns.clear()  # one is enough: a preview after an edit comes with new text
        campaign = pipeline.load_campaign(data, text)
        _campaigns[key] = (campaign, _stamps(campaign.loaded.files, data))
    return _campaigns[key][0]


def _stamps(files: list[str], data: str) -> tuple:
    stamps = []
    for file in files:
        if Path(file).resolve() == Path(data).resolve():
            continue  # the campaign file itself: the editor's text stands for it
        try:
            stat = Path(file).stat()
            stamps.append((file, stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append((file, None, None))
    return tuple(stamps)


def make(job: PreviewJob) -> dict[str, Any]:
    """Run the pipeline for one job; a failure is one line (with the data's line when it has one)."""
    with i18n.using(job.lang):
        return _make(job)


def _make(job: PreviewJob) -> dict[str, Any]:
    from docgen import pipeline
    from docgen.batching.records import select
    from docgen.batching.worker import record_names

    started = time.perf_counter()
    try:
        campaign = _campaign(job.data, job.text)
        names = None
        record_title = None
        each = pipeline.template_markers(job.template, job.options.user_dirs).each
        if each:
            records = select(campaign.model, each)
            if not records:
                raise DocgenError(_("the data has no {each} to make this document for").format(each=each))
            position = job.record or 1
            if not 1 <= position <= len(records):
                raise DocgenError(_("record {position}: the data has {records_count} {each}").format(
                    position=position, records_count=len(records), each=each))
            record = records[position - 1]
            names, record_title = record_names(record, position), record.title
        result = pipeline.run(campaign, job.template, formats=job.formats, record=names, options=job.options)
    except DocgenError as exc:
        line = exc.where.line if exc.where and Path(exc.where.file) == Path(job.data) else None
        return failure(str(exc), line)
    except Exception as exc:  # a bug in docgen: one line, like the CLI
        return failure(_("internal error: {name}: {exc}").format(name=type(exc).__name__, exc=exc))
    return {
        "ok": True,
        "outputs": {fmt: (r.data, r.pages) for fmt, r in result.outputs.items()},
        "title": result.document.meta.title,
        "record_title": record_title,
        "warnings": [*campaign.warnings, *result.warnings],
        "seconds": time.perf_counter() - started,
    }


def check(job: CheckJob) -> dict[str, Any]:
    """``checking.check`` in the check process; its answer under ``checked``."""
    from docgen.web.checking import check as check_text

    with i18n.using(job.lang):
        try:
            return {"ok": True, "checked": check_text(job.site, Path(job.data), job.text)}
        except MemoryError:
            return failure(_("checking the data needed more than {most} MiB of memory; is a roster too large?").format(
                most=CHECK_MEMORY // 2**20))
        except Exception as exc:  # a bug in docgen: one line, like the CLI
            return failure(_("internal error: {name}: {exc}").format(name=type(exc).__name__, exc=exc))


def _rss() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _serve(conn, font_dir: str | None, role: str = "preview") -> None:
    """The preview process: build the writers once, then answer jobs until the pipe closes. The check
    process builds none, and cannot grow past CHECK_MEMORY."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    if role == "check":
        resource.setrlimit(resource.RLIMIT_AS, (CHECK_MEMORY, CHECK_MEMORY))
    else:
        from docgen.standard import DEFAULT_PROFILE
        from docgen.writers import FORMATS, writer

        for fmt in FORMATS:
            writer(fmt, DEFAULT_PROFILE, font_dir)
    conn.send({"ready": os.getpid()})
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        reply = check(job) if isinstance(job, CheckJob) else make(job)
        reply["rss"] = _rss()
        conn.send(reply)


# ---- in the server ---------------------------------------------------------------------------------


class PreviewWorker:
    """One warm preview process (``role="check"``: the check process); ``call`` is thread-safe and never
    raises for a bad document."""

    def __init__(self, font_dir: str | None = None, seconds: float = JOB_SECONDS, role: str = "preview") -> None:
        self.font_dir = font_dir
        self.seconds = seconds
        self.role = role
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn = None
        self._ready = False
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> None:
        with self._lock:
            self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # the server has threads: never fork it
        parent, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self.font_dir, self.role),
                                        name=f"docgen-{self.role}", daemon=True)
        self._process.start()
        child.close()
        self._conn, self._ready = parent, False

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None
        self._ready = False

    def _restart(self) -> None:
        self._stop()
        self.restarts += 1
        self._start()

    def _receive(self, deadline: float) -> Any:
        assert self._conn is not None
        if not self._conn.poll(max(0.0, deadline - time.monotonic())):
            raise TimeoutError
        return self._conn.recv()

    def call(self, job: PreviewJob | CheckJob) -> dict[str, Any]:
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._stop()
                self._start()
            deadline = time.monotonic() + self.seconds
            try:
                while not self._ready:  # the first job after a start waits for the warm-up
                    self._ready = "ready" in self._receive(deadline + 30)
                self._conn.send(job)
                reply = self._receive(deadline)
            except TimeoutError:
                self._restart()
                if self.role == "check":
                    return failure(_("stopped after {seconds:.0f} s: checking the data took too long (is a roster "
                                     "too large?)").format(seconds=self.seconds))
                return failure(_("stopped after {seconds:.0f} s: the document took too long to make").format(
                    seconds=self.seconds))
            except (EOFError, OSError):
                if self._process is not None:
                    self._process.join(5)  # reaped, so that its exit code (a signal: -6, -9) is known
                code = self._process.exitcode if self._process else None
                self._restart()
                if self.role == "check":
                    return failure(_("the check process stopped (exit code {code}; a roster too large for its {most} "
                                     "MiB?); it was restarted").format(code=code, most=CHECK_MEMORY // 2**20))
                return failure(_("the preview process stopped (exit code {code}); it was restarted").format(code=code))
            if reply.get("rss", 0) > MAX_RSS:
                self._restart()
            return reply

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError):
                    self._conn.send(None)
            if self._process is not None:
                self._process.join(2)
            self._stop()


def _run_batch(params: dict[str, Any], events) -> None:
    """A batch process: docgen.batch with zip=True, its progress and result sent as events."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from docgen.batching import batch

    params = dict(params)
    i18n.use(params.pop("lang", None))
    try:  # params: the data, template= or speech=, and the BatchOptions the page built
        result = batch(**params, on_progress=lambda done, total: events.put(("progress", done, total)),
                       warn=lambda message: events.put(("warning", message)))
        events.put(("done", result))
    except DocgenError as exc:
        events.put(("error", str(exc)))
    except Exception as exc:
        events.put(("error", _("internal error: {name}: {exc}").format(name=type(exc).__name__, exc=exc)))


@dataclass
class BatchState:
    id: str
    out: Path
    label: str
    state: str = "starting"  # starting → running → done | failed
    done: int = 0
    total: int | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None


class Batches:
    """Batches in their own processes; one at a time per output folder."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.jobs: dict[str, BatchState] = {}

    def running(self, out: Path) -> BatchState | None:
        with self._lock:
            return next((j for j in self.jobs.values() if j.out == out and j.state in ("starting", "running")),
                        None)

    def start(self, params: dict[str, Any], out: Path, label: str) -> BatchState:
        with self._lock:
            if any(j.out == out and j.state in ("starting", "running") for j in self.jobs.values()):
                raise DocgenError(_("a batch into this folder is already running"), str(out))
            state = BatchState(secrets.token_hex(8), out, label)
            self.jobs[state.id] = state
            for old in [j for j in self.jobs.values() if j.state in ("done", "failed")][:-20]:
                self.jobs.pop(old.id, None)  # keep the last few finished ones for the page to read
        context = multiprocessing.get_context("spawn")
        events = context.Queue()
        params = {**params, "options": replace(params["options"], out=str(out))}
        process = context.Process(target=_run_batch, args=(params, events),
                                  name="docgen-batch", daemon=True)
        process.start()
        threading.Thread(target=self._follow, args=(state, process, events), daemon=True,
                         name=f"docgen-batch-{state.id}").start()
        return state

    def _follow(self, state: BatchState, process, events) -> None:
        while True:
            try:
                event = events.get(timeout=0.5)
            except queue_module.Empty:
                if not process.is_alive():
                    try:  # its last event may still be in the pipe
                        event = events.get(timeout=1)
                    except queue_module.Empty:
                        state.state = "failed"
                        state.error = _("the batch process stopped (exit code {code})").format(code=process.exitcode)
                        break
                else:
                    continue
            kind = event[0]
            if kind == "progress":
                state.state, state.done, state.total = "running", event[1], event[2]
            elif kind == "warning":
                state.warnings.append(event[1])
            elif kind == "done":
                state.result, state.state = event[1], "done"
                break
            elif kind == "error":
                state.error, state.state = event[1], "failed"
                break
        state.seconds = time.monotonic() - state.started
        process.join(10)
        events.close()
