"""`docgen init`: a clean, commented campaign file to fill in, and the one rule for what is still unfilled.

The starter (``starter.yaml`` beside this module) holds no campaign's facts: every value an office must
give is a placeholder ``【填写：…】`` saying what goes there, and the few with a usual default (the
committee 党委, the genre 实施方案) are filled and commented. The organ and the campaign, when given
(``--organ``, ``--campaign``, or asked at a terminal), are written in, and what the organ's full name
tells is filled from it (中共瓦店乡委员会: 党委, 瓦店乡, 乡, 瓦店乡党委, 乡党委办公室).

``unfilled`` finds the placeholders left in any campaign's data: ``schema.validate`` reports each at
its line, so a document is never made with 【填写】 in it. ruamel.yaml writes the file, keeping the
starter's comments and order.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.i18n import _

PLACEHOLDER = re.compile(r"^\s*【填写[：:]\s*(?P<hint>.*?)\s*】\s*$", re.S)
STARTER = Path(__file__).with_name("starter.yaml")

_ORGAN = re.compile(r"(?:中共|中国共产党)(?P<place>.+?)(?P<kind>总支部委员会|支部委员会|工作委员会|委员会|党组)")
_COMMITTEES = {"工作委员会": "党工委", "委员会": "党委", "党组": "党组", "总支部委员会": "党总支",
               "支部委员会": "党支部"}
_LEVELS = ("街道", "乡", "镇", "县", "区", "市", "旗", "州", "盟")


def unfilled(values: Any, spot: Any) -> list[DocgenError]:
    """Every value still holding the starter's placeholder, at its spot (``spot(path)``), in file order."""
    found = []
    for path, hint in _placeholders(values, ()):
        found.append(DocgenError(_("{path}: still to fill in: {hint}").format(path=_dotted(path), hint=hint),
                                 spot(path)))
    return found


def _placeholders(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        match = PLACEHOLDER.match(value)
        if match:
            yield path, match.group("hint")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, (*path, index))


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def organ_facts(organ: str) -> dict[str, str]:
    """What a Party organ's full name tells: 中共金桥街道工作委员会 → 党工委, 金桥街道, 街道, 金桥街道党工委,
    街道党工委办公室. Only what it tells for sure: 中共丘山县直属机关工作委员会 gives 党工委 and the place."""
    match = _ORGAN.fullmatch(organ.strip())
    if not match:
        return {}
    committee = _COMMITTEES[match.group("kind")]
    place = match.group("place")
    facts = {"committee": committee, "place": place}
    level = next((level for level in _LEVELS if place.endswith(level) and len(place) > len(level)), None)
    if level:
        facts.update(level=level, short_name=f"{place}{committee}", office=f"{level}{committee}办公室")
    return facts


def write(folder: str | Path, organ: str | None = None, campaign: str | None = None) -> str:
    """Write FOLDER/campaign.yaml from the starter, with the organ and campaign given; never over a file."""
    from docgen.files import output

    target = _new_campaign_file(folder)
    yaml = round_trip_yaml()
    values = yaml.load(STARTER.read_text(encoding="utf-8"))
    if organ and organ.strip():
        values["organization"]["name"] = organ.strip()
        for key, value in organ_facts(organ).items():
            values["organization"][key] = value
    if campaign and campaign.strip():
        values["campaign"]["name"] = campaign.strip()
    buffer = io.StringIO()
    yaml.dump(values, buffer)
    Path(folder).mkdir(parents=True, exist_ok=True)
    output.write_atomic(target, buffer.getvalue().encode("utf-8"))
    return str(target)


def from_example(folder: str | Path, like: str) -> str:
    """``docgen init --like wadian``: a shipped example to learn from, its seal and its own notes left out."""
    from docgen.files import output
    from docgen.resources import builtin_dir

    target = _new_campaign_file(folder)
    yaml = round_trip_yaml()
    values = yaml.load((builtin_dir("examples") / like / "campaign.yaml").read_text(encoding="utf-8"))
    values.ca.comment = None  # the example's own header ("Check it with `docgen validate examples/…`")
    for document in values.get("documents", {}).values():
        document.pop("seal", None)  # that example's seal is another organ's: add your own PNG here
    buffer = io.StringIO()
    buffer.write(
        f"# A copy of the example '{like}', another organ's campaign: replace every value with your own,\n"
        "# or start clean with `docgen init FOLDER --organ … --campaign …`.\n"
        "# `docgen schema` lists every field with its meaning; `docgen validate` checks this file as you go.\n"
        "# documents.<kind>.seal: a red PNG of your organ's seal, beside this file (left out here).\n\n"
    )
    yaml.dump(values, buffer)
    Path(folder).mkdir(parents=True, exist_ok=True)
    output.write_atomic(target, buffer.getvalue().encode("utf-8"))
    return str(target)


def round_trip_yaml():
    """ruamel's round-trip YAML as docgen writes a campaign file (init, init --like, migrate): comments, order
    and quoting kept, lines never folded, lists indented under their key."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _new_campaign_file(folder: str | Path) -> Path:
    target = Path(folder) / "campaign.yaml"
    if target.exists():
        raise DocgenError(_("already exists; docgen init never overwrites a campaign"), str(target))
    return target
