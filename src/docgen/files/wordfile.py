"""Whether a template name is an office's Word file (.docx/.dotx) rather than a Markdown kind.

The pipeline asks this for every document; it lives apart from the Word-template engine
(``wordtemplate``: lxml, Jinja's AST, the name checker) so that a Markdown document — a speech, a
notice — never imports that engine: about 60 ms of a cold ``docgen render``.
"""

from __future__ import annotations

from pathlib import Path

SUFFIXES = (".docx", ".dotx")


def is_word(name: str | Path | None) -> bool:
    return bool(name) and str(name).lower().endswith(SUFFIXES)
