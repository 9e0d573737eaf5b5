"""Rules that need the campaign's data: a document's words against the facts they come from.

- the timeline (``docgen.schema.timeline``): the facts out of order that this document is made from, and its
  tense — 定于 while the 请示 is not yet answered, 即将印发 for a 实施意见 already issued, 已印发 for one not;
- counts: 应出席/实际出席 against the roll (``docgen.schema.roll``), 分N个阶段 against the phases;
- the superior's level: 县委 in a document of a 街道 under a 区 (the first schema's words, 区委 meant).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docgen import zh
from docgen.i18n import _
from docgen.proofread.base import Finding
from docgen.proofread.units import Text
from docgen.templating import compose

if TYPE_CHECKING:
    from docgen.schema import Campaign
    from docgen.sources import LoadedData


@dataclass(frozen=True)
class Context:
    """The data a document was made from, and which document it is (a template's name: notice, opinion …;
    speech for any speech)."""

    campaign: Campaign
    loaded: LoadedData | None = None
    document: str = ""

    def spot(self, path: tuple) -> str:
        if self.loaded is not None:
            return str(self.loaded.spot(path))
        return ".".join(str(part) for part in path)


def timeline_problems(text: Text, context: Context) -> Iterator[Finding]:
    for problem in context.campaign.timeline.problems():
        if context.document and context.document in problem.documents:
            yield Finding(context.spot(problem.path), problem.message, problem.fix)


_FIXED = re.compile(r"定于(\d{4}年\d{1,2}月\d{1,2}日)")
_TO_COME = re.compile(r"即将(?:下发|印发|出台)")
_ISSUED = re.compile(r"已(?:经)?印发")


def tense(text: Text, context: Context) -> Iterator[Finding]:
    """定于 before the 请示 is answered; 即将印发 / 已印发 against the 实施意见's date."""
    timeline = context.campaign.timeline
    if text.date is None:
        return
    genre = context.campaign.campaign.genre
    opinion = context.campaign.documents.get("opinion")
    for unit in text.body:
        for match in _FIXED.finditer(unit.text):
            if timeline.arranged(text.date) == "拟于":
                asked = context.campaign.documents["qingshi"].date
                said = _("「{words}」 in a document of {date}, before the 请示 of {asked} is answered")
                yield Finding(unit.where, said.format(words=match.group(), date=zh.date_arabic(text.date),
                                                      asked=zh.date_arabic(asked)), _("write 「拟于」"))
        if opinion is None or genre not in unit.text:
            continue
        issued = timeline.issued("opinion", text.date)
        if issued and _TO_COME.search(unit.text):
            said = _("「{words}」: the {genre} was issued on {issued}, before this document ({date})")
            yield Finding(unit.where, said.format(words=_TO_COME.search(unit.text).group(), genre=genre,
                                                  issued=zh.date_arabic(opinion.date), date=zh.date_arabic(text.date)),
                          _("write 「已印发」"))
        if not issued and _ISSUED.search(unit.text):
            said = _("「{words}」: the {genre} is dated {issued}, after this document ({date})")
            yield Finding(unit.where, said.format(words=_ISSUED.search(unit.text).group(), genre=genre,
                                                  issued=zh.date_arabic(opinion.date), date=zh.date_arabic(text.date)),
                          _("write 「即将印发」"))


_EXPECTED = re.compile(r"应出席(\d+)人")
_PRESENT = re.compile(r"实际出席(\d+)人")
_PHASES = re.compile(r"分([一二两三四五六七八九十\d]+)个(阶段|环节)")


def counts(text: Text, context: Context) -> Iterator[Finding]:
    """Numbers the text states against the data they count."""
    seats = context.campaign.roll
    expected, present = len(seats), sum(seat.present for seat in seats)
    phases = len(context.campaign.campaign.phases)
    word = compose.stage_word(p.name for p in context.campaign.campaign.phases)
    for unit in text.body:
        for pattern, actual, what in ((_EXPECTED, expected, _("invited (the roll)")),
                                      (_PRESENT, present, _("present (the roll less meeting.absentees)"))):
            for match in pattern.finditer(unit.text):
                if int(match.group(1)) != actual:
                    yield Finding(unit.where, _("「{words}」 but {actual} are {what}").format(
                        words=match.group(), actual=actual, what=what),
                                  _("count them from the meeting's data (attendees_list, absentees, delegates)"))
        for match in _PHASES.finditer(unit.text):
            stated = match.group(1)
            value = int(stated) if stated.isdigit() else "〇一二三四五六七八九十".find(stated.replace("两", "二"))
            if value != phases or match.group(2) != word:
                yield Finding(unit.where, _("「{words}」 but campaign.phases lists {count}").format(
                    words=match.group(), count=f"{phases}个{word}"), _("say 分{count}个{word}").format(
                    count=zh.numeral(phases, counting=True), word=word))


# County-level committees: a document of an organ under one of them names it, never its sibling.
_SIBLINGS = {"县": "区", "区": "县"}


def superior_level(text: Text, context: Context) -> Iterator[Finding]:
    level = context.campaign.organization.superior.level
    sibling = _SIBLINGS.get(level)
    if not sibling:
        return
    pattern = re.compile(rf"(?:[、和，]|按照|根据|贯彻|落实|^){sibling}委(?!员)")
    for unit in text.units:
        for match in pattern.finditer(unit.text):
            yield Finding(unit.where, _("「{words}」 in a document of an organ under a {level}").format(
                words=match.group(), level=level), _("write 「{fixed}」").format(
                fixed=match.group().replace(f"{sibling}委", f"{level}委")))


RULES = (timeline_problems, tense, counts, superior_level)
