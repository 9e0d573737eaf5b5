"""The whole run from a roster: 10,000 members' pledges (DOCX) from a 名册.xlsx, against the same
campaign written out as YAML, in one run, each contender in its own process, outputs counted and opened.

Run: .venv/bin/python benchmarks/roster_batch.py [--members 10000] [--runs 1] [--jobs 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import docx
import yaml
from read_roster import make_roster

from measure import timed


def yaml_twin(folder: Path) -> Path:
    """The roster campaign with its branches and members written into the YAML itself."""
    from docgen import sources

    loaded = sources.load(folder / "campaign.yaml")
    twin = folder / "yaml"
    twin.mkdir()
    (twin / "campaign.yaml").write_text(yaml.safe_dump(loaded.values, allow_unicode=True, sort_keys=False,
                                                       default_style=None), encoding="utf-8")
    return twin / "campaign.yaml"


def count(out: Path, expected: int) -> int:
    files = sorted(out.glob("*.docx"))
    if len(files) != expected:
        sys.exit(f"{out}: {len(files)} DOCX written, {expected} asked for")
    for path in files[:: max(1, len(files) // 5)]:  # open a few: each names its member
        if "承诺人：" not in "\n".join(p.text for p in docx.Document(str(path)).paragraphs):
            sys.exit(f"{path} is not a pledge")
    return len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_roster(folder, args.members)
        sources = {"roster (名册.xlsx)": folder / "campaign.yaml", "YAML": yaml_twin(folder)}
        times: dict[str, list[float]] = {name: [] for name in sources}
        for run in range(args.runs):  # interleaved, round by round
            for name, data in sources.items():
                out = folder / f"out-{run}-{len(times[name])}-{name[:4]}"
                seconds, peak = timed([sys.executable, "-m", "docgen", "batch", str(data), "--template", "commitment",
                                       "--each", "branches[*].members", "--format", "docx", "-j", str(args.jobs),
                                       "-o", str(out)])
                written = count(out, args.members)
                times[name].append(seconds)
                print(f"  {name:<20} {seconds:7.1f} s  {written / seconds:6.1f} docs/s  peak {peak} MiB  "
                      f"counted {written} files", flush=True)
        print("\n| source | median s | docs/s |\n|---|---|---|")
        for name, values in times.items():
            median = statistics.median(values)
            print(f"| {name} | {median:.1f} | {args.members / median:.1f} |")


if __name__ == "__main__":
    main()
