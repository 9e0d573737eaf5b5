"""Wall time of `docgen render` for the example speech, a cold process each time, interleaved with its peer.

Peer: LibreOffice turning the same speech's DOCX into PDF (`soffice --headless --convert-to pdf`), the
way an office would make the print copy without docgen. The goal (issue 27.6): a cold `docgen render
--format pdf` in at most 0.7× LibreOffice's time. Also the start-up paths that must stay light:
`docgen --help` and `docgen validate` (no WeasyPrint import), and the DOCX alone.

Every round runs each contender once, in an order that turns by one each round, so a busy spell of this
shared machine falls on all of them; the ratio is taken within each round and its median quoted with
the rounds'. Every run counts only with its output there: the PDF (or DOCX) is removed before the run,
and after it must exist and open (pypdf counts its pages, outside the timing). LibreOffice's first
start with a new profile (it builds the profile: ~1.3 s more) is run once before the rounds, not counted.

``--against DIR`` also times the same docgen commands from another checkout's ``src`` (``git worktree
add /tmp/main main``, then ``--against /tmp/main/src``: same venv, that code) in the same rounds: before
and after a change, on the same machine at the same moments.

docgen's own modules are compiled to bytecode first (``compileall``, in each checkout measured), as an
installed docgen has them: pip compiles a package's modules when it installs it, while this editable
install, on a machine with PYTHONDONTWRITEBYTECODE=1 (this VM's), compiles docgen's ~70 modules from
source in every process (~55 ms of CPU). ``--source-only`` removes that bytecode instead, to time it
so. Everything else imported (site-packages) is the installed bytecode either way.

Run: make bench   (or .venv/bin/python benchmarks/render_speech.py [--runs N] [--against /tmp/main/src]
     [--source-only])
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from measure import timed_cpu

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "wadian"
SPEECH = "cxzy-mobilization"
DOCGEN = [sys.executable, "-m", "docgen"]
PDF = "docgen render --format pdf"
PEER = "peer: soffice --convert-to pdf (same DOCX)"


@dataclass
class Contender:
    name: str
    command: list[str]
    output: Path | None = None  # the file the run must write (removed before each run)
    env: dict[str, str] | None = None
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mib: int = 0
    pages: set[int] = field(default_factory=set)


def run_once(contender: Contender) -> None:
    if contender.output is not None:
        contender.output.unlink(missing_ok=True)
    seconds, peak, cpu = timed_cpu(contender.command, env=contender.env)
    if contender.output is not None:
        if not contender.output.is_file():
            raise SystemExit(f"FAILED: {contender.name} did not write {contender.output}")
        if contender.output.suffix == ".pdf":
            from pypdf import PdfReader

            contender.pages.add(len(PdfReader(contender.output).pages))
        else:
            import zipfile

            with zipfile.ZipFile(contender.output) as docx:  # opens, and holds the document part
                docx.getinfo("word/document.xml")
    contender.seconds.append(seconds)
    contender.cpu.append(cpu)
    contender.peak_mib = max(contender.peak_mib, peak)


def docgen_contenders(out: Path, label: str, env: dict[str, str] | None) -> list[Contender]:
    render = [*DOCGEN, "render", str(EXAMPLE), "--speech", SPEECH, "-o", str(out)]
    stem = "在全乡创先争优活动动员大会上的讲话"
    both = out / "both"
    return [
        Contender(f"docgen --help{label}", [*DOCGEN, "--help"], env=env),
        Contender(f"docgen validate{label}", [*DOCGEN, "validate", str(EXAMPLE)], env=env),
        Contender(f"docgen render --format docx{label}", [*render, "--format", "docx"], out / f"{stem}.docx", env),
        Contender(f"{PDF}{label}", [*render, "--format", "pdf"], out / f"{stem}.pdf", env),
        Contender(f"docgen render --format docx,pdf{label}",
                  [*DOCGEN, "render", str(EXAMPLE), "--speech", SPEECH, "-o", str(both), "--format", "docx,pdf"],
                  both / f"{stem}.pdf", env),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (each contender once a round)")
    parser.add_argument("--against", type=Path, help="another checkout's src folder, timed in the same rounds")
    parser.add_argument("--source-only", action="store_true",
                        help="remove docgen's bytecode in the checkouts measured: every process compiles docgen")
    args = parser.parse_args()
    for src in [ROOT / "src", *([args.against] if args.against else [])]:
        bytecode(src / "docgen", compile_=not args.source_only)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "this"
        contenders = docgen_contenders(out, "", None)
        if args.against:
            if not (args.against / "docgen" / "__init__.py").is_file():
                raise SystemExit(f"FAILED: {args.against} is not a src folder holding docgen/")
            env = dict(os.environ, PYTHONPATH=str(args.against.resolve()))
            contenders += docgen_contenders(Path(tmp) / "against", " [against]", env)
        soffice = shutil.which("soffice")
        if soffice:
            docx = Path(tmp) / "peer" / "speech.docx"
            docx.parent.mkdir()
            run_once(contenders[2])  # this checkout's DOCX of the speech: what LibreOffice converts
            shutil.copy(contenders[2].output, docx)
            contenders[2].seconds.clear()
            contenders[2].cpu.clear()
            profile = Path(tmp) / "lo-profile"
            peer = Contender(PEER, [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                                    "--convert-to", "pdf", "--outdir", str(docx.parent / "lo"), str(docx)],
                             docx.parent / "lo" / "speech.pdf")
            run_once(peer)  # the profile's first start: not counted
            print(f"LibreOffice's first start with a new profile (not counted): {peer.seconds[0]:.3f} s", flush=True)
            peer.seconds.clear()
            peer.cpu.clear()
            contenders.append(peer)
        else:
            print("peer skipped: LibreOffice is not installed (make setup-test installs it)")
        for round_ in range(args.runs):
            turn = round_ % len(contenders)
            for contender in contenders[turn:] + contenders[:turn]:
                run_once(contender)
            print(f"round {round_ + 1}: " + ", ".join(
                f"{c.name.replace('docgen ', '')} {c.seconds[-1]:.3f}" for c in contenders), flush=True)
        print()
        for c in contenders:
            pages = f"; {'/'.join(map(str, sorted(c.pages)))} pages" if c.pages else ""
            print(f"{c.name:<52} median {statistics.median(c.seconds):.3f} s (min {min(c.seconds):.3f}, "
                  f"max {max(c.seconds):.3f}); CPU median {statistics.median(c.cpu):.3f} s; "
                  f"peak RSS {c.peak_mib} MiB{pages}")
        by_name = {c.name: c for c in contenders}
        if soffice:
            for name in (PDF, f"{PDF} [against]"):
                if name in by_name:
                    ratio(by_name[name], by_name[PEER])
        if args.against:
            for c in contenders:
                if c.name.endswith(" [against]"):
                    ratio(by_name[c.name.removesuffix(" [against]")], c)


def bytecode(package: Path, compile_: bool) -> None:
    """docgen's modules compiled to bytecode beside them (as pip leaves an installed package), or removed."""
    if compile_:
        if not compileall.compile_dir(str(package), quiet=1):
            raise SystemExit(f"FAILED: cannot compile {package}")
        print(f"docgen's bytecode: compiled in {package}", flush=True)
    else:
        for cache in package.rglob("__pycache__"):
            shutil.rmtree(cache)
        print(f"docgen's bytecode: none in {package} (every process compiles docgen's modules)", flush=True)


def ratio(ours: Contender, peer: Contender) -> None:
    """``ours`` / ``peer`` wall time in each round, and their median (below 1: ours is faster)."""
    rounds = [a / b for a, b in zip(ours.seconds, peer.seconds, strict=True)]
    cpu = [a / b for a, b in zip(ours.cpu, peer.cpu, strict=True)]
    print(f"ratio {ours.name} / {peer.name}: median {statistics.median(rounds):.2f}× "
          f"(rounds {', '.join(f'{r:.2f}' for r in rounds)}); CPU median {statistics.median(cpu):.2f}×")


if __name__ == "__main__":
    main()
