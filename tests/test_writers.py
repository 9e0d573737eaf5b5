"""Writers without templates: a Document built by hand, each node type written and read back.

Every node type of the model has a rule in every writer (a new node type fails here until each
writer learns it), an unknown node is an error, and each writer's output holds each node's text.
"""

import io
import re
from dataclasses import dataclass

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from docgen.model import (
    NODE_TYPES,
    Addressee,
    Attachment,
    AttachmentNote,
    Closing,
    Document,
    Heading,
    Imprint,
    LetterHead,
    ListBlock,
    Masthead,
    Meta,
    Note,
    OrderSignature,
    Paragraph,
    Salutation,
    Signature,
    Span,
    Speaker,
    SpeechDate,
    Table,
    Title,
    Watermark,
)
from docgen.standard import GBT9704
from docgen.writers import WRITERS, writer
from docgen.writers.base import UnknownNode
from docgen.writers.docx import DocxWriter
from docgen.writers.html import HtmlWriter

from .conftest import EXAMPLE
from .measure import plain


def every_node() -> Document:
    """One of each node type, in the order a 公文 holds them."""
    nodes = [
        Watermark("征求意见稿"),
        Masthead(organs=["中共测试县委员会"], suffix="文件", number="测委发〔2024〕3号", copy_number="000007",
                 secrecy="秘密★1年", urgency="特急"),
        Title("关于手工搭建文档的通知", ["关于手工搭建文档的通知"], under_masthead=True),
        Speaker("书记　张三"),
        SpeechDate("（二〇二四年三月一日）"),
        Addressee("各党支部："),
        Salutation("同志们："),
        Heading(1, [Span("总体要求")], number="一、"),
        Paragraph([Span("这是正文第一段，"), Span("加粗", bold=True), Span("。")],
                  lead=Heading(2, [Span("提高认识。")], number="（一）")),
        ListBlock(ordered=True, items=[[Span("甲项")], [Span("乙项")]]),
        Table(header=[[Span("姓名")], [Span("职务")]], rows=[[[Span("李四")], [Span("支部书记")]]]),
        Closing("谢谢大家！"),
        AttachmentNote(["名单一", "名单二"]),
        Signature(["中共测试县委员会"], "2024年3月1日", seal=str(EXAMPLE / "seal.png")),
        Note("（此件公开发布）"),
        Attachment("附件1", "名单一", [Paragraph([Span("附件正文。")])]),
        Imprint(cc=["县委组织部"], printer="中共测试县委员会办公室", print_date="2024年3月2日"),
    ]
    return Document(Meta(kind="document", title="关于手工搭建文档的通知", status="征求意见稿"), nodes)


EXPECTED_TEXTS = ["征求意见稿", "000007", "中共测试县委员会文件", "测委发〔2024〕3号", "关于手工搭建文档的通知",
                  "书记　张三", "各党支部：", "同志们：", "一、总体要求", "（一）提高认识。这是正文第一段，加粗。",
                  "1.甲项", "2.乙项", "李四", "支部书记", "谢谢大家！", "附件：1.名单一", "2.名单二",
                  "2024年3月1日", "（此件公开发布）", "附件1", "附件正文。", "抄送：县委组织部。", "2024年3月2日印发"]


def special_forms() -> list[Document]:
    """The special formats' nodes: a 信函 (LetterHead, first page unnumbered) and a 命令 (the order's
    Masthead form, OrderSignature)."""
    letter = Document(Meta(kind="letter", title="关于商洽的函", first_page_numbered=False), [
        LetterHead("中共测试县委员会", number="测委函〔2024〕5号", copy_number="000009", secrecy="秘密★1年"),
        Title("关于商洽的函", ["关于商洽的函"], under_masthead=True),
        Addressee("县委党校："),
        Paragraph([Span("商洽函的正文。")]),
        Signature(["中共测试县委员会"], "2024年3月1日"),
    ])
    order = Document(Meta(kind="order", title="中共测试县委员会令"), [
        Masthead(organs=["中共测试县委员会"], suffix="令", number="第2号", form="order"),
        Paragraph([Span("命令的正文。")]),
        OrderSignature("县委书记", "张三", "2024年3月2日"),
    ])
    return [letter, order]


SPECIAL_TEXTS = [["中共测试县委员会", "000009", "测委函〔2024〕5号", "秘密★1年", "关于商洽的函", "县委党校：",
                  "商洽函的正文。", "2024年3月1日"],
                 ["中共测试县委员会令", "第2号", "命令的正文。", "县委书记", "张三", "2024年3月2日"]]


def test_every_writer_writes_the_special_forms():
    for doc, expected in zip(special_forms(), SPECIAL_TEXTS, strict=True):
        with pdfplumber.open(io.BytesIO(writer("pdf").render(doc).data)) as pdf:
            page = pdf.pages[0]
            flat = "".join(c["text"] for c in sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"])))
            assert ("— 1 —" in page.extract_text()) == doc.meta.first_page_numbered
        position = 0
        for text in expected:
            found = flat.find(text, position)
            assert found >= 0, f"{text!r} missing or out of order in {flat}"
            position = found
        document = docx.Document(io.BytesIO(writer("docx").render(doc).data))
        xml = document.element.body.xml + document.sections[0].first_page_header._element.xml
        for text in expected:
            assert text in xml, text
        html = HtmlWriter(GBT9704).body_html(doc)
        assert all(text in html for text in expected)
    letter = docx.Document(io.BytesIO(writer("docx").render(special_forms()[0]).data)).sections[0]
    assert letter.different_first_page_header_footer  # the first page: its own (empty) footer


def test_every_node_type_has_a_rule_in_every_writer():
    for rules in (DocxWriter(GBT9704).rules(), HtmlWriter(GBT9704).rules()):
        assert set(rules) == set(NODE_TYPES)
    assert set(WRITERS) == {"docx", "pdf", "pdfa", "ofd"}
    # PDF and OFD both lay out the HtmlWriter's HTML: its rules are theirs (the OFD walks the laid-out boxes,
    # and what it cannot paint raises; tests/test_ofd.py).
    assert isinstance(writer("ofd").pdf.html, HtmlWriter)


def test_an_unknown_node_is_an_error_not_silence():
    @dataclass
    class Marginalia:
        text: str

    doc = Document(Meta(), [Paragraph([Span("正文")]), Marginalia("旁注")])
    for fmt in ("docx", "pdf", "ofd"):
        with pytest.raises(UnknownNode, match="Marginalia"):
            writer(fmt).render(doc)


def test_docx_writes_every_node():
    rendered = writer("docx").render(every_node())
    assert rendered.pages is None  # Word decides pages; the DOCX writer does not pretend to know
    document = docx.Document(io.BytesIO(rendered.data))
    texts = [p.text for p in document.paragraphs if p.text]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for box in document.element.body.iter(qn("w:txbxContent")):  # the 版记, in its text box
        texts += [docx.text.paragraph.Paragraph(paragraph, None).text for paragraph in box.iter(qn("w:p"))]
    header = document.sections[0].header._element.xml
    written = plain(" ".join(texts) + header)
    for expected in EXPECTED_TEXTS:
        assert expected.replace("\t", "") in written.replace("\t", ""), expected
    styles = [p._p.style for p in document.paragraphs if p.text]
    assert styles[:5] == ["MastheadMeta"] * 3 + ["Masthead", "DocNumber"]
    for style in ("DocTitle", "Speaker", "SpeechDate", "Addressee", "Salutation", "Heading1", "Closing", "Signature",
                  "AttachmentLabel"):
        assert style in styles, style
    assert document.element.body.find(".//" + qn("wp:anchor")) is not None  # the seal, floating


def test_pdf_writes_every_node_in_order():
    rendered = writer("pdf").render(every_node())
    with pdfplumber.open(io.BytesIO(rendered.data)) as pdf:
        assert rendered.pages == len(pdf.pages)
        assert any(page.images for page in pdf.pages), "the seal"
        watermark = GBT9704.watermark_size_pt
        for page in pdf.pages:  # the watermark, on every page
            assert "".join(c["text"] for c in page.chars if c["size"] >= watermark - 1) == "征求意见稿"
        text = "".join(
            c["text"] for page in pdf.pages
            for c in sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"])) if c["size"] < watermark - 1
        )
    position = 0
    for expected in EXPECTED_TEXTS[1:]:
        found = text.find(expected, position)
        assert found >= 0, f"{expected!r} missing or out of order in {text}"
        position = found


def test_html_holds_every_node():
    html = HtmlWriter(GBT9704).body_html(every_node())
    html = plain(re.sub(r"<[^>]+>", "", html)).replace("\u2004", " ")  # the text: no spans, joiners, fixed spaces
    for expected in EXPECTED_TEXTS:
        if expected.startswith("2."):
            expected = "2.名单二"
        assert expected.split("。")[0][:4] in html, expected


def test_docx_package_is_the_bytes_python_docx_and_zipfile_write(monkeypatch):
    """The writer zips its package itself, reusing the deflated parts no document changes: every file must
    still be what python-docx's PackageWriter gives through zipfile (fixed timestamps), document after
    document — plain, sealed (a picture part joins the package), structural (its own package)."""
    import zipfile

    from docx.opc.pkgwriter import PackageWriter

    from docgen.writers.docx import package

    class FixedTimeZip:  # python-docx's PhysPkgWriter, with docgen's fixed timestamp on each entry
        def __init__(self, buffer):
            self.zip = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
            self.stamp = max(package.fixed_datetime().timetuple()[:6], (1980, 1, 1, 0, 0, 0))

        def write(self, pack_uri, blob):
            info = zipfile.ZipInfo(pack_uri.membername, date_time=self.stamp)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            self.zip.writestr(info, blob)

    def reference(document) -> bytes:
        buffer = io.BytesIO()
        out, pkg = FixedTimeZip(buffer), document.part.package
        PackageWriter._write_content_types_stream(out, pkg.parts)
        PackageWriter._write_pkg_rels(out, pkg.rels)
        PackageWriter._write_parts(out, pkg.parts)
        out.zip.close()
        return buffer.getvalue()

    def notice(name: str, seal: str | None = None) -> Document:
        return Document(Meta(title=f"{name}的通知"), [
            Title(f"{name}的通知", [f"{name}的通知"]), Addressee(f"{name}："), Paragraph([Span(f"请{name}参会。")]),
            Signature(["中共测试县委员会"], "2024年3月1日", seal=seal)])

    fresh = []  # a structural document's own package, zipped without the cache
    own_zip = package.deterministic_zip
    monkeypatch.setattr(package, "deterministic_zip", lambda document: fresh.append(
        (own_zip(document), reference(document))) or fresh[-1][0])
    made = DocxWriter(GBT9704)
    seal = str(EXAMPLE / "seal.png")
    for doc in (notice("甲"), notice("乙"), notice("丙", seal), notice("丁", seal), every_node(), notice("戊")):
        data = made.render(doc).data
        current = made._base[0] if made._base and not (doc.first(Imprint) or doc.first(Watermark)) else None
        if current is not None:
            assert data == reference(current), doc.meta.title
        assert docx.Document(io.BytesIO(data)).paragraphs  # opens
        assert doc.meta.title in zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert len(fresh) == 1 and fresh[0][0] == fresh[0][1]
