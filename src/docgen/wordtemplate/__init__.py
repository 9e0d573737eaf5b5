"""Word-designed templates: an office's own .docx, with Jinja tags in its text, as a docgen template.

``docgen render DATA --template 模板.docx`` (and ``batch``) fill the office's Word file with the
campaign data: the same Jinja environment as the Markdown templates (``templating.environment``:
sandbox, StrictUndefined, the zh filters), every value printed as itself (``values``: XML-escaped
once, a line break a ``w:br`` in its run, so data never adds a paragraph, a run or a tag unless the
template asks with ``| paragraphs``), and the Word file's own layout kept.

Engine: docgen's own run-joining (``scan``/``compile``) on lxml, not docxtpl. Both were run on the
same templates (``tests/test_word_templates.py::test_docxtpl_on_the_same_templates`` keeps the
comparison honest; ``benchmarks/word_template.py`` times them). docxtpl 0.20 joins split tags with
regular expressions over the serialized XML and renders it with Jinja. On the example 会议通知:

- split tags (``{{`` bold, the rest italic and underlined, spelling marks between) are joined by
  both: docxtpl's regexes handle that case;
- a plain ``{% for %}`` around a table row gives docxtpl empty rows between the members (8 rows for
  3 members; it needs ``{%tr %}``), and paragraphs holding only ``{% if %}``/``{% for %}`` stay as
  empty paragraphs (12 instead of 4; it needs ``{%p %}``), which pushes the example's signature
  onto a third page: LibreOffice prints 3,000 pages for docxtpl's 1,000 notices, 2,000 for docgen's;
- a value with ``&`` (``A&B村``) cuts the paragraph there unless ``autoescape=True`` (lxml's
  ``recover`` parser drops the rest); a misspelt field prints nothing with Jinja's default
  Undefined, and with StrictUndefined stops at the first with ``'dict object' has no attribute``
  and no place; an unclosed ``{{ branch.name }`` merges the following paragraphs into the tag and
  fails with ``unexpected '}'``, again without a place;
- its ``InlineImage`` is in line with the text; a seal floats behind the signature, and its
  ``replace_pic`` matches the placeholder's embedded file name, not its alt text;
- speed, 1,000 notices, one process: docgen 101.6 docs/s, docxtpl 19.1 (5.3×); docxtpl re-parses
  and re-serializes the whole package per document, docgen compiles the template once per
  process and then costs one Jinja render and a zip of pre-deflated parts (~3.5 ms).

docgen's engine reads each paragraph as one string mapped back to its ``w:t`` elements, so a split
is joined whatever lies between the pieces, an unclosed tag is an error in its own paragraph, row
and paragraph loops need no special tag (``{%tr %}``/``{%p %}`` are still read, and docxtpl's cell
tags are done by ``cells``), and every fault of a template is reported at once with 第N段/表格N 第R行
第C列 and the words around it.

Before its tags are read, a template is made what an office means by it: its tracked changes
accepted and comments removed (``revisions``), Jinja's whitespace control applied to Word's line
breaks and paragraph marks (``whitespace``); after each rendering, its bookmarks are unique and
paired (``bookmarks``) and tables a cell loop changed get a grid that fits (``cells``).

PDF: LibreOffice lays out the office's own file (``office``), kept warm for a batch.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from lxml import etree

from docgen import proofread, templating, zh
from docgen.errors import DocgenError, DocgenErrors, SourceSpot
from docgen.files.wordfile import SUFFIXES, is_word  # re-exported: the engine's own names for them
from docgen.i18n import _, os_reason
from docgen.options import Options
from docgen.templating.problems import problem_text
from docgen.wordtemplate import bookmarks, cells, ooxml, pictures, revisions, values
from docgen.wordtemplate import names as name_check
from docgen.wordtemplate.compile import CompiledPart, Fault, compile_part
from docgen.wordtemplate.ooxml import HEADER_REL, IMAGE_REL, NotAWordFile, Package, r, w
from docgen.wordtemplate.scan import Tag, scan_part

if TYPE_CHECKING:
    from docgen.engines.base import Result
    from docgen.pipeline import LoadedCampaign

_DOCUMENT_MARKER = re.compile(r"\{#-?\s*docgen-document:\s*(.+?)\s*-?#\}")
_EMPTY_CELL = re.compile(r"(</w:tcPr>|<w:tcPr/>|<w:tc>|<w:tc [^>]*>)</w:tc>")
_EMPTY_BOX = re.compile(r"(<w:txbxContent>|<w:txbxContent [^>]*>)</w:txbxContent>")
MAX_OUTPUT_CHARS = templating.MAX_OUTPUT_CHARS


def locate(template: str, user_dirs: tuple[str, ...] = ()) -> str | None:
    """The Word file ``--template`` means, or None for a Markdown kind.

    A name ending in .docx/.dotx is a path (relative to here, else to a --templates folder); a bare
    name that no Markdown kind has is looked for as ``NAME.docx`` or ``NAME/main.docx`` in the folders.
    """
    if not template:
        return None
    lowered = template.lower()
    if lowered.endswith((".doc", ".wps")):
        raise DocgenError(_("{template}: a {suffix} file is Word's old binary format; open it in Word or WPS and save "
                            "it as .docx (Word 文档), then use that").format(
            template=template, suffix=Path(template).suffix))
    if is_word(template):
        for candidate in [Path(template), *[Path(d) / template for d in user_dirs]]:
            if candidate.is_file():
                return str(candidate)
        looked = ", ".join(["the current folder", *user_dirs])
        raise DocgenError(_("no Word template '{template}' (looked in {looked})").format(
            template=template, looked=looked))
    if template.endswith(templating.TEMPLATE_SUFFIX):
        return None
    env = templating.environment(tuple(user_dirs))
    try:
        env.loader.get_source(env, templating.template_name(template))
        return None
    except jinja2.TemplateNotFound:
        pass
    for folder in user_dirs:
        for candidate in (Path(folder) / f"{template}.docx", Path(folder) / template / "main.docx"):
            if candidate.is_file():
                return str(candidate)
    return None


@lru_cache(maxsize=16)
def environment(user_dirs: tuple[str, ...] = ()) -> jinja2.Environment:
    """templating's environment (sandbox, StrictUndefined, filters), printing for Word's XML (``values``)."""
    env = templating.environment(user_dirs).overlay(
        finalize=values.finalize, autoescape=False, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)
    env.filters = {**env.filters, "paragraphs": values.paragraphs}  # an overlay shares its parent's dicts
    env.globals = {**env.globals, "docgen_span": cells.span}  # {% colspan n %}
    return env


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass
class Report:
    """What ``docgen template-check`` says about a Word template (no data needed)."""

    file: str
    tags: list[Tag] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)
    each: str = ""
    document_key: str | None = None
    warnings: list[str] = field(default_factory=list)  # what reading it changed (revisions accepted …)

    @property
    def repairs(self) -> list[str]:
        notes = []
        for tag in self.tags:
            if tag.para.duplicate:
                continue
            fixes = list(tag.repairs)
            if tag.runs > 1:
                fixes.insert(0, _("split over {runs} runs by Word; joined in the run of its first character "
                                  "(the value takes that formatting)").format(runs=tag.runs))
            if fixes:
                notes.append(_("{spot}: `{shown}`: {fixes}").format(
                    spot=tag.spot, shown=tag.shown(60), fixes='; '.join(fixes)))
        return notes

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for tag in self.tags:
            if not tag.para.duplicate:
                story = tag.para.story if not tag.para.cell else re.sub(r" 第.*", "", tag.para.cell)
                counts[story] = counts.get(story, 0) + 1
        where = ", ".join(_("{count} in {story}").format(count=n, story=story)
                          for story, n in counts.items()) or _("none")
        parts = [_("{count} tags ({where})").format(count=sum(counts.values()), where=where)]
        if self.pictures:
            parts.append(_("{count} picture placeholder(s): {pictures}").format(
                count=len(self.pictures), pictures=', '.join(self.pictures)))
        if self.each:
            parts.append(_("made once per record of `{each}` (docgen batch … --each {each})").format(each=self.each))
        return "; ".join(parts)


class WordTemplate:
    """A Word template read and compiled once per process; ``render`` makes one document's bytes."""

    def __init__(self, path: Path, user_dirs: tuple[str, ...]) -> None:
        self.path = path
        self.file = _shown(path)
        self.stem = path.stem
        self.env = environment(user_dirs)
        self.digest = ""
        self.parts: list[CompiledPart] = []
        self.tags: list[Tag] = []
        self.faults: list[Fault] = []
        self.placeholders: list[str] = []
        self.skeletons: list[tuple[int, Any]] = []  # (part index, Skeleton): what the name check reads
        self._checked: dict[tuple, list[Fault]] = {}
        self._build()

    # --- reading ------------------------------------------------------------------------------------

    def _build(self) -> None:
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise DocgenError(_("cannot read the Word template: {strerror}").format(
                strerror=os_reason(exc)), self.file) from None
        self.digest = hashlib.sha256(data).hexdigest()
        try:
            package = ooxml.read_package(data, self.file)
            labels = self._story_labels(package)
        except NotAWordFile as exc:
            raise DocgenError(_("{exc}; save it from Word or WPS as .docx").format(exc=exc), self.file) from None
        self.package = package
        number = 1
        self.rendered_parts: dict[str, CompiledPart] = {}
        stories = [package.main, *sorted(package.stories, key=_part_order)]
        resolved = _Resolved(revisions.drop_comment_parts(package), revisions.stop_tracking(package))
        for name, data in list(package.entries.items()):  # styles, numbering: a formatting change's old properties
            if name not in stories and name.endswith(".xml") and revisions.marked(data):
                try:
                    package.entries[name], found = revisions.accept_bytes(data)
                except etree.XMLSyntaxError:
                    continue  # not one docgen reads; Word will say
                resolved.add(found, [])
        for index, part in enumerate(stories):
            try:
                root = ooxml.parse_part(package.entries[part], part)
            except NotAWordFile as exc:
                raise DocgenError(_("{exc}; save it from Word or WPS as .docx").format(exc=exc), self.file) from None
            label = labels.get(part, "正文")
            if revisions.marked(package.entries[part]):
                shown = {p.element: p.where for p in scan_part(root, part, label, self.file, 0).paras
                         if not p.duplicate}  # named as Word shows the file, its marks still in
                found = revisions.accept(root)
                if found:
                    resolved.add(found, [shown[p] for p in found.paragraphs if p in shown])
                    accepted = bookmarks.unique(etree.tostring(root, encoding="unicode"))  # a deletion took half of one
                    root = ooxml.parse(accepted.encode("utf-8"))
                    package.entries[part] = ooxml.XML_DECLARATION.encode() + accepted.encode("utf-8")
            result = compile_part(self.env, root, part, label, self.file, number)
            number = result.next_number
            self.tags += [t for t in result.story.tags]
            self.faults += [Fault(f.spot, f.message, (index, *f.order)) for f in result.faults]
            self.skeletons.append((index, result.skeleton))
            self.placeholders += result.placeholders
            if result.compiled and (result.compiled.lines or result.compiled.pictures):
                self.parts.append(result.compiled)
                self.rendered_parts[part] = result.compiled
            elif result.compiled:
                pass  # no tag: the part is copied as it is
        for compiled in self.parts:
            _drop_relationships(package, compiled.name, compiled.unused_rels)
        comments = " ".join(t.source for t in self.tags if t.kind == "{#")
        found = templating._markers(comments)
        needs = tuple(n.strip() for n in found.get("needs", "").split(",") if n.strip())
        document = _DOCUMENT_MARKER.search(comments)
        self.document_key = document.group(1) if document else None
        described = templating._DESCRIPTION.search(comments)
        self.description = described.group(1) if described else ""
        each = found.get("each", "") or self._inferred_each()
        self.markers = templating.Markers(found.get("campaign", ""), each, needs)
        self.warnings = resolved.warnings(self.file)
        types_xml = package.entries["[Content_Types].xml"]
        # a .dotx (Word's template file) makes .docx documents
        types_xml = types_xml.replace(b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml")
        self.content_types = ooxml.ensure_image_types(types_xml, set(package.entries))

    def _story_labels(self, package: Package) -> dict[str, str]:
        """页眉/首页页眉/偶数页页眉 and 页脚… for each header and footer part, 第N节 when sections differ."""
        rels = package.relationships(package.main)
        root = ooxml.parse_part(package.entries[package.main], package.main)
        sections = list(root.iter(w("sectPr")))
        labels: dict[str, str] = {}
        kinds = {"default": "", "first": "首页", "even": "偶数页"}
        for number, section in enumerate(sections, 1):
            for reference in section:
                if reference.tag not in (w("headerReference"), w("footerReference")):
                    continue
                rel = rels.get(reference.get(r("id")) or "")
                if not rel or rel[1] in labels:
                    continue
                noun = "页眉" if rel[0] == HEADER_REL else "页脚"
                prefix = f"第{number}节" if len(sections) > 1 else ""
                labels[rel[1]] = f"{prefix}{kinds.get(reference.get(w('type'), 'default'), '')}{noun}"
        for part, kind in package.stories.items():
            labels.setdefault(part, {"header": "页眉", "footer": "页脚", "footnotes": "脚注",
                                     "endnotes": "尾注"}[kind])
        return labels

    def _inferred_each(self) -> str:
        """The --each a template needs, from the record names it uses (``member`` → branches[*].members)."""
        check = name_check.NameCheck(self.env, name_check.campaign_scope(), "")
        for _part, skeleton in self.skeletons:
            if skeleton.tree is not None:
                check.run(skeleton.tree)
        return max(check.needs_each, key=len, default="")

    def default_scope(self, each: str | None = None) -> dict[str, Any]:
        """The names a template sees: the campaign's, and a record's of ``each`` (or the one it needs)."""
        scope = name_check.campaign_scope()
        each = each or self.markers.each
        return {**scope, **name_check.record_scope(each)} if each else scope

    def all_faults(self, scope: dict[str, Any]) -> list[Fault]:
        """The template's own faults and every unknown name, in document order."""
        return sorted(_unique([*self.faults, *self.name_faults(scope)]), key=lambda f: f.order)

    def raise_faults(self) -> None:
        if self.faults:
            faults = self.all_faults(self.default_scope())
            raise DocgenErrors([DocgenError(f.message, f.spot) for f in faults])

    # --- checking names against the data's types ---------------------------------------------------------

    def name_faults(self, scope: dict[str, Any]) -> list[Fault]:
        key = tuple(sorted((k, id(v)) for k, v in scope.items()))
        if key not in self._checked:
            faults = []
            usage = f"docgen batch DATA --template {self.file}"
            for index, skeleton in self.skeletons:
                if skeleton.tree is None:
                    continue
                for problem in name_check.NameCheck(self.env, scope, usage).run(skeleton.tree):
                    tag = skeleton.tag_at(problem.lineno)
                    if tag is not None and tag.para.duplicate:
                        continue
                    spot = tag.spot if tag and tag.spot else SourceSpot(self.file)
                    faults.append(Fault(spot, problem.message, (index, *(tag.order if tag else (0, 0)))))
            self._checked[key] = _unique(faults)
        return self._checked[key]

    def check_names(self, names: dict[str, Any]) -> None:
        """Every unknown name or field of the template for this record's names, all in one error."""
        scope = {**name_check.campaign_scope(), **{k: _type_of(v) for k, v in names.items()
                                                     if k not in name_check.campaign_scope()}}
        faults = self.name_faults(scope)
        if faults:
            raise DocgenErrors([DocgenError(f.message, f.spot) for f in faults])

    # --- rendering ---------------------------------------------------------------------------------------

    def document_for(self, campaign: Any) -> tuple[Any, str | None]:
        """The data's ``documents.<key>`` this template prints (``{# docgen-document: key #}``, or the key named
        like the file), and its seal; without either, the seal when the data has exactly one."""
        documents = campaign.model.documents
        key = self.document_key or (self.stem if self.stem in documents else None)
        if key:
            if key not in documents:
                raise DocgenError(_("documents.{key}: the Word template prints it ({{# docgen-document: {key} #}}); "
                                    "add it to the data").format(key=key), self.file)
            return documents[key], documents[key].seal
        seals = {d.seal for d in documents.values() if d.seal}
        return None, (seals.pop() if len(seals) == 1 else None)

    def render(self, names: dict[str, Any], allowed: frozenset[str], script: str = "hans",
               keep: tuple[str, ...] = ()) -> tuple[bytes, list[str]]:
        """One document: every part rendered, the pictures it chose added; and the proof-reader's warnings."""
        chosen = pictures.Pictures(allowed)
        context = {**names, "docgen_picture": chosen.take}
        texts = {part.name: self._render_part(part, context) for part in self.parts}
        if script != "hans":
            texts = {name: _convert_script(text, script, keep) for name, text in texts.items()}
        warnings = self._proofread(texts.get(self.package.main))
        if self.placeholders and not chosen.chosen and not names.get("draft"):
            warnings.append(_("{file}: warning: the picture placeholder ({placeholders}) was left out: the data has no "
                              "seal for it (documents.<key>.seal)").format(
                file=self.file, placeholders=', '.join(self.placeholders)))
        return self._package(texts, chosen.chosen), warnings

    def _render_part(self, part: CompiledPart, context: dict[str, Any]) -> str:
        assert part.template is not None
        budget = templating._time_budget()
        try:
            with templating._bounded_time(budget):
                chunks = []
                size = 0
                for chunk in part.template.generate(context):
                    size += len(chunk)
                    if size > MAX_OUTPUT_CHARS:
                        raise DocgenError(_("the document passed {MAX_OUTPUT_CHARS} million characters of XML; a loop "
                                            "runs away").format(
                            MAX_OUTPUT_CHARS=MAX_OUTPUT_CHARS // 1_000_000), self.file)
                    chunks.append(chunk)
        except templating._TooLong:
            raise DocgenError(_("template ran longer than {budget:g} s (a loop that never ends?); "
                                "DOCGEN_TEMPLATE_SECONDS sets the limit").format(budget=budget), self.file) from None
        except RecursionError:
            raise DocgenError(_("template recursion too deep"), self.file) from None
        except jinja2.sandbox.SecurityError as exc:
            raise DocgenError(_("refused by the template sandbox: {exc}").format(
                exc=problem_text(str(exc))), self._spot(exc, part)) from None
        except jinja2.UndefinedError as exc:
            message = templating._explain_undefined(exc.message or str(exc))
            raise DocgenError(message, self._spot(exc, part)) from None
        except (TypeError, ValueError, ArithmeticError, jinja2.TemplateError) as exc:
            raise DocgenError(_("template error: {exc}").format(
                exc=problem_text(str(exc))), self._spot(exc, part)) from None
        text = "".join(chunks)
        if part.paragraphs and values.PARAGRAPH_MARK in text:
            text = values.split_paragraphs(text)
        if part.bookmarks:
            text = bookmarks.unique(text)
        if part.grids:
            text = cells.fix_grids(text)
        if "</w:tc>" in text:
            text = _EMPTY_CELL.sub(r"\1<w:p/></w:tc>", text)
        if "</w:txbxContent>" in text:
            text = _EMPTY_BOX.sub(r"\1<w:p/></w:txbxContent>", text)
        return text

    def _spot(self, exc: BaseException, part: CompiledPart) -> SourceSpot:
        lineno = None
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == part.filename:
                lineno = tb.tb_lineno
            tb = tb.tb_next
        tag = part.tag_at(lineno)
        return tag.spot if tag and tag.spot else SourceSpot(self.file)

    def _package(self, texts: dict[str, str], chosen: dict[int, str]) -> bytes:
        by_part: dict[str, list[tuple[str, str, str]]] = {}
        media: list[ooxml.ZipEntry] = []
        for part in self.parts:
            for number in part.pictures:
                if number in chosen:
                    extension = pictures.image_extension(_image(chosen[number]).data_head) or "png"
                    folder = part.name.rsplit("/", 1)[0]
                    target = pictures.media_name(number, extension)
                    by_part.setdefault(part.name, []).append((pictures.rel_id(number), IMAGE_REL, target))
                    media.append(_image(chosen[number]).entry(f"{folder}/{target}"))
        rels_owners = {self.package.rels_name(p): p for p in by_part}
        entries = []
        for name, static in self._static_entries():
            if name in texts:
                entries.append(ooxml.ZipEntry.deflate(name, texts[name].encode("utf-8")))
            elif name in rels_owners:
                rels = ooxml.with_relationships(self.package.entries[name].decode("utf-8"), by_part[rels_owners[name]])
                entries.append(ooxml.ZipEntry.deflate(name, rels.encode("utf-8")))
            else:
                entries.append(static)
        for owner, added in by_part.items():
            name = self.package.rels_name(owner)
            if name not in self.package.entries:
                rels = ooxml.XML_DECLARATION + ooxml.with_relationships(ooxml.EMPTY_RELS, added)
                entries.append(ooxml.ZipEntry.deflate(name, rels.encode("utf-8")))
        return ooxml.write_entries([*entries, *media])

    def _static_entries(self) -> list[tuple[str, ooxml.ZipEntry | None]]:
        """Every entry in order, deflated once; the rendered parts are None (a document's own)."""
        if not hasattr(self, "_static"):
            dynamic = {part.name for part in self.parts}
            order = [("[Content_Types].xml", self.content_types)]
            order += [(n, d) for n, d in self.package.entries.items() if n != "[Content_Types].xml"]
            self._static = [(name, None if name in dynamic else ooxml.ZipEntry.deflate(name, data))
                            for name, data in order]
        return self._static

    def _proofread(self, main: str | None) -> list[str]:
        if not main:
            return []
        try:
            root = ooxml.parse(main.encode("utf-8"))
        except etree.XMLSyntaxError as exc:  # a bug, not bad input: say where
            raise DocgenError(_("the rendered document is not well-formed XML ({exc})").format(
                exc=exc), self.file) from None
        body = root.find(w("body"))
        texts = []
        for number, para in enumerate((p for p in body if p.tag == w("p")) if body is not None else [], 1):
            text = "".join(t.text or "" for t in para.iter(w("t")))
            if text:
                texts.append((f"第{number}段", text))
        return [_("{file} (rendered): warning: {finding}").format(file=self.file, finding=finding)
                for finding in proofread.check_texts(texts)]


def _drop_relationships(package: Package, part: str, ids: list[str]) -> None:
    """Remove a part's relationships to the placeholders' own images, and those images if nothing else uses them."""
    name = package.rels_name(part)
    if not ids or name not in package.entries:
        return
    root = ooxml.parse(package.entries[name])
    targets = []
    for rel in list(root):
        if rel.get("Id") in ids:
            targets.append(Path(part).parent.joinpath(rel.get("Target", "")).as_posix())
            root.remove(rel)
    package.entries[name] = ooxml.XML_DECLARATION.encode() + etree.tostring(root, encoding="utf-8")
    still_used = b" ".join(data for entry, data in package.entries.items() if entry.endswith(".rels"))
    for target in targets:
        if Path(target).name.encode() not in still_used:
            package.entries.pop(target, None)


@dataclass
class _Resolved:
    """What reading a template as 接受所有修订/删除所有批注 leaves it changed, for its one warning."""

    comment_parts: bool = False
    tracking: bool = False
    revisions: bool = False
    comments: bool = False
    places: list[str] = field(default_factory=list)

    def add(self, found: revisions.Accepted, places: list[str]) -> None:
        self.revisions |= found.revisions
        self.comments |= found.comments
        self.places += [p for p in places if p not in self.places]

    def warnings(self, file: str) -> list[str]:
        comments = self.comments or self.comment_parts
        if not (self.revisions or comments):
            return [_("{file}: warning: 修订 (track changes) is on in the template; it is off in the documents").format(
                file=file)] if self.tracking else []
        what = (_("tracked changes accepted and comments removed") if self.revisions and comments
                else _("tracked changes accepted") if self.revisions else _("comments removed"))
        places = ", ".join(self.places[:12]) + (_(" … ({count} in all)").format(count=len(self.places))
                                                if len(self.places) > 12 else "")
        message = _("{file}: warning: {what}: {places}; the documents carry none (in Word: 审阅 → 接受所有修订, "
                    "删除所有批注, then save the template)").format(file=file, what=what,
                                                                 places=places or _("outside the text"))
        if self.tracking:
            message += _("; 修订 (track changes) was on and is off in the documents")
        return [message]


def _part_order(name: str) -> tuple[int, str]:
    number = re.search(r"(\d+)", name)
    return (int(number.group(1)) if number else 0, name)


def _unique(faults: list[Fault]) -> list[Fault]:
    seen = set()
    kept = []
    for fault in faults:
        key = (str(fault.spot), fault.message)
        if key not in seen:
            seen.add(key)
            kept.append(fault)
    return kept


def _type_of(value: Any) -> Any:
    from pydantic import BaseModel

    return type(value) if isinstance(value, BaseModel | int | str) else name_check.ANY


@dataclass
class _Image:
    """A picture file read and deflated once per process."""

    data: bytes
    deflated: ooxml.ZipEntry = field(init=False)

    def __post_init__(self) -> None:
        self.deflated = ooxml.ZipEntry.deflate("", self.data)

    @property
    def data_head(self) -> bytes:
        return self.data[:8]

    def entry(self, name: str) -> ooxml.ZipEntry:
        return ooxml.ZipEntry(name, self.deflated.crc, self.deflated.size, self.deflated.data)


@lru_cache(maxsize=8)
def _image(path: str) -> _Image:
    return _Image(Path(path).read_bytes())


def _convert_script(xml: str, script: str, keep: tuple[str, ...]) -> str:
    root = ooxml.parse(xml.encode("utf-8"))
    for text in root.iter(w("t")):
        if text.text:
            text.text = zh.convert_script(text.text, script, keep)
    return ooxml.XML_DECLARATION + etree.tostring(root, encoding="unicode")


_templates: dict[tuple, WordTemplate] = {}


def load(template: str | Path, user_dirs: tuple[str, ...] = ()) -> WordTemplate:
    """The compiled template (once per process and file version); every fault of it in one error."""
    path = Path(template)
    try:
        stat = path.stat()
    except OSError:
        raise DocgenError(_("no Word template '{template}'").format(template=template)) from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, tuple(user_dirs))
    if key not in _templates:
        word = WordTemplate(path, tuple(user_dirs))
        word.raise_faults()
        _templates[key] = word
    return _templates[key]


def lint(template: str | Path, each: str | None = None, user_dirs: tuple[str, ...] = ()) -> Report:
    """Read a template without data: its tags, every fault, names the schema lacks, repairs made."""
    path = Path(template)
    if not path.is_file():
        raise DocgenError(_("no Word template '{template}'").format(template=template))
    word = WordTemplate(path, tuple(user_dirs))
    return Report(word.file, word.tags, word.all_faults(word.default_scope(each)), word.placeholders,
                  each or word.markers.each, word.document_key, word.warnings)


def check(campaign: LoadedCampaign, template: str, user_dirs: tuple[str, ...] = (),
          record: dict[str, Any] | None = None) -> None:
    """Before any document: the template compiles and, when a record is given, every name it uses exists."""
    word = load(template, user_dirs)
    if record is not None:
        word.check_names({**campaign.context(), **record})


def run(campaign: LoadedCampaign, template: str, *, formats: tuple[str, ...] | list[str] = ("docx",),
        record: dict[str, Any] | None = None, options: Options | None = None) -> Result:
    """One document from a Word template, as ``pipeline.run`` returns it (document=None, title=the file's stem)."""
    from docgen.engines.base import Result
    from docgen.wordtemplate import office
    from docgen.writers import Rendered

    options = options or Options()
    word = load(template, options.user_dirs)
    names = {**campaign.context(), "draft": options.draft, **(record or {})}
    word.check_names(names)
    document, seal = word.document_for(campaign)
    names.update(document=document, seal=None if options.draft else seal)
    allowed = frozenset(d.seal for d in campaign.model.documents.values() if d.seal)
    data, warnings = word.render(names, allowed, options.script, options.keep)
    warnings = [*word.warnings, *warnings]  # the template's own (a batch says them once: batching)
    outputs = {}
    for fmt in formats:
        if fmt == "docx":
            outputs["docx"] = Rendered(data, None)
        elif fmt == "pdf":
            pdf = office.convert_one(data, "document")
            outputs["pdf"] = Rendered(pdf, office.pdf_pages(pdf))
        else:
            raise DocgenError(_("a Word template makes docx and pdf, not {fmt}").format(fmt=fmt))
    return Result(None, outputs, warnings, title=word.stem)


__all__ = ["SUFFIXES", "Report", "WordTemplate", "check", "environment", "is_word", "lint", "load", "locate", "run"]
