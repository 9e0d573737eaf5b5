"""Picture placeholders: a picture whose alt text is ``{{ seal }}`` becomes the data's seal.

The office draws a placeholder (any picture) where the seal goes, sizes it, and writes
``{{ seal }}`` as its alt text (Word: 编辑替换文字; LibreOffice: 说明; ``wp:docPr/@descr``). Each
document gets the image the expression names, at the placeholder's size and position, floating
behind the text (``wp:anchor behindDoc="1"``, no wrapping) as a seal over the signature and date is
printed. An in-line placeholder becomes a floating one whose bottom stays on its line's bottom.

The image must be one the data names (``documents.<key>.seal``, checked and resolved by
``pipeline.load_campaign``): an expression cannot reach any other file. No seal (none in the data,
or a draft) leaves the placeholder out.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from docgen.i18n import _
from docgen.wordtemplate.ooxml import a, r, w, wp

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
DEFAULT_LINE_EMU = 12 * 12700 * 115 // 100  # 12 pt at single spacing
_WRAPS = ("wrapNone", "wrapSquare", "wrapTight", "wrapThrough", "wrapTopAndBottom")


def rel_id(number: int) -> str:
    return f"rIdDocgenPic{number}"


def media_name(number: int, extension: str) -> str:
    return f"media/docgen-picture-{number}.{extension}"


def image_extension(data: bytes) -> str | None:
    if data.startswith(PNG):
        return "png"
    if data.startswith(JPEG):
        return "jpeg"
    return None


def make_floating(drawing: etree._Element, number: int) -> list[str]:
    """Point the placeholder at this document's picture and float it behind the text, in place.

    Returns the relationship ids the placeholder's own image had (unused now, unless shown elsewhere)."""
    previous = [blip.get(r("embed")) for blip in drawing.iter(a("blip")) if blip.get(r("embed"))]
    inline = drawing.find(wp("inline"))
    if inline is not None:
        anchor = _anchor_from_inline(inline, _line_height(drawing))
        inline.addprevious(anchor)
        drawing.remove(inline)
    else:
        anchor = drawing.find(wp("anchor"))
        if anchor is None:
            return previous
        anchor.set("behindDoc", "1")
        anchor.set("allowOverlap", "1")
        wraps = [child for child in anchor if child.tag in {wp(name) for name in _WRAPS}]
        for wrap in wraps[1:]:
            anchor.remove(wrap)
        if wraps:
            wraps[0].addprevious(etree.Element(wp("wrapNone")))
            anchor.remove(wraps[0])
    doc_pr = anchor.find(wp("docPr"))
    if doc_pr is not None:
        doc_pr.set("descr", "")
        doc_pr.attrib.pop("title", None)
    for blip in anchor.iter(a("blip")):
        for child in list(blip):  # e.g. an SVG alternative that would still show the placeholder
            blip.remove(child)
        blip.attrib.pop(r("link"), None)  # a linked (not embedded) placeholder image
        blip.set(r("embed"), rel_id(number))
    for crop in anchor.iter(a("srcRect")):
        crop.getparent().remove(crop)
    return previous


def _line_height(drawing: etree._Element) -> int:
    """The line's height in EMU, from its paragraph's exact or at-least spacing (else 12 pt single)."""
    para = next((p for p in drawing.iterancestors() if p.tag == w("p")), None)
    spacing = para.find(f"{w('pPr')}/{w('spacing')}") if para is not None else None
    if spacing is not None and spacing.get(w("lineRule")) in ("exact", "atLeast") and spacing.get(w("line")):
        return int(spacing.get(w("line"))) * 635
    return DEFAULT_LINE_EMU


def _anchor_from_inline(inline: etree._Element, line_emu: int) -> etree._Element:
    extent = inline.find(wp("extent"))
    height = int(extent.get("cy", "0")) if extent is not None else 0
    anchor = etree.Element(wp("anchor"), {
        "distT": "0", "distB": "0", "distL": "0", "distR": "0", "simplePos": "0", "relativeHeight": "251659264",
        "behindDoc": "1", "locked": "0", "layoutInCell": "1", "allowOverlap": "1"})
    etree.SubElement(anchor, wp("simplePos"), {"x": "0", "y": "0"})
    horizontal = etree.SubElement(anchor, wp("positionH"), {"relativeFrom": "character"})
    etree.SubElement(horizontal, wp("posOffset")).text = "0"
    vertical = etree.SubElement(anchor, wp("positionV"), {"relativeFrom": "line"})
    etree.SubElement(vertical, wp("posOffset")).text = str(line_emu - height)
    for name in ("extent", "effectExtent"):
        found = inline.find(wp(name))
        if found is not None:
            anchor.append(copy.deepcopy(found))
        elif name == "effectExtent":
            etree.SubElement(anchor, wp("effectExtent"), {"l": "0", "t": "0", "r": "0", "b": "0"})
    etree.SubElement(anchor, wp("wrapNone"))
    for name in ("docPr", "cNvGraphicFramePr"):
        found = inline.find(wp(name))
        if found is not None:
            anchor.append(copy.deepcopy(found))
    graphic = inline.find(a("graphic"))
    if graphic is not None:
        anchor.append(copy.deepcopy(graphic))
    return anchor


class Pictures:
    """What one document's placeholders asked for: number → image file (one of the data's images)."""

    def __init__(self, allowed: frozenset[str]) -> None:
        self.allowed = allowed
        self.chosen: dict[int, str] = {}

    def take(self, number: int, value: object) -> bool:
        """Called from the template: keep the placeholder (True) with ``value``'s image, or leave it out."""
        if value is None or value == "" or value is False:
            return False
        path = str(Path(str(value)).resolve())
        if path not in self.allowed:
            raise ValueError(
                _("a picture placeholder shows only an image the data names (documents.<key>.seal), not "
                  "{value!r}").format(
                    value=value))
        previous = self.chosen.get(number)
        if previous is not None and previous != path:
            raise ValueError(_("one picture placeholder cannot show two different images in one document"))
        self.chosen[number] = path
        return True
