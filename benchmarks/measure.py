"""Timing child processes: wall seconds and peak RSS, shared by the benchmark scripts."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def timed(command: list[str], cwd: Path | None = None, timeout: float | None = None) -> tuple[float, int]:
    """Wall seconds and the largest descendant's peak RSS (MiB) of one run of ``command``."""
    seconds, peak, _cpu = timed_cpu(command, cwd, timeout)
    return seconds, peak


def timed_cpu(command: list[str], cwd: Path | None = None, timeout: float | None = None,
              env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Wall seconds, the largest descendant's peak RSS (MiB) and the CPU seconds (user + system, the
    process and every descendant it waited for) of one run of ``command``.

    A non-zero exit fails the benchmark. With ``timeout``, a run that takes longer is killed (its
    whole process group: soffice starts soffice.bin under a wrapper) and fails the benchmark. ``env``:
    the command's environment (None: this process's).
    """
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: nothing can block on a full pipe
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=cwd, env=env,
                                   start_new_session=timeout is not None)
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, expire) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            if timer:
                timer.cancel()
        elapsed = time.perf_counter() - started
        if expired.is_set():
            raise SystemExit(f"FAILED (no answer after {timeout:g} s, killed): {' '.join(map(str, command))[:500]}")
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"FAILED: {' '.join(map(str, command))[:500]}\n{errors.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def timed_together(sequences: list[list[list[str]]], timeout: float | None = None) -> tuple[float, int]:
    """Run several sequences of commands at once (each sequence one after another, in its own thread).

    Returns the wall seconds until the last sequence ends and the largest peak RSS (MiB) of any command.
    """
    seconds, peak, _cpu = timed_together_cpu(sequences, timeout)
    return seconds, peak


def timed_together_cpu(sequences: list[list[list[str]]], timeout: float | None = None) -> tuple[float, int, float]:
    """``timed_together`` and the CPU seconds of every command, added up."""

    def run(sequence: list[list[str]]) -> tuple[int, float]:
        measured = [timed_cpu(command, timeout=timeout) for command in sequence]
        return max((m[1] for m in measured), default=0), sum(m[2] for m in measured)

    started = time.perf_counter()
    with ThreadPoolExecutor(len(sequences)) as pool:
        done = [future.result() for future in [pool.submit(run, sequence) for sequence in sequences]]
    return time.perf_counter() - started, max((d[0] for d in done), default=0), sum(d[1] for d in done)
