"""Laid-out pages → an OFD package (GB/T 33190-2016), element by element in the schema's order.

```
OFD.xml                          DocBody: DocInfo (DocID, Title, Author, CreationDate, Creator…), DocRoot
Doc_0/Document.xml               CommonData (MaxUnitID, PageArea, PublicRes, DocumentRes), Pages, Outlines
Doc_0/PublicRes.xml              Fonts, each with its TrueType file in Doc_0/Res/
Doc_0/DocumentRes.xml            MultiMedias: the seal images, in Doc_0/Res/
Doc_0/Pages/Page_N/Content.xml   a Background layer (seal, watermark) and a Body layer: TextObject,
                                 PathObject, ImageObject, every length in millimetres on the page
```

Every ID is unique in the document (fonts, images, pages, layers, objects) and MaxUnitID is the
largest. The bytes depend only on the input: the zip entries carry SOURCE_DATE_EPOCH (or
2000-01-01), the DocID is a digest of the content, numbers are written with three decimals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from docgen.writers.ofd.fonts import FontFace
from docgen.writers.ofd.layout import Glyph, Image, Matrix6, Page, Rule, TextRun, apply, bounds

NS = "http://www.ofdspec.org/2016"
ASCENT, DESCENT = 1.0, 0.3  # of the font size: the text's box above and below the baseline, at least


def num(value: float) -> str:
    """A length in mm (or a matrix entry) as OFD writes it: at most three decimals, no -0."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attr(name: str, value: object) -> str:
    return f" {name}={quoteattr(str(value))}"


@dataclass(frozen=True)
class Info:
    """What DocInfo says of the document."""

    title: str
    author: str
    creator: str
    creator_version: str


@dataclass
class Bookmark:
    title: str
    page: int  # index
    x: float  # mm
    y: float
    children: list[Bookmark]


def fixed_datetime() -> dt.datetime:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))  # 2000-01-01, as the PDF writer
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


class _Ids:
    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


@dataclass
class _FontUse:
    id: int
    face: FontFace
    gids: set[int]
    chars: dict[str, int]
    new_gid: dict[int, int] | None = None


def write(pages: list[Page], info: Info, bookmarks: list[Bookmark]) -> bytes:
    """The OFD package's bytes."""
    ids = _Ids()
    fonts = _fonts(pages, ids)
    images: dict[bytes, tuple[int, str]] = {}
    for page in pages:
        for item in (*page.background, *page.body):
            if isinstance(item, Image) and item.data not in images:
                images[item.data] = (ids.next(), item.kind)
    page_ids = [ids.next() for _ in pages]
    contents = [_page_xml(page, fonts, images, ids) for page in pages]

    parts: dict[str, bytes] = {}
    files: dict[str, bytes] = {}
    font_xml = []
    for use in fonts.values():
        file_name = f"font_{use.id}.ttf"
        files[f"Doc_0/Res/{file_name}"] = use.face.subset(use.gids, use.chars)
        flags = "".join(_attr(k, "true") for k, on in (("Bold", use.face.bold), ("Serif", use.face.serif)) if on)
        font_xml.append(f"<ofd:Font{_attr('ID', use.id)}{_attr('FontName', use.face.font_name)}"
                        f"{_attr('FamilyName', use.face.family_name)}{flags}>"
                        f"<ofd:FontFile>{escape(file_name)}</ofd:FontFile></ofd:Font>")
    fonts_block = f"<ofd:Fonts>{''.join(font_xml)}</ofd:Fonts>" if font_xml else ""
    parts["Doc_0/PublicRes.xml"] = _xml(f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">{fonts_block}</ofd:Res>')
    media = []
    for data, (image_id, kind) in images.items():
        file_name = f"image_{image_id}.{'png' if kind == 'PNG' else 'jpg'}"
        files[f"Doc_0/Res/{file_name}"] = data
        media.append(f'<ofd:MultiMedia{_attr("ID", image_id)} Type="Image"{_attr("Format", kind)}>'
                     f"<ofd:MediaFile>{escape(file_name)}</ofd:MediaFile></ofd:MultiMedia>")
    media_block = f"<ofd:MultiMedias>{''.join(media)}</ofd:MultiMedias>" if media else ""
    parts["Doc_0/DocumentRes.xml"] = _xml(f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">{media_block}</ofd:Res>')
    for index, content in enumerate(contents):
        parts[f"Doc_0/Pages/Page_{index}/Content.xml"] = content
    width, height = (pages[0].width, pages[0].height) if pages else (210.0, 297.0)
    page_refs = "".join(f'<ofd:Page{_attr("ID", pid)}{_attr("BaseLoc", f"Pages/Page_{i}/Content.xml")}/>'
                        for i, pid in enumerate(page_ids))
    outlines = _outlines(bookmarks, page_ids)
    parts["Doc_0/Document.xml"] = _xml(
        f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{ids.last}</ofd:MaxUnitID>"
        f"<ofd:PageArea><ofd:PhysicalBox>0 0 {num(width)} {num(height)}</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
        f"</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages>{outlines}</ofd:Document>"
    )
    digest = hashlib.sha256(repr(info).encode())
    for name in sorted({**parts, **files}):
        digest.update(name.encode() + b"\0" + {**parts, **files}[name])
    parts = {"OFD.xml": _ofd_xml(info, digest.hexdigest()[:32]), **parts}
    return _zip({**parts, **files})


def _xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def _ofd_xml(info: Info, doc_id: str) -> bytes:
    date = fixed_datetime().strftime("%Y-%m-%d")
    return _xml(
        f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
        f"<ofd:DocID>{doc_id}</ofd:DocID><ofd:Title>{escape(info.title)}</ofd:Title>"
        f"<ofd:Author>{escape(info.author)}</ofd:Author>"
        f"<ofd:CreationDate>{date}</ofd:CreationDate><ofd:ModDate>{date}</ofd:ModDate>"
        f"<ofd:Creator>{escape(info.creator)}</ofd:Creator>"
        f"<ofd:CreatorVersion>{escape(info.creator_version)}</ofd:CreatorVersion>"
        "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )


def _zip(entries: dict[str, bytes]) -> bytes:
    stamp = max(fixed_datetime().timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            stored = name.endswith((".png", ".jpg"))  # already compressed
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=None if stored else 6)
    return buffer.getvalue()


def _outlines(bookmarks: list[Bookmark], page_ids: list[int]) -> str:
    def element(mark: Bookmark) -> str:
        dest = (f'<ofd:Dest Type="XYZ"{_attr("PageID", page_ids[mark.page])}{_attr("Left", num(mark.x))}'
                f'{_attr("Top", num(mark.y))}/>')
        children = "".join(element(child) for child in mark.children)
        return (f"<ofd:OutlineElem{_attr('Title', mark.title)}><ofd:Actions><ofd:Action Event=\"CLICK\">"
                f"<ofd:Goto>{dest}</ofd:Goto></ofd:Action></ofd:Actions>{children}</ofd:OutlineElem>")

    return f"<ofd:Outlines>{''.join(map(element, bookmarks))}</ofd:Outlines>" if bookmarks else ""


# --- fonts ------------------------------------------------------------------------------------------
def _fonts(pages: list[Page], ids: _Ids) -> dict[tuple, _FontUse]:
    """Each face used, with the glyphs its runs show, and an ID (in order of first use)."""
    uses: dict[tuple, _FontUse] = {}
    for page in pages:
        for run in _runs(page):
            use = uses.get(run.font.key)
            if use is None:
                use = uses[run.font.key] = _FontUse(ids.next(), run.font, set(), {})
            for glyph in run.glyphs:
                use.gids.add(glyph.gid)
                own = run.font.glyph_id(glyph.text) if glyph.text else None
                glyph.cmap_ok = own == glyph.gid
                if glyph.cmap_ok:
                    use.chars[glyph.text] = glyph.gid
    for use in uses.values():
        ordered = sorted({0, *use.gids})
        use.new_gid = {gid: index for index, gid in enumerate(ordered)}
    return uses


def _runs(page: Page) -> Iterable[TextRun]:
    return (item for item in (*page.background, *page.body) if isinstance(item, TextRun))


# --- pages ------------------------------------------------------------------------------------------
def _page_xml(page: Page, fonts: dict[tuple, _FontUse], images: dict[bytes, tuple[int, str]], ids: _Ids) -> bytes:
    layers = []
    for kind, items in (("Background", page.background), ("Body", page.body)):
        if not items and kind == "Background":
            continue
        layer_id = ids.next()
        objects = []
        for item in items:
            if isinstance(item, TextRun):
                objects.append(_text_object(item, fonts[item.font.key], ids.next()))
            elif isinstance(item, Rule):
                objects.append(_path_object(item, ids.next()))
            else:
                objects.append(_image_object(item, images[item.data][0], ids.next()))
        layers.append(f'<ofd:Layer{_attr("ID", layer_id)}{_attr("Type", kind)}>{"".join(objects)}</ofd:Layer>')
    return _xml(f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content>{"".join(layers)}</ofd:Content></ofd:Page>')


def _placed(local: tuple[float, float, float, float], matrix: Matrix6 | None) -> tuple[tuple, str]:
    """The Boundary (page mm) of a local box, and the CTM attribute that maps local → boundary space."""
    x, y, w, h = local
    if matrix is None:
        return local, ""
    corners = [apply(matrix, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))]
    box = bounds(corners)
    a, b, c, d, e, f = matrix
    ctm = " ".join(num(v) if i > 3 else f"{v:.6f}".rstrip("0").rstrip(".") or "0"
                   for i, v in enumerate((a, b, c, d, e - box[0], f - box[1])))
    return box, _attr("CTM", ctm)


def _color(tag: str, rgb: tuple[int, int, int], alpha: int = 255) -> str:
    alpha_attr = _attr("Alpha", alpha) if alpha < 255 else ""
    return f"<ofd:{tag}{_attr('Value', ' '.join(map(str, rgb)))}{alpha_attr}/>"


def _text_object(run: TextRun, use: _FontUse, object_id: int) -> str:
    glyphs = run.glyphs
    left = min(g.x for g in glyphs)
    right = max(g.x + g.advance for g in glyphs)
    top = min(g.y for g in glyphs) - run.size * max(ASCENT, run.font.ascent)
    bottom = max(g.y for g in glyphs) + run.size * max(DESCENT, run.font.descent)
    local = (left, top, right - left, bottom - top)
    box, ctm = _placed(local, run.matrix)
    # Object space: the local page space moved to the box's corner (no CTM), or the CTM's input space.
    ox, oy = (box[0], box[1]) if not ctm else (0.0, 0.0)
    codes = []
    for line in _baselines(glyphs):
        codes.append(_text_code(line, use, ox, oy))
    fill = _color("FillColor", run.color, run.alpha) if run.color != (0, 0, 0) or run.alpha < 255 else ""
    return (f"<ofd:TextObject{_attr('ID', object_id)}{_attr('Boundary', ' '.join(map(num, box)))}{ctm}"
            f"{_attr('Font', use.id)}{_attr('Size', num(run.size))}>{fill}{''.join(codes)}</ofd:TextObject>")


def _baselines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs split where the baseline moves (a raised glyph starts a new TextCode)."""
    lines: list[list[Glyph]] = []
    for glyph in glyphs:
        if lines and abs(lines[-1][-1].y - glyph.y) < 1e-6:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return lines


def _text_code(glyphs: list[Glyph], use: _FontUse, ox: float, oy: float) -> str:
    """One TextCode: X/Y of the first baseline origin, DeltaX per character, CGTransform where a
    glyph is not the one the font's cmap gives for its character (or a cluster is not one to one)."""
    assert use.new_gid is not None
    # Clusters: a glyph with text starts one; glyphs without text belong to the cluster before.
    clusters: list[tuple[str, list[Glyph]]] = []
    for glyph in glyphs:
        if glyph.text or not clusters:
            clusters.append((glyph.text, [glyph]))
        else:
            clusters[-1][1].append(glyph)
    text, deltas, transforms = [], [], []
    position = 0
    rounded = [round(c[1][0].x - ox, 3) for c in clusters]
    for index, (chars, members) in enumerate(clusters):
        chars = chars or "\ufffd"
        if len(chars) != 1 or len(members) != 1 or not members[0].cmap_ok:
            glyph_ids = " ".join(str(use.new_gid[g.gid]) for g in members)
            transforms.append(f'<ofd:CGTransform{_attr("CodePosition", position)}{_attr("CodeCount", len(chars))}'
                              f'{_attr("GlyphCount", len(members))}><ofd:Glyphs>{glyph_ids}</ofd:Glyphs>'
                              "</ofd:CGTransform>")
        text.append(chars)
        following = rounded[index + 1] if index + 1 < len(clusters) else None
        for k in range(len(chars)):
            last_char = k == len(chars) - 1
            if following is not None or not last_char:
                deltas.append(following - rounded[index] if last_char and following is not None else 0.0)
        position += len(chars)
    delta_attr = _attr("DeltaX", " ".join(num(d) for d in deltas)) if deltas else ""
    first = glyphs[0]
    return (f"{''.join(transforms)}<ofd:TextCode{_attr('X', num(first.x - ox))}{_attr('Y', num(first.y - oy))}"
            f"{delta_attr}>{escape(''.join(text))}</ofd:TextCode>")


def _path_object(rule: Rule, object_id: int) -> str:
    half = rule.width / 2
    if abs(rule.y1 - rule.y2) < 1e-9:  # horizontal
        local = (min(rule.x1, rule.x2), rule.y1 - half, abs(rule.x2 - rule.x1), rule.width)
    elif abs(rule.x1 - rule.x2) < 1e-9:  # vertical
        local = (rule.x1 - half, min(rule.y1, rule.y2), rule.width, abs(rule.y2 - rule.y1))
    else:
        x, y, w, h = bounds([(rule.x1, rule.y1), (rule.x2, rule.y2)])
        local = (x - half, y - half, w + rule.width, h + rule.width)
    box, ctm = _placed(local, rule.matrix)
    ox, oy = (box[0], box[1]) if not ctm else (0.0, 0.0)
    data = f"M {num(rule.x1 - ox)} {num(rule.y1 - oy)} L {num(rule.x2 - ox)} {num(rule.y2 - oy)}"
    return (f"<ofd:PathObject{_attr('ID', object_id)}{_attr('Boundary', ' '.join(map(num, box)))}{ctm}"
            f"{_attr('LineWidth', num(rule.width))}>{_color('StrokeColor', rule.color, rule.alpha)}"
            f"<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>")


def _image_object(image: Image, resource_id: int, object_id: int) -> str:
    """An image fills the unit square of its object space: the CTM scales it to its size."""
    m = image.matrix or (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    a, b, c, d, e, f = m
    w, h = image.width, image.height
    full = (a * w, b * w, c * h, d * h, a * image.x + c * image.y + e, b * image.x + d * image.y + f)
    corners = [apply(full, u, v) for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))]
    box = bounds(corners)
    ctm = (full[0], full[1], full[2], full[3], full[4] - box[0], full[5] - box[1])
    return (f"<ofd:ImageObject{_attr('ID', object_id)}{_attr('Boundary', ' '.join(map(num, box)))}"
            f"{_attr('CTM', ' '.join(map(num, ctm)))}{_attr('ResourceID', resource_id)}/>")
