"""`docgen batch --cluster`: the batch's records rendered by a Dask cluster instead of the local pool.

Dask's distributed scheduler does the scheduling (and runs on Slurm/PBS through dask-jobqueue, on
Kubernetes through dask-kubernetes); docgen only hands it tasks. The batch engine
(``batching.batch``) still plans names, checks collisions, skips what is unchanged and writes the
manifest — from the results the tasks send back; this module only connects, ships the run's
payload once (``remote.py``) and turns the records into tasks of ``CLUSTER_CHUNK`` records.

Faults: a worker that dies mid-task has its task rerun on another worker by the scheduler (files
are written atomically, so the rerun replaces whole files with whole files, and the manifest gets
the one result that came back); a record that fails on its data is a "failed" result, not an
exception, so it is never retried; a task the scheduler gives up on (its workers kept dying:
``distributed.scheduler.allowed-failures``) is split into one task per record, so that only a
record that itself kills workers fails; a task that raises (a bug) fails its records, once.
Ctrl-C cancels what has not run, and a ``local:N`` cluster is shut down with its workers; on a
remote cluster a task already running stops after its current slice of records (``remote.cancelled``):
whole files, not in the manifest, redone by the next run.
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import threading
import uuid
from collections.abc import Callable
from typing import Any

import click

from docgen.batching.plan import Job
from docgen.batching.progress import Progress
from docgen.batching.worker import Settings, died
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.pipeline import LoadedCampaign
from docgen.version import __version__

# Records per task, by measurement (benchmarks/cluster.py: local:2 on a busy 2-core VM; RESULTS.md): a
# task shaped like docgen's costs ~5 ms of scheduling and round trip, a DOCX notice ~13 ms of a worker,
# a PDF 22-28 ms. 1,000 DOCX notices took 1.8x as long at 1 record per task as at 50 (4.6x in a busier
# run), 1.2x at 25; 100 was within noise (0.94x; 2.2x in the busier run: 5 tasks a worker). 50 keeps a
# province (3 million records) at 60,000 tasks. Fewer when a worker would get fewer than 4.
CLUSTER_CHUNK = 50
CONNECT_TIMEOUT = "5s"
WORKER_WAIT = 120  # seconds: an adaptive cluster (dask-jobqueue, dask-kubernetes) may start its workers now
_LOCAL = re.compile(r"^local:(\d+)$")


def chunk_size(tasks: int, workers: int, most: int = CLUSTER_CHUNK) -> int:
    """Records per task: up to ``most``, still giving each worker several tasks."""
    return max(1, min(most, tasks // (max(workers, 1) * 4)))


def connect(address: str) -> tuple[Any, Any]:
    """A Client for ``tcp://host:port`` (or any Dask address), or for a new LocalCluster (``local:N``).

    Returns (client, the LocalCluster or None). Every failure is one DocgenError line."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DocgenError(_("--cluster needs Dask: pip install 'docgen[cluster]'")) from None
    local = _LOCAL.match(address.strip())
    if local:
        workers = int(local.group(1))
        if workers < 1:
            raise DocgenError(_("--cluster {address}: local:N needs N ≥ 1 worker processes").format(address=address))
        with _workers_ignore_ctrl_c():
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                                   silence_logs=logging.ERROR)
        return Client(cluster), cluster
    if address.startswith("local"):
        raise DocgenError(_("--cluster {address}: write local:N (N worker processes on this machine)").format(
            address=address))
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # while connecting: a failure is the one line below, not a log
    try:
        return Client(address, timeout=CONNECT_TIMEOUT), None
    except (OSError, TimeoutError) as exc:
        reason = str(exc).split("\n")[0] or type(exc).__name__
        unreachable = _("--cluster {address}: cannot reach the Dask scheduler within {seconds} ({reason})")
        raise DocgenError(unreachable.format(address=address, seconds=CONNECT_TIMEOUT, reason=reason)) from None
    except ValueError as exc:
        raise DocgenError(_("--cluster {address}: not a scheduler address ({reason}); e.g. tcp://host:8786 "
                            "or local:4").format(address=address, reason=exc)) from None
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _workers_ignore_ctrl_c():
    """Start local:N's worker processes with SIGINT ignored (they inherit it): Ctrl-C at a terminal
    signals the whole process group, and the client alone answers it — cancels, then stops them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run(settings: Settings, campaign: LoadedCampaign, todo: list[Job], address: str, chunk: int | None,
        progress: Callable[[], Progress]) -> list[dict[str, Any]]:
    """Render ``todo`` on the cluster; one result per job, as ``batching._run`` gives.

    The progress line starts once the cluster answers (an unreachable one is then the only line)."""
    if not todo:
        progress().close()
        return []
    client, local = connect(address)
    try:
        return _render(client, settings, campaign, todo, chunk, progress)
    finally:
        client.close()
        if local is not None:
            local.close()


def _render(client: Any, settings: Settings, campaign: LoadedCampaign, todo: list[Job], chunk: int | None,
            make_progress: Callable[[], Progress]) -> list[dict[str, Any]]:
    from distributed import KilledWorker, as_completed

    from docgen.batching import remote
    from docgen.batching.chunks import CHUNK, PDF_CHUNK

    workers = _check_workers(client)
    client.register_plugin(remote.WarmWorker(settings.formats, settings.options.font_dir), name=remote.WarmWorker.name)
    token = uuid.uuid4().hex[:12]
    slice_size = PDF_CHUNK if "pdf" in settings.formats else CHUNK
    [shared] = client.scatter([remote.payload(token, settings, campaign, slice_size)], broadcast=True, hash=False)
    tasks = [(job.position, job.record.label, job.stem) for job in todo]
    size = chunk or chunk_size(len(tasks), workers)
    chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    progress = make_progress()
    dashboard = _dashboard(client)
    if progress.enabled and dashboard:
        click.echo(_("dashboard: {address}").format(address=dashboard), err=True)
    futures = {client.submit(remote.render, shared, part, key=f"docgen-{token}-{n}", pure=False): part
               for n, part in enumerate(chunks)}
    results: list[dict[str, Any]] = []
    try:
        pending = as_completed(futures)
        for future in pending:
            part = futures[future]
            try:
                done = future.result()
            except KilledWorker:
                if len(part) > 1:  # one record may be what kills them: each alone, so only that one fails
                    for n, task in enumerate(part):
                        alone = client.submit(remote.render, shared, [task], key=f"{future.key}-{n}", pure=False)
                        futures[alone] = [task]
                        pending.add(alone)
                    future.release()
                    continue
                done = [died(part[0])]
            except Exception as exc:  # a lost payload, a bug: its records fail, once
                done = [_failed(task, exc) for task in part]
            results += done
            progress.advance(len(done))
            future.release()
    except BaseException:
        client.cancel(list(futures))
        raise
    finally:
        progress.close()
    return results


def _check_workers(client: Any) -> int:
    """At least one worker, each running this docgen: else one error line, before any task."""
    from docgen.batching import remote

    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except TimeoutError:
        raise DocgenError(_("--cluster: the cluster has no worker after {seconds} s").format(
            seconds=WORKER_WAIT)) from None
    try:
        versions = client.run(remote.version)
    except Exception as exc:  # the workers cannot import docgen (ModuleNotFoundError), or one died
        reason = f"{type(exc).__name__}: {exc}"
        raise DocgenError(_("--cluster: the workers cannot run docgen ({reason}); install docgen {version} on "
                            "every worker").format(reason=reason, version=__version__)) from None
    wrong = sorted({v for v in versions.values() if v != __version__})
    if wrong:
        raise DocgenError(_("--cluster: workers run docgen {theirs}, this is {version}; install the same docgen "
                            "on every worker").format(theirs=", ".join(wrong), version=__version__))
    return len(versions)


def _failed(task: tuple[int, str, str], exc: Exception) -> dict[str, Any]:
    return {**died(task), "error": _("the cluster could not run this record: {reason}").format(
        reason=f"{type(exc).__name__}: {exc}")}


def _dashboard(client: Any) -> str | None:
    """The cluster's dashboard address, when it has one (it needs bokeh on the scheduler)."""
    try:
        services = client.scheduler_info().get("services", {})
        return client.dashboard_link if "dashboard" in services else None
    except Exception:  # a scheduler that does not say: no line, not an error
        return None
