"""1,000 one-page branch notices: docgen against docxtpl and LibreOffice, measured in one run.

- docgen: `docgen batch … --template notice --each branches` to DOCX and to PDF, with -j 1 and -j 2.
- docxtpl: a Word template with the same text, re-instantiated per record (as its maintainers
  advise), rendered and saved: the usual way to fill Word templates from Python.
- LibreOffice: the DOCX notices converted to PDF in one `soffice --convert-to pdf` invocation.
- Memory: the largest process's peak RSS for 100 and for 1,000 records (it should stay flat).

Run: make bench   (or .venv/bin/python benchmarks/batch_notices.py [--records N] [--runs N])
Prints a Markdown table; benchmarks/RESULTS.md keeps the numbers with the machine and date.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from measure import timed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "wadian" / "campaign.yaml"


def make_campaign(folder: Path, records: int) -> Path:
    base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    base.pop("documents", None)  # names a seal image beside the example; notices do not need it
    template = {k: v for k, v in base["branches"][0].items() if k != "members"}
    base["branches"] = [{**template, "name": f"第{i:04d}村党支部", "secretary": f"书记{i:04d}"} for i in range(records)]
    path = folder / f"campaign-{records}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def median_of(runs: int, make_command, label: str, records: int) -> dict:
    samples = []
    for _ in range(runs):
        command, cwd = make_command()
        samples.append(timed(command, cwd))
    seconds = statistics.median(s for s, _ in samples)
    row = {"label": label, "records": records, "seconds": seconds, "rate": records / seconds,
           "peak_mib": max(m for _, m in samples), "runs": runs}
    print(f"{label:<44} {records:>5} docs  median {seconds:7.2f} s  {row['rate']:7.1f} docs/s  "
          f"peak {row['peak_mib']} MiB  ({runs} runs)", flush=True)
    return row


DOCXTPL_RENDER = r'''
import sys, yaml
from pathlib import Path
from docxtpl import DocxTemplate
template, out = Path(sys.argv[1]), Path(sys.argv[3])
data = yaml.safe_load(Path(sys.argv[2]).read_text(encoding="utf-8"))
out.mkdir(exist_ok=True)
m = data["meeting"]
for index, branch in enumerate(data["branches"], 1):
    document = DocxTemplate(str(template))  # re-instantiated per record, as docxtpl's docs advise
    document.render({"branch": branch, "meeting": m, "organization": data["organization"],
                     "campaign": data["campaign"]})
    document.save(str(out / f"{index:04d}_{branch['name']}.docx"))
'''


def make_docxtpl_template(path: Path) -> None:
    """A Word template carrying the same notice text as templates/notice (docxtpl's Jinja tags)."""
    import docx

    document = docx.Document()
    for text in (
        "关于召开{{ meeting.name }}的通知",
        "{{ branch.name }}：",
        "为认真贯彻落实上级关于开展{{ campaign.name }}的统一部署，经{{ organization.short_name }}研究，定于"
        "{{ meeting.date }}召开{{ meeting.name }}，{{ meeting.speaker.post }}{{ meeting.speaker.name }}同志作动员讲话。"
        "现将有关事项通知如下：",
        "一、会议时间：{{ meeting.date }}{{ meeting.time }}。",
        "二、会议地点：{{ meeting.place }}。",
        "三、参会人员：{{ branch.name }}{{ meeting.attendees }}。",
        "四、有关要求：{% for item in meeting.preparations %}{{ loop.index }}.{{ item }}"
        "{% if not loop.last %}；{% else %}。{% endif %}{% endfor %}",
        "联系人：{{ meeting.contact.name }}，联系电话：{{ meeting.contact.phone }}。请{{ branch.secretary }}同志"
        "接到通知后，于会前一日将参会人员名单报{{ organization.office }}。",
        "{{ organization.name }}",
        "{{ meeting.notice_date }}",
    ):
        document.add_paragraph(text)
    document.save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--libreoffice-records", type=int, default=None,
                        help="convert only this many DOCX with LibreOffice (default: all)")
    args = parser.parse_args()
    python = sys.executable
    docgen = [python, "-m", "docgen"]
    rows = []
    print(f"# {time.strftime('%Y-%m-%d')} · {platform.node()} · {os.cpu_count()} cores · Python "
          f"{platform.python_version()} · {platform.platform()}\n", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = make_campaign(work, args.records)
        small = make_campaign(work, 100)

        def docgen_batch(fmt: str, jobs: int, source: Path = data):
            def command():
                out = work / f"out-{fmt}-{jobs}-{source.stem}"
                shutil.rmtree(out, ignore_errors=True)
                return [*docgen, "batch", str(source), "--template", "notice", "--each", "branches",
                        "--format", fmt, "-j", str(jobs), "-o", str(out)], None
            return command

        for fmt in ("docx", "pdf"):
            for jobs in (1, 2):
                label = f"docgen batch {fmt} -j {jobs}"
                rows.append(median_of(args.runs, docgen_batch(fmt, jobs), label, args.records))
        memory_small = median_of(1, docgen_batch("pdf", 2, small), "docgen batch pdf -j 2 (memory check)", 100)
        memory_large = next(r for r in rows if r["label"] == "docgen batch pdf -j 2")

        peers = {}
        try:
            import docxtpl  # noqa: F401

            template = work / "notice-template.docx"
            make_docxtpl_template(template)
            script = work / "docxtpl_render.py"
            script.write_text(DOCXTPL_RENDER, encoding="utf-8")

            def docxtpl_command():
                out = work / "out-docxtpl"
                shutil.rmtree(out, ignore_errors=True)
                return [python, str(script), str(template), str(data), str(out)], None

            peers["docxtpl"] = median_of(args.runs, docxtpl_command, "peer: docxtpl (per-record instance)",
                                         args.records)
        except ImportError:
            print("peer docxtpl skipped: pip install docxtpl (make bench installs it)")
        soffice = shutil.which("soffice")
        if soffice:
            sources = sorted((work / f"out-docx-2-{data.stem}").glob("*.docx"))[: args.libreoffice_records]
            listing = work / "lo-inputs"
            listing.mkdir()
            for source in sources:
                (listing / source.name).symlink_to(source)

            def lo_command():
                out = work / "out-lo"
                shutil.rmtree(out, ignore_errors=True)
                profile = work / "lo-profile"
                return [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, sorted(listing.iterdir()))], None

            peers["libreoffice"] = median_of(1, lo_command, "peer: LibreOffice DOCX→PDF, one invocation",
                                             len(sources))
        else:
            print("peer LibreOffice skipped: not installed (make setup-test installs it)")

    def rate(label: str) -> float:
        return next(r["rate"] for r in rows if r["label"] == label)

    print("\n| measure | value |\n|---|---|")
    for row in rows:
        print(f"| {row['label']}: {row['records']} notices | median {row['seconds']:.2f} s, "
              f"{row['rate']:.1f} docs/s, peak RSS {row['peak_mib']} MiB |")
    for peer in peers.values():
        print(f"| {peer['label']}: {peer['records']} | {peer['seconds']:.2f} s, {peer['rate']:.1f} docs/s |")
    if "docxtpl" in peers:
        for jobs in (1, 2):
            print(f"| DOCX rate ratio docgen -j {jobs} / docxtpl | "
                  f"{rate(f'docgen batch docx -j {jobs}') / peers['docxtpl']['rate']:.1f}× (goal ≥ 5×) |")
    if "libreoffice" in peers:
        for jobs in (1, 2):
            print(f"| PDF rate ratio docgen -j {jobs} / LibreOffice | "
                  f"{rate(f'docgen batch pdf -j {jobs}') / peers['libreoffice']['rate']:.1f}× (goal ≥ 3×) |")
    print(f"| peak RSS, PDF -j 2: 100 → {args.records} records | {memory_small['peak_mib']} MiB → "
          f"{memory_large['peak_mib']} MiB |")


if __name__ == "__main__":
    main()
