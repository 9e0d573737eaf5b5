"""`docgen check CAMPAIGN`: the campaign's values, its dated facts, and every document it makes, proof-read.

The values are checked where they stand (campaign.yaml:12, 名册.xlsx!党员!C7): their typography, and
their 提法 against the campaign's own date; the timeline's problems at the facts out of order; then each
document docgen can make from the data (each kind, each speech written for any campaign or for this one,
the documents made once per record for up to ``RECORDS_PER_KIND`` records) is made as a model and
proof-read with the data at hand, so a clerk sees every finding before anything is printed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from docgen import pipeline, templating, zh
from docgen.engines import markdown as markdown_engine
from docgen.errors import DocgenError, DocgenErrors
from docgen.i18n import _
from docgen.options import Options
from docgen.proofread import READERS, check_texts, dated, proofread, read
from docgen.proofread.base import Finding
from docgen.proofread.facts import Context
from docgen.proofread.units import Unit, from_document

RECORDS_PER_KIND = 200


def _note_to_stderr(finding: Finding) -> None:
    print(_("note: {message}").format(message=finding), file=sys.stderr)


def check_path(path: str | Path, note: Callable[[Finding], None] = _note_to_stderr,
               data: str | Path | None = None) -> list[Finding]:
    """`docgen check`: a DOCX, PDF or OFD (with the campaign's data, if given, for the rules that need it),
    a Markdown template (its names; with the data, the documents it makes), or a campaign: its values, its
    dated facts, and every document it makes.

    In data, a 发文字号 under ``documents.<kind>.number`` such as 瓦委发[2010]12号 is fine: the
    documents print it as 瓦委发〔2010〕12号. It goes to ``note`` (stderr by default), not into the
    findings; the same number in a DOCX or PDF, or in any other data text, is a finding.
    """
    p = Path(path)
    if p.name.endswith(".md.j2"):
        return check_template_file(p, data)
    if p.suffix.lower() in READERS:
        context = None
        if data is not None:
            campaign = pipeline.load_campaign(data)
            context = Context(campaign.model, campaign.loaded)
        return proofread(read(p), context)
    return check_campaign(p, note)


def check_campaign(path: Path, note: Callable[[Finding], None]) -> list[Finding]:
    """The values as written (even when the data does not validate yet), then, once it does, their 提法,
    the timeline and every document."""
    from docgen.sources import load

    raw = load(path)
    findings: list[Finding] = []
    values = list(_strings(raw.values, ()))
    for value_path, text in values:
        where = str(raw.spot(value_path))
        if len(value_path) == 3 and value_path[0] == "documents" and value_path[2] == "number":
            findings += _data_document_number(where, text, note)
        else:
            findings += check_texts([(where, text)])
    try:
        campaign = pipeline.load_campaign(path)
    except DocgenError as exc:  # what stops the data validating is a finding too, unless already said there
        for error in exc.errors if isinstance(exc, DocgenErrors) else [exc]:
            if not any(finding.where == str(error.where) for finding in findings):
                findings.append(Finding(str(error.where or path), error.message,
                                        _("fix it: `docgen validate` says the same")))
        return findings
    loaded = campaign.loaded
    findings += dated((Unit(str(loaded.spot(p)), t) for p, t in values), campaign.model.meeting.date)
    findings += data_findings(campaign)
    findings += list(_documents(campaign))
    return findings


def data_findings(campaign) -> list[Finding]:
    """The facts out of order that concern the campaign as a whole (not one document): at their spots."""
    context = Context(campaign.model, campaign.loaded)
    return [Finding(context.spot(p.path), p.message, p.fix) for p in campaign.model.timeline.problems()]


def _documents(campaign) -> Iterator[Finding]:

    for info in templating.list_templates():
        name = templating.speech_name(info.name) if info.option == "--speech" else templating.template_name(info.name)
        try:
            pipeline.check_template(campaign, name)
        except DocgenError:
            continue  # a kind the data cannot make, or another campaign's speech: `validate` says which
        key = "speech" if info.option == "--speech" else info.name
        yield from _made(campaign, name, info.name, key)


def _made(campaign, name: str, label: str, key: str, user_dirs: tuple[str, ...] = ()) -> Iterator[Finding]:
    """A template's documents from the campaign (one per record, up to RECORDS_PER_KIND), proof-read."""
    from docgen.batching.records import select

    each = templating.markers(name, user_dirs).each
    records = [None]
    if each:
        records = [{**r.names, "index": r.index} for r in select(campaign.model, each)][:RECORDS_PER_KIND]
    options = Options(user_dirs=user_dirs)
    for number, record in enumerate(records, 1):
        shown = label if record is None else f"{label} [{number}]"
        try:
            pipeline.check_template(campaign, name, user_dirs)
            document, _warnings = markdown_engine.model_of(campaign, name, record, options)
        except DocgenError as exc:  # the kind fits the data, this record does not: say so
            yield Finding(shown, _("cannot be made: {error}").format(error=exc),
                          _("complete the data, or leave the record out (--where)"))
            continue
        context = Context(campaign.model, campaign.loaded, key)
        for finding in proofread(from_document(document), context):
            yield Finding(f"{shown}: {finding.where}", finding.message, finding.fix)


def check_template_file(path: Path, data: str | Path | None) -> list[Finding]:
    """`docgen check TEMPLATE.md.j2`: every name it uses, against the schema; with ``data``, also the documents
    it makes from that campaign, proof-read."""
    from docgen.templating import names as markdown_names

    faults = markdown_names.file_faults(path)
    findings = [Finding(str(fault.where), fault.message, _("use a name the data has (`docgen schema` lists them)"))
                for fault in faults]
    if data is None or findings:
        return findings

    campaign = pipeline.load_campaign(data)
    return list(_made(campaign, path.name, path.name, "speech" if path.parent.name == "speeches" else path.stem,
                      (str(path.resolve().parent),)))


def _data_document_number(where: str, text: str, note: Callable[[Finding], None]) -> list[Finding]:
    """``documents.<kind>.number`` is normalized when the document is built: [2010] is a note there."""
    try:
        fixed = zh.issued_number(text)
    except ValueError:
        return [Finding(where, _("document number '{text}' cannot be read").format(text=text),
                        _("write it like 瓦委发〔2010〕12号 (organ code, full year, serial, 号), a 令号 like 第1号"))]
    if fixed != text:
        note(Finding(where, _("document number '{text}' is written as '{fixed}' in the documents").format(
            text=text, fixed=fixed),
                     _("nothing to change (or write it so here)")))
    return check_texts([(where, fixed)])


def _strings(value, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
