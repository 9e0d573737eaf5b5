"""`docgen serve`: how long from an edit to its preview, and how much memory the server keeps.

Starts `docgen serve` (the CLI, its warm preview process) on a copy of each example campaign and
sends edits the way the page does: the editor's whole text to /api/check and /api/preview at once,
then the first page's image (and, for "all pages", every page image). Each edit changes a value the
document prints (the meeting place for the notice, the speaker for the speeches), and every answer
is checked to show it. Then 200 more edits to the notice, and the resident memory of the server and
of its preview process before and after. With Chromium installed, the same edit typed into the real
page (Playwright): a character typed, to the new text in the page, 250 ms debounce included.

Run: .venv/bin/python benchmarks/serve_preview.py [--edits 20] [--memory-edits 200] [--json out.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
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


def start(folder: Path, errors) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "docgen", "serve", str(folder), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=errors, text=True)
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


def browser_edits(port: str, text: str, edits: int) -> list[float]:
    """Type one character into the meeting place, as a person would; seconds from the editor's input
    event to the new text in the preview (timed by the page's own clock: Playwright's round trips
    are left out)."""
    from playwright.sync_api import sync_playwright

    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--disable-quic"]
    seconds = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/?file=campaign.yaml&doc=template:notice&record=3")
        page.wait_for_selector("#pages .page-text", state="attached")
        page.wait_for_timeout(1000)
        at = text.index("乡政府三楼会议室") + len("乡政府三楼会议室")
        page.evaluate("""() => {
            document.getElementById("editor").addEventListener("input", () => { window.typed = performance.now(); });
        }""")
        place = "乡政府三楼会议室"
        for i in range(edits):
            place += str(i % 10)
            page.evaluate(f"() => {{ const e = document.getElementById('editor'); e.focus(); "
                          f"e.setSelectionRange({at + i}, {at + i}); }}")
            page.keyboard.insert_text(str(i % 10))
            handle = page.wait_for_function(
                """p => [...document.querySelectorAll('#pages .page-text')].some(e => e.textContent.includes(p))
                       && performance.now() - window.typed""",
                arg=f"会议地点：{place}。", timeout=30_000, polling=10)
            seconds.append(handle.json_value() / 1000)
            page.wait_for_timeout(300)
        browser.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--memory-edits", type=int, default=200)
    parser.add_argument("--browser-edits", type=int, default=10)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict = {"cases": []}
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile("w+") as errors, \
            ThreadPoolExecutor(2) as pool:
        servers = {}
        for example in ("wadian", "jinqiao"):
            folder = Path(tmp) / example
            shutil.copytree(ROOT / "examples" / example, folder)
            servers[example] = start(folder, errors)
        try:
            for name, example, doc, record, line, new, shown in CASES:
                process, port = servers[example]
                client = Client(port)
                text = (Path(tmp) / example / "campaign.yaml").read_text(encoding="utf-8")
                assert line in text, line
                edit(client, pool, text, doc, record, "", False)  # the worker warms up on the first
                rows = []
                for i in range(args.edits):
                    values = {"i": i, "c": CHARS[i % 10]}
                    rows.append(edit(client, pool, text.replace(line, new.format(**values), 1), doc, record,
                                     shown.format(**values), all_pages=True))
                case = {"name": name, "pages": rows[0]["pages"],
                        "first_page_s": statistics.median(r["first"] for r in rows),
                        "all_pages_s": statistics.median(r["all"] for r in rows),
                        "pipeline_run_s": statistics.median(r["run"] for r in rows)}
                results["cases"].append(case)
                print(f"{name}, {case['pages']} page(s), {args.edits} edits")
                print(f"  edit → first page shown: {summary([r['first'] for r in rows])}")
                print(f"  edit → every page shown: {summary([r['all'] for r in rows])}")
                print(f"  of which pipeline.run:   {summary([r['run'] for r in rows])}", flush=True)

            process, port = servers["wadian"]
            client = Client(port)
            text = (Path(tmp) / "wadian" / "campaign.yaml").read_text(encoding="utf-8")
            worker = preview_process(process.pid)
            before = {"server_mib": rss_mib(process.pid), "preview_mib": rss_mib(worker)}
            for i in range(args.memory_edits):
                edit(client, pool, text.replace("乡政府三楼会议室", f"会议室{i}"), "template:notice", 1 + i % 14,
                     f"会议室{i}", all_pages=True)
            if preview_process(process.pid) != worker:
                raise SystemExit("FAILED: the preview process was replaced during the memory run")
            after = {"server_mib": rss_mib(process.pid), "preview_mib": rss_mib(worker)}
            results["memory"] = {"edits": args.memory_edits, "before": before, "after": after}
            print(f"memory after the speeches, then {args.memory_edits} notice edits: server "
                  f"{before['server_mib']:.0f} → {after['server_mib']:.0f} MiB, preview process "
                  f"{before['preview_mib']:.0f} → {after['preview_mib']:.0f} MiB", flush=True)

            if Path(CHROMIUM).is_file() and args.browser_edits:
                seconds = browser_edits(port, text, args.browser_edits)
                results["browser_notice_s"] = statistics.median(seconds)
                print(f"in Chromium, notice: a character typed → the new text in the page ({args.browser_edits} "
                      f"edits, polled every 10 ms, 250 ms debounce included): {summary(seconds)}")
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(20)
        errors.seek(0)
        if "Traceback" in errors.read():
            raise SystemExit("FAILED: the server printed a traceback")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
