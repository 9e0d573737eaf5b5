"""Reading a 100,000-member roster: python-calamine (what docgen uses) against openpyxl, in one run.

Each reader runs in its own child process, so each has its own peak RSS:

- calamine: python-calamine's rows of the 党员 sheet (``to_python``);
- openpyxl read-only: ``load_workbook(read_only=True, data_only=True)``, ``iter_rows(values_only=True)``;
- openpyxl: ``load_workbook(data_only=True)`` (the default mode most scripts use), the same rows;
- docgen roster: ``sources.load`` of a campaign whose ``branches: {from: 名册.xlsx}`` names it —
  calamine plus docgen's work (headers, dates, digits, joining members to branches, cell spots);
- docgen validate: that, plus the schema's typed models (what `docgen validate` does).

Then the WPS case: the same workbook with each sheet's <dimension> rewritten to A1:A1 (what WPS
writes), and how many member rows each reader still sees.

Run: .venv/bin/python benchmarks/read_roster.py [--rows 100000] [--runs 3]
Prints a Markdown table (benchmarks/RESULTS.md keeps numbers with the machine and date).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml

from measure import timed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "wadian" / "campaign.yaml"
BRANCHES = 1_000
MEMBER_HEAD = ["序号", "姓名", "所属支部", "职务", "承诺事项", "完成时限", "监督人", "性别", "入党时间", "联系电话",
               "身份证号", "备注"]


def make_roster(folder: Path, rows: int) -> Path:
    """名册.xlsx with 1,000 branches and ``rows`` members (write-only openpyxl: fast, flat memory)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    branches = book.create_sheet("支部")
    branches.append(["支部名称", "类别", "书记", "党员人数", "承诺事项", "完成时限"])
    for b in range(BRANCHES):
        branches.append([f"第{b:04d}村党支部", "农村", f"书记{b:04d}", 100, "建强班子；发展产业", dt.date(2011, 6, 30)])
    members = book.create_sheet("党员")
    members.append(["瓦店乡党员名册（测试）"])
    members.append(MEMBER_HEAD)
    for i in range(rows):
        members.append([i + 1, f"党员{i:06d}", f"第{i % BRANCHES:04d}村党支部", "党员",
                        f"带头学习，帮扶困难户{i % 5 + 1}户；带头服务群众", dt.date(2011, 6, 30), "马卫东",
                        "男" if i % 2 else "女", dt.date(1970 + i % 40, i % 12 + 1, i % 28 + 1),
                        13800000000 + i, f"51000019{i % 90 + 10:02d}0101{i % 10000:04d}", None])
    path = folder / "名册.xlsx"
    book.save(path)
    values = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    values.pop("documents", None)
    values["branches"] = {"from": "名册.xlsx"}
    (folder / "campaign.yaml").write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return path


def wps_copy(path: Path) -> Path:
    """The workbook as WPS saves it: every sheet's <dimension ref> says A1:A1."""
    target = path.with_name("名册-wps.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                wps = '<dimension ref="A1:A1"/>'
                if "<dimension" in text:
                    text = re.sub(r'<dimension ref="[^"]*"\s*/>', wps, text)
                else:  # write-only openpyxl leaves it out: put it where the schema wants it
                    anchor = "<sheetViews>" if "<sheetViews>" in text else "<sheetData"
                    text = text.replace(anchor, wps + anchor, 1)
                data = text.encode("utf-8")
            out.writestr(info, data)
    return target


# --- what a child process does -----------------------------------------------------------------


def child(mode: str, path: Path) -> int:
    """Read the roster one way; return how many rows of the 党员 sheet it saw."""
    if mode == "calamine":
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(str(path))
        return len(book.get_sheet_by_name("党员").to_python())
    if mode in ("openpyxl-readonly", "openpyxl"):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=mode == "openpyxl-readonly", data_only=True)
        count = sum(1 for _ in book["党员"].iter_rows(values_only=True))
        book.close()
        return count
    if mode == "docgen-roster":
        from docgen import sources

        loaded = sources.load(path.parent / "campaign.yaml")
        return sum(len(b["members"]) for b in loaded.values["branches"])
    if mode == "docgen-validate":
        from docgen.pipeline import load_campaign

        return sum(len(b.members) for b in load_campaign(path.parent / "campaign.yaml").model.branches)
    raise SystemExit(f"unknown mode {mode}")


MODES = (
    ("calamine", "python-calamine: the rows"),
    ("openpyxl-readonly", "openpyxl read-only: the rows"),
    ("openpyxl", "openpyxl (default mode): the rows"),
    ("docgen-roster", "docgen roster (calamine + branches, members, spots)"),
    ("docgen-validate", "docgen roster + schema (`docgen validate`)"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        seen = child(args.child[0], Path(args.child[1]))
        sys.stderr.write(f"rows {seen}\n")
        return

    from importlib.metadata import version

    print(f"# {time.strftime('%Y-%m-%d')} · {platform.node()} · {os.cpu_count()} cores · Python "
          f"{platform.python_version()} · python-calamine {version('python-calamine')} · "
          f"openpyxl {version('openpyxl')}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        path = make_roster(folder, args.rows)
        print(f"roster: {args.rows} members, {BRANCHES} branches, {path.stat().st_size / 1_048_576:.1f} MiB .xlsx "
              f"(written in {time.perf_counter() - started:.1f} s)\n")
        print(f"| reader, {args.rows:,} member rows | median of {args.runs} | peak RSS |\n|---|---|---|")
        results = {}
        for mode, label in MODES:
            times, peaks = [], []
            for _ in range(args.runs):
                seconds, peak = timed([sys.executable, __file__, "--child", mode, str(path)], cwd=ROOT / "benchmarks")
                times.append(seconds)
                peaks.append(peak)
            results[mode] = (statistics.median(times), max(peaks))
            print(f"| {label} | {results[mode][0]:.2f} s | {results[mode][1]} MiB |")
        base = results["calamine"][0]
        for mode in ("openpyxl-readonly", "openpyxl"):
            print(f"| {mode} / calamine time | {results[mode][0] / base:.1f}× | "
                  f"{results[mode][1] / results['calamine'][1]:.1f}× memory |")

        wps = wps_copy(path)
        print("\n| the same workbook with <dimension ref=\"A1:A1\"> (WPS) | 党员 rows seen |\n|---|---|")
        for mode in ("calamine", "openpyxl-readonly", "openpyxl"):
            print(f"| {mode} | {child_rows(mode, wps)} of {args.rows + 2} |")


def child_rows(mode: str, path: Path) -> int:
    import subprocess

    run = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True,
                         cwd=ROOT / "benchmarks", check=True)
    return int(run.stderr.strip().split()[-1])


if __name__ == "__main__":
    main()
