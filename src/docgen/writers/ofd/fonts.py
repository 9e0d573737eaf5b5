"""The fonts an OFD embeds: the faces WeasyPrint laid the text out with, subset and made TrueType.

Which file: exactly the face Pango shaped each run with (the role's file from ``docgen.writers.fonts``, or a
fallback such as Noto CJK for a character the role's file lacks), so the glyphs and advances in the
OFD are the PDF's.

Why TrueType: the open Fandol fonts are OpenType with CFF (PostScript) outlines, and so is Noto
CJK. GB/T 33190 readers render TrueType outlines everywhere; CFF support varies (a reader that
draws through a TrueType-only engine, as ReportLab's, drops the embedded font and substitutes by
name). So each used glyph is drawn once per process through fontTools' cu2qu pen (cubic →
quadratic, within 1 font unit) and cached; each document then gets a small TrueType font built
from its own glyphs (FontBuilder, with the source's name records for copyright and licence, and its
timestamps, so the same input gives the same bytes).

Which name: a reader that does not use an embedded file substitutes by name, so ``FontName`` is the
office name the DOCX uses for the role (仿宋_GB2312, 楷体_GB2312, 黑体, 宋体, 方正小标宋简体) and
``FamilyName`` the font every Chinese system has (仿宋, 楷体, 黑体, 宋体; 宋体 for 小标宋).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property

from docgen.writers.fonts import ROLES, ResolvedFont

# The family a reader finds on any Chinese system, per role (小标宋 falls back to 宋体, bold).
SYSTEM_FAMILY = {"title": "宋体", "body": "仿宋", "kai": "楷体", "hei": "黑体", "song": "宋体"}
CURVE_TOLERANCE = 1.0  # font units: how far a quadratic outline may stray from the cubic one


@dataclass(frozen=True)
class _TTGlyph:
    """A glyph compiled for a glyf table, with what head, hhea and maxp need of it."""

    data: bytes
    advance: int
    bounds: tuple[int, int, int, int]  # xMin, yMin, xMax, yMax
    points: int
    contours: int


@dataclass
class FontFace:
    """One face WeasyPrint used: its file, the role it serves, and its glyphs converted so far."""

    key: tuple
    data: bytes
    index: int  # face in a collection (.ttc)
    family: str  # as Pango names it: docgen-body, or a fallback family
    role: str | None  # docgen.writers.fonts role key, None for a fallback face
    glyph_cache: dict[int, _TTGlyph] = field(default_factory=dict)

    @cached_property
    def font(self):
        from fontTools.ttLib import TTFont

        return TTFont(io.BytesIO(self.data), fontNumber=self.index, lazy=True)

    @cached_property
    def glyph_set(self):
        return self.font.getGlyphSet()

    @cached_property
    def cmap(self) -> dict[int, str]:
        return self.font.getBestCmap() or {}

    @cached_property
    def glyph_order(self) -> list[str]:
        return self.font.getGlyphOrder()

    @cached_property
    def units_per_em(self) -> int:
        return self.font["head"].unitsPerEm

    @cached_property
    def cubic(self) -> bool:
        return "CFF " in self.font or "CFF2" in self.font

    @cached_property
    def own_family(self) -> str:
        name = self.font["name"]
        return (name.getBestFamilyName() or self.family).strip()

    @cached_property
    def ascent(self) -> float:
        """Above the baseline, in ems."""
        return self.font["hhea"].ascent / self.units_per_em

    @cached_property
    def descent(self) -> float:
        return -self.font["hhea"].descent / self.units_per_em

    @cached_property
    def bold(self) -> bool:
        """小标宋 is a heavy face: a reader substituting 宋体 comes closer with its bold."""
        return self.role == "title" or ("OS/2" in self.font and self.font["OS/2"].usWeightClass >= 600)

    @property
    def font_name(self) -> str:
        return ROLES[self.role].office_name if self.role else self.own_family

    @property
    def family_name(self) -> str:
        return SYSTEM_FAMILY.get(self.role or "", self.own_family)

    @property
    def serif(self) -> bool:
        return self.role != "hei" and "sans" not in self.own_family.lower()

    def glyph_id(self, char: str) -> int | None:
        name = self.cmap.get(ord(char)) if len(char) == 1 else None
        return self.font.getGlyphID(name) if name is not None else None

    def _glyph(self, gid: int) -> _TTGlyph:
        """The glyph as compiled TrueType (quadratic, components decomposed), once per process."""
        cached = self.glyph_cache.get(gid)
        if cached is None:
            from fontTools.pens.cu2quPen import Cu2QuPen
            from fontTools.pens.recordingPen import DecomposingRecordingPen
            from fontTools.pens.ttGlyphPen import TTGlyphPen

            name = self.glyph_order[gid] if gid < len(self.glyph_order) else ".notdef"
            pen = TTGlyphPen(None)
            target = Cu2QuPen(pen, CURVE_TOLERANCE, reverse_direction=self.cubic)
            if self.cubic:  # CFF has no components
                self.glyph_set[name].draw(target)
            else:
                recording = DecomposingRecordingPen(self.glyph_set)
                self.glyph_set[name].draw(recording)
                recording.replay(target)
            glyph = pen.glyph()
            data = glyph.compile(None, recalcBBoxes=True)
            contours = max(glyph.numberOfContours, 0)
            points = len(glyph.coordinates) if contours else 0
            bounds = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax) if contours else (0, 0, 0, 0)
            cached = self.glyph_cache[gid] = _TTGlyph(data, self.font["hmtx"][name][0], bounds, points, contours)
        return cached

    def subset(self, gids: set[int], chars: dict[str, int]) -> bytes:
        """A TrueType font with .notdef and ``gids`` (in their original order); ``chars`` maps each
        character the text shows with its own glyph to that glyph. Same glyphs → same bytes.

        The glyphs are compiled once per process: the font is assembled from their bytes with
        fontTools' bounding-box recalculation off, and the bounds and maxima set from the cache."""
        from fontTools.fontBuilder import FontBuilder
        from fontTools.ttLib import newTable
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        source = self.font
        used = sorted({0, *gids})
        names = [".notdef" if gid == 0 else f"g{gid}" for gid in used]
        new_name = dict(zip(used, names, strict=True))
        glyphs = {name: self._glyph(gid) for gid, name in zip(used, names, strict=True)}
        builder = FontBuilder(self.units_per_em, isTTF=True)
        font = builder.font
        font.recalcBBoxes = False
        builder.setupGlyphOrder(names)
        builder.setupCharacterMap({ord(c): new_name[g] for c, g in sorted(chars.items()) if g in new_name})
        font["loca"] = newTable("loca")
        glyf = font["glyf"] = newTable("glyf")
        glyf.glyphOrder = names
        glyf.glyphs = {name: Glyph(g.data) for name, g in glyphs.items()}
        builder.setupHorizontalMetrics({n: (g.advance, g.bounds[0]) for n, g in glyphs.items()})
        hhea = source["hhea"]
        builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
        builder.setupNameTable(self._names())
        builder.setupOS2(**self._os2())
        builder.setupPost(keepGlyphNames=False)
        inked = [g for g in glyphs.values() if g.contours]
        head = font["head"]
        head.created, head.modified = source["head"].created, source["head"].modified
        head.fontRevision = source["head"].fontRevision
        head.macStyle = source["head"].macStyle
        if inked:
            head.xMin = min(g.bounds[0] for g in inked)
            head.yMin = min(g.bounds[1] for g in inked)
            head.xMax = max(g.bounds[2] for g in inked)
            head.yMax = max(g.bounds[3] for g in inked)
        maxp = font["maxp"]
        maxp.maxPoints = max((g.points for g in inked), default=0)
        maxp.maxContours = max((g.contours for g in inked), default=0)
        hh = font["hhea"]
        hh.advanceWidthMax = max(g.advance for g in glyphs.values())
        hh.minLeftSideBearing = min((g.bounds[0] for g in inked), default=0)
        hh.minRightSideBearing = min((g.advance - g.bounds[2] for g in inked), default=0)
        hh.xMaxExtent = max((g.bounds[2] for g in inked), default=0)
        font["OS/2"].updateFirstAndLastCharIndex(font)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()

    def _names(self) -> dict[str, str]:
        name = self.font["name"]

        def get(name_id: int) -> str:
            record = name.getName(name_id, 3, 1, 0x409) or name.getName(name_id, 1, 0, 0)
            return record.toUnicode() if record else ""

        family = self.own_family
        style = get(2) or "Regular"
        names = {
            "familyName": family, "styleName": style, "uniqueFontIdentifier": f"docgen subset of {get(3) or family}",
            "fullName": get(4) or f"{family} {style}", "psName": (get(6) or family).replace(" ", "-"),
            "version": get(5) or "Version 1.0",
        }
        for key, name_id in (("copyright", 0), ("trademark", 7), ("licenseDescription", 13),
                             ("licenseInfoURL", 14)):
            if get(name_id):
                names[key] = get(name_id)
        return names

    def _os2(self) -> dict:
        if "OS/2" not in self.font:
            return {}
        os2 = self.font["OS/2"]
        keys = ("usWeightClass", "usWidthClass", "fsType", "sTypoAscender", "sTypoDescender", "sTypoLineGap",
                "usWinAscent", "usWinDescent", "sxHeight", "sCapHeight", "achVendID", "fsSelection")
        values = {k: getattr(os2, k) for k in keys if hasattr(os2, k)}
        values["panose"] = os2.panose
        return values  # fsType, the embedding licence bits, as the source says


class FontRegistry:
    """Pango fonts → FontFace, once per process (a face's file is read from HarfBuzz once)."""

    def __init__(self, resolved: dict[str, ResolvedFont]) -> None:
        self._faces: dict[tuple, FontFace] = {}
        self._roles = {f.css_family: key for key, f in resolved.items()}

    def face(self, pango_font) -> tuple[FontFace, float]:
        """The face and its size in CSS px."""
        from weasyprint.text.ffi import ffi, harfbuzz, pango
        from weasyprint.text.fonts import get_hb_object_data, get_pango_font_hb_face, get_pango_font_key

        _, description, size = get_pango_font_key(pango_font)
        family = ffi.string(pango.pango_font_description_get_family(description)).decode()
        hb_face = get_pango_font_hb_face(pango_font)
        index = harfbuzz.hb_face_get_index(hb_face)
        blob = harfbuzz.hb_face_reference_blob(hb_face)
        length = harfbuzz.hb_blob_get_length(blob)
        harfbuzz.hb_blob_destroy(blob)
        key = (family, index, length)  # one face, whatever weight or style Pango was asked for
        face = self._faces.get(key)
        if face is None:
            face = self._faces[key] = FontFace(key, get_hb_object_data(hb_face), index, family,
                                               self._roles.get(family))
        return face, size
