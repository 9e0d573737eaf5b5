"""Running `python -m docgen …` from the tests: the one place that starts the CLI.

`make test` (CI) starts a cold interpreter for every command, as a user's shell does. `make check` sets
``DOCGEN_TEST_CLI=warm``: a command is then a child forked from a process that has imported docgen's modules
(tests/cli_zygote.py), the same code from ``docgen.__main__`` on, in its own folder, environment, files and
session, without the ~0.4 s of imports each cold start pays (about 300 commands in the fast loop). What a
cold start alone shows (import order, what runs at exit, tests/test_cold_start.py) is the full suite's.
A command whose ``PYTHON*`` variables differ from the suite's runs cold either way.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

DOCGEN = [sys.executable, "-m", "docgen"]
ZYGOTE = Path(__file__).with_name("cli_zygote.py")
_STARTED_WITH = dict(os.environ)  # the suite's environment, before any test changes it


def warm() -> bool:
    return os.environ.get("DOCGEN_TEST_CLI") == "warm" and hasattr(os, "fork")


@dataclass
class Ended:
    """A finished command: its exit code, output, peak resident memory (MiB), wall time, and whether it was
    stopped at its time limit."""

    code: int
    stdout: str
    stderr: str
    peak_mib: float
    seconds: float
    stopped: bool


class _Zygote:
    """The warm process of this test process (tests/cli_zygote.py); one command at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process = subprocess.Popen([sys.executable, str(ZYGOTE)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, cwd=ZYGOTE.parent.parent, env=_STARTED_WITH,
                                        text=True, start_new_session=True)
        assert json.loads(self._read()) == {"ready": True}

    def _read(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the warm docgen process ended (exit {self.process.poll()})")
        return line

    def run(self, args: list[str], cwd: Path, env: dict[str, str], files: tuple[str, str, str],
            new_session: bool, memory: int | None, timeout: float | None) -> tuple[int, int, bool]:
        """The exit status, peak resident KiB and whether the command was stopped at ``timeout``."""
        request = {"args": args, "cwd": str(cwd), "env": env, "stdin": files[0], "stdout": files[1],
                   "stderr": files[2], "new_session": new_session, "memory": memory}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        pid = json.loads(self._read())["pid"]
        with _deadline(timeout, pid, new_session) as stopped:
            ended = json.loads(self._read())
        return ended["status"], ended["maxrss"], stopped.is_set()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


_zygote: _Zygote | None = None


def _warm_process() -> _Zygote:
    global _zygote
    if _zygote is None:
        _zygote = _Zygote()
        import atexit

        atexit.register(_zygote.close)
    return _zygote


def _same_interpreter(env: dict[str, str]) -> bool:
    """Whether a process with ``env`` starts the interpreter as the suite's does (PYTHON* variables)."""
    def python(names: dict[str, str]) -> dict[str, str]:
        return {key: value for key, value in names.items() if key.startswith("PYTHON")}

    return python(env) == python(_STARTED_WITH)


def _text(handle: IO[bytes]) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", "replace")


def run(args: list[str], *, cwd: Path | str | None = None, env: dict[str, str] | None = None,
        input: str | None = None, timeout: float | None = None, new_session: bool = False,
        memory: int | None = None) -> Ended:
    """Run `docgen ARGS` to its end (or its ``timeout``: then it is killed and ``stopped``)."""
    cwd = Path(cwd or os.getcwd())
    env = dict(os.environ if env is None else env)
    started = time.monotonic()
    with tempfile.NamedTemporaryFile() as stdin, tempfile.NamedTemporaryFile() as out, \
            tempfile.NamedTemporaryFile() as err:
        stdin.write((input or "").encode("utf-8"))
        stdin.flush()
        zygote = _warm_process() if warm() and _same_interpreter(env) else None
        if zygote is not None and zygote.lock.acquire(blocking=False):
            try:
                code, maxrss, stopped = zygote.run(args, cwd, env, (stdin.name, out.name, err.name), new_session,
                                                   memory, timeout)
            finally:
                zygote.lock.release()
        else:
            code, maxrss, stopped = _cold(args, cwd, env, (stdin, out, err), new_session, memory, timeout)
        return Ended(code, _text(out), _text(err), maxrss / 1024, time.monotonic() - started, stopped)


def _cold(args: list[str], cwd: Path, env: dict[str, str], files: tuple[IO[bytes], IO[bytes], IO[bytes]],
          new_session: bool, memory: int | None, timeout: float | None) -> tuple[int, int, bool]:
    import resource

    def limit() -> None:
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    files[0].seek(0)
    process = subprocess.Popen([*DOCGEN, *args], cwd=cwd, env=env, stdin=files[0], stdout=files[1],
                               stderr=files[2], preexec_fn=limit if memory else None, start_new_session=new_session)
    with _deadline(timeout, process.pid, new_session) as stopped:
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss, stopped.is_set()


@contextlib.contextmanager
def _deadline(timeout: float | None, pid: int, group: bool) -> Iterator[threading.Event]:
    """Kill the command (its whole session with ``group``) if the block outlasts ``timeout``; the event
    says whether it did."""
    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL) if group else os.kill(pid, signal.SIGKILL)

    timer = threading.Timer(timeout, stop) if timeout else None
    if timer:
        timer.start()
    try:
        yield stopped
    finally:
        if timer:
            timer.cancel()


def docgen_cli(*args: Any, cwd: Path | str | None = None, env: dict[str, str] | None = None, lang: str | None = None,
           input: str | None = None, timeout: float | None = 600) -> subprocess.CompletedProcess:
    """`docgen ARGS` (``--lang LANG`` first when given), as ``subprocess.run(..., capture_output=True,
    text=True)`` gives it; past ``timeout`` seconds ``subprocess.TimeoutExpired``."""
    argv = [*(["--lang", lang] if lang else []), *map(str, args)]
    ended = run(argv, cwd=cwd, env=env, input=input, timeout=timeout)
    if ended.stopped:
        raise subprocess.TimeoutExpired([*DOCGEN, *argv], timeout or 0, ended.stdout, ended.stderr)
    return subprocess.CompletedProcess([*DOCGEN, *argv], ended.code, ended.stdout, ended.stderr)
