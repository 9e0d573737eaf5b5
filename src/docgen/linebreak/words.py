"""Where Chinese words end: jieba's segmentation, cheap for a cold command.

jieba (pure Python, its dictionary: layout.py says why) costs a cold `docgen render` in two places:

- importing it imports ``pkg_resources`` (~0.1 s, a third of it pyparsing), which jieba uses only to
  open its own files and does without when it is missing (its ``_compat``: ``open`` beside its module).
  It is imported here with ``pkg_resources`` hidden for that import (Python's documented ``None`` in
  ``sys.modules``), unless something had already imported it; its HMM module ``finalseg`` (its
  probability tables, ~7 ms), which ``HMM=False`` never uses, waits until something of it is used;
- its dictionary, ~500,000 words and word prefixes with their frequencies, is one Python dict that
  jieba loads whole at first use from its marshal cache in the temporary folder: 0.4–0.9 s, for a
  heading of 30 characters that looks up a few hundred of them. Here the dict jieba loaded is written
  once (per user, jieba version and dictionary file) to an SQLite table in the user's cache folder
  (``$XDG_CACHE_HOME/docgen``, else ``~/.cache/docgen``; 9 MB, ~1 s, atomically replaced), and later
  processes give jieba's own Tokenizer a read-only mapping over that table as its ``FREQ``: jieba's
  DAG, route and regular expressions run unchanged on the same numbers, so the words are the same;
  only the ones looked up are read. A lookup is memoised for the process.

Where the cache folder cannot be written or the table read, jieba loads its dictionary as before; the
same when jieba's default tokenizer is already loaded or told to use another dictionary (then it is
what jieba's ``tokenize`` would use, and it is used).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import os
import sqlite3
import sys
import tempfile
from pathlib import Path
from types import ModuleType

_known: dict[str, int | None] = {}  # word or prefix → jieba's frequency (None: not in its dictionary)
_KNOWN_MOST = 200_000  # then forgotten and read again: a long batch of names keeps no more than this


def _jieba() -> ModuleType:
    """jieba, imported without ``pkg_resources`` (it opens its files by path instead: the same files) and
    with its HMM module (``finalseg``, its tables: ~7 ms) imported when first used."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    hidden = "pkg_resources" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` → ImportError
    deferred = _Deferred("jieba.finalseg") if "jieba.finalseg" not in sys.modules else None
    if deferred:
        sys.modules[deferred.__name__] = deferred
    try:
        import jieba
    finally:
        if hidden:
            del sys.modules["pkg_resources"]
        if deferred and sys.modules.get(deferred.__name__) is deferred:
            del sys.modules[deferred.__name__]
    jieba.setLogLevel(logging.WARNING)
    return jieba


class _Deferred(ModuleType):
    """jieba's ``finalseg`` (what ``from . import finalseg`` binds) until something of it is used (only
    ``tokenize(…, HMM=True)`` and ``add_word`` do): then the real module is imported and answers."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def tokenize(text: str) -> tuple[tuple[str, int, int], ...]:
    """``text`` as jieba's words (its dictionary, no guessing of unknown words), with their positions."""
    jieba = _jieba()
    default = jieba.dt
    if not default.initialized and default.dictionary == jieba.DEFAULT_DICT:
        index = _index(jieba)
        words = _from_index(jieba, index, text) if index else None
        if words is not None:
            return words
        default.initialize()  # jieba's own load (its marshal cache): written out for the next process
        if index:
            _write(index, default.FREQ, default.total)
    return tuple(default.tokenize(text, HMM=False))


def _from_index(jieba: ModuleType, index: Path, text: str) -> tuple[tuple[str, int, int], ...] | None:
    """jieba's Tokenizer on the table's numbers; None when there is no table (or it cannot be read)."""
    try:
        with contextlib.closing(sqlite3.connect(f"{index.as_uri()}?mode=ro&immutable=1", uri=True)) as table:
            (total,) = table.execute("SELECT n FROM total").fetchone()
            words = jieba.Tokenizer()
            words.FREQ, words.total, words.initialized = _Frequencies(table), total, True
            return tuple(words.tokenize(text, HMM=False))
    except (OSError, sqlite3.Error):
        return None


class _Frequencies:
    """jieba's ``FREQ`` as its Tokenizer reads it (``in``, ``[]``, ``get``), from the table."""

    def __init__(self, table: sqlite3.Connection) -> None:
        self._table = table

    def get(self, word: str, default: int | None = None) -> int | None:
        try:
            found = _known[word]
        except KeyError:
            row = self._table.execute("SELECT frequency FROM words WHERE word = ?", (word,)).fetchone()
            if len(_known) >= _KNOWN_MOST:
                _known.clear()
            found = _known[word] = None if row is None else row[0]
        return default if found is None else found

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found


def _index(jieba: ModuleType) -> Path | None:
    """The table's file: named for jieba's version and its dictionary file, so a new one is written anew
    (None: no cache folder, no home)."""
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    try:
        stat = dictionary.stat()
        identity = f"{jieba.__version__}\0{dictionary}\0{stat.st_size}\0{stat.st_mtime_ns}"
    except OSError:
        identity = f"{jieba.__version__}\0{dictionary}"
    cache = os.environ.get("XDG_CACHE_HOME", "")
    home = os.path.expanduser("~")
    if not os.path.isabs(cache) and not os.path.isabs(home):
        return None
    folder = Path(cache) if os.path.isabs(cache) else Path(home) / ".cache"
    return folder / "docgen" / f"jieba-{hashlib.sha256(identity.encode()).hexdigest()[:16]}.sqlite3"


def _write(index: Path, frequencies: dict[str, int], total: int) -> None:
    """The table, written beside its place and moved there whole; nothing if the folder is not writable."""
    partial = None
    try:
        index.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=index.parent, prefix=".jieba-", suffix=".partial")
        os.close(handle)
        with contextlib.closing(sqlite3.connect(partial)) as table:
            table.execute("PRAGMA journal_mode = OFF")
            table.execute("CREATE TABLE words (word TEXT PRIMARY KEY, frequency INTEGER NOT NULL) WITHOUT ROWID")
            table.executemany("INSERT INTO words VALUES (?, ?)", sorted(frequencies.items()))
            table.execute("CREATE TABLE total (n INTEGER NOT NULL)")
            table.execute("INSERT INTO total VALUES (?)", (total,))
            table.commit()
        os.replace(partial, index)
        partial = None
    except (OSError, sqlite3.Error):
        pass  # a cache: the next process loads jieba's dictionary again
    finally:
        if partial is not None:
            with contextlib.suppress(OSError):
                os.unlink(partial)
