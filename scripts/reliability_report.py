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
]


def main() -> None:
    cases = load_cases()
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    failures = []
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
        "Faults from outside, each a test that opens what is left on disk:",
        "",
        "| fault | test |",
        "|---|---|",
        *[f"| {name} | `{test}` |" for name, test in FAULTS],
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
