"""Every built-in document renders as recorded before the core was rebuilt (tests/golden/record.json).

Text, page count and every line's position (PDF through pdfplumber, DOCX through LibreOffice's
rendering) must match; bytes too, except where `BYTES_MAY_DIFFER` says why they changed.
"""

import json

import pytest

from .golden.record import BYTES_MAY_DIFFER, EPOCH, RECORD, facts


@pytest.fixture(scope="module")
def current(tmp_path_factory, monkeypatch_module, libreoffice):
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return facts(tmp_path_factory.mktemp("golden"), libreoffice)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


RECORDED = json.loads(RECORD.read_text(encoding="utf-8"))


def test_the_same_documents_are_made(current):
    assert sorted(current) == sorted(RECORDED)


@pytest.mark.parametrize("label", sorted(RECORDED))
def test_text_pages_and_positions_match_the_record(current, label):
    now, then = current[label], RECORDED[label]
    for key in ("pages", "lines", "text"):
        assert now.get(key) == then.get(key), f"{label}: {key} changed"
    if "libreoffice" in then:
        assert now["libreoffice"] == then["libreoffice"], f"{label}: LibreOffice's rendering changed"


@pytest.mark.parametrize("label", sorted(RECORDED))
def test_bytes_match_the_record_unless_a_reason_is_given(current, label):
    if label in BYTES_MAY_DIFFER:
        pytest.skip(BYTES_MAY_DIFFER[label])
    assert current[label]["sha256"] == RECORDED[label]["sha256"]
