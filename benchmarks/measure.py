"""Timing one child process: wall seconds and peak RSS, shared by the benchmark scripts."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and the largest descendant's peak RSS (MiB) of one run of ``command``."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: nothing can block on a full pipe
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"failed: {' '.join(map(str, command))}\n{errors.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024
