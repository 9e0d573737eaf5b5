"""Where a DOCX notice's CPU goes at -j 1: a warm worker's per-notice costs, by stage.

Two views of the same N notices (default 300), both after the worker is warm (campaign loaded,
Jinja environment and DOCX writer built):

- stage timers: thin wrappers around the stage functions (Jinja render, Markdown → model, the DOCX
  writer's element building, XML serialization, zip compression, sha256, the staged file writes,
  the one sync per chunk and the renames) count CPU and wall time per call, with next to no
  overhead of their own;
- cProfile: the top functions by own time, for the detail (cProfile inflates pure-Python code).

Then the same records through the public ``docgen.batch(..., jobs=1)``: the run's CPU per notice,
including what happens once per run (plan, input hashes, manifest).

Run: .venv/bin/python benchmarks/profile_docx.py [--records 300] [--top 25]
It renders with docgen's internals (the batch worker); it is a measurement, never a test.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import hashlib
import io
import pstats
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from batch_notices import make_campaign

STAGES: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])  # name → [cpu s, wall s, calls]
WRITER = "DOCX writer total (python-docx)"
PACKAGE = "  package → bytes (XML serialization + zip; unchanged parts cached)"
ZIP = "    zip entries deflated (document.xml, core.xml; the rest once)"


def _timed(name: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            stage = STAGES[name]
            stage[0] += time.process_time() - cpu
            stage[1] += time.perf_counter() - wall
            stage[2] += 1

    return wrapper


def _instrument() -> None:
    """Wrap the stage functions where the worker and the writer look them up."""
    from docgen.batching import worker
    from docgen.engines import markdown as pipeline  # the Markdown engine's stages
    from docgen.files import output, zipped
    from docgen.writers import docx as docx_writer

    pipeline.model = _timed("template → model (Jinja, markdown-it, frame, transforms)", pipeline.model)
    pipeline.templating.render = _timed("  Jinja render (sandboxed)", pipeline.templating.render)
    pipeline.markup.read = _timed("  Markdown → blocks (markdown-it, front matter)", pipeline.markup.read)
    pipeline.markup._read_front_matter = _timed("    front matter (libyaml CSafeLoader)",
                                                pipeline.markup._read_front_matter)
    pipeline.transforms.proofread = _timed("  proof-reading", pipeline.transforms.proofread)
    pipeline.transforms.to_script = _timed("  script conversion (hans: no-op)", pipeline.transforms.to_script)
    from docgen.writers.docx import package

    docx_writer.DocxWriter.write_many = _timed(WRITER, docx_writer.DocxWriter.write_many)
    package.PackageCache.zip = _timed(PACKAGE, package.PackageCache.zip)
    zipped.ZipEntry.deflate = classmethod(_timed(ZIP, zipped.ZipEntry.deflate.__func__))
    output.stage = _timed("file write, staged (mkstemp, write)", output.stage)
    output.make_durable = _timed("one syncfs per chunk (here: per record)", output.make_durable)
    output.commit = _timed("rename into place", output.commit)
    output.sync_folder = _timed("fsync of the folder per chunk", output.sync_folder)

    class _Hashlib:  # the worker's sha256 of each payload, for the manifest
        sha256 = staticmethod(_timed("sha256 of the payload", hashlib.sha256))

    worker.hashlib = _Hashlib


def _instrument_run(batching, worker) -> list[tuple[object, str, object]]:
    """Timers on what docgen.batch does around the documents; returns what to put back."""
    from docgen.batching import manifest

    targets = [
        (batching, "load_campaign", "load + validate the campaign YAML (batch)"),
        (worker.pipeline, "load_campaign", "load the campaign again (only a spawned worker's warm_up)"),
        (batching, "select", "select records (--each)"),
        (batching, "sources_digest", "hash the template sources"),
        (batching, "make_jobs", "plan: safe names + input hashes"),
        (batching, "warm_up", "warm_up (writer built)"),
        (batching, "render_chunk", "render_chunk: the documents"),
        (manifest, "write", "manifest.json + manifest.csv"),
    ]
    originals = []
    for holder, attribute, label in targets:
        original = getattr(holder, attribute)
        originals.append((holder, attribute, original))
        setattr(holder, attribute, _timed(label, original))
    return originals


def _restore(originals: list[tuple[object, str, object]]) -> None:
    for holder, attribute, original in originals:
        setattr(holder, attribute, original)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    import docgen
    from docgen import batching
    from docgen.batching import worker

    started = time.perf_counter()
    imports = subprocess.run([sys.executable, "-c", "import time; t = time.process_time(); "
                              "import docgen.batching, docgen.writers.docx; print(time.process_time() - t)"],
                             capture_output=True, text=True, check=True)
    import_cpu = float(imports.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = make_campaign(work, args.records)
        # The public API (run-level timers only): the whole run's CPU per notice at -j 1.
        docgen.batch(str(data), template="notice", each="branches", formats=("docx",), out=str(work / "w"), jobs=1)
        originals = _instrument_run(batching, worker)
        cpu, wall = time.process_time(), time.perf_counter()
        manifest = docgen.batch(str(data), template="notice", each="branches", formats=("docx",),
                                out=str(work / "api"), jobs=1, force=True)
        api_cpu, api_wall = time.process_time() - cpu, time.perf_counter() - wall
        _restore(originals)
        run_stages = dict(STAGES)
        STAGES.clear()
        written = sum(1 for d in manifest["documents"] if d["status"] == "written")
        files = len(list((work / "api").glob("*.docx")))
        if written != args.records or files != args.records:
            raise SystemExit(f"docgen.batch wrote {files} DOCX ({written} written) for {args.records} records")

        settings = worker.Settings(data=str(data), template=_template_name(), each="branches",
                                   formats=("docx",), out=str(work / "prof"))
        (work / "prof").mkdir()
        worker.warm_up(settings)
        tasks = [(i + 1, f"branches[{i}]", f"{i + 1:04d}") for i in range(args.records)]
        assert worker.render_job(tasks[0])["status"] == "written"  # the first builds the writer's package

        # Stage timers.
        _instrument()
        cpu, wall = time.process_time(), time.perf_counter()
        for task in tasks:
            result = worker.render_job(task)
            assert result["status"] == "written", result
        loop_cpu, loop_wall = time.process_time() - cpu, time.perf_counter() - wall
        stages = {k: list(v) for k, v in STAGES.items()}

        # cProfile over the same loop (the stage wrappers show up as `wrapper`).
        profiler = cProfile.Profile()
        profiler.enable()
        for task in tasks:
            worker.render_job(task)
        profiler.disable()
        parts = _parts_cost(settings)

    n = args.records
    print(f"# DOCX notice CPU at -j 1, {n} notices, Python {sys.version.split()[0]} "
          f"({time.perf_counter() - started:.0f} s)\n")
    print(f"import docgen.batching + DOCX writer, cold process: {import_cpu * 1000:.0f} ms CPU once per run")
    print(f"docgen.batch(jobs=1) in a warm interpreter: {api_cpu / n * 1000:.2f} ms CPU, {api_wall / n * 1000:.2f} ms "
          f"wall per notice ({files} files counted)\n")
    print("| once-per-run stage of docgen.batch | CPU ms/notice | wall ms/notice | calls |")
    print("|---|---|---|---|")
    for name, (stage_cpu, stage_wall, calls) in run_stages.items():
        print(f"| {name} | {stage_cpu / n * 1000:.2f} | {stage_wall / n * 1000:.2f} | {calls} |")
    print()
    print(f"warm worker loop (stage timers on): {loop_cpu / n * 1000:.2f} ms CPU, {loop_wall / n * 1000:.2f} ms wall "
          "per notice\n")
    print("| stage (inclusive; indented = part of the line above) | CPU ms/notice | wall ms/notice | share of CPU |")
    print("|---|---|---|---|")
    for name, (stage_cpu, stage_wall, _calls) in stages.items():
        print(f"| {name} | {stage_cpu / n * 1000:.2f} | {stage_wall / n * 1000:.2f} | "
              f"{stage_cpu / loop_cpu * 100:.0f}% |")
    build = stages[WRITER][0] - stages[PACKAGE][0]
    serial = stages[PACKAGE][0] - stages[ZIP][0]
    accounted = sum(stages[k][0] for k in stages if not k.startswith(" "))
    print(f"| derived: python-docx element building (writer total − package → bytes) | {build / n * 1000:.2f} | | "
          f"{build / loop_cpu * 100:.0f}% |")
    print(f"| derived: XML serialization (package → bytes − zip entries) | {serial / n * 1000:.2f} | | "
          f"{serial / loop_cpu * 100:.0f}% |")
    print(f"| rest of render_job (dicts, paths, result) | {(loop_cpu - accounted) / n * 1000:.2f} | | "
          f"{(loop_cpu - accounted) / loop_cpu * 100:.0f}% |")

    print("\nOne notice's package, part by part (median of 50; PackageCache serializes and deflates only "
          "document.xml and core.xml per notice, the rest once per process):\n")
    print("| part | XML bytes | serialize ms | deflate ms |\n|---|---|---|---|")
    for name, size, serialize_ms, deflate_ms in parts:
        print(f"| {name} | {size} | {serialize_ms:.3f} | {deflate_ms:.3f} |")
    total_serialize = sum(p[2] for p in parts)
    total_deflate = sum(p[3] for p in parts)
    body = next(p for p in parts if p[0] == "/word/document.xml")
    print(f"| all {len(parts)} parts | {sum(p[1] for p in parts)} | {total_serialize:.3f} | {total_deflate:.3f} |")
    print(f"| the parts that are the same in every notice (all but document.xml) | | "
          f"{total_serialize - body[2]:.3f} | {total_deflate - body[3]:.3f} |")

    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(args.top)
    print(f"\ncProfile, top {args.top} by own time (cProfile inflates pure-Python code):\n")
    print("\n".join(line for line in stream.getvalue().splitlines() if line.strip())[:8000])


def _parts_cost(settings) -> list[tuple[str, int, float, float]]:
    """Serialize and deflate each part of the writer's package (as it stands after a notice), timed."""
    import statistics
    import zlib

    from docgen.writers import writer

    document, _ = writer("docx", "gbt9704", settings.font_dir)._base
    rows = []
    for part in document.part.package.parts:
        serialize, deflate = [], []
        for _ in range(50):
            started = time.perf_counter()
            blob = part.blob
            serialize.append(time.perf_counter() - started)
            started = time.perf_counter()
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            compressor.compress(blob)
            compressor.flush()
            deflate.append(time.perf_counter() - started)
        rows.append((str(part.partname), len(blob), statistics.median(serialize) * 1000,
                     statistics.median(deflate) * 1000))
    return rows


def _template_name() -> str:
    from docgen import templating

    return templating.template_name("notice")


if __name__ == "__main__":
    main()
