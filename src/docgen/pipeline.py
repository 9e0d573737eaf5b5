"""The one pipeline: source → validate → template → read → frame → transforms → write.

```
load_campaign(path)                      sources (file:line per value) → schema (typed campaign)
run(campaign, template, record, options) templating (sandboxed Jinja → Markdown text)
                                         → markup.read (front matter + body blocks)
                                         → kinds.build (the form's frame as model nodes)
                                         → transforms (numbering, title lines, proof-reading, script)
                                         → writers (one Rendered per format: bytes, pages)
```

The CLI, the Python API, a batch worker and ``--merge`` all call ``run``; it returns a ``Result``
(the document, one ``Rendered`` per format, the warnings) and writes no file: callers decide where
the bytes go, atomically (``output``). ``run_many`` is ``run`` for a batch chunk: every record's
model first, then each format for the good ones at once (a writer with ``render_many``, the PDF
writer, lays them out in one pass); its results are the same ``run`` gives one record at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen import kinds, markup, schema, seals, sources, templating, transforms, wordfile
from docgen.errors import DocgenError, DocgenErrors
from docgen.i18n import _
from docgen.model import Document
from docgen.writers import Rendered, writer


@dataclass
class Campaign:
    """A validated campaign plus the plain values (templates see both: models by attribute)."""

    model: schema.Campaign
    loaded: sources.LoadedData
    warnings: list[str] = field(default_factory=list)  # e.g. unknown keys, left out

    def context(self) -> dict[str, Any]:
        """Top-level keys become template names (``organization``, ``meeting``…, the free-form ``extra``),
        ``data`` is all of it; ``draft`` is the --draft status (None unless asked)."""
        names = {key: getattr(self.model, key) for key in schema.Campaign.model_fields}
        return {**names, "data": self.model, "draft": None}


@dataclass(frozen=True)
class Options:
    """How a document is made, beyond which template and which record."""

    draft: str | None = None  # 草稿 / 征求意见稿: watermark, no seal
    script: str = "hans"  # --script: OpenCC conversion of the final text
    keep: tuple[str, ...] = ()  # terms the conversion leaves as written
    user_dirs: tuple[str, ...] = ()  # --templates folders
    font_dir: str | None = None  # --font-dir: the PDF's own fonts
    strict: bool = False  # --strict: the proof-reader's findings are errors, nothing is written


@dataclass
class Result:
    """One document made: its model, one Rendered per format asked for, and the proof-reader's warnings.

    A Word template (``wordtemplate``) has no model: ``document`` is None and ``title`` names the file."""

    document: Document | None
    outputs: dict[str, Rendered]
    warnings: list[str]
    title: str | None = None


def load_campaign(path: str | Path, text: str | None = None) -> Campaign:
    """Stages one and two: read the data with its source's reader, validate it into typed models.

    ``text``: the YAML file's content as an editor holds it, read instead of the file (`docgen serve`).
    """
    loaded = sources.load(path, text)
    model, warnings = schema.validate(loaded)
    return Campaign(model=_resolve_assets(model, loaded), loaded=loaded, warnings=[*loaded.notes, *warnings])


def run(
    campaign: Campaign,
    template: str,
    *,
    formats: Sequence[str] = (),
    record: dict[str, Any] | None = None,
    options: Options = Options(),
) -> Result:
    """Make one document from the campaign (and a batch record, if any) in each of ``formats``.

    A template ending in .docx is an office's Word file: ``wordtemplate`` renders it instead of the
    Markdown stages (same data, environment and filters; the Word file's own layout)."""
    if wordfile.is_word(template):
        from docgen import wordtemplate

        check_template(campaign, template, options.user_dirs)
        return wordtemplate.run(campaign, template, formats=tuple(formats), record=record, options=options)
    document, warnings = _model(campaign, template, record, options)
    outputs = {fmt: writer(fmt, document.meta.profile, options.font_dir).render(document) for fmt in formats}
    return Result(document, outputs, warnings)


def run_many(
    campaign: Campaign,
    template: str,
    records: Sequence[dict[str, Any]],
    *,
    formats: Sequence[str] = (),
    options: Options = Options(),
) -> list[Result | DocgenError]:
    """``run`` for each record, a DocgenError in place of a record that fails; the others still made.

    Every record's model is made first; then, per format and form, the good ones go to the writer
    together: ``render_many`` where the writer has it (one PDF layout pass for the lot), else one by one.
    """
    if wordfile.is_word(template):  # a Word template has no model: each record through ``run``
        return [_run_one(campaign, template, record, formats, options) for record in records]
    made: list[Result | DocgenError] = []
    for record in records:
        try:
            document, warnings = _model(campaign, template, record, options)
            made.append(Result(document, {}, warnings))
        except DocgenError as exc:
            made.append(exc)
    for fmt in formats:
        by_profile: dict[str, list[Result]] = {}
        for result in made:
            if isinstance(result, Result):
                by_profile.setdefault(result.document.meta.profile, []).append(result)
        for profile_name, results in by_profile.items():
            warm = writer(fmt, profile_name, options.font_dir)
            if hasattr(warm, "render_many") and len(results) > 1:
                outputs = warm.render_many([r.document for r in results])
            else:
                outputs = [_render_one(warm, r.document) for r in results]
            for result, output in zip(results, outputs, strict=True):
                result.outputs[fmt] = output  # type: ignore[assignment]
    # A record whose document a writer could not make fails as a whole, as in ``run``.
    return [_first_error(result) for result in made]


def _run_one(campaign: Campaign, template: str, record: dict[str, Any], formats: Sequence[str],
             options: Options) -> Result | DocgenError:
    try:
        return run(campaign, template, formats=formats, record=record, options=options)
    except DocgenError as exc:
        return exc


def _render_one(warm, document: Document) -> Rendered | DocgenError:
    try:
        return warm.render(document)
    except DocgenError as exc:
        return exc


def _first_error(result: Result | DocgenError) -> Result | DocgenError:
    if isinstance(result, DocgenError):
        return result
    for output in result.outputs.values():
        if isinstance(output, DocgenError):
            return output
    return result


def _model(
    campaign: Campaign, template: str, record: dict[str, Any] | None, options: Options
) -> tuple[Document, list[str]]:
    """Template → read → frame → transforms: one record's document and the proof-reader's warnings
    (under ``options.strict`` its findings are one error, and nothing is made)."""
    document, findings = model_of(campaign, template, record, options)
    if options.strict and findings:
        raise DocgenErrors([DocgenError(_("proof-reader (--strict): {finding}").format(finding=finding), template)
                            for finding in findings])
    warnings = [_("{file}: warning: {finding}").format(file=template, finding=finding) for finding in findings]
    document = transforms.to_script(document, options.script, options.keep)
    document = transforms.fit_signature(document, options.font_dir)
    document = transforms.keep_table_with_signature(document, options.font_dir)
    document = transforms.place_imprint(document, options.font_dir)
    return document, warnings


def model_of(campaign: Campaign, template: str, record: dict[str, Any] | None = None,
             options: Options = Options()) -> tuple[Document, list]:
    """The document a template makes from the data (and a record), and the proof-reader's findings on it."""
    check_template(campaign, template, options.user_dirs)
    names = {**campaign.context(), "draft": options.draft, **(record or {})}
    text = templating.render(template, names, options.user_dirs)
    context = kinds.FrameContext(campaign.model, campaign.loaded, options.draft)
    document = from_markup(text, context, source=f"{template} (rendered)")
    return document, transforms.proofread(document, campaign.model, campaign.loaded, document_key(template))


def document_key(template: str) -> str:
    """Which document a template makes, as the campaign's timeline names it: the kind's folder (notice,
    qingshi …), or ``speech`` for any speech."""
    path = Path(template)
    if path.parts and path.parts[0] == "speeches":
        return "speech"
    return path.parent.name or path.name.split(".")[0]


def template_name(speech: str | None, template: str | None, user_dirs: tuple[str, ...] = ()) -> str:
    """What --speech/--template NAME means: a speech, a Word file (.docx, or NAME.docx in a --templates
    folder when no Markdown kind has that name), or a Markdown kind."""
    if speech:
        return templating.known(templating.speech_name(speech), "--speech", speech, user_dirs)
    from docgen import wordtemplate  # the Word-template engine: only when a --template name is resolved

    word = wordtemplate.locate(template or "", user_dirs)
    if word:
        return word
    return templating.known(templating.template_name(template or ""), "--template", template or "", user_dirs)


def template_markers(template: str, user_dirs: tuple[str, ...] = ()) -> templating.Markers:
    """A template's declared (or, for a Word template, inferred) campaign, --each list and needs."""
    if wordfile.is_word(template):
        from docgen import wordtemplate

        return wordtemplate.load(template, user_dirs).markers
    return templating.markers(template, user_dirs)


def check_template(campaign: Campaign, template: str, user_dirs: tuple[str, ...] = (),
                   record: dict[str, Any] | None = None) -> None:
    """Before any record is made: the template fits this campaign and the data holds what it needs.

    For a Word template, also: it compiles, and (given a record's names) every name it uses exists —
    every fault at once."""
    if wordfile.is_word(template):
        from docgen import wordtemplate

        wordtemplate.check(campaign, template, user_dirs, record)
    marks = template_markers(template, user_dirs)
    if marks.campaign and marks.campaign != campaign.model.campaign.name:
        raise DocgenError(
            _("{template} is the speech of the {campaign} and would print its words; this campaign is {name}: choose "
              "one written for it (`docgen templates`) or make your own from a 范文 with `docgen import`").format(
                template=template, campaign=marks.campaign, name=campaign.model.campaign.name)
        )
    for need in marks.needs:
        if _blank(campaign.model, need.split(".")):
            path = tuple(need.split("."))
            raise DocgenError(_("{need}: {value} needs it; add it to the data").format(
                need=need, value=Path(template).parent.name or template),
                              campaign.loaded.spot(path))


def _blank(value: Any, parts: list[str]) -> bool:
    for part in parts:
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return True
    return value in ("", [], ())


def from_markup(
    text: str, context: kinds.FrameContext | None = None, source: str = "<rendered template>"
) -> Document:
    """Read → frame → numbering → title and heading lines: the model of a rendered template's text."""
    context = context or kinds.FrameContext()
    document = kinds.build(markup.read(text, source), context)
    document.meta.people = list(context.people())
    document = transforms.break_titles(transforms.number_headings(document))
    return transforms.break_headings(document, tuple(context.names()))


def _resolve_assets(model: schema.Campaign, loaded: sources.LoadedData) -> schema.Campaign:
    """Seal images are named relative to the data file and checked once, here (``seals``)."""
    folder = Path(loaded.file).resolve().parent
    documents = {}
    for key, document in model.documents.items():
        if document.seal:
            spot = loaded.spot(("documents", key, "seal"))
            document = document.model_copy(update={"seal": seals.resolve(document.seal, folder, key, spot)})
        documents[key] = document
    return model.model_copy(update={"documents": documents}) if documents else model
