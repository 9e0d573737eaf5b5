"""`docgen check CAMPAIGN`: the campaign's values, its dated facts, and every document it makes, proof-read.

The values are checked where they stand (campaign.yaml:12, 名册.xlsx!党员!C7): their typography, and
their 提法 against the campaign's own date; the timeline's problems at the facts out of order; then each
document docgen can make from the data (each kind, each speech written for any campaign or for this one,
the documents made once per record for up to ``RECORDS_PER_KIND`` records) is made as a model and
proof-read with the data at hand, so a clerk sees every finding before anything is printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from docgen import zh
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.proofread import check_texts, dated, proofread
from docgen.proofread.base import Finding
from docgen.proofread.facts import Context
from docgen.proofread.units import Unit, from_document

RECORDS_PER_KIND = 200


def check_campaign(path: Path, note: Callable[[Finding], None]) -> list[Finding]:
    """The values as written (even when the data does not validate yet), then, once it does, their 提法,
    the timeline and every document."""
    from docgen.pipeline import load_campaign
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
        campaign = load_campaign(path)
    except DocgenError as exc:  # what stops the data validating is a finding too, unless already said there
        if not any(finding.where == str(exc.where) for finding in findings):
            findings.append(Finding(str(exc.where or path), exc.message, _("fix it: `docgen validate` says the same")))
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
    from docgen import pipeline, templating
    from docgen.batching.records import select

    for info in templating.list_templates():
        name = templating.speech_name(info.name) if info.option == "--speech" else templating.template_name(info.name)
        try:
            pipeline.check_template(campaign, name)
        except DocgenError:
            continue  # a kind the data cannot make, or another campaign's speech: `validate` says which
        each = templating.markers(name).each
        records = [None]
        if each:
            records = [{**r.names, "index": i} for i, r in enumerate(select(campaign.model, each), 1)]
            records = records[:RECORDS_PER_KIND]
        key = "speech" if info.option == "--speech" else info.name
        for number, record in enumerate(records, 1):
            label = info.name if record is None else f"{info.name} [{number}]"
            try:
                document, _warnings = pipeline.model_of(campaign, name, record)
            except DocgenError as exc:  # the kind fits the data, this record does not: say so
                yield Finding(label, _("cannot be made: {error}").format(error=exc),
                              _("complete the data, or leave the record out (--where)"))
                continue
            context = Context(campaign.model, campaign.loaded, key)
            for finding in proofread(from_document(document), context):
                yield Finding(f"{label}: {finding.where}", finding.message, finding.fix)


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
