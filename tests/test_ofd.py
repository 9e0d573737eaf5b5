"""OFD (GB/T 33190): the built-in documents as OFD hold the PDF's pages, glyph for glyph.

Each document is made as PDF and OFD through the public API (and the notices through
``docgen.batch`` with ``formats=("ofd",)``), then the OFD is read back by this file's own parser
(Boundary + CTM + TextCode X/Y + DeltaX, as the standard places glyphs) and compared with what
pdfplumber reads from the PDF: the text of every page, every glyph's origin within 0.2 mm, the
colours, every rule and the seal at the PDF's positions. An independent reader (ofdkit, from PyPI)
must open each package and give back the text. Each XML part is checked against the schema's
element order, its IDs and references, and the same input must give the same bytes.
"""

from __future__ import annotations

import inspect
import io
import json
import math
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import ofdkit
import pdfplumber
import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont

import docgen
from docgen.cli import main
from docgen.standard import GBT9704
from docgen.version import __version__
from docgen.writers import FORMATS, writer
from docgen.writers.ofd import OfdWriter
from docgen.writers.ofd.layout import PageWalker, UnknownContent

from .conftest import EXAMPLE
from .test_writers import every_node

NS = "{http://www.ofdspec.org/2016}"
EPOCH = "1276560000"  # 2010-06-15, as the golden record
TOLERANCE_MM = 0.2
MM_PER_PT = 25.4 / 72
WATERMARK_MM = GBT9704.watermark_size_pt * MM_PER_PT
NOTICES = 'branch.name in ["春风村党支部", "瓦店村党支部"]'


# --- reading an OFD as the standard places things -------------------------------------------------
@dataclass
class Glyph:
    text: str
    x: float  # baseline origin, page mm
    y: float
    size: float  # mm, after the object's CTM
    color: tuple[int, int, int]
    alpha: int
    font: str


@dataclass
class OfdPage:
    glyphs: list[Glyph] = field(default_factory=list)
    rules: list[tuple[float, float, float, float, float, tuple[int, int, int]]] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class Package:
    parts: dict[str, bytes]
    pages: list[OfdPage]
    document: ET.Element
    info: ET.Element


def _numbers(text: str | None) -> list[float]:
    """An ST_Array, with the ``g count value`` shorthand expanded."""
    tokens, out, i = (text or "").split(), [], 0
    while i < len(tokens):
        if tokens[i] == "g":
            out += [float(tokens[i + 2])] * int(tokens[i + 1])
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _transform(obj: ET.Element):
    """Object space → page mm: the CTM, then the move to the Boundary's corner."""
    bx, by, _, _ = _numbers(obj.get("Boundary"))
    a, b, c, d, e, f = _numbers(obj.get("CTM")) or [1, 0, 0, 1, 0, 0]
    return lambda x, y: (a * x + c * y + e + bx, b * x + d * y + f + by), math.hypot(c, d)  # vertical scale


def read_ofd(data: bytes) -> Package:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    ofd = ET.fromstring(parts["OFD.xml"])
    root = ofd.find(f"{NS}DocBody/{NS}DocRoot").text
    document = ET.fromstring(parts[root])
    base = root.rsplit("/", 1)[0]
    pages = []
    for ref in document.find(f"{NS}Pages"):
        content = ET.fromstring(parts[f"{base}/{ref.get('BaseLoc')}"])
        page = OfdPage()
        for layer in content.iter(f"{NS}Layer"):
            for obj in layer:
                place, scale = _transform(obj)
                if obj.tag == f"{NS}TextObject":
                    fill = obj.find(f"{NS}FillColor")
                    color = tuple(int(v) for v in fill.get("Value").split()) if fill is not None else (0, 0, 0)
                    alpha = int(fill.get("Alpha", 255)) if fill is not None else 255
                    x = y = 0.0
                    for code in obj.findall(f"{NS}TextCode"):
                        x, y = float(code.get("X", x)), float(code.get("Y", y))
                        dx, dy = _numbers(code.get("DeltaX")), _numbers(code.get("DeltaY"))
                        for i, char in enumerate(code.text or ""):
                            page.glyphs.append(Glyph(char, *place(x, y), float(obj.get("Size")) * scale, color,
                                                     alpha, obj.get("Font")))
                            x += dx[i] if i < len(dx) else 0
                            y += dy[i] if i < len(dy) else 0
                elif obj.tag == f"{NS}PathObject":
                    tokens = obj.find(f"{NS}AbbreviatedData").text.split()
                    assert tokens[0] == "M" and tokens[3] == "L" and len(tokens) == 6, tokens
                    x1, y1 = place(float(tokens[1]), float(tokens[2]))
                    x2, y2 = place(float(tokens[4]), float(tokens[5]))
                    stroke = obj.find(f"{NS}StrokeColor")
                    color = tuple(int(v) for v in stroke.get("Value").split()) if stroke is not None else (0, 0, 0)
                    page.rules.append((x1, y1, x2, y2, float(obj.get("LineWidth", 0.353)) * scale, color))
                elif obj.tag == f"{NS}ImageObject":
                    corners = [place(u, v) for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))]
                    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
                    page.images.append((min(xs), min(ys), max(xs), max(ys)))
        pages.append(page)
    return Package(parts, pages, document, ofd.find(f"{NS}DocBody/{NS}DocInfo"))


# --- what pdfplumber reads from the PDF -----------------------------------------------------------
@dataclass
class PdfPage:
    glyphs: list[Glyph]
    lines: list[tuple[float, float, float, float, float, tuple]]  # stroked: x0, top, x1, bottom, width, rgb
    rects: list[tuple[float, float, float, float, tuple]]  # filled: x0, top, x1, bottom, rgb
    images: list[tuple[float, float, float, float]]
    text: str


def _rgb(color) -> tuple[int, int, int]:
    color = tuple(color or (0,))
    if len(color) == 1:
        color = color * 3
    return tuple(round(c * 255) for c in color[:3])


def read_pdf(path: Path) -> list[PdfPage]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            height = float(page.height)
            glyphs = [Glyph(c["text"], c["matrix"][4] * MM_PER_PT, (height - c["matrix"][5]) * MM_PER_PT,
                            c["size"] * MM_PER_PT if c["matrix"][1] == c["matrix"][2] == 0 else math.nan,  # upright
                            _rgb(c["non_stroking_color"]), 255, c["fontname"])
                      for c in page.chars]
            lines = [(ln["x0"] * MM_PER_PT, ln["top"] * MM_PER_PT, ln["x1"] * MM_PER_PT, ln["bottom"] * MM_PER_PT,
                      ln["linewidth"] * MM_PER_PT, _rgb(ln["stroking_color"])) for ln in page.lines]
            rects = [(r["x0"] * MM_PER_PT, r["top"] * MM_PER_PT, r["x1"] * MM_PER_PT, r["bottom"] * MM_PER_PT,
                      _rgb(r["non_stroking_color"])) for r in page.rects if r["fill"]]
            images = [(i["x0"] * MM_PER_PT, i["top"] * MM_PER_PT, i["x1"] * MM_PER_PT, i["bottom"] * MM_PER_PT)
                      for i in page.images]
            below = page.filter(lambda o: o.get("object_type") != "char" or o["size"] < GBT9704.watermark_size_pt - 1)
            pages.append(PdfPage(glyphs, lines, rects, images, below.extract_text()))
    return pages


# --- the documents ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """label → (PDF, OFD): the built-in documents, a draft, a table, the notices by batch, every node."""
    out = tmp_path_factory.mktemp("ofd")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        files: dict[str, tuple[Path, Path]] = {}
        for label, options in (("opinion", {"template": "opinion"}), ("forward", {"template": "forward"}),
                               ("speech", {"speech": "cxzy-mobilization"}),
                               ("opinion-draft", {"template": "opinion", "draft": "草稿"}),
                               ("commitment-list", {"template": "commitment-list"}),
                               ("xinhan", {"template": "xinhan"}), ("mingling", {"template": "mingling"})):
            paths = docgen.render(EXAMPLE, out=out / label, name=label, formats=("pdf", "ofd"), **options)
            by_suffix = {p.suffix: p for p in paths}
            files[label] = (by_suffix[".pdf"], by_suffix[".ofd"])
        batches = {}
        for fmt in ("ofd", "pdf"):
            batches[fmt] = docgen.batch(EXAMPLE, template="notice", each="branches", where=NOTICES, formats=(fmt,),
                                        out=out / f"notice-{fmt}", jobs=1, name="{index:02d}", merge=True)
        for entry in batches["ofd"]["documents"]:
            stem = entry["stem"]
            files[f"notice/{stem}"] = (out / "notice-pdf" / f"{stem}.pdf", out / "notice-ofd" / f"{stem}.ofd")
        files["notice/merged"] = (out / "notice-pdf" / batches["pdf"]["merged"]["pdf"],
                                  out / "notice-ofd" / batches["ofd"]["merged"]["ofd"])
        document = every_node()
        (out / "every-node.pdf").write_bytes(writer("pdf").render(document).data)
        (out / "every-node.ofd").write_bytes(writer("ofd").render(document).data)
        files["every-node"] = (out / "every-node.pdf", out / "every-node.ofd")
    return files


LABELS = ["opinion", "forward", "speech", "opinion-draft", "commitment-list", "xinhan", "mingling", "notice/01",
          "notice/02", "notice/merged", "every-node"]


@pytest.fixture(scope="module")
def read(made):
    cache: dict[str, tuple[list[PdfPage], Package]] = {}

    def get(label: str) -> tuple[list[PdfPage], Package]:
        if label not in cache:
            pdf, ofd = made[label]
            cache[label] = (read_pdf(pdf), read_ofd(ofd.read_bytes()))
        return cache[label]

    return get


def _lines(glyphs: list[Glyph]) -> str:
    """A page's text, line by line: glyphs grouped by baseline (0.5 mm), each line left to right."""
    rows: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.y, g.x)):
        if rows and abs(rows[-1][0].y - glyph.y) < 0.5:
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
    return "\n".join("".join(g.text for g in sorted(row, key=lambda g: g.x)) for row in rows)


def test_the_built_in_documents_were_made(made):
    assert sorted(made) == sorted(LABELS)


@pytest.mark.parametrize("label", LABELS)
def test_text_per_page_and_every_glyph_where_the_pdf_has_it(read, label):
    pdf, ofd = read(label)
    assert len(ofd.pages) == len(pdf), f"{label}: {len(ofd.pages)} OFD pages, {len(pdf)} PDF pages"
    worst = 0.0
    for number, (theirs, ours) in enumerate(zip(pdf, ofd.pages, strict=True), 1):
        assert _lines(ours.glyphs) == _lines(theirs.glyphs), f"{label} page {number}: text differs"
        unmatched = list(ours.glyphs)
        for glyph in theirs.glyphs:
            candidates = [g for g in unmatched if g.text == glyph.text]
            assert candidates, f"{label} page {number}: {glyph.text!r} at {glyph.x:.1f},{glyph.y:.1f} not in the OFD"
            nearest = min(candidates, key=lambda g: math.dist((g.x, g.y), (glyph.x, glyph.y)))
            distance = math.dist((nearest.x, nearest.y), (glyph.x, glyph.y))
            assert distance <= TOLERANCE_MM, (f"{label} page {number}: {glyph.text!r} is {distance:.3f} mm from "
                                              f"the PDF's ({glyph.x:.2f}, {glyph.y:.2f})")
            assert abs(nearest.size - glyph.size) < 0.01 or math.isnan(glyph.size), f"{label}: {glyph.text!r} size"
            assert max(abs(a - b) for a, b in zip(nearest.color, glyph.color, strict=True)) <= 1, (
                f"{label} page {number}: {glyph.text!r} colour {nearest.color} vs the PDF's {glyph.color}")
            worst = max(worst, distance)
            unmatched.remove(nearest)
        assert not unmatched, f"{label} page {number}: the OFD has more: {''.join(g.text for g in unmatched)}"
    assert worst < TOLERANCE_MM


def _band_edges(page: PdfPage) -> tuple[list, list]:
    """Horizontal edges (y, x0, x1) and vertical edges (x, y0, y1) of the PDF's filled rectangles."""
    horizontal, vertical = [], []
    for x0, top, x1, bottom, _ in page.rects:
        horizontal += [(top, x0, x1), (bottom, x0, x1)]
        vertical += [(x0, top, bottom), (x1, top, bottom)]
    return horizontal, vertical


def _near(*pairs: tuple[float, float]) -> bool:
    return all(abs(a - b) <= TOLERANCE_MM for a, b in pairs)


def _spans(a: float, b: float, start: float, end: float, width: float) -> bool:
    """A PDF edge from a to b is a rule's from start to end: the same, or (the inner edge of a box's
    frame, drawn as an outer rectangle less an inner one) inset by the rule's width at both ends."""
    return _near((a, start), (b, end)) or _near((a, start + width), (b, end - width))


@pytest.mark.parametrize("label", ["opinion", "forward", "opinion-draft", "commitment-list", "xinhan", "mingling",
                                   "every-node"])
def test_rules_and_the_seal_where_the_pdf_draws_them(read, label):
    pdf, ofd = read(label)
    rules = 0
    for number, (theirs, ours) in enumerate(zip(pdf, ofd.pages, strict=True), 1):
        horizontal, vertical = _band_edges(theirs)
        for x1, y1, x2, y2, width, color in ours.rules:
            where = f"{label} page {number}: rule {x1:.1f},{y1:.1f}–{x2:.1f},{y2:.1f}"
            stroked = [ln for ln in theirs.lines if _near((ln[0], min(x1, x2)), (ln[2], max(x1, x2)),
                                                          (ln[1], min(y1, y2)), (ln[3], max(y1, y2)))]
            if stroked:  # a collapsed table border: the PDF strokes the same line
                assert abs(stroked[0][4] - width) < 0.02 and stroked[0][5] == color, where
            elif y1 == y2:  # a border side: the PDF fills the band between two rectangles' edges
                lo, hi = y1 - width / 2, y1 + width / 2
                for edge in (lo, hi):
                    assert any(_near((y, edge)) and _spans(a, b, min(x1, x2), max(x1, x2), width)
                               for y, a, b in horizontal), f"{where}: no PDF edge at {edge:.2f}"
                assert any(r[4] == color and any(_near((edge, y)) for edge in (r[1], r[3]) for y in (lo, hi))
                           for r in theirs.rects), f"{where}: not the PDF's colour {color}"
            else:
                assert x1 == x2, where
                lo, hi = x1 - width / 2, x1 + width / 2
                for edge in (lo, hi):
                    assert any(_near((x, edge)) and _spans(a, b, min(y1, y2), max(y1, y2), width)
                               for x, a, b in vertical), where
            rules += 1
        for line in theirs.lines:  # and the other way: every stroked PDF line is an OFD rule
            assert any(_near((min(r[0], r[2]), line[0]), (max(r[0], r[2]), line[2]), (min(r[1], r[3]), line[1]))
                       for r in ours.rules), f"{label} page {number}: PDF line {line[:4]} not in the OFD"
        for x0, top, x1, bottom, color in theirs.rects:
            if min(x1 - x0, bottom - top) < 1:  # a thin filled rectangle is a rule (the red line)
                assert any(_near((r[1] - r[4] / 2, top), (r[1] + r[4] / 2, bottom), (r[0], x0), (r[2], x1))
                           and r[5] == color for r in ours.rules), f"{label} page {number}: PDF rule at {top:.2f}"
        assert len(ours.images) == len(theirs.images), f"{label} page {number}: images"
        for box, theirs_box in zip(sorted(ours.images), sorted(theirs.images), strict=True):
            assert _near(*zip(box, theirs_box, strict=True)), f"{label} page {number}: seal {box} vs {theirs_box}"
    assert rules, f"{label}: no rule at all"


def test_the_red_line_the_seal_and_the_watermark(read):
    _, ofd = read("opinion")
    red = [r for r in ofd.pages[0].rules if r[5] == (255, 0, 0)]
    assert len(red) == 1 and abs(red[0][4] - GBT9704.redline_width_pt * MM_PER_PT) < 0.01  # 版头's red line
    assert any(page.images for page in ofd.pages), "the seal"
    assert [g.text for g in ofd.pages[0].glyphs if g.color == (255, 0, 0)] == list("中共瓦店乡委员会文件")
    _, draft = read("opinion-draft")
    for page in draft.pages:
        marks = [g for g in page.glyphs if g.size > WATERMARK_MM - 1]
        assert "".join(g.text for g in marks) == "草稿"
        assert all(g.alpha == round(0.3 * 255) for g in marks)
        (a, b) = marks
        angle = math.degrees(math.atan2(a.y - b.y, b.x - a.x))  # y grows downwards: rising to the right
        assert abs(angle - GBT9704.watermark_angle_deg) < 0.5
    assert not any(page.images for page in draft.pages), "a draft is never sealed"


@pytest.mark.parametrize("label", LABELS)
def test_an_independent_reader_opens_it_and_reads_the_text(read, made, label):
    pdf, _ = read(label)
    with ofdkit.open(made[label][1]) as document:
        assert not document.warnings
        assert len(document.pages) == len(pdf)
        assert document.info.creator == "docgen" and document.info.creator_version == __version__
        for number, (page, theirs) in enumerate(zip(document.pages, pdf, strict=True), 1):
            text = "".join(run.text for run in page.runs if run.size < WATERMARK_MM - 1)
            body = [run for run in page.runs if run.size < WATERMARK_MM - 1]
            ours = re.sub(r"\s", "", _ofdkit_text(page, body))
            assert ours == re.sub(r"\s", "", theirs.text), f"{label} page {number}: {text[:60]}"
            for run in page.runs:  # and where it puts each run: on the PDF's glyph
                assert any(g.text == run.text[0] and _near((g.x, run.x), (g.y, run.y)) for g in theirs.glyphs), \
                    f"{label} page {number}: ofdkit puts {run.text[:10]!r} at {run.x:.2f},{run.y:.2f}"


def _ofdkit_text(page, runs) -> str:
    from ofdkit.layout import page_text

    return page_text(runs)


def test_docinfo(read):
    for label, author in (("opinion", "中共瓦店乡委员会"), ("speech", "docgen")):
        _, ofd = read(label)
        info = {child.tag[len(NS):]: child.text for child in ofd.info}
        assert info["Author"] == author
        assert info["CreationDate"] == info["ModDate"] == "2010-06-15"  # SOURCE_DATE_EPOCH
        assert info["Creator"] == "docgen" and info["CreatorVersion"] == __version__
        assert re.fullmatch(r"[0-9a-f]{32}", info["DocID"])
    _, opinion = read("opinion")
    title = {c.tag: c.text for c in opinion.info}[f"{NS}Title"]
    assert title == "关于在全乡党组织和党员中深入开展创先争优活动的实施意见"


# --- the XML parts ----------------------------------------------------------------------------------
ORDER = {  # each element's children, in the order the schema's sequences allow
    "OFD": ["DocBody"],
    "DocBody": ["DocInfo", "DocRoot", "Versions", "Signatures"],
    "DocInfo": ["DocID", "Title", "Author", "Subject", "Abstract", "CreationDate", "ModDate", "DocUsage", "Cover",
                "Keywords", "Creator", "CreatorVersion", "CustomDatas"],
    "Document": ["CommonData", "Pages", "Outlines", "Permissions", "Actions", "VPreferences", "Bookmarks",
                 "Annotations", "CustomTags", "Attachments", "Extensions"],
    "CommonData": ["MaxUnitID", "PageArea", "PublicRes", "DocumentRes", "TemplatePage", "DefaultCS"],
    "PageArea": ["PhysicalBox", "ApplicationBox", "ContentBox", "BleedBox"],
    "Page": ["Template", "PageRes", "Area", "Content", "Actions"],
    "OutlineElem": ["Actions", "OutlineElem"],
    "PathObject": ["Actions", "Clips", "StrokeColor", "FillColor", "AbbreviatedData"],
    "ImageObject": ["Actions", "Clips", "Border"],
    "Font": ["FontFile"],
    "MultiMedia": ["MediaFile"],
}
REQUIRED = {
    "DocBody": ["DocInfo", "DocRoot"], "DocInfo": ["DocID"], "Document": ["CommonData", "Pages"],
    "CommonData": ["MaxUnitID", "PageArea"], "PageArea": ["PhysicalBox"], "PathObject": ["AbbreviatedData"],
    "Font": [], "MultiMedia": ["MediaFile"],
}
ATTRIBUTES = {
    "TextObject": ["ID", "Boundary", "Font", "Size"], "PathObject": ["ID", "Boundary"],
    "ImageObject": ["ID", "Boundary", "ResourceID"], "Layer": ["ID"], "Font": ["ID", "FontName"],
    "MultiMedia": ["ID", "Type"], "Page": [], "Dest": ["Type", "PageID"], "Action": ["Event"],
    "OutlineElem": ["Title"], "Res": ["BaseLoc"],
}


def _local(tag: str) -> str:
    assert tag.startswith(NS), f"{tag}: not in the OFD namespace"
    return tag[len(NS):]


def _check_order(element: ET.Element, where: str) -> None:
    name = _local(element.tag)
    names = [_local(child.tag) for child in element]
    if name in ORDER:
        ranks = [ORDER[name].index(n) for n in names]  # ValueError: an element the schema does not allow
        assert ranks == sorted(ranks), f"{where}: <{name}> children out of order: {names}"
    if name == "TextObject":  # FillColor?, StrokeColor?, (CGTransform*, TextCode)+
        sequence = "".join(f"{n}," for n in names)
        assert re.fullmatch(r"(FillColor,)?(StrokeColor,)?((CGTransform,)*TextCode,)+", sequence), \
            f"{where}: TextObject children {names}"
    for required in REQUIRED.get(name, []):
        assert required in names, f"{where}: <{name}> lacks <{required}>"
    for attribute in ATTRIBUTES.get(name, []):
        assert element.get(attribute), f"{where}: <{name}> lacks {attribute}="
    for child in element:
        _check_order(child, where)


@pytest.mark.parametrize("label", ["opinion", "opinion-draft", "commitment-list", "notice/merged", "every-node"])
def test_every_xml_part_follows_the_schema(read, made, label):
    _, ofd = read(label)
    parts = ofd.parts
    assert list(parts)[0] == "OFD.xml"
    with zipfile.ZipFile(made[label][1]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2010, 6, 15, 0, 0, 0)}  # SOURCE_DATE_EPOCH
    root = ET.fromstring(parts["OFD.xml"])
    assert (root.tag, root.get("Version"), root.get("DocType")) == (f"{NS}OFD", "1.0", "OFD")
    ids: dict[str, str] = {}
    for name, data in parts.items():
        if not name.endswith(".xml"):
            continue
        element = ET.fromstring(data)
        _check_order(element, name)
        for node in element.iter():
            if "ID" in node.attrib:
                assert node.get("ID") not in ids, f"ID {node.get('ID')} in {name} and {ids.get(node.get('ID'))}"
                ids[node.get("ID")] = name
    document = ofd.document
    common = document.find(f"{NS}CommonData")
    assert int(common.find(f"{NS}MaxUnitID").text) == max(map(int, ids))
    assert common.find(f"{NS}PageArea/{NS}PhysicalBox").text == "0 0 210 297"
    assert [c.text for c in common if c.tag in (f"{NS}PublicRes", f"{NS}DocumentRes")] == \
        ["PublicRes.xml", "DocumentRes.xml"]
    public = ET.fromstring(parts["Doc_0/PublicRes.xml"])
    fonts = {f.get("ID"): f for f in public.iter(f"{NS}Font")}
    media = {m.get("ID"): m for m in ET.fromstring(parts["Doc_0/DocumentRes.xml"]).iter(f"{NS}MultiMedia")}
    page_ids = {p.get("ID") for p in document.find(f"{NS}Pages")}
    for font in fonts.values():
        file = f"Doc_0/Res/{font.find(f'{NS}FontFile').text}"
        embedded = TTFont(io.BytesIO(parts[file]))
        assert "glyf" in embedded and "CFF " not in embedded, "TrueType outlines"
        font.set("cmap", embedded.getBestCmap())
    for m in media.values():
        assert f"Doc_0/Res/{m.find(f'{NS}MediaFile').text}" in parts and m.get("Format") in ("PNG", "JPEG")
    for dest in document.iter(f"{NS}Dest"):
        assert dest.get("PageID") in page_ids
    for name, data in parts.items():
        if not name.endswith("Content.xml"):
            continue
        for obj in ET.fromstring(data).iter():
            tag = obj.tag[len(NS):]
            if tag in ("TextObject", "PathObject", "ImageObject"):
                x, y, w, h = _numbers(obj.get("Boundary"))
                assert w > 0 and h > 0 and x > -1 and x + w < 211 and y > -1 and y + h < 298, f"{name}: {tag} box"
            if tag == "TextObject":
                font = fonts[obj.get("Font")]
                mapped = "".join(code.text for code in obj.findall(f"{NS}TextCode"))
                if obj.find(f"{NS}CGTransform") is None:
                    missing = {c for c in mapped if ord(c) not in font.get("cmap")}
                    assert not missing, f"{name}: {font.get('FontName')} lacks {missing}"
                assert 1 < float(obj.get("Size")) < 50, "sizes in mm"
            if tag == "ImageObject":
                assert obj.get("ResourceID") in media


@pytest.mark.parametrize("label", ["opinion", "every-node"])
def test_one_text_object_per_font_and_line(read, label):
    _, ofd = read(label)
    for name, data in ofd.parts.items():
        if name.endswith("Content.xml"):
            seen = set()
            for obj in ET.fromstring(data).iter(f"{NS}TextObject"):
                fill = obj.find(f"{NS}FillColor")
                y = float(obj.find(f"{NS}TextCode").get("Y")) + _numbers(obj.get("Boundary"))[1]
                key = (obj.get("Font"), obj.get("Size"), obj.get("CTM"), None if fill is None else fill.get("Value"),
                       round(y, 2))
                assert key not in seen, f"{label} {name}: two TextObjects for font {key[0]} on the line at {y:.2f}"
                seen.add(key)


def test_font_names_readers_can_substitute(read):
    _, ofd = read("opinion")
    public = ET.fromstring(ofd.parts["Doc_0/PublicRes.xml"])
    names = {(f.get("FontName"), f.get("FamilyName")) for f in public.iter(f"{NS}Font")}
    assert names == {("方正小标宋简体", "宋体"), ("仿宋_GB2312", "仿宋"), ("黑体", "黑体"), ("宋体", "宋体"),
                     ("楷体_GB2312", "楷体")}


def test_bookmarks_are_the_pdfs(made, read):
    from pypdf import PdfReader

    reader = PdfReader(made["opinion"][0])

    def pdf_titles(items) -> list:
        return [pdf_titles(i) if isinstance(i, list) else (i.title, reader.get_destination_page_number(i))
                for i in items]

    _, ofd = read("opinion")
    pages = [p.get("ID") for p in ofd.document.find(f"{NS}Pages")]

    def ofd_titles(element) -> list:
        out = []
        for item in element.findall(f"{NS}OutlineElem"):
            dest = item.find(f"{NS}Actions/{NS}Action/{NS}Goto/{NS}Dest")
            out.append((item.get("Title"), pages.index(dest.get("PageID"))))
            if item.findall(f"{NS}OutlineElem"):
                out.append(ofd_titles(item))
        return out

    assert ofd_titles(ofd.document.find(f"{NS}Outlines")) == pdf_titles(reader.outline)


def test_the_same_input_gives_the_same_bytes(made, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    document = every_node()
    warm = writer("ofd").render(document).data
    assert warm == made["every-node"][1].read_bytes()
    assert OfdWriter(writer("pdf")).render(document).data == warm  # a cold writer: no cache state in the bytes
    first, second = (read_ofd(made[label][1].read_bytes()).info.find(f"{NS}DocID").text
                     for label in ("notice/01", "notice/02"))
    assert first != second  # DocID: a digest of the content


def test_batch_and_merge_from_the_command_line(tmp_path):
    result = CliRunner().invoke(main, ["batch", str(EXAMPLE), "--template", "notice", "--each", "branches",
                                       "--where", NOTICES, "--format", "ofd", "--merge", "-j", "1",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [f["format"] for d in manifest["documents"] for f in d["files"]] == ["ofd", "ofd"]
    assert all(f["pages"] == 1 for d in manifest["documents"] for f in d["files"])
    merged = tmp_path / manifest["merged"]["ofd"] if "merged" in manifest else next(tmp_path.glob("*合并*.ofd"))
    with ofdkit.open(merged) as document:
        assert len(document.pages) == 4  # each one-page notice, then a blank page: each starts on an odd page
    assert FORMATS == ("docx", "pdf")  # OFD only when asked for
    rendered = CliRunner().invoke(main, ["render", str(EXAMPLE), "--template", "opinion", "--format", "ofd",
                                         "-o", str(tmp_path / "one")])
    assert rendered.exit_code == 0 and rendered.output.strip().endswith(".ofd"), rendered.output


def test_a_glyph_the_cmap_does_not_give_is_named_by_a_cgtransform():
    """Shaping may pick a glyph that is not the font's cmap entry for the character (a locl form, a
    ligature): the OFD then names the glyph (CGTransform) in the embedded font, which holds it."""
    from docgen.writers.fonts import resolve
    from docgen.writers.ofd import package
    from docgen.writers.ofd.fonts import FontFace
    from docgen.writers.ofd.layout import Glyph as Placed
    from docgen.writers.ofd.layout import Page, TextRun

    face = FontFace(("test",), resolve()["body"].file.read_bytes(), 0, "docgen-body", "body")
    first, second, third = (face.glyph_id(c) for c in "甲乙丙")
    glyphs = [Placed("甲", first, 30, 50, 5.6), Placed("乙", third, 35.6, 50, 5.6), Placed("丙", third, 41.2, 50, 5.6)]
    data = package.write([Page(210, 297, body=[TextRun(face, 5.644, (0, 0, 0), 255, glyphs)])],
                         package.Info("t", "docgen", "docgen", __version__), [])
    ofd = read_ofd(data)
    assert [g.text for g in ofd.pages[0].glyphs] == list("甲乙丙")
    content = ET.fromstring(ofd.parts["Doc_0/Pages/Page_0/Content.xml"])
    (transform,) = content.iter(f"{NS}CGTransform")
    assert (transform.get("CodePosition"), transform.get("CodeCount"), transform.get("GlyphCount")) == ("1", "1", "1")
    embedded = TTFont(io.BytesIO(ofd.parts["Doc_0/Res/font_1.ttf"]))
    index = int(transform.find(f"{NS}Glyphs").text)
    assert embedded.getGlyphOrder()[index] == embedded.getBestCmap()[ord("丙")]  # 乙 drawn with 丙's glyph
    assert ord("乙") not in embedded.getBestCmap()  # no cmap entry says otherwise


# --- what the walker may meet, and the WeasyPrint it reads -----------------------------------------
def test_what_the_walker_cannot_paint_fails_loudly():
    import weasyprint

    ofd = writer("ofd")
    for css in ("background: yellow", "border: 1pt dashed black", "text-decoration: underline",
                "opacity: 0.5", "border: 1pt solid black; border-radius: 3pt"):
        laid_out = weasyprint.HTML(string=f'<p style="{css}">文字</p>').render(font_config=ofd.pdf.font_config)
        with pytest.raises(UnknownContent):
            PageWalker(ofd.fonts).page(laid_out.pages[0])


def test_the_weasyprint_internals_the_walker_reads_are_there():
    """writers/ofd/layout.py reads WeasyPrint 70's boxes and Pango glyph runs (layout.INTERNALS). If this
    fails, WeasyPrint changed under it: pyproject pins the range; read the new version before widening it."""
    import weasyprint
    from weasyprint.draw import draw_collapsed_borders
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.layout.replaced import replacedbox_layout
    from weasyprint.text.ffi import FROM_UNITS, ffi, harfbuzz, pango
    from weasyprint.text.fonts import get_hb_object_data, get_pango_font_hb_face, get_pango_font_key

    assert weasyprint.__version__.split(".")[0] == "70", weasyprint.__version__
    for name in ("PageBox", "MarginBox", "BlockBox", "LineBox", "TextBox", "InlineBox", "InlineBlockBox",
                 "BlockReplacedBox", "InlineReplacedBox", "TableBox", "TableRowGroupBox", "TableRowBox",
                 "TableCellBox", "TableColumnGroupBox", "TableColumnBox", "ReplacedBox"):
        assert isinstance(getattr(boxes, name), type), name
    assert boxes.Box.transformation_matrix is None and hasattr(AbsolutePlaceholder, "__getattr__")
    assert list(inspect.signature(draw_collapsed_borders).parameters) == ["stream", "table"]
    assert list(inspect.signature(replacedbox_layout).parameters) == ["box"]
    assert FROM_UNITS == 1 / 1024 and callable(get_hb_object_data) and callable(get_pango_font_hb_face)
    fields = {
        "PangoGlyphItem": {"item", "glyphs"}, "PangoItem": {"offset", "length", "analysis"},
        "PangoAnalysis": {"font", "level"}, "PangoGlyphString": {"num_glyphs", "glyphs", "log_clusters"},
        "PangoGlyphInfo": {"glyph", "geometry"}, "PangoGlyphGeometry": {"width", "x_offset", "y_offset"},
        "PangoLayoutLine": {"runs"}, "GSList": {"data", "next"},
    }
    for struct, wanted in fields.items():
        assert wanted <= {name for name, _ in ffi.typeof(struct).fields}, struct
    assert pango.PANGO_GLYPH_EMPTY and pango.PANGO_GLYPH_UNKNOWN_FLAG
    for function in ("hb_face_get_index", "hb_face_reference_blob", "hb_blob_get_length", "hb_blob_destroy"):
        assert callable(getattr(harfbuzz, function)), function
    laid_out = weasyprint.HTML(string='<p style="transform: rotate(10deg)">文字</p>').render(
        font_config=writer("pdf").font_config)
    page = laid_out.pages[0]
    text = next(b for b in page._page_box.descendants() if isinstance(b, boxes.TextBox))
    block = next(b for b in page._page_box.descendants() if isinstance(b, boxes.BlockBox) and b.element_tag == "p")
    assert block.transformation_matrix is not None  # set by gather_anchors when the page was made
    layout = text.pango_layout
    layout.reactivate(text.style)
    line, _ = layout.get_first_line()
    assert line.runs != ffi.NULL and line.runs.data.glyphs.num_glyphs == 2
    key = get_pango_font_key(line.runs.data.item.analysis.font)
    assert len(key) == 3 and key[2] > 0
    layout.deactivate()
    assert isinstance(laid_out.make_bookmark_tree(), list)
