"""`docgen batch --cluster`: a real Dask LocalCluster (2 worker processes, no mocks) against the local pool.

One LocalCluster serves the module (started once: worker processes import docgen and build their
writers); the killed-worker test runs last, since it kills one of its workers (the nanny restarts
it). Every test opens what was written.
"""

import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

import docgen
from docgen.errors import DocgenError

from .cli import docgen_cli
from .conftest import EXAMPLE
from .test_batch import branch, campaign_with, docx_text, interrupt_batch, strict_templates

distributed = pytest.importorskip("distributed")  # the cluster extra; CI installs it with `.[test]`


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as local, distributed.Client(local) as client:
        yield local.scheduler_address, client


def notices(tmp_path: Path, count: int) -> Path:
    return campaign_with(tmp_path, [branch(f"第{i:03d}村党支部", f"书记{i:03d}") for i in range(count)])


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def assert_whole(folder: Path, count: int, formats: tuple[str, ...]) -> None:
    """Exactly ``count`` documents per format, each opening, nothing half-written, one manifest entry each."""
    assert not list(folder.glob(".*.part"))
    for fmt in formats:
        paths = sorted(folder.glob(f"*.{fmt}"))
        assert len(paths) == count, fmt
        for path in paths:
            if fmt == "pdf":
                assert len(PdfReader(path).pages) == 1
            else:
                assert zipfile.is_zipfile(path) and "村党支部" in docx_text(path)
    documents = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert sorted(d["index"] for d in documents) == list(range(1, count + 1))


def test_200_notices_from_the_cluster_are_byte_identical_to_the_local_pool(cluster, tmp_path, monkeypatch):
    # Set here, after the workers started: the client's SOURCE_DATE_EPOCH travels with the payload.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = notices(tmp_path, 200)
    pool, dask = tmp_path / "pool", tmp_path / "cluster"
    local = docgen.batch(data, template="notice", each="branches", out=pool, jobs=2)
    remote = docgen.batch(data, template="notice", each="branches", out=dask, cluster=cluster[0])
    assert [d["status"] for d in remote["documents"]] == ["written"] * 200
    assert remote["documents"] == local["documents"]
    made, expected = files_of(dask), files_of(pool)
    assert len(made) == 2 * 200 + 2  # DOCX, PDF, manifest.json and .csv
    assert made.keys() == expected.keys()
    assert [name for name in made if made[name] != expected[name]] == []
    assert_whole(dask, 200, ("docx", "pdf"))


def test_rerun_skips_unchanged_documents_and_force_redoes_them(cluster, tmp_path):
    data = notices(tmp_path, 24)
    out = tmp_path / "out"
    first = docgen.batch(data, template="notice", each="branches", out=out, formats=("docx",), cluster=cluster[0])
    assert {d["status"] for d in first["documents"]} == {"written"}
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}
    (out / "005_第004村党支部.docx").write_bytes(b"damaged")
    again = docgen.batch(data, template="notice", each="branches", out=out, formats=("docx",), cluster=cluster[0])
    statuses = {d["stem"]: d["status"] for d in again["documents"]}
    assert statuses.pop("005_第004村党支部") == "written" and set(statuses.values()) == {"unchanged"}
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}
    assert {name for name in after if after[name] != before[name]} == {"005_第004村党支部.docx"}
    forced = docgen.batch(data, template="notice", each="branches", out=out, formats=("docx",), cluster=cluster[0],
                          force=True)
    assert {d["status"] for d in forced["documents"]} == {"written"}
    assert_whole(out, 24, ("docx",))


def test_a_record_that_fails_on_its_data_fails_once_with_its_index_and_name(cluster, tmp_path):
    """Also: a --templates folder travels in the payload (the workers read their own copy)."""
    branches = [branch("甲村党支部", deadline="2011-06-30"), branch("乙村党支部"),
                branch("丙村党支部", deadline="2011-06-30")]
    data = campaign_with(tmp_path, branches)
    templates = strict_templates(tmp_path)
    out = tmp_path / "out"
    result = docgen_cli("batch", str(data), "--template", "strict", "--each", "branches", "--templates", str(templates),
                        "-o", str(out), "--format", "docx", env={**os.environ, "DOCGEN_CLUSTER": cluster[0]},
                        timeout=300)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: record 2 branches[1] (乙村党支部): ")
    assert "branch.deadline" in errors[0]
    assert result.stdout.startswith("2 written, 0 unchanged, 1 failed")
    # the local batch's progress lines, and the cluster's dashboard
    assert "3/3 done" in result.stderr and "dashboard: http://" in result.stderr
    assert sorted(p.name for p in out.glob("*.docx")) == ["001_甲村党支部.docx", "003_丙村党支部.docx"]
    assert "2011年6月30日前完成" in docx_text(out / "001_甲村党支部.docx")
    stored = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d["status"] for d in stored["documents"]] == ["ok", "failed", "ok"]


def test_the_seal_image_travels_to_the_workers(cluster, tmp_path):
    """The opinion carries the data's seal.png: the workers' copy of it makes the pool's bytes."""
    where = 'branch.category == "农村"'
    pool = docgen.batch(EXAMPLE, template="opinion", each="branches", where=where, out=tmp_path / "pool",
                        formats=("docx",), jobs=1)
    made = docgen.batch(EXAMPLE, template="opinion", each="branches", where=where, out=tmp_path / "cluster",
                        formats=("docx",), cluster=cluster[0])
    assert made["documents"] == pool["documents"] and len(made["documents"]) >= 2
    assert files_of(tmp_path / "cluster") == files_of(tmp_path / "pool")
    seal = (EXAMPLE / "seal.png").read_bytes()
    for path in (tmp_path / "cluster").glob("*.docx"):
        assert zipfile.ZipFile(path).read("word/media/image1.png") == seal


def test_an_fsspec_file_url_and_memory_url(cluster, tmp_path):
    data = notices(tmp_path, 12)
    url = (tmp_path / "到这里").as_uri()  # file:///…/%E5%88%B0…
    made = docgen.batch(data, template="notice", each="branches", out=url, formats=("docx",), cluster=cluster[0])
    assert {d["status"] for d in made["documents"]} == {"written"}
    assert_whole(tmp_path / "到这里", 12, ("docx",))

    # memory:// is one process's memory: with the local engine it works (in this process) …
    import fsspec

    memory = fsspec.filesystem("memory")
    first = docgen.batch(data, template="notice", each="branches", out="memory://docgen-test/run", formats=("docx",))
    assert {d["status"] for d in first["documents"]} == {"written"}
    names = {Path(p).name for p in memory.ls("/docgen-test/run", detail=False)}
    assert len([n for n in names if n.endswith(".docx")]) == 12 and "manifest.json" in names
    assert not [n for n in names if n.endswith(".part")]
    again = docgen.batch(data, template="notice", each="branches", out="memory://docgen-test/run", formats=("docx",))
    assert {d["status"] for d in again["documents"]} == {"unchanged"}
    assert zipfile.ZipFile(memory.open("/docgen-test/run/001_第000村党支部.docx")).testzip() is None
    # … and a cluster's workers cannot reach it: one clear error, before anything is made.
    with pytest.raises(DocgenError, match="this process's memory"):
        docgen.batch(data, template="notice", each="branches", out="memory://docgen-test/other", cluster=cluster[0])
    assert not memory.exists("/docgen-test/other")
    with pytest.raises(DocgenError, match="--zip: -o must be a folder"):
        docgen.batch(data, template="notice", each="branches", out="memory://docgen-test/other", zip=True)


def test_colliding_names_fail_before_the_cluster_is_even_asked(tmp_path):
    data = campaign_with(tmp_path, [branch("春风村党支部"), branch("春风村党支部")])
    out = tmp_path / "out"
    with pytest.raises(DocgenError, match="would be used twice"):  # asked first, nobody listening: "cannot reach"
        docgen.batch(data, template="notice", each="branches", name="{name}", out=out,
                     cluster="tcp://127.0.0.1:9")
    assert not out.exists()


def test_an_unreachable_scheduler_is_one_error_line(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    result = docgen_cli("batch", str(EXAMPLE), "--template", "notice", "--each", "branches", "-o",
                        str(tmp_path / "out"), "--cluster", f"tcp://127.0.0.1:{port}", timeout=120)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: --cluster tcp://127.0.0.1:{port}: cannot reach the Dask scheduler within 5s")
    assert time.monotonic() - started < 60
    assert not list((tmp_path / "out").glob("*.docx"))


def test_without_cluster_dask_and_fsspec_are_not_imported(tmp_path):
    code = (
        "import sys, docgen\n"
        f"docgen.batch({str(EXAMPLE)!r}, template='notice', each='branches', out={str(tmp_path)!r}, "
        "formats=('docx',), jobs=1)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'fsspec')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert len(list(tmp_path.glob("*.docx"))) == 14


@pytest.mark.cluster  # a LocalCluster of its own
def test_ctrl_c_cancels_the_cluster_run_and_leaves_only_whole_files(tmp_path):
    data = notices(tmp_path, 80)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "batch", str(data), "--template", "notice", "--each", "branches",
               "-o", str(out), "--format", "pdf", "--cluster", "local:2"]
    # Ctrl-C at a terminal signals the whole foreground group (client, nannies, workers).
    interrupt_batch(command, out, after=6, whole_group=True)
    assert not list(out.glob(".*.part"))
    pdfs = list(out.glob("*.pdf"))
    assert 0 < len(pdfs) < 80
    for pdf in pdfs:
        assert PdfReader(pdf).pages
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] is True


def test_ctrl_c_stops_the_tasks_running_on_a_remote_cluster(cluster, tmp_path):
    """The module's cluster stands for a remote one: the client cannot stop its workers. Two tasks of 150
    records each run when the client is interrupted; they must stop within a slice (10 records), not
    write their 300 documents."""
    address, client = cluster
    data = notices(tmp_path, 300)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "batch", str(data), "--template", "notice", "--each", "branches",
               "-o", str(out), "--format", "pdf", "--cluster", address, "--chunk", "150"]
    interrupt_batch(command, out, after=12)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and client.run(lambda dask_worker: dask_worker.state.executing_count) != {
            worker: 0 for worker in client.scheduler_info()["workers"]}:
        time.sleep(0.2)
    written = list(out.glob("*.pdf"))
    print(f"{len(written)} of 300 written, Ctrl-C after 12")
    # 30 here: each worker ends the slice (10 records) it is in. Without the stop, all 300 (the two tasks run
    # on to their end); the bound leaves room for a slow machine to start a few more slices before the cancel.
    assert 12 <= len(written) < 100, len(written)
    for pdf in written:
        assert PdfReader(pdf).pages
    assert not list(out.glob(".*.part"))


def kill_a_worker_during_a_batch(address: str, client, tmp_path: Path) -> None:
    """Kill one of the two workers once 8 PDFs are written; every document must still be there once, whole."""
    pids = sorted(client.run(os.getpid).values())
    assert len(pids) == 2
    data = notices(tmp_path, 80)
    out = tmp_path / "out"
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["manifest"] = docgen.batch(data, template="notice", each="branches", out=out, formats=("pdf",),
                                               cluster=address, chunk=4)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 8:
        time.sleep(0.02)
    os.kill(pids[0], signal.SIGKILL)
    at_kill = len(list(out.glob("*.pdf")))
    thread.join(timeout=300)
    assert not thread.is_alive() and "error" not in outcome, outcome.get("error")
    assert at_kill < 80, "the batch finished before the worker was killed"
    documents = outcome["manifest"]["documents"]
    assert [d["status"] for d in documents] == ["written"] * 80
    assert len({f["file"] for d in documents for f in d["files"]}) == 80
    assert_whole(out, 80, ("pdf",))
    for d in documents:  # each file is the one the manifest describes
        (info,) = d["files"]
        assert (out / info["file"]).stat().st_size == info["bytes"]
    client.wait_for_workers(2, timeout=120)  # the nanny restarted the killed worker
    assert pids[0] not in client.run(os.getpid).values()


@pytest.mark.cluster  # a LocalCluster of its own
def test_a_task_the_scheduler_gives_up_on_is_redone_one_record_per_task(tmp_path):
    """allowed-failures 0: the first death is a KilledWorker; its records go again, one task each."""
    import dask

    settings = dask.config.set({"distributed.scheduler.allowed-failures": 0})
    local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                     silence_logs=logging.ERROR)
    with settings, local, distributed.Client(local) as client, distributed.get_task_stream(client) as stream:
        kill_a_worker_during_a_batch(local.scheduler_address, client, tmp_path)
    alone = [task["key"] for task in stream.data if re.fullmatch(r"docgen-\w+-\d+-\d+", str(task["key"]))]
    assert alone and len(alone) % 4 == 0, alone  # the killed worker's tasks (4 records each), one task a record


def test_a_killed_worker_has_its_records_redone_elsewhere_each_written_once_and_whole(cluster, tmp_path):
    kill_a_worker_during_a_batch(*cluster, tmp_path)
