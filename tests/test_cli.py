"""The `docgen` command as a user runs it: help, listing, schema, fonts, and one-line errors."""

import json
from pathlib import Path

import pytest

from .cli import docgen_cli
from .conftest import EXAMPLE, ROOT, SPEECH, copy_assets


def test_version_and_help():
    assert docgen_cli("--version").stdout.startswith("docgen, version")
    for command in ("render", "validate", "templates", "schema", "fonts"):
        result = docgen_cli(command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout


def test_templates_lists_the_speech_with_its_description():
    out = docgen_cli("templates").stdout
    assert "--speech cxzy-mobilization" in out and "动员大会讲话" in out
    assert "speech" in out


def test_schema_is_json_schema():
    schema = json.loads(docgen_cli("schema").stdout)
    assert schema["type"] == "object" and "branches" in schema["properties"]


def test_fonts_names_a_file_per_role_and_warns_of_rare_characters(tmp_path):
    out = docgen_cli("fonts").stdout
    for role in ("title", "body", "kai", "hei", "song"):
        assert any(line.startswith(role) and ".otf" in line for line in out.splitlines()), role
    data = tmp_path / "campaign.yaml"
    data.write_text((EXAMPLE / "campaign.yaml").read_text(encoding="utf-8").replace("李春明", "李堃喆"),
                    encoding="utf-8")
    copy_assets(tmp_path)
    result = docgen_cli("fonts", data)
    assert "堃" in result.stdout and "喆" in result.stdout and "fallback" in result.stdout


def test_render_prints_the_paths_it_wrote(tmp_path):
    result = docgen_cli("render", EXAMPLE, "--speech", SPEECH, "--format", "docx", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert [p.suffix for p in written] == [".docx"] and written[0].is_file()


def test_validate_summarises():
    result = docgen_cli("validate", EXAMPLE)
    assert result.returncode == 0 and "14 branches" in result.stdout


def test_usage_errors_exit_2(tmp_path):
    assert docgen_cli("render", EXAMPLE, "-o", tmp_path).returncode == 2  # neither --speech nor --template
    assert docgen_cli("render", EXAMPLE, "--speech", SPEECH, "--format", "odt", "-o", tmp_path).returncode == 2


BASE = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8")
UNDEFINED_TEMPLATE = '{% extends "speech/frame.md.j2" %}\n{% block body %}\n正文\n{{ meeting.nmae }}\n{% endblock %}\n'
BROKEN_TEMPLATE = '{% extends "speech/frame.md.j2" %}\n{% block body %}\n{% for x in branches %}\n{% endblock %}\n'


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


BAD_INPUTS = {
    # name: (campaign text, speech, user template, expected file, expected line, words in the message)
    "malformed yaml": (BASE.replace("  name: 全乡创先争优活动动员大会", "  name: [全乡创先争优活动动员大会"),
                       SPEECH, None, "campaign.yaml", None, "YAML syntax"),
    "duplicate key": (BASE.replace("  place: 乡政府三楼会议室", "  place: 乡政府三楼会议室\n  place: 二楼"),
                      SPEECH, None, "campaign.yaml", _line_of(BASE, "place: 乡政府三楼会议室") + 1, "duplicate key"),
    "missing field": (BASE.replace("  place: 乡政府三楼会议室\n", ""), SPEECH, None, "campaign.yaml",
                      _line_of(BASE, "meeting:"), "meeting.place: required field is missing"),
    "wrong type": (BASE.replace("member_count: 46", "member_count: 四十六"), SPEECH, None, "campaign.yaml",
                   _line_of(BASE, "member_count: 46"), "branches[0].member_count"),
    "bad date": (BASE.replace("date: 2010-06-18", "date: 2010-02-30"), SPEECH, None, "campaign.yaml",
                 _line_of(BASE, "date: 2010-06-18"), "meeting.date"),
    "unknown template": (BASE, "no-such-speech", None, None, None, "--speech 'no-such-speech': no such speech; the "
                                                                    "speeches: cxzy-mobilization,"),
    "undefined name": (BASE, "mine", UNDEFINED_TEMPLATE, "mine.md.j2", 4, "nmae"),
    "template syntax": (BASE, "mine", BROKEN_TEMPLATE, "mine.md.j2", 4, "template syntax"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_one_line_exit_1_and_writes_nothing(tmp_path, case):
    text, speech, template, file, line, words = BAD_INPUTS[case]
    data = tmp_path / "campaign.yaml"
    data.write_text(text, encoding="utf-8")
    copy_assets(tmp_path)
    args = ["render", data, "--speech", speech, "-o", tmp_path / "out"]
    if template:
        (tmp_path / "tpl" / "speeches").mkdir(parents=True)
        (tmp_path / "tpl" / "speeches" / "mine.md.j2").write_text(template, encoding="utf-8")
        args += ["--templates", tmp_path / "tpl"]
    result = docgen_cli(*args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    message = lines[0]
    assert words in message
    if file:
        assert file in message
    if line:
        assert f":{line}:" in message, message
    out = tmp_path / "out"
    assert not out.exists() or not any(out.iterdir())


def test_python_api_matches_the_cli(tmp_path):
    import docgen

    paths = docgen.render(EXAMPLE, speech=SPEECH, formats=("docx",), out=tmp_path)
    assert paths == [tmp_path / "在全乡创先争优活动动员大会上的讲话.docx"] and paths[0].stat().st_size > 10_000


def test_output_names_stay_inside_the_folder(tmp_path):
    from docgen.files.output import safe_stem

    for hostile in ("../../etc/x", "机关/后勤", "CON", "nul.txt", "a\\b", " .. ", "x" * 400, "a:b*c?"):
        stem = safe_stem(hostile)
        assert "/" not in stem and "\\" not in stem and ".." not in stem and stem
        assert len(stem.encode()) <= 200 and stem.upper() not in ("CON", "NUL.TXT")
    assert ROOT.exists()
