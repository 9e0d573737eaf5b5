"""Data never changes a document's structure: markup in values prints as text in DOCX and PDF."""

import re

import docx
import pdfplumber
import pytest

from docgen.api import render

from . import fastyaml
from .conftest import EXAMPLE

HOSTILE = [
    "# 不是标题", "* 不是列表", "| 不 | 是 | 表 |", "{{ 7*7 }}", "{% if true %}x{% endif %}", "第一行\n第二行",
    "<script>alert(1)</script>", "<img src=file:///etc/passwd>", "&amp; &lt;", "1. 不是编号", "---",
    "**不加粗**", "[链接](http://example.com)", "\\反斜杠\\", "`代码`", "> 不是引用",
]
LISTING = """{% extends "speech/frame.md.j2" %}
{% block body %}
{% for b in branches %}
{{ b.name }}

{% endfor %}
{% endblock %}
"""


def expected(name: str) -> str:
    return re.sub(r"\s*\n\s*", " ", name)


def test_markup_in_data_prints_as_text(tmp_path):
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    values.pop("documents", None)
    values["branches"] = [
        {"name": name, "category": "农村", "secretary": "某某", "member_count": 3} for name in HOSTILE
    ]
    data = tmp_path / "campaign.yaml"
    data.write_text(fastyaml.dump(values, allow_unicode=True), encoding="utf-8")
    folder = tmp_path / "tpl" / "speeches"
    folder.mkdir(parents=True)
    (folder / "listing.md.j2").write_text(LISTING, encoding="utf-8")
    paths = render(data, speech="listing", templates=[tmp_path / "tpl"], out=tmp_path / "out")
    docx_path, pdf_path = paths

    paragraphs = [p for p in docx.Document(str(docx_path)).paragraphs]
    body = paragraphs[paragraphs.index(next(p for p in paragraphs if p.text == "同志们：")) + 1 : -1]
    assert [p.text for p in body] == [expected(n) for n in HOSTILE]  # one paragraph each, verbatim
    assert all(p.style.style_id == "Normal" for p in body)  # no heading, list or quote appeared
    assert not any(run.bold for p in body for run in p.runs)

    with pdfplumber.open(pdf_path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    squeezed = "".join(text.split())
    for name in HOSTILE:
        assert "".join(expected(name).split()) in squeezed
    assert "49" not in squeezed  # {{ 7*7 }} was never evaluated


def test_the_pdf_writer_fetches_nothing_but_its_fonts():
    from docgen.writers import writer

    pdf = writer("pdf")
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/a.css", "ftp://x/y"):
        with pytest.raises(ValueError):
            pdf._fetcher.fetch(url)
    font = next(f for f in pdf.fonts.values() if f.file)
    assert pdf._fetcher.fetch(font.file.as_uri()) is not None  # its own font files, and only those
