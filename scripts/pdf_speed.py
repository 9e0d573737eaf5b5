"""How fast docgen makes PDF notices: warm per-document time, batch chunk sizes, and `docgen batch`.

    .venv/bin/python scripts/pdf_speed.py [--records 200] [--runs 3] [--names varied|digits]
        [--src PATH]        # time another checkout's src/ (e.g. the commit before) with this venv
        [--only single,chunks,batch]

- single: ``pipeline.run(…, formats=("pdf",))`` per record in a warm process (median ms per notice);
- chunks: ``pipeline.run_many`` over all records in chunks of 1, 2, 5, 10, 20, 50 (needs run_many);
- batch: ``docgen batch … --format pdf -j 1`` and ``-j 2`` as a child process, wall time (median of
  --runs), so process start and worker warm-up count, as they do for a user.

``--names varied`` gives every branch and secretary other Chinese characters (a new glyph set per
notice, as real rosters do: the subset cache rarely hits for the body font); ``digits`` numbers
them like benchmarks/batch_notices.py (第0001村党支部), where most notices share their glyphs.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "wadian" / "campaign.yaml"
HANZI = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
         "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
         "建国明华春秋山水河桥岭坪湾沟塘坝庄园林泉溪峰岩松柏梅兰竹菊福寿康宁安平和顺兴旺富贵荣昌盛德文武英杰")


def make_campaign(folder: Path, records: int, names: str) -> Path:
    base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    base.pop("documents", None)
    template = {k: v for k, v in base["branches"][0].items() if k != "members"}
    pick = random.Random(2010)
    branches = []
    for i in range(records):
        if names == "digits":
            name, secretary = f"第{i:04d}村党支部", f"书记{i:04d}"
        else:
            name = "".join(pick.sample(HANZI, 3)) + f"村{i}党支部"
            secretary = "".join(pick.sample(HANZI, 3))
        branches.append({**template, "name": name, "secretary": secretary})
    base["branches"] = branches
    path = folder / f"campaign-{records}-{names}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def in_process(data: Path, runs: int, parts: set[str]) -> None:
    from docgen import pipeline
    from docgen.batching.records import select
    from docgen.batching.worker import record_names

    print(f"docgen from {Path(pipeline.__file__).parent}", flush=True)
    campaign = pipeline.load_campaign(data)
    records = [record_names(r, i) for i, r in enumerate(select(campaign.model, "branches"), 1)]
    template = "notice/main.md.j2"
    for record in records[:5]:  # warm: writer, fonts, stylesheet
        pipeline.run(campaign, template, formats=("pdf",), record=record)

    def cold_cache() -> None:
        """Each run renders every record once, as a batch does: no subset of the last run is reused."""
        try:
            from docgen.writers.pdf import internals as pdf_internals
        except ImportError:  # a checkout before the subset cache
            return
        pdf_internals.clear()
    if "single" in parts:
        wall, cpu = [], []
        for _ in range(runs):
            cold_cache()
            for record in records:
                t, c = time.perf_counter(), time.process_time()
                pipeline.run(campaign, template, formats=("pdf",), record=record)
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
        print(f"single warm notice: median {statistics.median(wall) * 1e3:.1f} ms wall, "
              f"{statistics.median(cpu) * 1e3:.1f} ms CPU ({len(wall)} renders)", flush=True)
    if "chunks" in parts and hasattr(pipeline, "run_many"):
        sizes = (1, 2, 5, 10, 20, 50)
        samples: dict[int, list[float]] = {n: [] for n in sizes}
        for _ in range(runs):
            for n in sizes:  # interleaved, so a busy moment of the machine hits every size alike
                cold_cache()
                c = time.process_time()
                for i in range(0, len(records), n):
                    pipeline.run_many(campaign, template, records[i : i + n], formats=("pdf",))
                samples[n].append((time.process_time() - c) / len(records))
        for n in sizes:
            print(f"run_many chunk {n:3d}: median {statistics.median(samples[n]) * 1e3:.1f} ms CPU/notice "
                  f"(min {min(samples[n]) * 1e3:.1f})", flush=True)


def batch(data: Path, runs: int, src: str | None, work: Path, records: int) -> None:
    env = {**os.environ, **({"PYTHONPATH": src} if src else {})}
    for jobs in (1, 2):
        seconds, cpu = [], []
        for _ in range(runs):
            out = work / f"out-{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "docgen", "batch", str(data), "--template", "notice", "--each",
                            "branches", "--format", "pdf", "-j", str(jobs), "-o", str(out)],
                           check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seconds.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        median = statistics.median(seconds)
        print(f"docgen batch pdf -j {jobs}: median {median:.2f} s for {records} notices, {records / median:.1f} docs/s "
              f"({median / records * 1e3:.1f} ms/notice; CPU {statistics.median(cpu):.2f} s; "
              f"runs {', '.join(f'{s:.2f}' for s in seconds)})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--names", choices=("varied", "digits"), default="varied")
    parser.add_argument("--src", help="a checkout's src/ folder to time instead of this one")
    parser.add_argument("--only", default="single,chunks,batch")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if args.src:
        sys.path.insert(0, args.src)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1276560000")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = make_campaign(work, args.records, args.names)
        print(f"# {args.records} notices, names {args.names}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
              flush=True)
        if parts & {"single", "chunks"}:
            in_process(data, args.runs, parts)
        if "batch" in parts:
            batch(data, args.runs, args.src, work, args.records)


if __name__ == "__main__":
    main()
