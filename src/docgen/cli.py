"""The `docgen` command. Imports stay inside commands so `docgen --help` starts fast.

Bad input ends with one line, `file:line: what is wrong`, and exit code 1; bad usage is click's
exit code 2. No traceback reaches the user unless DOCGEN_DEBUG=1.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from docgen import i18n
from docgen.commands.migrate import STARTERS
from docgen.i18n import _, ngettext
from docgen.options import DEFAULT_NAME, BatchOptions, Options
from docgen.version import __version__

i18n.install_click()


class I18nCommand(click.Command):
    """A command whose help and whose options' help are shown in the run's language.

    Help strings are written in English at definition time (docstrings, ``help=``); they are looked
    up in the catalog when shown, so ``--lang`` and the locale decide, not the import.
    """

    def get_help(self, ctx: click.Context) -> str:
        saved = [(item, item.help) for item in (self, *self.params) if getattr(item, "help", None)]
        try:
            for item, text in saved:
                item.help = i18n.translate_help(text)
            return super().get_help(ctx)
        finally:
            for item, text in saved:
                item.help = text

    def get_short_help_str(self, limit: int = 45) -> str:
        text = i18n.translate_help(self.help) or ""
        if i18n.is_chinese() and text:  # no spaces to break at: the first sentence, cut by characters
            first = text.split("\n\n")[0].replace("\n", "").split("。")[0]
            return first if len(first) <= limit else first[: limit - 1] + "…"
        saved = self.help
        self.help = text
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help = saved


class I18nGroup(I18nCommand, click.Group):
    """The `docgen` group: its commands are I18nCommands, and ``--lang`` is read before anything else,
    so a usage error in the arguments is already in the chosen language."""

    command_class = I18nCommand

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        i18n.use(_lang_in(argv))
        return super().main(argv, *rest, **kwargs)


def _lang_in(argv: list[str]) -> str | None:
    """The value of ``--lang`` before the command name, when it is a language docgen has."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in i18n.LANGUAGES:
            return value
    return None


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        i18n.use(value)


def _friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn DocgenError into `error: file:line: message` (exit 1), and anything else into one line."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from docgen.errors import DocgenError

        try:
            return command(*args, **kwargs)
        except DocgenError as exc:
            for line in exc.lines():  # a Word template's faults: all of them, one line each
                click.echo(_("error: {message}").format(message=line), err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo(_("interrupted; files already written are whole, nothing partial was left"), err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # a bug in docgen: say so in one line, keep the details for debugging
            if os.environ.get("DOCGEN_DEBUG"):
                raise
            click.echo(_("internal error: {kind}: {error} (set DOCGEN_DEBUG=1 for details)").format(
                kind=type(exc).__name__, error=exc), err=True)
            sys.exit(3)

    return wrapper


def _one_of(speech: str | None, template: str | None) -> None:
    if bool(speech) == bool(template):
        raise click.UsageError(_("give one of --speech NAME or --template NAME (see `docgen templates`)"))


def _shown(path: Path) -> str:
    """A written file as the user would type it: relative to where they are, when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _warn(message: str) -> None:
    click.echo(message, err=True)


def _formats(value: str, pdf_a: bool = False) -> tuple[str, ...]:
    from docgen.writers import WRITERS

    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in chosen if f not in WRITERS]
    if bad or not chosen:
        raise click.BadParameter(_("choose from {formats} (comma-separated), not {value!r}").format(
            formats=", ".join(WRITERS), value=value))
    return tuple("pdfa" if pdf_a and f == "pdf" else f for f in chosen)


@click.group(cls=I18nGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
@click.option("--lang", type=click.Choice(i18n.LANGUAGES), is_eager=True, expose_value=False, callback=_set_lang,
              help="Language of messages: zh (Chinese) or en [default: from LANG / LC_MESSAGES].")
def main() -> None:
    """Turn campaign data (YAML) into GB/T 9704 公文 — speeches, 实施意见, notices — as DOCX and PDF.

    Start with:  docgen render examples/wadian --speech cxzy-mobilization -o out
    """


templates_option = click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Extra template folder (searched after the built-in ones); may be repeated.",
)
script_option = click.option(
    "--script", type=click.Choice(["hans", "hant", "hant-tw", "hant-hk"]), default="hans", show_default=True,
    help="Write the text in Simplified (hans) or Traditional characters (OpenCC).",
)
keep_option = click.option(
    "--keep", multiple=True, metavar="TERM", help="A name --script must leave as written; may be repeated.",
)
pdf_a_option = click.option(
    "--pdf-a", is_flag=True, help="Write the PDF as PDF/A-2b for archiving (fonts embedded, colour profile, XMP).",
)
strict_option = click.option(
    "--strict", is_flag=True,
    help="Treat the proof-reader's findings as errors: a document with any is not written.",
)
font_dir_option = click.option(
    "--font-dir",
    type=click.Path(exists=True, file_okay=False),
    envvar="DOCGEN_FONT_DIR",
    help="Folder with your own fonts (仿宋_GB2312, 方正小标宋简体…) to embed in PDFs instead of the open ones.",
)


@main.command()
@click.argument("data", type=click.Path())
@click.option("--speech", metavar="NAME", help="A ready speech from speeches/ (see `docgen templates`).")
@click.option("--template", metavar="NAME",
              help="A document kind from templates/, a .md.j2 path, or an office's Word file (模板.docx).")
@click.option("--format", "formats", default="docx,pdf", show_default=True,
              help="docx, pdf, ofd (GB/T 33190), comma-separated.")
@click.option("-o", "--out", default="out", show_default=True, type=click.Path(), help="Output folder.")
@click.option("--name", help="File name without extension (default: the document's title).")
@click.option("--draft", "draft", flag_value="草稿", default=None,
              help="Mark every page 草稿 and leave the seal off (or set documents.<kind>.status in the data).")
@click.option("--status", "draft", metavar="TEXT", help="Like --draft with your own word, e.g. 征求意见稿.")
@script_option
@keep_option
@templates_option
@font_dir_option
@pdf_a_option
@strict_option
@_friendly
def render(
    data: str,
    speech: str | None,
    template: str | None,
    formats: str,
    out: str,
    name: str | None,
    draft: str | None,
    script: str,
    keep: tuple[str, ...],
    template_dirs: tuple[str, ...],
    font_dir: str | None,
    pdf_a: bool,
    strict: bool,
) -> None:
    """Render one document from DATA (a campaign.yaml or its folder) and print the paths written."""
    _one_of(speech, template)
    from docgen.writers import collector

    options = Options(draft=draft, script=script, keep=keep, user_dirs=template_dirs, font_dir=font_dir, strict=strict)
    collector.pause()  # until the first writer is built: what a cold start makes lives to the end
    try:
        from docgen.api import render as render_api

        paths = render_api(data, speech=speech, template=template, formats=_formats(formats, pdf_a), out=out,
                           name=name, warn=_warn, options=options)
    finally:
        collector.resume()
    for path in paths:
        click.echo(_shown(path))


@main.command(name="batch")
@click.argument("data", type=click.Path())
@click.option("--template", metavar="NAME",
              help="Document kind (notice, commitment…, see `docgen templates`), or a Word file (模板.docx).")
@click.option("--speech", metavar="NAME", help="A speech, one per record.")
@click.option("--each", required=True, metavar="PATH",
              help="The list to go through: branches, or branches[*].members for nested lists.")
@click.option("--where", metavar="EXPR", help='Keep only records where EXPR holds, e.g. \'branch.category == "农村"\' '
                                             "or 'index <= 30' (index: the record's place in the whole list).")
@click.option("--part", metavar="K/N", help="Make only the K-th of N nearly equal parts of the records (e.g. 2/5); "
                                            "files keep their numbers, and the folder's manifest gathers the parts.")
@click.option("--name", "pattern", default=DEFAULT_NAME, show_default=True,
              help="File name pattern: {index}, the record's fields, <parent>_<field>.")
@click.option("--format", "formats", default="docx,pdf", show_default=True,
              help="docx, pdf, ofd (GB/T 33190), comma-separated.")
@click.option("-o", "--out", default="out", show_default=True, type=click.Path(),
              help="Output folder, or an fsspec URL (s3://bucket/run; needs docgen[cluster]).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: cores].")
@click.option("--cluster", metavar="ADDRESS", envvar="DOCGEN_CLUSTER",
              help="Render on a Dask cluster: tcp://SCHEDULER:8786, or local:N for N worker processes here "
                   "[env: DOCGEN_CLUSTER; needs docgen[cluster]]. -o must be a folder every worker can write, "
                   "or a URL.")
@click.option("--chunk", type=click.IntRange(min=1), default=None, metavar="N",
              help="With --cluster: records per task [default: 50, fewer for small batches].")
@click.option("--force", is_flag=True, help="Redo documents whose inputs have not changed.")
@click.option("--zip", "make_zip", is_flag=True, help="Also write one .zip of all documents (UTF-8 names).")
@click.option("--merge", is_flag=True,
              help="Also write one print-ready PDF, DOCX and OFD (those asked for), each document on an odd page.")
@script_option
@keep_option
@templates_option
@font_dir_option
@pdf_a_option
@strict_option
@_friendly
def batch_cmd(
    data: str,
    template: str | None,
    speech: str | None,
    each: str,
    where: str | None,
    part: str | None,
    pattern: str,
    formats: str,
    out: str,
    jobs: int | None,
    cluster: str | None,
    chunk: int | None,
    force: bool,
    make_zip: bool,
    merge: bool,
    script: str,
    keep: tuple[str, ...],
    template_dirs: tuple[str, ...],
    font_dir: str | None,
    pdf_a: bool,
    strict: bool,
) -> None:
    """One document per record of --each, in parallel, with a manifest; failures do not stop the rest."""
    _one_of(speech, template)
    if chunk and not cluster:
        raise click.UsageError(_("--chunk sizes the tasks of --cluster; the local pool (-j) sizes its own"))
    from docgen.batching import ManifestNotWritten, batch

    try:
        options = BatchOptions(
            each=each, where=where, part=part, name=pattern, formats=_formats(formats, pdf_a), out=out, jobs=jobs,
            force=force, zip=make_zip, merge=merge, cluster=cluster or None, chunk=chunk, progress=True,
            document=Options(script=script, keep=keep, user_dirs=template_dirs, font_dir=font_dir, strict=strict))
        result = batch(data, template=template, speech=speech, options=options, warn=_warn)
    except ManifestNotWritten as exc:  # no manifest to look in: the terminal is the only record of the failures
        _name_failures(exc.documents)
        raise
    documents = result["documents"]
    failed = [d for d in documents if d["status"] == "failed"]
    counts = {status: sum(d["status"] == status for d in documents) for status in ("written", "unchanged", "failed")}
    _name_failures(documents)
    warned = [(doc, message) for doc in documents for message in doc.get("warnings", [])]
    for doc, message in warned[:5]:  # the proof-reader's findings: the first few here, all in the manifest
        click.echo(_("record {index} ({name}): {message}").format(index=doc["index"], name=doc["name"],
                                                                   message=message), err=True)
    if len(warned) > 5:
        click.echo(_("… and {count} more warnings in manifest.json").format(count=len(warned) - 5), err=True)
    extras = [result[key] for key in ("zip",) if key in result] + list(result.get("merged", {}).values())
    click.echo(_("{written} written, {unchanged} unchanged, {failed} failed → {out} ({files})").format(
        **counts, out=out, files=", ".join(["manifest.json", *extras])))
    if failed:
        sys.exit(1)


NAMED_FAILURES = 20  # failed records named one line each; the rest by their numbers


def _name_failures(documents: list[dict[str, Any]]) -> None:
    """One line for each of the first failed records, then one line numbering the rest."""
    failed = [d for d in documents if d["status"] == "failed"]
    for doc in failed[:NAMED_FAILURES]:
        click.echo(_("error: record {index} {record} ({name}): {error}").format(
            index=doc["index"], record=doc["record"], name=doc["name"], error=doc["error"]), err=True)
    rest = sorted(d["index"] for d in failed[NAMED_FAILURES:])
    if rest:
        click.echo(_("error: … and {count} more records not written: {numbers}").format(
            count=len(rest), numbers=_number_ranges(rest)), err=True)


def _number_ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] → ``3–5, 9``."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{a}–{b}" if b > a else f"{a}" for a, b in spans)


@main.command()
@click.argument("data", type=click.Path())
@click.option("--template", "kinds", multiple=True, metavar="NAME",
              help="Also check what this document kind needs from the data (an error if it is missing); "
                   "may be repeated. Without it, the kinds the data cannot make are counted in one line.")
@click.option("--all", "show_all", is_flag=True,
              help="Say what each document the data cannot make would need, one line each.")
@templates_option
@_friendly
def validate(data: str, kinds: tuple[str, ...], template_dirs: tuple[str, ...], show_all: bool) -> None:
    """Check DATA against the campaign schema, and the names used by the templates of --templates; print a
    summary, or every problem with its line (or cell)."""
    from docgen import templating
    from docgen.commands.check import data_findings
    from docgen.errors import DocgenError, report
    from docgen.pipeline import check_template, load_campaign, template_name
    from docgen.templating import names as markdown_names

    campaign = load_campaign(data)
    for message in campaign.warnings:
        _warn(message)
    for finding in data_findings(campaign):  # facts out of order: the documents made from them would disagree
        _warn(_("{where}: warning: {message}; {fix}").format(where=finding.where, message=finding.message,
                                                            fix=finding.fix))
    for kind in kinds:
        check_template(campaign, template_name(None, kind, template_dirs), template_dirs)
    faults: list[DocgenError] = []
    cannot: list[tuple[Any, DocgenError]] = []
    roots = [Path(folder).resolve() for folder in template_dirs]
    for info in templating.list_templates(template_dirs):
        name = templating.speech_name(info.name) if info.option == "--speech" else templating.template_name(info.name)
        if any(root in info.path.resolve().parents for root in roots):  # the office's own: every name it uses
            faults += markdown_names.faults(name, template_dirs)
        if kinds:
            continue
        try:
            check_template(campaign, name, template_dirs)
        except DocgenError as exc:
            if not templating.markers(name, template_dirs).campaign:  # another campaign's speech: no news
                cannot.append((info, exc))
    if show_all:
        for info, exc in cannot:
            _warn(_("warning: {option} {name} cannot be made from this data: {error}").format(
                option=info.option, name=info.name, error=exc))
    elif cannot:
        _warn(ngettext("note: {count} document cannot be made from this data ({names}): it needs what the data does "
                       "not have; `docgen validate --all` says what",
                       "note: {count} documents cannot be made from this data ({names}): they need what the data "
                       "does not have; `docgen validate --all` says what each needs", len(cannot)).format(
            count=len(cannot), names=", ".join(info.name for info, _exc in cannot)))
    if faults:
        raise report(faults)
    model = campaign.model
    click.echo(_("ok: {file}: {organization} · {campaign} · {phases} phases · {branches} branches").format(
        file=campaign.loaded.file, organization=model.organization.name, campaign=model.campaign.name,
        phases=len(model.campaign.phases), branches=len(model.branches)))


@main.command()
@click.argument("data", type=click.Path(exists=True))
@_friendly
def migrate(data: str) -> None:
    """Rewrite a campaign file of docgen's first schema (county, organization_standard…) in the current one,
    keeping its comments and order."""
    from docgen.commands import migrate as migration

    report = migration.rewrite(data)
    if report is not None:
        for line in report:
            _warn(_("note: {message}").format(message=line))
        click.echo(_("migrated: {file} (check it with `docgen validate {file}`)").format(file=data))
    else:
        click.echo(_("ok: {file} is already in the current schema; nothing changed").format(file=data))


@main.command()
@click.argument("folder", type=click.Path(file_okay=False), default=".")
@click.option("--organ", metavar="NAME", help="The issuing organ's full name, e.g. 中共丘山县直属机关工作委员会 "
                                             "[asked at a terminal].")
@click.option("--campaign", metavar="NAME", help="The campaign's name, e.g. 深入贯彻中央八项规定精神学习教育 "
                                                "[asked at a terminal].")
@click.option("--like", type=click.Choice(STARTERS), default=None,
              help="Copy an example campaign to learn from instead: jinqiao (a 街道党工委, 2024) or wadian (a 乡党委, "
                   "2010).")
@_friendly
def init(folder: str, organ: str | None, campaign: str | None, like: str | None) -> None:
    """Write FOLDER/campaign.yaml: a clean, commented campaign to fill in, with your organ and campaign.

    Every value still to give is a 【填写：…】 placeholder that `docgen validate` points at until it is filled.
    At a terminal the organ and the campaign are asked for when not given; in a script nothing is asked."""
    from docgen.schema import starter

    if like:
        path = starter.from_example(folder, like)
    else:
        if sys.stdin.isatty():
            if organ is None:
                organ = click.prompt(_("Issuing organ (full name, e.g. 中共丘山县直属机关工作委员会; Enter to fill in "
                                       "later)"), default="", show_default=False)
            if campaign is None:
                campaign = click.prompt(_("Campaign (e.g. 深入贯彻中央八项规定精神学习教育; Enter to fill in later)"),
                                        default="", show_default=False)
        path = starter.write(folder, organ, campaign)
    click.echo(path)
    click.echo(_("next: fill in every 【填写：…】, checking with `docgen validate {folder}`; then `docgen render "
                 "{folder} --template opinion`").format(folder=folder))


@main.command(name="roster-template")
@click.option("-o", "--out", default="名册.xlsx", show_default=True, type=click.Path(dir_okay=False),
              help="The workbook to write (.xlsx).")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@_friendly
def roster_template(out: str, force: bool) -> None:
    """Write an empty roster workbook: 支部 and 党员 sheets with their headers, and a 说明 sheet.

    Fill it in, then name it in campaign.yaml as `branches: {from: 名册.xlsx}` (docs/rosters.md)."""
    from docgen.errors import DocgenError
    from docgen.files.output import write_atomic
    from docgen.sources.roster_template import workbook_bytes

    target = Path(out)
    if target.suffix.lower() != ".xlsx":
        raise click.BadParameter(_("the roster template is an .xlsx workbook, not {suffix}").format(
            suffix=target.suffix or _("suffix-less")), param_hint="-o")
    if target.exists() and not force:
        raise DocgenError(_("exists; docgen does not overwrite a roster (pass --force to replace it)"), str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, workbook_bytes())
    click.echo(str(target))


class I18nSubgroup(I18nCommand, click.Group):
    """A group of commands under `docgen` (`docgen roster merge`): help in the run's language."""

    command_class = I18nCommand


@main.group(cls=I18nSubgroup)
def roster() -> None:
    """Rosters returned by the branches: merge them into one workbook (docs/rosters.md)."""


@roster.command(name="merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False), help="The workbook to write (.xlsx).")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@_friendly
def roster_merge(sources: tuple[str, ...], out: str, force: bool) -> None:
    """Read SOURCES — roster files, folders of them, patterns such as '回收/*.xlsx', or one campaign whose
    branches come from a roster — and write them as one workbook: 支部 and 党员 sheets, each row with the
    file it came from. Every fault of every file is told first, and nothing is written while there is one."""
    from docgen.errors import DocgenError
    from docgen.files.output import write_atomic
    from docgen.sources.roster_merge import read_sources, workbook_bytes

    target = Path(out)
    if target.suffix.lower() != ".xlsx":
        raise click.BadParameter(_("the merged roster is an .xlsx workbook, not {suffix}").format(
            suffix=target.suffix or _("suffix-less")), param_hint="-o")
    if target.exists() and not force:
        raise DocgenError(_("exists; docgen does not overwrite a roster (pass --force to replace it)"), str(target))
    found = read_sources(sources)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, workbook_bytes(found))
    members = sum(len(rows) for rows in found.member_rows)
    click.echo(_("{file}: {branches} branches, {members} members from {files} files").format(
        file=target, branches=len(found.branch_rows), members=members, files=len(found.files)))


@main.command(name="template-check")
@click.argument("template", type=click.Path(exists=True, dir_okay=False))
@click.option("--each", metavar="PATH", help="The list it is made for (default: its `docgen-each` comment, or the "
                                              "record names it uses: branch → branches).")
@templates_option
@_friendly
def template_check(template: str, each: str | None, template_dirs: tuple[str, ...]) -> None:
    """Lint a template without data: for a Word file its tags, faults (with 第N段 / 表格N 第R行 第C列), names the
    campaign schema does not have, and the split runs it joined; for a Markdown template (.md.j2) every name,
    field, filter and test it uses, against the schema."""
    from docgen import wordtemplate

    if template.endswith(".md.j2"):
        from docgen.templating import names as markdown_names

        faults = markdown_names.file_faults(template, template_dirs, each)
        for fault in faults:
            click.echo(_("error: {message}").format(message=fault), err=True)
        if faults:
            click.echo(_("faults: {file}: {summary}").format(file=template, summary=ngettext(
                "{count} fault", "{count} faults", len(faults)).format(count=len(faults))))
            sys.exit(1)
        click.echo(_("ok: {file}: every name it uses is in the data").format(file=template))
        return
    if not wordtemplate.is_word(template):
        raise click.BadParameter(_("a template ends in .docx (or .dotx), or .md.j2"), param_hint="TEMPLATE")
    report = wordtemplate.lint(template, each=each, user_dirs=template_dirs)
    for note in report.repairs:
        click.echo(_("note: {message}").format(message=note), err=True)
    for message in report.warnings:
        _warn(message)
    for fault in report.faults:
        click.echo(_("error: {message}").format(message=f"{fault.spot}: {fault.message}"), err=True)
    verdict = _("faults: {file}: {summary}") if report.faults else _("ok: {file}: {summary}")
    click.echo(verdict.format(file=report.file, summary=report.summary()))
    if report.faults:
        click.echo(ngettext("{count} fault", "{count} faults", len(report.faults)).format(count=len(report.faults)),
                   err=True)
        sys.exit(1)


@main.command(name="templates")
@templates_option
@_friendly
def templates_cmd(template_dirs: tuple[str, ...]) -> None:
    """List the document kinds and ready speeches, with what each is for."""
    from docgen import templating

    click.echo(_("Frames (extend these in your own templates):"))
    for info in templating.frames():
        click.echo(f"  {info.name:<22} {info.description}")
    click.echo(_("Renderable (use with `docgen render`):"))
    for info in templating.list_templates(template_dirs):
        written = " " + _("[only for {campaign}]").format(campaign=info.campaign) if info.campaign else ""
        click.echo(f"  {info.option} {info.name:<20} {info.description}{written}")
    words = sorted(p for d in template_dirs for p in Path(d).glob("*.docx") if not p.name.startswith("~$"))
    if words:
        click.echo(_("Word templates (an office's own .docx; `docgen template-check FILE` lints one):"))
        for path in words:
            click.echo(f"  --template {path.stem:<20} {path}")


@main.command(name="import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--out", type=click.Path(dir_okay=False), help="Write the template here (default: print it).")
@click.option("--kind", type=click.Choice(["speech", "opinion", "notice"]), default="speech", show_default=True,
              help="The frame the template extends.")
@click.option("--suggest-fields", "data", type=click.Path(exists=True),
              help="Campaign data whose facts (township, campaign, phases, dates…) become template expressions.")
@_friendly
def import_cmd(source: str, out: str | None, kind: str, data: str | None) -> None:
    """Turn a plain-text 范文 (UTF-8 or GB18030, Traditional or Simplified) into a docgen template.

    What it drops or changes (site adverts, stray words and marks, half-width punctuation) is
    reported line by line on stderr."""
    from docgen.commands.importer import import_text, read_source

    campaign = None
    if data:
        from docgen.pipeline import load_campaign

        campaign = load_campaign(data).model
    kind_frame = "speech" if kind == "speech" else "document"
    result = import_text(read_source(source), source=source, campaign=campaign, kind=kind_frame)
    for note in result.notes:
        click.echo(_("note: {message}").format(message=note), err=True)
    if out:
        from docgen.files.output import write_atomic

        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, result.template.encode("utf-8"))
        click.echo(str(target))
    else:
        click.echo(result.template, nl=False)


@main.command()
@click.argument("target", type=click.Path(exists=True))
@click.option("--data", type=click.Path(exists=True), metavar="CAMPAIGN",
              help="The campaign the file was made from: also compare its words with the data (dates and tense, "
                   "counts, the superior's level).")
@_friendly
def check(target: str, data: str | None) -> None:
    """Proof-read a DOCX, PDF or OFD, a template (.md.j2: its names; with --data, what it makes), or a campaign (its
    data and every document it makes): doubled words at
    joins, date ranges, empty sections, 一是 without 二是, a speaker naming himself, 提法 not current at the
    document's date, facts out of order, counts, and typography (half-width marks, 〇, 〔〕, zero padding)."""
    from docgen.commands.check import check_path

    findings = check_path(target, note=lambda finding: click.echo(_("note: {message}").format(message=finding),
                                                                  err=True), data=data)
    for finding in findings:
        click.echo(_("error: {message}").format(message=finding))
    if findings:
        click.echo(ngettext("{count} finding", "{count} findings", len(findings)).format(count=len(findings)),
                   err=True)
        sys.exit(1)
    click.echo(_("ok: {file}: no findings").format(file=target))


@main.command()
@click.argument("data", type=click.Path(), default=".")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this machine's own lets others edit the campaign.")
@click.option("-o", "--out", type=click.Path(file_okay=False),
              help="Where batches are written [default: DATA's folder/out].")
@templates_option
@font_dir_option
@_friendly
def serve(data: str, port: int, host: str, out: str | None, template_dirs: tuple[str, ...],
          font_dir: str | None) -> None:
    """A local web page: edit DATA (a campaign folder or .yaml), see each document as it will print,
    download DOCX, PDF and batches. Needs `pip install 'docgen[web]'`."""
    try:
        import pypdfium2  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise click.ClickException(
            _("`docgen serve` needs the web extra ({module} is missing): pip install 'docgen[web]'").format(
                module=exc.name)) from None
    from docgen import web
    from docgen.sources import resolve_data_path

    if not Path(data).is_dir():  # a folder with no campaign yet opens on the page's 新建活动
        resolve_data_path(data)  # a missing campaign is one line now, not a page that cannot open
    if not web.is_loopback(host):
        _warn(_("warning: listening on {host}: anyone who can reach this machine can read and change the campaign "
                "files and write into the output folder — there is no login. Use it only on a network you trust.")
              .format(host=host))
    web.serve(data, host=host, port=port, out=out, options=Options(user_dirs=template_dirs, font_dir=font_dir),
              announce=lambda url: click.echo(_("docgen serve: {url}  (Ctrl-C stops it)").format(url=url)))


@main.command()
@_friendly
def schema() -> None:
    """Print the campaign JSON Schema (for editor autocompletion of campaign.yaml)."""
    from docgen.schema import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("data", type=click.Path(), required=False)
@font_dir_option
@_friendly
def fonts(data: str | None, font_dir: str | None) -> None:
    """Show which font file serves each role in PDFs, and which characters of DATA no font has."""
    from docgen.writers import fonts as font_roles

    resolved = font_roles.resolve(font_dir)
    click.echo(f"{_('role'):<6} {_('DOCX names'):<16} {_('PDF embeds'):<60} {_('source')}")
    for key, font in resolved.items():
        file = str(font.file) if font.file else _("(none: {family})").format(family=font.role.fallback_family)
        click.echo(f"{key:<6} {font.role.office_name:<16} {file:<60} {font.source}")
    click.echo(_("fallback for missing glyphs: Noto Serif CJK SC (黑体: Noto Sans CJK SC)"))
    if not data:
        return
    from docgen.sources import iter_strings, load

    text = "".join(iter_strings(load(data).values))
    not_in_body, in_none = font_roles.missing_characters(resolved["body"], text)
    if not_in_body:
        chars = "".join(sorted(not_in_body))
        # FandolFang covers GB2312 and ~1,200 more; rarer name characters fall back to Noto Serif CJK.
        click.echo(_("warning: {count} characters print in the fallback, not the body font: {chars}").format(
            count=len(not_in_body), chars=chars))
    if in_none:
        click.echo(_("warning: no installed font has these characters: {chars}").format(
            chars="".join(sorted(in_none))), err=True)
    if not not_in_body and not in_none:
        click.echo(_("every character of the data is in the body font"))
