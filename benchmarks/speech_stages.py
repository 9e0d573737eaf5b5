"""Where a cold `docgen render --format pdf` of the example speech spends its time, stage by stage.

Each run is a new process that does what the CLI does, in the same order, with a wall and a CPU clock
around each stage; the table gives each stage's median over the runs (ms). The interpreter's own start
(`python -c pass`, with site-packages) is timed as its own process. The PDF each run makes is checked
to be the bytes `docgen render` writes (one real CLI run first), so the stages time the real work.
docgen's modules are compiled to bytecode first, as render_speech.py does (``--source-only``: removed).

Run: .venv/bin/python benchmarks/speech_stages.py [--runs 7] [--importtime N] [--source-only]
(``--importtime N``: also the N slowest modules by `python -X importtime`, self and cumulative ms,
of one CLI run.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from render_speech import bytecode

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "wadian"
SPEECH = "cxzy-mobilization"

CHILD = r"""
import json, sys, time
stages = []
def stage(name, since):
    now = (time.perf_counter(), time.process_time())
    stages.append((name, 1000 * (now[0] - since[0]), 1000 * (now[1] - since[1])))
    return now
t = (time.perf_counter(), time.process_time())
import docgen.cli
t = stage("import docgen.cli (click, i18n)", t)
import docgen.api
from docgen import pipeline, writers
from docgen.files import output
t = stage("import the pipeline (docgen.api)", t)
campaign = pipeline.load_campaign(sys.argv[1])
template = pipeline.template_name(sys.argv[2], None)
pipeline.template_markers(template)
t = stage("load + validate the campaign", t)
from docgen.linebreak import titles as layout
layout.word_seams("创先争优")
t = stage("jieba: import + dictionary (title/heading breaks)", t)
document, warnings = pipeline._model(campaign, template, None, pipeline.Options())
t = stage("template → model → transforms", t)
from docgen.writers.pdf import weasyprint_import
weasyprint_import.load()
t = stage("import WeasyPrint", t)
pdf = writers.writer("pdf", document.meta.profile, None)
t = stage("PdfWriter(): FontConfiguration, stylesheet, @font-face", t)
html = pdf.html.document_html(document, pdf.fonts, css="", head=pdf.head(document))
page = pdf._weasyprint.HTML(string=html, url_fetcher=pdf._fetcher, base_url=None)
rendered = page.render(font_config=pdf.font_config, stylesheets=[pdf.stylesheet])
t = stage("layout (HTML → pages)", t)
data = pdf.write(rendered)
t = stage("write_pdf (fonts subset, streams)", t)
path = output.inside(output.Path(sys.argv[3]), "speech.pdf")
output.prepare_folder(path.parent)
output.write_atomic(path, data)
t = stage("write the file", t)
print(json.dumps(stages))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--importtime", type=int, default=0, metavar="N")
    parser.add_argument("--source-only", action="store_true", help="remove docgen's bytecode first")
    args = parser.parse_args()
    bytecode(ROOT / "src" / "docgen", compile_=not args.source_only)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cli = [sys.executable, "-m", "docgen", "render", str(EXAMPLE), "--speech", SPEECH, "--format", "pdf",
               "-o", str(out / "cli")]
        subprocess.run(cli, check=True, capture_output=True)
        expected = next((out / "cli").glob("*.pdf")).read_bytes()
        rows: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            rows.setdefault("python start (`python -c pass`)", []).append(
                (1000 * (time.perf_counter() - started), float("nan")))
            done = subprocess.run([sys.executable, "-c", CHILD, str(EXAMPLE), SPEECH, str(out / "stages")],
                                  check=True, capture_output=True, text=True)
            if (out / "stages" / "speech.pdf").read_bytes() != expected:
                raise SystemExit("FAILED: the staged run's PDF is not the CLI's")
            for name, wall, cpu in json.loads(done.stdout.splitlines()[-1]):
                rows.setdefault(name, []).append((wall, cpu))
        print(f"{'stage':<56} {'wall ms':>8} {'CPU ms':>8}   (median of {args.runs} cold processes)")
        total_wall = total_cpu = 0.0
        for name, samples in rows.items():
            wall = statistics.median(s[0] for s in samples)
            cpu = statistics.median(s[1] for s in samples)
            total_wall += wall
            total_cpu += 0 if cpu != cpu else cpu
            print(f"{name:<56} {wall:8.0f} {cpu:8.0f}")
        print(f"{'sum of the medians':<56} {total_wall:8.0f} {total_cpu:8.0f}")
        if args.importtime:
            done = subprocess.run([sys.executable, "-X", "importtime", *cli[1:]], check=True, capture_output=True,
                                  text=True)
            timings = []
            for line in done.stderr.splitlines():
                if line.startswith("import time:") and "|" in line and "self [us]" not in line:
                    own, cumulative, name = line.removeprefix("import time:").split("|")
                    timings.append((int(own) / 1000, int(cumulative) / 1000, name.rstrip()))
            print(f"\nslowest imports of one CLI run (-X importtime; ms self / cumulative; {len(timings)} modules, "
                  f"{sum(t[0] for t in timings):.0f} ms in all):")
            for own, cumulative, name in sorted(timings, key=lambda t: -t[0])[: args.importtime]:
                print(f"{own:8.1f} {cumulative:8.1f}  {name.strip()}")


if __name__ == "__main__":
    main()
