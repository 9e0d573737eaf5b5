"""Typesetting a 公文 proof-reader marks in any paragraph: half-width punctuation in Chinese text, a
look-alike for 〇, a 发文字号 without 〔〕, zero-padded dates, a line starting with closing punctuation.

Each rule takes one paragraph's text and yields (what is wrong, the fix)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docgen import zh
from docgen.i18n import _

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


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
