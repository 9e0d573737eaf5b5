"""Shared fixtures: the example speech rendered once per session, as DOCX and PDF."""

from __future__ import annotations

import gc
import os
import shutil
import signal
from pathlib import Path

import pytest

# Tests read docgen's English messages unless they ask for Chinese (--lang zh, i18n.using, LANG in a
# subprocess's env): a developer's Chinese locale must not switch them (docgen/i18n.py).
for _name in ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
    if os.environ.get(_name, "").lower().startswith("zh"):
        os.environ[_name] = "C.UTF-8" if _name in ("LANG", "LC_ALL") else ""

# The Ctrl-C tests send SIGINT to a docgen process and expect it to stop. A suite started in the
# background by a non-interactive shell (`make test &`, nohup) inherits SIGINT ignored, and so would every
# docgen it starts (an ignored signal stays ignored across exec; Python then installs no handler): give
# the children the default disposition instead (a handled signal is reset to the default by exec).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A test that runs the CLI in process with --lang zh chooses Chinese for the process: undo it."""
    yield
    from docgen import i18n

    i18n.use(None)


ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "wadian"
SPEECH = "cxzy-mobilization"


def copy_assets(folder: Path) -> None:
    """Files the example's data names (the seal), for tests that copy its campaign.yaml elsewhere."""
    shutil.copy(EXAMPLE / "seal.png", folder / "seal.png")


@pytest.fixture(scope="session")
def speech_files(tmp_path_factory) -> dict[str, Path]:
    from docgen.api import render

    out = tmp_path_factory.mktemp("speech")
    paths = render(EXAMPLE, speech=SPEECH, formats=("docx", "pdf"), out=out)
    return {p.suffix[1:]: p for p in paths}


@pytest.fixture(scope="session")
def libreoffice():
    """LibreOffice, to render the DOCX as a user opening it sees it (tests/libreoffice.py); one profile per
    session (per xdist worker). A test that asks for it, directly or through its fixtures, is marked
    ``libreoffice`` (below)."""
    from .libreoffice import LibreOffice

    with LibreOffice() as office:
        yield office


@pytest.fixture(scope="session")
def libreoffice_pdf(speech_files, libreoffice, tmp_path_factory) -> Path:
    """LibreOffice's own rendering of the DOCX: what a user opening it in LibreOffice sees."""
    return libreoffice.pdf(speech_files["docx"], tmp_path_factory.mktemp("lo"), keep_blank_pages=False)


# What a test needs beyond Python, from the fixtures it uses (their own fixtures included): `make check`
# leaves out these markers; `make test` runs everything. A test that needs one without such a fixture
# (docgen's Word-template PDF through LibreOffice, `--cluster local:N`) carries the marker itself.
# The fixtures and the markers share their names: `libreoffice` (above), `browser` (Chromium through
# Playwright: tests/test_web.py, test_web_form.py), `cluster` (a Dask LocalCluster: tests/test_cluster.py).
NEEDS = ("libreoffice", "browser", "cluster")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for need in NEEDS:
            if need in getattr(item, "fixturenames", ()):
                item.add_marker(need)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The suite is a long-lived Python API user that makes thousands of documents, each a burst of
    short-lived objects (WeasyPrint's boxes): with the collector's default thresholds it walked
    everything imported so far in each full collection and ran a young one every 700 objects, ~9 % of
    the time of a file that renders (tests/test_corpus.py, test_pdf_fast.py: 42.9 → 39.0 s). What
    collection imported is set aside for good, and the young generation is collected every 100,000
    objects. Nothing a document is made of depends on when cycles are collected; the commands the
    tests start keep the interpreter's defaults (a cold `docgen render` sets its own: writers/collector.py)."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
