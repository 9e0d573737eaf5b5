"""What the proof-reader reads: a document as paragraphs with a role, from any of the forms it exists in.

Every rule works on a ``Text``: the document's units in reading order (title, speaker line, headings,
body paragraphs, table rows, signature …), each with where it is, plus the document's own date and, for
a speech, the speaker. The model gives them exactly (``from_document``); a DOCX gives paragraphs with
docgen's style names, or its roles guessed from the words for anyone else's file (``from_docx``); a PDF
or an OFD gives lines with their position and size, joined back into paragraphs the way the page shows
them — a new paragraph where a line is indented or the previous one stopped short (``from_lines``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from docgen.i18n import _
from docgen.model import (
    Addressee,
    Attachment,
    AttachmentNote,
    Closing,
    Document,
    Heading,
    Imprint,
    ListBlock,
    Masthead,
    NameList,
    Note,
    OrderSignature,
    Paragraph,
    Salutation,
    Signature,
    Speaker,
    SpeechDate,
    Table,
    Title,
)

_CN = "〇一二三四五六七八九十"
HEADING_PATTERNS = (
    (1, re.compile(rf"^[{_CN}]+、")),
    (2, re.compile(rf"^（[{_CN}]+）")),
    (3, re.compile(r"^\d{1,2}\.(?!\d)")),
    (4, re.compile(r"^（\d{1,2}）")),
)
# A paragraph's own last role-bearing sentence: a heading that is a whole paragraph has no 。 inside.
_SENTENCE_END = re.compile(r"[。！？；]")


@dataclass(frozen=True)
class Unit:
    """One paragraph (or table row, or signature line) and where it is."""

    where: str
    text: str
    role: str = "body"  # title, speaker, date, addressee, salutation, heading, body, item, table, closing,
    #                     attachment-note, signature, note, names, masthead, imprint, attachment
    level: int = 0  # a heading's level 1–4, or a run-in heading's at the start of a body paragraph
    lead: str = ""  # the run-in heading's text, when the paragraph starts with one


@dataclass
class Text:
    """A document as the proof-reader reads it."""

    units: list[Unit]
    source: str = ""  # the file, or the template, the findings are about
    date: dt.date | None = None  # the document's own date (成文日期, the speech's date)
    speaker: str = ""  # a speech's speaker (post and name as the speaker line gives them)
    created: dt.date | None = None  # the date the file's metadata gives, when the text shows none
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def is_speech(self) -> bool:
        return any(u.role == "speaker" for u in self.units) or any(
            u.role == "title" and u.text.startswith("在") and u.text.endswith("讲话") for u in self.units)

    @property
    def body(self) -> list[Unit]:
        return [u for u in self.units if u.role in ("heading", "body", "item", "table", "closing")]


# --- dates the document gives itself --------------------------------------------------------------------------

_ARABIC_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_CHINESE_DATE = re.compile(r"^（?([〇○零一二三四五六七八九]{4})年([十一二三四五六七八九]{1,2})月"
                           r"([十一二三四五六七八九]{1,3})日）?$")


def _chinese_number(text: str) -> int:
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
    if "十" not in text:
        return int("".join(str(digits[c]) for c in text))
    tens, _sep, ones = text.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def parse_date(text: str) -> dt.date | None:
    """2024年4月12日 or （二〇二四年四月十二日） as a date; None for anything else."""
    text = text.strip()
    try:
        match = _ARABIC_DATE.match(text)
        if match:
            return dt.date(*(int(g) for g in match.groups()))
        match = _CHINESE_DATE.match(text)
        if match:
            year = int("".join(str(_chinese_number(c)) for c in match.group(1)))
            return dt.date(year, _chinese_number(match.group(2)), _chinese_number(match.group(3)))
    except (ValueError, KeyError):
        return None
    return None


_PRINTED = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)印发")


def _own_date(units: list[Unit]) -> dt.date | None:
    """The 成文日期 under the signature, else the speech's date line, else the last date standing alone, else
    the 印发 date of the 版记 (a 纪要 is not signed)."""
    for role in ("signature-date", "date"):
        for unit in units:
            if unit.role == role:
                found = parse_date(unit.text)
                if found:
                    return found
    alone = [parse_date(u.text) for u in units if parse_date(u.text)]
    if alone:
        return alone[-1]
    printed = [parse_date(m.group(1)) for u in units for m in _PRINTED.finditer(u.text.replace("\t", ""))]
    return next((d for d in printed if d), None)


# --- from the model -----------------------------------------------------------------------------------------


def from_document(document: Document, source: str = "") -> Text:
    """The model's nodes as units: roles are exact."""
    units: list[Unit] = []
    counter = [0]

    def add(text: str, role: str, level: int = 0, lead: str = "") -> None:
        if not text:
            return
        counter[0] += 1
        units.append(Unit(_("paragraph {number}").format(number=counter[0]), text, role, level, lead))

    def walk(nodes: Iterable) -> None:
        for node in nodes:
            if isinstance(node, Title):
                add(node.text, "title")
            elif isinstance(node, Masthead):
                add(node.number, "masthead")
            elif isinstance(node, Speaker):
                add(node.text, "speaker")
            elif isinstance(node, SpeechDate):
                add(node.text, "date")
            elif isinstance(node, Addressee):
                add(node.text, "addressee")
            elif isinstance(node, Salutation):
                add(node.text, "salutation")
            elif isinstance(node, Heading):
                add(node.text, "heading", node.level)
            elif isinstance(node, Paragraph):
                add(node.text, "body", node.lead.level if node.lead else 0, node.lead.text if node.lead else "")
            elif isinstance(node, ListBlock):
                for lead, item in zip(node.leads(), node.items, strict=True):
                    add(lead + "".join(s.text for s in item), "item")
            elif isinstance(node, Table):
                for row in [node.header, *node.rows]:
                    add("\t".join(Table.cell_text(c) for c in row), "table")
            elif isinstance(node, Closing):
                add(node.text, "closing")
            elif isinstance(node, AttachmentNote):
                for line in node.text.split("\n"):
                    add(line, "attachment-note")
            elif isinstance(node, Signature):
                for line in node.lines:
                    add(line, "signature")
                add(node.date, "signature-date")
            elif isinstance(node, OrderSignature):
                add(node.post + node.name, "signature")
                add(node.date, "signature-date")
            elif isinstance(node, Note):
                add(node.text, "note")
            elif isinstance(node, NameList):
                add(node.text, "names")
            elif isinstance(node, Attachment):
                add(node.title, "attachment")
                walk(node.blocks)
            elif isinstance(node, Imprint):
                add(node.cc_text, "imprint")
                add(f"{node.printer}　{node.print_date}印发", "imprint")

    walk(document.nodes)
    speaker = next((u.text for u in units if u.role == "speaker"), "")
    created = _iso(document.meta.created)
    text = Text(units, source, _own_date(units) or created, speaker, created)
    return text


def _iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# --- from text with no roles (anyone's DOCX, a PDF's lines) ----------------------------------------------------


def guess_role(text: str) -> tuple[str, int, str]:
    """A paragraph's role from its words: a numbered heading standing alone, a run-in heading leading a
    paragraph, a date, or body text. Returns (role, level, lead)."""
    if parse_date(text):
        return "date", 0, ""
    for level, pattern in HEADING_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        if level > 2:  # 1. and （1）: items of a list, or run-in leads; either way content
            return "item", 0, ""
        rest = text[match.end():]
        end = _SENTENCE_END.search(rest)
        if end is None:
            return ("heading", level, "") if len(text) <= 40 else ("body", 0, "")
        return "body", level, text[: match.end() + end.end()]
    return "body", 0, ""


DOCX_ROLES = {
    "DocTitle": "title", "Speaker": "speaker", "SpeechDate": "date", "Salutation": "salutation",
    "Closing": "closing", "Addressee": "addressee", "Signature": "signature", "Masthead": "masthead",
    "MastheadMeta": "masthead", "DocNumber": "masthead", "AttachmentLabel": "attachment", "Imprint": "imprint",
    "TableHeader": "table", "TableText": "table", "Footer": "footer",
}


def from_docx(path: str) -> Text:
    """A DOCX's paragraphs (and table rows, where they stand), roles from docgen's styles or the words;
    the word joiners docgen puts inside names, dates and counts (``unbreakable``) taken out."""
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    from docgen.linebreak.unbreakable import plain

    document = docx.Document(path)
    units: list[Unit] = []
    number = 0
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            paragraph = DocxParagraph(child, document)
            number += 1
            text = plain(paragraph.text).strip()
            if not text:
                continue
            units.append(_docx_unit(f"{path}: " + _("paragraph {number}").format(number=number), text,
                                    paragraph.style.style_id if paragraph.style is not None else ""))
        elif child.tag.endswith("}tbl"):
            table = DocxTable(child, document)
            for row in table.rows:
                number += 1
                cells = []
                for cell in row.cells:
                    if not cells or cell.text != cells[-1]:
                        cells.append(plain(cell.text).strip())
                line = "\t".join(cells).strip()
                if line:
                    role = "imprint" if any(p.style is not None and p.style.style_id == "Imprint"
                                            for c in row.cells for p in c.paragraphs) else "table"
                    units.append(Unit(f"{path}: " + _("paragraph {number}").format(number=number), line, role))
    units = _signature_dates(units)
    created = None
    core = document.core_properties
    if core.created:
        created = core.created.date()
    return Text(units, str(path), _own_date(units) or created, _speaker(units), created)


def _docx_unit(where: str, text: str, style: str) -> Unit:
    if style.startswith("Heading") and style[-1:].isdigit():
        return Unit(where, text, "heading", int(style[-1]))
    role = DOCX_ROLES.get(style)
    if role:
        return Unit(where, text, role)
    guessed, level, lead = guess_role(text)
    return Unit(where, text, guessed, level, lead)


def _signature_dates(units: list[Unit]) -> list[Unit]:
    """A date right after the signature lines is the 成文日期."""
    result: list[Unit] = []
    for unit in units:
        if unit.role in ("date", "signature") and result and result[-1].role == "signature" and parse_date(unit.text):
            unit = Unit(unit.where, unit.text, "signature-date")
        result.append(unit)
    return result


def _speaker(units: list[Unit]) -> str:
    return next((u.text for u in units if u.role == "speaker"), "")


# --- from laid-out lines (PDF, OFD) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A line as a page shows it: its text, where it starts and ends, its size."""

    page: int
    number: int
    text: str
    x0: float
    x1: float
    size: float


_PAGE_NUMBER = re.compile(r"^[—\-－]\s*\d+\s*[—\-－]$")


def from_lines(lines: list[Line], source: str, created: dt.date | None = None) -> Text:
    """Lines joined back into paragraphs: a paragraph starts where a line is indented, centred, set in
    another size, or follows a line that stopped short of the right edge."""
    lines = [line for line in lines if line.text.strip() and not _PAGE_NUMBER.match(line.text.strip())]
    if not lines:
        return Text([], source, created=created, date=created)
    sized = [line for line in lines if "\t" not in line.text] or lines
    body_size = _most_common([round(line.size) for line in sized])
    body_lines = [line for line in sized if round(line.size) == body_size]
    left = min(line.x0 for line in body_lines)
    # the right edge full lines reach (a closing mark may hang beyond it, so not the furthest x1)
    plain = [round(line.x1) for line in body_lines if "\t" not in line.text]
    right = max(_most_common(plain), left) if plain else max(line.x1 for line in body_lines)
    char = body_size
    units: list[Unit] = []
    current: list[Line] = []

    def flush() -> None:
        if not current:
            return
        first = current[0]
        text = "".join(line.text.strip() for line in current)
        where = f"{source}: " + _("page {page} line {line}").format(page=first.page, line=first.number)
        if "\t" in text:
            role, level, lead = "table", 0, ""
        elif first.size > body_size + 3:
            role, level, lead = ("masthead" if first.size > body_size + 8 else "title"), 0, ""
        elif first.size < body_size - 1:
            role, level, lead = "imprint", 0, ""
        elif len(current) == 1 and first.x0 > left + 3 * char and not _starts_heading(text) and not parse_date(text):
            role, level, lead = "signature", 0, ""  # a short line set to the right: 署名
        else:
            role, level, lead = guess_role(text)
        units.append(Unit(where, text, role, level, lead))
        current.clear()

    tabbed = {id(line) for line in lines if "\t" in line.text}
    in_table = set(tabbed)
    for before, line, after in zip([None, *lines[:-1]], lines, [*lines[1:], None], strict=True):
        # a wrapped part of a table cell sits between rows that have cells: part of the table
        near = [other for other in (before, after) if other is not None and other.page == line.page]
        if any(id(other) in tabbed for other in near) and abs(line.x0 - (left + 2 * char)) > char * 0.3:
            in_table.add(id(line))
    previous: Line | None = None
    for line in lines:
        if id(line) in in_table:
            flush()
            current.append(Line(line.page, line.number, line.text if "\t" in line.text else f"{line.text}\t",
                                line.x0, line.x1, line.size))
            flush()
            previous = line
            continue
        full = previous is not None and previous.x1 >= right - char * 1.5
        indented = line.x0 > left + char / 2
        # a wrapped line of a numbered item or a name list hangs under its first words: not a new paragraph
        hanging = (full and line.page == previous.page and abs(line.x0 - (left + 2 * char)) > char * 0.3
                   and not _starts_heading(line.text))
        set_apart = previous is not None and previous.x0 > left + 2.5 * char and not full  # centred or set right
        starts = (previous is None or round(line.size) != round(previous.size) or set_apart
                  or indented and not hanging)
        if starts:
            flush()
        current.append(line)
        previous = line
    flush()
    units = _signature_dates(units)
    speaker = ""
    titles = [i for i, u in enumerate(units) if u.role == "title"]
    if titles and units[titles[0]].text.startswith("在") and len(units) > titles[-1] + 1:
        after = units[titles[-1] + 1]
        if after.role == "body" and not after.level and len(after.text) <= 30:
            units[titles[-1] + 1] = Unit(after.where, after.text, "speaker")
            speaker = after.text
    return Text(units, source, _own_date(units) or created, speaker, created)


def _starts_heading(text: str) -> bool:
    return any(pattern.match(text) for _level, pattern in HEADING_PATTERNS)


def _most_common(values: list[int]) -> int:
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return max(counts, key=counts.__getitem__)


def from_pdf(path: str) -> Text:
    """A PDF's lines (pdfplumber), with where each starts and ends and its size."""
    import pdfplumber

    lines: list[Line] = []
    created = None
    with pdfplumber.open(path) as pdf:
        created = _pdf_date(pdf.metadata.get("CreationDate", ""))
        for page_number, page in enumerate(pdf.pages, 1):
            tables = page.find_tables()
            boxes = [table.bbox for table in tables]
            rows = [(row.bbox[1], row.bbox[0], [c or "" for c in cells])
                    for table in tables for row, cells in zip(table.rows, table.extract(), strict=True)]
            if boxes:  # a table's rows are read by its cells, not as lines running across them
                page = page.filter(lambda obj, boxes=boxes: not any(_inside(obj, box) for box in boxes))
            found = [(line["top"], line) for line in page.extract_text_lines(return_chars=True, strip=True)]
            found += [(top, (x0, cells)) for top, x0, cells in rows]
            for number, (_top, line) in enumerate(sorted(found, key=lambda item: item[0]), 1):
                if isinstance(line, tuple):
                    x0, cells = line
                    text = "\t".join(cell.replace("\n", "").replace(" ", "") for cell in cells)
                    lines.append(Line(page_number, number, text + "\t", x0, x0, 0.0))
                    continue
                chars = [c for c in line["chars"] if c["text"].strip()]
                if not chars:
                    continue
                sizes = [round(c["size"]) for c in chars]
                runs = [(c["x0"], c["x1"], c["text"], c["size"]) for c in chars]
                lines.append(Line(page_number, number, _cells(runs), chars[0]["x0"], chars[-1]["x1"],
                                  float(_most_common(sizes))))
    return from_lines(lines, str(path), created)


def _inside(obj: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return x0 <= obj.get("x0", -1) and obj.get("x1", 1e9) <= x1 and top <= obj.get("top", -1) and \
        obj.get("bottom", 1e9) <= bottom


def _cells(runs: list[tuple[float, float, str, float]]) -> str:
    """A line's glyphs joined, with a tab where a gap wider than most of a character parts them: a table's
    cells (a justified line's glyphs are never that far apart)."""
    text = ""
    previous = None
    for x0, x1, glyphs, size in sorted(runs):
        if previous is not None and x0 - previous > 0.6 * size:
            text += "\t"
        text += glyphs
        previous = x1
    return text


def _pdf_date(value: object) -> dt.date | None:
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", str(value or ""))
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def from_ofd(path: str) -> Text:
    """An OFD's text objects (GB/T 33190): each page's TextCode runs grouped into lines by their baseline."""
    import zipfile

    from lxml import etree

    lines: list[Line] = []
    with zipfile.ZipFile(path) as package:
        pages = sorted((n for n in package.namelist() if re.search(r"Pages/Page_\d+/Content\.xml$", n)),
                       key=lambda n: int(re.search(r"Page_(\d+)", n).group(1)))
        for page_number, name in enumerate(pages, 1):
            root = etree.fromstring(package.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
            runs = []
            for obj in root.iter("{*}TextObject"):
                box = [float(v) for v in (obj.get("Boundary") or "0 0 0 0").split()]
                size = float(obj.get("Size") or 0)
                for code in obj.iter("{*}TextCode"):
                    text = code.text or ""
                    x = box[0] + float(code.get("X") or 0)
                    y = box[1] + float(code.get("Y") or 0)
                    deltas = _deltas(code.get("DeltaX") or "")
                    for index, glyph in enumerate(text):  # each glyph where its advances put it
                        left = x + sum(deltas[:index])
                        runs.append((round(y, 1), left, left + size, glyph, size))
            runs.sort()
            grouped: dict[float, list] = {}
            for run in runs:
                key = next((k for k in grouped if abs(k - run[0]) < 1.0), run[0])
                grouped.setdefault(key, []).append(run)
            mm_to_pt = 72 / 25.4
            for number, y in enumerate(sorted(grouped), 1):
                parts = sorted(grouped[y], key=lambda r: r[1])
                text = _cells([(p[1], p[2], p[3], p[4]) for p in parts])
                lines.append(Line(page_number, number, text, parts[0][1] * mm_to_pt, parts[-1][2] * mm_to_pt,
                                  float(_most_common([round(p[4] * mm_to_pt) for p in parts]))))
    return from_lines(lines, str(path))


def _deltas(value: str) -> list[float]:
    """An OFD DeltaX: numbers, with ``g N D`` standing for N advances of D (GB/T 33190 11.2)."""
    tokens = value.split()
    found: list[float] = []
    index = 0
    while index < len(tokens):
        if tokens[index] == "g" and index + 2 < len(tokens):
            found += [float(tokens[index + 2])] * int(float(tokens[index + 1]))
            index += 3
        else:
            with contextlib.suppress(ValueError):
                found.append(float(tokens[index]))
            index += 1
    return found
