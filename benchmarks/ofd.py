"""OFD against PDF: per document (warm writers, one process) and 200 notices by `docgen batch`.

Per document: the built-in documents made by the warm PDF and OFD writers in one process, each
rendered --repeat times after a first, untimed one; the median per format. The OFD's time is split
into WeasyPrint's layout (the same the PDF pays), the walk of the laid-out boxes, and the package
(XML, TrueType subsets from the process's glyph cache, zip). The first OFD of a process is timed
apart: it converts every glyph it uses from CFF to TrueType once.

Batch: `docgen.batch(data, template="notice", each="branches", formats=(FMT,), jobs=J)` on a
200-record campaign, each run a fresh process, PDF and OFD interleaved round by round. Every run's
files are counted and opened (OFD: the zip, its OFD.xml and one page per notice; a sample's text
must name its record, read with ofdkit when it is installed).

Run: .venv/bin/python benchmarks/ofd.py [--records 200] [--runs 1] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from batch_notices import make_campaign, record_names

from measure import timed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "wadian"
DOCUMENTS = (("opinion", {"template": "opinion"}), ("forward", {"template": "forward"}),
             ("speech", {"speech": "cxzy-mobilization"}), ("commitment-list", {"template": "commitment-list"}),
             ("notice (1 record)", {"template": "notice", "each": "branches"}))


def models():
    from docgen import pipeline, templating
    from docgen.batching.records import select
    from docgen.batching.worker import record_names as names_of

    campaign = pipeline.load_campaign(EXAMPLE)
    for label, options in DOCUMENTS:
        name = (templating.speech_name(options["speech"]) if "speech" in options
                else templating.template_name(options["template"]))
        record = names_of(select(campaign.model, options["each"])[0], 1) if "each" in options else None
        yield label, pipeline.run(campaign, name, record=record).document


def per_document(repeat: int) -> None:
    from docgen.writers import writer
    from docgen.writers.ofd import package
    from docgen.writers.ofd import writer as ofd_writer

    pdf, ofd = writer("pdf"), writer("ofd")
    docs = list(models())
    started = time.perf_counter()
    first = ofd.render(docs[0][1])
    print(f"first OFD in a process (opinion, glyphs converted CFF → TrueType): {time.perf_counter() - started:.2f} s, "
          f"{first.pages} pages\n")
    print("| document | pages | PDF s | OFD s | OFD/PDF | OFD: layout · walk · package | PDF KiB | OFD KiB |")
    print("|---|---|---|---|---|---|---|---|")
    for label, doc in docs:
        pdf.render(doc), ofd.render(doc)  # warm: fonts, glyph cache
        pdf_times, ofd_times, parts = [], [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            made_pdf = pdf.render(doc)
            t1 = time.perf_counter()
            laid_out = ofd.layout(doc)
            t2 = time.perf_counter()
            pages = [ofd.walker.page(page) for page in laid_out.pages]
            t3 = time.perf_counter()
            data = package.write(pages, ofd_writer._info(doc), ofd_writer._bookmarks(laid_out.make_bookmark_tree()))
            t4 = time.perf_counter()
            pdf_times.append(t1 - t0)
            ofd_times.append(t4 - t1)
            parts.append((t2 - t1, t3 - t2, t4 - t3))
        p, o = statistics.median(pdf_times), statistics.median(ofd_times)
        split = " · ".join(f"{statistics.median(x[i] for x in parts):.3f}" for i in range(3))
        print(f"| {label} | {made_pdf.pages} | {p:.3f} | {o:.3f} | {o / p:.2f}× | {split} | "
              f"{len(made_pdf.data) / 1024:.0f} | {len(data) / 1024:.0f} |")


def check(folder: Path, fmt: str, names: list[str]) -> int:
    files = sorted(folder.glob(f"*.{fmt}"))
    if len(files) != len(names):
        raise SystemExit(f"FAILED: {len(files)} .{fmt} files for {len(names)} records")
    pages = 0
    for path in files:
        if fmt == "pdf":
            from pypdf import PdfReader

            pages += len(PdfReader(str(path)).pages)
            continue
        with zipfile.ZipFile(path) as archive:
            document = archive.read("Doc_0/Document.xml").decode()
            assert archive.read("OFD.xml").startswith(b"<?xml"), path
            pages += document.count("<ofd:Page ")
    try:
        import ofdkit
    except ImportError:
        return pages
    if fmt == "ofd":
        for name in names[:: max(1, len(names) // 5)]:
            path = next(f for f in files if f.stem.endswith(name))
            if name not in ofdkit.extract_text(path).replace("\n", ""):
                raise SystemExit(f"FAILED: {path.name}: its text does not name {name}")
    return pages


def batches(records: int, runs: int) -> None:
    names = record_names(records)
    results: dict[tuple[str, int], list[tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = make_campaign(work, records)
        for number in range(runs):
            print(f"round {number + 1}/{runs}", flush=True)
            for jobs in (1, 2):
                for fmt in ("pdf", "ofd"):
                    out = work / f"out-{fmt}-{jobs}-{number}"
                    seconds, peak = timed([sys.executable, __file__, "batch", str(data), str(out), "--format", fmt,
                                           "--jobs", str(jobs)])
                    pages = check(out, fmt, names)
                    results.setdefault((fmt, jobs), []).append((seconds, peak))
                    print(f"  {fmt.upper()} -j {jobs}: {seconds:6.2f} s  {records / seconds:6.1f} docs/s  "
                          f"peak {peak} MiB  counted {records} files, {pages} pages", flush=True)
    print(f"\n| {records} notices, docgen batch | median s | docs/s | peak RSS |\n|---|---|---|---|")
    for (fmt, jobs), samples in results.items():
        seconds = statistics.median(s for s, _ in samples)
        peak = max(p for _, p in samples)
        print(f"| --format {fmt} -j {jobs} | {seconds:.2f} | {records / seconds:.1f} | {peak} MiB |")


def run_batch(args: argparse.Namespace) -> int:
    import docgen

    manifest = docgen.batch(args.data, template="notice", each="branches", formats=(args.format,), out=args.out,
                            jobs=args.jobs, force=True, warn=lambda message: None)
    return 1 if any(d["status"] == "failed" for d in manifest["documents"]) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", default="all", choices=("all", "documents", "batches", "batch"))
    parser.add_argument("data", nargs="?")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--format", choices=("pdf", "ofd"))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.mode == "batch":  # the child process a batch run times
        return run_batch(args)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1276560000")
    print(f"# {time.strftime('%Y-%m-%d')} · {os.cpu_count()} cores · Python {platform.python_version()}\n")
    if args.mode in ("all", "documents"):
        per_document(args.repeat)
    if args.mode in ("all", "batches"):
        print()
        batches(args.records, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
