"""A damaged seal is refused whatever the process did before: WeasyPrint's import makes Pillow accept a
cut-off image (``ImageFile.LOAD_TRUNCATED_IMAGES``), and a process that had made a PDF (`docgen serve`, a
batch worker, two renders through the API) passed a truncated seal that a fresh one refused."""

from __future__ import annotations

import shutil

import pytest
from PIL import ImageFile

from docgen.errors import DocgenError
from docgen.pipeline import load_campaign
from docgen.writers.pdf import weasyprint_import

from ..conftest import EXAMPLE
from .hostile import made


def test_a_truncated_seal_is_refused_after_weasyprint_was_imported(tmp_path):
    weasyprint_import.load()
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # what WeasyPrint's import does to the process
    shutil.copy(EXAMPLE / "campaign.yaml", tmp_path / "campaign.yaml")
    made("seal-truncated", tmp_path / "seal.png")
    with pytest.raises(DocgenError, match="seal.png' does not decode as PNG"):
        load_campaign(tmp_path / "campaign.yaml")
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's setting is its own again
