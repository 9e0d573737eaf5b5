"""`docgen batch --cluster local:2` against the local pool (-j 2): what Dask costs on one machine,
and the per-document numbers docs/scale.md sizes a province run from.

1. Scheduling overhead against records per task, in one warm LocalCluster of 2 worker processes:
   the cost of an empty task (2,000 of them: scheduler, round trip, result; then 2,000 shaped like
   docgen's: a scattered 600 KB argument, submitted one by one, collected as completed), then DOCX notices
   through `docgen.batch(cluster=…, chunk=K)` for several K (DOCX, so the chunk changes nothing
   but the task count: a PDF chunk also changes the WeasyPrint pass).
2. Interleaved rounds, each contender a fresh process (`contenders.py docgen …`) as a user's
   command, the cluster's start included: 1,000 notice PDFs by `--cluster local:2` and by `-j 2`,
   then 1,000 公开承诺书 (pledge) PDFs by `--cluster local:2`. Wall seconds, peak RSS and CPU
   seconds (user + system of the process and every worker it reaped). After every run every file
   is counted and opened (batch_notices.check_output); the ratio is taken within each round.

Run: .venv/bin/python benchmarks/cluster.py [--records 1000] [--runs 3]
Smoke test: .venv/bin/python benchmarks/cluster.py --quick   (= --records 40 --runs 1)
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from batch_notices import EXAMPLE, Contender, Shortfall, check_output, make_campaign, print_contenders, record_names

from measure import timed_cpu

HERE = Path(__file__).resolve().parent
NOOP_TASKS = 2000
CHUNKS = (1, 2, 5, 10, 25, 50, 100)


def make_pledges(folder: Path, records: int, per_branch: int = 20) -> tuple[Path, list[str]]:
    """A campaign whose branches hold ``records`` members in all (公开承诺书: one per member)."""
    base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    base.pop("documents", None)
    branch = {k: v for k, v in base["branches"][0].items() if k != "members"}
    member = base["branches"][0]["members"][0]
    names = [f"党员{i:05d}" for i in range(records)]
    base["branches"] = [
        {**branch, "name": f"第{b:04d}村党支部",
         "members": [{**member, "name": name} for name in names[start : start + per_branch]]}
        for b, start in enumerate(range(0, records, per_branch))
    ]
    path = folder / f"pledges-{records}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, names


def noop(_: int) -> int:
    return 0


def noop_with(payload: bytes, task: int) -> list[dict]:
    """An empty task shaped like docgen's: a scattered payload as argument, a result entry back."""
    return [{"index": task, "status": "written", "sha256": "0" * 64}]


def overhead(work: Path, records: int) -> list[str]:
    """Part 1: the cost of a task, and DOCX notices by records per task, in one warm LocalCluster."""
    import distributed

    import docgen

    lines = []
    data = make_campaign(work, records)
    names = record_names(records)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as cluster, distributed.Client(cluster) as client:
        client.gather(client.map(noop, range(50)))  # connections made
        started = time.perf_counter()
        client.gather(client.map(noop, range(NOOP_TASKS), pure=False))
        per_task = (time.perf_counter() - started) / NOOP_TASKS
        lines.append(f"empty task, 2 workers, {NOOP_TASKS} tasks: {per_task * 1e3:.2f} ms of wall time per task "
                     f"({1 / per_task:.0f} tasks/s)")
        [shared] = client.scatter([b"x" * 600_000], broadcast=True, hash=False)  # a 1,000-member campaign's size
        started = time.perf_counter()
        futures = [client.submit(noop_with, shared, n, pure=False) for n in range(NOOP_TASKS)]
        for future in distributed.as_completed(futures):  # submitted and collected as docgen does
            future.result()
            future.release()
        per_task = (time.perf_counter() - started) / NOOP_TASKS
        lines.append(f"empty task with a 600 KB scattered argument, submitted one by one, as_completed: "
                     f"{per_task * 1e3:.2f} ms per task ({1 / per_task:.0f} tasks/s)")
        out = work / "chunks"
        address = cluster.scheduler_address
        docgen.batch(data, template="notice", each="branches", formats=("docx",), out=out, cluster=address,
                     force=True)  # warm: plugin, payload path, imports
        lines.append("\n| records per task | tasks | seconds | docs/s | vs 50 per task |\n|---|---|---|---|---|")
        rows = []
        for chunk in CHUNKS:
            shutil.rmtree(out, ignore_errors=True)
            started = time.perf_counter()
            made = docgen.batch(data, template="notice", each="branches", formats=("docx",), out=out,
                                cluster=address, chunk=chunk, force=True)
            seconds = time.perf_counter() - started
            if any(d["status"] != "written" for d in made["documents"]):
                raise Shortfall(f"FAILED: chunk {chunk}: a record failed")
            check_output(f"DOCX, {chunk} per task", [out], "docx", names)
            rows.append((chunk, -(-records // chunk), seconds))
            print(f"  chunk {chunk:>3}: {seconds:6.2f} s", flush=True)
        base = next(s for c, _, s in rows if c == 50)
        for chunk, tasks, seconds in rows:
            lines.append(f"| {chunk} | {tasks} | {seconds:.2f} | {records / seconds:.1f} | {seconds / base:.2f}× |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=None, help="documents per run (default 1000)")
    parser.add_argument("--runs", type=int, default=None, help="rounds (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke run: --records 40 --runs 1 unless given")
    parser.add_argument("--skip-overhead", action="store_true", help="leave part 1 out")
    args = parser.parse_args()
    records = args.records or (40 if args.quick else 1000)
    runs = args.runs or (1 if args.quick else 3)
    python, script = sys.executable, str(HERE / "contenders.py")
    print(f"# {time.strftime('%Y-%m-%d')} · {platform.node()} · {os.cpu_count()} cores · Python "
          f"{platform.python_version()} · {platform.platform()}", flush=True)
    print(f"# {records} documents × {runs} round(s); every output counted and opened\n", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lines = [] if args.skip_overhead else overhead(work, records)
        data = make_campaign(work, records)
        pledges, pledge_names = make_pledges(work, records)

        def contender(key: str, label: str, source: Path, extra: list[str]) -> Contender:
            out = work / f"out-{key}"
            command = [python, script, "docgen", str(source), str(out), "--format", "pdf", "--jobs", "2", *extra]
            made = Contender(key, label, "pdf", lambda: timed_cpu(command), [out])
            return made

        contenders = [
            (contender("cluster", "notices: --cluster local:2", data, ["--cluster", "local:2"]), record_names(records)),
            (contender("pool", "notices: local pool -j 2", data, []), record_names(records)),
            (contender("pledges", "pledges: --cluster local:2", pledges,
                       ["--cluster", "local:2", "--template", "commitment", "--each", "branches[*].members"]),
             pledge_names),
        ]
        bytes_per_pledge = []
        for number in range(runs):
            print(f"round {number + 1}/{runs}", flush=True)
            for made, names in contenders:
                for folder in made.folders:
                    shutil.rmtree(folder, ignore_errors=True)
                seconds, peak, cpu = made.run()
                counted = check_output(made.label, made.folders, "pdf", names)
                made.samples.append({"seconds": seconds, "peak_mib": peak, "cpu": cpu, **counted})
                if made.key == "pledges":
                    sizes = [p.stat().st_size for p in made.folders[0].glob("*.pdf")]
                    bytes_per_pledge.append(sum(sizes) / len(sizes))
                print(f"  {made.label:<32} {seconds:7.2f} s  {records / seconds:6.1f} docs/s  cpu {cpu:6.1f} s  "
                      f"peak {peak:4d} MiB  counted {counted['files']} files, {counted['pages']} pages", flush=True)

    for line in lines:
        print(line)
    print_contenders([c for c, _ in contenders], records)
    by_key = {c.key: c for c, _ in contenders}
    per_round = [p["seconds"] / c["seconds"] for c, p in zip(by_key["cluster"].samples, by_key["pool"].samples,
                                                               strict=True)]
    print("\n| rate ratio, per round | median | rounds |\n|---|---|---|")
    print(f"| notices: --cluster local:2 / -j 2 | {statistics.median(per_round):.2f}× | "
          f"{', '.join(f'{r:.2f}' for r in per_round)} |")
    print("\n| contender | CPU s per document (median) | documents per CPU-second |\n|---|---|---|")
    for made, _ in contenders:
        cpu = statistics.median(s["cpu"] for s in made.samples) / records
        print(f"| {made.label} | {cpu * 1e3:.1f} ms | {1 / cpu:.1f} |")
    if bytes_per_pledge:
        print(f"\npledge PDF: {statistics.median(bytes_per_pledge) / 1024:.1f} KiB on average "
              f"(pages: {by_key['pledges'].samples[0]['pages'] / records:.2f} per pledge)")


if __name__ == "__main__":
    try:
        main()
    except Shortfall as exc:
        print(exc.code, file=sys.stderr)
        sys.exit(1)
