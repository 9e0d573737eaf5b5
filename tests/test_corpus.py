"""The campaign corpus: real campaigns of other years, levels and wording shapes, each rendering every kind
its data allows, read by the proof-reader with zero findings.

tests/data/corpus/ holds six campaigns written from what their real documents said (names fictional;
campaign names, dates and 提法 of their time): 2013 党的群众路线教育实践活动 in a 国企党委 (under a 市), 2016
“两学一做”学习教育 in a 乡党委, 2019 “不忘初心、牢记使命”主题教育 in a 县直机关工委, 2021 党史学习教育 in a 高校党委
(under a 省), 2023 学习贯彻习近平新时代中国特色社会主义思想主题教育 in a 街道党工委 (a name that starts with a
verb) and 2025 深入贯彻中央八项规定精神学习教育 in a 区直机关工委 (a name that starts with 深入, principles
that start with 坚持, phases inside one month). With the two examples they are what every template is
checked against: first as models (every kind, every record, fast), then as the DOCX and PDF a clerk gets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import docgen
from docgen import templating
from docgen.commands.check import check_path
from docgen.errors import DocgenError
from docgen.pipeline import check_template, load_campaign, template_name

from .conftest import EXAMPLE, ROOT

CORPUS = ROOT / "tests" / "data" / "corpus"
CAMPAIGNS = {"wadian": EXAMPLE, "jinqiao": ROOT / "examples" / "jinqiao",
             **{folder.name: folder for folder in sorted(CORPUS.iterdir()) if folder.is_dir()}}
EACH = {"notice": ["branches"], "commitment": ["branches", "branches[*].members"]}


def test_the_corpus_spans_years_levels_and_wording_shapes():
    models = {name: load_campaign(path).model for name, path in CAMPAIGNS.items()}
    assert len(models) >= 8
    years = {m.meeting.date.year for m in models.values()}
    assert {2010, 2014, 2016, 2019, 2021, 2023, 2024, 2025} <= years | {m.campaign.period.start.year for m in
                                                                          models.values()}
    assert {m.organization.superior.level for m in models.values()} >= {"县", "区", "市", "省"}
    assert any(m.campaign.name.startswith("深入") for m in models.values())
    assert any(m.campaign.name.startswith("学习贯彻") for m in models.values())
    assert any(m.campaign.name.startswith("“") for m in models.values())
    assert any(all(p.startswith("坚持") for p in m.campaign.principles) for m in models.values())
    inside_a_month = [p for m in models.values() for p in m.campaign.phases
                      if p.start and p.end and (p.start.year, p.start.month) == (p.end.year, p.end.month)]
    assert inside_a_month
    genres = {m.campaign.genre for m in models.values()}
    assert {"实施意见", "实施方案", "工作方案"} <= genres


@pytest.mark.parametrize("name", sorted(CAMPAIGNS))
def test_every_document_of_every_record_reads_clean(name):
    """`docgen check CAMPAIGN`: the data, its dated facts, and every kind's model for every record."""
    findings = check_path(CAMPAIGNS[name], note=lambda finding: None)
    assert findings == [], "\n".join(map(str, findings))


def _kinds(campaign) -> list[tuple[str, str]]:
    """(option, name) of every template this campaign's data can make: kinds, and speeches written for it."""
    made = []
    for info in templating.list_templates():
        name = templating.speech_name(info.name) if info.option == "--speech" else template_name(None, info.name)
        try:
            check_template(campaign, name)
        except DocgenError:
            continue
        made.append((info.option, info.name))
    return made


@pytest.fixture(scope="module", params=sorted(CAMPAIGNS))
def rendered(request, tmp_path_factory) -> tuple[Path, list[Path]]:
    """Every document of a campaign as DOCX and PDF: the single ones, and two records of each batch."""
    data = CAMPAIGNS[request.param]
    out = tmp_path_factory.mktemp(request.param)
    files: list[Path] = []
    for option, name in _kinds(load_campaign(data)):
        if option == "--speech":
            files += docgen.render(data, speech=name, out=out / name)
        elif name in EACH:
            for each in EACH[name]:
                folder = out / f"{name}-{each}"
                # the two records read below (every record's model: test_every_document_of_every_record_reads_clean)
                result = docgen.batch(data, template=name, each=each, where="index <= 2", out=folder, jobs=2)
                documents = [d for d in result["documents"] if d["status"] == "written"]
                assert len(documents) == len(result["documents"]) == 2, result["documents"]
                files += [folder / f["file"] for d in documents for f in d["files"]]
        else:
            files += docgen.render(data, template=name, out=out / name)
    return data, files


def test_every_file_in_both_formats_reads_clean(rendered):
    data, files = rendered
    assert {path.suffix for path in files} == {".docx", ".pdf"} and len(files) >= 26
    findings = [finding for path in files for finding in check_path(path, data=data)]
    assert findings == [], "\n".join(map(str, findings))
