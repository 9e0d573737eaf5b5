"""Chinese text helpers: numerals, ordinals, dates, list joining, punctuation, script conversion.

These are the rules a 公文 writer applies by hand; templates reach them as Jinja filters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from docgen.i18n import _

DIGITS = "〇一二三四五六七八九"  # 〇 is U+3007, never ○ (U+25CB) or 0
_UNITS = ["", "十", "百", "千"]


def numeral(n: int, *, counting: bool = False) -> str:
    """Write a whole number (0..99999999) in Chinese numerals: 12 → 十二, 105 → 一百零五.

    ``counting=True`` gives the form used before a measure word: 2 → 两 (两年, 两项).
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"a whole number is needed, not {n!r}")
    if n < 0 or n > 99_999_999:
        raise ValueError(_("{n} is outside 0..99999999").format(n=n))
    if n == 0:
        return "〇"
    if counting and n == 2:
        return "两"
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        text = numeral(high) + "万"
        if low:
            text += ("零" if low < 1000 else "") + numeral(low)
        return text
    parts: list[str] = []
    digits = [int(d) for d in str(n)]
    zero_pending = False
    for i, d in enumerate(digits):
        unit = _UNITS[len(digits) - 1 - i]
        if d == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(DIGITS[d] + unit)
    text = "".join(parts)
    if 10 <= n < 20:
        text = text[1:]  # 十二, not 一十二
    return text


def ordinal(n: int) -> str:
    """The enumeration lead of a speech: 1 → 一是, 2 → 二是."""
    return numeral(n) + "是"


def digit_year(year: int) -> str:
    """Years are read digit by digit: 2010 → 二〇一〇."""
    return "".join(DIGITS[int(d)] for d in str(year))


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def date_arabic(value: dt.date | str, *, precision: str = "day", since: dt.date | str | None = None) -> str:
    """GB/T 9704 成文日期: Arabic numerals, full year, no zero padding: 2010年6月15日.

    ``since``: an earlier date of the same sentence; in the same year the year is not said again
    (从2024年4月开始，到7月基本结束)."""
    d = _as_date(value)
    year = "" if since is not None and _as_date(since).year == d.year else f"{d.year}年"
    if precision == "year":
        return f"{d.year}年"
    if precision == "month":
        return f"{year}{d.month}月"
    return f"{year}{d.month}月{d.day}日"


def date_chinese(value: dt.date | str, *, precision: str = "day") -> str:
    """Chinese-numeral date for speeches and old styles: 二〇一〇年六月十五日 (〇 is U+3007)."""
    d = _as_date(value)
    text = digit_year(d.year) + "年"
    if precision == "year":
        return text
    text += numeral(d.month) + "月"
    if precision == "month":
        return text
    return text + numeral(d.day) + "日"


def _whole_months(start: dt.date, end: dt.date) -> bool:
    """The range starts on a month's first day and ends on a month's last day."""
    return start.day == 1 and (end + dt.timedelta(days=1)).day == 1


def date_range(start: dt.date | str, end: dt.date | str | None = None, *, end_label: str | None = None,
               sep: str = "至") -> str:
    """A range of dates as a clerk writes it (GB/T 9704's dates; the year and month said once):

    - whole months: 2024年4月 (one), 2024年5月至6月, 2024年12月至2025年1月;
    - days: 2024年7月1日至31日, 2024年4月1日至7月31日, 2024年12月20日至2025年1月10日;
    - ``end_label`` for an end without a date (2010年“七一”前, 党的十八大召开前): 2010年6月至“七一”前 —
      the label's year is dropped when it is the start's.
    """
    first = _as_date(start)
    if end_label:
        label = end_label.removeprefix(f"{first.year}年")
        head = date_arabic(first, precision="month" if first.day == 1 else "day")
        if first.day != 1 and label.startswith(f"{first.month}月"):  # 9月9日至9月20日前 → 9月9日至20日前
            label = label.removeprefix(f"{first.month}月")
        return f"{head}{sep}{label}"
    last = _as_date(end) if end is not None else first
    if last < first:
        raise ValueError(_("the range ends ({end}) before it starts ({start})").format(end=last, start=first))
    if _whole_months(first, last):
        head = date_arabic(first, precision="month")
        if (first.year, first.month) == (last.year, last.month):
            return head
        tail = f"{last.month}月" if last.year == first.year else date_arabic(last, precision="month")
        return f"{head}{sep}{tail}"
    head = date_arabic(first)
    if first == last:
        return head
    if (first.year, first.month) == (last.year, last.month):
        tail = f"{last.day}日"
    elif first.year == last.year:
        tail = f"{last.month}月{last.day}日"
    else:
        tail = date_arabic(last)
    return f"{head}{sep}{tail}"


def weekday(value: dt.date | str) -> str:
    """星期一 … 星期日, as a meeting notice gives it after the date."""
    return "星期" + "一二三四五六日"[_as_date(value).weekday()]


def join(items: Iterable[object], last: str | None = "和", sep: str = "、") -> str:
    """Join a list the Chinese way: 甲、乙和丙. ``last=None`` uses ``sep`` throughout."""
    words = [str(i) for i in items]
    if len(words) <= 1 or not last:
        return sep.join(words)
    return sep.join(words[:-1]) + last + words[-1]


def with_post(organ: object, post: object) -> str:
    """A post in an organ, written once: 春风村党支部 + 支部书记 → 春风村党支部书记, 桂园社区党委 + 党委书记
    (or 社区党委书记) → 桂园社区党委书记, 桂园社区党委 + 党组织书记 → 桂园社区党委书记.

    The longest end of the organ's name that the post starts with is written once; a post naming
    the organ generically (党组织书记, 支部书记 of a 党支部) takes the organ's own word.
    """
    organ, post = str(organ), str(post)
    for size in range(min(len(organ), len(post)), 1, -1):
        if organ.endswith(post[:size]):
            return organ + post[size:]
    if post.startswith("党组织") and organ.endswith(("党委", "党总支", "党支部", "党组", "党工委")):
        return organ + post[3:]
    return organ + post


def own_organ(name: object) -> str:
    """How an organ speaks of itself in its own pledge: 本支部 (a 党支部), 本党委, 本总支, 本党组, 本党工委;
    本单位 when the name says no committee."""
    text = str(name)
    for suffix, word in (("党总支", "本总支"), ("党工委", "本党工委"), ("党委", "本党委"), ("党组", "本党组"),
                         ("支部", "本支部")):
        if text.endswith(suffix):
            return word
    return "本单位"


# --- 发文字号 ------------------------------------------------------------------------------------

_DOC_NUMBER = re.compile(
    r"^\s*(?P<code>[^\[\]［］【】()（）〔〕\s]+?)\s*[\[［【(（〔]\s*(?P<year>\d{4})\s*[\]］】)）〕]"
    r"\s*第?\s*(?P<serial>\d+)\s*号\s*$"
)


def document_number(text: str) -> str:
    """Normalize a 发文字号 to GB/T 9704's form: 瓦委发〔2010〕12号.

    Accepts [2010], ［2010］, 【2010】, (2010) and （2010） for the year brackets, drops 第 and zero
    padding; raises ValueError (with the expected form) when the year or the serial is missing.
    """
    match = _DOC_NUMBER.match(text or "")
    if not match:
        raise ValueError(
            _("'{text}' is not a document number like 瓦委发〔2010〕12号 (organ code, full year in 〔〕, serial, "
              "号)").format(
                text=text)
        )
    return f"{match['code']}〔{match['year']}〕{int(match['serial'])}号"


_ORDER_NUMBER = re.compile(r"^\s*第\s*(?P<serial>\d+)\s*号\s*$")


def order_number(text: str) -> str | None:
    """A 命令（令）'s 令号 (GB/T 9704 10.2) as it is printed, 第1号 (no zero padding); None if the text is
    not one (a 令号 has no organ code and no year: it cannot be mistaken for a 发文字号)."""
    match = _ORDER_NUMBER.match(text or "")
    return f"第{int(match['serial'])}号" if match else None


def issued_number(text: str) -> str:
    """``documents.<key>.number`` as printed: a 命令's 令号 (第1号), else a 发文字号 (document_number)."""
    return order_number(text) or document_number(text)


# --- punctuation -------------------------------------------------------------------------------

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’《》〈〉…—·"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s*([,;:!?()])|([,;:!?()])\s*(?=[{_CJK}])")
# A full stop: a '.' (or '．') right after Chinese text, not one of an ellipsis '...'. After a digit
# (also a full-width one) it is a decimal point (1.5, １．５) or a list marker (1.), and stays.
_FULL_STOP = re.compile(rf"(?<=[{_CJK}])(?<![０-９Ａ-Ｚａ-ｚ])[ \t]*(?<![.．])[.．](?![.．])")


def fullwidth_punctuation(text: str) -> str:
    """Make , ; : ! ? ( ) full-width where they touch Chinese text, and a '.' after Chinese text 。;
    1.5, 1. and 2010-06 stay as they are."""
    text = _NEAR_CJK.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], text)
    return _FULL_STOP.sub("。", text)


def text_cells(text: str) -> float:
    """How many character cells a text takes: a half-width digit or letter is half a cell."""
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)


def script_seams(text: str) -> int:
    """How many times the text turns between full-width (Chinese) and half-width characters."""
    wide = [ord(c) >= 0x2000 for c in text if not c.isspace()]
    return sum(a != b for a, b in zip(wide, wide[1:], strict=False))


def is_cjk(char: str) -> bool:
    """True for ideographs and the full-width punctuation that sits between them."""
    return bool(char) and re.match(rf"[{_CJK}]", char) is not None


# --- script conversion -------------------------------------------------------------------------

# OpenCC keeps 著 where modern Simplified writes 着 (著重 → 着重); the phrases the seed uses.
_SIMPLIFIED_FIXES = {"著重": "着重", "著力": "着力", "著眼": "着眼", "著手": "着手"}


@lru_cache(maxsize=8)
def _converter(config: str):
    import opencc  # imported on first use: conversion is rare on the render path

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC (t2s), plus the 著/着 phrases OpenCC leaves alone."""
    text = _converter("t2s").convert(text)
    for old, new in _SIMPLIFIED_FIXES.items():
        text = text.replace(old, new)
    return text


# --script: the final text in another script; names listed in ``keep`` are left as written.
# hant: OpenCC's standard Traditional (爲, 裏, 着); hant-tw: Taiwan's standard forms (為, 裡, 著) —
# characters only: s2twp would also rewrite words (信息 → 資訊, 网络 → 網路), which a 公文 must not;
# hant-hk: Hong Kong's forms (為, 裏, 着).
SCRIPTS = {"hans": None, "hant": "s2t", "hant-tw": "s2tw", "hant-hk": "s2hk"}
# Taiwan and Hong Kong quote with 「」 and, inside them, 『』; the mainland (and OpenCC) with “” ‘’.
CORNER_QUOTES = {"hant-tw", "hant-hk"}
_TO_CORNER = str.maketrans("“”‘’", "「」『』")
_FROM_CORNER = str.maketrans("「」『』", "“”‘’")


def corner_quotes(text: str) -> str:
    """“” ‘’ → 「」 『』, as Taiwan and Hong Kong write quotations."""
    return text.translate(_TO_CORNER)


def curly_quotes(text: str) -> str:
    """「」 『』 → “” ‘’, as the mainland writes quotations (GB/T 15834)."""
    return text.translate(_FROM_CORNER)


def convert_script(text: str, script: str, keep: tuple[str, ...] = ()) -> str:
    """Simplified → Traditional (Taiwan, Hong Kong) with OpenCC, protecting the ``keep`` terms."""
    config = SCRIPTS[script]
    if not config or not text:
        return text
    protected = sorted((term for term in keep if term and term in text), key=len, reverse=True)
    for number, term in enumerate(protected):
        text = text.replace(term, chr(0xF0000 + number))  # private-use placeholders OpenCC leaves alone
    text = _converter(config).convert(text)
    if script in CORNER_QUOTES:
        text = corner_quotes(text)
    for number, term in enumerate(protected):
        text = text.replace(chr(0xF0000 + number), term)
    return text
