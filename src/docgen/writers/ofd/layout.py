"""WeasyPrint's laid-out pages → what an OFD page holds: glyphs, rules and images in page millimetres.

This module (with ``fonts.FontRegistry``) is where docgen reads WeasyPrint's internals
(``INTERNALS`` names each one, ``tests/test_ofd.py`` fails loudly when one of them changes, and
pyproject pins WeasyPrint to the 70 series they were read from): the page boxes of
``Document.pages[i]._page_box``, each text box's Pango layout (its glyph runs: glyph ids, advances
with letter-spacing, clusters, fonts), the transform matrices WeasyPrint computed for ``transform``,
and the collapsed table borders, drawn by WeasyPrint's own routine into a recorder.

It walks boxes, not model nodes: the PDF writer's HTML rules already turned every node into boxes
(an unknown node fails there, in ``HtmlWriter``), and the OFD is what those boxes paint. What this
walker cannot paint exactly as the PDF does (a background, a dashed border, text decoration,
opacity, an SVG…) raises ``UnknownContent``: nothing the PDF shows is ever silently left out.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field

from docgen.standard.units import pt_to_mm
from docgen.writers.base import UnknownNode

PT_PER_PX = 0.75  # CSS: 96 px to the inch, 72 pt to the inch

# What of WeasyPrint this module uses beyond its documented API (checked by tests/test_ofd.py).
INTERNALS = (
    "weasyprint.Page._page_box",
    "weasyprint.formatting_structure.boxes (PageBox, MarginBox, BlockBox, LineBox, TextBox, InlineBox, "
    "InlineBlockBox, BlockReplacedBox, InlineReplacedBox, TableBox…)",
    "weasyprint.layout.absolute.AbsolutePlaceholder",
    "Box.transformation_matrix (set by weasyprint.anchors.gather_anchors)",
    "TextBox.pango_layout: reactivate(style), get_first_line(), deactivate(), text",
    "PangoLayoutLine.runs → PangoGlyphItem: item.offset, item.analysis.font, glyphs.glyphs[i].glyph, "
    ".geometry.width/x_offset/y_offset, glyphs.log_clusters",
    "weasyprint.text.fonts.get_pango_font_key, get_pango_font_hb_face, get_hb_object_data",
    "weasyprint.text.ffi.pango, ffi, FROM_UNITS; harfbuzz.hb_face_get_index, hb_face_reference_blob, "
    "hb_blob_get_length, hb_blob_destroy (writers/ofd/fonts.py)",
    "weasyprint.layout.replaced.replacedbox_layout",
    "weasyprint.draw.draw_collapsed_borders(stream, table)",
)


class UnknownContent(UnknownNode):
    """Something on a laid-out page the OFD writer cannot paint as the PDF does: a bug in docgen."""


def px_to_mm(px: float) -> float:
    return pt_to_mm(px * PT_PER_PX)


Matrix6 = tuple[float, float, float, float, float, float]  # x' = a x + c y + e, y' = b x + d y + f
IDENTITY: Matrix6 = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class Glyph:
    text: str  # the characters of this glyph's cluster
    gid: int  # glyph id in the font WeasyPrint used
    x: float  # origin on the baseline, page mm before the run's matrix
    y: float
    advance: float  # mm, letter-spacing included
    cmap_ok: bool = True  # the font's cmap maps ``text`` to ``gid`` (else the OFD needs a CGTransform)


@dataclass
class TextRun:
    """Glyphs of one font, size and colour on one baseline (one OFD TextObject)."""

    font: object  # a fonts.FontFace
    size: float  # mm
    color: tuple[int, int, int]
    alpha: int  # 0–255
    glyphs: list[Glyph]
    matrix: Matrix6 | None = None  # a CSS transform (watermark rotation, masthead condensing), page mm


@dataclass
class Rule:
    """A stroked straight line: a border side (red line, 版记 rules, table borders)."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float  # mm
    color: tuple[int, int, int]
    alpha: int = 255
    matrix: Matrix6 | None = None


@dataclass
class Image:
    data: bytes
    kind: str  # "PNG" or "JPEG"
    x: float
    y: float
    width: float
    height: float
    matrix: Matrix6 | None = None


@dataclass
class Page:
    width: float
    height: float
    background: list[TextRun | Rule | Image] = field(default_factory=list)  # under the text (z-index < 0)
    body: list[TextRun | Rule | Image] = field(default_factory=list)


class _Recorder:
    """Stands in for WeasyPrint's PDF stream while its collapsed-border routine draws a table."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, float, float, float, float, object]] = []
        self._width = 1.0
        self._color = None
        self._start: tuple[float, float] | None = None
        self._pending: list[tuple[float, float, float, float]] = []

    def artifact(self):
        return _Null()

    def stacked(self):
        return _Null()

    def set_color(self, color, stroke=False):
        self._color = color

    def set_line_width(self, width):
        self._width = width

    def set_dash(self, *args):
        raise UnknownContent("a dashed or dotted table border")

    def set_line_cap(self, *args):
        raise UnknownContent("a dotted table border")

    def move_to(self, x, y):
        self._start = (x, y)

    def line_to(self, x, y):
        assert self._start is not None
        self._pending.append((*self._start, x, y))
        self._start = (x, y)

    def stroke(self):
        for x1, y1, x2, y2 in self._pending:
            self.lines.append((x1, y1, x2, y2, self._width, self._color))
        self._pending = []

    def __getattr__(self, name):
        raise UnknownContent(f"a table border drawn with {name}()")


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _rgb(color) -> tuple[tuple[int, int, int], int]:
    r, g, b = color.to("srgb").coordinates
    return (round(r * 255), round(g * 255), round(b * 255)), round(color.alpha * 255)


def _compose(inner, outer):
    """WeasyPrint matrices: the point goes through ``inner`` first."""
    if inner is None:
        return outer
    return inner if outer is None else inner @ outer


def _mm_matrix(matrix) -> Matrix6 | None:
    """A WeasyPrint matrix in px → the same map in mm (None when it is the identity)."""
    if matrix is None:
        return None
    a, b, c, d, e, f = matrix.values
    if (a, b, c, d, e, f) == IDENTITY:
        return None
    return (a, b, c, d, px_to_mm(e), px_to_mm(f))


class PageWalker:
    """Walks one laid-out page; ``fonts`` turns a Pango font into an embedded font face."""

    def __init__(self, fonts) -> None:
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.absolute import AbsolutePlaceholder
        from weasyprint.text.ffi import FROM_UNITS, ffi, pango

        self.fonts = fonts
        self.boxes = boxes
        self.placeholder = AbsolutePlaceholder
        self.ffi, self.pango, self.from_units = ffi, pango, FROM_UNITS

    def page(self, page) -> Page:
        box = page._page_box
        out = Page(px_to_mm(box.margin_width()), px_to_mm(box.margin_height()))
        self._walk(box, None, False, out)
        out.background, out.body = _merged(out.background), _merged(out.body)
        return out

    # --- the tree -----------------------------------------------------------------------------
    def _walk(self, box, matrix, background: bool, out: Page, in_collapsed_table: bool = False) -> None:
        b = self.boxes
        if isinstance(box, self.placeholder):
            box = box._box
        if not isinstance(box, b.Box):
            raise UnknownContent(f"{type(box).__name__} on a page")
        kind = type(box)
        if kind not in self._known():
            raise UnknownContent(f"a {kind.__name__} ({box.element_tag})")
        if box.style["position"] in ("absolute", "fixed", "relative") and box.style["z_index"] != "auto":
            background = background or box.style["z_index"] < 0
        if box.transformation_matrix is not None:
            matrix = _compose(box.transformation_matrix, matrix)
        target = out.background if background else out.body
        visible = box.style["visibility"] == "visible"
        self._check_style(box)
        if isinstance(box, b.TableBox) and box.style["border_collapse"] == "collapse":
            if visible:
                self._collapsed_borders(box, matrix, target)
            in_collapsed_table = True
        elif visible and not in_collapsed_table:
            self._borders(box, matrix, target)
        if isinstance(box, b.TextBox):
            if visible:
                target.extend(self._text(box, matrix))
            return
        if isinstance(box, b.ReplacedBox):
            if visible:
                target.append(self._image(box, matrix))
            return
        for child in box.all_children():
            self._walk(child, matrix, background, out, in_collapsed_table)

    def _known(self) -> tuple[type, ...]:
        b = self.boxes
        return (
            b.PageBox, b.MarginBox, b.BlockBox, b.LineBox, b.TextBox, b.InlineBox, b.InlineBlockBox,
            b.BlockReplacedBox, b.InlineReplacedBox, b.TableBox, b.TableRowGroupBox, b.TableRowBox,
            b.TableCellBox, b.TableColumnGroupBox, b.TableColumnBox,
        )

    def _check_style(self, box) -> None:
        style = box.style
        what = f"<{box.element_tag}>"
        if not isinstance(box, self.boxes.PageBox) and style["background_color"].alpha > 0:
            raise UnknownContent(f"a background colour on {what}")
        if any(image[0] != "none" for image in style["background_image"]):
            raise UnknownContent(f"a background image on {what}")
        if style["box_shadow"]:
            raise UnknownContent(f"a box shadow on {what}")
        if style["outline_width"] and style["outline_style"] not in ("none", "hidden"):
            raise UnknownContent(f"an outline on {what}")
        if style["opacity"] < 1:
            raise UnknownContent(f"opacity on {what}")
        if style["text_decoration_line"] not in ("none", (), None) and isinstance(box, self.boxes.TextBox):
            raise UnknownContent(f"text decoration on {what}")
        if style["border_image_source"][0] != "none":
            raise UnknownContent(f"a border image on {what}")

    # --- borders ------------------------------------------------------------------------------
    def _borders(self, box, matrix, target: list) -> None:
        if isinstance(box, (self.boxes.PageBox, self.boxes.TextBox)):
            return
        widths = {side: getattr(box, f"border_{side}_width", 0) for side in ("top", "right", "bottom", "left")}
        if not any(widths.values()):
            return
        radii = [box.style[f"border_{corner}_radius"] for corner in
                 ("top_left", "top_right", "bottom_right", "bottom_left")]
        if any(r[0].value or r[1].value for r in radii):
            raise UnknownContent(f"rounded borders on <{box.element_tag}>")
        x, y = box.border_box_x(), box.border_box_y()
        w, h = box.border_width(), box.border_height()
        m = _mm_matrix(matrix)
        for side, width in widths.items():
            if not width:
                continue
            style = box.style[f"border_{side}_style"]
            color = box.style[f"border_{side}_color"]
            color = box.style["color"] if color == "currentcolor" else color
            if color.alpha == 0 or style in ("none", "hidden"):
                continue
            if style != "solid":
                raise UnknownContent(f"a {style} border on <{box.element_tag}>")
            if side == "top":
                line = (x, y + width / 2, x + w, y + width / 2)
            elif side == "bottom":
                line = (x, y + h - width / 2, x + w, y + h - width / 2)
            elif side == "left":
                line = (x + width / 2, y, x + width / 2, y + h)
            else:
                line = (x + w - width / 2, y, x + w - width / 2, y + h)
            rgb, alpha = _rgb(color)
            target.append(Rule(*map(px_to_mm, line), px_to_mm(width), rgb, alpha, m))

    def _collapsed_borders(self, table, matrix, target: list) -> None:
        from weasyprint.draw import draw_collapsed_borders

        recorder = _Recorder()
        draw_collapsed_borders(recorder, table)
        m = _mm_matrix(matrix)
        for x1, y1, x2, y2, width, color in recorder.lines:
            rgb, alpha = _rgb(color)
            target.append(Rule(px_to_mm(x1), px_to_mm(y1), px_to_mm(x2), px_to_mm(y2), px_to_mm(width), rgb, alpha, m))

    # --- images -------------------------------------------------------------------------------
    def _image(self, box, matrix) -> Image:
        from weasyprint.images import RasterImage
        from weasyprint.layout.replaced import replacedbox_layout

        if not isinstance(box.replacement, RasterImage):
            raise UnknownContent(f"a {type(box.replacement).__name__} image")
        src = box.element.get("src", "") if box.element is not None else ""
        head, _, payload = src.partition(",")
        if not (head.startswith("data:image/") and head.endswith(";base64")):
            raise UnknownContent("an image that is not inlined as a data: URI")
        data = base64.b64decode(payload)
        kind = "PNG" if data.startswith(b"\x89PNG") else "JPEG" if data.startswith(b"\xff\xd8") else ""
        if not kind:
            raise UnknownContent("an image that is neither PNG nor JPEG")
        width, height, x, y = replacedbox_layout(box)
        return Image(data, kind, px_to_mm(x), px_to_mm(y), px_to_mm(width), px_to_mm(height), _mm_matrix(matrix))

    # --- text ---------------------------------------------------------------------------------
    def _text(self, box, matrix) -> list[TextRun]:
        if not box.text.strip():
            return []
        rgb, alpha = _rgb(box.style["color"])
        m = _mm_matrix(matrix)
        runs: list[TextRun] = []
        x = box.position_x
        baseline = box.position_y + box.baseline
        for face, size, glyphs in self._glyph_runs(box, x, baseline):
            if glyphs:
                runs.append(TextRun(face, size, rgb, alpha, glyphs, m))
        return runs

    def _glyph_runs(self, box, x: float, baseline: float) -> Iterator[tuple[object, float, list[Glyph]]]:
        """Each Pango run of the box's line: its font, size (mm) and glyphs with their origins."""
        ffi, pango, from_units = self.ffi, self.pango, self.from_units
        layout = box.pango_layout
        layout.reactivate(box.style)
        try:
            pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
            line, _ = layout.get_first_line()
            utf8 = layout.text.encode()
            run = line.runs
            while run != ffi.NULL:
                glyph_item = run.data
                run = run.next
                item = glyph_item.item
                glyph_string = glyph_item.glyphs
                count = glyph_string.num_glyphs
                face, font_size = self.fonts.face(item.analysis.font)
                if item.analysis.level % 2:
                    raise UnknownContent("right-to-left text")
                clusters = [glyph_string.log_clusters[i] for i in range(count)]
                ends = [*clusters[1:], item.length]
                glyphs: list[Glyph] = []
                for i in range(count):
                    info = glyph_string.glyphs[i]
                    width = info.geometry.width * from_units
                    gid = info.glyph
                    if gid == pango.PANGO_GLYPH_EMPTY:
                        x += width
                        continue
                    if gid & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                        gid = 0  # .notdef: no font has the character (the PDF shows the same box)
                    start, end = item.offset + clusters[i], item.offset + ends[i]
                    text = utf8[start:end].decode() if end > start and (i == 0 or clusters[i] != clusters[i - 1]) \
                        else ""
                    gx = x + info.geometry.x_offset * from_units
                    gy = baseline + info.geometry.y_offset * from_units
                    glyphs.append(Glyph(text, gid, px_to_mm(gx), px_to_mm(gy), px_to_mm(width)))
                    x += width
                yield face, px_to_mm(font_size), glyphs
        finally:
            layout.deactivate()


def _merged(items: list) -> list:
    """Runs that follow each other on one baseline in one font, size, colour and transform become one
    (one TextObject per font and line: a paragraph's spans, a line cut into several text boxes)."""
    out: list = []
    for item in items:
        last = out[-1] if out else None
        if (isinstance(item, TextRun) and isinstance(last, TextRun) and item.font is last.font
                and (item.size, item.color, item.alpha, item.matrix) == (last.size, last.color, last.alpha, last.matrix)
                and abs(item.glyphs[0].y - last.glyphs[-1].y) < 1e-6 and item.glyphs[0].x >= last.glyphs[-1].x):
            last.glyphs.extend(item.glyphs)
        else:
            out.append(item)
    return out


def bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def apply(matrix: Matrix6 | None, x: float, y: float) -> tuple[float, float]:
    if matrix is None:
        return x, y
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f
