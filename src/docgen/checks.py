"""Typesetting checks a 公文 proof-reader makes, as `docgen check` and as warnings on every render.

Each finding names where it is (file:line, paragraph N, page P line L), what is wrong and the fix.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from docgen import zh
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.model import Document

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


@dataclass(frozen=True)
class Finding:
    where: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}; {self.fix}"


def _half_width(text: str) -> Iterator[tuple[str, str]]:
    for match in re.finditer(rf"(?<=[{_CJK}，。“”])([,;:!?()])|([,;:!?()])(?=[{_CJK}“”])", text):
        mark = match.group(1) or match.group(2)
        yield (_("half-width '{mark}' in Chinese text").format(mark=mark),
               _("write '{fixed}'").format(fixed=_FULL[mark]))


def _half_width_stop(text: str) -> Iterator[tuple[str, str]]:
    # After a digit a '.' is a decimal point (1.5) or a list marker (1.); '...' is an ellipsis.
    for _match in re.finditer(rf"(?<=[{_CJK}，。、；：？！“”‘’）》」』])(?<!\.)\.(?!\.)", text):
        yield _("half-width '.' after Chinese text"), _("write '{fixed}'").format(fixed="。")


def _zero_for_ling(text: str) -> Iterator[tuple[str, str]]:
    for match in re.finditer(r"[一二三四五六七八九〇○OＯ0零]{4}年", text):
        year = match.group()[:4]
        if sum(c in "一二三四五六七八九〇" for c in year) >= 2 and any(c in "○OＯ0零" for c in year):
            fixed = re.sub("[○OＯ0零]", "〇", year)
            yield (_("'{text}' uses a look-alike for 〇").format(text=match.group()),
                   _("write '{fixed}' (〇 is U+3007)").format(fixed=f"{fixed}年"))


def _document_numbers(text: str) -> Iterator[tuple[str, str]]:
    pattern = rf"[{_CJK}]{{1,12}}[\[［【(（]\s*\d{{4}}\s*[\]］】)）]\s*第?\s*\d+\s*号"
    for match in re.finditer(pattern, text):
        yield (_("document number '{text}' without 〔〕").format(text=match.group()),
               _("write '{fixed}'").format(fixed=zh.document_number(match.group())))


def _zero_padding(text: str) -> Iterator[tuple[str, str]]:
    for match in re.finditer(r"(\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})年(0\d)月", text):
        parts = [p for p in match.groups() if p is not None]
        if any(len(p) == 2 and p.startswith("0") for p in parts[1:]):
            numbers = [str(int(p)) for p in parts]
            fixed = f"{numbers[0]}年{numbers[1]}月" + (f"{numbers[2]}日" if len(numbers) == 3 else "")
            yield (_("date '{text}' with zero padding").format(text=match.group()),
                   _("write '{fixed}'").format(fixed=fixed))


def _starts_with_closing(text: str) -> Iterator[tuple[str, str]]:
    if text and text[0] in "，。、；：？！）》」』】〕”’":
        yield _("starts with '{mark}'").format(mark=text[0]), _("join it to the line before")


RULES = (_half_width, _half_width_stop, _zero_for_ling, _document_numbers, _zero_padding, _starts_with_closing)


def check_texts(items: Iterable[tuple[str, str]]) -> list[Finding]:
    """Run every rule over (where, text) pairs."""
    return [Finding(where, message, fix) for where, text in items for rule in RULES for message, fix in rule(text)]


def check_document(doc: Document) -> list[Finding]:
    return check_texts((_("paragraph {number}").format(number=n), text)
                       for n, text in enumerate(doc.paragraphs_text(), 1))


def _note_to_stderr(finding: Finding) -> None:
    print(_("note: {message}").format(message=finding), file=sys.stderr)


def check_path(path: str | Path, note: Callable[[Finding], None] = _note_to_stderr) -> list[Finding]:
    """A DOCX (its paragraphs), a PDF (its lines, page by page) or campaign data (its values).

    In data, a 发文字号 under ``documents.<kind>.number`` such as 瓦委发[2010]12号 is fine: the
    documents print it as 瓦委发〔2010〕12号. It goes to ``note`` (stderr by default), not into the
    findings; the same number in a DOCX or PDF, or in any other data text, is a finding.
    """
    p = Path(path)
    if p.suffix.lower() == ".docx":
        import docx

        from docgen import unpacking

        unpacking.check_file(p, str(p), unpacking.WORD)  # a zip bomb is refused before python-docx inflates it
        try:
            paragraphs = docx.Document(str(p)).paragraphs
        except Exception as exc:  # python-docx passes on zipfile's, lxml's and its own errors: a damaged file
            raise DocgenError(_("not a readable .docx file (`{error}`); open it in Word or WPS and save it again").format(
                error=f"{type(exc).__name__}: {exc}"), str(p)) from None
        return check_texts((f"{p}: " + _("paragraph {number}").format(number=n), para.text)
                           for n, para in enumerate(paragraphs, 1) if para.text)
    if p.suffix.lower() == ".pdf":
        import pdfplumber

        items = []
        with pdfplumber.open(p) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                lines = (page.extract_text() or "").splitlines()
                items += [(f"{p}: " + _("page {page} line {line}").format(page=number, line=n), line.strip())
                          for n, line in enumerate(lines, 1)]
        return check_texts(items)
    from docgen.sources import load

    loaded = load(p)
    findings: list[Finding] = []
    for path, text in _strings(loaded.values, ()):
        where = str(loaded.spot(path))
        if len(path) == 3 and path[0] == "documents" and path[2] == "number":
            findings += _data_document_number(where, text, note)
        else:
            findings += check_texts([(where, text)])
    return findings


def _data_document_number(where: str, text: str, note: Callable[[Finding], None]) -> list[Finding]:
    """``documents.<kind>.number`` is normalized when the document is built: [2010] is a note there."""
    try:
        fixed = zh.issued_number(text)
    except ValueError:
        return [Finding(where, _("document number '{text}' cannot be read").format(text=text),
                        _("write it like 瓦委发〔2010〕12号 (organ code, full year, serial, 号), a 令号 like 第1号"))]
    if fixed != text:
        note(Finding(where, _("document number '{text}' is written as '{fixed}' in the documents").format(
            text=text, fixed=fixed),
                     _("nothing to change (or write it so here)")))
    return check_texts([(where, fixed)])


def _strings(value, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
