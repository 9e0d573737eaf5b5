"""Memory as a batch grows: peak RSS of `docgen batch` for 1,000 and 10,000 one-page notices.

The issue's goal is memory flat from 1,000 to 10,000 records: a batch must not hold its documents (or its
layout passes) in memory as it goes. Each size is a fresh process (`python -m docgen batch`); the peak RSS
is the largest of the process and its pool workers (wait4), and every output is counted. Beside it, the
peak of `docgen validate` of the same file: what holding the campaign itself takes, which grows with the
data (a 10,000-branch campaign is ten times the 1,000-branch one), not with the documents made.

    .venv/bin/python benchmarks/memory_scale.py [--sizes 1000,10000] [--format pdf] [-j 2] [--names numbered]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from batch_notices import make_campaign

from measure import timed_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--format", default="pdf")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--names", choices=("numbered", "varied"), default="numbered",
                        help="numbered (any size) or varied (real-looking names, at most 6,162 records)")
    args = parser.parse_args()
    print("| records | format | -j | wall s | CPU ms/doc | peak RSS | `docgen validate` peak RSS | files |")
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            data = make_campaign(Path(tmp), size, names=args.names)
            out = Path(tmp) / "out"
            seconds, peak, cpu = timed_cpu([sys.executable, "-m", "docgen", "batch", str(data), "--template",
                                            "notice", "--each", "branches", "--format", args.format,
                                            "-j", str(args.jobs), "-o", str(out)])
            _, loading, _ = timed_cpu([sys.executable, "-m", "docgen", "validate", str(data)])
            files = len(list(out.glob(f"*.{args.format}")))
            if files != size:
                raise SystemExit(f"FAILED: {files} files for {size} records")
            print(f"| {size:,} | {args.format} | {args.jobs} | {seconds:.1f} | {cpu / size * 1000:.1f} | "
                  f"{peak} MiB | {loading} MiB | {files:,} |", flush=True)


if __name__ == "__main__":
    main()
