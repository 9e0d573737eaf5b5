"""Writing results: names made safe for every file system, and atomic writes.

A file appears whole or not at all: bytes go to a hidden temporary file in the same folder,
are flushed to disk, then renamed over the target (rename is atomic within a file system).

A batch writes many files at once (``stage`` → ``make_durable`` → ``commit``): every file of a chunk
goes to its temporary file, one ``syncfs`` of the output's file system makes them all durable, and
only then is each renamed into place, followed by one ``fsync`` of the folder for the renames. The
promise is the same as ``write_atomic``'s — a name only ever shows a whole file, after a kill or a
power cut alike (the data is on disk before the rename) — for one sync a chunk instead of an
``fsync`` a file (3–4 ms of waiting on the disk per notice here, more than the notice's CPU). Where
``syncfs`` is missing (not Linux), each temporary file is fsynced instead.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import _, os_reason

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?$", re.IGNORECASE)
MAX_NAME_BYTES = 200  # leaves room for the extension and a temporary suffix under the 255-byte limit


def safe_stem(name: str, fallback: str = "document") -> str:
    """A file name stem that is valid on Windows, macOS and Linux and cannot leave its folder."""
    text = unicodedata.normalize("NFC", str(name))
    text = _FORBIDDEN.sub("_", text)
    text = text.replace("..", "_")
    text = text.strip(" .")
    if _RESERVED.match(text):
        text = "_" + text
    if len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = _cut_at_a_word(text).rstrip(" .")
    return text or fallback


def _cut_at_a_word(text: str) -> str:
    """The longest start of ``text`` that fits MAX_NAME_BYTES and ends where a word ends (jieba's seams)."""
    from docgen.linebreak.titles import word_seams

    fits = [end for end in word_seams(text) if len(text[:end].encode("utf-8")) <= MAX_NAME_BYTES]
    if fits:
        return text[: max(fits)]
    return text.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", errors="ignore")


def inside(folder: Path, name: str) -> Path:
    """The path of ``name`` in ``folder``, refusing anything that would resolve outside it."""
    target = (folder / name).resolve()
    root = folder.resolve()
    if target.parent != root:
        raise DocgenError(_("output name {name!r} would leave the output folder").format(name=name), str(folder))
    return target


def prepare_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise DocgenError(_("the output path exists and is not a folder"), str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocgenError(_("cannot create the output folder: {strerror}").format(
            strerror=os_reason(exc)), str(folder)) from None


def write_atomic(path: Path, payload: bytes) -> None:
    """Write bytes so that readers (and an interrupted run) only ever see the whole file."""
    commit(stage(path, payload, durable=True))


@dataclass(frozen=True)
class Staged:
    """A file's bytes in a hidden temporary file beside its name, not yet renamed into place."""

    path: Path
    temp: str


def stage(path: Path, payload: bytes, durable: bool = False) -> Staged:
    """Write ``payload`` to a temporary file in ``path``'s folder; ``durable``: fsync it now (one file),
    else ``make_durable`` syncs a whole chunk's files at once."""
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise DocgenError(_("cannot write: {strerror}").format(strerror=os_reason(exc)), str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DocgenError(_("cannot write: {strerror}").format(strerror=os_reason(exc)), str(path)) from None
        raise
    return Staged(path, temp)


def make_durable(folder: Path, staged: list[Staged]) -> None:
    """Every staged file's bytes on disk: one syncfs of the folder's file system (each file fsynced without it)."""
    if not staged:
        return
    syncfs = _syncfs()
    try:
        if syncfs is not None:
            fd = os.open(folder, os.O_RDONLY)
            try:
                if syncfs(fd) != 0:
                    import ctypes

                    error = ctypes.get_errno()
                    raise OSError(error, os.strerror(error))
            finally:
                os.close(fd)
            return
        for item in staged:
            fd = os.open(item.temp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except OSError as exc:
        raise DocgenError(_("cannot write: {strerror}").format(strerror=os_reason(exc)), str(folder)) from None


def commit(item: Staged) -> None:
    """Rename a staged (and durable) file into place."""
    try:
        os.replace(item.temp, item.path)
    except OSError as exc:
        discard([item])
        raise DocgenError(_("cannot write: {strerror}").format(strerror=os_reason(exc)), str(item.path)) from None


def discard(staged: list[Staged]) -> None:
    for item in staged:
        Path(item.temp).unlink(missing_ok=True)


def sync_folder(folder: Path) -> None:
    """The renames into ``folder`` on disk too (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@cache
def _syncfs():
    """libc's syncfs(2) (Linux), or None; looked up once, when a batch first writes."""
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function
