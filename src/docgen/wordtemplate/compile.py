"""A Word part made into one Jinja template: tags joined, moved where Word's XML allows them.

For each part (body, header, footer…):

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
   - an ``{% if %}`` … ``{% endif %}`` that spans a whole paragraph takes the paragraph with it.
   Every tag of a block must land among the same siblings, or the block is refused with both places.
4. The part is serialized with a marker per tag, the markers are replaced by the tags, each on a
   line of its own (``{#⏎#}`` before it, which prints nothing), so a line number names a tag.
   Everything else is literal XML with ``{`` and ``}`` written as character references.
5. The source is compiled once; the AST is kept for the name check (``names``).

A picture whose alt text is ``{{ expr }}`` is wrapped in ``{% if docgen_picture(n, expr) %}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jinja2
from lxml import etree

from docgen.errors import SourceSpot
from docgen.i18n import _
from docgen.template_problems import problem_text
from docgen.wordtemplate import bookmarks, pictures, whitespace
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
    "include": "would pull in another (Markdown) template", "extends": "would pull in another template",
    "import": "would pull in another template", "from": "would pull in another template",
    "macro": "would print Word's XML as text", "call": "would print Word's XML as text",
    "filter": "would filter Word's XML, not your words", "raw": "write {{ '{{' }} to print braces",
    "block": "Word templates have no blocks to fill", "autoescape": "docgen escapes every value already",
}
MARK = re.compile("\ufdd0(\\d+)\ufdd1|<\\?docgen (\\d+)\\?>")
_SET = re.compile(r"set\s+[\w\s,.]+=")


def marker(number: int) -> str:
    return f"\ufdd0{number}\ufdd1"


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
        if self.faults:
            return None
        self.apply(placements)
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
                reason = REFUSED.get(keyword, "would capture Word's XML; write `{% set x = … %}`")
                self.fault(tag, _("`{{% {keyword} %}}` is not available in a Word template ({reason}); use "
                                  "{ALLOWED}").format(
                    keyword=keyword, reason=reason, ALLOWED=ALLOWED))
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
        tags = [t for t in self.story.tags if t.number not in self.bad and t.kind != "{#"]
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
        result = bool(para.tags) and not para.objects and all(t.kind != "{{" for t in para.tags)
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

    def option(self, tag: Tag, level: str) -> tuple[Placement, etree._Element] | None:
        """Where a tag could go at this level (paragraph or row), and the parent it would land in."""
        para = tag.para
        row = self.row_of(para)
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
        for level in ("p", "tr"):
            options = [self.option(t, level) for t in block]
            if all(options) and len({id(parent) for _, parent in options}) == 1:  # type: ignore[misc]
                return {t.number: placement for t, (placement, _rest) in zip(block, options, strict=True)}  # type: ignore[misc]
        opener, closer = block[0], block[-1]
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
                            bookmarks="<w:bookmarkStart" in xml)
        try:
            part.tree = self.env.parse(source, filename=filename)
            code = self.env.compile(source, name=self.story.part, filename=filename)
            part.template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
        except jinja2.TemplateSyntaxError as exc:
            tag = part.tag_at(exc.lineno)
            self.fault(tag.spot if tag and tag.spot else SourceSpot(self.file), _("template syntax: {message}").format(
                message=problem_text(exc.message or "")))
        return part
