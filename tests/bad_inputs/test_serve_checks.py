"""Issue 28.2 under `docgen serve`: a hostile roster costs the server neither its memory nor its previews.

The page checks the campaign as one types (``/api/check``), rosters included. Three checks at once of
the 7.5 MB roster whose sheet is 1.6 GB of XML took 4.4 GB in the server and blocked every preview for
47 s; a roster with one cell at XFD1048576 makes calamine ask for a dense block of 17 thousand million
cells. Here the server runs under a 3 GB address-space limit (so that a server without the check
process fails the test instead of the machine), and must answer: the three checks with one line naming
the roster within 5 s, a preview of the sound campaign at the same time, the sparse roster with a
line, and the next check as before; its own peak memory stays under 300 MiB.
"""

from __future__ import annotations

import http.client
import json
import re
import resource
import select
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .harness import EXAMPLE, MEMORY_LIMIT
from .hostile import made

pytest.importorskip("starlette", reason="the web extra is installed by `make setup-test`")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _start(folder: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "docgen", "serve", str(folder / "campaign.yaml"), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=folder,
                               preexec_fn=_limit_memory)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 1)
        if ready:
            match = re.search(r"(http://\S+/)", process.stdout.readline())
            if match:
                return process, match.group(1).rstrip("/")
        if process.poll() is not None:
            raise AssertionError(f"docgen serve exited: {process.stderr.read()}")
    process.kill()
    raise AssertionError("docgen serve did not print its address in 60 s")


def _api(url: str, path: str, payload: dict, timeout: float = 120) -> tuple[float, dict]:
    """POST JSON; (seconds it took, the answer)."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    started = time.monotonic()
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    connection.request("POST", path, body=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
    answer = json.loads(connection.getresponse().read())
    return time.monotonic() - started, answer


def _peak_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def test_hostile_rosters_block_neither_the_server_nor_its_previews(tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    for name in ("campaign.yaml", "seal.png"):
        shutil.copy(EXAMPLE / name, folder / name)
    roster = (EXAMPLE / "campaign-roster.yaml").read_text(encoding="utf-8")
    (folder / "campaign-roster.yaml").write_text(roster, encoding="utf-8")
    (folder / "campaign-sparse.yaml").write_text(roster.replace("from: 名册.xlsx", "from: 稀疏.xlsx"), encoding="utf-8")
    made("roster-xlsx-bomb", folder / "名册.xlsx")
    made("roster-xlsx-sparse", folder / "稀疏.xlsx")
    process, url = _start(folder)
    try:
        _api(url, "/api/check", {"file": "campaign.yaml"})  # the check process is up
        with ThreadPoolExecutor(4) as pool:
            checks = [pool.submit(_api, url, "/api/check", {"file": "campaign-roster.yaml"}) for _ in range(3)]
            preview = pool.submit(_api, url, "/api/preview", {"file": "campaign.yaml", "doc": "template:notice",
                                                               "record": 1, "client": "test"})
            for future in checks:
                seconds, answer = future.result()
                assert not answer["ok"] and "名册.xlsx" in answer["error"]["text"], answer["error"]
                assert "xl/worksheets/sheet2.xml" in answer["error"]["text"], answer["error"]
                assert seconds < 5, f"a check of the bomb took {seconds:.1f} s"
            seconds, answer = preview.result()
            assert answer["ok"], answer
        seconds, answer = _api(url, "/api/check", {"file": "campaign-sparse.yaml"})
        assert not answer["ok"] and "check process stopped" in answer["error"]["text"], answer["error"]
        seconds, answer = _api(url, "/api/check", {"file": "campaign.yaml"})
        assert answer["ok"], answer
        assert process.poll() is None
        peak = _peak_mib(process.pid)
        assert peak < 300, f"the server's peak memory: {peak:.0f} MiB"
        print(f"server peak {peak:.0f} MiB")
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert "Traceback" not in err, err
