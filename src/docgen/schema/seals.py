"""Seal images, checked once when the data is loaded, before any writer sees them.

A seal is a red stamp of a few hundred pixels, printed 42 mm wide. The file comes from outside,
and each writer met a bad one late and differently: python-docx reads only the header and embeds
whatever it is (a 30000 × 30000 bomb went into the DOCX whole, a truncated file ended its render in
an internal error); WeasyPrint decodes it through Pillow and leaves out, with no error, an image
Pillow refuses (the PDF and OFD came out unsealed, exit 0). So here, once per file: it must lie in
the data's folder, be a PNG or JPEG by its header, stay within ``MAX_BYTES``, ``MAX_SIDE`` pixels
a side, ``MAX_PIXELS`` and ``MAX_DECODED_BYTES`` decoded — all read from the header before any
pixel is decoded — and then decode whole. Pillow (WeasyPrint's own image library) reads the header
and decodes; its plugin classes are opened directly so that its global bomb check, which would
refuse a 30000² file before telling its size, does not stand between the file and this message.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from docgen.errors import DocgenError, SourceSpot
from docgen.i18n import _

MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
MAX_BYTES = 10 * 2**20  # a seal's PNG is 20–200 KB; a phone photo of one a few MB
MAX_SIDE = 8192  # pixels a side
MAX_PIXELS = 4096 * 4096  # a 42 mm seal at 2400 dpi is about 4000 pixels across
MAX_DECODED_BYTES = 32 * 2**20  # as Pillow holds it: 2896² RGBA, or 4096² greyscale
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}  # anything else: 4 (RGB is padded)


def resolve(value: str, folder: Path, key: str, spot: SourceSpot | None) -> str:
    """The seal's absolute path, once it passed every check; else one DocgenError at the data's line."""
    seal = (folder / value).resolve()
    if folder not in seal.parents:
        raise DocgenError(_("documents.{key}.seal: '{seal}' is outside the data's folder").format(
            key=key, seal=value), spot)
    if not seal.is_file():
        raise DocgenError(_("documents.{key}.seal: no such file '{seal}'").format(key=key, seal=value), spot)
    stat = seal.stat()
    problem = _problem(str(seal), stat.st_mtime_ns, stat.st_size)
    if problem:
        raise DocgenError(_("documents.{key}.seal: '{seal}' {problem}").format(key=key, seal=value, problem=problem),
                          spot)
    return str(seal)


@lru_cache(maxsize=32)
def _problem(path: str, _mtime_ns: int, size: int) -> str | None:
    """What is wrong with the image file (None: nothing); cached per file version, so a campaign loaded
    again (`docgen serve` checks as one types) decodes its seal once."""
    if size > MAX_BYTES:
        return _("is {size:.1f} MiB; a seal image may be at most {most} MiB").format(
            size=size / 2**20, most=MAX_BYTES // 2**20)
    with open(path, "rb") as handle:
        head = handle.read(8)
    kind = next((name for magic, name in MAGIC.items() if head.startswith(magic)), None)
    if kind is None:
        return _("is not a PNG or JPEG image")
    from PIL import ImageFile

    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # WeasyPrint's import turns it on for the whole process
    try:
        return _decode_problem(path, kind)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _decode_problem(path: str, kind: str) -> str | None:
    """The header's sizes against the limits, then the whole image decoded, with Pillow strict about a cut-off
    file: ``weasyprint.images`` sets ``ImageFile.LOAD_TRUNCATED_IMAGES`` when it is imported, and a process
    that had made a PDF before (`docgen serve`, a batch worker, the API) passed a truncated seal (found by
    `make check`'s warm CLI, tests/cli.py)."""
    from PIL import JpegImagePlugin, PngImagePlugin

    opener = PngImagePlugin.PngImageFile if kind == "PNG" else JpegImagePlugin.JpegImageFile
    try:
        image = opener(path)
    except Exception as exc:  # Pillow raises many kinds for a damaged header: SyntaxError, OSError, ValueError…
        return _("does not decode as {kind} (`{reason}`); save the image again").format(kind=kind, reason=_reason(exc))
    with image:
        width, height = image.size
        if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
            return _("is {width} × {height} pixels; a seal may have at most {most} million pixels and {side} a side "
                     "(a seal needs a few hundred pixels across): scale it down").format(
                width=width, height=height, most=MAX_PIXELS // 1_000_000, side=MAX_SIDE)
        decoded = width * height * _BYTES_PER_PIXEL.get(image.mode, 4)
        if decoded > MAX_DECODED_BYTES:
            return _("is {width} × {height} pixels in {mode}, {size} MiB decoded; a seal may take at most {most} MiB: "
                     "scale it down").format(width=width, height=height, mode=image.mode,
                                             size=decoded // 2**20, most=MAX_DECODED_BYTES // 2**20)
        try:
            image.load()
        except Exception as exc:  # truncated data, a bad checksum, a text chunk too large to unpack
            return _("does not decode as {kind} (`{reason}`); save the image again").format(
                kind=kind, reason=_reason(exc))
    return None


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
