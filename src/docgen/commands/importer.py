"""`docgen import`: a plain-text 范文 (as copied from a website) → a docgen template.

It decodes UTF-8 (with or without BOM) or GB18030/GBK, converts Traditional to Simplified
(OpenCC), makes punctuation full-width in Chinese text, drops the site's noise — and says so, line
by line — and finds the structure a 公文 writer would: title, salutation, heading levels 一、
（一） 1. （1） (run-in when the heading ends with 。 and its text follows), closing. Everything
else is body text, escaped so it prints exactly as written. With a campaign file, the facts it
holds (township, campaign, phases and their dates…) become template expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen import zh
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.markup import escape_text

NOISE_LINE = re.compile(r"本站|小编|范文|欢迎.{0,8}(阅读|收藏|转载)|版权所有|来源[:：]|https?://|www\.")
NOISE_WORDS = ("新晨",)  # a template site's watermark, glued to the end of a paragraph
STRAY_MARKS = re.compile(r"^[*＊•]+\s*")
_NUM = "一二三四五六七八九十"
SALUTATION = re.compile(r"^(同志们|各位[^，。]{0,20})[：:]$")
CLOSING = re.compile(r"^谢谢(大家)?[！!。]?$")
DATE_LINE = re.compile(
    r"^(\d{4}年\d{1,2}月\d{1,2}日"
    r"|[一二三四五六七八九〇○零]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)$"
)
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[\[［【(（〔]\s*\d{4}\s*[\]］】)）〕]\s*第?\s*\d+\s*号")
LEVELS = (
    (1, re.compile(rf"^([{_NUM}]+)、(.+)$")),
    (2, re.compile(rf"^[（(]([{_NUM}]+)[）)](.+)$")),
    (3, re.compile(r"^(\d{1,2})[.．、](?!\d)(.+)$")),
    (4, re.compile(r"^[（(](\d{1,2})[）)](.+)$")),
)


@dataclass
class Imported:
    template: str
    notes: list[str] = field(default_factory=list)  # what was dropped or changed, with source lines


def read_source(path: str | Path) -> str:
    """UTF-8 (a BOM is fine), else GB18030 (which covers GBK and GB2312)."""
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocgenError(_("neither UTF-8 nor GB18030 text; save it as UTF-8"), str(path))


def _clean(lines: list[tuple[int, str]], source: str, notes: list[str]) -> list[tuple[int, str]]:
    kept = []
    for number, line in lines:
        where = f"{source}:{number}"
        if NOISE_LINE.search(line) and len(line) <= 120:  # an advert, not a paragraph that mentions a site
            notes.append(_("{where}: dropped a line that looks like site noise: {line}").format(
                where=where, line=line[:40]))
            continue
        for word in NOISE_WORDS:
            if word in line:
                line = line.replace(word, "")
                notes.append(_("{where}: removed the stray word '{word}'").format(where=where, word=word))
        stray = STRAY_MARKS.match(line)
        if stray:
            line = line[stray.end():]
            notes.append(_("{where}: removed a stray '{strip}' at the start").format(
                where=where, strip=stray.group().strip()))
        if line:
            kept.append((number, line))
    return kept


@dataclass(frozen=True)
class _Fact:
    """A literal the data holds, and the template expression that prints it."""

    text: str
    expression: str = ""
    pattern: str = ""  # a regular expression when the text needs context (四 only before 个阶段)
    # A date several fields share: (role "start"/"end"/"", phase index or None, expression); the
    # text around it picks one (see _pick_date).
    dates: tuple[tuple[str, int | None, str], ...] = ()
    size: int = 0  # for the longest-first order, when the pattern matches less than the text


# The words a speech uses for its own organ's level: 全乡, 我乡, 乡党委.
_LEVEL_WORDS = ("乡", "镇", "街道", "县", "区", "市")
_COUNT_DIGITS = "〇一二三四五六七八九十百千两零"


def _source_level(text: str) -> str | None:
    """The level the 范文 speaks of itself at (全镇, 我镇, 镇党委), whatever the data's level is."""
    counts = {word: sum(text.count(f) for f in (f"全{word}", f"我{word}", f"{word}党委")) for word in _LEVEL_WORDS}
    best = max(counts, key=lambda word: counts[word])
    return best if counts[best] >= 2 else None


def _facts(campaign, text: str = "") -> list[_Fact]:
    """Literal text → the expression that prints it, longest first. ``text`` is the 范文 itself."""
    org, c, meeting = campaign.organization, campaign.campaign, campaign.meeting
    facts = {
        org.name: "organization.name", org.short_name: "organization.short_name", org.place: "organization.place",
        org.place_short: "organization.place_short", org.superior.goal: "organization.superior.goal",
        org.slogan: "organization.slogan", c.name: "campaign.name", c.short: "campaign.short",
        c.practice: "campaign.practice", meeting.name: "meeting.name", meeting.speaker.name: "meeting.speaker.name",
        zh.join(c.methods, last=None): "campaign.methods | join_zh(last=None)",
        zh.join(c.guidance.sessions, last=None): "campaign.guidance.sessions | join_zh(last=None)",
        zh.date_chinese(meeting.date): "meeting.date | date_zh",
    }
    for standard in c.standards:  # 五好四强, 五带五争: the campaign's own named lists
        facts.setdefault(standard.name, f'campaign.standard("{standard.key}").name')
    # The data's level, and the one the 范文 uses for itself (a 镇's speech adapted for a 乡).
    for level in dict.fromkeys(word for word in (org.level, _source_level(text)) if word):
        facts.setdefault(f"全{level}", '"全" ~ organization.level')
        facts.setdefault(f"我{level}", '"我" ~ organization.level')
        facts.setdefault(f"{level}党委", 'organization.level ~ "党委"')
    for i, phase in enumerate(c.phases):
        facts[phase.name] = f"campaign.phases[{i}].name"
        if phase.end_label:
            facts.setdefault(phase.end_label, f"campaign.phases[{i}].end_label")
    found = [_Fact(k, v) for k, v in facts.items() if k and len(k) >= 2]
    # Counts before their measure word: 共分四个阶段, 在四个方面, 五种方法.
    for items, name, measure in ((c.phases, "campaign.phases", "个阶段"), (c.goals, "campaign.goals", "个方面"),
                                 (c.methods, "campaign.methods", "种方法")):
        number = zh.numeral(len(items), counting=True)
        found.append(_Fact(number + measure, f"{name} | length | zh_count", size=len(number + measure),
                           pattern=rf"(?<![{_COUNT_DIGITS}]){re.escape(number)}(?={re.escape(measure)})"))
    length = c.period.length  # 时间安排两年
    found.append(_Fact(f"时间安排{length}", "campaign.period.length", size=len(length) + 4,
                       pattern=rf"(?<=时间安排){re.escape(length)}"))
    found += _date_facts(campaign)
    return sorted(found, key=lambda fact: fact.size or len(fact.text), reverse=True)


def _date_facts(campaign) -> list[_Fact]:
    """The campaign's and its phases' dates, as 2010年6月30日 and as 2010年6月."""
    c = campaign.campaign
    fields: list[tuple[str, int | None, str, object]] = [
        ("start", None, "campaign.period.start", c.period.start), ("end", None, "campaign.period.end", c.period.end),
        ("", None, "meeting.date", campaign.meeting.date),
    ]
    for i, phase in enumerate(c.phases):
        fields += [("start", i, f"campaign.phases[{i}].start", phase.start),
                   ("end", i, f"campaign.phases[{i}].end", phase.end)]
    dates: dict[str, list[tuple[str, int | None, str]]] = {}
    for role, phase, name, value in fields:
        if value is None:
            continue
        dates.setdefault(zh.date_arabic(value), []).append((role, phase, f"{name} | date_ar"))
        if role:  # a meeting is on a day, not in a month
            month = zh.date_arabic(value, precision="month")
            dates.setdefault(month, []).append((role, phase, f'{name} | date_ar(precision="month")'))
    return [
        # 2010年6月 is not the start of 2010年6月15日
        _Fact(text, pattern=re.escape(text) + (r"(?!\d{1,2}日)" if text.endswith("月") else ""), dates=tuple(choices))
        for text, choices in dates.items()
    ]


_END_BEFORE = re.compile(r"(到|至|止|~|～|—|－|-)$")
_END_AFTER = re.compile(r"^(底|末|止|(基本)?结束)")


def _pick_date(fact: _Fact, before: str, after: str, line: str, phase_names: list[str]) -> str:
    """Which field a date is: an end after 到/至 or before 底/末/结束 (2010年6月底前), else a start;
    the phase the line names first, then the campaign's period, then any phase."""
    role = "end" if _END_BEFORE.search(before) or _END_AFTER.match(after) else "start"
    named = {i for i, name in enumerate(phase_names) if name and name in line}

    def rank(item: tuple[int, tuple[str, int | None, str]]) -> tuple[int, int, int]:
        order, (kind, phase, _text) = item
        scope = 0 if phase in named else 1 if phase is None else 2
        return (kind != role, scope, order)

    return min(enumerate(fact.dates), key=rank)[1][2]


def _pieces(text: str, facts: list[_Fact], line: str = "", phase_names: list[str] = ()):
    """(literal, None) and (matched text, expression) pieces of ``text``, in order."""
    if not facts:
        yield text, None
        return
    pattern = re.compile("|".join(f"(?P<f{i}>{fact.pattern or re.escape(fact.text)})" for i, fact in enumerate(facts)))
    position = 0
    for match in pattern.finditer(text):
        fact = facts[int(match.lastgroup[1:])]
        if fact.dates:
            expression = _pick_date(fact, text[: match.start()], text[match.end():], line or text, list(phase_names))
        else:
            expression = fact.expression
        yield text[position : match.start()], None
        yield match.group(), expression
        position = match.end()
    yield text[position:], None


def _literal(text: str, facts: list[_Fact], line: str = "", phase_names: list[str] = ()) -> str:
    """Markdown-escaped text, with each fact (if any) as a Jinja expression."""
    return "".join(escape_text(piece) if expression is None else "{{ " + expression + " }}"
                   for piece, expression in _pieces(text, facts, line, phase_names))


def _expression(text: str, facts: list[_Fact]) -> str:
    """A Jinja expression giving ``text``, with each fact as its field: "在" ~ meeting.name ~ "上的讲话"."""
    parts = [_quoted(piece) if expression is None else expression
             for piece, expression in _pieces(text, facts) if piece or expression]
    if not parts:
        return '""'
    if len(parts) == 1 and re.fullmatch(r'"(?:[^"\\]|\\.)*"|[\w.\[\]]+', parts[0]):
        return parts[0]  # a literal or a plain field: no parentheses needed before | tojson
    return "(" + " ~ ".join(parts) + ")"


def import_text(text: str, source: str = "<text>", campaign=None, kind: str = "speech") -> Imported:
    """Turn a 范文 into a template that renders back to the same (normalized) text."""
    notes: list[str] = []
    simplified = zh.to_simplified(text)
    if simplified != text:
        notes.append(_("{source}: converted Traditional characters to Simplified (OpenCC t2s)").format(source=source))
    if zh.curly_quotes(simplified) != simplified:  # a Taiwan or Hong Kong text quotes with 「」
        simplified = zh.curly_quotes(simplified)
        notes.append(_("{source}: wrote the quotation marks 「」『』 as “”‘’").format(source=source))
    lines = [(n, zh.fullwidth_punctuation(line.strip())) for n, line in enumerate(simplified.splitlines(), 1)]
    lines = _clean([(n, line) for n, line in lines if line], source, notes)
    lines = [(n, _standard_numbers(line, f"{source}:{n}", notes)) for n, line in lines]
    signature, signed = _signature(lines) if kind != "speech" else ([], "")  # a speech is not signed
    if signature:
        lines = lines[: -len(signature) - 1]
    facts = _facts(campaign, simplified) if campaign is not None else []
    phases = [phase.name for phase in campaign.campaign.phases] if campaign is not None else []
    title = salutation = closing = addressee = None
    body: list[str] = []
    expected = [0, 0, 0, 0]
    for index, (number, line) in enumerate(lines):
        if salutation is None and SALUTATION.match(line) and not body:
            salutation = line
            continue
        if kind != "speech" and title and addressee is None and not body and line.endswith("：") and len(line) <= 60:
            addressee = line  # 主送机关
            continue
        if CLOSING.match(line) and index == len(lines) - 1:
            closing = line
            continue
        if title is None and salutation is None and not body and len(line) <= 40 and line[-1] not in "。：！":
            title = line
            continue
        body.append(_block(line, number, source, facts, expected, notes, phases))
    frame = "speech/frame.md.j2" if kind == "speech" else "document/frame.md.j2"
    parts = [f"{{#- docgen: imported from {Path(source).name} -#}}", f'{{% extends "{frame}" %}}']
    if title:
        parts.append(f"{{% block title %}}{{{{ {_expression(title, facts)} | tojson }}}}{{% endblock %}}")
    if addressee:
        parts.append(f"{{% block addressee %}}{{{{ {_expression(addressee, facts)} | tojson }}}}{{% endblock %}}")
    if salutation and salutation != "同志们：":
        parts.append(f"{{% block salutation %}}{salutation}{{% endblock %}}")
    if kind == "speech" and closing != "谢谢大家！":
        parts.append(f"{{% block closing %}}{closing or ''}{{% endblock %}}")
    if signature:
        names = "[" + ", ".join(_expression(name, facts) for name in signature) + "]"
        parts.append(f"{{% block signature %}}{{{{ {names} | tojson }}}}{{% endblock %}}")
        parts.append(f"{{% block signature_date %}}{{{{ {_quoted(signed)} | tojson }}}}{{% endblock %}}")
    parts.append("{% block body %}")
    parts.append("\n\n".join(body))
    parts.append("{% endblock %}")
    return Imported("\n".join(parts) + "\n", notes)


def _standard_numbers(line: str, where: str, notes: list[str]) -> str:
    """发文字号 in the standard's form: 瓦委发[2010]12号 → 瓦委发〔2010〕12号."""

    def fix(match: re.Match[str]) -> str:
        fixed = zh.document_number(match.group())
        if fixed != match.group():
            notes.append(_("{where}: wrote the document number {group} as {fixed}").format(
                where=where, group=match.group(), fixed=fixed))
        return fixed

    return DOC_NUMBER.sub(fix, line)


def _signature(lines: list[tuple[int, str]]) -> tuple[list[str], str]:
    """A closing date line and the organ's name(s) just above it: the 署名 and 成文日期."""
    if len(lines) < 2 or not DATE_LINE.match(lines[-1][1]):
        return [], ""
    names = []
    for _number, text in reversed(lines[:-1]):
        if len(text) > 20 or re.search(r"[。，；：！？]", text) or len(names) == 2:
            break
        names.insert(0, text)
    return (names, lines[-1][1]) if names else ([], "")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _block(line: str, number: int, source: str, facts, expected: list[int], notes: list[str],
           phases: list[str] = ()) -> str:
    for level, pattern in LEVELS:
        match = pattern.match(line)
        if not match:
            continue
        expected[level - 1] += 1
        expected[level:] = [0] * (4 - level)
        written = match.group(1)
        wanted = zh.numeral(expected[level - 1]) if level <= 2 else str(expected[level - 1])
        if written != wanted:
            notes.append(_("{source}:{number}: heading numbered {written}, docgen numbers it {wanted}").format(
                source=source, number=number, written=written, wanted=wanted))
        rest = match.group(2)
        marks = "#" * level
        lead, dot, after = rest.partition("。")
        if level >= 2 and dot and after and len(lead) <= 30:  # a run-in heading: its text follows
            return f"{marks} {_literal(lead + dot, facts, line, phases)}\n\n{_literal(after, facts, line, phases)}"
        return f"{marks} {_literal(rest, facts, line, phases)}"
    return _literal(line, facts, line, phases)
