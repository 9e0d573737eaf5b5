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
    raise DocgenError("neither UTF-8 nor GB18030 text; save it as UTF-8", str(path))


def _clean(lines: list[tuple[int, str]], source: str, notes: list[str]) -> list[tuple[int, str]]:
    kept = []
    for number, line in lines:
        where = f"{source}:{number}"
        if NOISE_LINE.search(line) and len(line) <= 120:  # an advert, not a paragraph that mentions a site
            notes.append(f"{where}: dropped a line that looks like site noise: {line[:40]}")
            continue
        for word in NOISE_WORDS:
            if word in line:
                line = line.replace(word, "")
                notes.append(f"{where}: removed the stray word '{word}'")
        stray = STRAY_MARKS.match(line)
        if stray:
            line = line[stray.end():]
            notes.append(f"{where}: removed a stray '{stray.group().strip()}' at the start")
        if line:
            kept.append((number, line))
    return kept


def _facts(campaign) -> list[tuple[str, str]]:
    """Literal text → the expression that prints it, longest first."""
    org, c, meeting = campaign.organization, campaign.campaign, campaign.meeting
    facts = {
        org.name: "organization.name", org.short_name: "organization.short_name", org.place: "organization.place",
        org.place_short: "organization.place_short", org.county_goal: "organization.county_goal",
        org.slogan: "organization.slogan", c.name: "campaign.name", c.short: "campaign.short",
        c.theme: "campaign.theme", meeting.name: "meeting.name", meeting.speaker.name: "meeting.speaker.name",
        c.organization_standard.name: "campaign.organization_standard.name",
        c.member_standard.name: "campaign.member_standard.name",
        zh.join(c.methods, last=None): "campaign.methods | join_zh(last=None)",
        zh.join(c.guiding_sessions, last=None): "campaign.guiding_sessions | join_zh(last=None)",
        f"全{org.level}": '"全" ~ organization.level', f"我{org.level}": '"我" ~ organization.level',
        f"{org.level}党委": 'organization.level ~ "党委"',
    }
    for i, phase in enumerate(c.phases):
        facts[phase.name] = f"campaign.phases[{i}].name"
        if phase.start:
            facts.setdefault(zh.date_arabic(phase.start, precision="month"),
                             f'campaign.phases[{i}].start | date_ar(precision="month")')
        if phase.end_label:
            facts.setdefault(phase.end_label, f"campaign.phases[{i}].end_label")
    return sorted(((k, v) for k, v in facts.items() if k and len(k) >= 2), key=lambda kv: len(kv[0]), reverse=True)


def _literal(text: str, facts: list[tuple[str, str]]) -> str:
    """Markdown-escaped text, with each fact (if any) as a Jinja expression."""
    if not facts:
        return escape_text(text)
    pattern = re.compile("|".join(re.escape(k) for k, _ in facts))
    lookup = dict(facts)
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(escape_text(text[position : match.start()]))
        out.append("{{ " + lookup[match.group()] + " }}")
        position = match.end()
    out.append(escape_text(text[position:]))
    return "".join(out)


def import_text(text: str, source: str = "<text>", campaign=None, kind: str = "speech") -> Imported:
    """Turn a 范文 into a template that renders back to the same (normalized) text."""
    notes: list[str] = []
    simplified = zh.to_simplified(text)
    if simplified != text:
        notes.append(f"{source}: converted Traditional characters to Simplified (OpenCC t2s)")
    lines = [(n, zh.fullwidth_punctuation(line.strip())) for n, line in enumerate(simplified.splitlines(), 1)]
    lines = _clean([(n, line) for n, line in lines if line], source, notes)
    lines = [(n, _standard_numbers(line, f"{source}:{n}", notes)) for n, line in lines]
    signature, signed = _signature(lines) if kind != "speech" else ([], "")  # a speech is not signed
    if signature:
        lines = lines[: -len(signature) - 1]
    facts = _facts(campaign) if campaign is not None else []
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
        body.append(_block(line, number, source, facts, expected, notes))
    frame = "speech/frame.md.j2" if kind == "speech" else "document/frame.md.j2"
    parts = [f"{{#- docgen: imported from {Path(source).name} -#}}", f'{{% extends "{frame}" %}}']
    if title:
        parts.append(f"{{% block title %}}{{{{ {_quoted(title)} | tojson }}}}{{% endblock %}}")
    if addressee:
        parts.append(f"{{% block addressee %}}{{{{ {_quoted(addressee)} | tojson }}}}{{% endblock %}}")
    if salutation and salutation != "同志们：":
        parts.append(f"{{% block salutation %}}{salutation}{{% endblock %}}")
    if kind == "speech" and closing != "谢谢大家！":
        parts.append(f"{{% block closing %}}{closing or ''}{{% endblock %}}")
    if signature:
        parts.append(f"{{% block signature %}}{{{{ {_list(signature)} | tojson }}}}{{% endblock %}}")
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
            notes.append(f"{where}: wrote the document number {match.group()} as {fixed}")
        return fixed

    return DOC_NUMBER.sub(fix, line)


def _signature(lines: list[tuple[int, str]]) -> tuple[list[str], str]:
    """A closing date line and the organ's name(s) just above it: the 署名 and 成文日期."""
    if len(lines) < 2 or not DATE_LINE.match(lines[-1][1]):
        return [], ""
    names = []
    for _, text in reversed(lines[:-1]):
        if len(text) > 20 or re.search(r"[。，；：！？]", text) or len(names) == 2:
            break
        names.insert(0, text)
    return (names, lines[-1][1]) if names else ([], "")


def _list(items: list[str]) -> str:
    return "[" + ", ".join(_quoted(item) for item in items) + "]"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _block(line: str, number: int, source: str, facts, expected: list[int], notes: list[str]) -> str:
    for level, pattern in LEVELS:
        match = pattern.match(line)
        if not match:
            continue
        expected[level - 1] += 1
        expected[level:] = [0] * (4 - level)
        written = match.group(1)
        wanted = zh.numeral(expected[level - 1]) if level <= 2 else str(expected[level - 1])
        if written != wanted:
            notes.append(f"{source}:{number}: heading numbered {written}, docgen numbers it {wanted}")
        rest = match.group(2)
        marks = "#" * level
        lead, dot, after = rest.partition("。")
        if level >= 2 and dot and after and len(lead) <= 30:  # a run-in heading: its text follows
            return f"{marks} {_literal(lead + dot, facts)}\n\n{_literal(after, facts)}"
        return f"{marks} {_literal(rest, facts)}"
    return _literal(line, facts)
