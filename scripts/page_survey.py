"""Every built-in document of both examples and the stress campaign, as a reviewer reads them: per document
the pages of the PDF and of LibreOffice's rendering of the DOCX (blank pages kept, as printed), and per page
its first and last body lines.

    .venv/bin/python -m scripts.page_survey OUT [--data wadian,jinqiao,stress,corpus] [--lines]

Writes OUT/survey.json (document → {pdf: [[line, …] per page], lo: …}) and prints one row per document:
pages (PDF / LibreOffice) and, per page, how many lines it holds. ``--lines`` prints every page's lines.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))



def datasets(out: Path, names: list[str]) -> dict[str, Path]:
    found = {}
    for name in names:
        if name in ("wadian", "jinqiao"):
            found[name] = ROOT / "examples" / name
        elif name == "stress":
            from tests.stress import stress_campaign

            found[name] = stress_campaign(out / "stress-data", branches=12)
        elif name == "corpus":
            corpus = ROOT / "tests" / "data" / "corpus"
            for folder in sorted(corpus.glob("*")) if corpus.is_dir() else []:
                if (folder / "campaign.yaml").is_file():
                    found[f"corpus-{folder.name}"] = folder
    return found


def render(data: Path, label: str, out: Path) -> dict[str, tuple[Path, Path]]:
    import docgen
    from docgen.errors import DocgenError

    made: dict[str, tuple[Path, Path]] = {}
    from docgen import templating
    from docgen.pipeline import check_template, load_campaign, template_name

    campaign = load_campaign(data)
    jobs: list[tuple[str, dict]] = []
    for info in templating.list_templates():  # every kind and speech this campaign's data can make
        speech = info.option == "--speech"
        name = templating.speech_name(info.name) if speech else template_name(None, info.name)
        if info.name in ("notice", "commitment") or info.name in ("document", "speech"):
            continue
        try:
            check_template(campaign, name)
        except DocgenError:
            continue
        jobs.append((f"speech-{info.name}" if speech else info.name,
                     {"speech": info.name} if speech else {"template": info.name}))
    for kind, options in jobs:
        try:
            docx_path, pdf_path = docgen.render(data, out=out / label / kind, name=kind, warn=lambda m: None,
                                                **options)
        except (DocgenError, ValueError) as exc:
            print(f"{label}/{kind}: {exc}", file=sys.stderr)
            continue
        made[f"{label}/{kind}"] = (docx_path, pdf_path)
    for template, each in (("notice", "branches"), ("commitment", "branches")):
        folder = out / label / template
        result = docgen.batch(data, template=template, each=each, out=folder, jobs=1, formats=("docx", "pdf"),
                              name="{index:02d}", warn=lambda m: None)
        for document in result["documents"][:4]:
            files = {Path(f["file"]).suffix: folder / f["file"] for f in document["files"]}
            made[f"{label}/{template}/{Path(files['.pdf']).stem}"] = (files[".docx"], files[".pdf"])
    return made


def libreoffice(docx_files: list[Path], out: Path) -> dict[Path, Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    out.mkdir(parents=True, exist_ok=True)
    staged = []
    for number, path in enumerate(docx_files):
        target = out / f"{number:03d}.docx"
        shutil.copy(path, target)
        staged.append(target)
    keep = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    for start in range(0, len(staged), 150):
        subprocess.run([soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                        "--convert-to", keep, "--outdir", str(out), *map(str, staged[start:start + 150])],
                       capture_output=True, timeout=1200, check=True)
    return {path: out / f"{number:03d}.pdf" for number, path in enumerate(docx_files)}


def pages_of(path: Path) -> list[list[str]]:
    from tests.measure import pdf_lines

    pages, _ = pdf_lines(path)
    return [[line.text for line in page] for page in pages]


def main() -> None:
    out = Path(sys.argv[1])
    names = ["wadian", "jinqiao", "stress"]
    if "--data" in sys.argv:
        names = sys.argv[sys.argv.index("--data") + 1].split(",")
    out.mkdir(parents=True, exist_ok=True)
    made: dict[str, tuple[Path, Path]] = {}
    for label, data in datasets(out, names).items():
        made.update(render(data, label, out))
    converted = libreoffice([docx for docx, _ in made.values()], out / "libreoffice")
    survey = {}
    for label, (docx_path, pdf_path) in made.items():
        survey[label] = {"pdf": pages_of(pdf_path), "lo": pages_of(converted[docx_path]),
                         "files": [str(docx_path), str(pdf_path), str(converted[docx_path])]}
    (out / "survey.json").write_text(json.dumps(survey, ensure_ascii=False, indent=1), encoding="utf-8")
    for label, entry in survey.items():
        pdf, lo = entry["pdf"], entry["lo"]
        mark = "" if len(pdf) == len(lo) else "  <-- pages differ"
        print(f"{label:36} pdf {len(pdf):3} lo {len(lo):3}  pdf lines {[len(p) for p in pdf]} "
              f"lo lines {[len(p) for p in lo]}{mark}")
        if "--lines" in sys.argv:
            for fmt in ("pdf", "lo"):
                for number, page in enumerate(entry[fmt], 1):
                    print(f"   {fmt} p{number}: " + " | ".join(page))


if __name__ == "__main__":
    main()
