"""Every one-document built-in kind of the example (意见, 转发通知, 签到表, 纪要 …: eleven documents), DOCX and
PDF, rendered in a warm process as `docgen serve` and the Python API render them, then the example's
notice batch (one per branch, DOCX and PDF, `-j 1`): the median seconds of a round, and with
``--against`` another checkout's docgen timed in the same rounds.

Each contender is a long-lived process (this checkout's ``src``, or ``--against DIR``'s through PYTHONPATH,
the same venv) that renders every kind once to warm up, then once per round into an empty folder; after
each round it counts the files (two per kind) and opens each (pypdf reads the PDF's pages, the DOCX is a
zip with its document part) before its time is quoted. Rounds alternate which contender goes first;
the per-round ratios are printed with the medians (the machine is shared: quote ratios).

    git worktree add /tmp/before <commit>
    .venv/bin/python benchmarks/render_kinds.py --runs 5 --against /tmp/before/src
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import json, os, sys, tempfile, time, zipfile
from pathlib import Path
os.environ["SOURCE_DATE_EPOCH"] = "1276819200"
import docgen
from docgen import templating
from pypdf import PdfReader

data = sys.argv[1]
kinds = [info.name for info in templating.list_templates(()) if info.option != "--speech"
         and not templating.markers(templating.template_name(info.name)).each]

def round_():
    out = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    for kind in kinds:
        docgen.render(data, template=kind, out=out / kind, formats=("docx", "pdf"), warn=lambda message: None)
    seconds = time.perf_counter() - started
    files = sorted(p for p in out.rglob("*") if p.is_file())
    pages = sum(len(PdfReader(p).pages) for p in files if p.suffix == ".pdf")
    whole = all("word/document.xml" in zipfile.ZipFile(p).namelist() for p in files if p.suffix == ".docx")
    folder = out / "batch"
    started = time.perf_counter()
    result = docgen.batch(data, template="notice", each="branches", out=folder, formats=("docx", "pdf"), jobs=1,
                          warn=lambda message: None)
    batch_seconds = time.perf_counter() - started
    made = [folder / f["file"] for d in result["documents"] for f in d["files"]]
    whole = whole and len(made) == 2 * len(result["documents"]) and all(p.stat().st_size for p in made)
    pages += sum(len(PdfReader(p).pages) for p in made if p.suffix == ".pdf")
    return {"seconds": seconds, "batch": batch_seconds, "notices": len(result["documents"]),
            "files": len(files), "pages": pages, "whole": whole, "kinds": len(kinds), "docgen": docgen.__file__}

round_()
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    print(json.dumps(round_()), flush=True)
"""


def start(src: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(src.resolve()))
    process = subprocess.Popen([sys.executable, "-c", WORKER, str(ROOT / "examples" / "wadian")], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert json.loads(process.stdout.readline()) == {"ready": True}
    return process


def one_round(process: subprocess.Popen) -> dict:
    process.stdin.write("go\n")
    process.stdin.flush()
    result = json.loads(process.stdout.readline())
    if result["files"] != 2 * result["kinds"] or not result["whole"] or not result["pages"]:
        raise SystemExit(f"FAILED: {result}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout's src folder, timed in the same rounds")
    args = parser.parse_args()
    names = ["this", *(["against"] if args.against else [])]
    processes = {"this": start(ROOT / "src"), **({"against": start(args.against)} if args.against else {})}
    times: dict[str, dict[str, list[float]]] = {part: {name: [] for name in names} for part in ("seconds", "batch")}
    for number in range(args.runs):
        order = names if number % 2 == 0 else names[::-1]
        results = {name: one_round(processes[name]) for name in order}
        for part in times:
            for name in names:
                times[part][name].append(results[name][part])
        print(f"round {number + 1}: " + ", ".join(
            f"{name} {results[name]['seconds']:.3f} s + batch of {results[name]['notices']} notices "
            f"{results[name]['batch']:.3f} s ({results[name]['files']} files, {results[name]['pages']} pages)"
            for name in names))
    for part, label in (("seconds", "every kind"), ("batch", "notice batch")):
        for name in names:
            print(f"{label}, {name}: median {statistics.median(times[part][name]):.3f} s")
        if args.against:
            ratios = [a / b for a, b in zip(times[part]["this"], times[part]["against"], strict=True)]
            print(f"{label}, this / against: median {statistics.median(ratios):.2f}× "
                  f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})")
    for process in processes.values():
        process.stdin.close()
        process.wait()


if __name__ == "__main__":
    main()
