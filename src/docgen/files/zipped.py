"""Zip files written from already deflated entries: the bytes ``zipfile`` writes, without its work.

A DOCX package is a zip whose entries mostly never change between documents (styles, theme,
settings, font table, footers, relationships). Deflating them once per process and copying the
compressed bytes into each document is most of what a batch saves on packaging; ``zipfile`` cannot
take pre-compressed data, so the headers are packed here, field for field as ``zipfile.writestr``
packs them for a ``ZipInfo`` with a fixed timestamp and no extra fields — the output is the same
bytes ``zipfile`` gives (tests compare them).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ZipEntry:
    """One entry, deflated: name, CRC-32 and size of the payload, and the raw deflate stream."""

    name: str
    crc: int
    size: int
    data: bytes  # raw deflate stream

    @classmethod
    def deflate(cls, name: str, payload: bytes, level: int = 6) -> ZipEntry:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(name, zlib.crc32(payload), len(payload), packer.compress(payload) + packer.flush())

    def renamed(self, name: str) -> ZipEntry:
        return ZipEntry(name, self.crc, self.size, self.data)


def dos_stamp(date_time: tuple[int, ...]) -> tuple[int, int]:
    """(time, date) in the zip format's MS-DOS fields, as zipfile computes them."""
    year, month, day, hour, minute, second = date_time[:6]
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def write_entries(entries: list[ZipEntry], date_time: tuple[int, ...], mode: int) -> bytes:
    """A zip of deflated entries, in order, every one stamped ``date_time`` with Unix ``mode``
    (as ``ZipInfo.external_attr = mode << 16``)."""
    dos_time, dos_date = dos_stamp(date_time)
    attributes = mode << 16
    body = bytearray()
    central = bytearray()
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800  # UTF-8 names
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, dos_time, dos_date, entry.crc,
                            len(entry.data), entry.size, len(name), 0)
        body += name
        body += entry.data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, flags, 8, dos_time, dos_date,
                               entry.crc, len(entry.data), entry.size, len(name), 0, 0, 0, 0, attributes, offset)
        central += name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return bytes(body + central + end)
