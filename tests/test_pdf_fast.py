"""The faster PDF path: deflate level, shared font files, the subset cache and the batch layout.

Every batch part must be the document ``pipeline.run`` makes alone: the same text at the same
positions on the same pages (pdfplumber), and in fact the same bytes. At zlib level 9 the output is
byte for byte what docgen made before these changes (the golden record), so the patches change
nothing but speed.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

import docgen
from docgen import templating
from docgen.batching.chunks import chunk_size
from docgen.batching.records import select
from docgen.batching.worker import record_names
from docgen.pipeline import Options, load_campaign, run
from docgen.standard import DEFAULT_PROFILE
from docgen.writers import writer
from docgen.writers.pdf import internals as pdf_internals
from docgen.writers.pdf.batch import BatchLayout, shares_layout
from docgen.writers.pdf.writer import Deflate

from .conftest import EXAMPLE
from .golden.record import EPOCH, RECORD

RECORDED = json.loads(RECORD.read_text(encoding="utf-8"))

# An issued 公文 per branch whose body grows with the record's index: page counts odd and even, the 版记
# under the body, alone on the next page, and after a blank page (an even last page with no room), the
# seal, the red header.
IMPRINTED = """{% extends "document/frame.md.j2" %}
{% block document_key %}opinion{% endblock %}
{% block title %}{{ ("关于" ~ branch.name ~ "深入开展创先争优活动的意见") | tojson }}{% endblock %}
{% block body %}
{% for i in range(index * 5 + 1) %}
{{ branch.name }}第{{ i + 1 }}项：为深入开展{{ campaign.name }}，各支部要围绕中心、服务大局，立足实际、务求实效，\
把活动同完成本支部的各项任务结合起来，切实做到两不误、两促进。

{% endfor %}
{% endblock %}
"""


def pdf_writer():
    """The process's warm PDF writer, the one ``pipeline.run`` uses."""
    return writer("pdf", DEFAULT_PROFILE, None)


# A notice without a 版记 whose length grows with the index: 1, 2, 3… pages, so in a shared pass the
# documents start on left and right pages alike and their page numbers must follow their own pages.
GROWING = """{% extends "notice/main.md.j2" %}
{% block body %}
{% for i in range(index * 9 - 8) %}
{{ branch.name }}第{{ i + 1 }}条：各支部要把活动同完成本支部的各项任务结合起来，切实做到两不误、两促进，务求实效。

{% endfor %}
{% endblock %}
"""


def page_chars(data: bytes) -> list:
    """Per page: its size, and each character with its position, size and font (pdfplumber)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            (round(float(page.width), 2), round(float(page.height), 2),
             [(c["text"], round(c["x0"], 2), round(c["top"], 2), round(c["size"], 2), c["fontname"])
              for c in page.chars])
            for page in pdf.pages
        ]


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def spy(monkeypatch):
    """How many documents went through a shared layout pass."""
    laid_out: list[int] = []
    original = BatchLayout.together

    def together(self, docs):
        laid_out.append(len(docs))
        return original(self, docs)

    monkeypatch.setattr(BatchLayout, "together", together)
    return laid_out


@pytest.fixture
def layouts(monkeypatch):
    """How many times each document the PDF writer wrote alone was laid out (``PdfWriter._laid_out`` calls
    that laid out, per ``render``/``render_if_laid_out``)."""
    from docgen.writers.pdf.writer import PdfWriter

    counts: list[int] = []
    pending = [0]
    original_laid_out, original_ready, original_render = (PdfWriter._laid_out, PdfWriter.render_if_laid_out,
                                                          PdfWriter.render)

    def laid_out(self, doc, keep):
        pending[0] += self._html(doc) not in self._recent
        return original_laid_out(self, doc, keep)

    def ready(self, doc):
        made = original_ready(self, doc)
        if made is not None:
            counts.append(pending[0])
            pending[0] = 0
        return made

    def render(self, doc):
        made = original_render(self, doc)
        counts.append(pending[0])
        pending[0] = 0
        return made

    monkeypatch.setattr(PdfWriter, "_laid_out", laid_out)
    monkeypatch.setattr(PdfWriter, "render_if_laid_out", ready)
    monkeypatch.setattr(PdfWriter, "render", render)
    return counts


def singles(data, template: str, each: str, user_dirs=(), count: int | None = None) -> dict[int, bytes]:
    campaign = load_campaign(data)
    options = Options(user_dirs=tuple(map(str, user_dirs)))
    return {
        position: run(campaign, template, formats=("pdf",), record=record_names(record, position),
                      options=options).outputs["pdf"].data
        for position, record in enumerate(select(campaign.model, each)[:count], 1)
    }


def assert_parts_are_single_renders(result: dict, folder: Path, alone: dict[int, bytes]) -> None:
    for document in result["documents"]:
        (entry,) = [f for f in document["files"] if f["format"] == "pdf"]
        part = (folder / entry["file"]).read_bytes()
        single = alone[document["index"]]
        assert page_chars(part) == page_chars(single), document["name"]
        assert entry["pages"] == len(PdfReader(io.BytesIO(single)).pages)
        assert part == single, f"{document['name']}: same text and positions, but other bytes"


def test_batch_notices_are_the_single_renders(tmp_path, epoch, spy, layouts):
    result = docgen.batch(EXAMPLE, template="notice", each="branches", out=tmp_path, formats=("pdf",), jobs=1)
    # each notice is written from the layout that placed its signature: one layout a notice, no shared pass
    assert spy == [] and layouts == [1] * len(result["documents"])
    assert_parts_are_single_renders(result, tmp_path, singles(EXAMPLE, templating.template_name("notice"), "branches"))
    for document in result["documents"]:
        reader = PdfReader(tmp_path / document["files"][0]["file"])
        assert reader.metadata.title == "关于召开全乡创先争优活动动员大会的通知"
        assert reader.metadata["/ModDate"] == "D:20100615000000Z"  # SOURCE_DATE_EPOCH
        assert reader.metadata["/CreationDate"] == "D:20100618000000Z"  # the document's own date (the meeting)
        assert reader.pages[0].extract_text().replace("\u2009", " ").rstrip().endswith("— 1 —")


def test_batch_commitments_per_branch_are_the_single_renders(tmp_path, epoch, spy, layouts):
    result = docgen.batch(EXAMPLE, template="commitment", each="branches", out=tmp_path, formats=("pdf",), jobs=1)
    assert spy == [] and layouts == [1] * len(result["documents"])  # signed, no 版记: written from its layout
    alone = singles(EXAMPLE, templating.template_name("commitment"), "branches")
    assert_parts_are_single_renders(result, tmp_path, alone)
    titles = {PdfReader(tmp_path / d["files"][0]["file"]).metadata.title for d in result["documents"]}
    assert len(titles) == len(result["documents"])  # each its own branch's title, none the chunk's first


def test_multi_page_parts_keep_their_sides_numbers_blank_pages_and_imprint(tmp_path, epoch, spy):
    templates = tmp_path / "tpl"
    (templates / "imprinted").mkdir(parents=True)
    (templates / "imprinted" / "main.md.j2").write_text(IMPRINTED, encoding="utf-8")
    out = tmp_path / "out"
    names = [record.item.name for record in select(load_campaign(EXAMPLE).model, "branches")][:6]
    where = "branch.name in " + json.dumps(names, ensure_ascii=False)
    result = docgen.batch(EXAMPLE, template="imprinted", each="branches", where=where, templates=[templates],
                          out=out, formats=("pdf",), jobs=1)
    assert sum(spy) == 6  # a 版记 is placed after its layout: each document is laid out again, together
    alone = singles(EXAMPLE, "imprinted/main.md.j2", "branches", user_dirs=[templates], count=6)
    assert_parts_are_single_renders(result, out, alone)
    pages = [d["files"][0]["pages"] for d in result["documents"]]
    assert len(set(pages)) >= 3 and all(n % 2 == 0 for n in pages)  # the 版记 always on an even page
    blank_inside = 0
    for document in result["documents"]:
        with pdfplumber.open(out / document["files"][0]["file"]) as pdf:
            texts = [page.extract_text() or "" for page in pdf.pages]
        after_blank = len(texts) >= 2 and not texts[-2].strip()
        assert "印发" in texts[-1]  # 版记: on the last page, numbered unless a blank page precedes it (GB/T 9704)
        for number, text in enumerate(texts, 1):
            if not text.strip():
                continue  # a blank page carries nothing
            if number == len(texts) and after_blank:
                assert "—" not in text
                continue
            assert text.replace("\u2009", " ").rstrip().endswith(f"— {number} —"), (number, text[-20:])
        blank_inside += sum(not t.strip() for t in texts)
    assert blank_inside >= 1  # some document needed a blank page before its 版记


def test_documents_starting_on_either_side_keep_their_own_page_numbers(tmp_path, epoch, spy):
    """In a shared pass, documents of 1, 2, 3… pages start on left and right pages alike; each keeps its own
    page numbers. (A batch of these writes each from the layout that placed its signature; the shared
    pass is for documents the transforms did not lay out as written: one with a 版记, one unsigned.)"""
    templates = tmp_path / "tpl"
    (templates / "growing").mkdir(parents=True)
    (templates / "growing" / "main.md.j2").write_text(GROWING, encoding="utf-8")
    campaign = load_campaign(EXAMPLE)
    options = Options(user_dirs=(str(templates),))
    records = select(campaign.model, "branches")[:5]
    docs = [run(campaign, "growing/main.md.j2", record=record_names(r, i), options=options).document
            for i, r in enumerate(records, 1)]
    pdf = pdf_writer()
    made = pdf.render_many(docs)
    assert spy == [5]
    pages = [part.pages for part in made]
    assert pages[0] == 1 and any(n % 2 for n in pages[1:]) and any(n % 2 == 0 for n in pages)
    for doc, part in zip(docs, made, strict=True):
        assert part.data == pdf.render(doc).data, doc.meta.title
        with pdfplumber.open(io.BytesIO(part.data)) as reader:
            for number, page in enumerate(reader.pages, 1):
                mark = [c for c in page.chars if c["top"] > page.height - 30 * 72 / 25.4]
                centre = sum(c["x0"] for c in mark) / len(mark)
                assert (centre > page.width / 2) == (number % 2 == 1)  # odd pages right, even pages left
                assert "".join(c["text"] for c in mark).replace("\u2009", " ").strip() == f"— {number} —"


def test_a_chunk_of_mixed_forms_splits_into_the_single_renders(epoch, spy):
    campaign = load_campaign(EXAMPLE)
    records = select(campaign.model, "branches")
    docs = [run(campaign, templating.template_name(template), record=record_names(records[i], i + 1)).document
            for i, template in enumerate(["notice", "opinion", "commitment", "forward", "notice"])]
    pdf = pdf_writer()
    made = pdf.render_many(docs)
    assert spy == [5]
    for doc, part in zip(docs, made, strict=True):
        alone = pdf.render(doc)
        assert part.pages == alone.pages and part.data == alone.data, doc.meta.title


def test_a_failing_record_fails_alone_in_its_chunk(tmp_path, epoch, spy):
    templates = tmp_path / "tpl"
    (templates / "strict").mkdir(parents=True)
    (templates / "strict" / "main.md.j2").write_text(
        '{% extends "notice/main.md.j2" %}\n{% block addressee %}'
        '{{ (branch.no_such_field if index == 2 else branch.name ~ "：") | tojson }}'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = docgen.batch(EXAMPLE, template="strict", each="branches", templates=[templates], out=out,
                          formats=("pdf",), jobs=1, warn=lambda message: None)
    statuses = [d["status"] for d in result["documents"]]
    assert statuses[1] == "failed" and "no_such_field" in result["documents"][1]["error"]
    assert statuses.count("written") == len(statuses) - 1
    assert spy == []  # the good ones are written from their own layouts (a notice's signature is placed)
    good = [d for d in result["documents"] if d["status"] == "written"]
    campaign = load_campaign(EXAMPLE)
    options = Options(user_dirs=(str(templates),))
    records = select(campaign.model, "branches")
    for document in good[:3]:
        single = run(campaign, "strict/main.md.j2", formats=("pdf",), options=options,
                     record=record_names(records[document["index"] - 1], document["index"])).outputs["pdf"]
        assert (out / document["files"][0]["file"]).read_bytes() == single.data
        assert document["files"][0]["pages"] == single.pages == 1
    stored = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d["status"] for d in stored["documents"]].count("failed") == 1


def _notice_models(count: int, options: Options | None = None):
    options = options or Options()
    campaign = load_campaign(EXAMPLE)
    records = select(campaign.model, "branches")[:count]
    template = templating.template_name("notice")
    return [run(campaign, template, record=record_names(r, i), options=options).document
            for i, r in enumerate(records, 1)]


def test_a_failing_shared_pass_falls_back_to_one_document_at_a_time(monkeypatch, epoch):
    docs = _notice_models(3)
    pdf = pdf_writer()
    expected = [pdf.render(doc).data for doc in docs]

    def broken(self, docs):
        raise RuntimeError("a WeasyPrint failure in the shared pass")

    monkeypatch.setattr(BatchLayout, "layout", broken)
    assert [r.data for r in pdf.render_many(docs)] == expected


def test_watermarked_documents_are_laid_out_alone(epoch, spy):
    drafts = _notice_models(2, Options(draft="草稿"))
    plain = _notice_models(2)
    assert not any(shares_layout(d) for d in drafts) and all(shares_layout(d) for d in plain)
    pdf = pdf_writer()
    docs = [drafts[0], plain[0], drafts[1], plain[1]]
    made = pdf.render_many(docs)
    assert spy == [2]
    assert [r.data for r in made] == [pdf.render(d).data for d in docs]


def test_at_level_9_the_bytes_are_the_golden_record(tmp_path, epoch, monkeypatch):
    """The patched internals and the finisher change nothing but the zlib level."""
    pdf = pdf_writer()
    monkeypatch.setattr(pdf, "finisher", Deflate(9))
    (single,) = docgen.render(EXAMPLE, template="opinion", formats=("pdf",), out=tmp_path / "o", name="opinion")
    assert_sha(single, "opinion.pdf")
    result = docgen.batch(EXAMPLE, each="branches", where='branch.name in ["春风村党支部", "瓦店村党支部"]',
                          template="notice", formats=("pdf",), out=tmp_path / "n", name="{index:02d}", jobs=1)
    for document in result["documents"]:
        assert_sha(tmp_path / "n" / document["files"][0]["file"], f"notice/{document['files'][0]['file']}")


def assert_sha(path: Path, label: str) -> None:
    import hashlib

    assert hashlib.sha256(path.read_bytes()).hexdigest() == RECORDED[label]["sha256"], label


def test_the_weasyprint_internals_are_the_checked_ones():
    """Fails when a WeasyPrint upgrade changes what pdf_internals patches: re-check it, then the version."""
    pdf_writer()
    assert pdf_internals.problems() == []
    assert pdf_internals.installed(), pdf_internals.reason()


def test_cached_subsets_never_carry_another_documents_glyphs(epoch, monkeypatch):
    first, second = _notice_models(2)
    pdf = pdf_writer()
    pdf_internals.clear()
    alone = pdf.render(second).data  # made with an empty cache
    pdf.render(first)
    hits = pdf_internals.stats["subset_hits"]
    assert pdf.render(second).data == alone  # after another document, and from the cache
    assert pdf_internals.stats["subset_hits"] > hits
    text = "".join("".join(c[0] for c in page[2]) for page in page_chars(alone))
    assert "瓦店村党支部" in text or "春风村党支部" in text


def test_one_subsetter_pass_makes_weasyprints_two_pass_bytes(tmp_path, epoch, monkeypatch):
    """Every font of the notices, the opinion and the speech (Fang, Song, Hei, Kai, and Noto for a rare
    character in a name): the same PDF bytes with one pass as with WeasyPrint's two."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    campaign = data / "campaign.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("瓦店村党支部", "䶮店村党支部"), encoding="utf-8")

    def made() -> list[bytes]:
        pdf_internals.clear()
        out = []
        for label, kwargs in (("opinion", {"template": "opinion"}), ("speech", {"speech": "cxzy-mobilization"})):
            (path,) = docgen.render(data, formats=("pdf",), out=tmp_path / label, name=label, **kwargs)
            out.append(path.read_bytes())
        result = docgen.batch(data, each="branches", template="notice", formats=("pdf",), out=tmp_path / "n",
                              name="{index:02d}", jobs=1, force=True)
        out += [(tmp_path / "n" / d["files"][0]["file"]).read_bytes() for d in result["documents"][:4]]
        return out

    before = pdf_internals.stats["one_pass"]
    with monkeypatch.context() as patch:
        patch.setattr(pdf_internals, "one_pass_subset", lambda *args: None)
        two_passes = made()
    assert pdf_internals.stats["one_pass"] == before
    one_pass = made()
    assert pdf_internals.stats["one_pass"] - before >= 4  # checked once per font file, then one pass
    assert one_pass == two_passes
    assert "䶮" in "".join(c[0] for page in page_chars(one_pass[3]) for c in page[2])


def test_the_subset_cache_stays_within_its_bound(monkeypatch, epoch):
    monkeypatch.setattr(pdf_internals, "SUBSET_CACHE_BYTES", 300_000)
    pdf_internals.clear()
    pdf = pdf_writer()
    for doc in _notice_models(6):
        pdf.render(doc)
        assert pdf_internals.cache_bytes() <= 300_000
    pdf_internals.clear()


def test_one_copy_of_each_font_file_per_process(epoch):
    pdf = pdf_writer()
    for doc in _notice_models(2):
        pdf.render(doc)
    copies = pdf_internals.stats["file_copies"]
    for doc in _notice_models(3):
        pdf.render(doc)
    assert pdf_internals.stats["file_copies"] == copies


def test_chunk_sizes():
    assert chunk_size(1000, 1, ("pdf",)) == 10
    assert chunk_size(1000, 2, ("docx", "pdf")) == 10
    assert chunk_size(14, 2, ("pdf",)) == 1  # small runs: every worker gets work
    assert chunk_size(3, 1, ("pdf",)) == 3
    assert chunk_size(1000, 1, ("docx",)) == 24  # one sync per chunk of files (output.make_durable)
    assert chunk_size(1000, 2, ("docx",)) == 24


def test_the_checked_sources_read_as_inspect_reads_them():
    import inspect

    from weasyprint.pdf.fonts import Font
    from weasyprint.text.fonts import FontConfiguration

    from docgen.writers.pdf.internals import source_of

    for function in (Font.__init__, Font._harfbuzz_subset, Font.subset, Font.clean, FontConfiguration.add_font_face,
                     source_of):
        assert source_of(function) == inspect.getsource(function)
