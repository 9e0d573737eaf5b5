"""How far a zip from outside may unpack: the one rule for rosters (.xlsx/.xlsm/.xlsb/.ods) and Word files.

A workbook or a Word file is a zip whose members are XML; whoever reads them (python-calamine,
lxml) holds each in memory many times over. A 7 MB roster whose sheet was 1.6 GB of XML took
5.8 GB, a 815 KB Word template of 190 MB of XML 6.6 GB, though both passed the caps on the file's
own size. So before any member is read, each is held to a size and to a compression ratio, read
from the zip's central directory: nothing is inflated to find out. That is enough because both
readers stop at a member's declared size: Python's ``zipfile`` reads no further than it, and the
Rust ``zip`` crate under calamine refuses a member that inflates past it ("File is larger than its
declared uncompressed size", checked on a forged file).

The ratio: honest Office XML deflates 5–35 times (Word's styles.xml of the example template 29×,
a roster's sheet about 10×); POI refuses past 100 (its ``MIN_INFLATE_RATIO`` 0.01), so does this,
for members over a mebibyte (a small part may compress as it likes: it cannot cost much).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import _

MAX_RATIO = 100
RATIO_FROM = 2**20  # members smaller than this are not held to the ratio


@dataclass(frozen=True)
class Limits:
    """What one kind of file may unpack to: each member, and all of them together."""

    member: int
    total: int
    ratio: int = MAX_RATIO


# A roster of 300,000 rows (the row limit) of a dozen columns is about 250 MB of sheet XML.
ROSTER = Limits(member=256 * 2**20, total=512 * 2**20)
# A Word template's text parts are a few MB even for a long template; pictures make the rest.
WORD = Limits(member=32 * 2**20, total=200 * 2**20)


def check(archive: zipfile.ZipFile, file: str, limits: Limits) -> None:
    """Refuse, naming the file and the member, a zip that would unpack past ``limits``."""
    total = 0
    for info in archive.infolist():
        size = info.file_size
        total += size
        if size > limits.member:
            raise DocgenError(_("{member} unpacks to {size} MiB; a member may unpack to at most {most} MiB "
                                "(a zip bomb?)").format(member=info.filename, size=size // 2**20,
                                                        most=limits.member // 2**20), file)
        if size > RATIO_FROM and size > limits.ratio * max(info.compress_size, 1):
            raise DocgenError(_("{member} unpacks {ratio:.0f} times its packed size ({size} MiB from {packed} KiB); "
                                "past {most} times it is a zip bomb, not a document").format(
                member=info.filename, ratio=size / max(info.compress_size, 1), size=size // 2**20,
                packed=info.compress_size // 1024, most=limits.ratio), file)
    if total > limits.total:
        raise DocgenError(_("unpacks to {size} MiB in all; at most {most} MiB (a zip bomb?)").format(
            size=total // 2**20, most=limits.total // 2**20), file)


def check_file(path: Path, file: str, limits: Limits) -> None:
    """``check`` for a zip on disk; a file that is not a zip is left to its reader to refuse."""
    try:
        with zipfile.ZipFile(path) as archive:
            check(archive, file, limits)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
