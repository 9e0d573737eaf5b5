"""Chinese messages: the catalog covers every message in the code, the compiled catalogs match their
.po files, the language follows the locale and --lang, click's help and errors are translated, and
pydantic's errors are told by their type code with the field's Chinese name."""

from __future__ import annotations

import gettext
import io
import os
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from docgen import i18n
from docgen.cli import main

from .cli import docgen_cli

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "docgen" / "locale"
EXAMPLE = ROOT / "examples" / "wadian"
DOMAINS = ("docgen", "click")


def _catalog(domain: str):
    with open(LOCALE / "zh_CN" / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        return read_po(handle)


def _code_messages() -> set[str | tuple[str, ...]]:
    """What `make messages` extracts: babel.cfg's methods (docgen's extractor, Jinja, JavaScript)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, comment_tags=("click:",), strip_comment_tags=True):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_every_message_in_the_code_has_a_chinese_translation():
    messages = _code_messages()
    assert len(messages) > 300
    catalog = _catalog("docgen")
    missing = []
    for message in sorted(messages, key=str):
        entry = catalog.get(message if isinstance(message, str) else message[0])
        strings = entry.string if entry else None
        if not entry or entry.fuzzy or not strings or not all(strings if isinstance(strings, tuple) else [strings]):
            missing.append(message)
    assert not missing, "untranslated (run `make messages`, translate, `make catalogs`):\n" + "\n".join(
        map(str, missing))


def test_translations_keep_their_placeholders():
    import re

    for domain in DOMAINS:
        for entry in _catalog(domain):
            if not entry.id or not entry.string:
                continue
            ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            wanted = set().union(*(re.findall(r"(?<!\{)\{(\w+)[^{}]*\}(?!\})", i) for i in ids))
            for text in strings:
                used = set(re.findall(r"(?<!\{)\{(\w+)[^{}]*\}(?!\})", text))
                extra = used - wanted - {"value"}  # {value}: the input, offered to every pydantic message
                assert not extra, f"{domain}: {entry.id!r} → {text!r} uses {extra}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_mo_is_compiled_from_the_po(domain):
    """The .mo files are committed (nothing to compile at install time, no Babel needed to run):
    this fails when a .po was edited without `make catalogs`."""
    buffer = io.BytesIO()
    write_mo(buffer, _catalog(domain))
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)._catalog  # type: ignore[attr-defined]
    with open(LOCALE / "zh_CN" / "LC_MESSAGES" / f"{domain}.mo", "rb") as handle:
        committed = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    assert committed == fresh, f"run `make catalogs`: {domain}.mo is older than {domain}.po"


@pytest.mark.parametrize(("value", "lang"), [
    ("zh_CN.UTF-8", "zh"), ("zh_CN", "zh"), ("zh-Hans-CN", "zh"), ("zh", "zh"), ("zh_TW.UTF-8", "zh"),
    ("en_US.UTF-8", "en"), ("C.UTF-8", "en"), ("C", "en"), ("POSIX", "en"), ("de_DE", "en"), ("zh_CN:en", "zh"),
])
def test_the_locale_decides(value, lang):
    assert i18n.from_environment({"LANG": value}) == lang
    assert i18n.from_environment({"LANG": "C.UTF-8", "LC_MESSAGES": value}) == lang


def test_the_locale_variables_in_gettexts_order():
    assert i18n.from_environment({}) == "en"
    assert i18n.from_environment({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}) == "en"
    assert i18n.from_environment({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN"}) == "zh"
    assert i18n.from_environment({"LANG": "zh_CN.UTF-8", "DOCGEN_LANG": "en"}) == "en"


@pytest.mark.parametrize(("header", "lang"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("en-US,en;q=0.9,zh-CN;q=0.8", "en"), ("zh-TW", "zh"),
    ("fr-FR,zh;q=0.5", "zh"), ("fr-FR", "en"), ("", "en"), (None, "en"), ("en;q=0.2,zh;q=0.9", "zh"),
])
def test_the_browser_decides(header, lang):
    assert i18n.from_accept_language(header) == lang


def _run(*args: str, lang: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in i18n.ENVIRONMENT}
    return docgen_cli(*args, cwd=ROOT, env={**env, "LANG": lang}, timeout=120)


def test_help_is_chinese_under_a_chinese_locale():
    result = _run("--help", lang="zh_CN.UTF-8")
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith("用法：") and "选项" in out and "命令" in out
    assert "把活动数据（YAML）生成符合 GB/T 9704 的公文" in out
    assert "显示本帮助后退出。" in out and "Show this message" not in out
    render = _run("render", "--help", lang="zh_CN.UTF-8").stdout
    assert "输出文件夹。" in render and "每页标注“草稿”" in render and "默认：docx,pdf" in render
    english = _run("--help", lang="C.UTF-8").stdout
    assert english.startswith("Usage:") and "Show this message and exit." in english


def test_every_command_and_option_has_chinese_help():
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, ["--lang", "zh", name, "--help"])
        assert result.exit_code == 0, result.output
        with i18n.using("en"):
            english = [p.help for p in command.params if getattr(p, "help", None)] + [command.help]
        shown = "".join(result.output.split())
        for text in english:
            assert "".join(i18n.translate_help(text).split()) in shown, (name, text)


def test_lang_overrides_the_locale_and_click_errors_follow():
    result = _run("--lang", "en", "validate", "nothere.yaml", lang="zh_CN.UTF-8")
    assert result.stderr == "error: nothere.yaml: no such file or folder\n"
    result = _run("--lang", "zh", "validate", "nothere.yaml", lang="C.UTF-8")
    assert result.stderr == "错误：nothere.yaml: 没有这个文件或文件夹\n"
    usage = _run("--lang", "zh", "render", "--bogus", lang="C.UTF-8")
    assert usage.returncode == 2
    assert "错误：没有选项 '--bogus'。" in usage.stderr and "用法：" in usage.stderr


def _validate_with(tmp_path: Path, old: str, new: str, lang: str) -> str:
    text = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "campaign.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "seal.png").write_bytes((EXAMPLE / "seal.png").read_bytes())
    result = CliRunner().invoke(main, ["--lang", lang, "validate", str(tmp_path / "campaign.yaml")])
    assert result.exit_code == 1
    return result.output.strip()


@pytest.mark.parametrize(("old", "new", "english", "chinese"), [
    ("date: 2010-06-18", "date: 2010-02-30",
     ":166: meeting.date: Input should be a valid date or datetime, day value is outside expected range",
     ":166: meeting.date（会议日期）：2010年2月30日不是有效日期"),
    ("member_count: 46", "member_count: 很多", "branches[0].member_count: Input should be a valid integer",
     "branches[0].member_count（党员人数）：“很多”不是整数"),
    ("member_count: 46", "member_count: -3", "Input should be greater than or equal to 1 (got -3)",
     "branches[0].member_count（党员人数）：应大于或等于 1（现为 -3）"),
    ("  place: 乡政府三楼会议室\n", "", "meeting.place: required field is missing; add `place:`",
     "meeting.place（会议地点）：缺少必填字段；请加上 `place:`"),
    ("  place: 乡政府三楼会议室", "  plase: 乡政府三楼会议室", "did you mean `place`?", "是不是 `place`？"),
    ("end: 2010-06-30", "end: 2010-05-30", "end 2010-05-30 is before start", "结束日期 2010-05-30 早于开始日期"),
    ("methods: [公开承诺, 领导点评, 双向述职, 群众评议, 评选表彰]", "methods: 公开承诺",
     "campaign.methods: Input should be a valid list", "campaign.methods（推进方法）：应为列表"),
])
def test_pydantic_errors_by_type_code(tmp_path, old, new, english, chinese):
    en = _validate_with(tmp_path, old, new, "en")
    assert en.startswith("error: ") and english in en and "\n" not in en
    zh = _validate_with(tmp_path, old, new, "zh")
    assert zh.startswith("错误：") and chinese in zh and "\n" not in zh


def test_chinese_field_names_come_from_the_schema():
    from docgen.schema import field_label

    assert field_label(("meeting", "date")) == "会议日期"
    assert field_label(("documents", "opinion", "number")) == "发文字号"
    assert field_label(("branches", 3, "members", 0, "deadline")) == "承诺完成时限"
    assert field_label(("campaign", "phases", 1)) is None  # an item: its list has the name


def test_progress_and_summary_lines_in_chinese(tmp_path):
    from docgen.batching.progress import Progress

    runner = CliRunner()
    with i18n.using("zh"):
        with runner.isolation() as (_out, err, *_rest):
            progress = Progress(2, "notice")
            progress.advance(2)
            progress.close()
        text = err.getvalue().decode()
    assert "notice：共 2 份文档" in text and "已完成 2/2" in text


@pytest.mark.parametrize(("text", "words"), [
    ("organization:\n  name: x\n\tshort_name: y\n", "制表符"),
    ("organization: a: b\n", "键: 值"),
    ("organization:\n  name: [a, b\nmeeting: 1\n", "方括号"),
])
def test_libyaml_problems_are_shown_in_chinese(tmp_path, text, words):
    """libyaml's fixed problem sentences are catalog messages (sources/yaml_problems.py): no English
    fragment in a Chinese line, the line number kept."""
    data = tmp_path / "campaign.yaml"
    data.write_text(text, encoding="utf-8")
    env = {**os.environ, "LANG": "zh_CN.UTF-8"}
    result = docgen_cli("validate", str(data), env=env)
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("错误：") and words in line, line
    assert not any(word in line for word in ("found", "did not", "mapping", "expected")), line


JINJA_FAULTS = [
    ("{% for b in x %}{{ b }}{% endblock %}", "未知的标签 `endblock`。此处应为`endfor`或`else`"),
    ("{% extends 'speech/frame.md.j2' %}{% block body %}{% for b in x %}{% endblock %}", "块的嵌套有误"),
    ("{% for b in x %}{{ b }}", "模板在块结束之前就结束了"),
    ("{% foo %}", "未知的标签 `foo`"),
    ("{{ x ", "`}}`"),
    ("{{ x y }}", "此处应为 `}}`，却是 `y`"),
    ("{{ x | nofilter }}", "没有名为 `nofilter` 的过滤器"),
    ("{{ x is notatest }}", "没有名为 `notatest` 的测试"),
    ("{% %}", "之后应有标签名"),
    ("{{ x ) }}", "多余的 `)`"),
    ("{{ [1) }}", "此处应为 `]`"),
    ("{{ 1 $ 2 }}", "多余的字符 `$`"),
    ("{% block a %}{% endblock %}{% block a %}{% endblock %}", "定义了两次"),
    ("{{ ''.__class__ }}", "模板中不得使用 `str` 值的 `__class__`"),
    ("{{ range(10 ** 7) | list | length }}", "`range()` 过大"),
    ("{{ 1 / 0 }}", "除数为零"),
    ("{{ 1 // 0 }}", "除数为零"),
    ("{{ 1 + 'a' }}", "无法计算"),
    ("{{ 'a' + 1 }}", "请用 `~` 连接"),
]


@pytest.mark.parametrize(("source", "words"), JINJA_FAULTS)
def test_jinja_s_problems_are_shown_in_chinese(tmp_path, source, words):
    """Jinja's, its sandbox's and Python's English sentences, as Jinja really words them, through the
    catalog (template_problems.py): no English left outside the code in backticks, the line kept."""
    import re

    from docgen import templating
    from docgen.errors import DocgenError

    folder = tmp_path / "speeches"
    folder.mkdir()
    (folder / "broken.md.j2").write_text(f"第一行\n{source}\n", encoding="utf-8")
    with i18n.using("zh"), pytest.raises(DocgenError) as caught:
        templating.render("speeches/broken.md.j2", {"x": [1]}, user_dirs=(str(tmp_path),))
    line = str(caught.value)
    assert words in line, line
    assert ":2" in line or "md.j2" in line, line
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"`[^`]*`|\S+\.md\.j2(:\d+)?", "", line)), line


def test_the_operating_system_s_reasons_are_translated_by_errno(tmp_path):
    """errno is a stable code (as pydantic's error types are): the English line keeps the C library's
    words, the Chinese one says it in Chinese (i18n.os_reason)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    command = ["render", ROOT / "examples" / "wadian", "--template", "opinion", "--format", "docx", "-o",
               blocker / "out"]
    english = docgen_cli(*command, env={**os.environ, "LANG": "C.UTF-8"})
    chinese = docgen_cli(*command, env={**os.environ, "LANG": "zh_CN.UTF-8"})
    assert english.returncode == chinese.returncode == 1
    assert "Not a directory" in english.stderr
    assert "路径中有一段不是文件夹" in chinese.stderr and "Not a directory" not in chinese.stderr


def test_no_error_message_is_written_without_the_catalog():
    """The coverage test sees only messages marked with _(); an error raised with a bare string literal
    would never reach the catalog (merges brought in several), so none may be."""
    import re

    bare = re.compile(r'(DocgenError|UsageError|BadParameter)\(\s*f?["\']')
    found = [f"{path.relative_to(ROOT)}:{number}" for path in (ROOT / "src" / "docgen").rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert found == []
