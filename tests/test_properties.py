"""Property tests: any string as a branch name or a paragraph renders or fails cleanly, and what is
read back from the DOCX and the PDF holds it unchanged (after the declared normalization)."""

import io
import re

import docx
import pdfplumber
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docgen.errors import DocgenError
from docgen.linebreak.unbreakable import plain
from docgen.pipeline import Options, load_campaign, run
from docgen.writers import writer

from . import fastyaml
from .conftest import EXAMPLE

BASE = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
BASE.pop("documents", None)
LISTING = """{% extends "speech/frame.md.j2" %}
{% block body %}
{{ branches[0].name }}

{{ branches[0].secretary }}
{% endblock %}
"""
# Every code point YAML may carry, with none of the surrogates.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
# What the PDF's fonts cover and text extraction gives back one to one: CJK, ASCII, CJK punctuation.
PRINTABLE = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.characters(min_codepoint=0x21, max_codepoint=0x7E),
        st.sampled_from("，。、；：？！“”（）《》—…·"),
    ),
    min_size=1, max_size=30,
)


def normalized(text: str) -> str:
    """The declared normalization: a value's line breaks and tabs become spaces; ends are trimmed."""
    return re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]+", " ", text).strip()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("props")
    (folder / "tpl" / "speeches").mkdir(parents=True)
    (folder / "tpl" / "speeches" / "listing.md.j2").write_text(LISTING, encoding="utf-8")
    return folder


def build(workspace, name: str, secretary: str = "某某"):
    values = {**BASE, "branches": [{**BASE["branches"][0], "name": name, "secretary": secretary, "members": []}]}
    path = workspace / "campaign.yaml"
    path.write_text(fastyaml.dump(values, allow_unicode=True), encoding="utf-8")
    options = Options(user_dirs=(str(workspace / "tpl"),))
    return run(load_campaign(path), "speeches/listing.md.j2", options=options).document


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=ANY_TEXT)
@example(name="第一党支部书记")  # a post: its characters word-joined in the DOCX (CI found 书记)
def test_any_name_renders_to_docx_or_fails_cleanly(workspace, name):
    try:
        document = build(workspace, name)
    except DocgenError as exc:  # refused with a message: control characters, blank names…
        assert str(exc)
        return
    payload = writer("docx").render(document).data
    paragraphs = [p.text for p in docx.Document(io.BytesIO(payload)).paragraphs]
    body = paragraphs[paragraphs.index("同志们：") + 1]
    # docgen joins a unit's characters (a post such as 书记, a date) with word joiners in the DOCX (issue 24)
    assert plain(body) == plain(normalized(name))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=PRINTABLE, paragraph=PRINTABLE)
def test_printable_text_survives_the_pdf(workspace, name, paragraph):
    try:
        document = build(workspace, name, paragraph)
    except DocgenError as exc:
        assert str(exc)
        return
    payload = writer("pdf").render(document).data
    with pdfplumber.open(io.BytesIO(payload)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    flat = "".join(text.split())
    assert "".join(normalized(name).split()) in flat
    assert "".join(normalized(paragraph).split()) in flat
