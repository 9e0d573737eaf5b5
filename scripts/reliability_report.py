"""Run the bad-input corpus (tests/bad_inputs/) and write docs/reliability.md.

The same cases run in the test suite (tests/test_bad_inputs.py), which fails on any problem;
this script only counts, so the table shows what a run measured.
Usage: .venv/bin/python scripts/reliability_report.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.bad_inputs.harness import load_cases, problems, run  # noqa: E402

FAULTS = [
    ("SIGINT mid-batch", "tests/test_batch.py::test_sigint_mid_batch_leaves_only_whole_files_and_a_rerun_completes"),
    ("a worker killed mid-batch", "tests/test_batch.py::test_a_killed_worker_fails_its_records_instead_of_hanging"),
    ("SIGKILL of the whole batch",
     "tests/test_faults.py::test_sigkill_mid_batch_leaves_only_whole_files_and_a_rerun_completes"),
    ("full disk: a 64 KiB tmpfs as the output folder", "tests/test_faults.py::test_a_really_full_disk_small_tmpfs"),
    ("full disk: a per-process file-size limit (RLIMIT_FSIZE), also on WeasyPrint's temporary font copies",
     "tests/test_faults.py::test_a_full_disk_gives_one_clear_error_and_no_partial_file"),
    ("corrupt font, broken font link", "tests/test_faults.py::test_a_corrupt_font_in_the_font_folder_is_skipped"),
    ("open fonts missing", "tests/test_faults.py::test_missing_open_fonts_fall_back_to_noto"),
    ("a Dask worker killed mid-batch (`--cluster`, 2-worker LocalCluster): its records redone on the other, "
     "each file written once and whole",
     "tests/test_cluster.py::test_a_killed_worker_has_its_records_redone_elsewhere_each_written_once_and_whole"),
    ("a task the scheduler gives up on (`allowed-failures` 0, a worker killed): its records redone one task each, "
     "so only a record that itself kills workers would fail",
     "tests/test_cluster.py::test_a_task_the_scheduler_gives_up_on_is_redone_one_record_per_task"),
    ("Ctrl-C (SIGINT to the whole process group) mid-batch on `--cluster local:2`",
     "tests/test_cluster.py::test_ctrl_c_cancels_the_cluster_run_and_leaves_only_whole_files"),
    ("Ctrl-C to the client of a remote cluster (its workers keep running): the running tasks stop after their "
     "current slice of 10 records (30 of 300 written after a Ctrl-C at 12)",
     "tests/test_cluster.py::test_ctrl_c_stops_the_tasks_running_on_a_remote_cluster"),
    ("a Dask scheduler that cannot be reached: one error line within the 5 s connect timeout",
     "tests/test_cluster.py::test_an_unreachable_scheduler_is_one_error_line"),
    ("full disk mid-batch: 200 notices into a 3 MiB tmpfs, the manifest not writable either: every record not "
     "written named (the first 20) or numbered, exit 1 (issue 28.5; one run: 25 written, 20 named and 155 "
     "numbered; before: 33 written, 167 not, and one line, the manifest's error)",
     "tests/bad_inputs/test_full_disk.py::test_a_full_disk_names_every_record_not_written"),
    ("the output file system remounted read-only at 70 of 200 notices: the same (issue 28.5; one run: 70 "
     "written, 130 named or numbered; before: the manifest's error alone)",
     "tests/bad_inputs/test_full_disk.py::"
     "test_a_folder_turned_read_only_mid_batch_names_every_record_not_written"),
    ("`docgen serve`: three checks at once of the 1.6 GB roster bomb and a preview, then a roster whose one cell "
     "at XFD1048576 makes calamine ask for 17 thousand million cells: the server stays under 300 MiB, "
     "each check answers in one line (issue 28.2; one run: server peak 43 MiB, the whole test 3.2 s; before: "
     "the server process died)",
     "tests/bad_inputs/test_serve_checks.py::test_hostile_rosters_block_neither_the_server_nor_its_previews"),
]

# The bounded cases on main before issue 28 (dee5610), measured the same way (3 GB address-space limit,
# stopped after 78 s): what each did then.
BEFORE = {
    "seal-pixel-bomb": "exit 0, no seal in the PDF/OFD, the 30000² image in the DOCX; 310 MiB, 7.1 s",
    "seal-truncated": "exit 3 (internal error in the DOCX writer); 179 MiB, 3.5 s",
    "roster-xlsx-bomb": "killed (Rust allocation abort) at the 3 GB limit after 11.5 s, 2025 MiB resident",
    "roster-ods-bomb": "exit 1 after reading 1,048,576 rows; 1540 MiB, 7.8 s",
    "word-template-bomb-check": "MemoryError at the 3 GB limit (exit 3); 2843 MiB, 11.2 s",
    "word-template-bomb-batch": "MemoryError at the 3 GB limit (exit 3); 2841 MiB, 12.8 s",
    "word-template-power": "still compiling when stopped at 78 s",
    "word-template-power-check": "still compiling when stopped at 78 s",
    "docx-check-bomb": "MemoryError at the 3 GB limit (exit 3); 2846 MiB, 15.1 s",
    "docx-check-truncated": "exit 3 (internal error: XMLSyntaxError); 29 MiB, 0.2 s",
    "word-template-laughs": "exit 3 (internal error: XMLSyntaxError); 44 MiB, 0.5 s",
    "word-template-truncated": "exit 3 (internal error: XMLSyntaxError); 45 MiB, 0.6 s",
    "csv-huge-cell": "exit 3 (internal error: field larger than field limit); 75 MiB, 0.7 s",
    "huge-power": "still compiling when stopped at 78 s (DOCGEN_TEMPLATE_SECONDS=5)",
    "huge-repeat": "MemoryError at the 3 GB limit (exit 3); 1949 MiB, 14.1 s",
}


def main() -> None:
    cases = load_cases()
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    failures = []
    bounded = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for index, case in enumerate(cases):
            outcome = run(case, Path(tmp) / f"{index:03d}")
            row = totals[case.category]
            row["cases"] += 1
            row["tracebacks"] += outcome.traceback
            row["outside"] += len(outcome.outside)
            row["partial"] += len(outcome.partial)
            found = problems(outcome)
            row["as expected"] += not found
            if case.get("limit-seconds") or case.get("limit-mib"):
                limits = ", ".join(f"{case.get(k)} {unit}" for k, unit in (("limit-mib", "MiB"), ("limit-seconds", "s"))
                                   if case.get(k))
                bounded.append(f"| {case.category}/{case.name} | {case.get('about')} | {outcome.code} | "
                               f"{outcome.peak_mib:.0f} MiB | {outcome.seconds:.1f} s | {limits} | "
                               f"{BEFORE.get(case.name, '')} |")
            if found:
                failures.append(f"{case.category}/{case.name}: {'; '.join(found)}")
    lines = [
        "# Reliability: bad input, hostile data, faults",
        "",
        f"Measured by `scripts/reliability_report.py` on {time.strftime('%Y-%m-%d')} "
        f"({len(cases)} cases in {time.monotonic() - started:.0f} s). Every case runs the real CLI "
        "(`python -m docgen …`) in a fresh folder; `tests/test_bad_inputs.py` runs the same corpus "
        "and fails on any problem. Each case file in `tests/bad_inputs/` says what it must give.",
        "",
        "| category | cases tried | as expected | tracebacks | files outside the output folder | partial files |",
        "|---|---|---|---|---|---|",
    ]
    for category, row in totals.items():
        lines.append(f"| {category} | {row['cases']} | {row['as expected']} | {row['tracebacks']} | "
                     f"{row['outside']} | {row['partial']} |")
    total = {key: sum(row[key] for row in totals.values()) for key in
             ("cases", "as expected", "tracebacks", "outside", "partial")}
    lines.append(f"| **all** | **{total['cases']}** | **{total['as expected']}** | **{total['tracebacks']}** | "
                 f"**{total['outside']}** | **{total['partial']}** |")
    lines += [
        "",
        "Cases with a bound on what they may cost (issue 28): measured on the command's process (peak resident "
        "memory of it and its children, `os.wait4`; wall time from start to exit), each under a 3 GB "
        "address-space limit; the test fails past the limits. `before` is main before issue 28 (dee5610).",
        "",
        "| case | what | exit | peak | time | limits | before |",
        "|---|---|---|---|---|---|---|",
        *bounded,
        "",
        "Faults from outside, each a test that opens what is left on disk:",
        "",
        "| fault | test |",
        "|---|---|",
        *[f"| {name} | `{test}` |" for name, test in FAULTS],
        "",
        "How a batch writes (`output.stage` → `make_durable` → `commit`, since 2026-11-27): each record's files go",
        "to hidden `.part` files beside their names; when a chunk of records (24 DOCX, 10 PDF) is staged, one",
        "`syncfs` of the output's file system puts them all on disk, then each is renamed into place and the",
        "folder is fsynced once. A name therefore only ever shows a whole file — after Ctrl-C, SIGKILL or a",
        "killed worker (the tests above) and after a power cut too, since the data is on disk before the",
        "rename; what an interruption leaves is `.part` files, swept by the next run. A record whose staging",
        "fails (a full disk) leaves none of its files. It replaced an `fsync` per file, which cost 3–5 ms of",
        "waiting per notice on this machine's disk; without `syncfs` (not Linux) each `.part` file is fsynced.",
        "",
        "Property tests (`tests/test_properties.py`, hypothesis): any string as a branch name renders "
        "to DOCX or is refused with a message, and reads back unchanged after the declared normalization "
        "(line breaks and tabs in a value become spaces, ends are trimmed); CJK, ASCII and CJK punctuation "
        "read back unchanged from the PDF. Same input, same bytes: `tests/test_faults.py::"
        "test_source_date_epoch_fixes_the_timestamps` and `tests/test_docx_layout.py::test_same_input_same_bytes`.",
    ]
    if failures:
        lines += ["", "Cases not as expected in this run:", "", *[f"- {f}" for f in failures]]
    (ROOT / "docs" / "reliability.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
