"""The four seams take a new piece by one module's worth of code and one registry line each.

The recipes of docs/architecture.md, done at run time: a data source (JSON), an output format
(plain text), a document kind (备忘录) and a template engine (plain-text templates, ``.txt.j2``), each
registered with one line, then used through the same pipeline and batch the CLI runs, and the produced
files opened.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

import docgen
from docgen import engines, kinds, sources, templating
from docgen.engines import Engine, Result
from docgen.errors import DocgenError, SourceSpot
from docgen.i18n import _
from docgen.kinds.base import FrameContext, Kind
from docgen.markup import ReadText
from docgen.model import NODE_TYPES, Document, Meta, Signature, Title, blocks_text
from docgen.writers import WRITERS, WriterSpec
from docgen.writers.base import Rendered, RuleTable

from . import fastyaml
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


class PlainTextEngine(Engine):
    """A template engine: a ``.txt.j2`` file rendered with docgen's sandboxed Jinja environment into plain text.
    Its first line may say ``{# docgen-each: branches #}``; it makes the ``txt`` format only."""

    name = "plain-text"

    def takes(self, template: str) -> bool:
        return template.endswith(".txt.j2")

    def locate(self, name: str, user_dirs: tuple[str, ...]) -> str | None:
        return name if self.takes(name) and Path(name).is_file() else None

    def markers(self, template: str, user_dirs: tuple[str, ...]) -> templating.Markers:
        first = Path(template).read_text(encoding="utf-8").splitlines()[0]
        each = first.removeprefix("{# docgen-each:").removesuffix("#}").strip() if "docgen-each" in first else ""
        return templating.Markers(each=each)

    def run(self, campaign, template, record, formats, options) -> Result:
        source = Path(template).read_text(encoding="utf-8")
        names = {**campaign.context(), **(record or {})}
        text = templating.environment(options.user_dirs).from_string(source).render(names)
        if set(formats) - {"txt"}:
            raise DocgenError(_("a plain-text template makes txt only"), template)
        title = text.splitlines()[0]
        return Result(None, {"txt": Rendered(text.encode("utf-8"), None)} if formats else {}, [], title=title)


@pytest.fixture
def engine(monkeypatch, tmp_path):
    monkeypatch.setattr(engines, "ENGINES", [PlainTextEngine(), *engines.ENGINES])  # the registry line
    monkeypatch.setitem(WRITERS, "txt", WriterSpec("txt", "txt", lambda style, fonts: TextWriter(), False))
    once = tmp_path / "会议提醒.txt.j2"
    once.write_text("{{ meeting.name }}提醒\n{{ organization.short_name }}各支部：请准时参会。\n", encoding="utf-8")
    each = tmp_path / "支部提醒.txt.j2"
    each.write_text("{# docgen-each: branches #}{{ branch.name }}：\n请于{{ meeting.date | date_zh }}参加"
                    "{{ meeting.name }}。\n", encoding="utf-8")
    return once, each


def test_a_new_template_engine_renders_and_batches_through_the_one_pipeline(engine, tmp_path):
    once, each = engine
    (path,) = docgen.render(EXAMPLE, template=str(once), formats=("txt",), out=tmp_path / "one")
    assert path.name == "全乡创先争优活动动员大会提醒.txt"
    assert path.read_text(encoding="utf-8").splitlines() == ["全乡创先争优活动动员大会提醒",
                                                             "瓦店乡党委各支部：请准时参会。"]

    result = docgen.batch(EXAMPLE, template=str(each), each="branches", formats=("txt",), out=tmp_path / "many",
                          jobs=1)
    written = sorted((tmp_path / "many").glob("*.txt"))
    branches = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))["branches"]
    assert len(written) == len(branches) == sum(d["status"] == "written" for d in result["documents"])
    first = written[0].read_text(encoding="utf-8").splitlines()
    assert first == [f"{branches[0]['name']}：", "请于二〇一〇年六月十八日参加全乡创先争优活动动员大会。"]


def test_a_new_engine_is_asked_before_the_markdown_engine_and_refuses_its_own_way(engine, tmp_path):
    once, _each = engine
    assert engines.engine_for(str(once)).name == "plain-text"
    assert engines.engine_for("templates/notice/main.md.j2").name == "markdown"
    with pytest.raises(DocgenError, match="makes txt only"):
        docgen.render(EXAMPLE, template=str(once), formats=("docx",), out=tmp_path / "out")


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
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
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
