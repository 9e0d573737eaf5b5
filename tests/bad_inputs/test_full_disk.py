"""Issue 28.5: a batch into a full or read-only file system names every record it did not write.

The output folder is a real small file system (a tmpfs: mounting needs root, as CI and the set-up
run; skipped with the reason otherwise): 200 notices into 3 MiB, where a few dozen fit and the
manifest does not; and 200 into a roomy one turned read-only mid-batch. On the terminal, every record
not written must be named (or, past the first 20, numbered), the last line must say the manifest
could not be written and how many records were not, the exit code 1; what was written stays whole.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..stress import stress_campaign

RECORDS = 200
pytestmark = pytest.mark.slow  # 200 documents each: a disk filled by a batch (`make test` runs them, not `make check`)


@contextlib.contextmanager
def tmpfs(folder: Path, size: str):
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _batch(data: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "docgen", "batch", str(data), "--template", "notice", "--each", "branches",
         "--format", "pdf", "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _numbers(text: str) -> set[int]:
    """``3–5, 9`` → {3, 4, 5, 9}."""
    found: set[int] = set()
    for part in text.split(", "):
        first, _, last = part.partition("–")
        found.update(range(int(first), int(last or first) + 1))
    return found


def _judge(code: int, stderr: str, out: Path) -> tuple[int, int]:
    """Every record is either a whole file in ``out`` or named/numbered on stderr; (written, not written)."""
    assert code == 1, stderr[-2000:]
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-2000:]
    written = sorted(p for p in out.iterdir() if p.suffix == ".pdf")
    for path in written:
        assert PdfReader(path).pages, path
    assert not [p for p in out.iterdir() if p.suffix == ".part" or p.name.startswith(".")]
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    named = {int(m.group(1)) for line in errors if (m := re.match(r"error: record (\d+) ", line))}
    numbered: set[int] = set()
    for line in errors:
        rest = re.match(r"error: … and (\d+) more records not written: (.+)$", line)
        if rest:
            numbered = _numbers(rest.group(2))
            assert len(numbered) == int(rest.group(1))
    missing = RECORDS - len(written)
    assert missing > 0, "the file system took every file: the test did not fill it"
    assert len(named) == min(missing, 20) and not named & numbered, errors[:3]
    assert len(named | numbered) == missing, (len(named), len(numbered), missing)
    assert re.search(rf"manifest\.(json|csv): cannot write: .*; {missing} of {RECORDS} records were not written$",
                     errors[-1]), errors[-1]
    return len(written), missing


def test_a_full_disk_names_every_record_not_written(tmp_path):
    data = stress_campaign(tmp_path / "data", branches=RECORDS)
    with tmpfs(tmp_path / "small", "3m") as small:
        out = small / "out"
        process = _batch(data, out)
        _, stderr = process.communicate(timeout=600)
        written, missing = _judge(process.returncode, stderr, out)
        assert "No space left on device" in stderr
    print(f"3 MiB tmpfs: {written} written, {missing} named or numbered")


def test_a_folder_turned_read_only_mid_batch_names_every_record_not_written(tmp_path):
    data = stress_campaign(tmp_path / "data", branches=RECORDS)
    with tmpfs(tmp_path / "roomy", "64m") as roomy:
        out = roomy / "out"
        process = _batch(data, out)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None:
            if out.is_dir() and sum(p.suffix == ".pdf" for p in out.iterdir()) >= 70:
                break
            time.sleep(0.05)
        for _ in range(200):  # refused ("busy") while a worker has a file open for writing: try again
            remounted = subprocess.run(["mount", "-o", "remount,ro", str(roomy)], capture_output=True, text=True)
            if remounted.returncode == 0:
                break
            time.sleep(0.01)
        assert remounted.returncode == 0, remounted.stderr
        _, stderr = process.communicate(timeout=600)
        written, missing = _judge(process.returncode, stderr, out)
        assert "Read-only file system" in stderr
    print(f"read-only at 70: {written} written, {missing} named or numbered")
