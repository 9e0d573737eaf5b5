"""What never breaks across two lines, beyond 避头尾: a person's name, a number with its measure word, a
date or a time, a post, a phone number (GB/T 9704 as offices apply it: 「赵 / 德华」, 「副书 / 记」,
「党员代表2 / 名。」 and 「20小 / 时」 are sent back).

Chinese text may break between any two characters, so each engine needs to be told where it may not:
the PDF wraps each unit in a ``white-space: nowrap`` span, the DOCX joins its characters with U+2060
WORD JOINER, the Unicode character that forbids a break at its place (it has no width and prints
nothing), in a run whose East Asian language is unset: LibreOffice's Chinese line breaking allows a
break between any two ideographs whatever comes between them, its Unicode line breaking honours the
joiner (measured with LibreOffice 7.4). Names come from the data (who the campaign names:
speakers, chairs, secretaries, members, supervisors, contacts, signers); the other units are patterns
here. No library knows a 公文's posts or the measure words of its counts: these lists are written by
hand, and a unit longer than a line is left to break (it could not stand on one line anyway).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

WORD_JOINER = "\u2060"
NO_LANGUAGE = "x-none"  # the DOCX's w:lang for a unit's run: Unicode line breaking, not LibreOffice's Chinese
WHOLE_NAME = 12  # an entry of a 纪要's 出席 list up to this long stays on one line (a name, with its reason)

# 职务 as they end a line in a 公文's body and tables (patterns); the longer first so 副书记 wins over 书记.
POSTS = ("副书记", "书记", "副主任", "主任", "副组长", "组长", "副部长", "部长", "副局长", "局长", "副主席", "主席",
         "副乡长", "乡长", "副镇长", "镇长", "副县长", "县长", "副区长", "区长", "副市长", "市长", "副所长", "所长",
         "副站长", "站长", "副院长", "院长", "副校长", "校长", "副队长", "队长", "副连长", "连长", "指导员",
         "秘书长", "委员(?!会)", "干事", "专干", "网格员", "联络员", "党员代表",
         "党员(?=[、，。；）]|$)")  # 党员 as a 职务 (a cell's, a list's end), not in 全体党员要
# Measure words after an Arabic number (2名, 20小时, 3户, 95%): the number and its word are one unit.
MEASURES = ("小时", "分钟", "个月", "周年", "万元", "亿元", "公里", "平方米", "多名", "余名", "余人", "余户", "余次",
            "个", "名", "人", "户", "次", "项", "件", "条", "篇", "期", "号", "届", "批", "家", "所", "座", "场", "位",
            "节", "本", "册", "份", "套", "台", "辆", "张", "页", "字", "倍", "岁", "元", "万", "亿", "天", "周", "年",
            "月", "日", "时", "分", "秒", "米", "亩", "%", "％", "‰")
_CN_DIGITS = "〇零一二三四五六七八九十"
_PATTERNS = (
    # dates and times: 2024年4月1日, 2024年4月, 4月30日, 二〇一〇年六月十八日, 14:30, 上午9时30分
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?",
    r"\d{1,2}月\d{1,2}日",
    rf"[{_CN_DIGITS}]{{4}}年[{_CN_DIGITS}]{{1,2}}月(?:[{_CN_DIGITS}]{{1,3}}日)?",
    r"\d{1,2}[:：]\d{2}(?:[—–-]{1,2})?",  # 14:30— stays with its dash: a range breaks after it
    r"(?:上午|下午|晚上|中午)?\d{1,2}时(?:\d{1,2}分)?",
    # phone numbers: 0825-6123456, 028-8765 4321, 13812345678
    r"\d{3,4}[-－]\d{3,4}[ \u00a0]?\d{3,4}",
    r"(?<!\d)1[3-9]\d{9}(?!\d)",
    # ordinals and counts: 第3期, 第十二次; 2名, 20小时, 95%
    rf"第(?:\d+|[{_CN_DIGITS}百]+)(?:{'|'.join(MEASURES[:-3])})",
    rf"\d+(?:\.\d+)?(?:{'|'.join(re.escape(m) for m in MEASURES)})",
    "|".join(POSTS),
)


@lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    people = sorted({n for n in names if n}, key=len, reverse=True)
    parts = [re.escape(name) for name in people] + list(_PATTERNS)
    return re.compile("|".join(f"(?:{part})" for part in parts))


_NAME = re.compile(r"[\u3400-\u9fff]{2,4}|[\u3400-\u9fff]+(?:·[\u3400-\u9fff]+)+")


def person_names(values: Iterable[str | None]) -> tuple[str, ...]:
    """The values that look like a person's name (2–4 characters, or with ·, as 古丽娜尔·艾则孜):
    a speaker written with the post before it (乡党委副书记 张明) gives the name after the space."""
    names = []
    for value in values:
        if not value:
            continue
        last = str(value).split()[-1] if str(value).split() else ""
        if _NAME.fullmatch(last):
            names.append(last)
    return tuple(dict.fromkeys(names))


def segments(text: str, names: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
    """``text`` in pieces, each with whether it is a unit that must not break (leftmost, longest first)."""
    if not text:
        return []
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _pattern(names).finditer(text):
        start, end = match.span()
        if end - start < 2:
            continue
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def joined(unit: str) -> str:
    """A unit with a word joiner wherever a line could otherwise break inside it (between two digits or
    Latin letters no engine breaks), its spaces no-break spaces: how the DOCX keeps it whole."""
    out = [unit[0]]
    for before, char in zip(unit, unit[1:], strict=False):
        if not (before.isascii() and before.isalnum() and char.isascii() and char.isalnum()):
            out.append(WORD_JOINER)
        out.append("\u00a0" if char == " " else char)
    return "".join(out)


def plain(text: str) -> str:
    """Text as a reader means it: the word joiners taken out (for search and comparison)."""
    return text.replace(WORD_JOINER, "")
