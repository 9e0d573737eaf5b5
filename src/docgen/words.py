"""Where Chinese words end: jieba's segmentation, cheap for a cold command.

jieba (pure Python, its dictionary: layout.py says why) costs a cold `docgen render` in two places:

- importing it imports ``pkg_resources`` (~0.1 s, a third of it pyparsing), which jieba uses only to
  open its own files and does without when it is missing (its ``_compat``: ``open`` beside its module).
  It is imported here with ``pkg_resources`` hidden for that import (Python's documented ``None`` in
  ``sys.modules``), unless something had already imported it;

Nothing else changes: the words are jieba's own ``tokenize(text, HMM=False)`` on its default dictionary.
"""

from __future__ import annotations

import logging
import sys
from types import ModuleType


def _jieba() -> ModuleType:
    """jieba, imported without ``pkg_resources`` (it opens its files by path instead: the same files)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    hidden = "pkg_resources" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` → ImportError
    try:
        import jieba
    finally:
        if hidden:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokenize(text: str) -> tuple[tuple[str, int, int], ...]:
    """``text`` as jieba's words (its dictionary, no guessing of unknown words), with their positions."""
    return tuple(_jieba().tokenize(text, HMM=False))
