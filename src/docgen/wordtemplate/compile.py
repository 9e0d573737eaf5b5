"""A Word part made into one Jinja template: tags joined, moved where Word's XML allows them.

For each part (body, header, footer…):

0. ``whitespace`` applies ``-`` and drops lines of tags only (line breaks, paragraph marks).
1. ``scan`` finds the tags in every paragraph's text, across runs.
2. Every tag is checked alone (its syntax, whether Word templates allow it), and ``{% %}`` tags are
   matched into blocks (``for`` … ``endfor``); a block left open names the paragraph it opened in.
3. Each tag is placed:
   - in its text (*in line*): the whole tag goes into the run that holds its first character, so
     the value takes that character's formatting; the rest of the tag leaves the other runs;
   - before or after its paragraph, when a block spans paragraphs (the tag at the paragraph's
     start or end), or in place of a paragraph that holds nothing but such tags;
   - before or after its table row, when a block spans cells: a row of its own, or the block's
     opening tag at the start of the row's first cell and its end at the end of the row's last;
   - an ``{% if %}`` … ``{% endif %}`` that spans a whole paragraph takes the paragraph with it;
   - in place of a table cell holding nothing but the tag (docxtpl's ``{%tc %}``): the cells between
     repeat; ``{% vm %}``/``{% hm %}``/``{% colspan %}`` become the cell's merge and span (``cells``).
   Every tag of a block must land among the same siblings, or the block is refused with both places.
   Bookmarks in what a tag replaces, or inside a tag, are kept beside it (``bookmarks``).
4. The part is serialized with a marker per tag, the markers are replaced by the tags, each on a
   line of its own (``{#⏎#}`` before it, which prints nothing), so a line number names a tag.
   Everything else is literal XML with ``{`` and ``}`` written as character references.
5. The source is compiled once; the AST is kept for the name check (``names``).

A picture whose alt text is ``{{ expr }}`` is wrapped in ``{% if docgen_picture(n, expr) %}``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import jinja2
from lxml import etree

from docgen import templating
from docgen.errors import DocgenError, SourceSpot
from docgen.i18n import N_, _
from docgen.templating.problems import problem_text
from docgen.wordtemplate import bookmarks, cells, pictures, whitespace
from docgen.wordtemplate.ooxml import XML_DECLARATION, XML_NS, w
from docgen.wordtemplate.scan import (
    OBJECT_CHAR,
    OPENERS,
    Para,
    Story,
    Tag,
    paragraph_names,
    picture_expression,
    scan_part,
)

OPENING = {"for": "endfor", "if": "endif", "with": "endwith"}
MIDDLE = {"else": ("for", "if"), "elif": ("if",)}
CLOSING = {end: start for start, end in OPENING.items()}
ALLOWED = "if/elif/else/endif, for/else/endfor, with/endwith, set x = …"
REFUSED = {
    "include": N_("would pull in another (Markdown) template"), "extends": N_("would pull in another template"),
    "import": N_("would pull in another template"), "from": N_("would pull in another template"),
    "macro": N_("would print Word's XML as text"), "call": N_("would print Word's XML as text"),
    "filter": N_("would filter Word's XML, not your words"), "raw": N_("write {{ '{{' }} to print braces"),
    "block": N_("Word templates have no blocks to fill"), "autoescape": N_("docgen escapes every value already"),
    "cellbg": N_("docxtpl's cell background tag; docgen keeps the cell's shading as the template has it: shade the "
                 "cell in Word, or make a row for each case with `{% if %}`"),
}
_DOCXTPL_VALUE = re.compile(r"\{\{-?(r|p)\s+(.+?)\s*-?\}\}$", re.DOTALL)  # {{r rich }} / {{p subdoc }}
MARK = re.compile("\ufdd0(\\d+)\ufdd1|<\\?docgen (\\d+)\\?>")
_SET = re.compile(r"set\s+[\w\s,.]+=")


def marker(number: int) -> str:
    return f"\ufdd0{number}\ufdd1"


def _pi(tag: Tag) -> etree._ProcessingInstruction:
    """Where a tag placed between elements goes (``jinja`` puts the tag there)."""
    return etree.ProcessingInstruction("docgen", str(tag.number))


@dataclass
class Fault:
    spot: SourceSpot
    message: str
    order: tuple[int, ...] = (0, 0)  # where in its part: faults are reported in document order


@dataclass
class Placement:
    how: str  # "inline", "before", "after", "replace"
    container: etree._Element | None = None  # the paragraph or row


@dataclass
class CompiledPart:
    """One part as a Jinja template, with the tag on each line and the pictures it may show."""

    name: str
    template: jinja2.Template | None
    tree: jinja2.nodes.Template | None
    lines: dict[int, Tag]
    pictures: list[int] = field(default_factory=list)
    filename: str = ""
    unused_rels: list[str] = field(default_factory=list)  # the placeholders' own images, shown nowhere now
    bookmarks: bool = False  # it has some: each rendering is made unique and paired (``bookmarks.unique``)
    grids: bool = False  # a cell loop or span changes a table's columns: its grid is made after rendering
    paragraphs: bool = False  # a tag asks for `| paragraphs`: a rendering may have paragraphs to split

    def tag_at(self, lineno: int | None) -> Tag | None:
        if not lineno or not self.lines:
            return None
        if lineno in self.lines:
            return self.lines[lineno]
        earlier = [line for line in self.lines if line <= lineno]
        return self.lines[max(earlier)] if earlier else None


@dataclass
class Skeleton:
    """The part's tags alone, blocks closed where the writer forgot: the names are checked on it even
    when the part cannot be compiled, so one run reports every fault."""

    tree: jinja2.nodes.Template | None
    lines: dict[int, Tag]

    def tag_at(self, lineno: int | None) -> Tag | None:
        return CompiledPart.tag_at(self, lineno)  # type: ignore[arg-type]


@dataclass
class PartResult:
    compiled: CompiledPart | None
    story: Story
    faults: list[Fault]
    next_number: int
    placeholders: list[str]  # the alt texts of its picture placeholders
    skeleton: Skeleton


def compile_part(env: jinja2.Environment, root: etree._Element, part: str, story: str, file: str,
                 first_number: int) -> PartResult:
    names = origins = None
    trims = whitespace.plan(root)  # `-` and lines of tags only: line breaks, paragraph marks
    if trims:
        names = paragraph_names(root, story)  # before any joins: faults name paragraphs as Word shows them
        origins = trims.apply(root)
    scanned = scan_part(root, part, story, file, first_number, names, origins)
    compiler = _Compiler(env, root, scanned, file)
    compiled = compiler.run(first_number)
    return PartResult(compiled, scanned, compiler.faults, compiler.next_number, compiler.placeholders,
                      compiler.skeleton or Skeleton(None, {}))


class _Compiler:
    def __init__(self, env: jinja2.Environment, root: etree._Element, story: Story, file: str) -> None:
        self.env = env
        self.root = root
        self.story = story
        self.file = file
        self.faults: list[Fault] = []
        self.tags: dict[int, Tag] = {}
        self.next_number = 0
        self.placeholders: list[str] = []
        self.skeleton: Skeleton | None = None
        self.bad: set[int] = set()  # tags whose own syntax failed: left out of the skeleton
        self.synthetic: dict[int, list[Tag]] = {}  # a cell tag's number → the Jinja tags it becomes

    def fault(self, tag_or_spot: Tag | SourceSpot, message: str, para: Para | None = None) -> None:
        spot = tag_or_spot.spot if isinstance(tag_or_spot, Tag) else tag_or_spot
        duplicate = (tag_or_spot.para.duplicate if isinstance(tag_or_spot, Tag) else bool(para and para.duplicate))
        if duplicate:  # the fallback copy of a text box says the same as its choice
            return
        if isinstance(tag_or_spot, Tag):
            order = tag_or_spot.order
        else:
            order = (self._element_order().get(para.element, 0), 0) if para else (0, 0)
        self.faults.append(Fault(spot, message, order))

    def _element_order(self) -> dict[etree._Element, int]:
        if not hasattr(self, "_order"):
            self._order = {element: index for index, element in enumerate(self.root.iter())}
        return self._order

    # --- the passes --------------------------------------------------------------------------------

    def run(self, first_number: int) -> CompiledPart | None:
        story = self.story
        number = max([t.number for t in story.tags], default=first_number - 1) + 1
        for para, start, opener in story.unclosed:
            self.fault(para.spot(self.file, start, len(para.text)),
                       _("`{opener}` is not closed in this paragraph: a tag starts and ends in one paragraph "
                         "(`{opener} … {OPENERS}`)").format(opener=opener, OPENERS=OPENERS[opener]), para)
        for tag in story.tags:
            self.tags[tag.number] = tag
            before = len(self.faults)
            self.check_alone(tag)
            if len(self.faults) > before:
                self.bad.add(tag.number)
        blocks, standalone = self.match_blocks()
        picture_numbers = []
        placeholders = []
        for para in story.paras:
            for obj in para.objects:
                if obj.tag != w("drawing"):
                    continue
                expression = picture_expression(obj)
                if expression is None:
                    continue
                opening, closing = self.picture_tags(para, obj, expression, number)
                if not para.duplicate:
                    self.placeholders.append(expression)
                picture_numbers.append(number)
                placeholders.append((obj, opening, closing, number))
                number += 2
        cell_tags = [t for t in story.tags if t.keyword in cells.CELL_TAGS and t.number not in self.bad]
        for tag in cell_tags:
            if tag.keyword in ("vm", "hm") and self.enclosing_loop(tag, blocks) is None:
                self.fault(tag, _("`{% vm %}` merges a cell down the rows a `{% for %}` repeats; this cell is in "
                                  "no loop") if tag.keyword == "vm" else
                           _("`{% hm %}` makes one cell across the cells a `{%tc for %}` repeats; this cell is "
                             "in no loop"))
                self.bad.add(tag.number)
                continue
            number = self.cell_tag_sources(tag, number)
        self.next_number = number
        self.skeleton = self.make_skeleton(placeholders)
        if self.faults:
            return None
        placements: dict[int, Placement] = {}
        for block in blocks:
            placed = self.place_block(block)
            if placed:
                placements.update(placed)
        for tag in standalone:
            placements[tag.number] = self.place_alone(tag)
        self.check_cell_loops(blocks, placements, cell_tags)
        if self.faults:
            return None
        self.mark_cell_loops(blocks, placements)
        self.apply(placements)
        self.apply_cell_tags(cell_tags)
        replaced: list[str] = []
        for obj, opening, closing, picture in placeholders:
            replaced += pictures.make_floating(obj, picture)
            obj.addprevious(etree.ProcessingInstruction("docgen", str(opening.number)))
            obj.addnext(etree.ProcessingInstruction("docgen", str(closing.number)))
        self.keep_containers_valid()
        compiled = self.jinja(picture_numbers)
        xml = etree.tostring(self.root, encoding="unicode")
        compiled.unused_rels = [rid for rid in dict.fromkeys(replaced) if f'"{rid}"' not in xml]
        return compiled

    def check_alone(self, tag: Tag) -> None:
        """Each tag's own syntax, before any block is matched: every bad tag is reported."""
        if OBJECT_CHAR in tag.original:
            self.fault(tag, _("a picture, text box or note reference sits inside this tag: move it out"))
            return
        if tag.kind == "{#":
            return
        if tag.kind == "{{":
            probe = tag.source
        else:
            keyword = tag.keyword or ""
            if keyword in REFUSED or (keyword == "set" and not _SET.match(tag.body)):
                reason = _(REFUSED[keyword]) if keyword in REFUSED else _(
                    "would capture Word's XML; write `{% set x = … %}`")
                self.fault(tag, _("`{{% {keyword} %}}` is not available in a Word template ({reason}); use "
                                  "{ALLOWED}").format(
                    keyword=keyword, reason=reason, ALLOWED=ALLOWED))
                return
            if keyword in cells.CELL_TAGS:
                self.check_cell_tag(tag)
                return
            if keyword in OPENING:
                probe = tag.source + "{% " + OPENING[keyword] + " %}"
            elif keyword == "elif" or keyword == "else":
                probe = "{% if true %}" + tag.source + "{% endif %}"
            elif keyword in CLOSING:
                if tag.body.strip() != keyword:
                    self.fault(tag, _("`{{% {keyword} %}}` takes nothing after it").format(keyword=keyword))
                return
            elif keyword == "set":
                probe = tag.source
            else:
                self.fault(tag, _("unknown tag `{shown}`; Word templates use {ALLOWED}").format(
                    shown=tag.shown(), ALLOWED=ALLOWED))
                return
        try:
            self.env.parse(probe)
        except jinja2.TemplateSyntaxError as exc:
            docxtpl = _DOCXTPL_VALUE.match(tag.source) if tag.kind == "{{" else None
            if docxtpl and docxtpl.group(1) == "r":
                self.fault(tag, _("`{shown}` is docxtpl's RichText tag (runs whose formatting Python builds); docgen "
                                  "prints a value as text in the formatting of its tag's first character: write "
                                  "`{suggestion}` and format the tag in Word").format(
                    shown=tag.shown(), suggestion="{{ " + docxtpl.group(2) + " }}"))
            elif docxtpl:
                self.fault(tag, _("`{shown}` is docxtpl's paragraph-level value (a Subdoc or Listing in place of the "
                                  "paragraph); docgen prints text: `{suggestion}` makes each line of the value a "
                                  "paragraph in this paragraph's style").format(
                    shown=tag.shown(), suggestion="{{ " + docxtpl.group(2) + " | paragraphs }}"))
            else:
                self.fault(tag, _("template syntax: {message} in `{shown}`").format(
                    message=problem_text(exc.message or ""), shown=tag.shown()))

    def enclosing_loop(self, tag: Tag, blocks: list[list[Tag]]) -> list[Tag] | None:
        """The innermost ``{% for %}`` block around a tag (by document order)."""
        around = [b for b in blocks if b[0].keyword == "for" and b[0].order < tag.order < b[-1].order]
        return max(around, key=lambda b: b[0].order, default=None)

    def cell_tag_sources(self, tag: Tag, number: int) -> int:
        """The Jinja tags a cell tag becomes, numbered from ``number`` (they are name-checked and rendered)."""
        if tag.keyword == "vm":  # the cell's vMerge, then its content: the loop's first row only
            sources = ["{% if loop.first %}", "{% else %}", "{% endif %}"] * 2
        elif tag.keyword == "hm":  # the cell on the loop's first pass, spanning all of them
            cell = self.cell_of(tag.para)
            span = cells.grid_span(cell) if cell is not None else 1
            sources = ["{% if loop.first %}", "{% endif %}", f"{{{{ loop.length * {span} }}}}"]
        else:
            sources = ["{{ docgen_span(" + tag.body[len("colspan"):].strip() + ") }}"]
        made = []
        for offset, source in enumerate(sources):
            synthetic = Tag(number + offset, tag.para, tag.start, tag.end, tag.original, source, 1)
            synthetic.spot, synthetic.order = tag.spot, tag.order
            self.tags[synthetic.number] = synthetic
            made.append(synthetic)
        self.synthetic[tag.number] = made
        return number + len(sources)

    def check_cell_loops(self, blocks: list[list[Tag]], placements: dict[int, Placement],
                         cell_tags: list[Tag]) -> None:
        """{% vm %} in a row loop, {% hm %} in a cell loop of its own row."""
        for tag in cell_tags:
            if tag.number not in self.synthetic or tag.keyword == "colspan":
                continue
            loop = self.enclosing_loop(tag, blocks)
            placed = placements.get(loop[0].number) if loop else None
            container = placed.container if placed else None
            cell = self.cell_of(tag.para)
            if tag.keyword == "vm" and (container is None or container.tag != w("tr")):
                self.fault(tag, _("`{% vm %}` merges a cell down the rows a `{% for %}` repeats; the loop around "
                                  "it repeats no table rows"))
            if tag.keyword == "hm" and (container is None or container.tag != w("tc") or cell is None
                                        or container.getparent() is not cell.getparent()):
                self.fault(tag, _("`{% hm %}` makes one cell across the cells a `{%tc for %}` repeats; the loop "
                                  "around it repeats no cells of its row"))

    def mark_cell_loops(self, blocks: list[list[Tag]], placements: dict[int, Placement]) -> None:
        """Before the tags' cells go: each cell a cell loop repeats marked, and its table (``cells.fix_grids``)."""
        for block in blocks:
            placed = [placements.get(t.number) for t in block]
            if not all(p is not None and p.container is not None and p.container.tag == w("tc") for p in placed):
                continue
            first, last = placed[0].container, placed[-1].container  # type: ignore[union-attr]
            row = first.getparent()
            between = False
            for cell in row:
                if cell is first:
                    between = True
                elif cell is last:
                    break
                elif between and cell.tag == w("tc") and not any(cell is p.container for p in placed):  # type: ignore[union-attr]
                    cells.mark(cell, cells.LOOPED)
            table = next((a for a in row.iterancestors() if a.tag == w("tbl")), None)
            if table is not None:
                cells.mark(table, cells.GRID)

    def apply_cell_tags(self, cell_tags: list[Tag]) -> None:
        """{% vm %}, {% hm %}, {% colspan %}: the cell's merge and span, as Jinja tags in its XML."""
        for tag in cell_tags:
            made = self.synthetic.get(tag.number)
            cell = self.cell_of(tag.para)
            if not made or cell is None:
                continue
            tc_pr = cells.properties(cell)
            table = next((a for a in cell.iterancestors() if a.tag == w("tbl")), None)
            if tag.keyword == "vm":
                for merge in tc_pr.findall(w("vMerge")):
                    tc_pr.remove(merge)
                restart = etree.Element(w("vMerge"))
                restart.set(w("val"), "restart")
                cells.insert_ordered(tc_pr, [_pi(made[0]), restart, _pi(made[1]), etree.Element(w("vMerge")),
                                             _pi(made[2])], "vMerge")
                tc_pr.addnext(_pi(made[3]))
                empty = etree.Element(w("p"))
                first = cell.find(f"{w('p')}/{w('pPr')}")
                if first is not None:
                    empty.append(copy.deepcopy(first))
                cell.extend([_pi(made[4]), empty, _pi(made[5])])
                continue
            span = tc_pr.find(w("gridSpan"))
            if span is None:
                span = etree.Element(w("gridSpan"))
                cells.insert_ordered(tc_pr, [span], "gridSpan")
            span.set(w("val"), marker((made[2] if tag.keyword == "hm" else made[0]).number))
            if tag.keyword == "hm":
                cell.addprevious(_pi(made[0]))
                cell.addnext(_pi(made[1]))
            if table is not None:
                cells.mark(table, cells.GRID)

    def check_cell_tag(self, tag: Tag) -> None:
        """docxtpl's {% vm %}, {% hm %}, {% colspan n %}: in a table cell, with what each takes."""
        if self.cell_of(tag.para) is None:
            self.fault(tag, _("`{shown}` works in a table cell only (docxtpl's cell tags: `{{% vm %}}` merges a cell "
                              "down the rows a loop makes, `{{% hm %}}` across the cells a `{{%tc for %}}` makes, "
                              "`{{% colspan n %}}` spans n columns)").format(shown=tag.shown()))
            return
        rest = tag.body[len(tag.keyword or ""):].strip()
        if tag.keyword in ("vm", "hm"):
            if rest:
                self.fault(tag, _("`{{% {keyword} %}}` takes nothing after it").format(keyword=tag.keyword))
            return
        if not rest:
            self.fault(tag, _("`{% colspan %}` needs the number of columns: `{% colspan 2 %}`"))
            return
        try:
            self.env.parse("{{ " + rest + " }}")
        except jinja2.TemplateSyntaxError as exc:
            self.fault(tag, _("template syntax: {message} in `{shown}`").format(
                message=problem_text(exc.message or ""), shown=tag.shown()))

    def match_blocks(self) -> tuple[list[list[Tag]], list[Tag]]:
        """``{% %}`` tags into blocks (opener, middles, closer); the rest stand alone."""
        stack: list[list[Tag]] = []
        blocks: list[list[Tag]] = []
        standalone: list[Tag] = []
        for tag in self.story.tags:
            keyword = tag.keyword
            if keyword in OPENING:
                stack.append([tag])
            elif keyword in MIDDLE:
                if stack and stack[-1][0].keyword in MIDDLE[keyword]:
                    if keyword == "elif" and any(t.keyword == "else" for t in stack[-1]):
                        self.fault(tag, "`{% elif %}` after `{% else %}`")
                    stack[-1].append(tag)
                else:
                    top = stack[-1][0] if stack else None
                    opened = _(" (the open block is `{shown}` at {where})").format(
                        shown=top.shown(), where=self.where(top)) if top else ""
                    self.fault(tag, f"`{{% {keyword} %}}` outside an `{{% if %}}`" +
                               (" or `{% for %}`" if keyword == "else" else "") + opened)
            elif keyword in CLOSING:
                if not stack:
                    self.fault(tag, _("`{{% {keyword} %}}` has no `{{% {CLOSING} %}}` before it").format(
                        keyword=keyword, CLOSING=CLOSING[keyword]))
                elif stack[-1][0].keyword != CLOSING[keyword]:
                    opener = stack[-1][0]
                    self.fault(tag, _("`{{% {keyword} %}}` cannot close the `{shown}` opened at {where}; close it with "
                                      "`{{% {OPENING} %}}` first").format(
                        keyword=keyword, shown=opener.shown(), where=self.where(opener),
                        OPENING=OPENING[opener.keyword]))
                    stack.pop()
                else:
                    stack[-1].append(tag)
                    blocks.append(stack.pop())
            else:
                standalone.append(tag)
        for open_block in stack:
            opener = open_block[0]
            self.fault(opener, _("`{shown}` is never closed: add `{{% {OPENING} %}}` where it should end").format(
                shown=opener.shown(), OPENING=OPENING[opener.keyword]))
        return blocks, standalone

    def picture_tags(self, para: Para, drawing: etree._Element, expression: str, number: int) -> tuple[Tag, Tag]:
        atom = next(a for a in para.atoms if a.element is drawing)
        inner = expression[2:-2].strip()
        opening = Tag(number, para, atom.start, atom.end, expression,
                      f"{{% if docgen_picture({number}, {inner}) %}}", 1)
        opening.spot = para.spot(self.file)
        opening.spot.excerpt = f"图片 {expression}"
        closing = Tag(number + 1, para, atom.start, atom.end, expression, "{% endif %}", 1)
        closing.spot = opening.spot
        index = self._element_order().get(drawing, 0)
        opening.order, closing.order = (index, atom.start), (index, atom.end)
        try:
            self.env.parse(expression)
        except jinja2.TemplateSyntaxError as exc:
            self.fault(opening, _("template syntax in the picture's alt text: {message}").format(
                message=problem_text(exc.message or "")))
            self.bad.update((opening.number, closing.number))
        self.tags[opening.number] = opening
        self.tags[closing.number] = closing
        return opening, closing

    def make_skeleton(self, placeholders: list) -> Skeleton:
        """Every sound tag in document order, each on its own line; unmatched ends dropped, open blocks closed."""
        pieces: list[str] = []
        lines: dict[int, Tag] = {}
        line = 1
        stack: list[str] = []
        tags = [t for t in self.story.tags if t.number not in self.bad and t.kind != "{#"
                and t.keyword not in cells.CELL_TAGS]
        tags += [t for synthetic in self.synthetic.values() for t in synthetic]
        for _number, opening, closing, _inner in placeholders:
            if opening.number not in self.bad:
                tags += [opening, closing]
        tags.sort(key=lambda t: (t.order, t.number))
        for tag in tags:
            keyword = tag.keyword
            if keyword in OPENING:
                stack.append(keyword)
            elif keyword in MIDDLE:
                if not stack or stack[-1] not in MIDDLE[keyword]:
                    continue
            elif keyword in CLOSING:
                if not stack or stack[-1] != CLOSING[keyword]:
                    continue
                stack.pop()
            pieces.append("{#\n#}")
            line += 1
            lines[line] = tag
            pieces.append(tag.source)
        pieces += ["{% " + OPENING[keyword] + " %}" for keyword in reversed(stack)]
        try:
            return Skeleton(self.env.parse("".join(pieces)), lines)
        except jinja2.TemplateSyntaxError:
            return Skeleton(None, lines)

    # --- placement ---------------------------------------------------------------------------------

    def structural(self, para: Para) -> bool:
        """A paragraph with nothing but ``{% %}``/``{# #}`` tags (and spaces) in it."""
        cached = getattr(para, "_structural", None)
        if cached is not None:
            return cached
        result = bool(para.tags) and not para.objects and all(t.kind != "{{" and t.keyword not in cells.CELL_TAGS
                                                              for t in para.tags)
        if result:
            rest = list(para.text)
            for tag in para.tags:
                rest[tag.start:tag.end] = [" "] * (tag.end - tag.start)
            result = "".join(rest).strip() == ""
        para._structural = result  # type: ignore[attr-defined]
        return result

    def empty(self, para: Para) -> bool:
        return not para.tags and not para.objects and not para.text.strip()

    def edge(self, tag: Tag) -> tuple[bool, bool]:
        """Whether only spaces and other ``{% %}`` tags stand before the tag in its paragraph, or after it."""
        masked = list(tag.para.text)
        for other in tag.para.tags:
            if other.kind != "{{":
                masked[other.start:other.end] = [" "] * (other.end - other.start)
        text = "".join(masked)
        return text[: tag.start].strip() == "", text[tag.end:].strip() == ""

    def where(self, tag: Tag) -> str:
        return tag.para.where_at(tag.start)

    def row_of(self, para: Para) -> etree._Element | None:
        for ancestor in para.element.iterancestors():
            if ancestor.tag == w("tc"):
                return next((a for a in ancestor.iterancestors() if a.tag == w("tr")), None)
            if ancestor.tag in (w("txbxContent"), w("body"), w("hdr"), w("ftr")):
                return None
        return None

    def row_paras(self, row: etree._Element) -> list[Para]:
        by_element = self._paras_by_element()
        return [by_element[p] for p in row.iter(w("p")) if p in by_element]

    def _paras_by_element(self) -> dict[etree._Element, Para]:
        if not hasattr(self, "_by_element"):
            self._by_element = {para.element: para for para in self.story.paras}
        return self._by_element

    def structural_row(self, row: etree._Element | None) -> bool:
        if row is None:
            return False
        paras = self.row_paras(row)
        if any(not (self.structural(p) or self.empty(p)) for p in paras):
            return False
        if any(True for _ in row.iter(w("drawing"), w("pict"), w("tbl"))):
            return False
        return any(self.structural(p) for p in paras)

    def cell_of(self, para: Para) -> etree._Element | None:
        for ancestor in para.element.iterancestors():
            if ancestor.tag == w("tc"):
                return ancestor
            if ancestor.tag in (w("txbxContent"), w("body"), w("hdr"), w("ftr")):
                return None
        return None

    def structural_cell(self, cell: etree._Element) -> bool:
        """A cell holding nothing but tags: docxtpl's {%tc %} cells, or a cell loop's tag written without tc."""
        by_element = self._paras_by_element()
        paras = [by_element[p] for p in cell.iter(w("p")) if p in by_element]
        if any(True for _ in cell.iter(w("drawing"), w("pict"), w("tbl"))):
            return False
        return (all(self.structural(p) or self.empty(p) for p in paras) and any(self.structural(p) for p in paras))

    def option(self, tag: Tag, level: str) -> tuple[Placement, etree._Element] | None:
        """Where a tag could go at this level (paragraph, row or cell), and the parent it would land in."""
        para = tag.para
        row = self.row_of(para)
        if level == "tc":
            cell = self.cell_of(para)
            if cell is None or not self.structural_cell(cell):
                return None
            return Placement("replace", cell), cell.getparent()
        if tag.level_hint == "tc":
            return None
        if level == "p":
            if self.structural_row(row) or tag.level_hint == "tr":
                return None
            if self.structural(para) or tag.level_hint == "p":
                return Placement("replace", para.element), para.element.getparent()
            first, last = self.edge(tag)
            if first:
                return Placement("before", para.element), para.element.getparent()
            if last:
                return Placement("after", para.element), para.element.getparent()
            return None
        if row is None:
            return None
        if self.structural_row(row) or tag.level_hint == "tr":
            return Placement("replace", row), row.getparent()
        paras = self.row_paras(row)
        first, last = self.edge(tag)
        if first and paras and paras[0] is para:
            return Placement("before", row), row.getparent()
        if last and paras and paras[-1] is para:
            return Placement("after", row), row.getparent()
        return None

    def place_block(self, block: list[Tag]) -> dict[int, Placement] | None:
        paras = {id(t.para) for t in block}
        hinted = any(t.level_hint for t in block)
        if len(paras) == 1 and not hinted:
            para = block[0].para
            row = self.row_of(para)
            if self.structural_row(row):
                return {t.number: Placement("replace", row) for t in block}
            if self.structural(para):
                return {t.number: Placement("replace", para.element) for t in block}
            opener, closer = block[0], block[-1]
            if (opener.keyword == "if" and len(block) == 2 and not para.text[: opener.start].strip()
                    and not para.text[closer.end:].strip()):
                # {% if … %}the whole paragraph{% endif %}: the paragraph goes when the test fails
                return {opener.number: Placement("before", para.element),
                        closer.number: Placement("after", para.element)}
            parents = {id(self.host_run_parent(t)) for t in block}
            if len(parents) > 1:
                self.fault(block[0], _("`{shown}` and `{shown2}` sit in different parts of the paragraph (a hyperlink, "
                                       "a field or a content control): keep a block's tags together, outside such "
                                       "parts").format(
                    shown=block[0].shown(), shown2=block[-1].shown()))
                return None
            return {t.number: Placement("inline") for t in block}
        for level in ("p", "tr", "tc"):
            options = [self.option(t, level) for t in block]
            if all(options) and len({id(parent) for _, parent in options}) == 1:  # type: ignore[misc]
                return {t.number: placement for t, (placement, _rest) in zip(block, options, strict=True)}  # type: ignore[misc]
        opener, closer = block[0], block[-1]
        if any(t.level_hint == "tc" for t in block):
            self.fault(opener, _("`{shown}` and its `{shown2}` at {where} must each stand in a cell of its own, in one "
                                 "row: docxtpl's `{{%tc %}}` replaces its cell, and the cells between repeat").format(
                shown=opener.shown(), shown2=closer.shown(), where=self.where(closer)))
            return None
        self.fault(opener, (
            _("`{shown}` and its `{shown2}` at {where} do not enclose whole paragraphs or table rows: a block over "
              "several paragraphs starts at the start of its first paragraph and ends at the end of its last (or each "
              "tag stands in a paragraph of its own); over table cells, it starts at the start of the row's first cell "
              "and ends at the end of the row's last cell (or each tag has a row of its own)").format(
                shown=opener.shown(), shown2=closer.shown(), where=self.where(closer))))
        return None

    def place_alone(self, tag: Tag) -> Placement:
        para = tag.para
        row = self.row_of(para)
        if tag.keyword in cells.CELL_TAGS:
            return Placement("drop")  # its text goes; the cell is changed (apply_cell_tags)
        if tag.level_hint == "tc":
            placed = self.option(tag, "tc")
            if placed:
                return placed[0]
            self.fault(tag, _("`{shown}` stands in a cell of its own: docxtpl's `{{%tc %}}` replaces its cell").format(
                shown=tag.shown()))
            return Placement("drop")
        if tag.kind != "{{":
            if self.structural_row(row) or tag.level_hint == "tr":
                return Placement("replace", row)
            if self.structural(para) or tag.level_hint == "p":
                return Placement("replace", para.element)
        return Placement("inline")

    def host_run_parent(self, tag: Tag) -> etree._Element | None:
        atom = next((a for a in tag.para.atoms if a.start <= tag.start < a.end), None)
        if atom is None:
            return None
        run = atom.run
        return run.getparent() if run is not None else atom.element.getparent()

    # --- rewriting the XML ------------------------------------------------------------------------

    def apply(self, placements: dict[int, Placement]) -> None:
        inline = {n for n, p in placements.items() if p.how == "inline"}
        inside = {tag.number: marks for tag in self.story.tags if tag.number in inline
                  for marks in [self.marks_inside(tag)] if marks}  # before any change: what lies inside a tag
        for para in self.story.paras:
            if para.tags:
                self.rewrite_text(para, inline, inside)
        before: dict[int, tuple[etree._Element, list[int]]] = {}
        after: dict[int, tuple[etree._Element, list[int]]] = {}
        removed: dict[int, etree._Element] = {}
        for number in sorted(placements, key=lambda n: self.tags[n].order):
            placement = placements[number]
            if placement.how == "inline" or placement.container is None:
                continue
            target = after if placement.how == "after" else before
            target.setdefault(id(placement.container), (placement.container, []))[1].append(number)
            if placement.how == "replace":
                removed[id(placement.container)] = placement.container
        for container, numbers in before.values():
            for number in numbers:
                container.addprevious(etree.ProcessingInstruction("docgen", str(number)))
        for container, numbers in after.values():
            for number in reversed(numbers):
                container.addnext(etree.ProcessingInstruction("docgen", str(number)))
        for container in removed.values():
            if container.tag == w("p") and container.find(f"{w('pPr')}/{w('sectPr')}") is not None:
                continue  # a section break stays; its paragraph is left empty
            parent = container.getparent()
            if parent is not None:
                numbers = before.get(id(container), (None, []))[1]
                closing = bool(numbers) and all(self.tags[n].keyword in CLOSING for n in numbers)
                bookmarks.move_out(container, closing, len(numbers))
                parent.remove(container)

    def marks_inside(self, tag: Tag) -> list[etree._Element]:
        """The bookmark starts and ends Word put between the pieces of a tag split over runs."""
        pieces = [a for a in tag.para.atoms if a.start < tag.end and a.end > tag.start]
        if len(pieces) < 2:
            return []
        order = self._element_order()
        first, last = order.get(pieces[0].element, 0), order.get(pieces[-1].element, 0)
        return [m for m in tag.para.element.iter(*bookmarks.MARKS) if first < order.get(m, 0) < last]

    def rewrite_text(self, para: Para, inline: set[int], inside: dict[int, list[etree._Element]]) -> None:
        """Take every tag out of the paragraph's text; an in-line tag goes whole into its first ``w:t``
        (with the bookmarks Word put inside it at its edges)."""
        owner: list[Tag | None] = [None] * len(para.text)
        for tag in para.tags:
            for offset in range(tag.start, tag.end):
                owner[offset] = tag
        for atom in para.atoms:
            covered = [owner[offset] for offset in range(atom.start, atom.end)]
            if not any(covered):
                continue
            if atom.kind != "t":
                parent = atom.element.getparent()
                if parent is not None and atom.kind == "char":
                    parent.remove(atom.element)
                continue
            pieces = []
            for offset in range(atom.start, atom.end):
                tag = owner[offset]
                if tag is None:
                    pieces.append(para.text[offset])
                elif offset == tag.start and tag.number in inline:
                    pieces.append(marker(tag.number))
            text = "".join(pieces)
            element = atom.element
            if text:
                element.text = text
                element.set(f"{{{XML_NS}}}space", "preserve")
            else:
                run = element.getparent()
                run.remove(element)
                if run.tag == w("r") and all(child.tag == w("rPr") for child in run):
                    holder = run.getparent()
                    if holder is not None:
                        holder.remove(run)
        for tag in para.tags:
            if tag.number in inside:
                host = next(a for a in para.atoms if a.start <= tag.start < a.end)
                bookmarks.around_value(host.element, marker(tag.number), inside[tag.number])

    def keep_containers_valid(self) -> None:
        """A cell, a text box, a header must keep a paragraph (Word refuses the file otherwise)."""
        holders = [*self.root.iter(w("tc"), w("txbxContent"))]
        if self.root.tag in (w("hdr"), w("ftr")):
            holders.append(self.root)
        for holder in holders:
            if holder.find(w("p")) is None and holder.find(w("sdt")) is None:
                holder.append(etree.Element(w("p")))

    # --- Jinja -------------------------------------------------------------------------------------

    def jinja(self, picture_numbers: list[int]) -> CompiledPart:
        xml = etree.tostring(self.root, encoding="unicode")
        pieces = [XML_DECLARATION]
        line = 1 + XML_DECLARATION.count("\n")
        lines: dict[int, Tag] = {}
        position = 0
        for match in MARK.finditer(xml):
            literal = xml[position: match.start()].replace("{", "&#123;").replace("}", "&#125;")
            pieces.append(literal)
            line += literal.count("\n")
            tag = self.tags[int(match.group(1) or match.group(2))]
            position = match.end()
            if tag.kind == "{#":
                continue
            pieces.append("{#\n#}")
            line += 1
            lines[line] = tag
            pieces.append(tag.source)
            line += tag.source.count("\n")
        pieces.append(xml[position:].replace("{", "&#123;").replace("}", "&#125;"))
        source = "".join(pieces)
        filename = f"<docgen-word:{self.file}:{self.story.part}>"
        part = CompiledPart(self.story.part, None, None, lines, picture_numbers, filename,
                            bookmarks="<w:bookmarkStart" in xml, grids=f"<?{cells.GRID}" in xml,
                            paragraphs=any("paragraphs" in tag.source for tag in self.tags.values()))
        budget = templating._time_budget()
        try:
            with templating._bounded_time(budget):  # Jinja computes constant expressions while compiling
                part.tree = self.env.parse(source, filename=filename)
                code = self.env.compile(source, name=self.story.part, filename=filename)
                part.template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
        except templating._TooLong:
            raise DocgenError(_("compiling {part} took longer than {budget:g} s; DOCGEN_TEMPLATE_SECONDS sets the "
                                "limit").format(part=self.story.part, budget=budget), self.file) from None
        except jinja2.TemplateSyntaxError as exc:
            tag = part.tag_at(exc.lineno)
            self.fault(tag.spot if tag and tag.spot else SourceSpot(self.file), _("template syntax: {message}").format(
                message=problem_text(exc.message or "")))
        return part
