"""What WeasyPrint's laid-out pages tell the transforms: on which page an element is, where it starts and
how tall it is, where the text on a page ends.

The last page's decisions (where the 版记 goes, whether the signature would stand without body text)
need the body laid out; WeasyPrint keeps its boxes after ``render`` and offers no public query of them,
so this module walks them (WeasyPrint 70: ``Page._page_box``, ``box.children``, ``box.element``,
``position_y``, ``margin_height()``, ``LineBox``), in this one place. Lengths are in millimetres from the
top of the type block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

PX_PER_MM = 96 / 25.4  # WeasyPrint lays out in CSS pixels
IMPRINT_PROBE = "imprint-probe"  # the HTML writer's class of the 版记's zero-height mark (model.PROBE)


@dataclass(frozen=True)
class Mark:
    """An element found on a page: the page (1-based), its top and height in mm within the type block."""

    page: int
    top_mm: float
    height_mm: float
    inner_height_mm: float  # the tallest child's height (an absolutely placed box inside a zero-height mark)


def _boxes(box) -> Iterator:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def marks(pages: list, css_class: str) -> list[Mark]:
    """Every box of an element with ``css_class`` (one per page it is on), in page order."""
    found = []
    for number, page in enumerate(pages, 1):
        page_box = page._page_box
        origin = page_box.content_box_y()
        for box in _boxes(page_box):
            if css_class in _classes(box):
                inner = max((child.margin_height() for child in _boxes(box) if child is not box), default=0.0)
                found.append(Mark(number, (box.position_y - origin) / PX_PER_MM, box.margin_height() / PX_PER_MM,
                                  inner / PX_PER_MM))
    return found


def text_bottom_mm(page, below: str = "") -> float:
    """Where the last line of text on a page ends (mm within the type block), or 0 for a page without
    text; ``below``: a class whose boxes are left out (the 版记 itself)."""
    page_box = page._page_box
    origin = page_box.content_box_y()
    from weasyprint.formatting_structure import boxes

    bottom = 0.0

    def walk(box) -> None:
        nonlocal bottom
        if below and below in _classes(box):
            return
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
            bottom = max(bottom, (box.position_y + box.margin_height() - origin) / PX_PER_MM)
            return
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page_box)
    return bottom


@dataclass(frozen=True)
class TextLine:
    """A line of text on a page: its top and bottom (mm within the type block), its text, and the classes
    and tags of the elements it sits in (``p``, ``h2``, ``attachment-note``, ``signed`` …)."""

    top_mm: float
    bottom_mm: float
    text: str
    within: frozenset[str]


def lines(page) -> list[TextLine]:
    """The text lines of a page (the page number's margin box left out), in order."""
    from weasyprint.formatting_structure import boxes

    page_box = page._page_box
    origin = page_box.content_box_y()
    found = []

    def walk(box, within: frozenset[str]) -> None:
        if isinstance(box, boxes.MarginBox):
            return
        element = getattr(box, "element", None)
        if element is not None:
            within = within | _classes(box) | {getattr(box, "element_tag", "")}
        if isinstance(box, boxes.LineBox):
            text = "".join(child.text for child in _boxes(box) if isinstance(child, boxes.TextBox))
            top = (box.position_y - origin) / PX_PER_MM
            found.append(TextLine(top, top + box.margin_height() / PX_PER_MM, text, within))
            return
        for child in getattr(box, "children", ()):
            walk(child, within)

    walk(page_box, frozenset())
    return found


def body_rows_per_page(pages: list) -> list[int]:
    """How many body rows of tables (a ``tbody``'s rows: the header row repeated on a page is not one)
    each page holds."""
    counts = []
    for page in pages:
        counts.append(sum(len(box.children) for box in _boxes(page._page_box)
                          if getattr(box, "element_tag", "") == "tbody"))
    return counts
