"""`docgen batch`: one document per record, safe names, atomic files, skip unchanged, zip and merge."""

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

import docgen
from docgen.errors import DocgenError

from . import fastyaml
from .cli import docgen_cli
from .conftest import EXAMPLE
from .measure import plain

BASE = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))


def campaign_with(tmp_path: Path, branches: list[dict], name: str = "campaign.yaml") -> Path:
    values = {**BASE, "branches": branches}
    values.pop("documents", None)  # the 公文 facts name a seal image that lives beside the example
    path = tmp_path / name
    path.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def strict_templates(tmp_path: Path) -> Path:
    """A --templates folder with `strict`: a notice that needs each branch's deadline (a record without one
    fails on its data)."""
    templates = tmp_path / "tpl"
    (templates / "strict").mkdir(parents=True)
    (templates / "strict" / "main.md.j2").write_text(
        '{% extends "document/frame.md.j2" %}\n{% block title %}"限时"{% endblock %}\n{% block body %}\n'
        '{{ branch.name }}：{{ branch.deadline | required("branch.deadline") | date_ar }}前完成。\n{% endblock %}\n',
        encoding="utf-8",
    )
    return templates


def branch(name: str, secretary: str = "某某", **extra) -> dict:
    return {"name": name, "category": "农村", "secretary": secretary, "member_count": 5, **extra}


def docx_text(path: Path) -> str:
    return plain("\n".join(p.text for p in docx.Document(str(path)).paragraphs))


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join("".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_one_notice_per_branch_with_its_own_name_and_secretary(tmp_path):
    result = docgen.batch(EXAMPLE, template="notice", each="branches", name="{index:02d}_{name}_会议通知",
                          out=tmp_path, jobs=2)
    branches = BASE["branches"]
    assert len(result["documents"]) == len(branches)
    for doc, data in zip(result["documents"], branches, strict=True):
        assert doc["status"] == "written"
        stem = f"{doc['index']:02d}_{data['name']}_会议通知"
        text = docx_text(tmp_path / f"{stem}.docx")
        assert f"{data['name']}：" in text and f"请{data['secretary']}同志" in text
        pdf = pdf_text(tmp_path / f"{stem}.pdf")
        assert data["name"] in pdf and data["secretary"] in pdf
        assert [f["pages"] for f in doc["files"] if f["format"] == "pdf"] == [1]  # a one-page notice
    others = {b["secretary"] for b in branches[1:]}
    assert not any(s in docx_text(tmp_path / "01_春风村党支部_会议通知.docx") for s in others)


def test_hostile_names_get_safe_distinct_paths_inside_out(tmp_path):
    names = ["../../etc/x", "机关/后勤", "CON", "a\\b", "trailing. ", "x" * 300]
    data = campaign_with(tmp_path, [branch(n) for n in names])
    out = tmp_path / "out"
    result = docgen.batch(data, template="notice", each="branches", name="{name}", out=out, formats=("docx",), jobs=1)
    files = sorted(p.name for p in out.iterdir() if p.suffix == ".docx")
    assert len(files) == len(names)
    for path in out.rglob("*"):
        assert path.resolve().parent == out.resolve()
    for file in files:
        stem = file.removesuffix(".docx")
        assert "/" not in file and "\\" not in file and ".." not in stem and stem.upper() != "CON"
        assert len(file.encode()) <= 255
    assert not (tmp_path / "etc").exists()
    assert [d["status"] for d in result["documents"]] == ["written"] * len(names)


def test_colliding_names_are_reported_before_anything_is_written(tmp_path):
    data = campaign_with(tmp_path, [branch("春风村党支部"), branch("石桥村党支部"), branch("春风村党支部")])
    out = tmp_path / "out"
    with pytest.raises(DocgenError) as err:
        docgen.batch(data, template="notice", each="branches", name="{name}", out=out)
    assert "branches[0]" in err.value.message and "branches[2]" in err.value.message
    assert not out.exists() or not any(out.iterdir())
    # With {index} in the pattern the same data is fine.
    result = docgen.batch(data, template="notice", each="branches", out=out, formats=("docx",), jobs=1)
    assert len({d["stem"] for d in result["documents"]}) == 3


def test_rerun_with_unchanged_input_rewrites_nothing_and_force_redoes(tmp_path):
    docgen.batch(EXAMPLE, template="notice", each="branches", out=tmp_path, jobs=2)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    time.sleep(0.05)
    again = docgen.batch(EXAMPLE, template="notice", each="branches", out=tmp_path, jobs=2)
    assert {d["status"] for d in again["documents"]} == {"unchanged"}
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before
    forced = docgen.batch(EXAMPLE, template="notice", each="branches", out=tmp_path, jobs=1, force=True,
                          formats=("docx", "pdf"))
    assert {d["status"] for d in forced["documents"]} == {"written"}


def test_a_changed_output_file_is_redone(tmp_path):
    docgen.batch(EXAMPLE, template="notice", each="branches", out=tmp_path, jobs=1, formats=("docx",))
    victim = tmp_path / "003_石桥村党支部.docx"
    victim.write_bytes(b"damaged")
    again = docgen.batch(EXAMPLE, template="notice", each="branches", out=tmp_path, jobs=1, formats=("docx",))
    statuses = {d["stem"]: d["status"] for d in again["documents"]}
    assert statuses.pop("003_石桥村党支部") == "written" and set(statuses.values()) == {"unchanged"}
    assert zipfile.is_zipfile(victim)


def test_a_failing_record_is_reported_and_the_others_finish(tmp_path):
    branches = [branch("甲村党支部", deadline="2011-06-30"), branch("乙村党支部"),
                branch("丙村党支部", deadline="2011-06-30")]
    data = campaign_with(tmp_path, branches)
    templates = strict_templates(tmp_path)
    out = tmp_path / "out"
    result = docgen_cli("batch", str(data), "--template", "strict", "--each", "branches", "--templates", str(templates),
                        "-o", str(out), "-j", "2", "--format", "docx", timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "record 2 branches[1] (乙村党支部)" in result.stderr and "branch.deadline" in result.stderr
    assert sorted(p.name for p in out.glob("*.docx")) == ["001_甲村党支部.docx", "003_丙村党支部.docx"]
    stored = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d["status"] for d in stored["documents"]] == ["ok", "failed", "ok"]


def test_nested_each_and_where(tmp_path):
    members = docgen.batch(EXAMPLE, template="commitment", each="branches[*].members", formats=("docx",),
                           name="{index:02d}_{branch_name}_{name}", out=tmp_path / "m", jobs=2)
    total = sum(len(b["members"]) for b in BASE["branches"])
    assert len(members["documents"]) == total
    first = tmp_path / "m" / "01_春风村党支部_李春明.docx"
    text = docx_text(first)
    assert "共产党员公开承诺书" in text and "我是春风村党支部书记李春明" in text and "承诺人：李春明" in text
    rural = docgen.batch(EXAMPLE, template="commitment", each="branches", where='branch.category == "农村"',
                         formats=("docx",), out=tmp_path / "r", jobs=1)
    assert len(rural["documents"]) == sum(b["category"] == "农村" for b in BASE["branches"])
    assert "春风村党支部公开承诺书" in docx_text(tmp_path / "r" / "001_春风村党支部.docx")


def test_commitment_list_header_repeats_on_every_page(tmp_path):
    docx_path, pdf_path = docgen.render(EXAMPLE, template="commitment-list", out=tmp_path)
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            tables = page.extract_tables()
            assert tables and tables[0][0][:4] == ["序号", "姓名", "职务", "承诺事项"], tables[0][0] if tables else None
    tables = docx.Document(str(docx_path)).tables  # two where the DOCX breaks the 署名's page itself
    for table in tables:
        header = table.rows[0]._tr
        assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in table.rows[0].cells] == ["序号", "姓名", "职务", "承诺事项", "监督人"]  # one deadline
    assert sum(len(table.rows) - 1 for table in tables) == sum(len(b["members"]) for b in BASE["branches"])


def test_zip_names_are_utf8_and_merge_starts_each_document_on_an_odd_page(tmp_path):
    result = docgen.batch(EXAMPLE, template="commitment", each="branches", out=tmp_path, zip=True, merge=True, jobs=2)
    with zipfile.ZipFile(tmp_path / result["zip"]) as archive:
        infos = archive.infolist()
        assert {i.filename for i in infos} == {f["file"] for d in result["documents"] for f in d["files"]}
        assert all(i.flag_bits & 0x800 for i in infos)  # Explorer reads the names as UTF-8
        assert "001_春风村党支部.pdf" in archive.namelist()
    merged = PdfReader(tmp_path / result["merged"]["pdf"])
    counts = [f["pages"] for d in result["documents"] for f in d["files"] if f["format"] == "pdf"]
    assert len(merged.pages) == sum(n + n % 2 for n in counts)
    start = 0
    for n in counts:
        assert start % 2 == 0  # 0-based even = printed odd page
        assert "— 1 —" in merged.pages[start].extract_text().replace("\u2009", " ")
        start += n + n % 2
    merged_docx = docx.Document(str(tmp_path / result["merged"]["docx"]))
    sections = merged_docx.sections
    assert len(sections) == len(result["documents"])
    for section in sections[1:]:
        assert section.start_type == 4  # WD_SECTION.ODD_PAGE
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def interrupt_batch(command: list[str], out: Path, after: int, *, whole_group: bool = False) -> str:
    """Run a `docgen batch` command and press Ctrl-C once ``after`` PDFs are in ``out`` — to the whole
    process group, as a terminal does, with ``whole_group`` — then its stderr: exit 130, no traceback."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=whole_group)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < after:
        time.sleep(0.05)
    assert process.poll() is None, "the batch finished before it could be interrupted"
    if whole_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    return stderr


def test_sigint_mid_batch_leaves_only_whole_files_and_a_rerun_completes(tmp_path):
    many = [branch(f"第{i:03d}村党支部", f"书记{i}") for i in range(60)]
    data = campaign_with(tmp_path, many)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "batch", str(data), "--template", "notice", "--each", "branches",
               "-o", str(out), "-j", "2"]
    interrupt_batch(command, out, after=6)
    assert not list(out.glob(".*.part")) and not list(out.glob("*.part"))
    pdfs, docxs = list(out.glob("*.pdf")), list(out.glob("*.docx"))
    assert 0 < len(pdfs) < 60
    for pdf in pdfs:
        assert PdfReader(pdf).pages  # opens, so it is whole
    for file in docxs:
        assert zipfile.is_zipfile(file)
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert len(list(out.glob("*.pdf"))) == 60 and len(list(out.glob("*.docx"))) == 60
    assert "unchanged" in rerun.stdout and not rerun.stdout.startswith("0 written")


def test_progress_lines_when_not_a_terminal(tmp_path):
    result = docgen_cli("batch", str(EXAMPLE), "--template", "notice", "--each", "branches", "-o", str(tmp_path),
                        "--format", "docx", "-j", "1", env={**os.environ, "TERM": "dumb"}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "14/14 done" in result.stderr and "/s" in result.stderr
    assert result.stdout.startswith("14 written, 0 unchanged, 0 failed")


def test_a_killed_worker_fails_its_records_instead_of_hanging(tmp_path):
    many = [branch(f"第{i:03d}村党支部") for i in range(40)]
    data = campaign_with(tmp_path, many)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "batch", str(data), "--template", "notice", "--each", "branches",
               "-o", str(out), "-j", "2", "--format", "pdf"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (children and list(out.glob("*.pdf"))):
        time.sleep(0.1)
        children = [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children")
                    .read_text().split()] if Path(f"/proc/{process.pid}").exists() else []
    assert children, "the batch started its workers"
    os.kill(children[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)  # it must end on its own
    assert process.returncode == 1, stderr
    assert "worker process died" in stderr and "Traceback" not in stderr
    for pdf in out.glob("*.pdf"):
        assert PdfReader(pdf).pages
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0 and len(list(out.glob("*.pdf"))) == 40


def test_batch_runs_the_same_proof_reading_as_render(tmp_path):
    """The one pipeline: a batch record gets the warnings `docgen render` prints, kept in the manifest."""
    kind = tmp_path / "tpl" / "slip"
    kind.mkdir(parents=True)
    (kind / "main.md.j2").write_text(
        '{% extends "document/frame.md.j2" %}\n{% block title %}"{{ branch.name }}"{% endblock %}\n'
        "{% block body %}\n请于2010年06月01日前报送,谢谢。\n{% endblock %}\n",
        encoding="utf-8",
    )
    result = docgen.batch(EXAMPLE, template="slip", each="branches", where='branch.name == "春风村党支部"',
                          templates=[tmp_path / "tpl"], formats=("docx",), out=tmp_path / "out", jobs=1)
    (document,) = result["documents"]
    assert any("half-width ','" in w for w in document["warnings"])
    assert any("zero padding" in w for w in document["warnings"])
    written = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert written["documents"][0]["warnings"] == document["warnings"]
