"""@font-face files linked into WeasyPrint's font folder, not copied: ~50 ms of a cold PDF render.

``FontConfiguration.add_font_face`` reads each @font-face file whole through the URL fetcher and
writes a copy into its temporary folder for fontconfig to scan: docgen's five Fandol files are 31 MB,
read and written again by every process that makes a PDF (and deleted at its end). WeasyPrint has no
option to register a file where it is, so for the profile's own font files (never a woff, which it
must decode) the fetcher answers with a ``FontFile``: its first bytes are there for WeasyPrint's woff
test, and the folder (a ``LinkingFolder``) makes a symbolic link to the file where WeasyPrint writes
its copy. fontconfig, FreeType and Pango open the same bytes through the link, so the PDFs are the
same (tests/test_golden.py compares their bytes); the folder is removed at the end as before.

Checked against WeasyPrint 70.0: ``problems()`` reads ``add_font_face``'s source for the lines this
relies on, and where one is missing (another version) fonts are copied the stock way.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

_NEEDLES = (
    "if self._folder is None:",
    "font_path = self._folder / config_digest",
    "font = response.read()",
    "if font[:3] == b'wOF':",
    "font_path.write_bytes(font)",
    "fontconfig.FcConfigAppFontAddFile(",
)
_HEAD = 64  # bytes of the file kept for a look at its start


class FontFile:
    """A font file as ``add_font_face`` handles it: the body of the fetcher's response, read as itself."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as file:
            self._head = file.read(_HEAD)

    def read(self, *args: object) -> FontFile:
        return self

    def close(self) -> None:
        return None

    def __getitem__(self, index: int | slice) -> bytes | int:
        small = isinstance(index, slice) and index.step is None and (index.start or 0) >= 0 and (
            index.stop is not None and 0 <= index.stop <= _HEAD)
        if small:
            return self._head[index]
        return self.path.read_bytes()[index]  # anything else: the file's bytes, as WeasyPrint would have them

    def is_woff(self) -> bool:
        return self._head[:3] == b"wOF"


class LinkingFolder(type(Path())):  # type: ignore[misc]
    """WeasyPrint's font folder, whose files are links to a ``FontFile``'s path (any other data: written)."""

    def write_bytes(self, data):  # type: ignore[override]
        if isinstance(data, FontFile):
            try:
                os.symlink(data.path, self)
                return 0
            except OSError:  # no links here: the copy WeasyPrint makes
                data = data.path.read_bytes()
        return super().write_bytes(data)


@functools.cache
def problems() -> tuple[str, ...]:
    """What no longer matches the ``add_font_face`` this was written against (empty: all match)."""
    from weasyprint.text.fonts import FontConfiguration

    from docgen.writers.pdf.internals import source_of

    try:
        source = source_of(FontConfiguration.add_font_face)
    except (OSError, TypeError):
        return ("the source of FontConfiguration.add_font_face cannot be read",)
    return tuple(f"add_font_face no longer contains {needle!r}" for needle in _NEEDLES if needle not in source)


def link_into(font_config) -> bool:
    """Give ``font_config`` a folder that links font files instead of copying them; True if it has one."""
    if problems() or font_config._folder is not None:
        return False
    try:
        font_config._folder = LinkingFolder(tempfile.mkdtemp(prefix="weasyprint-"))
    except OSError:  # WeasyPrint makes its own when it needs it, and its failure is reported as before
        return False
    return True


def font_file(path: Path) -> FontFile | None:
    """``path`` as a ``FontFile`` for the fetcher's answer, or None for a woff (WeasyPrint decodes it)."""
    found = FontFile(path)
    return None if found.is_woff() else found
