"""`docgen batch`: one document per record, made by warm worker processes, written atomically.

The order of work: select records (`--each`, `--where`) → plan names over all of them (collisions
fail here, before any write, also between parts) → take `--part K/N` → skip what the manifest shows
unchanged → render in a pool → manifest (the folder's one: other parts' entries kept) → optional zip
and merged files.

"Render in a pool" is a local process pool, or with ``cluster=`` a Dask cluster (``cluster.py``,
imported only then); the output is a folder or an fsspec URL (``target.py``). Everything else —
names, collision check, skip-unchanged, manifest, interrupt handling — is this one function's.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any

from docgen import pipeline, templating
from docgen.batching import bundle, manifest
from docgen.batching.chunks import chunk_size
from docgen.batching.plan import Job, make_jobs, sources_digest
from docgen.batching.progress import Progress
from docgen.batching.records import part_of, select, where_filter
from docgen.batching.target import Target, open_target
from docgen.batching.worker import Settings, campaign_loaded, died, record_names, render_chunk, warm_up
from docgen.engines import BatchRun, Engine, engine_for
from docgen.errors import DocgenError, default_warn
from docgen.files import output
from docgen.i18n import _
from docgen.options import DEFAULT_NAME, BatchOptions
from docgen.resources import builtin_dir
from docgen.standard import DEFAULT_PROFILE
from docgen.version import __version__
from docgen.writers import FORMATS, check_formats, extension, writer

__all__ = ["DEFAULT_NAME", "BatchOptions", "ManifestNotWritten", "batch"]


def batch(
    data: str | Path,
    *,
    template: str | None = None,
    speech: str | None = None,
    options: BatchOptions | None = None,
    warn: Callable[[str], None] = default_warn,
    on_progress: Callable[[int, int], None] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Make one document per record of ``each``; return the manifest (also written to ``out``).

    ``options`` (``docgen.options.BatchOptions``), or its fields as keyword arguments (``each=``, ``where=``,
    ``part=``, ``name=``, ``formats=``, ``out=``, ``jobs=``, ``force=``, ``zip=``, ``merge=``, ``cluster=``,
    ``chunk=``, ``progress=``) with each document's (``templates=``, ``font_dir=``, ``draft=``, ``script=``,
    ``keep=``, ``strict=``). ``out`` is a folder or an fsspec URL (``s3://bucket/run``; needs the ``cluster``
    extra). ``cluster``: a Dask scheduler's address (``tcp://host:8786``) or ``local:N`` (a LocalCluster of
    N worker processes) renders on that cluster instead of the local pool (``jobs`` is then unused);
    ``chunk`` overrides its records per task. ``progress`` shows a bar on stderr; ``on_progress(done,
    total)`` is called as documents finish (``total`` counts the documents to make, not those the
    manifest shows unchanged). ``strict``: a record the proof-reader has findings on fails, nothing of it
    written. ``part``: ``"K/N"``, the K-th of N nearly equal runs of the records ``where`` keeps; files are
    numbered by each record's place in the whole ``each`` list, and the folder's manifest keeps the other
    parts' entries (the returned one lists this run's documents)."""
    if bool(speech) == bool(template):
        raise ValueError(_("give exactly one of speech= or template="))
    options = options or BatchOptions.build(**fields)
    document = options.document
    formats = check_formats(options.formats or FORMATS)
    user_dirs = document.user_dirs
    template_name = pipeline.template_name(speech, template, user_dirs)
    engine = engine_for(template_name)
    target = open_target(options.out)
    folder = target.folder
    _check_target(target, options, engine)
    jobs = options.jobs if target.shared else 1  # memory://: only this process sees it
    settings = Settings(
        data=str(data), template=template_name, each=options.each, formats=formats,
        out=str(folder.resolve() if options.cluster and folder else folder or target.shown), options=document,
    )

    campaign = pipeline.load_campaign(data)
    for message in campaign.warnings:
        warn(message)
    pipeline.check_template(campaign, template_name, user_dirs)  # before any file: the data holds what it needs
    selected = where_filter(select(campaign.model, options.each), options.where, templating.environment(user_dirs))
    records = part_of(selected, options.part)
    if not records:
        raise DocgenError(_("--each {each!r}{value} selects no record").format(
            each=options.each, value=(' --where ' + repr(options.where) if options.where else '')
            + (' --part ' + options.part if options.part else '')))
    # every name the template uses, checked with a record's names (an engine that can: all faults before any file)
    pipeline.check_template(campaign, template_name, user_dirs, record=record_names(records[0], 1))
    for message in engine.notes(template_name, user_dirs):  # the template's own: once
        warn(message)
    digest = sources_digest([builtin_dir("templates"), builtin_dir("speeches"), *map(Path, user_dirs)])
    digest += engine.digest(template_name, user_dirs)
    data_digest = hashlib.sha256()
    for file in campaign.loaded.files:  # every file the data came from: a changed roster counts
        data_digest.update(Path(file).read_bytes())
    context = f"{digest}\n{data_digest.hexdigest()}"
    planned = make_jobs(selected, options.name, context, {"template": template_name, "formats": formats,
                                                          "font_dir": document.font_dir, "script": document.script,
                                                          "keep": document.keep, "strict": document.strict})
    ours = {record.index for record in records}
    plan = [job for job in planned if job.position in ours]

    run_info = {"docgen": __version__, "data": str(data), "template": template_name, "each": options.each,
                "where": options.where, "part": options.part, "formats": list(formats)}
    target.prepare()
    target.sweep_partials()  # whatever a killed run left half-written
    stored = manifest.load(target, run_info)  # the folder's manifest: this batch's entries, earlier parts too
    kept = _other_parts(stored, plan)
    previous = {} if options.force else stored
    unchanged = [job for job in plan if manifest.still_valid(previous.get(job.stem), job.input_hash, target, formats)
                 and previous[job.stem].get("index") == job.position]
    todo = [job for job in plan if job not in unchanged]

    results = [{**previous[job.stem], "index": job.position, "status": "unchanged"} for job in unchanged]
    inputs = {job.position: job.input_hash for job in plan}
    # where each record stands in the data: campaign.yaml:144, or a roster's row (名册.xlsx!党员!A9:J9)
    origins = {job.position: str(campaign.loaded.spot(job.record.path)) for job in plan}
    label = f"{template or speech}"

    def progress_bar(total: int, what: str = label) -> Progress:
        return Progress(total, what, enabled=options.progress, callback=on_progress if what == label else None)

    try:
        if options.cluster:
            from docgen.batching import cluster as dask_cluster

            results += dask_cluster.run(settings, campaign, todo, options.cluster, options.chunk,
                                        lambda: progress_bar(len(todo)))
            target.sweep_partials()  # a killed worker's leftovers (its records were redone elsewhere)
        else:
            with campaign_loaded(settings.data, campaign):  # the workers take this campaign, not the YAML again
                results += _render(settings, todo, jobs, engine, folder, progress_bar)
    except KeyboardInterrupt:
        target.sweep_partials()
        manifest.write(target, {**run_info, "interrupted": True}, _with_inputs(results, inputs, origins), kept)
        raise
    documents = _with_inputs(results, inputs, origins)
    try:
        written = manifest.write(target, run_info, documents, kept)
    except DocgenError as exc:  # a full or read-only disk: the records' outcomes must still reach the caller
        raise ManifestNotWritten(exc, documents) from None
    ok_files = [f["file"] for d in written["documents"] if d["status"] != "failed" for f in d["files"]]
    stem = output.safe_stem(engine.label(template_name, user_dirs))
    if options.zip and folder:
        written["zip"] = bundle.write_zip(folder, ok_files, f"{stem}.zip").name
    if options.merge and folder:
        written["merged"] = _merge(settings, campaign, plan, written["documents"], folder, f"{stem}（合并打印）",
                                   engine.merges_models)
        if engine.merge_note and "docx" in formats:
            warn(_(engine.merge_note))
    return written


def _other_parts(stored: dict[str, dict[str, Any]], plan: list[Job]) -> list[dict[str, Any]]:
    """The folder's entries of records this run does not make (other parts), to keep in its manifest; a file
    name this run would give another record than the one the manifest has under it is refused before any
    write (a part made with another --name)."""
    ours = {job.position for job in plan}
    by_stem = {job.stem.casefold(): job for job in plan}
    kept = []
    for entry in stored.values():
        job = by_stem.get(str(entry.get("stem", "")).casefold())
        if job is not None and entry.get("index") != job.position:
            raise DocgenError(_("--name: '{stem}' would be record {index} ({name}), but this folder's manifest has it "
                                "as record {other} ({other_name}) from an earlier run; use the same --name for every "
                                "part, or another folder; nothing was written").format(
                stem=job.stem, index=job.position, name=job.record.title, other=entry.get("index"),
                other_name=entry.get("name")))
        if entry.get("index") not in ours:
            kept.append(entry)
    return kept


class ManifestNotWritten(DocgenError):
    """The manifest could not be written (a full disk, a folder turned read-only): ``documents`` holds every
    record's outcome, so the caller can still name those not written; the message counts them."""

    def __init__(self, error: DocgenError, documents: list[dict[str, Any]]) -> None:
        failed = sum(d["status"] == "failed" for d in documents)
        super().__init__(_("{error}; {failed} of {total} records were not written").format(
            error=error.message, failed=failed, total=len(documents)), error.where)
        self.documents = documents


def _render(settings: Settings, todo: list[Job], jobs: int | None, engine: Engine, folder: Path | None,
            progress_bar: Callable[..., Progress]) -> list[dict]:
    """The documents to make, by the workers, inside whatever the engine does around them (the Word engine:
    LibreOffice then makes the PDFs)."""
    bar = progress_bar(len(todo))

    def run(wanted: BatchRun) -> list[dict]:
        return _run(replace(settings, formats=wanted.formats, out=str(wanted.out) if wanted.out else settings.out),
                    todo, jobs, bar)

    return engine.batch(run, BatchRun(settings.formats, folder), jobs or os.cpu_count() or 1, progress_bar)


def _with_inputs(results: list[dict], inputs: dict[int, str], origins: dict[int, str]) -> list[dict]:
    return [{**r, "input": inputs[r["index"]], "source": origins[r["index"]]} for r in results]


def _check_target(target: Target, options: BatchOptions, engine: Engine) -> None:
    """What an output location or a cluster cannot do, refused before anything is read or written."""
    if target.folder is None:
        wants = [flag for flag, asked in (("--zip", options.zip), ("--merge", options.merge),
                                          (engine.needs_folder, bool(engine.needs_folder))) if asked and flag]
        if wants:
            raise DocgenError(_("{wants}: -o must be a folder, not a URL ({target})").format(
                wants=_(", ").join(_(want) for want in wants), target=target.shown))
    if options.cluster and engine.on_cluster:
        raise DocgenError(_(engine.on_cluster))
    if options.cluster and not target.shared:
        raise DocgenError(_("--cluster: {target} is this process's memory, which cluster workers cannot "
                            "write to; use a shared folder or a store such as s3://").format(target=target.shown))


def _run(settings: Settings, todo: list[Job], jobs: int | None, progress: Progress) -> list[dict]:
    """Render the jobs: in this process for one worker, else in a pool of warm worker processes.

    The pool is a ProcessPoolExecutor: if a worker dies (killed, out of memory, a crash in a native
    library) its records are reported as failed instead of the run waiting for them forever.
    """
    tasks = [(job.position, job.record.label, job.stem) for job in todo]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    size = chunk_size(len(tasks), workers, settings.formats)
    chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    results: list[dict] = []
    try:
        if workers == 1:
            if tasks:
                warm_up(settings)
            try:
                for chunk in chunks:
                    done = render_chunk(chunk)
                    results += done
                    progress.advance(len(done))
            finally:
                gc.unfreeze()  # warm_up froze this process's objects for the run; the caller's again
            return results
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        executor = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context(method), initializer=warm_up, initargs=(settings, True)
        )
        try:
            pending = {executor.submit(render_chunk, chunk): chunk for chunk in chunks}
            for future in as_completed(pending):
                try:
                    done = future.result()
                except BrokenProcessPool:
                    done = [died(task) for task in pending[future]]
                results += done
                progress.advance(len(done))
        except BaseException:
            # Ctrl-C: stop the workers now (their temporary files are swept by the caller).
            for process in list(getattr(executor, "_processes", {}).values()):
                process.terminate()
            executor.shutdown(wait=True, cancel_futures=True)
            raise
        executor.shutdown(wait=True)
        return results
    finally:
        progress.close()


def _merge(settings: Settings, campaign: pipeline.LoadedCampaign, plan: list[Job], documents: list[dict],
           folder: Path, stem: str, from_models: bool) -> dict:
    """One print-ready PDF (from the written PDFs), one DOCX and one OFD (rebuilt from the models)."""
    good = {d["index"] for d in documents if d["status"] != "failed"}
    merged: dict[str, str] = {}
    if "pdf" in settings.formats:
        pdfs = [f"{job.stem}.{extension('pdf')}" for job in plan if job.position in good]
        merged["pdf"] = bundle.merge_pdfs(folder, pdfs, f"{stem}.{extension('pdf')}").name
    rebuilt = [fmt for fmt in ("docx", "ofd") if fmt in settings.formats]
    if rebuilt and from_models:
        models = [
            pipeline.run(campaign, settings.template, record=record_names(job.record, job.position),
                         options=settings.options).document
            for job in plan
            if job.position in good
        ]
        profile = models[0].meta.profile if models else DEFAULT_PROFILE
        for fmt in rebuilt:
            made = writer(fmt, profile, settings.options.font_dir)
            payload = made.write_many(models, title=stem) if fmt == "ofd" else made.write_many(models)
            path = output.inside(folder, f"{stem}.{extension(fmt)}")
            output.write_atomic(path, payload)
            merged[fmt] = path.name
    return merged
