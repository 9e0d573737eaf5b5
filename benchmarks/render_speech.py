"""Wall time of `docgen render` for the example speech, cold process each time (median of 5).

Peer in the same run: LibreOffice turning the same DOCX into PDF (`soffice --convert-to pdf`),
the way an office would make the print copy without docgen. Also the start-up paths that must
stay light: `docgen --help` and `docgen validate` (no WeasyPrint import).

Run: make bench   (or .venv/bin/python benchmarks/render_speech.py [--runs N])
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from measure import timed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "wadian"
DOCGEN = [sys.executable, "-m", "docgen"]


def measure(name: str, command: list[str], runs: int) -> dict:
    samples = [timed(command) for _ in range(runs)]
    seconds = [s for s, _ in samples]
    row = {"name": name, "median_s": statistics.median(seconds), "min_s": min(seconds),
           "max_s": max(seconds), "peak_mib": max(m for _, m in samples)}
    print(f"{name:<42} median {row['median_s']:.3f} s  (min {row['min_s']:.3f}, max {row['max_s']:.3f}; "
          f"peak RSS {row['peak_mib']} MiB)", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        render = [*DOCGEN, "render", str(EXAMPLE), "--speech", "cxzy-mobilization", "-o", str(out)]
        rows = [
            measure("docgen --help", [*DOCGEN, "--help"], args.runs),
            measure("docgen validate", [*DOCGEN, "validate", str(EXAMPLE)], args.runs),
            measure("docgen render --format docx", [*render, "--format", "docx"], args.runs),
            measure("docgen render --format pdf", [*render, "--format", "pdf"], args.runs),
            measure("docgen render --format docx,pdf", [*render, "--format", "docx,pdf"], args.runs),
        ]
        soffice = shutil.which("soffice")
        docx = next(out.glob("*.docx"))
        if soffice:
            profile = Path(tmp) / "lo-profile"
            peer = measure(
                "peer: soffice --convert-to pdf (same DOCX)",
                [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                 "--outdir", str(out / "lo"), str(docx)],
                args.runs,
            )
            converted = out / "lo" / f"{docx.stem}.pdf"
            ours_pdf = docx.with_suffix(".pdf")
            for path in (converted, ours_pdf):  # a peer's time counts only with its output there and opening
                if not path.is_file():
                    raise SystemExit(f"FAILED: {path} was not written")
            from pypdf import PdfReader

            print(f"pages: docgen PDF {len(PdfReader(ours_pdf).pages)}, "
                  f"LibreOffice's PDF of the DOCX {len(PdfReader(converted).pages)}")
            ours = next(r for r in rows if r["name"] == "docgen render --format pdf")
            print(f"ratio: LibreOffice DOCX→PDF / docgen render PDF = {peer['median_s'] / ours['median_s']:.2f}×")
        else:
            print("peer skipped: LibreOffice is not installed (make setup-test installs it)")


if __name__ == "__main__":
    main()
