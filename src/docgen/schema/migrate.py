"""Campaign files of the first schema (创先争优-shaped) → the schema that fits any campaign.

The first schema had 创先争优's shape built in (``county``, ``county_goal``, ``duration_years``,
``guiding_sessions``, ``organization_standard``/``member_standard``) and its templates held the
2010 wording (十七大, 科学发展观, 创建先进基层党组织…). Migrating moves each old key to its new
place and writes the wording those templates used into the data, so a migrated file renders the
same documents as before, and the templates hold no campaign's words.

The same ``upgrade`` runs in two places: ``schema.validate`` applies it in memory to an old file
(with a warning, keeping every value's line), and ``docgen migrate FILE`` rewrites the file with
ruamel.yaml, which keeps comments and key order. Neither is silent about the words it writes: each
value the migration wrote (not moved) is listed (``Written``), and one whose 提法 does not fit the
campaign's own date (十七大 in a 2024 campaign) is flagged with the formulation current then.

Two facts the first schema could not hold are read from the data: the superior's level is the last
character of its name (云江区 → 区委, not 县委), and the 时间安排 comes from the dates when
``duration_years`` contradicts them (a four-month campaign is not 「一年」).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from docgen import zh
from docgen.i18n import _

OLD_MARKERS = (("organization", "county"), ("campaign", "guiding_sessions"), ("campaign", "organization_standard"),
               ("campaign", "member_standard"), ("campaign", "duration_years"))

Move = tuple[tuple, tuple]  # (old path, new path): where a value's line now belongs
Written = tuple[tuple, str]  # (new path, the words the migration wrote there)
_LEVELS = ("县", "区", "市", "旗", "州", "盟")


def is_old(values: Any) -> bool:
    """A file of the first schema has at least one of its 创先争优-shaped keys."""
    return isinstance(values, MutableMapping) and any(_get(values, path) is not None for path in OLD_MARKERS)


def upgrade(values: MutableMapping, new_map=dict, written: list[Written] | None = None) -> list[Move]:
    """Rewrite ``values`` in place to the new schema; return the moves (for lines and messages).

    ``new_map`` makes the new mappings (a ruamel CommentedMap when the file is rewritten); ``written``
    collects every value the migration wrote in its own words (what it must not do silently).
    """
    moves: list[Move] = []
    wrote: list[Written] = written if written is not None else []
    org = values.get("organization")
    campaign = values.get("campaign")
    meeting = values.get("meeting")
    if isinstance(org, MutableMapping) and "county" in org:
        superior = new_map()
        superior["name"] = org["county"]
        level = str(org["county"])[-1:]
        superior["level"] = level if level in _LEVELS else "县"
        if org.get("county_goal"):
            superior["goal"] = org["county_goal"]
            moves.append((("organization", "county_goal"), ("organization", "superior", "goal")))
        moves.append((("organization", "county"), ("organization", "superior")))
        _replace(org, "county", "superior", superior)
        org.pop("county_goal", None)
    if not isinstance(campaign, MutableMapping) or "guiding_sessions" not in campaign:
        return moves
    name = campaign.get("name", "")
    level = org.get("level", "") if isinstance(org, MutableMapping) else ""
    superior_goal = org.get("superior", {}).get("goal", "") if isinstance(org, MutableMapping) else ""
    slogan = org.get("slogan", "") if isinstance(org, MutableMapping) else ""
    practice = campaign.get("theme", "")

    superior_level = org.get("superior", {}).get("level", "县") if isinstance(org, MutableMapping) else "县"
    guidance = new_map()
    guidance["spirit"] = "党的十七大和十七届三中、四中全会"
    guidance["sessions"] = campaign["guiding_sessions"]
    guidance["thought"] = "邓小平理论和“三个代表”重要思想"
    wrote += [(("campaign", "guidance", "spirit"), guidance["spirit"]),
              (("campaign", "guidance", "thought"), guidance["thought"])]
    moves.append((("campaign", "guiding_sessions"), ("campaign", "guidance")))
    _replace(campaign, "guiding_sessions", "guidance", guidance)
    basis = f"深入贯彻落实党的十七大和十七届四中全会精神，按照中央和省、市、{superior_level}委的统一部署"
    _insert_before(campaign, "guidance", "basis", basis, wrote)
    _insert_before(campaign, "basis", "audience_full", "党的基层组织和党员", wrote)
    _insert_before(campaign, "audience_full", "audience", "党组织和党员", wrote)
    moves.append((("campaign", "theme"), ("campaign", "practice")))
    _replace(campaign, "theme", "practice", practice)
    _insert_before(campaign, "practice", "aim", (
        "紧密联系本部门单位实际，坚持改革创新，突出实践特色，充分发挥基层党组织的战斗堡垒作用和共产党员的先锋模范作用，"
        f"在{practice}的实践中建功立业"), wrote)
    _insert_before(campaign, "aim", "content", "创建先进基层党组织、争当优秀共产党员", wrote)
    goal = f"奋力推进“{superior_goal}建设”" if superior_goal else ""
    brand = f"打造“{slogan}”" if slogan else ""
    theme = "深入学习实践科学发展观" + ("、" + "和".join(x for x in (goal, brand) if x) if goal or brand else "")
    _insert_before(campaign, "content", "theme", theme, wrote)

    if "duration_years" in campaign:
        years = campaign.pop("duration_years")
        period = campaign.get("period")
        if isinstance(period, MutableMapping) and _fits_dates(int(years), period):
            period["duration"] = f"{zh.numeral(int(years), counting=True)}年"
            wrote.append((("campaign", "period", "duration"), period["duration"]))
        moves.append((("campaign", "duration_years"), ("campaign", "period", "duration")))

    standards = []
    organization_standard = campaign.pop("organization_standard", None)
    member_standard = campaign.pop("member_standard", None)
    sections = []
    if organization_standard:
        good, strong = list(organization_standard["good"]), list(organization_standard["strong"])
        standard = new_map()
        standard["key"] = "organization"
        standard["name"] = organization_standard["name"]
        standard["applies_to"] = "党组织"
        standard["parts"] = [_map(new_map, name=f"{zh.numeral(len(good))}好", items=good),
                             _map(new_map, name=f"{zh.numeral(len(strong))}强", items=strong)]
        standards.append(standard)
        sections.append(_map(new_map, title="创建先进基层党组织。", text=(
            f"以开展“{standard['name']}”基层党组织创建活动为总抓手，做到{zh.join(good, last=None)}，"
            f"实现{zh.join(strong, last=None)}。")))
        moves.append((("campaign", "organization_standard"), ("campaign", "standards", 0)))
    if member_standard:
        items = [f"{pair['lead']}、{pair['strive']}" for pair in member_standard["pairs"]]
        standard = _map(new_map, key="member", name=member_standard["name"], applies_to="党员", items=items)
        standards.append(standard)
        sections.append(_map(new_map, title="争当优秀共产党员。", text=(
            f"以开展“党员示范行动”为总抓手，努力做到“{standard['name']}”，即：{'，'.join(items)}。")))
        moves.append((("campaign", "member_standard"), ("campaign", "standards", len(standards) - 1)))
    if standards:
        campaign["sections"] = sections
        campaign["standards"] = standards
        wrote += [(("campaign", "sections", i, "text"), section["text"]) for i, section in enumerate(sections)]
        pledge = new_map()
        pledge["member_aim"] = "立足本职、争当优秀共产党员"
        if organization_standard:
            pledge["branch_basis"] = f"创建“{organization_standard['name']}”先进基层党组织"
            pledge["branch_standard"] = "organization"
        if member_standard:
            pledge["member_standard"] = "member"
        campaign["pledge"] = pledge
        wrote += [(("campaign", "pledge", key), str(value)) for key, value in pledge.items()
                  if key in ("member_aim", "branch_basis")]
    campaign["leadership"] = _leadership(values, new_map, name, level)
    wrote += [(("campaign", "leadership", i, "text"), section["text"])
              for i, section in enumerate(campaign["leadership"])]
    if isinstance(meeting, MutableMapping):
        for key, value in (("purpose", f"认真贯彻落实上级关于开展{name}的统一部署"), ("speech", "动员讲话")):
            if key not in meeting:
                meeting[key] = value
                wrote.append((("meeting", key), value))
    return moves


def _fits_dates(years: int, period: MutableMapping) -> bool:
    """``duration_years`` agrees with the period's dates (within a quarter): else the dates decide."""
    import datetime as dt

    try:
        start, end = (dt.date.fromisoformat(str(period[key])) for key in ("start", "end"))
    except (KeyError, ValueError):
        return True
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return abs(years * 12 - months) <= max(2, months // 4)


def written_report(written: list[Written], values: MutableMapping) -> list[tuple[tuple, str]]:
    """One line per value the migration wrote, flagged when its 提法 is not current at the campaign's date:
    (path, line)."""
    from docgen.proofread import formulations

    on = _campaign_date(values)
    lines = []
    for path, text in written:
        dotted = ".".join(str(part) for part in path)
        shown = text if len(text) <= 40 else text[:39] + "…"
        problems = list(formulations.check(_as_printed(path, text), on)) if on else []
        if problems:
            message, fix = problems[0]
            template = _("{path}: docgen wrote 「{text}」 (the first schema's wording); {message}; {fix}")
            lines.append((path, template.format(path=dotted, text=shown, message=message, fix=fix)))
        else:
            lines.append((path, _("{path}: docgen wrote 「{text}」 (the first schema's wording)").format(
                path=dotted, text=shown)))
    return lines


def _as_printed(path: tuple, text: str) -> str:
    """A value as the templates print it, so its 提法 reads as in the documents: the thought inside
    以……为指导, the spirit before 精神."""
    if path[-2:] == ("guidance", "thought"):
        return f"以{text}为指导"
    if path[-2:] == ("guidance", "spirit"):
        return f"贯彻落实{text}精神"
    return text


def _campaign_date(values: MutableMapping):
    """The date a campaign's words are judged by: its meeting's, else its start."""
    import datetime as dt

    for path in (("meeting", "date"), ("campaign", "period", "start")):
        value = _get(values, path)
        if value is not None:
            try:
                return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            except ValueError:
                continue
    return None


def _leadership(values: MutableMapping, new_map, act: str, level: str) -> list:
    """The 组织领导 sections the first opinion template wrote, from the same data."""
    org, campaign, meeting = values["organization"], values["campaign"], values.get("meeting", {})
    speaker = meeting.get("speaker", {}) if isinstance(meeting, MutableMapping) else {}
    kinds = "、".join(
        f"{c['name']}" + (f"以及{zh.join(c['covers'], last=None)}" if c.get("covers") else "")
        for c in campaign.get("categories", [])
    )
    return [
        _map(new_map, title="加强组织领导。", text=(
            f"{org['short_name']}成立{act}领导小组，{speaker.get('post', '')}{speaker.get('name', '')}同志任组长，"
            f"领导小组办公室设在{org['office']}，负责活动的组织协调、督促检查和情况汇总。各党支部要成立相应的工作机构，"
            "书记是第一责任人。")),
        _map(new_map, title="坚持分类指导。", text=(
            f"{kinds}等各类党组织要结合各自实际设计活动载体，做到统分结合、分类指导，防止“一刀切”。")),
        _map(new_map, title="营造浓厚氛围。", text=(
            f"充分运用报刊、广播、板报和标语等形式，大力宣传{act}的重大意义和进展成效，及时总结推广先进典型和经验做法。")),
        _map(new_map, title="务求取得实效。", text=(
            "坚持开门搞活动，活动方案听取群众意见，活动情况向群众通报，活动效果请群众评议，"
            f"把群众满意不满意作为检验{act}成效的根本标准。")),
    ]


def _map(new_map, **items) -> MutableMapping:
    mapping = new_map()
    for key, value in items.items():
        mapping[key] = value
    return mapping


def _get(values: Any, path: tuple) -> Any:
    for part in path:
        if not isinstance(values, MutableMapping) or part not in values:
            return None
        values = values[part]
    return values


def _replace(mapping: MutableMapping, old: str, new: str, value: Any) -> None:
    """Put ``new: value`` where ``old`` stood (ruamel keeps the comments of the position)."""
    if hasattr(mapping, "insert"):
        position = list(mapping).index(old)
        del mapping[old]
        mapping.insert(position, new, value)
        return
    items = [(new if key == old else key, value if key == old else item) for key, item in mapping.items()]
    mapping.clear()
    mapping.update(items)


def _insert_before(mapping: MutableMapping, anchor: str, key: str, value: Any,
                   written: list[Written] | None = None) -> None:
    if key in mapping:
        return
    if written is not None and isinstance(value, str):
        written.append((("campaign", key), value))
    if hasattr(mapping, "insert"):
        mapping.insert(list(mapping).index(anchor), key, value)
        return
    items = list(mapping.items())
    position = [k for k, _ in items].index(anchor)
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)
