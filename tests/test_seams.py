"""The three seams take a new piece by one module's worth of code and one registry line each.

The recipes of docs/architecture.md, done at run time: a data source (JSON), an output format
(plain text) and a document kind (备忘录), each registered with one line, then used through the
same pipeline the CLI runs, and the produced file opened.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import docgen
from docgen import kinds, sources
from docgen.errors import DocgenError, SourceSpot
from docgen.kinds.base import FrameContext, Kind
from docgen.markup import ReadText
from docgen.model import NODE_TYPES, Document, Meta, Signature, Title, blocks_text
from docgen.writers import WRITERS, WriterSpec
from docgen.writers.base import Rendered, RuleTable

from .conftest import EXAMPLE


def load_json(path: Path) -> sources.LoadedData:
    """A data source: values, and a spot for each top-level key (JSON keeps no lines worth the name)."""
    values = json.loads(path.read_text(encoding="utf-8"))
    spots = {(key,): SourceSpot(str(path), None, sheet="json", cell=key) for key in values}
    return sources.LoadedData(values=values, file=str(path), spots=spots)


@dataclass
class TextWriter(RuleTable):
    """An output format: one rule per node type, each a line of plain text."""

    extension = "txt"

    def rules(self):
        def lines(node):
            if isinstance(node, Title):
                return node.text
            return "\n".join(blocks_text([node])) if hasattr(node, "text") or isinstance(node, Signature) else ""

        return {kind: lines for kind in NODE_TYPES}

    def render(self, doc: Document) -> Rendered:
        text = "\n".join(line for line in self.render_nodes(doc.nodes) if line)
        return Rendered(text.encode("utf-8"), pages=None)


def build_memo(text: ReadText, context: FrameContext) -> Document:
    """A document kind: a title and the body, signed by the organization (no 版头, no seal)."""
    org = context.campaign.organization.name
    title = str(text.front.get("title") or "备忘录")
    nodes = [Title(title, [title]), *text.blocks, Signature([org], "")]
    return Document(Meta(kind="memo", title=title), nodes)


@pytest.fixture
def seams(monkeypatch, tmp_path):
    monkeypatch.setitem(sources.READERS, ".json", load_json)
    monkeypatch.setitem(WRITERS, "txt", WriterSpec("txt", "txt", lambda style, fonts: TextWriter(), False))
    monkeypatch.setitem(kinds.KINDS, "memo", Kind("memo", "备忘录", build_memo))
    folder = tmp_path / "tpl" / "memo"
    folder.mkdir(parents=True)
    (folder / "main.md.j2").write_text(
        '---\nkind: memo\ntitle: "{{ meeting.name }}备忘"\n---\n# 事项\n\n{{ organization.short_name }}负责筹备。\n',
        encoding="utf-8",
    )
    values = yaml.safe_load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    values.pop("documents")
    data = tmp_path / "campaign.json"
    data.write_text(json.dumps(values, ensure_ascii=False, default=str), encoding="utf-8")
    return data, tmp_path / "tpl"


def test_a_new_source_format_and_kind_render_through_the_one_pipeline(seams, tmp_path):
    data, templates = seams
    (path,) = docgen.render(data, template="memo", formats=("txt",), templates=[templates], out=tmp_path / "out")
    assert path.suffix == ".txt"
    assert path.read_text(encoding="utf-8").splitlines() == [
        "全乡创先争优活动动员大会备忘", "一、事项", "瓦店乡党委负责筹备。", "中共瓦店乡委员会",
    ]


def test_a_new_source_keeps_its_own_spots_in_errors(seams):
    data, _ = seams
    values = json.loads(data.read_text(encoding="utf-8"))
    values["branches"] = []
    data.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DocgenError) as error:
        docgen.render(data, template="opinion", formats=("txt",), out=data.parent / "out")
    assert str(error.value).startswith(f"{data}!json!branches: ")


def test_an_unregistered_suffix_names_what_docgen_reads(tmp_path):
    path = tmp_path / "campaign.toml"
    path.write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(DocgenError, match=r"cannot read \.toml files; it reads \.yaml, \.yml"):
        sources.load(path)
