"""The speech reproduces the seed, paragraph for paragraph, and every campaign fact comes from data."""

import re

import docx

from docgen.api import render
from docgen.pipeline import load_campaign, run
from docgen.templating import speech_name

from . import facts
from .conftest import EXAMPLE, ROOT, SPEECH
from .measure import plain
from .seed import normalized_seed_paragraphs

QIAOTOU = ROOT / "tests" / "data" / "qiaotou"


def docx_paragraphs(path):
    return [plain(p.text) for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def body_of(paragraphs):
    """From the salutation to the closing: the part the seed holds (a wrapped heading's line break, which
    docgen places between words, is no paragraph of the seed's)."""
    start = paragraphs.index("同志们：")
    return [paragraph.replace("\n", "") for paragraph in paragraphs[start:]]


def test_model_equals_the_normalized_seed():
    doc = run(load_campaign(EXAMPLE), speech_name(SPEECH)).document
    assert doc.paragraphs_text() == normalized_seed_paragraphs()


def test_docx_text_equals_the_normalized_seed(speech_files):
    paragraphs = docx_paragraphs(speech_files["docx"])
    assert paragraphs[:3] == ["在全乡创先争优活动动员大会上的讲话", "乡党委书记　王建国", "（二〇一〇年六月十八日）"]
    assert body_of(paragraphs) == normalized_seed_paragraphs()


def test_pdf_text_equals_the_normalized_seed(speech_files):
    import pdfplumber

    with pdfplumber.open(speech_files["pdf"]) as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages)
    flat = re.sub(r"—\d+—", "", "".join(text.split()))  # page numbers sit between pages' text
    for paragraph in normalized_seed_paragraphs():
        assert paragraph in flat


def test_seed_noise_is_gone(speech_files):
    text = "\n".join(docx_paragraphs(speech_files["docx"]))
    for noise in ("新晨", "本站小编", "*", "(", ")", ",", ":"):
        assert noise not in text


def test_another_township_changes_exactly_its_facts(tmp_path):
    wadian = docx_paragraphs(render(EXAMPLE, speech=SPEECH, formats=("docx",), out=tmp_path / "w")[0])
    qiaotou = docx_paragraphs(render(QIAOTOU, speech=SPEECH, formats=("docx",), out=tmp_path / "q")[0])
    # The body: every paragraph is the example's with the facts swapped, and nothing else differs.
    assert body_of(qiaotou) == [facts.apply(p) for p in body_of(wadian)]
    assert qiaotou[0] == "在全镇创先争优活动动员大会上的讲话"
    assert qiaotou[2] == "（二〇一二年六月十八日）"
    joined, before = "\n".join(qiaotou), "\n".join(wadian)
    for old, new in facts.FACTS:
        if old in before:
            assert new in joined, f"{new} (for {old}) should appear in the second township's speech"
    assert "瓦店" not in joined and "全乡" not in joined
