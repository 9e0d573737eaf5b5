"""The one pipeline: source → validate → template engine → (model → transforms →) writers.

```
load_campaign(path)                      sources (file:line per value) → schema (typed campaign)
run(campaign, template, record, options) the engine that takes the template (engines/):
                                         Markdown-Jinja: templating → markup.read → kinds.build
                                           → transforms (numbering, title lines, proof-reading, script)
                                           → writers (one Rendered per format: bytes, pages)
                                         Word: the office's .docx filled in, its PDF by LibreOffice
```

The CLI, the Python API, a batch worker and ``--merge`` all call ``run``; it returns a ``Result``
(the document, one ``Rendered`` per format, the warnings) and writes no file: callers decide where
the bytes go, atomically (``files.output``). ``run_many`` is ``run`` for a batch chunk. Which engine
makes a template is the registry's to say (``engines.engine_for``): nothing here names one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen import engines, schema, sources
from docgen.engines import Result
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.options import Options
from docgen.schema import seals

if TYPE_CHECKING:
    from docgen.templating import Markers

__all__ = ["LoadedCampaign", "Options", "Result", "check_template", "load_campaign", "run", "run_many",
           "template_markers", "template_name"]


@dataclass
class LoadedCampaign:
    """A validated campaign (``model``, a ``schema.Campaign``) with the values as read and where each stands
    (``loaded``); templates see both: models by attribute."""

    model: schema.Campaign
    loaded: sources.LoadedData
    warnings: list[str] = field(default_factory=list)  # e.g. unknown keys, left out

    def context(self) -> dict[str, Any]:
        """Top-level keys become template names (``organization``, ``meeting``…, the free-form ``extra``),
        ``data`` is all of it; ``draft`` is the --draft status (None unless asked)."""
        names = {key: getattr(self.model, key) for key in schema.Campaign.model_fields}
        return {**names, "data": self.model, "draft": None}


def load_campaign(path: str | Path, text: str | None = None) -> LoadedCampaign:
    """Stages one and two: read the data with its source's reader, validate it into typed models.

    ``text``: the YAML file's content as an editor holds it, read instead of the file (`docgen serve`).
    """
    loaded = sources.load(path, text)
    model, warnings = schema.validate(loaded)
    return LoadedCampaign(model=_resolve_assets(model, loaded), loaded=loaded, warnings=[*loaded.notes, *warnings])


def run(
    campaign: LoadedCampaign,
    template: str,
    *,
    formats: Sequence[str] = (),
    record: dict[str, Any] | None = None,
    options: Options | None = None,
) -> Result:
    """Make one document from the campaign (and a batch record, if any) in each of ``formats``, by the engine
    that takes the template."""
    options = options or Options()
    check_template(campaign, template, options.user_dirs)
    return engines.engine_for(template).run(campaign, template, record, tuple(formats), options)


def run_many(
    campaign: LoadedCampaign,
    template: str,
    records: Sequence[dict[str, Any]],
    *,
    formats: Sequence[str] = (),
    options: Options | None = None,
) -> list[Result | DocgenError]:
    """``run`` for each record, a DocgenError in place of a record that fails; the others still made (an engine
    may make the chunk at once: the Markdown engine lays out all its PDFs in one pass)."""
    options = options or Options()
    try:
        check_template(campaign, template, options.user_dirs)
    except DocgenError as exc:
        return [exc for _record in records]
    return engines.engine_for(template).run_many(campaign, template, records, tuple(formats), options)


def template_name(speech: str | None, template: str | None, user_dirs: tuple[str, ...] = ()) -> str:
    """What --speech/--template NAME means: a speech, or the first engine's template of that name (a Word
    file: .docx, or NAME.docx in a --templates folder when no Markdown kind has that name)."""
    if speech:
        return engines.locate_speech(speech, user_dirs)
    return engines.locate(template or "", user_dirs)


def template_markers(template: str, user_dirs: tuple[str, ...] = ()) -> Markers:
    """A template's declared (or, for a Word template, inferred) campaign, --each list and needs."""
    return engines.engine_for(template).markers(template, user_dirs)


def check_template(campaign: LoadedCampaign, template: str, user_dirs: tuple[str, ...] = (),
                   record: dict[str, Any] | None = None) -> None:
    """Before any record is made: the template fits this campaign and the data holds what it needs, and its
    engine finds no fault (a Word template: it compiles and, given a record's names, every name it uses
    exists — every fault at once)."""
    engine = engines.engine_for(template)
    engine.check(campaign, template, user_dirs, record)
    marks = engine.markers(template, user_dirs)
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


def _resolve_assets(model: schema.Campaign, loaded: sources.LoadedData) -> schema.Campaign:
    """Seal images are named relative to the data file and checked once, here (``schema.seals``)."""
    folder = Path(loaded.file).resolve().parent
    documents = {}
    for key, document in model.documents.items():
        if document.seal:
            spot = loaded.spot(("documents", key, "seal"))
            document = document.model_copy(update={"seal": seals.resolve(document.seal, folder, key, spot)})
        documents[key] = document
    return model.model_copy(update={"documents": documents}) if documents else model
