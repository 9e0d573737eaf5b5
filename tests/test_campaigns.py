"""Any campaign, any level: both example campaigns render every generic kind, with none of the other's words.

瓦店乡 (a 乡党委 under a 县, 创先争优 2010) and 金桥街道 (a 街道党工委 under a 区, 党纪学习教育 2024:
four months, a deployment meeting, a 公示期) through the same templates; the first schema still
loads (and `docgen migrate` rewrites it) to the same documents.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pdfplumber
import pytest

import docgen
from docgen.pipeline import load_campaign

from .cli import docgen_cli
from .conftest import EXAMPLE, ROOT
from .measure import plain

JINQIAO = ROOT / "examples" / "jinqiao"
FIRST_SCHEMA = ROOT / "tests" / "data" / "wadian-first-schema"

# Words that belong to one campaign (its era, its place, its own standards) and must never show up in
# a document made for the other.
DISTINCTIVE = {
    "wadian": ["十七届四中全会", "科学发展观", "创先争优", "瓦店", "五好四强", "五带五争", "丘山", "邓小平理论",
               "动员讲话"],
    "jinqiao": ["党纪学习教育", "二十大", "习近平新时代", "金桥", "云江区", "六项纪律", "党工委", "纪律处分条例",
                "部署讲话"],
}
EXAMPLES = {"wadian": EXAMPLE, "jinqiao": JINQIAO}
SPEECHES = {"wadian": "cxzy-mobilization", "jinqiao": "dangji-deployment"}


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return plain("\n".join([p.text for p in document.paragraphs] + cells))


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join("".join((page.extract_text() or "").split()) for page in pdf.pages)


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def made(request, tmp_path_factory):
    """Every generic kind and the campaign's own speech, both formats: {label: (docx text, pdf text)}."""
    name = request.param
    data, out = EXAMPLES[name], tmp_path_factory.mktemp(name)
    files: dict[str, list[Path]] = {}
    for kind in ("opinion", "forward", "commitment-list"):
        files[kind] = docgen.render(data, template=kind, out=out / kind)
    files["speech"] = docgen.render(data, speech=SPEECHES[name], out=out / "speech")
    for kind, each in (("notice", "branches"), ("commitment", "branches"), ("commitment", "branches[*].members")):
        # the first record, the one read below (every record's document model: test_corpus.py)
        result = docgen.batch(data, template=kind, each=each, where="index == 1", out=out / f"{kind}-{each}", jobs=1)
        assert [d["status"] for d in result["documents"]] == ["written"]
        first = result["documents"][0]
        files[f"{kind} {each}"] = [out / f"{kind}-{each}" / f["file"] for f in first["files"]]
    texts = {}
    for label, paths in files.items():
        by_suffix = {p.suffix: p for p in paths}
        texts[label] = (docx_text(by_suffix[".docx"]), pdf_text(by_suffix[".pdf"]))
    return name, texts


def test_every_generic_kind_renders_with_none_of_the_other_campaigns_words(made):
    name, texts = made
    other = next(n for n in DISTINCTIVE if n != name)
    assert len(texts) == 7
    for label, (docx_body, pdf_body) in texts.items():
        assert docx_body.strip() and pdf_body.strip(), label
        for phrase in DISTINCTIVE[other]:
            assert phrase not in docx_body, f"{name} {label} (DOCX) says {phrase!r}, a word of {other}"
            assert phrase not in pdf_body, f"{name} {label} (PDF) says {phrase!r}, a word of {other}"


def test_a_street_committee_under_a_district_with_a_short_campaign(made):
    name, texts = made
    if name != "jinqiao":
        pytest.skip("the 街道 example")
    model = load_campaign(JINQIAO).model
    assert model.organization.committee_name == "街道党工委" and model.organization.superior.level == "区"
    assert model.campaign.period.length == "四个月"
    opinion, _ = texts["opinion"]
    assert "时间安排四个月" in opinion and "实施方案" in opinion and "实施意见" not in opinion
    notice, _ = texts["notice branches"]
    assert "同志作部署讲话" in notice and "动员" not in notice
    listing, _ = texts["commitment-list"]
    assert "公示期为2024年5月6日至12日" in listing  # a clerk says the year and month once
    member_pledge, _ = texts["commitment branches[*].members"]
    assert "按照“六项纪律”的要求，严守党的纪律规矩、当好群众身边的先锋" in member_pledge
    speech, _ = texts["speech"]
    assert "按照区委的统一安排" in speech and "全街道" in speech


def test_a_speech_written_for_one_campaign_is_refused_for_another(tmp_path):
    result = docgen_cli("render", str(JINQIAO), "--speech", "cxzy-mobilization", "-o", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "创先争优活动" in result.stderr and "党纪学习教育" in result.stderr
    assert not any(tmp_path.iterdir())
    listing = docgen_cli("templates").stdout
    assert "cxzy-mobilization" in listing and "[only for 创先争优活动]" in listing


def test_the_first_schema_loads_with_a_warning_and_renders_the_same_documents(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1276560000")
    warnings: list[str] = []
    old = docgen.render(FIRST_SCHEMA, template="opinion", out=tmp_path / "old", warn=warnings.append)
    assert any("docgen migrate" in w for w in warnings)
    new = docgen.render(EXAMPLE, template="opinion", out=tmp_path / "new")
    assert [p.read_bytes() for p in old] == [p.read_bytes() for p in new]


def test_migrate_rewrites_the_first_schema_keeping_comments_and_renders_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1276560000")
    folder = tmp_path / "wadian"
    shutil.copytree(FIRST_SCHEMA, folder)
    run = [sys.executable, "-m", "docgen", "migrate", str(folder / "campaign.yaml")]
    first = subprocess.run(run, capture_output=True, text=True)
    assert first.returncode == 0 and first.stdout.startswith("migrated")
    text = (folder / "campaign.yaml").read_text(encoding="utf-8")
    assert "# written to the standard as 瓦委发〔2010〕12号" in text  # a comment kept
    assert "guiding_sessions" not in text and "guidance:" in text and "county:" not in text
    again = subprocess.run(run, capture_output=True, text=True)
    assert again.returncode == 0 and "already in the current schema" in again.stdout
    warnings: list[str] = []
    for kind in ("opinion", "forward", "commitment-list"):
        migrated = docgen.render(folder, template=kind, out=tmp_path / "m" / kind, warn=warnings.append)
        example = docgen.render(EXAMPLE, template=kind, out=tmp_path / "e" / kind)
        assert [p.read_bytes() for p in migrated] == [p.read_bytes() for p in example], kind
    assert not [w for w in warnings if "migrate" in w]
    speech = docgen.render(folder, speech="cxzy-mobilization", out=tmp_path / "m" / "speech", formats=("docx",))
    same = docgen.render(EXAMPLE, speech="cxzy-mobilization", out=tmp_path / "e" / "speech", formats=("docx",))
    assert speech[0].read_bytes() == same[0].read_bytes()


def test_init_like_an_example_copies_it_to_learn_from_and_it_validates_and_renders(tmp_path):
    """`docgen init --like jinqiao`: the example, without its seal and its own notes (`docgen init` alone writes the
    clean starter: tests/test_county.py)."""
    folder = tmp_path / "new"
    made = docgen_cli("init", str(folder), "--like", "jinqiao")
    assert made.returncode == 0, made.stderr
    text = (folder / "campaign.yaml").read_text(encoding="utf-8")
    assert text.startswith("# A copy of the example 'jinqiao'") and "    seal:" not in text
    assert "examples/jinqiao" not in text
    checked = docgen_cli("validate", str(folder))
    assert checked.returncode == 0 and checked.stdout.startswith("ok:")
    (path, _) = docgen.render(folder, template="opinion", out=tmp_path / "out")
    assert "实施方案" in docx_text(path)
    again = docgen_cli("init", str(folder))
    assert again.returncode == 1 and "never overwrites" in again.stderr
