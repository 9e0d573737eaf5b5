"""Loading large campaigns: `docgen validate` time and peak memory per MB of YAML, by the number of
branches and members (a county holds about 1,900 organizations and 36,000 members).

Each size is written from the example campaign (its branches repeated with new names), then validated
in a fresh process (`python -m docgen validate`), three times; the median and the peak RSS are printed.

    .venv/bin/python benchmarks/load_campaign.py [--sizes 1000x4,10000x4] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

from measure import timed

ROOT = Path(__file__).resolve().parents[1]


def write_campaign(folder: Path, branches: int, members: int) -> Path:
    values = yaml.safe_load((ROOT / "examples" / "wadian" / "campaign.yaml").read_text(encoding="utf-8"))
    values.pop("documents")
    template = values["branches"][0]
    rows = []
    for number in range(branches):
        branch = {**template, "name": f"第{number + 1}党支部", "secretary": f"书记{number + 1}"}
        branch["members"] = [{**template["members"][0], "name": f"党员{number + 1}之{m + 1}"} for m in range(members)]
        rows.append(branch)
    values["branches"] = rows
    path = folder / f"campaign-{branches}x{members}.yaml"
    path.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000x4,10000x4", help="branches x members per branch, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("| branches | members | MB | median s | s per MB | peak RSS |")
        print("|---|---|---|---|---|---|")
        for size in args.sizes.split(","):
            branches, members = (int(x) for x in size.split("x"))
            path = write_campaign(Path(tmp), branches, members)
            mb = path.stat().st_size / 1_048_576
            times, peaks = [], []
            for _ in range(args.runs):
                seconds, peak = timed([sys.executable, "-m", "docgen", "validate", str(path)])  # fails loudly
                times.append(seconds)
                peaks.append(peak)
            median = statistics.median(times)
            print(f"| {branches} | {branches * members} | {mb:.1f} | {median:.2f} | {median / mb:.2f} | "
                  f"{max(peaks):.0f} MiB |")


if __name__ == "__main__":
    main()
