"""提法 by date: a formulation used in a document dated outside the period it was current in.

What is known lives in ``formulations.yaml`` beside this module (reviewable data with its sources): the
party congresses and their plenums, and formulations with the day each became and stopped being
current. The rules here only read it:
- 党的十七大……精神 in a document of 2024 is outdated (the congress of the document's date is 二十大);
  二十届三中全会精神 in a document of April 2024 is an anachronism (the plenum closed 2024-07-18); a list of
  plenums that leaves out the latest one closed before the document's date is out of date too;
- a listed formulation used before its ``from`` or after its ``until``; the fix names the formulation of
  the same topic current at the document's date, or the entry's ``instead``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docgen import zh
from docgen.i18n import _

_NUM = "一二三四五六七八九十"
_CONGRESS_SPIRIT = re.compile(
    rf"党的(?P<congress>[{_NUM}]+)大(?:(?:和|以及)(?P<session>[{_NUM}]+)届(?P<plenums>(?:[{_NUM}]中、?)+|历次)全会)?精神")
_PLENUM_SPIRIT = re.compile(rf"(?<!和)(?<!以及)(?P<session>[{_NUM}]+)届(?P<plenums>(?:[{_NUM}]中、?)+)全会精神")


@dataclass(frozen=True)
class Congress:
    name: str  # 十七大
    opened: dt.date
    plenums: tuple[dt.date, ...]

    @property
    def session(self) -> str:  # 十七届
        return self.name.removesuffix("大")


@dataclass(frozen=True)
class Formulation:
    words: str
    pattern: re.Pattern
    start: dt.date | None
    until: dt.date | None
    topic: str
    instead: str
    advice: str
    source: str

    def current(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.until is None or on < self.until)


@dataclass(frozen=True)
class FormulationTable:
    congresses: tuple[Congress, ...]
    formulations: tuple[Formulation, ...]
    congress_source: str

    def congress_on(self, on: dt.date) -> Congress | None:
        held = [c for c in self.congresses if c.opened <= on]
        return held[-1] if held else None

    def congress(self, name: str) -> Congress | None:
        return next((c for c in self.congresses if c.name == name), None)


@lru_cache(maxsize=1)
def table() -> FormulationTable:
    """The formulations table, read once per process (libyaml's parser where PyYAML has it: the same values
    from this file as the pure-Python one, ~5 ms sooner for every cold command that proof-reads)."""
    import yaml

    text = Path(__file__).with_name("formulations.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    congresses = tuple(Congress(c["name"], c["opened"], tuple(c.get("plenums") or ())) for c in data["congresses"])
    formulations = tuple(
        Formulation(
            words=entry.get("words") or entry["pattern"],
            pattern=re.compile(entry["pattern"]) if "pattern" in entry else re.compile(re.escape(entry["words"])),
            start=entry.get("from"), until=entry.get("until"), topic=entry.get("topic", ""),
            instead=entry.get("instead", ""), advice=entry.get("advice", ""), source=entry.get("source", ""),
        )
        for entry in data["formulations"]
    )
    return FormulationTable(congresses, formulations, data.get("congress_source", ""))


def _plenum_numbers(text: str) -> list[int]:
    return [_NUM.index(c) + 1 for c in text if c in _NUM[:9]]


def check(text: str, on: dt.date) -> Iterator[tuple[str, str]]:
    """(what is wrong, the fix) for each formulation in ``text`` not current on ``on``."""
    known = table()
    spans: list[tuple[int, int]] = []
    yield from _congresses(text, on, known, spans)
    matches = sorted(((m.start(), -(m.end() - m.start()), m, f) for f in known.formulations
                      for m in f.pattern.finditer(text)), key=lambda item: item[:2])
    for start, _length, match, formulation in matches:
        if formulation.current(on) or any(a <= start < b for a, b in spans):
            continue
        spans.append(match.span())
        when = _period(formulation)
        yield (_("「{words}」 is a formulation of {when}; this document is dated {date}").format(
            words=match.group(), when=when, date=zh.date_arabic(on)), _fix(formulation, on, known))


def _period(formulation: Formulation) -> str:
    if formulation.start and formulation.until:
        return _("{start} to {until}").format(start=zh.date_arabic(formulation.start),
                                               until=zh.date_arabic(formulation.until))
    if formulation.start:
        return _("{start} on").format(start=zh.date_arabic(formulation.start))
    return _("before {until}").format(until=zh.date_arabic(formulation.until))


def _fix(formulation: Formulation, on: dt.date, known: FormulationTable) -> str:
    if formulation.topic:
        now = next((f for f in known.formulations if f.topic == formulation.topic and f.current(on)), None)
        if now:
            return _("write 「{words}」 (source: {source})").format(words=now.words, source=now.source)
    if formulation.instead and not (formulation.start and on < formulation.start):
        return _("write 「{words}」 (source: {source})").format(words=formulation.instead, source=formulation.source)
    if formulation.advice:
        return _("{advice} (source: {source})").format(advice=formulation.advice, source=formulation.source)
    return _("check the data against the document's date (source: {source})").format(source=formulation.source)


def _congresses(text: str, on: dt.date, known: FormulationTable, spans: list) -> Iterator[tuple[str, str]]:
    current = known.congress_on(on)
    for match in _CONGRESS_SPIRIT.finditer(text):
        congress = known.congress(match.group("congress") + "大")
        if congress is None or current is None:
            continue
        spans.append(match.span())
        if congress.opened > on:
            yield (_("「{words}」: 党的{name} had not met by {date}").format(
                words=match.group(), name=congress.name, date=zh.date_arabic(on)),
                   _("check the data against the document's date"))
        elif congress.name != current.name:
            yield (_("「{words}」: on {date} the spirit carried out is that of 党的{current} ({opened} on)").format(
                words=match.group(), date=zh.date_arabic(on), current=current.name,
                opened=zh.date_arabic(current.opened)), _("write 「{fixed}」 (source: {source})").format(
                fixed=_current_spirit(current, on), source=known.congress_source))
        elif match.group("plenums") and match.group("plenums") != "历次":
            yield from _plenums(match.group(), match.group("plenums"), congress, on, known)
    for match in _PLENUM_SPIRIT.finditer(text):
        if any(a <= match.start() < b for a, b in spans):
            continue
        congress = known.congress(match.group("session") + "大")
        if congress is None or current is None:
            continue
        spans.append(match.span())
        if congress.name != current.name and congress.opened < current.opened:
            yield (_("「{words}」: on {date} the spirit carried out is that of 党的{current} ({opened} on)").format(
                words=match.group(), date=zh.date_arabic(on), current=current.name,
                opened=zh.date_arabic(current.opened)), _("write 「{fixed}」 (source: {source})").format(
                fixed=_current_spirit(current, on), source=known.congress_source))
        else:
            yield from _plenums(match.group(), match.group("plenums"), congress, on, known)


def _plenums(words: str, listed: str, congress: Congress, on: dt.date,
             known: FormulationTable) -> Iterator[tuple[str, str]]:
    numbers = _plenum_numbers(listed)
    closed = [n for n, day in enumerate(congress.plenums, 1) if day <= on]
    unheld = [n for n in numbers if n not in closed]
    if unheld:
        yield (_("「{words}」: the {session}{plenum}中全会 had not closed by {date}").format(
            words=words, session=congress.session + "届", plenum=_NUM[unheld[0] - 1], date=zh.date_arabic(on)),
               _("check the data against the document's date (source: {source})").format(source=known.congress_source))
    elif closed and closed[-1] > 1 and closed[-1] not in numbers:
        yield (_("「{words}」 leaves out the {session}{plenum}中全会 (closed {closed})").format(
            words=words, session=congress.session + "届", plenum=_NUM[closed[-1] - 1],
            closed=zh.date_arabic(congress.plenums[closed[-1] - 1])),
               _("write 「{fixed}」 (source: {source})").format(fixed=_current_spirit(congress, on),
                                                              source=known.congress_source))


def _current_spirit(congress: Congress, on: dt.date) -> str:
    """党的二十大和二十届二中、三中全会精神: the congress and its plenums closed by ``on`` (not the first,
    which elects the leadership and is not cited)."""
    closed = [n for n, day in enumerate(congress.plenums, 1) if day <= on and n > 1]
    if not closed:
        return f"党的{congress.name}精神"
    return f"党的{congress.name}和{congress.session}届{'、'.join(_NUM[n - 1] + '中' for n in closed)}全会精神"
