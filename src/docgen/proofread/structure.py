"""How a document is built, as a reader notices it: a heading with nothing under it, an 一是 with no 二是,
一是/二是 paragraphs beside （一）（二） headings under one heading, a speaker who names himself."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docgen import zh
from docgen.i18n import _
from docgen.proofread.base import Finding
from docgen.proofread.units import Text, Unit

_CONTENT = ("body", "item", "table")
_ENDS_SECTION = ("signature", "signature-date", "closing", "attachment", "attachment-note", "names", "imprint",
                 "note")


def empty_sections(text: Text) -> Iterator[Finding]:
    """A heading standing alone must have something under it before the next heading of its level or above
    (an item written as a whole sentence under a （一） lead is not a heading)."""
    units = text.units
    for index, unit in enumerate(units):
        if unit.role != "heading" or unit.level > 1 and unit.text.endswith(("。", "！", "？")):
            continue  # （一）每月开展一次集中学习。 is an item written as a sentence, not a section's heading
        following = units[index + 1] if index + 1 < len(units) else None
        empty = (following is None or following.role in _ENDS_SECTION
                 or following.role == "heading" and following.level <= unit.level
                 or following.role == "body" and 0 < following.level <= unit.level)
        if empty:
            yield Finding(unit.where, _("「{heading}」 has nothing under it").format(heading=unit.text),
                          _("leave the heading out when there is nothing to say, or give the data its items"))


_ORDINAL = re.compile(rf"(?:^|(?<=[。；：，]))([{zh.DIGITS}十]+)是")


def _ordinals(unit: Unit) -> list[int]:
    found = []
    for match in _ORDINAL.finditer(unit.text):
        value = zh.DIGITS.find(match.group(1)) if len(match.group(1)) == 1 and match.group(1) != "十" else None
        if match.group(1) == "十":
            value = 10
        if value and value > 0:
            found.append(value)
    return found


def _sections(units: list[Unit]) -> Iterator[list[Unit]]:
    """The body cut at every heading (standalone or run-in): what one heading holds directly."""
    current: list[Unit] = []
    for unit in units:
        if unit.role == "heading" or unit.role == "body" and unit.level:
            if current:
                yield current
            current = [unit]
        elif unit.role in _CONTENT:
            current.append(unit)
        elif unit.role in _ENDS_SECTION:
            if current:
                yield current
            current = []
    if current:
        yield current


def ordinal_runs(text: Text) -> Iterator[Finding]:
    """一是, 二是, 三是 … in order under one heading: an 一是 alone, or a gap (一是, 三是)."""
    for section in _sections(text.units):
        seen: list[tuple[int, Unit]] = [(n, unit) for unit in section for n in _ordinals(unit)]
        if not seen:
            continue
        numbers = [n for n, _unit in seen]
        if numbers == [1]:
            yield Finding(seen[0][1].where, _("「一是」 with no 「二是」"),
                          _("drop 一是 when there is one item, or list the others"))
        elif numbers != list(range(1, len(numbers) + 1)):
            expected = next(i for i, n in enumerate(numbers, 1) if n != i)
            where = next(unit for n, unit in seen if n != numbers[0]) if expected > 1 else seen[0][1]
            yield Finding(where.where, _("「…是」 out of order: {found}").format(
                found="、".join(f"{zh.numeral(n)}是" for n in numbers)),
                          _("number them 一是, 二是 … in order"))


def mixed_enumeration(text: Text) -> Iterator[Finding]:
    """Under one level-1 heading, paragraphs led by 一是/二是 and then items headed （一）（二） at the same depth
    (一是 paragraphs after a （一） belong to it, and are fine)."""
    sections: list[list[Unit]] = []
    for unit in text.units:
        if unit.role == "heading" and unit.level == 1:
            sections.append([unit])
        elif sections and unit.role not in _ENDS_SECTION:
            sections[-1].append(unit)
        elif unit.role in _ENDS_SECTION:
            sections.append([])
    for section in sections:
        if not section or section[0].role != "heading":
            continue
        second = [u for u in section[1:] if u.level == 2 and u.role in ("heading", "body")]
        if not second:
            continue
        before = section[1: section.index(second[0])]
        direct = next((u for u in before if u.role in _CONTENT and _ordinals(u)), None)
        if direct:
            said = _("under 「{heading}」 the items run 一是, 二是 … and then （一）, （二） …")
            yield Finding(second[0].where, said.format(heading=section[0].text),
                          _("use one way of numbering under one heading, or give each its own heading"))


def lone_numbers(text: Text) -> Iterator[Finding]:
    """A （一） with no （二） (or 一、 with no 二、, a list of one 1.): numbering one item says there are more."""
    groups: dict[int, list[Unit]] = {}

    def close(from_level: int) -> Iterator[Finding]:
        for level in sorted(groups):
            if level < from_level:
                continue
            members = groups.pop(level)
            if len(members) == 1:
                unit = members[0]
                yield Finding(unit.where, _("「{text}」 is numbered, but nothing follows it at its level").format(
                    text=_head(unit)), _("leave the number off a single item"))

    items: list[Unit] = []
    for unit in text.units:
        if unit.role == "item":
            items.append(unit)
            continue
        if items:
            if len(items) == 1 and re.match(r"^1\.", items[0].text):
                yield Finding(items[0].where, _("「{text}」 is numbered, but nothing follows it at its level").format(
                    text=_head(items[0])), _("leave the number off a single item"))
            items = []
        level = unit.level if unit.role in ("heading", "body") else 0
        if level:
            yield from close(level + 1)
            groups.setdefault(level, []).append(unit)
        elif unit.role in _ENDS_SECTION or unit.role == "attachment":
            yield from close(1)
    if len(items) == 1 and re.match(r"^1\.", items[0].text):
        yield Finding(items[0].where, _("「{text}」 is numbered, but nothing follows it at its level").format(
            text=_head(items[0])), _("leave the number off a single item"))
    yield from close(1)


def _head(unit: Unit) -> str:
    text = unit.lead or unit.text
    return text if len(text) <= 20 else text[:19] + "…"


_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|（\d+）)")


def _phrase(unit: Unit) -> str:
    """A heading's words up to its first comma or stop, without its number: 加强组织领导."""
    text = _LEAD.sub("", unit.lead or unit.text)
    return re.split(r"[，。；：]", text, maxsplit=1)[0]


def heading_echoes(text: Text) -> Iterator[Finding]:
    """「六、加强组织领导，为…提供保证」 then 「（一）加强组织领导。」: a heading said again by the first item under
    it, or two headings of one document that open with the same words."""
    seen: dict[str, Unit] = {}
    parent: Unit | None = None
    for unit in text.units:
        is_heading = unit.role == "heading" or unit.role == "body" and unit.level
        if not is_heading:
            continue
        phrase = _phrase(unit)
        if len(phrase) < 4:
            continue
        if unit.level == 1:
            parent = unit
        elif parent is not None and phrase == _phrase(parent):
            yield Finding(unit.where, _("「{phrase}」 repeats the heading above it (「{heading}」)").format(
                phrase=phrase, heading=parent.text), _("reword one of them"))
            continue
        if phrase in seen and seen[phrase].level != unit.level:
            yield Finding(unit.where, _("「{phrase}」 heads two sections of one document").format(phrase=phrase),
                          _("reword one of them, or say it once"))
        seen.setdefault(phrase, unit)


_SELF_AFTER_POST = re.compile(r"(书记|主任|部长|局长|校长|乡长|镇长|县长|区长|组长|委员|同志)我")


def post_then_i(text: Text) -> Iterator[Finding]:
    """「县直机关工委书记我任组长」: 我 written where the speaker's name stood after his post."""
    for unit in text.body:
        for match in _SELF_AFTER_POST.finditer(unit.text):
            words = unit.text[max(0, match.start() - 6): match.end() + 2]
            yield Finding(unit.where, _("「{words}」: a post before 我").format(words=words),
                          _("write 我 alone (由我任组长)"))


_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}$")


def speaker_names_himself(text: Text) -> Iterator[Finding]:
    """A speech whose body names its own speaker (「街道党工委书记陈立新同志任组长」 in 陈立新's speech)."""
    if not text.is_speech or not text.speaker:
        return
    parts = re.split(r"[\s　]+", text.speaker.strip("（）() "))
    name = parts[-1] if parts else ""
    if not _NAME.fullmatch(name or ""):
        return
    for unit in text.body:
        index = unit.text.find(name)
        if index >= 0:
            start = max(0, index - 10)
            excerpt = unit.text[start: index + len(name) + 4]
            yield Finding(unit.where, _("{name} names himself in his own speech: 「…{excerpt}…」").format(
                name=name, excerpt=excerpt), _("say 我 (由我任组长), or leave the name out"))


DOCUMENT_RULES = (empty_sections, ordinal_runs, mixed_enumeration, lone_numbers, heading_echoes, post_then_i,
                  speaker_names_himself)
