"""Wording a careful clerk would send back: words doubled where a template joined a fragment, date ranges not
written as a clerk writes them, one event told twice, Chinese and Arabic counts mixed, an organ that calls
itself by another's word.

Paragraph rules take one paragraph's text and yield (what is wrong, the fix); document rules take the whole
``Text`` and yield findings.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

from docgen import zh
from docgen.i18n import _
from docgen.proofread.base import Finding
from docgen.proofread.units import Text
from docgen.templating.compose import ADVERBS

_HAN = r"\u4e00-\u9fff"

# --- doubled words ---------------------------------------------------------------------------------------------

# A word of two to four characters written twice running: 社区社区, 支部支部书记. Reduplications a 公文 uses on
# purpose start with 一 (一步一步, 一项一项) and are left alone, as is 委员会委员会: the Party committee of an
# organ that is itself a 委员会 (中共××市人民政府国有资产监督管理委员会委员会).
_NAMED_TWICE = {"委员会"}
_REPEATED = re.compile(rf"([{_HAN}]{{2,4}})\1")
# 深入开展深入贯彻…: the adverb again right after the verb it leads.
_ADVERB_AGAIN = re.compile(rf"({'|'.join(ADVERBS)})(开展|推进|贯彻|落实|抓好|学习)\1")
# 坚持“坚持…, 开展《开展…: the word before a quotation opens it again.
_QUOTED_AGAIN = re.compile(rf"([{_HAN}]{{2}})[“‘《「]\1")
# 丘山县县委, 云江区区委: a place's level said again before 委.
_LEVEL_AGAIN = re.compile(r"([县区市州省乡镇旗盟])\1(?=委|党委|政府|人大|政协|纪委)")
# Function words doubled: 的的 (not 的的确确), 在在, 为为 …
_PARTICLE_AGAIN = re.compile(r"(?<!的)的的(?!确)|([在为以对把和与及])\1")


def doubled_words(text: str) -> Iterator[tuple[str, str]]:
    seen: list[tuple[int, int]] = []
    for pattern, mend in ((_ADVERB_AGAIN, _mend_adverb), (_QUOTED_AGAIN, _mend_quoted), (_LEVEL_AGAIN, _mend_once),
                          (_REPEATED, _mend_once), (_PARTICLE_AGAIN, _mend_once)):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(a < end and start < b for a, b in seen):
                continue
            if pattern is _REPEATED and (match.group(1).startswith("一") or match.group(1) in _NAMED_TWICE):
                continue
            if pattern is _PARTICLE_AGAIN and start >= 2 and text[start - 1] == text[start - 2]:
                continue  # 实实在在: the second pair of a reduplication
            seen.append((start, end))
            word = match.group(1) or match.group()[0]
            mended = text[:start] + mend(match) + text[end:]
            yield (_("「{excerpt}」 says 「{word}」 twice").format(excerpt=_around(text, start, end), word=word),
                   _("write 「{fixed}」").format(fixed=_around(mended, start, start + len(mend(match)))))


def _mend_adverb(match: re.Match) -> str:
    """深入开展深入 → 扎实开展深入: the template's adverb gives way to another."""
    other = next(a for a in ADVERBS if a != match.group(1))
    return f"{other}{match.group(2)}{match.group(1)}"


def _mend_quoted(match: re.Match) -> str:
    """坚持“坚持 → 坚持“: the word outside the quotation is enough."""
    return match.group()[: -len(match.group(1))]


def _mend_once(match: re.Match) -> str:
    word = match.group(1) or match.group()[0]
    return match.group()[len(word):]


def _around(text: str, start: int, end: int, margin: int = 6) -> str:
    return ("…" if start > margin else "") + text[max(0, start - margin): end + margin] + (
        "…" if end + margin < len(text) else "")


# --- date ranges -----------------------------------------------------------------------------------------------

_DATE = r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?"
_RANGE = re.compile(rf"{_DATE}(至|到|－|—|～|~)(?:{_DATE}|\1年)")


def date_ranges(text: str) -> Iterator[tuple[str, str]]:
    """2024年4月至2024年4月30日, 2010年6月至2010年“七一”前, 2024年12月至2025年1月31日: the year said twice inside
    one year, or one end with its day and the other without."""
    for match in _RANGE.finditer(text):
        y1, m1, d1, sep, y2, m2, d2 = match.groups()
        if y2 is None:  # 至2010年“七一”前: the start's year again before words
            fixed = match.group()[: -len(f"{y1}年")]
            said = _("date range 「{text}」 repeats the year")
            yield (said.format(text=_around(text, match.start(), match.end(), 0)),
                   _("write 「{fixed}…」").format(fixed=fixed))
            continue
        same_year = y1 == y2
        mixed = (d1 is None) != (d2 is None)
        if not same_year and not mixed:
            continue
        try:
            start = dt.date(int(y1), int(m1), int(d1 or 1))
            end = dt.date(int(y2), int(m2), int(d2 or calendar.monthrange(int(y2), int(m2))[1]))
            fixed = zh.date_range(start, end, sep=sep)
        except ValueError:
            continue
        problem = (_("date range 「{text}」 repeats the year") if same_year
                   else _("date range 「{text}」 gives a day at one end only"))
        yield problem.format(text=match.group()), _("write 「{fixed}」").format(fixed=fixed)


# --- one event told twice -----------------------------------------------------------------------------------------

# 作动员讲话, 作了重要讲话: 作 as the verb (not the 作 of 工作, 合作), then a speech.
_SPEECH_ACT = re.compile(r"(?<![工合操创协写制动])作了?[^，。；！？“”、的上在]{0,4}?讲话")


def events_told_twice(text: str) -> Iterator[tuple[str, str]]:
    """「陈立新同志作部署讲话。会议…；街道党工委书记作部署讲话。」: one speech reported twice in a paragraph."""
    seen: set[str] = set()
    for act in _SPEECH_ACT.finditer(text):
        words = act.group().replace("作了", "作")
        if words in seen:
            yield (_("「{act}」 is said twice in one paragraph").format(act=act.group()),
                   _("say it once: leave it out of the list of items, or out of the opening sentence"))
            return
        seen.add(words)


# 深入开展 … 深入开展 in one sentence: the same adverb and verb said twice (the second often came from data)
_ACT = re.compile(rf"(?:{'|'.join(ADVERBS)})(?:开展|推进)")  # not 贯彻: campaign names hold it


def acts_twice(text: str) -> Iterator[tuple[str, str]]:
    for sentence in re.split(r"[。！？；]", text):
        seen: set[str] = set()
        for match in _ACT.finditer(sentence):
            if match.group() in seen:
                yield (_("「{words}」 twice in one sentence: 「{sentence}」").format(
                    words=match.group(), sentence=_around(sentence, 0, len(sentence), 0)[:40]),
                       _("say it once, or change one of the adverbs"))
                break
            seen.add(match.group())


def colon_after_ji(text: str) -> Iterator[tuple[str, str]]:
    """“五好四强”即，…: 即 introducing what follows takes a colon."""
    for match in re.finditer(r"[”」》]即，", text):
        yield _("「{words}」: 即 before a list takes a colon").format(words=match.group()), _("write 「即：」")


PARAGRAPH_RULES = (doubled_words, date_ranges, events_told_twice, acts_twice, colon_after_ji)

# --- numbers -----------------------------------------------------------------------------------------------------

_MEASURE = "名人个项户次件家所位条"
_ARABIC_COUNT = re.compile(rf"\d+(?:\.\d+)?[{_MEASURE}]")
# Not a count: 十一次全会 (a plenum's number), 第十二次.
_CHINESE_COUNT = re.compile(rf"(?<![第{zh.DIGITS}十百千万两零])([{zh.DIGITS}十百千万两零]{{2,}})([{_MEASURE}])"
                            r"(?!全会|全体会议|会议|代表大会|党代会)")


def _chinese_value(numeral: str) -> int | None:
    """十二 → 12, 一百二十六 → 126; None for what is not a plain number."""
    digits = {c: i for i, c in enumerate(zh.DIGITS)} | {"两": 2, "零": 0}
    units = {"十": 10, "百": 100, "千": 1000}
    total, section, current = 0, 0, 0
    for char in numeral:
        if char in digits:
            current = digits[char]
        elif char in units:
            section += (current or 1) * units[char]
            current = 0
        elif char == "万":
            total += (section + current) * 10_000
            section, current = 0, 0
        else:
            return None
    return total + section + current


def mixed_numerals(text: Text) -> Iterator[Finding]:
    """GB/T 15835: counts in one document are written one way. Counts above ten in Chinese numerals
    (一百二十六名) beside Arabic counts (80项) are a finding, with the Arabic form as the fix."""
    units = [u for u in text.units if u.role in ("body", "item", "table", "heading", "closing")]
    arabic = next((m.group() for u in units for m in _ARABIC_COUNT.finditer(u.text)), None)
    if not arabic:
        return
    for unit in units:
        for match in _CHINESE_COUNT.finditer(unit.text):
            value = _chinese_value(match.group(1))
            if value is None or value <= 10:
                continue
            said = _("「{count}」 in Chinese numerals beside Arabic counts such as 「{arabic}」")
            yield Finding(unit.where, said.format(count=match.group(), arabic=arabic),
                          _("write 「{fixed}」").format(fixed=f"{value}{match.group(2)}"))


# --- an organ's word for itself --------------------------------------------------------------------------------

_OWN = re.compile(r"本(支部|党委|总支|党工委|党组)")


def own_organ_word(text: Text) -> Iterator[Finding]:
    """A 社区党委's pledge that says 本支部 (or a 党支部's that says 本党委): the signing organ's own word."""
    organ = next((u.text for u in text.units if u.role == "signature"), "")
    if not organ:
        title = next((u.text for u in text.units if u.role == "title"), "")
        organ = title.split("公开承诺书")[0] if "公开承诺书" in title else ""
    own = zh.own_organ(organ) if organ else ""
    if not own or own == "本单位":
        return
    for unit in text.units:
        if unit.role not in ("body", "item", "heading"):
            continue
        for match in _OWN.finditer(unit.text):
            if match.group() != own:
                said = _("「{word}」 in a document of {organ}").format(word=match.group(), organ=organ)
                yield Finding(unit.where, said, _("write 「{own}」").format(own=own))


DOCUMENT_RULES = (mixed_numerals, own_organ_word)
