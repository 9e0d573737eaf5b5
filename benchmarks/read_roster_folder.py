"""A county's rosters returned by every branch: 1,000 files (one branch each) read as one roster.

A county office sends `docgen roster-template` to its branches and gets one .xlsx back from each; the
campaign names the folder (`branches: {from: 回收/*.xlsx}`). This makes such a county — 1,000 files of
the template's layout, one branch and ``--members`` members each (36 by default: ~36,000 members, a
county's size) with 入党时间 written as offices write it (2014.06, 2014年6月, dates) — and the same
branches and members as one 名册.xlsx, and times, each in a child process of its own (peak RSS):

- folder, roster: ``sources.load`` of the campaign naming the folder (each file opened, read, closed);
- folder, validate: that plus the schema's typed models (what `docgen validate` does);
- one workbook, roster / validate: the same data from one file (what the office had before);
- folder, merge: `docgen roster merge 回收 -o 名册.xlsx` (read the 1,000 files, write one workbook).

Contenders are interleaved round by round; medians are quoted.

Run: .venv/bin/python benchmarks/read_roster_folder.py [--branches 1000] [--members 36] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from measure import timed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "wadian" / "campaign.yaml"
BRANCH_HEAD = ["支部名称", "类别", "书记", "党员人数", "承诺事项", "落实措施", "完成时限"]
MEMBER_HEAD = ["姓名", "所属支部", "职务", "承诺事项", "完成时限", "监督人", "性别", "入党时间", "联系电话", "备注"]
JOINED = ("2014.06", "2014年6月", "2014-6", dt.date(2001, 7, 1))


def rows(branch: int, members: int) -> tuple[list, list[list]]:
    name = f"第{branch:04d}村党支部"
    head = [name, "农村", f"书记{branch:04d}", members, "建强班子；发展产业", "包片联户", dt.date(2011, 6, 30)]
    people = [[f"党员{branch:04d}{i:03d}", name, "党员", f"带头学习；帮扶困难户{i % 5 + 1}户", dt.date(2011, 6, 30),
               "马卫东", "男" if i % 2 else "女", JOINED[i % len(JOINED)], f"138{branch:04d}{i:04d}", None]
              for i in range(members)]
    return head, people


def make_county(folder: Path, branches: int, members: int) -> None:
    """回收/0001.xlsx … (one branch each), 名册.xlsx (all of them), and a campaign for each."""
    from openpyxl import Workbook

    returned = folder / "回收"
    returned.mkdir()
    whole = Workbook(write_only=True)
    all_branches, all_members = whole.create_sheet("支部"), whole.create_sheet("党员")
    all_branches.append(BRANCH_HEAD)
    all_members.append(MEMBER_HEAD)
    for number in range(branches):
        head, people = rows(number, members)
        book = Workbook(write_only=True)
        branch_sheet, member_sheet = book.create_sheet("支部"), book.create_sheet("党员")
        branch_sheet.append(BRANCH_HEAD)
        branch_sheet.append(head)
        member_sheet.append(MEMBER_HEAD)
        for person in people:
            member_sheet.append(person)
        book.save(returned / f"{number + 1:04d}_第{number:04d}村党支部.xlsx")
        all_branches.append(head)
        for person in people:
            all_members.append(person)
    whole.save(folder / "名册.xlsx")
    values = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    values.pop("documents", None)
    for name, source in (("folder.yaml", "回收/*.xlsx"), ("workbook.yaml", "名册.xlsx")):
        values["branches"] = {"from": source}
        (folder / name).write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")


def child(mode: str, folder: Path) -> int:
    """Read the county one way; return how many members it saw."""
    where, what = mode.split("-", 1)
    campaign = folder / ("folder.yaml" if where == "folder" else "workbook.yaml")
    if what == "roster":
        from docgen import sources

        loaded = sources.load(campaign)
        assert not loaded.problems, loaded.problems[:3]
        return sum(len(b["members"]) for b in loaded.values["branches"])
    if what == "validate":
        from docgen.pipeline import load_campaign

        return sum(len(b.members) for b in load_campaign(campaign).model.branches)
    if what == "merge":
        from docgen.sources.roster_merge import read_sources, workbook_bytes

        found = read_sources([str(folder / "回收")])
        (folder / "merged.xlsx").write_bytes(workbook_bytes(found))
        return sum(len(rows) for rows in found.member_rows)
    raise SystemExit(f"unknown mode {mode}")


MODES = (
    ("folder-roster", "{files:,} files, docgen's roster reader"),
    ("workbook-roster", "one workbook, docgen's roster reader"),
    ("folder-validate", "{files:,} files, reader + schema (`docgen validate`)"),
    ("workbook-validate", "one workbook, reader + schema (`docgen validate`)"),
    ("folder-merge", "{files:,} files → one workbook (`docgen roster merge`)"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--branches", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=36)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        seen = child(args.child[0], Path(args.child[1]))
        sys.stderr.write(f"members {seen}\n")
        return

    from importlib.metadata import version

    print(f"# {time.strftime('%Y-%m-%d')} · {platform.node()} · {os.cpu_count()} cores · load "
          f"{os.getloadavg()[0]:.1f} · Python {platform.python_version()} · python-calamine "
          f"{version('python-calamine')}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        make_county(folder, args.branches, args.members)
        size = sum(p.stat().st_size for p in (folder / "回收").iterdir()) / 1_048_576
        whole = (folder / "名册.xlsx").stat().st_size / 1_048_576
        print(f"county: {args.branches} branches × {args.members} members; {args.branches} files of {size:.1f} MiB "
              f"in all, one workbook of {whole:.1f} MiB (made in {time.perf_counter() - started:.1f} s)\n")
        times: dict[str, list[float]] = {mode: [] for mode, _label in MODES}
        peaks: dict[str, list[int]] = {mode: [] for mode, _label in MODES}
        for _round in range(args.runs):  # interleaved: each round runs every contender once
            for mode, _label in MODES:
                seconds, peak = timed([sys.executable, __file__, "--child", mode, str(folder)], cwd=ROOT / "benchmarks")
                times[mode].append(seconds)
                peaks[mode].append(peak)
        print(f"| {args.branches * args.members:,} members | median of {args.runs} (all runs) | peak RSS |\n"
              "|---|---|---|")
        for mode, label in MODES:
            runs = ", ".join(f"{t:.2f}" for t in times[mode])
            shown = label.format(files=args.branches)
            print(f"| {shown} | {statistics.median(times[mode]):.2f} s ({runs}) | {max(peaks[mode])} MiB |")


if __name__ == "__main__":
    main()
