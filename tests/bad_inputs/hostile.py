"""Hostile files for the ``hostile`` cases, made at run time (never committed): image, zip and XML bombs.

A zip bomb's member is built from one deflated chunk repeated: after a full flush a deflate
stream is byte-aligned and the compressor's history is empty, so the same chunk deflates to the
same bytes each time and a gigabyte of XML costs the test one CRC pass (~0.3 s), not a compression.
Each file is made once per test session (``made``) and copied into the case's folder.
"""

from __future__ import annotations

import atexit
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from docgen.files import zipped

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "wadian"
WORD_TEMPLATE = ROOT / "examples" / "word-template" / "会议通知.docx"
CHUNK = 1 << 20  # one repeated chunk of a bomb member: 1 MiB of XML


def bomb_member(name: str, head: bytes, unit: bytes, size: int, tail: bytes) -> zipped.ZipEntry:
    """A zip entry of ``head`` + ``unit`` repeated to about ``size`` bytes + ``tail``, deflated at ~1000:1."""
    chunk = unit * max(1, CHUNK // len(unit))
    count = max(1, size // len(chunk))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    middle = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return zipped.ZipEntry(name, crc, len(head) + len(chunk) * count + len(tail), first + middle * count + last)


def _with_member(source: Path, entry: zipped.ZipEntry, target: Path) -> None:
    """``source``'s zip with one member replaced by ``entry`` (same order), written to ``target``."""
    with zipfile.ZipFile(source) as archive:
        entries = [entry if info.filename == entry.name else
                   zipped.ZipEntry.deflate(info.filename, archive.read(info)) for info in archive.infolist()]
    target.write_bytes(zipped.write_entries(entries, (1980, 1, 1, 0, 0, 0), 0o100644))


def roster_xlsx_bomb(target: Path, size: int = 1600 * 2**20) -> None:
    """The example's 名册.xlsx whose 党员 sheet goes on for ``size`` bytes of XML (rows without a row
    number, so calamine numbers them itself: the issue's 7.3 MB file held 1.6 GB)."""
    with zipfile.ZipFile(EXAMPLE / "名册.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml")
    head, tail = sheet.split(b"</sheetData>")
    row = ("<row>" + "".join(f'<c t="inlineStr"><is><t>党员{n}</t></is></c>' for n in range(10)) + "</row>").encode()
    _with_member(EXAMPLE / "名册.xlsx", bomb_member("xl/worksheets/sheet2.xml", head, row, size,
                                                   b"</sheetData>" + tail), target)


def roster_xlsx_sparse(target: Path) -> None:
    """The example's 名册.xlsx with one more cell on its 党员 sheet, at XFD1048576 (1.5 KB more): calamine
    holds a sheet as one dense block, here 17 thousand million cells."""
    with zipfile.ZipFile(EXAMPLE / "名册.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml")
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    entry = zipped.ZipEntry.deflate("xl/worksheets/sheet2.xml", sheet.replace(b"</sheetData>", far, 1))
    _with_member(EXAMPLE / "名册.xlsx", entry, target)


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _ods_cells(values: list[str]) -> str:
    return "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
                   for v in values)


def roster_ods_bomb(target: Path, size: int = 1600 * 2**20) -> None:
    """An .ods roster whose 党员 table goes on for ``size`` bytes of content.xml."""
    branch = ("<table:table table:name=\"支部\"><table:table-row>" + _ods_cells(["支部名称", "书记"])
              + "</table:table-row><table:table-row>" + _ods_cells(["春风村党支部", "李春明"])
              + "</table:table-row></table:table>")
    head = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
            f'<office:body><office:spreadsheet>{branch}<table:table table:name="党员"><table:table-row>'
            + _ods_cells(["姓名", "所属支部"]) + "</table:table-row>").encode()
    row = ("<table:table-row>" + _ods_cells(["张国华", "春风村党支部"]) + "</table:table-row>").encode()
    tail = b"</table:table></office:spreadsheet></office:body></office:document-content>"
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                b'<manifest:file-entry manifest:full-path="/" '
                b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                b"</manifest:manifest>")
    entries = [zipped.ZipEntry.deflate("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
               zipped.ZipEntry.deflate("META-INF/manifest.xml", manifest),
               bomb_member("content.xml", head, row, size, tail)]
    target.write_bytes(zipped.write_entries(entries, (1980, 1, 1, 0, 0, 0), 0o100644))


def _document_xml() -> bytes:
    with zipfile.ZipFile(WORD_TEMPLATE) as archive:
        return archive.read("word/document.xml")


def word_template_bomb(target: Path, size: int = 190 * 2**20) -> None:
    """The example Word template with ``size`` bytes of plain paragraphs before its own (the issue's
    190 MB of XML in 815 KB)."""
    xml = _document_xml()
    head, body = xml.split(b"<w:body>")
    paragraph = "<w:p><w:r><w:t>党员先锋岗</w:t></w:r></w:p>".encode()
    _with_member(WORD_TEMPLATE, bomb_member("word/document.xml", head + b"<w:body>", paragraph, size, body), target)


def word_template_laughs(target: Path) -> None:
    """The example Word template whose document.xml declares a billion-laughs DTD and uses it."""
    xml = _document_xml()
    declaration, rest = xml.split(b"?>", 1)
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)]
    doctype = f"<!DOCTYPE w:document [{''.join(entities)}]>".encode()
    rest = rest.replace("请于".encode(), "&lol9;请于".encode(), 1)
    entry = zipped.ZipEntry.deflate("word/document.xml", declaration + b"?>" + doctype + rest)
    _with_member(WORD_TEMPLATE, entry, target)


def word_template_truncated(target: Path) -> None:
    """The example Word template whose document.xml stops half-way (a copy cut off, a broken download)."""
    xml = _document_xml()
    _with_member(WORD_TEMPLATE, zipped.ZipEntry.deflate("word/document.xml", xml[: len(xml) // 2]), target)


def word_template_power(target: Path) -> None:
    """The example Word template with a constant power in its text (Jinja folds constants while compiling)."""
    xml = _document_xml().replace("请于".encode(), "{{ (10 ** 100000000) % 7 }}请于".encode(), 1)
    _with_member(WORD_TEMPLATE, zipped.ZipEntry.deflate("word/document.xml", xml), target)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def seal_pixel_bomb(target: Path, side: int = 30000) -> None:
    """A valid PNG of ``side`` × ``side`` black-and-white pixels (30000²: 900 million; about 100 KB)."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)  # filter byte, then one bit a pixel
    per_block = max(1, CHUNK // len(row))
    block = row * per_block
    blocks, rest = divmod(side, per_block)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(row * rest) + packer.flush(zlib.Z_FINISH)
    adler = 1
    for _ in range(blocks):
        adler = zlib.adler32(block, adler)
    adler = zlib.adler32(row * rest, adler)
    stream = b"\x78\xda" + repeated * blocks + last + struct.pack(">I", adler)  # zlib header, deflate, Adler-32
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    target.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", stream)
                       + _png_chunk(b"IEND", b""))


def seal_truncated(target: Path) -> None:
    """The example's seal cut off after 60 % of its bytes (a copy that did not finish)."""
    data = (EXAMPLE / "seal.png").read_bytes()
    target.write_bytes(data[: len(data) * 6 // 10])


def csv_huge_cell(target: Path) -> None:
    """A branch roster as CSV whose second row has a 10 MB cell."""
    target.write_text("支部名称,书记,备注\n春风村党支部,李春明,\"" + "长" * 3_500_000 + "\"\n", encoding="utf-8")


GENERATORS: dict[str, Callable[[Path], None]] = {
    "roster-xlsx-bomb": roster_xlsx_bomb,
    "roster-ods-bomb": roster_ods_bomb,
    "roster-xlsx-sparse": roster_xlsx_sparse,
    "word-template-bomb": word_template_bomb,
    "word-template-laughs": word_template_laughs,
    "word-template-truncated": word_template_truncated,
    "word-template-power": word_template_power,
    "seal-pixel-bomb": seal_pixel_bomb,
    "seal-truncated": seal_truncated,
    "csv-huge-cell": csv_huge_cell,
}
_made: dict[str, Path] = {}
_folder: list[Path] = []


def made(kind: str, target: Path) -> Path:
    """The ``kind`` file copied to ``target`` (made once per session, in a temporary folder)."""
    if kind not in _made:
        if not _folder:
            _folder.append(Path(tempfile.mkdtemp(prefix="docgen-hostile-")))
            atexit.register(shutil.rmtree, _folder[0], ignore_errors=True)
        path = _folder[0] / kind
        GENERATORS[kind](path)
        _made[kind] = path
    shutil.copy(_made[kind], target)
    return target
