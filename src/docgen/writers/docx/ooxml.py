"""Small WordprocessingML helpers python-docx does not offer: elements in schema order.

Word rejects a file whose paragraph or section properties are out of the schema's order, and
python-docx only models some of them (no borders, frames, grid), so docgen inserts the rest here.
"""

from __future__ import annotations

import re

from docx.oxml import parse_xml
from docx.oxml.ns import qn

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office"'
)

PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
    "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)
SECTPR_ORDER = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
    "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
    "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)


def element(xml: str):
    """Parse a fragment written with w:, r:, wp:, a:, pic:, wps:, v: or o: prefixes."""
    return parse_xml(re.sub(r"^<([\w:]+)", lambda m: f"<{m.group(1)} {NAMESPACES}", xml.strip(), count=1))


def put(parent, child, order: tuple[str, ...]) -> None:
    """Add ``child`` to ``parent`` where the schema wants it, replacing one with the same tag."""
    local = child.tag.rsplit("}", 1)[-1]
    existing = parent.find(qn(f"w:{local}"))
    if existing is not None and local not in ("headerReference", "footerReference"):
        parent.replace(existing, child)
        return
    rank = order.index(local)
    for sibling in parent:
        name = sibling.tag.rsplit("}", 1)[-1]
        if name in order and order.index(name) > rank:
            sibling.addprevious(child)
            return
    parent.append(child)


def paragraph_property(paragraph, xml: str) -> None:
    put(paragraph._p.get_or_add_pPr(), element(xml), PPR_ORDER)


def run_property(run, xml: str) -> None:
    put(run._r.get_or_add_rPr(), element(xml), RPR_ORDER)


def section_property(sect_pr, xml: str) -> None:
    put(sect_pr, element(xml), SECTPR_ORDER)
