"""One-page branch notices: docgen against docxtpl and LibreOffice, interleaved round by round.

Every round runs each contender once, in this order, each a fresh process:

  docgen DOCX -j 1 · docgen DOCX -j 2 · docxtpl · docxtpl ×2 processes ·
  docgen PDF -j 1 · docgen PDF -j 2 · LibreOffice DOCX→PDF · LibreOffice ×2 instances ·
  LibreOffice via unoserver · LibreOffice via unoserver ×2

- docgen: the public API, `docgen.batch(data, template="notice", each="branches", jobs=J)`.
- docxtpl: one DocxTemplate, render() + save() per record, as its docs advise ("Multiple
  rendering"); "×2" is two such processes, each taking every other record (docxtpl has no -j).
- LibreOffice: `soffice --convert-to pdf` of docgen's DOCX notices (made once, before the rounds),
  at most 200 files per invocation (LibreOffice 7.4 stops at 247 and still exits 0), several
  invocations one after another with one user profile, made before the rounds by an untimed
  invocation (timed separately). "×2" is two instances with a profile each, sharing the chunks.
- LibreOffice via unoserver: the same DOCX files converted by a warm office. Two unoservers (each
  starting one LibreOffice with a profile of its own) are started before the rounds and warmed by
  one conversion each (timed separately, not counted), and stopped after them. Each run is one
  client process (contenders.py unoserver) calling `UnoClient.convert(inpath=, outpath=)` per file,
  so no process starts per file (`unoconvert` per file would start a Python each time); "×2" uses
  both servers, one client thread each. The run's CPU adds the servers' (their processes' CPU read
  from /proc before and after: they are not the client's children). The servers run under a Python
  that imports LibreOffice's `uno` (Debian's python3-uno) and unoserver: .venv-uno, which `make
  bench` makes from Debian's /usr/bin/python3; where there is none, it is reported and left out.
- The PDF peer: for one and for two instances, the faster LibreOffice mode (CLI or unoserver) by
  median wall time; the ratio table gives docgen against both, the peer marked.

Nothing is taken on trust: after every run every output file is counted and opened (PDF: pypdf
page count; DOCX: python-docx opens it, its text must name its record, pages counted from explicit
breaks), the file names must cover every record, and a sample of PDFs must show their record's
name in their text. A run that wrote fewer files than asked, or a file that does not open, stops
the benchmark with exit status 1. Ratios are taken within each round (rates at the same moment on
a shared machine); the table reports medians over rounds and every round's ratio.

Run: make bench  (or .venv/bin/python benchmarks/batch_notices.py [--records 1000] [--runs 3])
Smoke test: .venv/bin/python benchmarks/batch_notices.py --quick   (= --records 20 --runs 1)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from measure import timed, timed_cpu, timed_together_cpu

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
EXAMPLE = ROOT / "examples" / "wadian" / "campaign.yaml"
LO_MAX_FILES = 200  # per soffice invocation; LibreOffice 7.4 silently stops converting at 247
LO_TIMEOUT = 600.0  # seconds for one soffice invocation of at most 200 one-page files
PDF_TEXT_SAMPLE = 5  # PDFs per run whose text is extracted and checked for their record's name


# Village-name characters for --names varied: each branch gets two of them (unique), its secretary three.
NAME_CHARACTERS = ("东南西北上下前后大小新旧红绿青白黄金银铜铁石山水河湖江海田林木竹松柏桃李杏梅兰菊荷花草"
                   "春夏秋冬风云雨雪星月日光明安康宁平和泰丰收富贵吉祥福寿喜乐长永兴旺盛昌隆")


def make_campaign(folder: Path, records: int, names: str = "numbered") -> Path:
    """The example campaign with ``records`` branches. ``names``: "numbered" (第0001村党支部, 书记0001: every
    notice uses the same characters) or "varied" (two-character village names and three-character
    secretaries: each notice has characters of its own, as real ones do — a PDF's font subsets differ)."""
    base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    base.pop("documents", None)  # names a seal image beside the example; notices do not need it
    template = {k: v for k, v in base["branches"][0].items() if k != "members"}
    secretaries = _secretaries(records) if names == "varied" else [f"书记{i:04d}" for i in range(records)]
    base["branches"] = [{**template, "name": name, "secretary": secretary}
                        for name, secretary in zip(record_names(records, names), secretaries, strict=True)]
    path = folder / f"campaign-{records}-{names}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def record_names(records: int, names: str = "numbered") -> list[str]:
    if names == "numbered":
        return [f"第{i:04d}村党支部" for i in range(records)]
    pairs = [a + b for a in NAME_CHARACTERS for b in NAME_CHARACTERS if a != b]
    if records > len(pairs):
        raise SystemExit(f"--names varied makes at most {len(pairs)} unique names")
    return [f"{pair}村党支部" for pair in random.Random(16).sample(pairs, records)]


def _secretaries(records: int) -> list[str]:
    rng = random.Random(27)
    return ["".join(rng.choice(NAME_CHARACTERS) for _ in range(3)) for _ in range(records)]


# --- checking what a run wrote -----------------------------------------------------------------


class Shortfall(SystemExit):
    """A contender wrote fewer (or other) files than asked, or a file does not open."""


def docx_pages(path: Path, expected_name: str) -> int:
    """Open with python-docx; the text must name the record. Pages: 1 + explicit page/section breaks."""
    import docx

    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    if expected_name not in text:
        raise Shortfall(f"FAILED: {path.name} opens but does not name {expected_name}")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    breaks = xml.count('w:type="page"') + xml.count("<w:pageBreakBefore/>") + xml.count("<w:pPr><w:sectPr")
    return 1 + breaks


def pdf_pages(path: Path, expected_name: str | None) -> int:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = len(reader.pages)
    if pages < 1:
        raise Shortfall(f"FAILED: {path.name} has no page")
    if expected_name is not None:
        text = "".join(page.extract_text() or "" for page in reader.pages)
        if expected_name not in text:
            raise Shortfall(f"FAILED: {path.name}: its text does not name {expected_name}")
    return pages


def check_output(label: str, folders: list[Path], suffix: str, names: list[str]) -> dict:
    """Count and open every file; fail loudly on any shortfall. Returns files and pages counted."""
    files = sorted(f for folder in folders for f in folder.glob(f"*.{suffix}"))
    if len(files) != len(names):
        raise Shortfall(f"FAILED: {label} wrote {len(files)} .{suffix} files for {len(names)} records")
    by_name = {}
    for path in files:
        name = path.stem.split("_", 1)[-1]
        by_name[name] = path
    missing = [n for n in names if n not in by_name]
    if missing:
        raise Shortfall(f"FAILED: {label}: no file for {len(missing)} record(s), e.g. {missing[:3]}")
    sample = set(names[:: max(1, len(names) // PDF_TEXT_SAMPLE)][:PDF_TEXT_SAMPLE - 1] + names[-1:])
    pages = []
    for name in names:
        try:
            if suffix == "docx":
                pages.append(docx_pages(by_name[name], name))
            else:
                pages.append(pdf_pages(by_name[name], name if name in sample else None))
        except Shortfall:
            raise
        except Exception as exc:  # any failure to open is the finding
            raise Shortfall(f"FAILED: {label}: {by_name[name].name} does not open: {exc!r}") from None
    return {"files": len(files), "pages": sum(pages), "min_pages": min(pages), "max_pages": max(pages)}


# --- contenders --------------------------------------------------------------------------------


@dataclass
class Contender:
    key: str
    label: str
    suffix: str
    run: object  # () -> (seconds, peak MiB, CPU seconds of the process and its children); it writes into `folders`
    folders: list[Path]
    samples: list[dict] = field(default_factory=list)

    def once(self, names: list[str]) -> dict:
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)
        seconds, peak, *cpu_measured = self.run()  # word_template.py's runs give no CPU
        counted = check_output(self.label, self.folders, self.suffix, names)
        sample = {"seconds": seconds, "peak_mib": peak, **counted}
        cpu_text = ""
        if cpu_measured:
            sample["cpu_seconds"] = cpu_measured[0]
            cpu_text = f"CPU {cpu_measured[0] / len(names) * 1000:6.2f} ms/doc  "
        self.samples.append(sample)
        print(f"  {self.label:<40} {seconds:7.2f} s  {len(names) / seconds:7.1f} docs/s  {cpu_text}"
              f"peak {peak:4d} MiB  counted {counted['files']} files, {counted['pages']} pages", flush=True)
        return sample


def soffice_chunks(soffice: str, profile: Path, sources: list[Path], outdir: Path, size: int) -> list[list[str]]:
    """One `soffice --convert-to pdf` command per chunk of at most `size` files, each to its own folder."""
    return [
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(outdir / f"chunk{number:03d}"), *map(str, sources[start : start + size])]
        for number, start in enumerate(range(0, len(sources), size))
    ]


UNO_PYTHONS = (str(ROOT / ".venv-uno" / "bin" / "python"), sys.executable, "/usr/bin/python3",
               "/usr/lib/libreoffice/program/python")  # .venv-uno: `make bench` makes it (Debian's Python)
UNO_START_TIMEOUT = 120.0  # seconds for a unoserver to answer after it is started


def unoserver_python() -> tuple[str | None, str]:
    """A Python that can run unoserver's server (it imports LibreOffice's `uno` and `unoserver`), and why not."""
    tried = []
    for python in dict.fromkeys(UNO_PYTHONS):
        if not Path(python).exists():
            continue
        probe = subprocess.run([python, "-c", "import uno, unoserver.server"], capture_output=True, text=True)
        if probe.returncode == 0:
            return python, f"server under {python}"
        tried.append(f"{python} ({(probe.stderr.strip().splitlines() or ['?'])[-1]})")
    return None, (f"not usable: no Python imports both uno and unoserver.server: {'; '.join(tried)}. `make bench` "
                  "installs Debian's python3-uno and makes .venv-uno (Debian's Python, unoserver installed)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class UnoServer:
    """One unoserver (XML-RPC) and the LibreOffice it keeps running, in a session of their own: their CPU
    is read from /proc for every process of that session (they are not the timed client's children)."""

    def __init__(self, python: str, soffice: str, profile: Path, log: Path) -> None:
        self.port = free_port()
        uno_port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [python, "-m", "unoserver.server", "--port", str(self.port), "--uno-port", str(uno_port),
             "--executable", soffice, "--user-installation", str(profile)],
            stdout=subprocess.DEVNULL, stderr=log.open("wb"), start_new_session=True)

    def wait_ready(self) -> None:
        import xmlrpc.client

        deadline = time.monotonic() + UNO_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"FAILED: unoserver exited ({self.process.returncode}):\n"
                                 f"{self.log.read_text(errors='replace')[-2000:]}")
            try:
                with xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}") as proxy:
                    proxy.info()
                return
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.5)
        self.stop()
        raise SystemExit(f"FAILED: unoserver did not answer within {UNO_START_TIMEOUT:g} s")

    def _processes(self) -> list[list[str]]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.process.pid:  # fields after "(comm)": state ppid pgrp session ...
                found.append([stat.parent.name, *fields])
        return found

    def cpu_seconds(self) -> float:
        """user + system CPU of every live process of the server's session (the server, soffice.bin)."""
        ticks = os.sysconf("SC_CLK_TCK")
        return sum(int(f[12]) + int(f[13]) for f in self._processes()) / ticks

    def peak_mib(self) -> int:
        """The largest peak RSS (VmHWM: since the process started) of the session's processes."""
        peaks = [0]
        for pid, *_ in self._processes():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            peaks += [int(line.split()[1]) // 1024 for line in status.splitlines() if line.startswith("VmHWM:")]
        return max(peaks)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # soffice.bin, if it outlived the server
        self.process.wait()


def through_unoservers(command: list[str], servers: list[UnoServer]) -> tuple[float, int, float]:
    """One timed client run; CPU and peak RSS include the servers' (their CPU counted over the run)."""
    before = sum(server.cpu_seconds() for server in servers)
    seconds, peak, cpu = timed_cpu(command, timeout=LO_TIMEOUT)
    after = sum(server.cpu_seconds() for server in servers)
    return seconds, max(peak, *(server.peak_mib() for server in servers)), cpu + after - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=None, help="notices per run (default 1000)")
    parser.add_argument("--runs", type=int, default=None, help="rounds (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke run: --records 20 --runs 1 unless given")
    parser.add_argument("--lo-chunk", type=int, default=LO_MAX_FILES,
                        help=f"files per soffice invocation (at most {LO_MAX_FILES})")
    parser.add_argument("--skip", action="append", default=[], metavar="KEY",
                        help="leave a contender out: docxtpl, docxtpl2, libreoffice, libreoffice2, "
                             "unoserver, unoserver2")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    parser.add_argument("--names", choices=("varied", "numbered"), default="varied",
                        help="branch names: varied (default; each notice has characters of its own, as real "
                             "names do) or numbered (第0001村党支部: every notice the same characters, so a PDF's "
                             "font subsets repeat and docgen's subset cache always hits)")
    args = parser.parse_args()
    records = args.records or (20 if args.quick else 1000)
    runs = args.runs or (1 if args.quick else 3)
    if not 1 <= args.lo_chunk <= LO_MAX_FILES:
        parser.error(f"--lo-chunk must be 1..{LO_MAX_FILES}")
    python = sys.executable
    script = str(HERE / "contenders.py")
    names = record_names(records, args.names)
    print(f"# {time.strftime('%Y-%m-%d')} · {platform.node()} · {os.cpu_count()} cores · Python "
          f"{platform.python_version()} · {platform.platform()}", flush=True)
    print(f"# {records} notices × {runs} round(s), {args.names} names; every output counted and opened\n", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = make_campaign(work, records, args.names)

        def docgen(fmt: str, jobs: int) -> Contender:
            out = work / f"out-docgen-{fmt}-{jobs}"
            command = [python, script, "docgen", str(data), str(out), "--format", fmt, "--jobs", str(jobs)]
            return Contender(f"docgen-{fmt}-{jobs}", f"docgen {fmt.upper()} -j {jobs}", fmt,
                             lambda: timed_cpu(command), [out])

        contenders = [docgen("docx", 1), docgen("docx", 2)]
        notes = [f"branch names: {args.names} (--names)"]
        try:
            import docxtpl  # noqa: F401
            from contenders import make_docxtpl_template

            template = work / "notice-template.docx"
            make_docxtpl_template(template)
            for parts, key in ((1, "docxtpl"), (2, "docxtpl2")):
                if key in args.skip:
                    continue
                outs = [work / f"out-{key}-{part}" for part in range(parts)]
                commands = [[[python, script, "docxtpl", str(template), str(data), str(outs[part]),
                              "--part", str(part), "--parts", str(parts)]] for part in range(parts)]
                label = "docxtpl (one process)" if parts == 1 else "docxtpl ×2 processes"
                contenders.append(Contender(key, label, "docx", lambda c=commands: timed_together_cpu(c), outs))
        except ImportError:
            notes.append("docxtpl skipped: pip install docxtpl (make bench installs it)")
        contenders += [docgen("pdf", 1), docgen("pdf", 2)]

        soffice = shutil.which("soffice")
        lo_setup = {}
        servers: list[UnoServer] = []
        want_cli = not {"libreoffice", "libreoffice2"} <= set(args.skip)
        want_uno = not {"unoserver", "unoserver2"} <= set(args.skip)
        if soffice and (want_cli or want_uno):
            # The LibreOffice input: docgen's DOCX notices, made and checked once, outside the rounds.
            inputs = work / "lo-inputs"
            timed([python, script, "docgen", str(data), str(inputs), "--format", "docx", "--jobs", "2"])
            check_output("LibreOffice input (docgen DOCX)", [inputs], "docx", names)
            sources = sorted(inputs.glob("*.docx"))
        if soffice and want_cli:
            profiles = [work / "lo-profile-a", work / "lo-profile-b"]
            for profile in profiles:  # first invocation per profile: creates it; timed apart, not counted
                warm = work / f"warm-{profile.name}"
                seconds, _ = timed(soffice_chunks(soffice, profile, sources[:1], warm, 1)[0], timeout=LO_TIMEOUT)
                check_output("LibreOffice warm-up", [warm / "chunk000"], "pdf", names[:1])
                lo_setup[profile.name] = seconds
            for instances, key in ((1, "libreoffice"), (2, "libreoffice2")):
                if key in args.skip:
                    continue
                out = work / f"out-{key}"
                commands = soffice_chunks(soffice, profiles[0], sources, out, args.lo_chunk)
                if instances == 2:
                    commands = [
                        [[*c[:1], f"-env:UserInstallation={profiles[n % 2].as_uri()}", *c[2:]]
                         for n, c in enumerate(commands) if n % 2 == part] for part in range(2)]
                else:
                    commands = [commands]
                folders = [out / f"chunk{n:03d}" for n in range((len(sources) + args.lo_chunk - 1) // args.lo_chunk)]
                label = (f"LibreOffice DOCX→PDF (≤{args.lo_chunk}/call)" if instances == 1
                         else f"LibreOffice ×2 instances (≤{args.lo_chunk}/call)")
                contenders.append(Contender(key, label, "pdf",
                                            lambda c=commands: timed_together_cpu(c, timeout=LO_TIMEOUT),
                                            folders))
        uno_python, uno_status = unoserver_python()
        try:
            import unoserver.client  # noqa: F401  (the client runs in this Python, in contenders.py)
        except ImportError:
            uno_python, uno_status = None, "not usable: this Python has no unoserver client (pip install -e '.[bench]')"
        notes.append(f"unoserver: {uno_status}")
        if soffice and want_uno and uno_python:
            # Two warm LibreOffices, each behind a unoserver with a profile of its own, started once before
            # the rounds and warmed by one conversion each (timed apart, not counted), stopped after them.
            for n in range(2):
                started = time.perf_counter()
                server = UnoServer(uno_python, soffice, work / f"uno-profile-{n}", work / f"unoserver-{n}.log")
                servers.append(server)
                server.wait_ready()
                warm = work / f"warm-uno-{n}"
                timed([python, script, "unoserver", str(warm), str(sources[0]), "--port", str(server.port)],
                      timeout=LO_TIMEOUT)
                check_output("unoserver warm-up", [warm], "pdf", names[:1])
                lo_setup[f"unoserver {n + 1} (started, profile created, 1 file)"] = time.perf_counter() - started
            for instances, key in ((1, "unoserver"), (2, "unoserver2")):
                if key in args.skip:
                    continue
                out = work / f"out-{key}"
                used = servers[:instances]
                command = [python, script, "unoserver", str(out), *map(str, sources),
                           *(a for server in used for a in ("--port", str(server.port)))]
                label = ("LibreOffice via unoserver (warm, 1 client process)" if instances == 1
                         else "LibreOffice via unoserver ×2 (warm, 1 client)")
                contenders.append(Contender(key, label, "pdf",
                                            lambda c=command, u=used: through_unoservers(c, u), [out]))
        elif not soffice:
            notes.append("LibreOffice skipped: not installed (make setup-test installs it)")
        for name, seconds in lo_setup.items():
            notes.append(f"LibreOffice first invocation ({name}), not counted: {seconds:.2f} s")

        try:
            for number in range(runs):
                print(f"round {number + 1}/{runs}", flush=True)
                for contender in contenders:
                    contender.once(names)
        finally:
            for server in servers:
                server.stop()

        # Memory: PDF -j 2 at 100 records against the rounds' peak at `records`.
        small = min(100, records)
        small_data = make_campaign(work, small, args.names)
        small_out = work / "out-memory"
        _, small_peak = timed([python, script, "docgen", str(small_data), str(small_out), "--format", "pdf",
                               "--jobs", "2"])
        check_output("docgen PDF -j 2 (memory check)", [small_out], "pdf", record_names(small, args.names))

    report(contenders, records, runs, notes, small, small_peak, args.json)


def print_contenders(contenders: list[Contender], records: int) -> None:
    """The results table: each contender's median, rate, peak memory and what every run was counted to hold."""
    print("\n| contender | median s | docs/s | CPU ms/doc (median) | peak RSS | counted (every run) |\n"
          "|---|---|---|---|---|---|")
    for c in contenders:
        seconds = statistics.median(s["seconds"] for s in c.samples)
        cpu = [s["cpu_seconds"] for s in c.samples if "cpu_seconds" in s]
        cpu_ms = f"{statistics.median(cpu) / records * 1000:.2f}" if cpu else "–"
        files = sorted({s["files"] for s in c.samples})
        pages = sorted({s["pages"] for s in c.samples})
        print(f"| {c.label} | {seconds:.2f} | {records / seconds:.1f} | {cpu_ms} | "
              f"{max(s['peak_mib'] for s in c.samples)} MiB "
              f"| {'/'.join(map(str, files))} files, {'/'.join(map(str, pages))} pages |")


def report(contenders: list[Contender], records: int, runs: int, notes: list[str], small: int, small_peak: int,
           json_path: Path | None) -> None:
    by_key = {c.key: c for c in contenders}
    print_contenders(contenders, records)

    ratios = {}
    # The peer for PDF: LibreOffice the faster way by median wall time, per number of instances —
    # `soffice --convert-to` (a cold office per ≤200 files) or a warm office driven through unoserver.
    peers = {}
    for instances, modes in ((1, ("libreoffice", "unoserver")), (2, ("libreoffice2", "unoserver2"))):
        present = [by_key[m] for m in modes if m in by_key]
        if present:
            peers[instances] = min(present, key=lambda c: statistics.median(s["seconds"] for s in c.samples)).key
    pairs = [("DOCX", "docgen-docx-1", "docxtpl"), ("DOCX", "docgen-docx-2", "docxtpl"),
             ("DOCX", "docgen-docx-2", "docxtpl2")]
    for ours, instances in (("docgen-pdf-1", 1), ("docgen-pdf-2", 1), ("docgen-pdf-2", 2)):
        modes = ("libreoffice", "unoserver") if instances == 1 else ("libreoffice2", "unoserver2")
        pairs += [("PDF, the peer" if peers.get(instances) == mode else "PDF", ours, mode) for mode in modes]
    print("\n| rate ratio (docgen / peer), per round | median | rounds | CPU ratio (peer CPU / docgen CPU), "
          "per round |\n|---|---|---|---|")
    for kind, ours, peer in pairs:
        if ours not in by_key or peer not in by_key:
            continue
        together = list(zip(by_key[ours].samples, by_key[peer].samples, strict=True))
        per_round = [p["seconds"] / o["seconds"] for o, p in together]
        per_cpu = [p.get("cpu_seconds", float("nan")) / o.get("cpu_seconds", float("nan")) for o, p in together]
        ratios[f"{ours}/{peer}"] = per_round
        ratios[f"{ours}/{peer} cpu"] = per_cpu
        print(f"| {kind}: {by_key[ours].label} / {by_key[peer].label} | {statistics.median(per_round):.2f}× | "
              f"{', '.join(f'{r:.2f}' for r in per_round)} | {statistics.median(per_cpu):.2f}× "
              f"({', '.join(f'{r:.2f}' for r in per_cpu)}) |")
    for instances, key in peers.items():
        print(f"PDF peer, {instances} instance(s): {by_key[key].label} (the faster LibreOffice mode by median)")
    large = max(s["peak_mib"] for s in by_key["docgen-pdf-2"].samples)
    print(f"\npeak RSS, docgen PDF -j 2: {small} → {records} records: {small_peak} MiB → {large} MiB")
    for note in notes:
        print(f"note: {note}")
    if json_path:
        json_path.write_text(json.dumps({
            "records": records, "runs": runs, "date": time.strftime("%Y-%m-%d"), "notes": notes,
            "contenders": {c.key: {"label": c.label, "samples": c.samples} for c in contenders},
            "ratios": ratios, "peers": peers,
            "memory": {"small": small, "small_peak_mib": small_peak, "large_peak_mib": large},
        }, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    try:
        main()
    except Shortfall as exc:
        print(exc.code, file=sys.stderr)
        sys.exit(1)
