"""Table cells as docxtpl users write them: cell loops, merges, spans, and a grid that fits them.

名册 and 统计表 often have as many columns as the data has phases, months or branches. docxtpl's
spellings are read (``compile`` places the tags; this module edits the cells and the grid):

- ``{%tc for x in xs %}`` … ``{%tc endfor %}``, each in a cell of its own, repeat the cells between
  them (without ``tc`` too, when each tag has its cell to itself and no row loop is meant);
- ``{% vm %}`` in a cell inside a row loop merges that cell down the rows the loop makes (the first
  row's content shows: ``w:vMerge`` restart, then continue);
- ``{% hm %}`` in a cell inside a cell loop makes one cell across the loop's cells (``w:gridSpan``
  of the loop's length);
- ``{% colspan n %}`` makes the cell span ``n`` grid columns.

A table whose cells a loop or a span changed gets its grid (``w:tblGrid``) made again after each
rendering (``fix_grids``): as many columns as its widest row spans; the cells that are not repeated
keep their widths, the repeated ones share what is left of the table's width in their template
proportions, and every cell's width (``w:tcW``) is set to its columns'. Word and LibreOffice lay a
table out by its grid; one that disagrees with its rows is drawn with columns cut off or squeezed.
"""

from __future__ import annotations

from lxml import etree

from docgen.i18n import _
from docgen.wordtemplate.ooxml import XML_DECLARATION, parse, w

CELL_TAGS = ("vm", "hm", "colspan")
GRID = "docgen-grid"  # a table whose grid is made again after rendering
LOOPED = "docgen-looped"  # a cell a cell loop repeats
TC_PR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
               "tcPrChange")


def span(value: object) -> int:
    """``{% colspan n %}``'s ``n`` as grid columns (a template's fault when it is not a count)."""
    try:
        count = int(str(value))
    except ValueError:
        count = 0
    if count < 1:
        raise ValueError(_("colspan {value!r}: a cell spans a whole number of columns, at least 1").format(value=value))
    return count


def properties(cell: etree._Element) -> etree._Element:
    """The cell's ``w:tcPr`` (made, first, when it has none)."""
    found = cell.find(w("tcPr"))
    if found is None:
        found = etree.Element(w("tcPr"))
        cell.insert(0, found)
    return found


def insert_ordered(tc_pr: etree._Element, items: list[etree._Element], name: str) -> None:
    """Put ``items`` (elements named ``name`` and the tags around them) where ``name`` goes in ``w:tcPr``."""
    rank = TC_PR_ORDER.index(name)
    later = next((c for c in tc_pr if isinstance(c.tag, str) and etree.QName(c).localname in TC_PR_ORDER
                  and TC_PR_ORDER.index(etree.QName(c).localname) > rank), None)
    for item in items:
        if later is not None:
            later.addprevious(item)
        else:
            tc_pr.append(item)


def grid_span(cell: etree._Element) -> int:
    found = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
    try:
        return int(found.get(w("val"), "1")) if found is not None else 1
    except ValueError:
        return 1


def mark(element: etree._Element, target: str) -> None:
    """A processing instruction only this module reads (removed by ``fix_grids``)."""
    if not any(isinstance(c, etree._ProcessingInstruction) and c.target == target for c in element):
        element.insert(0, etree.ProcessingInstruction(target))


def fix_grids(xml: str) -> str:
    """A rendered part whose marked tables get grids that fit their rows (and lose the marks)."""
    root = parse(xml.encode("utf-8"))
    marks = [pi for pi in root.iter(etree.ProcessingInstruction) if pi.target in (GRID, LOOPED)]
    for pi in marks:
        if pi.target == GRID and pi.getparent() is not None:
            _fix(pi.getparent())
    for pi in marks:
        if pi.getparent() is not None:
            pi.getparent().remove(pi)
    return XML_DECLARATION + etree.tostring(root, encoding="unicode")


def _looped(cell: etree._Element) -> bool:
    return any(isinstance(c, etree._ProcessingInstruction) and c.target == LOOPED for c in cell)


def _width(cell: etree._Element) -> int | None:
    found = cell.find(f"{w('tcPr')}/{w('tcW')}")
    if found is None or found.get(w("type"), "dxa") != "dxa":
        return None
    try:
        return int(found.get(w("w"), ""))
    except ValueError:
        return None


def _fix(table: etree._Element) -> None:
    for row in table.findall(w("tr")):
        if row.find(w("tc")) is None:  # a cell loop over nothing left the row empty
            table.remove(row)
    rows = [row.findall(w("tc")) for row in table.findall(w("tr"))]
    grid = table.find(w("tblGrid"))
    if not rows or grid is None:
        return
    old = [int(c.get(w("w"), "0") or 0) for c in grid.findall(w("gridCol"))]
    count = max(sum(grid_span(c) for c in cells) for cells in rows)
    total = sum(old)
    reference = max((cells for cells in rows if sum(grid_span(c) for c in cells) == count), key=len)
    fixed = [c for c in reference if not _looped(c)]
    looped = [c for c in reference if _looped(c)]
    if total <= 0:
        total = sum(_width(c) or 0 for c in reference)
    if total <= 0:
        return
    widths: dict[int, float] = {}
    fixed_width = sum(_width(c) or 0 for c in fixed)
    if looped and all(_width(c) for c in fixed) and fixed_width < total:
        weights = [_width(c) or 1 for c in looped]
        for cell in fixed:
            widths[id(cell)] = _width(cell) or 0
        for cell, weight in zip(looped, weights, strict=True):
            widths[id(cell)] = (total - fixed_width) * weight / sum(weights)
    else:  # no width to keep: every cell in its template proportion
        weights = [_width(c) or total / count for c in reference]
        for cell, weight in zip(reference, weights, strict=True):
            widths[id(cell)] = total * weight / sum(weights)
    columns: list[float] = []
    for cell in reference:
        columns += [widths[id(cell)] / grid_span(cell)] * grid_span(cell)
    edges = [round(sum(columns[:i])) for i in range(len(columns) + 1)]  # rounded at the edges: the sum stays
    grid_widths = [b - a for a, b in zip(edges, edges[1:], strict=False)]
    for column in grid.findall(w("gridCol")):
        grid.remove(column)
    for value in grid_widths:
        etree.SubElement(grid, w("gridCol")).set(w("w"), str(value))
    for cells in rows:
        start = 0
        for cell in cells:
            width = cell.find(f"{w('tcPr')}/{w('tcW')}")
            taken = grid_span(cell)
            if width is not None and width.get(w("type"), "dxa") == "dxa":
                width.set(w("w"), str(sum(grid_widths[start: start + taken])))
            start += taken
