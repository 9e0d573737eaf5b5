"""The golden record: every built-in document rendered with SOURCE_DATE_EPOCH, as bytes, text, pages, positions.

Written before the core was rebuilt, and rewritten on purpose when a change is meant to alter what a
clerk gets (`python -m tests.golden.record --write`, the reason in the commit); compared by
`tests/test_golden.py`, so a refactor cannot change what a clerk gets: the text and page count of
every file, where each PDF line sits (pdfplumber) and where each DOCX line sits when LibreOffice
renders it. Bytes are compared too, except for the documents listed in ``BYTES_MAY_DIFFER`` with
the reason they differ.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import docx
from docx.oxml.ns import qn

from tests.libreoffice import LibreOffice

from .. import fastyaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "wadian"
RECORD = Path(__file__).with_name("record.json")
EPOCH = "1276560000"  # 2010-06-15

# Files whose bytes changed on purpose; their text, pages and positions must still match.
_DEFLATE_1 = ("PDF streams are deflated at zlib level 1 (writers/pdf/writer.py Deflate), not pydyf's 9; at level 9 "
              "these are the recorded bytes (tests/test_pdf_fast.py), and a batch's notices are the single renders")
BYTES_MAY_DIFFER: dict[str, str] = {
    **{
        label: _DEFLATE_1
        for label in (
            "speech.pdf", "speech-hant.pdf", "opinion.pdf", "forward.pdf", "opinion-draft.pdf", "opinion-status.pdf",
            "opinion-joint.pdf", "commitment-list.pdf", "notice/01.pdf", "notice/02.pdf", "notice/merged.pdf",
            "commitment-branch/01.pdf", "commitment-member/01.pdf",
        )
    },
}


def _variant_data(folder: Path) -> Path:
    """The example with a joint issue, an upward 签发人 and the three top-left marks."""
    values = fastyaml.load((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8"))
    values["documents"]["opinion"].update(
        issuers=["中共瓦店乡委员会", "瓦店乡人民政府"], signer="王建国", copy_number="1",
        secrecy="秘密★1年", urgency="特急",
    )
    path = folder / "campaign.yaml"
    path.write_text(fastyaml.dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(EXAMPLE / "seal.png", folder / "seal.png")
    return path


def render_all(out: Path) -> dict[str, Path]:
    """Every built-in document and variant, by a stable label."""
    import docgen

    files: dict[str, Path] = {}

    def single(label: str, data, **options) -> None:
        folder = out / label
        for path in docgen.render(data, out=folder, name=label, formats=("docx", "pdf"), **options):
            files[f"{label}.{path.suffix[1:]}"] = path

    def many(label: str, data, each: str, where: str, **options) -> None:
        folder = out / label
        result = docgen.batch(data, each=each, where=where, out=folder, jobs=1, formats=("docx", "pdf"),
                              name="{index:02d}", **options)
        for number, document in enumerate(result["documents"], 1):  # keyed by order: files are named by index
            for entry in document["files"]:
                files[f"{label}/{number:02d}.{entry['format']}"] = folder / entry["file"]
        for fmt, name in result.get("merged", {}).items():
            files[f"{label}/merged.{fmt}"] = folder / name

    single("speech", EXAMPLE, speech="cxzy-mobilization")
    single("opinion", EXAMPLE, template="opinion")
    single("forward", EXAMPLE, template="forward")
    single("opinion-draft", EXAMPLE, template="opinion", draft="草稿")
    single("opinion-status", EXAMPLE, template="opinion", draft="征求意见稿")
    single("commitment-list", EXAMPLE, template="commitment-list")
    single("speech-hant", EXAMPLE, speech="cxzy-mobilization", script="hant")
    variant = out / "variant-data"
    variant.mkdir(parents=True)
    single("opinion-joint", _variant_data(variant), template="opinion")
    many("notice", EXAMPLE, "branches", 'branch.name in ["春风村党支部", "瓦店村党支部"]', template="notice",
         merge=True)
    many("commitment-branch", EXAMPLE, "branches", 'branch.name == "春风村党支部"', template="commitment")
    many("commitment-member", EXAMPLE, "branches[*].members", 'member.name == "张国华"', template="commitment")
    return files


def _pdf_facts(path: Path) -> dict:
    from tests.measure import pdf_lines

    pages, _ = pdf_lines(path)
    return {
        "pages": len(pages),
        "lines": [[ln.page, round(ln.top_mm, 1), round(ln.x0_mm, 1), round(ln.x1_mm, 1), ln.size, ln.text]
                  for page in pages for ln in page],
    }


def _docx_text(path: Path) -> list[str]:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    for box in document.element.body.iter(qn("w:txbxContent")):  # the 版记 sits in a text box
        texts += [docx.text.paragraph.Paragraph(paragraph, None).text for paragraph in box.iter(qn("w:p"))]
    return texts


def facts(out: Path, office: LibreOffice) -> dict[str, dict]:
    """Render everything into ``out`` and describe each file (the caller sets SOURCE_DATE_EPOCH)."""
    files = render_all(out)
    docx_files = [path for label, path in files.items() if label.endswith(".docx")]
    # LibreOffice's default export: the blank pages a section start adds are skipped
    rendered = office.pdfs(docx_files, out / "libreoffice", keep_blank_pages=False)
    described: dict[str, dict] = {}
    for label, path in sorted(files.items()):
        entry: dict = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        if path.suffix == ".pdf":
            entry.update(_pdf_facts(path))
        else:
            entry["text"] = _docx_text(path)
            entry["libreoffice"] = _pdf_facts(rendered[path])
        described[label] = entry
    return described


def main() -> None:
    if "--write" not in sys.argv:
        sys.exit("usage: python -m tests.golden.record --write  (rewrites tests/golden/record.json)")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    from docgen.standard import DEFAULT_PROFILE
    from docgen.writers import writer
    from docgen.writers.pdf.writer import Deflate

    writer("pdf", DEFAULT_PROFILE, None).finisher = Deflate(9)  # the record keeps pydyf's level: see _DEFLATE_1
    with tempfile.TemporaryDirectory() as folder, LibreOffice() as office:
        record = facts(Path(folder), office)
    RECORD.write_text(json.dumps(record, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(record)} files recorded in {RECORD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
