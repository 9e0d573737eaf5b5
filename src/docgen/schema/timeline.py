"""A campaign's dated facts, in the order they happen, and what each document may say on its own date.

The documents of one campaign must agree with each other: a notice goes out before its meeting, a 请示 asks
before the meeting it asks about, a 报告 and a 通报 come after it, a forwarding notice after the document
it forwards. And each document's tense follows its own date: a 函 written before the 请示 is answered
says the meeting is 拟于 (planned), a notice after it 定于 (fixed); a speech given after the 实施意见 was
issued says it 已印发, before that 即将印发.

Templates ask ``timeline`` (a template name) for the tense; ``problems()`` lists the facts out of order,
each with the data path it stands at and the documents it concerns (``validate`` and the proof-reader
report them there).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docgen import zh
from docgen.i18n import _

if TYPE_CHECKING:
    from docgen.schema import Campaign


@dataclass(frozen=True)
class Problem:
    """A fact out of order: where it stands in the data, what is wrong, the fix, the documents it spoils."""

    path: tuple[str | int, ...]
    message: str
    fix: str
    documents: tuple[str, ...] = ()  # the documents it spoils, by template name (notice, qingshi …, speech)


# Documents whose facts are dated (documents.<key>) and the templates that make them.
_UPWARD = "qingshi"  # the 请示 that asks the superior about the meeting


class Timeline:
    """The campaign's dates, asked by templates and checked by the proof-reader."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign

    def _date(self, key: str) -> dt.date | None:
        document = self.campaign.documents.get(key)
        return document.date if document else None

    # --- what a document may say on its own date ------------------------------------------------------------
    def arranged(self, on: dt.date | str | None) -> str:
        """定于 once the meeting is fixed; 拟于 while a 请示 about it is still to be answered (the document is
        dated on or before the 请示)."""
        asked = self._date(_UPWARD)
        day = _day(on)
        return "拟于" if asked and day and day <= asked else "定于"

    def issued(self, key: str, on: dt.date | str | None) -> bool:
        """The document ``key`` (opinion …) is dated on or before ``on``: a text of that day may cite it as
        issued (已印发); otherwise it is still to come (即将印发)."""
        date = self._date(key)
        day = _day(on)
        return bool(date and day and date <= day)

    # --- what is out of order ---------------------------------------------------------------------------------
    def problems(self) -> list[Problem]:
        c = self.campaign
        meeting = c.meeting
        found: list[Problem] = []

        def add(path, message, fix, documents=()):
            found.append(Problem(tuple(path), message, fix, tuple(documents)))

        day = zh.date_arabic
        if meeting.notice_date and meeting.notice_date > meeting.date:
            add(("meeting", "notice_date"), _("the notice is dated {notice}, after the meeting it calls ({meeting})")
                .format(notice=day(meeting.notice_date), meeting=day(meeting.date)),
                _("date the notice before the meeting"), ("notice",))
        asked = self._date(_UPWARD)
        if asked and asked >= meeting.date:
            add(("documents", _UPWARD, "date"), _("the 请示 is dated {asked}, not before the meeting it asks about "
                                                  "({meeting})").format(asked=day(asked), meeting=day(meeting.date)),
                _("date the 请示 before the meeting"), (_UPWARD,))
        for key in ("baogao", "tongbao"):
            date = self._date(key)
            if date and date < meeting.date:
                add(("documents", key, "date"), _("documents.{key} is dated {date}, before the meeting it reports on "
                                                  "({meeting})").format(key=key, date=day(date),
                                                                         meeting=day(meeting.date)),
                    _("date it on or after the meeting"), (key,))
        opinion, forward = self._date("opinion"), self._date("forward")
        if opinion and forward and forward < opinion:
            add(("documents", "forward", "date"), _("the forwarding notice is dated {forward}, before the document it "
                                                    "forwards ({opinion})").format(forward=day(forward),
                                                                                   opinion=day(opinion)),
                _("date it on or after documents.opinion.date"), ("forward",))
        for key, document in c.documents.items():
            if document.print_date and document.print_date < document.date:
                add(("documents", key, "print_date"), _("documents.{key} is printed ({printed}) before it is dated "
                                                        "({date})").format(key=key, printed=day(document.print_date),
                                                                           date=day(document.date)),
                    _("print it on or after its date"), (key,))
        found += self._period_problems()
        pledged = c.campaign.pledge_date
        publicity = c.campaign.publicity
        if publicity and pledged and publicity.start < pledged:
            said = _("the 公示 starts {start}, before the pledges are made ({pledged})")
            add(("campaign", "publicity", "start"), said.format(start=day(publicity.start), pledged=day(pledged)),
                _("start the 公示 on or after campaign.pledge_date"), ("commitment-list",))
        return found

    # the documents that print the period and its phases
    _PERIOD_DOCUMENTS = ("opinion", "forward", "speech")

    def _period_problems(self) -> list[Problem]:
        info = self.campaign.campaign
        period = info.period
        found: list[Problem] = []
        for index, phase in enumerate(info.phases):
            if phase.start and (phase.start < period.start or (phase.end or phase.start) > period.end):
                found.append(Problem(
                    ("campaign", "phases", index, "start"),
                    _("phase {name} ({range}) lies outside the campaign's period ({period})").format(
                        name=phase.name, range=zh.date_range(phase.start, phase.end or phase.start),
                        period=zh.date_range(period.start, period.end)),
                    _("move the phase inside campaign.period, or the period around it"), self._PERIOD_DOCUMENTS))
            previous = info.phases[index - 1] if index else None
            if phase.start and previous and previous.start and phase.start < previous.start:
                found.append(Problem(("campaign", "phases", index, "start"),
                                     _("phase {name} starts before the phase listed above it ({previous})").format(
                                         name=phase.name, previous=previous.name),
                                     _("list the phases in the order they run"), self._PERIOD_DOCUMENTS))
        if period.duration:
            said = months_in(period.duration)
            if said and abs(said - period.months) > max(2, period.months // 4):
                found.append(Problem(
                    ("campaign", "period", "duration"),
                    _("campaign.period.duration says 「{said}」 but the dates span {months} months ({range})").format(
                        said=period.duration, months=period.months, range=zh.date_range(period.start, period.end)),
                    _("leave duration out (it is worked out from the dates: {length}) or correct it").format(
                        length=_computed_length(period)), self._PERIOD_DOCUMENTS))
        return found


def _computed_length(period) -> str:
    return period.model_copy(update={"duration": None}).length


_DURATION = re.compile(r"^(?:(?P<years>[一二两三四五六七八九十\d]+)年(?P<half>半)?)?"
                       r"(?:零?(?P<months>[一二两三四五六七八九十\d]+)个月)?$")


def months_in(text: str) -> int | None:
    """两年 → 24, 一年半 → 18, 四个月 → 4, 一年零三个月 → 15; None when the words are not a length."""
    match = _DURATION.match(text.strip())
    if not match or not (match.group("years") or match.group("months")):
        return None

    def number(word: str | None) -> int:
        if not word:
            return 0
        if word.isdigit():
            return int(word)
        values = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"两": 2}
        if word == "十":
            return 10
        if word.startswith("十"):
            return 10 + values[word[1]]
        if word.endswith("十"):
            return values[word[0]] * 10
        if "十" in word:
            return values[word[0]] * 10 + values[word[2]]
        return values.get(word, 0)

    return number(match.group("years")) * 12 + (6 if match.group("half") else 0) + number(match.group("months"))


def _day(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        from docgen.proofread.units import parse_date

        return parse_date(str(value))
