"""1,000 notices from the Word template: docgen against docxtpl (DOCX) and LibreOffice (PDF).

The template is examples/word-template/会议通知.docx (scripts/make_word_template.py): a two-page
会议通知 with a header, footer, text box, split tags, paragraph loops, a 回执 table whose row
repeats per member and a seal placeholder. The data is the example campaign with 1,000 branches
of three members each.

Contenders, each a fresh process per run, interleaved round by round:

  docgen DOCX -j 1 · docgen DOCX -j 2 · docxtpl · docxtpl ×2 processes ·
  docgen PDF -j 2 · LibreOffice DOCX→PDF of docxtpl's output · LibreOffice ×2 instances

- docgen: the public API, ``docgen.batch(data, template="…/会议通知.docx", each="branches")``;
  its PDF is the same DOCX converted by LibreOffice inside docgen (≤200 files per invocation, one
  profile per instance, an instance per worker), so "docgen PDF" = render + convert.
- docxtpl: one ``DocxTemplate``, ``render()`` + ``save()`` per record as its docs advise, with a
  Jinja environment holding docgen's filters and ``autoescape=True`` (without it a value with ``&``
  cuts the text). docxtpl renders the same template differently: empty rows between the members
  (its ``{%tr %}`` is not used) and empty paragraphs where ``{% if %}``/``{% for %}`` stood, and the
  seal placeholder stays the placeholder. Its outputs are counted and opened like docgen's.
- LibreOffice: ``soffice --convert-to pdf`` of docxtpl's DOCX files (made once, before the rounds),
  ≤200 files per invocation, one user profile made by an untimed first invocation; "×2" is two
  instances with a profile each, sharing the chunks.

Every output of every run is counted and opened (DOCX: python-docx, its text names its record;
PDF: pypdf page count, a sample's text names its record); a shortfall stops the benchmark.

Run: .venv/bin/python benchmarks/word_template.py [--records 1000] [--runs 1]
Smoke test: .venv/bin/python benchmarks/word_template.py --quick   (= --records 20 --runs 1)
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from batch_notices import (  # noqa: E402
    LO_MAX_FILES,
    LO_TIMEOUT,
    Contender,
    Shortfall,
    check_output,
    print_contenders,
    soffice_chunks,
)

from measure import timed, timed_together  # noqa: E402

ROOT = HERE.parent
EXAMPLE = ROOT / "examples" / "wadian"
TEMPLATE = ROOT / "examples" / "word-template" / "会议通知.docx"


def make_campaign(folder: Path, records: int) -> Path:
    base = yaml.safe_load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    shutil.copy(EXAMPLE / "seal.png", folder / "seal.png")
    first = base["branches"][0]
    base["branches"] = [  # three members each, the first of them the secretary
        {**first, "name": f"第{i:04d}村党支部", "secretary": f"书记{i:04d}",
         "members": [{**m, "name": f"书记{i:04d}" if n == 0 else f"党员{i:04d}{n}"}
                     for n, m in enumerate(first["members"])]}
        for i in range(records)]
    path = folder / f"campaign-{records}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def names_of(records: int) -> list[str]:
    return [f"第{i:04d}村党支部" for i in range(records)]


# --- the child processes -------------------------------------------------------------------------------


def child_docgen(data: str, out: str, fmt: str, jobs: int) -> int:
    import docgen

    manifest = docgen.batch(data, template=str(TEMPLATE), each="branches", formats=(fmt,), out=out, jobs=jobs,
                            force=True, warn=lambda message: None)
    failed = [d for d in manifest["documents"] if d["status"] == "failed"]
    for document in failed[:5]:
        print(f"failed: {document['record']}: {document.get('error')}", file=sys.stderr)
    return 1 if failed else 0


def child_docxtpl(data: str, out: str, part: int, parts: int) -> int:
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from docgen import templating

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    values = yaml.load(Path(data).read_text(encoding="utf-8"), Loader=loader)
    env = Environment(autoescape=True)
    env.filters.update(templating.FILTERS)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    template = DocxTemplate(str(TEMPLATE))
    shared = {key: values[key] for key in ("organization", "campaign", "meeting", "branches", "documents")}
    for index, branch in enumerate(values["branches"], 1):
        if (index - 1) % parts != part:
            continue
        template.render({**shared, "branch": branch, "record": branch, "index": index, "draft": None, "seal": None},
                        env)
        template.save(str(folder / f"{index:04d}_{branch['name']}.docx"))
    return 0


# --- the rounds ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=None, help="notices per run (default 1000)")
    parser.add_argument("--runs", type=int, default=None, help="rounds (default 1)")
    parser.add_argument("--quick", action="store_true", help="smoke run: --records 20 --runs 1")
    parser.add_argument("--skip", action="append", default=[], metavar="KEY",
                        help="leave out: docxtpl, docxtpl2, docgen-pdf, libreoffice, libreoffice2")
    args = parser.parse_args()
    records = args.records or (20 if args.quick else 1000)
    runs = args.runs or 1
    python = sys.executable
    me = str(Path(__file__).resolve())
    names = names_of(records)
    print(f"# {time.strftime('%Y-%m-%d')} · {platform.node()} · {os.cpu_count()} cores · Python "
          f"{platform.python_version()} · {platform.platform()}", flush=True)
    print(f"# {records} notices from {TEMPLATE.relative_to(ROOT)} × {runs} round(s); every output counted and "
          "opened\n", flush=True)
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = make_campaign(work, records)

        def docgen(fmt: str, jobs: int) -> Contender:
            out = work / f"out-docgen-{fmt}-{jobs}"
            command = [python, me, "child-docgen", str(data), str(out), fmt, str(jobs)]
            return Contender(f"docgen-{fmt}-{jobs}", f"docgen {fmt.upper()} -j {jobs}", fmt, lambda: timed(command),
                             [out])

        contenders = [docgen("docx", 1), docgen("docx", 2)]
        import docxtpl  # noqa: F401  (make bench installs it)

        for parts, key in ((1, "docxtpl"), (2, "docxtpl2")):
            if key in args.skip:
                continue
            outs = [work / f"out-{key}-{part}" for part in range(parts)]
            commands = [[[python, me, "child-docxtpl", str(data), str(outs[part]), str(part), str(parts)]]
                        for part in range(parts)]
            label = "docxtpl (one process)" if parts == 1 else "docxtpl ×2 processes"
            contenders.append(Contender(key, label, "docx", lambda c=commands: timed_together(c), outs))
        if "docgen-pdf" not in args.skip:
            contenders.append(docgen("pdf", 2))
        soffice = shutil.which("soffice")
        if soffice and not {"libreoffice", "libreoffice2"} <= set(args.skip):
            inputs = work / "lo-inputs"  # docxtpl's DOCX notices, made and checked once, outside the rounds
            timed([python, me, "child-docxtpl", str(data), str(inputs), "0", "1"])
            check_output("LibreOffice input (docxtpl DOCX)", [inputs], "docx", names)
            sources = sorted(inputs.glob("*.docx"))
            profiles = [work / "lo-profile-a", work / "lo-profile-b"]
            for profile in profiles:
                warm = work / f"warm-{profile.name}"
                seconds, _ = timed(soffice_chunks(soffice, profile, sources[:1], warm, 1)[0], timeout=LO_TIMEOUT)
                notes.append(f"LibreOffice first invocation ({profile.name}: profile made, 1 file), not counted: "
                             f"{seconds:.2f} s")
            for instances, key in ((1, "libreoffice"), (2, "libreoffice2")):
                if key in args.skip:
                    continue
                out = work / f"out-{key}"
                commands = soffice_chunks(soffice, profiles[0], sources, out, LO_MAX_FILES)
                if instances == 2:
                    commands = [[[*c[:1], f"-env:UserInstallation={profiles[n % 2].as_uri()}", *c[2:]]
                                 for n, c in enumerate(commands) if n % 2 == part] for part in range(2)]
                else:
                    commands = [commands]
                folders = [out / f"chunk{n:03d}" for n in range((len(sources) + LO_MAX_FILES - 1) // LO_MAX_FILES)]
                label = ("LibreOffice DOCX→PDF of docxtpl's DOCX" if instances == 1
                         else "LibreOffice ×2 instances, docxtpl's DOCX")
                contenders.append(Contender(key, label, "pdf",
                                            lambda c=commands: timed_together(c, timeout=LO_TIMEOUT), folders))
        elif not soffice:
            notes.append("LibreOffice not installed: PDF contenders skipped")

        for number in range(runs):
            print(f"round {number + 1}/{runs}", flush=True)
            for contender in contenders:
                contender.once(names)
        # what each engine's DOCX holds: docgen's table has a row per member, docxtpl's more
        rows = {}
        for key in ("docgen-docx-1", "docxtpl"):
            found = [c for c in contenders if c.key == key]
            if found:
                import docx

                first = sorted(found[0].folders[0].glob("*.docx"))[0]
                table = docx.Document(str(first)).tables[0]
                blank = sum(1 for p in docx.Document(str(first)).paragraphs if not p.text.strip())
                rows[key] = (len(table.rows), blank)
        if rows:
            notes.append("回执 table rows / empty paragraphs in the first document (3 members: 4 rows expected): "
                         + ", ".join(f"{k}: {r} rows, {b} empty paragraphs" for k, (r, b) in rows.items()))

    by_key = {c.key: c for c in contenders}
    print_contenders(contenders, records)
    pairs = [("DOCX", "docgen-docx-1", "docxtpl"), ("DOCX", "docgen-docx-2", "docxtpl2"),
             ("PDF", "docgen-pdf-2", "libreoffice"), ("PDF", "docgen-pdf-2", "libreoffice2")]
    print("\n| rate ratio (docgen / peer), per round | median | rounds |\n|---|---|---|")
    for kind, ours, peer in pairs:
        if ours in by_key and peer in by_key:
            per_round = [p["seconds"] / o["seconds"] for o, p in zip(by_key[ours].samples, by_key[peer].samples,
                                                                      strict=True)]
            print(f"| {kind}: {by_key[ours].label} / {by_key[peer].label} | {statistics.median(per_round):.2f}× | "
                  f"{', '.join(f'{r:.2f}' for r in per_round)} |")
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child-docgen":
        sys.exit(child_docgen(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])))
    if len(sys.argv) > 1 and sys.argv[1] == "child-docxtpl":
        sys.exit(child_docxtpl(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
    try:
        main()
    except Shortfall as exc:
        print(exc.code, file=sys.stderr)
        sys.exit(1)
