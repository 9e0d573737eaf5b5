"""`docgen batch`: one document per record, made by warm worker processes, written atomically.

The order of work: select records → plan names (collisions fail here, before any write) → skip
what the manifest shows unchanged → render in a pool → manifest → optional zip and merged files.

"Render in a pool" is a local process pool, or with ``cluster=`` a Dask cluster (``cluster.py``,
imported only then); the output is a folder or an fsspec URL (``target.py``). Everything else —
names, collision check, skip-unchanged, manifest, interrupt handling — is this one function's.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any

from docgen import __version__, output, templating, wordtemplate
from docgen.batching import bundle, manifest
from docgen.batching.plan import DEFAULT_NAME, Job, make_jobs, sources_digest
from docgen.batching.progress import Progress
from docgen.batching.records import select, where_filter
from docgen.batching.target import Target, open_target
from docgen.batching.worker import Settings, campaign_loaded, died, record_names, render_chunk, warm_up
from docgen.errors import DocgenError, default_warn
from docgen.i18n import N_, _
from docgen.pipeline import check_template, load_campaign, run
from docgen.resources import builtin_dir
from docgen.standard import DEFAULT_PROFILE
from docgen.wordtemplate import batch as word_batch
from docgen.writers import FORMATS, check_formats, extension, writer

__all__ = ["DEFAULT_NAME", "ManifestNotWritten", "batch"]


def batch(
    data: str | Path,
    *,
    each: str,
    template: str | None = None,
    speech: str | None = None,
    where: str | None = None,
    name: str = DEFAULT_NAME,
    formats: Sequence[str] = FORMATS,
    out: str | Path = "out",
    jobs: int | None = None,
    force: bool = False,
    zip: bool = False,
    merge: bool = False,
    templates: Sequence[str | Path] = (),
    font_dir: str | Path | None = None,
    progress: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    script: str = "hans",
    keep: Sequence[str] = (),
    warn: Callable[[str], None] = default_warn,
    cluster: str | None = None,
    chunk: int | None = None,
    strict: bool = False,
) -> dict[str, Any]:
    """Make one document per record of ``each``; return the manifest (also written to ``out``).

    ``out`` is a folder or an fsspec URL (``s3://bucket/run``; needs the ``cluster`` extra).
    ``cluster``: a Dask scheduler's address (``tcp://host:8786``) or ``local:N`` (a LocalCluster of
    N worker processes) renders on that cluster instead of the local pool (``jobs`` is then unused);
    ``chunk`` overrides its records per task. ``progress`` shows a bar on stderr; ``on_progress(done,
    total)`` is called as documents finish (``total`` counts the documents to make, not those the
    manifest shows unchanged). ``strict``: a record the proof-reader has findings on fails, nothing of it
    written."""
    if bool(speech) == bool(template):
        raise ValueError(_("give exactly one of speech= or template="))
    formats = check_formats(formats)
    user_dirs = tuple(str(Path(d)) for d in templates)
    template_name = template_name_for(speech, template, user_dirs)
    target = open_target(out)
    folder = target.folder
    word = wordtemplate.is_word(template_name)
    _check_target(target, cluster, word=word, zip=zip, merge=merge)
    if not target.shared:  # memory://: only this process sees it
        jobs = 1
    settings = Settings(
        data=str(data), template=template_name, each=each, formats=formats,
        out=str(folder.resolve() if cluster and folder else folder or target.shown),
        user_dirs=user_dirs, font_dir=str(font_dir) if font_dir else None, script=script, keep=tuple(keep),
        strict=strict,
    )

    campaign = load_campaign(data)
    for message in campaign.warnings:
        warn(message)
    check_template(campaign, template_name, user_dirs)  # before any file: the data holds what the kind needs
    records = where_filter(select(campaign.model, each), where, templating.environment(user_dirs))
    if not records:
        raise DocgenError(_("--each {each!r}{value} selects no record").format(
            each=each, value=' --where ' + repr(where) if where else ''))
    if word:  # every name the Word template uses, checked with a record's names: all faults before any file
        check_template(campaign, template_name, user_dirs, record=record_names(records[0], 1))
        for message in wordtemplate.load(template_name, user_dirs).warnings:  # the template's own: once
            warn(message)
    digest = sources_digest([builtin_dir("templates"), builtin_dir("speeches"), *map(Path, user_dirs)])
    if word:
        digest += wordtemplate.load(template_name, user_dirs).digest
    data_digest = hashlib.sha256()
    for file in campaign.loaded.files:  # every file the data came from: a changed roster counts
        data_digest.update(Path(file).read_bytes())
    context = f"{digest}\n{data_digest.hexdigest()}"
    plan = make_jobs(records, name, context, {"template": template_name, "formats": formats,
                                               "font_dir": settings.font_dir, "script": script, "keep": keep,
                                               "strict": strict})

    target.prepare()
    target.sweep_partials()  # whatever a killed run left half-written
    previous = {} if force else manifest.load(target)
    unchanged = [job for job in plan if manifest.still_valid(previous.get(job.stem), job.input_hash, target, formats)]
    todo = [job for job in plan if job not in unchanged]

    results = [{**previous[job.stem], "index": job.position, "status": "unchanged"} for job in unchanged]
    run_info = {"docgen": __version__, "data": str(data), "template": template_name, "each": each, "where": where,
                "formats": list(formats)}
    inputs = {job.position: job.input_hash for job in plan}
    # where each record stands in the data: campaign.yaml:144, or a roster's row (名册.xlsx!党员!A9:J9)
    origins = {job.position: str(campaign.loaded.spot(job.record.path)) for job in plan}
    label = f"{template or speech}"
    try:
        if cluster:
            from docgen.batching import cluster as dask_cluster

            results += dask_cluster.run(settings, campaign, todo, cluster, chunk,
                                        lambda: Progress(len(todo), label, enabled=progress, callback=on_progress))
            target.sweep_partials()  # a killed worker's leftovers (its records were redone elsewhere)
        else:
            with campaign_loaded(settings.data, campaign):  # the workers take this campaign, not the YAML again
                results += _render(settings, todo, jobs, word, folder, formats, template or speech, progress,
                                   on_progress)
    except KeyboardInterrupt:
        target.sweep_partials()
        manifest.write(target, {**run_info, "interrupted": True}, _with_inputs(results, inputs, origins))
        raise
    documents = _with_inputs(results, inputs, origins)
    try:
        written = manifest.write(target, run_info, documents)
    except DocgenError as exc:  # a full or read-only disk: the records' outcomes must still reach the caller
        raise ManifestNotWritten(exc, documents) from None
    ok_files = [f["file"] for d in written["documents"] if d["status"] != "failed" for f in d["files"]]
    stem = output.safe_stem(_label(template_name, user_dirs))
    if zip and folder:
        written["zip"] = bundle.write_zip(folder, ok_files, f"{stem}.zip").name
    if merge and folder:
        written["merged"] = _merge(settings, campaign, plan, written["documents"], folder, f"{stem}（合并打印）")
        if word and "docx" in formats:
            warn(_("--merge: documents from a Word template are merged as one PDF only (no merged DOCX)"))
    return written


class ManifestNotWritten(DocgenError):
    """The manifest could not be written (a full disk, a folder turned read-only): ``documents`` holds every
    record's outcome, so the caller can still name those not written; the message counts them."""

    def __init__(self, error: DocgenError, documents: list[dict[str, Any]]) -> None:
        failed = sum(d["status"] == "failed" for d in documents)
        super().__init__(_("{error}; {failed} of {total} records were not written").format(
            error=error.message, failed=failed, total=len(documents)), error.where)
        self.documents = documents


def _render(settings: Settings, todo: list[Job], jobs: int | None, word: bool, folder: Path, formats: Sequence[str],
            label: str | None, progress: bool, on_progress: Callable[[int, int], None] | None) -> list[dict]:
    """The documents to make, by the workers; for a Word template, LibreOffice then makes the PDFs."""
    bar = Progress(len(todo), f"{label}", enabled=progress, callback=on_progress)
    if not word:
        return _run(settings, todo, jobs, bar)
    with word_batch.docx_folder(folder, formats) as made_in:  # ≤200 files per LibreOffice invocation
        word_settings = replace(settings, formats=word_batch.worker_formats(formats), out=str(made_in))
        made = _run(word_settings, todo, jobs, bar)
        word_batch.add_pdfs(made, folder, made_in, formats, jobs or os.cpu_count(), progress)
    return made


def template_name_for(speech: str | None, template: str | None, user_dirs: tuple[str, ...]) -> str:
    from docgen.pipeline import template_name

    return template_name(speech, template, user_dirs)


def _label(template_name: str, user_dirs: tuple[str, ...]) -> str:
    """What the bundle files are called: the kind's own name (会议通知), else its folder's (a Word file's name)."""
    if wordtemplate.is_word(template_name):
        return Path(template_name).stem
    for info in templating.list_templates(user_dirs):
        name = templating.speech_name(info.name) if info.option == "--speech" else templating.template_name(info.name)
        if name == template_name and info.description:
            return info.description.split(" — ")[0].split("（")[0].strip()
    return Path(template_name).parent.name or Path(template_name).name.split(".")[0]


def _with_inputs(results: list[dict], inputs: dict[int, str], origins: dict[int, str]) -> list[dict]:
    return [{**r, "input": inputs[r["index"]], "source": origins[r["index"]]} for r in results]


def _check_target(target: Target, cluster: str | None, *, word: bool, zip: bool, merge: bool) -> None:
    """What an output location or a cluster cannot do, refused before anything is read or written."""
    if target.folder is None:
        wants = [flag for flag, asked in (("--zip", zip), ("--merge", merge), (N_("a Word template"), word)) if asked]
        if wants:
            raise DocgenError(_("{wants}: -o must be a folder, not a URL ({target})").format(
                wants=_(", ").join(_(want) for want in wants), target=target.shown))
    if cluster and word:
        raise DocgenError(_("--cluster: Word templates (.docx) need LibreOffice beside the files; run them "
                            "without --cluster"))
    if cluster and not target.shared:
        raise DocgenError(_("--cluster: {target} is this process's memory, which cluster workers cannot "
                            "write to; use a shared folder or a store such as s3://").format(target=target.shown))


# Records per worker call. A PDF chunk is laid out in one WeasyPrint pass (writers/pdf_batch.py).
# PDF_CHUNK by measurement (scripts/pdf_speed.py, run_many over 60–200 notices, CPU ms per notice):
# chunks of 10–20 were about 5 % cheaper than one document per pass, 50–60 no better or worse
# (WeasyPrint's per-page style pass walks the whole pass), and 10 still leaves each of two workers
# several calls for 100 records. Each chunk's files are made durable by one sync (output.make_durable),
# so a DOCX chunk is larger: CHUNK files share one sync, at -j 1 too (24 and 48 measured alike: 2.1 ms
# CPU and 3.4–3.9 ms wall a notice, 1,000 notices at -j 1).
CHUNK = 24
PDF_CHUNK = 10


def chunk_size(tasks: int, workers: int, formats: Sequence[str]) -> int:
    """Records per call: up to PDF_CHUNK (PDF) or CHUNK, still giving each worker several calls."""
    most = PDF_CHUNK if "pdf" in formats else CHUNK
    share = tasks // (workers * 4) if workers > 1 else tasks
    return max(1, min(most, share))


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


def _merge(settings: Settings, campaign, plan: list[Job], documents: list[dict], folder: Path, stem: str) -> dict:
    """One print-ready PDF (from the written PDFs), one DOCX and one OFD (rebuilt from the models)."""
    good = {d["index"] for d in documents if d["status"] != "failed"}
    merged: dict[str, str] = {}
    if "pdf" in settings.formats:
        pdfs = [f"{job.stem}.{extension('pdf')}" for job in plan if job.position in good]
        merged["pdf"] = bundle.merge_pdfs(folder, pdfs, f"{stem}.{extension('pdf')}").name
    rebuilt = [fmt for fmt in ("docx", "ofd") if fmt in settings.formats]
    if rebuilt and not wordtemplate.is_word(settings.template):
        models = [
            run(campaign, settings.template, record=record_names(job.record, job.position),
                options=settings.options).document
            for job in plan
            if job.position in good
        ]
        profile = models[0].meta.profile if models else DEFAULT_PROFILE
        for fmt in rebuilt:
            made = writer(fmt, profile, settings.font_dir)
            payload = made.write_many(models, title=stem) if fmt == "ofd" else made.write_many(models)
            path = output.inside(folder, f"{stem}.{extension(fmt)}")
            output.write_atomic(path, payload)
            merged[fmt] = path.name
    return merged
