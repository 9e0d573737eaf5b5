"""The proof-reader: what a careful clerk would send back, each finding with its place and the fix.

It is a stage of the pipeline (every render and batch record: warnings, errors under ``--strict``) and
`docgen check` (any DOCX, PDF or OFD, or a campaign: its data and every document it makes; the command
itself is ``commands/check.py``, above the pipeline). It reads a
document as paragraphs with a role (``units``) and runs:

- ``typography``: half-width marks in Chinese text, a look-alike for 〇, 发文字号 without 〔〕, zero padding;
- ``wording``: words doubled at a template's joins (深入开展深入贯彻, 坚持“坚持, 县县委), date ranges not
  written as a clerk writes them, one event told twice, Chinese and Arabic counts mixed, 本支部 in a 党委's pledge;
- ``structure``: a heading with nothing under it, 一是 with no 二是, 一是… beside （一） under one heading, a
  speaker naming himself;
- ``formulations``: 提法 by the document's own date (a table of formulations and congresses, with sources);
- ``facts`` (when the campaign's data is at hand): the timeline (order, tense), counts, the superior's level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from docgen.i18n import _
from docgen.model import Document
from docgen.proofread import facts, formulations, structure, typography, wording
from docgen.proofread.base import Finding
from docgen.proofread.facts import Context
from docgen.proofread.units import Text, Unit, from_document, from_docx, from_ofd, from_pdf

__all__ = ["Context", "Finding", "Text", "check_document", "check_texts", "proofread", "read"]

PARAGRAPH_RULES = (*typography.RULES, *wording.PARAGRAPH_RULES)
DOCUMENT_RULES = (*wording.DOCUMENT_RULES, *structure.DOCUMENT_RULES)
# Roles whose words are the document's own prose (a table row, the 版记 or a 发文字号 are checked for
# typography only).
_PROSE = ("title", "heading", "body", "item", "closing", "addressee", "note", "attachment", "names")


def check_texts(items: Iterable[tuple[str, str]]) -> list[Finding]:
    """The paragraph rules over (where, text) pairs: text with no roles and no date."""
    return [Finding(where, message, fix) for where, text in items for rule in PARAGRAPH_RULES
            for message, fix in rule(text)]


def proofread(text: Text, context: Context | None = None) -> list[Finding]:
    """Every rule over one document."""
    found: list[Finding] = []
    for unit in text.units:
        rules = PARAGRAPH_RULES if unit.role in _PROSE else typography.RULES
        found += [Finding(unit.where, message, fix) for rule in rules for message, fix in rule(unit.text)]
        if text.date and unit.role in _PROSE:
            found += [Finding(unit.where, message, fix) for message, fix in formulations.check(unit.text, text.date)]
    for rule in DOCUMENT_RULES:
        found += list(rule(text))
    if context is not None:
        for rule in facts.RULES:
            found += list(rule(text, context))
    return found


def check_document(document: Document, context: Context | None = None, source: str = "") -> list[Finding]:
    """The proof-reader on a document made here (the model: roles and dates exact)."""
    return proofread(from_document(document, source), context)


READERS: dict[str, Callable[[str], Text]] = {".docx": from_docx, ".pdf": from_pdf, ".ofd": from_ofd}


def read(path: str | Path) -> Text:
    """A DOCX, PDF or OFD as the proof-reader reads it; a zip bomb or a damaged file is one line."""
    from docgen.errors import DocgenError
    from docgen.files import unpacking

    suffix = Path(path).suffix.lower()
    if suffix in (".docx", ".ofd"):
        unpacking.check_file(Path(path), str(path), unpacking.WORD)  # refused before anything inflates it
    try:
        return READERS[suffix](str(path))
    except DocgenError:
        raise
    except Exception as exc:  # python-docx, pdfplumber and zipfile pass on their own errors: a damaged file
        raise DocgenError(_("not a readable {suffix} file (`{error}`); open it and save it again").format(
            suffix=suffix, error=f"{type(exc).__name__}: {exc}"), str(path)) from None


def dated(items: Iterable[Unit], on: dt.date | None) -> Iterator[Finding]:
    """The 提法 rule alone over units (a campaign's values, dated by the campaign)."""
    if on is None:
        return
    for unit in items:
        for message, fix in formulations.check(unit.text, on):
            yield Finding(unit.where, message, fix)
