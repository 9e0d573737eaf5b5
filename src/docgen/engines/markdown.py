"""The Markdown-Jinja engine: a template's text → markup → the form's frame → transforms → docgen's writers.

``model_of`` is the engine's own stages (template, read, frame, numbering and title lines, the proof-reader);
``run`` adds the fitted last page and the writers. A chunk of records (``run_many``) makes every model
first, then each format for the good ones at once (a writer with ``render_many``, the PDF writer, lays
them out in one pass); its results are those ``run`` gives one record at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen import kinds, markup, templating, transforms
from docgen.engines.base import Engine, Result
from docgen.errors import DocgenError, DocgenErrors
from docgen.i18n import _
from docgen.model import Document
from docgen.options import Options
from docgen.standard import DEFAULT_PROFILE
from docgen.writers import Rendered, writer

if TYPE_CHECKING:
    from docgen.pipeline import LoadedCampaign


class MarkdownEngine(Engine):
    name = "markdown"
    merges_models = True

    def takes(self, template: str) -> bool:
        return True  # the last in the registry: what no other engine takes is a Markdown kind or speech

    def locate(self, name: str, user_dirs: tuple[str, ...]) -> str | None:
        return templating.known(templating.template_name(name), "--template", name, user_dirs)

    @staticmethod
    def locate_speech(name: str, user_dirs: tuple[str, ...]) -> str:
        return templating.known(templating.speech_name(name), "--speech", name, user_dirs)

    def markers(self, template: str, user_dirs: tuple[str, ...]) -> templating.Markers:
        return templating.markers(template, user_dirs)

    def label(self, template: str, user_dirs: tuple[str, ...]) -> str:
        """The kind's own name (会议通知), else its folder's."""
        for info in templating.list_templates(user_dirs):
            name = templating.speech_name(info.name) if info.option == "--speech" else templating.template_name(
                info.name)
            if name == template and info.description:
                return info.description.split(" — ")[0].split("（")[0].strip()
        return Path(template).parent.name or Path(template).name.split(".")[0]

    def run(self, campaign: LoadedCampaign, template: str, record: dict[str, Any] | None,
            formats: Sequence[str], options: Options) -> Result:
        document, warnings = model(campaign, template, record, options)
        outputs = {fmt: writer(fmt, document.meta.profile, options.font_dir).render(document) for fmt in formats}
        return Result(document, outputs, warnings)

    def run_many(self, campaign: LoadedCampaign, template: str, records: Sequence[dict[str, Any]],
                 formats: Sequence[str], options: Options) -> list[Result | DocgenError]:
        made: list[Result | DocgenError] = []
        for record in records:
            try:
                document, warnings = model(campaign, template, record, options)
                made.append(Result(document, _written_from_layout(document, formats, options), warnings))
            except DocgenError as exc:
                made.append(exc)
        for fmt in formats:
            by_profile: dict[str, list[Result]] = {}
            for result in made:
                if isinstance(result, Result) and result.document is not None and fmt not in result.outputs:
                    by_profile.setdefault(result.document.meta.profile, []).append(result)
            for profile_name, results in by_profile.items():
                warm = writer(fmt, profile_name, options.font_dir)
                documents = [r.document for r in results if r.document is not None]
                if hasattr(warm, "render_many") and len(results) > 1:
                    outputs = warm.render_many(documents)
                else:
                    outputs = [_render_one(warm, document) for document in documents]
                for result, output in zip(results, outputs, strict=True):
                    result.outputs[fmt] = output  # type: ignore[assignment]
        for result in made:  # the formats in the order asked, whichever wrote first
            if isinstance(result, Result):
                result.outputs = {fmt: result.outputs[fmt] for fmt in formats if fmt in result.outputs}
        # A record whose document a writer could not make fails as a whole, as in ``run``.
        return [_first_error(result) for result in made]

    def warm(self, template: str, formats: Sequence[str], options: Options) -> list[str]:
        for fmt in formats:  # build the writers now, not inside the first document's time
            writer(fmt, DEFAULT_PROFILE, options.font_dir)
        return []


def _written_from_layout(document: Document, formats: Sequence[str], options: Options) -> dict[str, Any]:
    """What a writer makes of the record right away because the transforms have just laid the document out
    as it writes it (``render_if_laid_out``: the PDF of a notice); the rest waits for ``render_many``."""
    outputs: dict[str, Any] = {}
    for fmt in formats:
        ready = getattr(writer(fmt, document.meta.profile, options.font_dir), "render_if_laid_out", None)
        if ready is not None:
            try:
                output = ready(document)
            except DocgenError as exc:
                output = exc
            if output is not None:
                outputs[fmt] = output
    return outputs


def _render_one(warm: Any, document: Document) -> Rendered | DocgenError:
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


def model(campaign: LoadedCampaign, template: str, record: dict[str, Any] | None,
          options: Options) -> tuple[Document, list[str]]:
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


def model_of(campaign: LoadedCampaign, template: str, record: dict[str, Any] | None = None,
             options: Options | None = None) -> tuple[Document, list]:
    """The document a template makes from the data (and a record), and the proof-reader's findings on it.
    (The template is checked against the campaign first: ``pipeline.check_template``.)"""
    options = options or Options()
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


def from_markup(
    text: str, context: kinds.FrameContext | None = None, source: str = "<rendered template>"
) -> Document:
    """Read → frame → numbering → title and heading lines: the model of a rendered template's text."""
    context = context or kinds.FrameContext()
    document = kinds.build(markup.read(text, source), context)
    document.meta.people = list(context.people())
    document = transforms.break_titles(transforms.number_headings(document))
    return transforms.break_headings(document, tuple(context.names()))
