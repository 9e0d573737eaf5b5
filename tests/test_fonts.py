"""Font roles: open fonts by default, the office's own fonts from --font-dir matched by family name."""

import pdfplumber
from fontTools.ttLib import TTFont

from docgen.api import render
from docgen.writers import fonts

from .conftest import EXAMPLE, SPEECH


def test_open_fonts_serve_every_role():
    resolved = fonts.resolve(None)
    assert {k: f.file.name for k, f in resolved.items()} == {
        "title": "FandolSong-Bold.otf", "body": "FandolFang-Regular.otf", "kai": "FandolKai-Regular.otf",
        "hei": "FandolHei-Regular.otf", "song": "FandolSong-Regular.otf",
    }


def test_font_dir_fonts_are_matched_by_their_family_names(tmp_path):
    # An office's own 仿宋_GB2312: here FandolFang renamed, so the test needs no proprietary file.
    font = TTFont(str(fonts.resolve(None)["body"].file))
    table = font["name"]
    table.names = [r for r in table.names if r.platformID == 3]  # Mac records cannot hold 汉字
    for record in table.names:
        if record.nameID in (1, 4, 16):
            record.string = "仿宋_GB2312"
    folder = tmp_path / "fonts"
    folder.mkdir()
    font.save(str(folder / "office-fangsong.otf"))
    (folder / "broken.ttf").write_bytes(b"not a font")  # skipped, not fatal

    resolved = fonts.resolve(str(folder))
    assert resolved["body"].file == folder / "office-fangsong.otf" and resolved["body"].source == "font-dir"
    assert resolved["title"].source == "open font"

    pdf = render(EXAMPLE, speech=SPEECH, formats=("pdf",), out=tmp_path / "out", font_dir=folder)[0]
    with pdfplumber.open(pdf) as document:
        assert "同志们" in document.pages[0].extract_text()


def test_missing_characters_are_reported_with_the_fallback():
    body = fonts.resolve(None)["body"]
    not_in_body, in_none = fonts.missing_characters(body, "王堃喆乡")
    assert not_in_body == {"堃", "喆"} and in_none == set()
