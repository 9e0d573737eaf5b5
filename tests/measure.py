"""Measuring produced files: PDF text lines with pdfplumber, in millimetres from the page's top-left."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
# Punctuation LibreOffice may hang past the right margin (it is not counted as a character cell).
HANGING = set("，。、；：？！”’）》")


@dataclass
class Line:
    page: int
    top_mm: float
    x0_mm: float
    x1_mm: float
    size: float
    font: str
    text: str


def pdf_lines(path: Path) -> tuple[list[list[Line]], list[tuple[float, float]]]:
    """Lines of text per page (chars grouped by their top), and each page's size in mm."""
    pages: list[list[Line]] = []
    sizes = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            sizes.append((float(page.width) / MM, float(page.height) / MM))
            rows: dict[float, list[dict]] = {}
            for ch in page.chars:
                key = round(ch["top"] / 2)  # 2 pt bands: one text line, whatever its glyph heights
                rows.setdefault(key, []).append(ch)
            lines = []
            for key in sorted(rows):
                chars = sorted(rows[key], key=lambda c: c["x0"])
                lines.append(
                    Line(
                        page=number,
                        top_mm=min(c["top"] for c in chars) / MM,
                        x0_mm=chars[0]["x0"] / MM,
                        x1_mm=chars[-1]["x1"] / MM,
                        size=round(chars[0]["size"], 1),
                        font=chars[0]["fontname"],
                        text="".join(c["text"] for c in chars),
                    )
                )
            pages.append(lines)
    return pages, sizes


def body_lines(lines: list[Line], body_size: float = 16.0) -> list[Line]:
    return [line for line in lines if line.size == body_size]


def cells(text: str) -> int:
    """Character cells a line uses: a final hanging punctuation mark takes none."""
    return len(text) - (1 if text and text[-1] in HANGING and len(text) > 28 else 0)


def is_full_width_only(text: str) -> bool:
    return all(ord(c) > 0x2000 for c in text)


def lines_of(page) -> list[list[dict]]:
    """A pdfplumber page's characters grouped into lines (2 pt bands), each sorted left to right."""
    rows: dict[int, list] = {}
    for char in page.chars:
        rows.setdefault(round(char["top"] / 2), []).append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(rows.items())]


def text(chars) -> str:
    return "".join(c["text"] for c in chars)


def plain(text: str) -> str:
    """DOCX text as a reader means it: docgen joins the characters of a name, a date, a post … with U+2060
    WORD JOINER (no width, forbids a line break: docgen.linebreak.unbreakable), which python-docx reads back."""
    return text.replace("\u2060", "")
