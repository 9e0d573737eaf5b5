"""The warm `python -m docgen` of `make check` (tests/cli.py): a process with docgen's modules imported that
forks one child per command, so a command does not pay the ~0.4 s a cold interpreter spends importing.

Started by tests/cli.py, one per test process. It reads one request a line on stdin (JSON: the arguments,
folder, environment, the files to use as stdin/stdout/stderr, a new session or not, an address-space
limit) and answers on stdout with ``{"pid": N}`` once the child runs, then ``{"status": S, "maxrss": KiB}``
once it has ended (``os.wait4``: the child's peak resident memory, its reaped children's included).

The child is what `python -m docgen ARGS` runs, from the same point: ``runpy`` runs ``docgen.__main__``
with ``sys.argv`` and ``sys.path[0]`` as ``-m`` sets them, in the request's folder and environment; its
exit code is ``SystemExit``'s, an uncaught exception prints its traceback and exits 1, and on the way out
it runs what the interpreter runs at exit (non-daemon threads joined, ``atexit`` handlers) before
``os._exit``. Nothing is run in this process before a fork but imports (and ``gc.freeze()``, which keeps
the imported objects out of the children's collections: ~5 % of a render's time): no writer, template
or campaign is warm in the child. Only what an interpreter fixes at start-up (``PYTHON*`` variables, the hash seed)
is this process's: tests/cli.py runs a command with other ``PYTHON*`` variables cold.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import json
import os
import resource
import runpy
import sys
import threading
import traceback

PRELOAD = (
    "docgen.cli", "docgen.api", "docgen.pipeline", "docgen.batching", "docgen.commands.check",
    "docgen.commands.importer", "docgen.commands.migrate", "docgen.sources.roster", "docgen.wordtemplate",
    "docgen.writers.docx", "docgen.writers.pdf.writer", "docgen.writers.ofd", "docgen.proofread",
)


def _preload() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    from docgen.writers.pdf import weasyprint_import

    weasyprint_import.load()  # WeasyPrint as a cold render imports it (no find_library subprocesses)


def _exit_code(exc: SystemExit) -> int:
    """The status `sys.exit(value)` gives an interpreter: None → 0, an int, else the value printed and 1."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def _child(request: dict) -> None:
    """Become `python -m docgen ARGS` in the request's folder, environment and files; never returns."""
    code = 1
    try:
        if request["new_session"]:
            os.setsid()
        if request["memory"]:
            resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for fd, (path, flags) in enumerate(((request["stdin"], os.O_RDONLY),
                                            (request["stdout"], os.O_WRONLY | os.O_TRUNC),
                                            (request["stderr"], os.O_WRONLY | os.O_TRUNC))):
            opened = os.open(path, flags)
            os.dup2(opened, fd)
            os.close(opened)
        sys.argv = ["-m", *request["args"]]
        sys.path[0] = os.getcwd()  # -m puts the current folder first
        code = 0
        try:
            runpy.run_module("docgen", run_name="__main__", alter_sys=True)
        except SystemExit as exc:
            code = _exit_code(exc)
        except BaseException:  # what the interpreter does with an uncaught exception
            traceback.print_exc()
            code = 1
        threading._shutdown()  # type: ignore[attr-defined]  # the interpreter's exit: join non-daemon threads
        atexit._run_exitfuncs()
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a full disk or a closed pipe: the exit code stands
                stream.flush()
        os._exit(code)


def _answer(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    _preload()
    gc.freeze()  # what the imports made stays shared with the children, and out of their collections
    _answer({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request)
        _answer({"pid": pid})
        _, status, usage = os.wait4(pid, 0)
        _answer({"status": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss})


if __name__ == "__main__":
    main()
