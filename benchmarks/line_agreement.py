"""Do the PDF and LibreOffice's rendering of the DOCX break the same lines? Every divergence, with its cause.

Renders both examples' opinion, forward notice and speech in both formats, converts each DOCX with
LibreOffice (blank pages kept), and walks the two sequences of body and title lines (3号 and 2号 text) in
order: where a line differs it prints both and classifies the difference (a line holding Latin letters or
digits: LibreOffice's gap between Chinese and Latin text, which its DOCX import cannot turn off; a closing
quote; anything else), then resynchronizes at the next lines that agree. Pages with any differing line are
counted too. Not a test (the differences are LibreOffice's); the page-quality tests hold page 1 and the
page counts.

    .venv/bin/python benchmarks/line_agreement.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.measure import pdf_lines  # noqa: E402
from tests.test_page_quality import libreoffice_all  # noqa: E402

import docgen  # noqa: E402

DOCUMENTS = [("wadian", {"template": "opinion"}), ("wadian", {"template": "forward"}),
             ("wadian", {"speech": "cxzy-mobilization"}), ("jinqiao", {"template": "opinion"}),
             ("jinqiao", {"template": "forward"}), ("jinqiao", {"speech": "dangji-deployment"})]


def text_lines(path: Path) -> tuple[list[list[str]], list[str]]:
    pages, _ = pdf_lines(path)
    per_page = [[line.text for line in page if line.size in (16.0, 22.0)] for page in pages]
    return per_page, [text for page in per_page for text in page]


def cause(ours: str, theirs: str) -> str:
    if re.search(r"[0-9A-Za-z]", ours + theirs):
        return "Latin or digits (LibreOffice's gap)"
    return "closing quote" if "”" in ours + theirs else "other"


def divergences(ours: list[str], theirs: list[str]) -> list[tuple[str, str]]:
    found, i = [], 0
    while i < min(len(ours), len(theirs)):
        if ours[i] == theirs[i]:
            i += 1
            continue
        found.append((ours[i], theirs[i]))
        resync = next(((k, m) for k in range(i + 1, min(i + 6, len(ours)))
                       for m in range(i + 1, min(i + 6, len(theirs)))
                       if ours[k] == theirs[m] and ours[k + 1:k + 3] == theirs[m + 1:m + 3]), None)
        if resync is None:
            break
        ours, theirs, i = ours[resync[0]:], theirs[resync[1]:], 0
    return found


def main() -> None:
    causes: Counter[str] = Counter()
    pages_total = pages_differing = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        made = [docgen.render(ROOT / "examples" / example, out=out / f"{example}-{n}", **options)
                for n, (example, options) in enumerate(DOCUMENTS)]
        libreoffice_all([docx for docx, _pdf in made], out / "lo")
        for docx, pdf in made:
            our_pages, ours = text_lines(pdf)
            their_pages, theirs = text_lines(out / "lo" / f"{docx.stem}.pdf")
            pages_total += len(our_pages)
            pages_differing += sum(a != b for a, b in zip(our_pages, their_pages, strict=False))
            for mine, other in divergences(ours, theirs):
                causes[cause(mine, other)] += 1
                print(f"{pdf.stem[:16]}: {cause(mine, other)}\n  PDF         {mine}\n  LibreOffice {other}")
    print(f"\n{pages_total} pages, {pages_differing} with a differing line; divergences by cause: "
          + ", ".join(f"{name} {count}" for name, count in causes.most_common()) if causes else "none")


if __name__ == "__main__":
    main()
