"""Loading campaign YAML: positions kept, duplicate keys and non-mappings refused, schema enforced."""

import time

import pytest

from docgen import schema, sources
from docgen.errors import DocgenError
from docgen.pipeline import load_campaign

from . import fastyaml
from .conftest import EXAMPLE, copy_assets


def write(tmp_path, text: str):
    path = tmp_path / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    copy_assets(tmp_path)
    return path


def test_example_validates_with_at_least_12_branches_of_the_seed_kinds():
    campaign = load_campaign(EXAMPLE).model
    assert campaign.organization.place == "瓦店乡"
    assert len(campaign.campaign.phases) == 4
    assert len(campaign.campaign.methods) == 5
    assert len(campaign.branches) >= 12
    kinds = {b.category for b in campaign.branches}
    assert {"农村", "社区", "机关"} <= kinds and kinds & {"学校", "卫生"}
    assert all(b.secretary and b.member_count > 0 for b in campaign.branches)


def test_every_value_knows_its_line():
    loaded = sources.load(EXAMPLE)
    lines = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8").splitlines()
    line = loaded.lines[("meeting", "speaker", "name")]
    assert "王建国" in lines[line - 1]
    first_branch = loaded.lines[("branches", 0)]
    assert "春风村党支部" in lines[first_branch - 1]


def test_duplicate_key_is_refused_with_both_lines(tmp_path):
    path = write(tmp_path, "a: 1\nb: 2\na: 3\n")
    with pytest.raises(DocgenError) as err:
        sources.load(path)
    assert err.value.where.line == 3 and "first at line 1" in err.value.message


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_top_level_must_be_a_mapping(tmp_path, text):
    with pytest.raises(DocgenError, match="top level must be a mapping"):
        sources.load(write(tmp_path, text))


def test_python_tags_are_not_constructed(tmp_path):
    path = write(tmp_path, "a: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(DocgenError) as err:
        sources.load(path)
    assert err.value.where.line == 1


def test_alias_bomb_is_refused_quickly(tmp_path):
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    started = time.process_time()
    with pytest.raises(DocgenError, match="alias"):
        sources.load(write(tmp_path, "\n".join(rows) + "\n"))
    assert time.process_time() - started < 30  # bounded work, not a timing goal: 10^9 values otherwise


def test_schema_errors_point_at_the_field(tmp_path):
    text = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, text.replace("member_count: 46", "member_count: 很多"))
    with pytest.raises(DocgenError) as err:
        load_campaign(path)
    assert "branches[0].member_count" in err.value.message
    assert "很多" in path.read_text(encoding="utf-8").splitlines()[err.value.where.line - 1]


def test_unknown_field_suggests_the_nearest_name(tmp_path):
    text = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, text.replace("  place: 乡政府三楼会议室", "  plase: 乡政府三楼会议室"))
    with pytest.raises(DocgenError, match="did you mean `place`"):
        load_campaign(path)


def test_json_schema_describes_the_campaign():
    js = schema.json_schema()
    assert set(js["required"]) == {"organization", "campaign", "meeting", "branches"}
    assert "Branch" in js["$defs"]


@pytest.mark.slow  # its point is the size: 3,000 branches
def test_a_county_sized_campaign_loads_and_an_alias_bomb_does_not(tmp_path):
    """What aliases add is bounded, not what an honest file holds: 3,000 branches and 12,000 members load."""
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    first = values["branches"][0]
    member = first["members"][0]
    values["branches"] = [
        {**first, "name": f"第{n}党支部", "members": [{**member, "name": f"党员{n}之{m}"} for m in range(4)]}
        for n in range(3000)
    ]
    big = tmp_path / "county.yaml"
    big.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "*id" in big.read_text(encoding="utf-8")  # PyYAML's dumper shares repeated lists by aliases
    loaded = sources.load(big)
    model, _ = schema.validate(loaded)
    assert len(model.branches) == 3000 and sum(len(b.members) for b in model.branches) == 12000
    assert loaded.spot(("branches", 2999, "members", 3, "name")).line > 1
    bomb = tmp_path / "bomb.yaml"
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb.write_text("\n".join(levels) + "\n", encoding="utf-8")
    with pytest.raises(DocgenError, match="alias bomb"):
        sources.load(bomb)


def test_an_editors_unsaved_text_loads_in_the_files_place(tmp_path):
    """`docgen serve` validates and previews the editor's text: same checks, the file's name and lines,
    its folder for the seal and the roster; the file on disk is not read."""
    path = write(tmp_path, (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8").replace("乡政府三楼会议室", "乡文化站")
    path.write_text("not: [yaml", encoding="utf-8")  # what is on disk does not matter
    campaign = load_campaign(tmp_path, "\ufeff" + text)
    assert campaign.model.meeting.place == "乡文化站"
    assert campaign.model.documents["opinion"].seal == str((tmp_path / "seal.png").resolve())
    bad = text.replace("  date: 2010-06-18", "  date: 2010-02-30")
    line = bad.splitlines().index("  date: 2010-02-30") + 1
    with pytest.raises(DocgenError) as caught:
        load_campaign(path, bad)
    assert str(caught.value).startswith(f"{path}:{line}: meeting.date")
    with pytest.raises(DocgenError, match="limited to 20 MiB"):
        load_campaign(path, "x: " + "y" * (21 * 1024 * 1024))
    roster = load_campaign(EXAMPLE / "campaign-roster.yaml",
                           (EXAMPLE / "campaign-roster.yaml").read_text(encoding="utf-8"))
    assert len(roster.model.branches) == len(load_campaign(EXAMPLE / "campaign-roster.yaml").model.branches)
