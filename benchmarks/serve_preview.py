"""`docgen serve`: how long the page takes to load, from an edit to its preview, and the memory it keeps.

Starts `docgen serve` (the CLI, its warm preview process) on a copy of each example campaign and
sends edits the way the page does: the editor's whole text to /api/check and /api/preview at once,
then the first page's image (and, for "all pages", every page image). Each edit changes a value the
document prints (the meeting place for the notice, the speaker for the speeches), and every answer
is checked to show it. Then 200 more edits to the notice, and the resident memory of the server and
of its preview process before and after. With Chromium installed, in the real page (Playwright):
loading it (navigation → the notice's first page image drawn; and → the form ready, where the page has
one), a character typed into the text editor → the new text in the preview (250 ms debounce included),
and a character typed into the form's meeting place → the new text in the preview.

``--against DIR`` runs a second `docgen serve` from another checkout's ``src`` (``git worktree add
/tmp/main main``, then ``--against /tmp/main/src``) beside this one and measures both, interleaved
edit by edit and load by load, so a change can be compared with what it changes on the same machine
at the same moment.

Run: .venv/bin/python benchmarks/serve_preview.py [--edits 20] [--memory-edits 200] [--browser-edits 10]
     [--loads 10] [--against /tmp/main/src] [--json out.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def start(folder: Path, errors, src: Path | None = None) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None  # another checkout's docgen, same venv
    process = subprocess.Popen([sys.executable, "-m", "docgen", "serve", str(folder), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if select.select([process.stdout], [], [], 1)[0]:
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", process.stdout.readline())
            if match:
                return process, match.group(1)
    raise SystemExit("FAILED: docgen serve did not start")


class Client:
    def __init__(self, port: str) -> None:
        self.port = int(port)

    def call(self, method: str, path: str, payload: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        body = json.dumps(payload).encode() if payload is not None else None
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()

    def post(self, path: str, payload: dict) -> dict:
        status, body = self.call("POST", path, payload)
        if status != 200:
            raise SystemExit(f"FAILED: {path} answered {status}: {body[:300]!r}")
        return json.loads(body)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def preview_process(server: int) -> int:
    for child in children(server):
        if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text().replace("\0", " ") and \
                "resource_tracker" not in Path(f"/proc/{child}/cmdline").read_text():
            return child
    raise SystemExit("FAILED: no preview process under the server")


def edit(client: Client, pool: ThreadPoolExecutor, text: str, doc: str, record: int | None, expect: str,
         all_pages: bool) -> dict:
    """One edit as the page sends it; seconds to the first page image (and to all of them)."""
    started = time.perf_counter()
    check = pool.submit(client.post, "/api/check", {"file": "campaign.yaml", "text": text, "doc": doc})
    reply = client.post("/api/preview", {"file": "campaign.yaml", "text": text, "doc": doc, "record": record,
                                         "client": "bench"})
    if not reply.get("ok"):
        raise SystemExit(f"FAILED: preview: {reply}")
    if expect not in "".join(reply["texts"]).replace("\n", ""):
        raise SystemExit(f"FAILED: the preview does not show {expect!r}")
    status, image = client.call("GET", f"/preview/{reply['id']}/1.png")
    assert status == 200 and image.startswith(b"\x89PNG")
    first = time.perf_counter() - started
    if all_pages:
        for n in range(2, reply["pages"] + 1):
            assert client.call("GET", f"/preview/{reply['id']}/{n}.png")[0] == 200
    check.result()
    return {"first": first, "all": time.perf_counter() - started, "run": reply["seconds"], "pages": reply["pages"]}


CASES = [  # name, example, doc, record, the line to edit, the value it prints as
    ("notice (wadian, a branch)", "wadian", "template:notice", 3, "  place: 乡政府三楼会议室", "  place: 会议室{i}",
     "会议地点：会议室{i}"),
    ("speech cxzy-mobilization (wadian)", "wadian", "speech:cxzy-mobilization", None, "    name: 王建国",
     "    name: 王建{c}", "王建{c}"),
    ("speech dangji-deployment (jinqiao)", "jinqiao", "speech:dangji-deployment", None, "    name: 陈立新",
     "    name: 陈立{c}", "陈立{c}"),
]
CHARS = "一二三四五六七八九十"


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"median {statistics.median(samples):.3f} s, p90 {p90:.3f} s, min {min(samples):.3f} s"


FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
NOTICE = "/?file=campaign.yaml&doc=template:notice&record=3"
SHOWN = """p => [...document.querySelectorAll('#pages .page-text')].some(e => e.textContent.includes(p))
           && performance.now() - window.typed"""


def page_load(browser, port: str) -> dict:
    """A first visit (a new browser context, nothing cached): navigation → the notice's first page image
    drawn, and → the form ready where the page has one; timed by the page's own clock."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    # the first page image's load event, as it happens (a poll could be late if the page is busy)
    page.add_init_script("document.addEventListener('load', e => { if (!window.firstPage && e.target.matches"
                         " && e.target.matches('#pages img')) window.firstPage = performance.now(); }, true)")
    page.goto(f"http://127.0.0.1:{port}{NOTICE}")
    preview = page.wait_for_function("() => window.firstPage", timeout=60_000, polling=10)
    shown = {"preview": preview.json_value() / 1000, "form": None}
    if page.locator("#view-form").count():
        ready = page.wait_for_function(
            "() => document.querySelector(\".form-section[data-section='meeting']\")"
            " && document.getElementById('form-status').hidden && performance.now()", timeout=60_000, polling=10)
        shown["form"] = ready.json_value() / 1000
    context.close()
    return shown


class TypingPage:
    """A page open on the notice, typing one character at a time into the meeting place: in the text
    editor, or in the form's input; seconds from the input event to the new text in the preview."""

    def __init__(self, browser, port: str, text: str) -> None:
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000})
        self.page.goto(f"http://127.0.0.1:{port}{NOTICE}")
        self.page.wait_for_selector("#pages .page-text", state="attached")
        self.has_form = self.page.locator("#view-form").count() > 0
        self.page.wait_for_timeout(1000)
        self.at = text.index("乡政府三楼会议室") + len("乡政府三楼会议室")
        self.place = "乡政府三楼会议室"
        self.typed = 0

    def text_edit(self) -> float:
        page = self.page
        if self.has_form:
            page.click("#view-text")
        page.evaluate("() => { const e = document.getElementById('editor'); if (!e.dataset.timed) {"
                      " e.dataset.timed = 1;"
                      " e.addEventListener('input', () => { window.typed = performance.now(); }); }"
                      f" e.focus(); e.setSelectionRange({self.at + self.typed}, {self.at + self.typed}); }}")
        return self._type()

    def form_edit(self) -> float:
        page = self.page
        page.click("#view-form")
        field = page.locator("[data-schemapath='meeting.place'] input")
        field.wait_for()
        page.evaluate("() => { const e = document.querySelector(\"[data-schemapath='meeting.place'] input\");"
                      " if (!e.dataset.timed) { e.dataset.timed = 1; e.addEventListener('input', () => {"
                      " window.typed = performance.now(); }); } e.focus();"
                      " e.setSelectionRange(e.value.length, e.value.length); }")
        return self._type()

    def _type(self) -> float:
        digit = str(self.typed % 10)
        self.place += digit
        self.typed += 1
        self.page.keyboard.insert_text(digit)
        handle = self.page.wait_for_function(SHOWN, arg=f"会议地点：{self.place}。", timeout=30_000, polling=10)
        seconds = handle.json_value() / 1000
        self.page.wait_for_timeout(300)
        return seconds


def browser_runs(servers: dict, text: str, args, results: dict) -> None:
    """Page loads and typed edits in Chromium, the contenders interleaved."""
    from playwright.sync_api import sync_playwright

    names = list(servers)
    loads = {name: [] for name in names}
    typed = {name: [] for name in names}
    form = {name: [] for name in names}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name in names:  # each server's first page: its caches warm, as for a person who opened it before
            page_load(browser, servers[name]["wadian"][1])
        for _ in range(args.loads):
            for name in names:
                loads[name].append(page_load(browser, servers[name]["wadian"][1]))
        pages = {name: TypingPage(browser, servers[name]["wadian"][1], text) for name in names}
        for _ in range(args.browser_edits):
            for name in names:
                typed[name].append(pages[name].text_edit())
        for _ in range(args.browser_edits):
            for name in names:
                if pages[name].has_form:
                    form[name].append(pages[name].form_edit())
        browser.close()
    for name in names:
        preview = [load["preview"] for load in loads[name]]
        ready = [load["form"] for load in loads[name] if load["form"] is not None]
        entry = results["contenders"][name]
        entry["load_preview_s"] = statistics.median(preview)
        print(f"[{name}] in Chromium, the page loaded ({args.loads} first visits): navigation → the notice's "
              f"first page drawn: {summary(preview)}")
        if ready:
            entry["load_form_s"] = statistics.median(ready)
            print(f"[{name}]   navigation → the form ready: {summary(ready)}")
        entry["browser_notice_s"] = statistics.median(typed[name])
        print(f"[{name}] in Chromium, notice: a character typed in the text → the new text in the page "
              f"({args.browser_edits} edits, polled every 10 ms, 250 ms debounce included): {summary(typed[name])}")
        if form[name]:
            entry["browser_form_notice_s"] = statistics.median(form[name])
            print(f"[{name}] in Chromium, notice: a character typed in the form → the new text in the page "
                  f"(250 ms pause, the form's values written into the text, then the same check and preview): "
                  f"{summary(form[name])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--memory-edits", type=int, default=200)
    parser.add_argument("--browser-edits", type=int, default=10)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--against", type=Path, help="another checkout's src folder, measured beside this one")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    contenders = {"this": None}
    if args.against:
        if not (args.against / "docgen" / "__init__.py").is_file():
            raise SystemExit(f"FAILED: {args.against} is not a src folder holding docgen/")
        contenders["against"] = args.against.resolve()
    results: dict = {"contenders": {name: {"src": str(src or ROOT / "src"), "cases": []}
                                    for name, src in contenders.items()}}
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile("w+") as errors, \
            ThreadPoolExecutor(2) as pool:
        servers: dict[str, dict] = {}
        for name, src in contenders.items():
            servers[name] = {}
            for example in ("wadian", "jinqiao"):
                folder = Path(tmp) / name / example
                shutil.copytree(ROOT / "examples" / example, folder)
                servers[name][example] = start(folder, errors, src)
        try:
            for case, example, doc, record, line, new, shown in CASES:
                text = (ROOT / "examples" / example / "campaign.yaml").read_text(encoding="utf-8")
                assert line in text, line
                clients = {name: Client(servers[name][example][1]) for name in contenders}
                for client in clients.values():
                    edit(client, pool, text, doc, record, "", False)  # the worker warms up on the first
                rows: dict[str, list] = {name: [] for name in contenders}
                for i in range(args.edits):
                    values = {"i": i, "c": CHARS[i % 10]}
                    for name, client in clients.items():  # interleaved: the same machine, the same moment
                        rows[name].append(edit(client, pool, text.replace(line, new.format(**values), 1), doc,
                                               record, shown.format(**values), all_pages=True))
                for name in contenders:
                    found = rows[name]
                    results["contenders"][name]["cases"].append({
                        "name": case, "pages": found[0]["pages"],
                        "first_page_s": statistics.median(r["first"] for r in found),
                        "all_pages_s": statistics.median(r["all"] for r in found),
                        "pipeline_run_s": statistics.median(r["run"] for r in found)})
                    print(f"[{name}] {case}, {found[0]['pages']} page(s), {args.edits} edits")
                    print(f"  edit → first page shown: {summary([r['first'] for r in found])}")
                    print(f"  edit → every page shown: {summary([r['all'] for r in found])}")
                    print(f"  of which pipeline.run:   {summary([r['run'] for r in found])}", flush=True)

            text = (ROOT / "examples" / "wadian" / "campaign.yaml").read_text(encoding="utf-8")
            for name in contenders:
                process, port = servers[name]["wadian"]
                client = Client(port)
                worker = preview_process(process.pid)
                before = {"server_mib": rss_mib(process.pid), "preview_mib": rss_mib(worker)}
                for i in range(args.memory_edits):
                    edit(client, pool, text.replace("乡政府三楼会议室", f"会议室{i}"), "template:notice", 1 + i % 14,
                         f"会议室{i}", all_pages=True)
                if preview_process(process.pid) != worker:
                    raise SystemExit("FAILED: the preview process was replaced during the memory run")
                after = {"server_mib": rss_mib(process.pid), "preview_mib": rss_mib(worker)}
                results["contenders"][name]["memory"] = {"edits": args.memory_edits, "before": before, "after": after}
                print(f"[{name}] memory after the speeches, then {args.memory_edits} notice edits: server "
                      f"{before['server_mib']:.0f} → {after['server_mib']:.0f} MiB, preview process "
                      f"{before['preview_mib']:.0f} → {after['preview_mib']:.0f} MiB", flush=True)

            if Path(CHROMIUM).is_file() and (args.browser_edits or args.loads):
                browser_runs(servers, text, args, results)
        finally:
            for group in servers.values():
                for process, _port in group.values():
                    process.terminate()
                    process.wait(20)
        errors.seek(0)
        if "Traceback" in errors.read():
            raise SystemExit("FAILED: the server printed a traceback")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
