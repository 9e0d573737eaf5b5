"""`docgen serve` in a real browser: Debian's Chromium driven by Playwright, the server started by the CLI.

The server runs as `python -m docgen serve DIR --port 0` in its own process (its preview and batch
processes below it); the page is opened in headless Chromium (`make setup-test` installs both:
scripts/install-system.sh puts chromium in the test set, pyproject's test extra has playwright).
Set DOCGEN_WEB_SCREENSHOT=docs/serve.png to write the README's screenshot.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from .cli import docgen_cli
from .conftest import EXAMPLE, ROOT

pytest.importorskip("starlette", reason="the web extra is installed by `make setup-test`")
from playwright.sync_api import expect, sync_playwright  # noqa: E402

# Playwright's expectations wait 5 s by default; on a shared machine under load a check or a save can
# take longer. A wait ends as soon as its condition holds, so a longer limit costs a passing test nothing.
expect.set_options(timeout=30_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]
PLACE = "乡政府三楼会议室"
HOSTILE = "<script>alert(1)</script>"


def start_server(folder: Path, *extra: str, host: str | None = None) -> tuple[subprocess.Popen, str, list[str]]:
    """`docgen serve` on a free port; returns the process, its address and the first stderr lines."""
    args = [sys.executable, "-m", "docgen", "serve", str(folder), "--port", "0", *extra]
    if host:
        args += ["--host", host]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=folder)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 1)
        if ready:
            line = process.stdout.readline()
            match = re.search(r"(http://\S+/)", line)
            if match:
                return process, match.group(1).rstrip("/"), []
        if process.poll() is not None:
            raise AssertionError(f"docgen serve exited: {process.stderr.read()}")
    process.kill()
    raise AssertionError("docgen serve did not print its address in 60 s")


def stop_server(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("campaign")
    for name in ("campaign.yaml", "campaign-roster.yaml", "seal.png", "名册.xlsx"):
        shutil.copy(EXAMPLE / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def server(campaign):
    process, url, _ = start_server(campaign)
    yield url
    err = stop_server(process)
    assert "Traceback" not in err, err


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).is_file(), "Chromium is installed by `make setup-test` (scripts/install-system.sh test)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, server, campaign):
    """A fresh page on a fresh copy of the example data; a JavaScript dialog or error fails the test."""
    shutil.copy(EXAMPLE / "campaign.yaml", campaign / "campaign.yaml")
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.goto(server + "/")
    tab.click("#view-text")  # these tests edit the YAML as text (the form: tests/test_web_form.py)
    yield tab
    context.close()
    assert not problems, problems


def request(url: str, method: str = "GET", path: str = "/", body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """A raw HTTP request: the path is sent exactly as written (no client normalizes `..` away)."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read()


def api(url: str, path: str, payload: dict) -> tuple[int, dict]:
    status, data = request(url, "POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    return status, json.loads(data)


def choose_notice(page, record: int) -> None:
    page.click("li.doc[data-doc='template:notice'] > a")
    page.click(f"li.doc[data-doc='template:notice'] ol.records a[data-record='{record}']")


def set_editor(page, text: str) -> None:
    page.fill("#editor", text)


# ---- in the browser --------------------------------------------------------------------------------


def test_pick_a_branch_notice_edit_the_place_and_see_the_preview_change(page, tmp_path):
    expect(page.locator("li.doc[data-doc='template:notice']")).to_be_visible()
    expect(page.locator("li.doc[data-doc='speech:cxzy-mobilization']")).to_be_visible()
    choose_notice(page, 3)
    expect(page.locator("#pages .page-text").first).to_contain_text("石桥村党支部：", timeout=30_000)
    expect(page.locator("#pages .page-text").first).to_contain_text(PLACE)
    expect(page.locator("#pages figure img").first).to_have_attribute("src", re.compile(r"/preview/\w+/1\.png"))
    page.wait_for_function("() => document.querySelector('#pages img').naturalWidth > 1000")  # drawn at 144 dpi

    text = page.input_value("#editor")
    started = time.monotonic()
    set_editor(page, text.replace(PLACE, "乡文化站二楼(东侧)"))
    expect(page.locator("#pages .page-text").first).to_contain_text("二、会议地点：乡文化站二楼(东侧)", timeout=30_000)
    seconds = time.monotonic() - started
    print(f"edit → preview text: {seconds:.2f} s")  # about 0.35 s here: 250 ms debounce, then the render
    # `docgen check`'s findings beside the preview: the half-width brackets
    expect(page.locator("#findings li")).to_have_text(["paragraph 5: half-width '(' in Chinese text; write '（'",
                                                       "paragraph 5: half-width ')' in Chinese text; write '）'"])
    expect(page.locator("#save-state")).to_have_text("unsaved changes")
    expect(page.locator("#download-docx")).to_have_class(re.compile("disabled"))  # files come from the saved file
    line = text[: text.index(PLACE)].count("\n") + 1
    page.evaluate(f"(e => {{ e.scrollTop = {line - 14} * 20; e.dispatchEvent(new Event('scroll')); }})"
                  "(document.getElementById('editor'))")
    page.wait_for_timeout(300)  # the second page image swaps in when drawn
    page.screenshot(path=str(tmp_path / "serve.png"))
    if os.environ.get("DOCGEN_WEB_SCREENSHOT"):
        page.screenshot(path=os.environ["DOCGEN_WEB_SCREENSHOT"])


def test_a_yaml_error_shows_at_its_line_and_the_preview_says_it_in_one_line(page):
    expect(page.locator("#render-status")).to_contain_text("page", timeout=30_000)
    lines = page.input_value("#editor").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.strip().startswith(f"place: {PLACE}"))
    lines[number - 1] = lines[number - 1].replace(f"place: {PLACE}", f"place: [{PLACE}")
    set_editor(page, "\n".join(lines))
    # YAML reports the unclosed bracket where it noticed it: the line after
    marked = page.locator("#gutter div.error")
    expect(marked).to_have_count(1, timeout=30_000)
    line = int(marked.get_attribute("data-line"))
    assert line in (number, number + 1)
    expect(page.locator("#problems li.error")).to_have_text(re.compile(rf"^line {line}: YAML syntax: "))
    expect(page.locator(f".marks .mark.error[data-line='{line}']")).to_have_count(1)
    error = page.locator("#preview-error")
    expect(error).to_be_visible()
    assert "\n" not in error.inner_text().strip() and "Traceback" not in error.inner_text()

    lines[number - 1] = lines[number - 1].replace("[", "")
    set_editor(page, "\n".join(lines))
    expect(page.locator("#gutter div.error")).to_have_count(0, timeout=30_000)
    expect(page.locator("#preview-error")).to_be_hidden()

    # an unknown key is a warning at its line, like `docgen validate`
    lines.insert(number, "  plase: 会议室")
    set_editor(page, "\n".join(lines))
    expect(page.locator(f"#gutter div.warning[data-line='{number + 1}']")).to_have_count(1, timeout=30_000)
    expect(page.locator("#problems li.warning")).to_contain_text("did you mean `place`")


def test_save_keeps_a_backup_then_download_the_docx_and_the_batch_zip(page, campaign, server, tmp_path):
    import docx

    choose_notice(page, 2)
    expect(page.locator("#pages .page-text").first).to_contain_text("瓦店村党支部：", timeout=30_000)
    before = (campaign / "campaign.yaml").read_bytes()
    set_editor(page, page.input_value("#editor").replace(PLACE, "乡党群服务中心"))
    expect(page.locator("#pages .page-text").first).to_contain_text("乡党群服务中心", timeout=30_000)
    page.keyboard.press("Control+s")
    expect(page.locator("#save-state")).to_contain_text("saved (the previous version is in campaign.yaml.bak)")
    assert "乡党群服务中心" in (campaign / "campaign.yaml").read_text(encoding="utf-8")
    assert (campaign / "campaign.yaml.bak").read_bytes() == before
    assert not list(campaign.glob(".*.part"))

    expect(page.locator("#download-docx")).not_to_have_class(re.compile("disabled"))
    with page.expect_download() as info:
        page.click("#download-docx")
    download = info.value
    assert download.suggested_filename == "瓦店村党支部_关于召开全乡创先争优活动动员大会的通知.docx"
    saved = tmp_path / "notice.docx"
    download.save_as(saved)
    text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert "二、会议地点：乡党群服务中心。" in text and "瓦店村党支部：" in text

    with page.expect_download() as info:
        page.click("#download-pdf")
    assert info.value.suggested_filename.endswith(".pdf")

    page.click("#batch")
    expect(page.locator("#batch-panel progress")).to_be_visible()
    zip_link = page.locator("#batch-links a", has_text="zip")
    expect(zip_link).to_be_visible(timeout=120_000)
    expect(page.locator("#batch-text")).to_contain_text("14 written")
    with page.expect_download() as info:
        zip_link.click()
    assert info.value.suggested_filename == "会议通知.zip"
    archive = tmp_path / "batch.zip"
    info.value.save_as(archive)
    manifest_link = page.locator("#batch-links a", has_text="manifest.json").get_attribute("href")
    status, manifest = request(server, path=manifest_link)
    assert status == 200
    listed = {f["file"] for d in json.loads(manifest)["documents"] for f in d["files"]}
    with zipfile.ZipFile(archive) as bundle:
        assert set(bundle.namelist()) == listed and len(listed) == 28
        notice = next(n for n in bundle.namelist() if "瓦店村党支部" in n and n.endswith(".docx"))
        paragraphs = [p.text for p in docx.Document(io.BytesIO(bundle.read(notice))).paragraphs]
        assert "二、会议地点：乡党群服务中心。" in paragraphs


def test_a_file_changed_on_disk_is_not_overwritten(page, campaign):
    expect(page.locator("#render-status")).to_contain_text("page", timeout=30_000)
    set_editor(page, page.input_value("#editor").replace(PLACE, "我的改动"))
    path = campaign / "campaign.yaml"
    theirs = path.read_text(encoding="utf-8").replace(PLACE, "别人的改动")
    path.write_text(theirs, encoding="utf-8")
    page.click("#save", force=True)  # (the page may have seen the change itself already: then Save is disabled)
    expect(page.locator("#conflict")).to_be_visible()
    expect(page.locator("#conflict-text")).to_contain_text("changed on disk")
    assert path.read_text(encoding="utf-8") == theirs
    expect(page.locator("#save")).to_be_disabled()
    page.click("#reload")
    expect(page.locator("#conflict")).to_be_hidden()
    assert "别人的改动" in page.input_value("#editor")


def test_the_documents_list_is_replaced_only_when_what_it_shows_changes(page):
    # replacing it under a click in progress lost the click (the mouse went down on the old link, up on the new)
    probe = "document.querySelector(\"#documents a[data-doc='template:notice']\").dataset.probe"
    page.evaluate(f"{probe} = 'kept'")
    text = page.input_value("#editor")
    with page.expect_response("**/api/check"):
        set_editor(page, text.replace(PLACE, "乡党群服务中心"))
    page.wait_for_timeout(200)  # the answer is handled
    assert page.evaluate(probe) == "kept"
    with page.expect_response("**/api/check"):
        set_editor(page, text.replace("name: 春风村党支部", "name: 春晖村党支部", 1))
    record = page.locator("li.doc[data-doc='template:commitment'] ol.records a[data-record='1']")
    expect(record).to_have_text("春晖村党支部")
    assert page.evaluate(probe) is None


def test_a_hostile_branch_name_shows_as_text(page, campaign, server):
    text = page.input_value("#editor").replace("name: 春风村党支部", f"name: '{HOSTILE}'", 1)
    set_editor(page, text)
    record = page.locator("li.doc[data-doc='template:commitment'] ol.records a[data-record='1']")
    expect(record).to_have_text(HOSTILE, timeout=30_000)
    choose_notice(page, 1)
    expect(page.locator("#pages .page-text").first).to_contain_text(HOSTILE + "：", timeout=30_000)
    expect(page.locator("#doc-title")).to_contain_text(HOSTILE)
    assert page.locator("#documents script, #pages script, #doc-title script").count() == 0
    # drawn by the server from the saved file, too
    page.keyboard.press("Control+s")
    expect(page.locator("#save-state")).to_contain_text("saved (")
    page.reload()
    expect(page.locator("li.doc[data-doc='template:notice'] ol.records a[data-record='1']")).to_have_text(HOSTILE)
    status, html = request(server, path="/?doc=template:notice&record=1")
    assert status == 200 and HOSTILE.encode() not in html and b"&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---- over HTTP ------------------------------------------------------------------------------------


TRAVERSALS = [
    "/files/../campaign.yaml", "/files/../../etc/passwd", "/files/%2e%2e/%2e%2e/etc/passwd",
    "/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/files/..%2f..%2fetc%2fpasswd", "/files/%252e%252e/etc/passwd",
    "/files//etc/passwd", "/files/%2Fetc%2Fpasswd", "/files/..%5c..%5cetc%5cpasswd", "/files/..\\..\\etc\\passwd",
    "/files/seal.png%00.txt", "/files/C:/Windows/win.ini", "/files/passwd-link", "/files/etc-link/passwd",
    "/files/.hidden", "/out/../campaign.yaml", "/out/%2e%2e/campaign.yaml", "/out/../../etc/passwd",
    "/static/../app.py", "/static/%2e%2e/app.py", "/%2e%2e/%2e%2e/etc/passwd",
    "/?file=../../etc/passwd", "/?file=/etc/passwd", "/?file=passwd-link", "/?file=%2e%2e%2fcampaign.yaml",
    "/api/file?file=../campaign.yaml", "/api/file?file=%2Fetc%2Fpasswd", "/api/file?file=seal.png",
    "/download?file=campaign.yaml&doc=template:../../../../etc/passwd&format=pdf",
    "/download?file=../campaign.yaml&doc=template:notice&format=pdf",
]


def test_only_files_under_the_campaign_and_output_folders_are_served(server, campaign):
    (campaign / "passwd-link").unlink(missing_ok=True)
    (campaign / "passwd-link").symlink_to("/etc/passwd")
    (campaign / "etc-link").unlink(missing_ok=True)
    (campaign / "etc-link").symlink_to("/etc")
    (campaign / ".hidden").write_text("secret")
    assert request(server, path="/files/seal.png")[0] == 200
    for path in TRAVERSALS:
        status, body = request(server, path=path)
        assert status in (403, 404), (path, status)
        assert b"root:" not in body and b"Traceback" not in body, path
    status, _ = api(server, "/api/save", {"file": "../campaign.yaml", "text": "x", "base": "y"})
    assert status == 403
    status, _ = api(server, "/api/preview", {"file": "campaign.yaml", "doc": "template:/etc/passwd"})
    assert status == 404


def test_bodies_are_bounded_and_other_sites_are_refused(server):
    big = b"x" * (5 * 1024 * 1024)
    assert request(server, "POST", "/api/check", big, {"Content-Type": "application/json"})[0] == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(6):
            yield b"x" * (1024 * 1024)

    host, port = server.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request("POST", "/api/check", body=chunks(), headers={"Content-Type": "application/json"},
                       encode_chunked=True)
    assert connection.getresponse().status == 413

    save = json.dumps({"file": "campaign.yaml", "text": "x", "base": "y"}).encode()
    assert request(server, "POST", "/api/save", save, {"Content-Type": "text/plain"})[0] == 415  # a form post
    evil = {"Content-Type": "application/json", "Origin": "http://evil.example"}
    assert request(server, "POST", "/api/save", save, evil)[0] == 403
    assert request(server, path="/", headers={"Host": "evil.example"})[0] == 403  # DNS rebinding
    status, reply = api(server, "/api/save", {"file": "campaign.yaml", "text": "x", "base": "not the hash"})
    assert status == 409 and reply["conflict"]


def test_a_failing_render_is_one_line_never_a_traceback(server):
    status, reply = api(server, "/api/preview", {"file": "campaign.yaml", "doc": "speech:dangji-deployment"})
    assert status == 200 and not reply["ok"] and "党纪学习教育" in reply["error"] and "\n" not in reply["error"]
    bad = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8").replace("  date: 2010-06-18", "  date: 2010-02-30")
    status, reply = api(server, "/api/preview", {"file": "campaign.yaml", "doc": "template:notice", "text": bad})
    assert not reply["ok"] and reply["line"]
    assert reply["error"].startswith(f"campaign.yaml:{reply['line']}: meeting.date")
    status, reply = api(server, "/api/preview", {"file": "campaign.yaml", "doc": "template:notice", "record": 99})
    assert reply == {"ok": False, "error": "record 99: the data has 14 branches", "line": None}
    for payload in (b"[", b'"text"', b'{"file": 5}', b'{"file": "campaign.yaml", "doc": "template:notice", "text": 5}'):
        status, body = request(server, "POST", "/api/preview", payload, {"Content-Type": "application/json"})
        assert 400 <= status < 500 and b"Traceback" not in body and body.count(b"\n") <= 1, (payload, body)
    status, body = request(server, path="/download?file=campaign.yaml&doc=template:notice&record=99&format=pdf")
    assert status == 422 and body == b"error: record 99: the data has 14 branches\n"


@pytest.mark.slow  # a bound: each check answered within 2 s (flaky beside make check's other workers)
def test_the_server_answers_while_a_batch_runs(server):
    status, started = api(server, "/api/batch", {"file": "campaign.yaml", "doc": "template:commitment"})
    assert status == 202, started
    assert api(server, "/api/batch", {"file": "campaign.yaml", "doc": "template:commitment"})[0] == 409
    waits, during = [], 0
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        state = json.loads(request(server, path=started["poll"])[1])
        if state["state"] in ("done", "failed"):
            break
        t = time.perf_counter()
        status, reply = api(server, "/api/check", {"file": "campaign.yaml"})
        waits.append(time.perf_counter() - t)
        assert status == 200 and reply["ok"]
        during += 1
        time.sleep(0.1)
    assert state["state"] == "done", state
    assert state["counts"]["failed"] == 0 and state["documents"] == 14
    assert state["done"] == state["total"] == 14  # docgen.batch's on_progress, through the batch process
    assert during >= 3 and max(waits) < 2.0, waits


def test_host_other_than_loopback_warns(tmp_path):
    shutil.copy(EXAMPLE / "campaign.yaml", tmp_path / "campaign.yaml")
    shutil.copy(EXAMPLE / "seal.png", tmp_path / "seal.png")
    process, url, _ = start_server(tmp_path, host="0.0.0.0")
    try:
        assert url.startswith("http://0.0.0.0:")
        port = url.rsplit(":", 1)[1]
        assert request(f"http://127.0.0.1:{port}", path="/")[0] == 200
    finally:
        err = stop_server(process)
    assert "warning: listening on 0.0.0.0" in err and "no login" in err


def test_serve_refuses_a_missing_campaign_in_one_line(tmp_path):
    result = docgen_cli("serve", str(tmp_path / "nowhere"), "--port", "0", timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no such file or folder" in result.stderr


def test_the_web_package_is_imported_only_by_serve():
    code = ("import docgen.cli, docgen.api, docgen.batching, sys;"
            "print('starlette' in sys.modules, 'uvicorn' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.split() == ["False", "False"]


def test_a_port_in_use_is_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = docgen_cli("serve", str(EXAMPLE), "--port", str(port), timeout=60)
    assert result.returncode == 1
    assert result.stderr == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


# ---- the page in the reader's language -------------------------------------------------------------


def test_a_chinese_browser_gets_the_page_and_its_messages_in_chinese(server):
    status, html = request(server, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    page = html.decode()
    assert status == 200
    assert '<html lang="zh-CN">' in page and "活动文件" in page and ">保存<" in page and "Campaign file" not in page
    assert "个阶段 · " in page  # the summary of `docgen validate`, from the catalog
    status, html = request(server, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in html.decode() and "Campaign file" in html.decode()
    status, html = request(server, headers={"Accept-Language": "zh-CN", "Cookie": "docgen_lang=en"})
    assert "Campaign file" in html.decode()  # the page's switch wins over the browser
    bad = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8").replace("date: 2010-06-18", "date: 2010-02-30")
    headers = {"Content-Type": "application/json", "Accept-Language": "zh-CN"}
    status, data = request(server, "POST", "/api/check", json.dumps({"text": bad}).encode(), headers)
    assert json.loads(data)["error"]["message"] == "meeting.date（会议日期）：2010年2月30日不是有效日期"
    payload = {"text": bad, "doc": "template:notice", "record": 1}
    status, data = request(server, "POST", "/api/preview", json.dumps(payload).encode(), headers)
    assert "2010年2月30日不是有效日期" in json.loads(data)["error"]  # made in the preview process, in Chinese


def test_the_language_switch_in_a_real_browser(browser, server, campaign):
    shutil.copy(EXAMPLE / "campaign.yaml", campaign / "campaign.yaml")
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(server + "/")
    expect(tab.locator("label.file-pick")).to_contain_text("活动文件")
    expect(tab.locator("#save-state")).to_have_text("已保存")
    expect(tab.locator("#render-status")).to_contain_text("页 · 生成用时", timeout=60_000)
    tab.select_option("#lang", "en")
    expect(tab.locator("label.file-pick")).to_contain_text("Campaign file")
    expect(tab.locator("#render-status")).to_contain_text("made in", timeout=60_000)
    tab.select_option("#lang", "zh")
    expect(tab.locator("label.file-pick")).to_contain_text("活动文件")
    context.close()
    assert not errors, errors
