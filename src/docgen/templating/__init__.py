"""The Jinja environment: where templates are found, the Chinese filters, and the escaping policy.

- Sandboxed (ImmutableSandboxedEnvironment, ``sandbox.Sandbox``: huge powers and repetitions refused):
  user templates cannot reach Python internals, and compiling and rendering share the time limit.
- StrictUndefined: a misspelt name is an error naming the template line, not a silent blank.
- Every printed value passes ``finalize``, which escapes it for Markdown, so data can never add a
  heading, a list or a table; a template that means to emit markup wraps it in ``Markup``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SecurityError
from markupsafe import Markup

from docgen import zh
from docgen.errors import DocgenError, SourceSpot
from docgen.i18n import _
from docgen.markup import escape_text
from docgen.resources import builtin_dir
from docgen.templating import compose
from docgen.templating.problems import problem_text
from docgen.templating.sandbox import Sandbox

TEMPLATE_SUFFIX = ".md.j2"
_DESCRIPTION = re.compile(r"\{#-?\s*docgen:\s*(.+?)\s*-?#\}")
_MARKER = re.compile(r"\{#-?\s*docgen-(campaign|each|needs):\s*(.+?)\s*-?#\}")


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return escape_text(value)


def required(value: Any, name: str) -> Any:
    """``{{ meeting.time | required("meeting.time") }}``: a template says which optional data it needs."""
    if value is None or value == "" or value == []:
        raise ValueError(_("this template needs `{name}` in the campaign data; add it").format(name=name))
    return value


def to_front_matter(value: Any) -> Markup:
    """``tojson`` for front matter: JSON is YAML, but Jinja's tojson writes non-BMP characters as
    surrogate pairs (\\ud83c\\udf89), which YAML decodes one by one into invalid text. So: real
    characters, with only YAML's line separators escaped."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    for char in ("\x85", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


FILTERS = {
    "tojson": to_front_matter,
    "required": required,
    "weekday": zh.weekday,
    "zh_num": zh.numeral,
    "zh_count": lambda n: zh.numeral(n, counting=True),
    "ordinal": zh.ordinal,
    "date_ar": zh.date_arabic,
    "date_zh": zh.date_chinese,
    "year_month": zh.year_month,
    "join_zh": zh.join,
    "with_post": zh.with_post,
    "date_range": zh.date_range,
    "own_organ": zh.own_organ,
    "act": compose.act,
    "drop_lead": compose.drop_lead,
    "spirit": compose.spirit,
    "thought": compose.thought,
    "own_voice": compose.own_voice,
    "each_of": compose.each_of,
    "quoted": compose.quoted,
    "stage_word": compose.stage_word,
    "list_zh": compose.list_zh,
    "without_counts": compose.without_counts,
}


@lru_cache(maxsize=16)
def environment(user_dirs: tuple[str, ...] = ()) -> jinja2.Environment:
    """One environment per set of folders, built once per process (batch workers reuse it)."""
    loaders: list[jinja2.BaseLoader] = [
        jinja2.FileSystemLoader(str(builtin_dir("templates"))),
        jinja2.PrefixLoader({"speeches": jinja2.FileSystemLoader(str(builtin_dir("speeches")))}),
    ]
    loaders += [jinja2.FileSystemLoader(d) for d in user_dirs]
    env = Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def speech_name(name: str) -> str:
    return name if name.endswith(TEMPLATE_SUFFIX) else f"speeches/{name}{TEMPLATE_SUFFIX}"


def template_name(name: str) -> str:
    """``--template notice`` means the kind's main template; a path ending in .md.j2 is taken as is."""
    return name if name.endswith(TEMPLATE_SUFFIX) else f"{name}/main{TEMPLATE_SUFFIX}"


MAX_OUTPUT_CHARS = 10_000_000  # a 公文 is tens of kilobytes; a template that writes more is looping


class _TooLong(Exception):
    """A template ran out of its time budget (raised from the SIGALRM handler)."""


def _time_budget() -> float:
    return float(os.environ.get("DOCGEN_TEMPLATE_SECONDS", "60"))


@contextmanager
def _bounded_time(seconds: float):
    """Interrupt a template that loops for longer than ``seconds`` (main thread only: signals)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame):
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _bounded_render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render in chunks so a runaway template stops at MAX_OUTPUT_CHARS instead of filling memory."""
    parts: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise DocgenError(
                _("template output passed {MAX_OUTPUT_CHARS} million characters; a loop runs away").format(
                    MAX_OUTPUT_CHARS=MAX_OUTPUT_CHARS // 1_000_000),
                SourceSpot(_show(template.filename)),
            )
        parts.append(chunk)
    return "".join(parts)


def render(name: str, context: dict[str, Any], user_dirs: Sequence[str] = ()) -> str:
    """Render a template to Markdown text; any template fault becomes a DocgenError at its line."""
    env = environment(tuple(str(d) for d in user_dirs))
    budget = _time_budget()
    template: jinja2.Template | None = None
    try:
        with _bounded_time(budget):  # compiling too: Jinja computes constant expressions then
            template = env.get_template(name)
            return _bounded_render(template, context)
    except _TooLong:
        raise DocgenError(
            _("template ran longer than {budget:g} s (a loop that never ends?); DOCGEN_TEMPLATE_SECONDS sets the "
              "limit").format(
                budget=budget),
            SourceSpot(_show(template.filename if template else name)),
        ) from None
    except RecursionError:
        raise DocgenError(
            _("template recursion too deep (a macro or include that calls itself?)"),
            SourceSpot(_show(template.filename if template else name)),
        ) from None
    except jinja2.TemplateNotFound as exc:
        known = ", ".join(t.name for t in list_templates(user_dirs)) or "none"
        raise DocgenError(_("no template '{name}' (available: {known}; see `docgen templates`)").format(
            name=exc.name, known=known)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise DocgenError(_("template syntax: {message}").format(
            message=problem_text(exc.message or "")), SourceSpot(_show(exc.filename), exc.lineno)) from None
    except SecurityError as exc:
        raise DocgenError(_("refused by the template sandbox: {exc}").format(
            exc=problem_text(str(exc))), _template_spot(exc)) from None
    except jinja2.UndefinedError as exc:
        raise DocgenError(_explain_undefined(exc.message or str(exc)), _template_spot(exc)) from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise DocgenError(_("template error: {exc}").format(exc=problem_text(str(exc))), _template_spot(exc)) from None


_NO_ATTRIBUTE = re.compile(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']+)'")


def _explain_undefined(message: str) -> str:
    """Name the data record and the nearest field, not Python's class path."""
    import difflib

    from docgen import schema

    match = _NO_ATTRIBUTE.search(message)
    model = getattr(schema, match.group(1), None) if match else None
    if match and isinstance(model, type) and issubclass(model, schema.Model):
        fields = list(model.model_fields)
        guess = difflib.get_close_matches(match.group(2), fields, n=1)
        hint = _("did you mean `{guess}`? ").format(guess=guess[0]) if guess else ""
        return _("{model} has no field `{field}`; {hint}its fields: {fields}").format(
            model=match.group(1), field=match.group(2), hint=hint, fields=", ".join(fields))
    undefined = re.match(r"'(\w+)' is undefined", message)
    if undefined:
        names = [*schema.Campaign.model_fields, "data"]
        guess = difflib.get_close_matches(undefined.group(1), names, n=1)
        hint = _("did you mean `{guess}`? ").format(guess=guess[0]) if guess else ""
        return _("`{name}` is not defined; {hint}the data's names: {names}").format(
            name=undefined.group(1), hint=hint, names=", ".join(names))
    return _("{message}; check the name against the data").format(message=message)


def _show(filename: str | None) -> str:
    if not filename:
        return "<template>"
    try:
        return str(Path(filename).resolve().relative_to(Path.cwd()))
    except ValueError:
        return filename


def _template_spot(exc: BaseException) -> SourceSpot | None:
    """Jinja rewrites tracebacks so template frames carry the template's file and line; take the last."""
    spot = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            spot = SourceSpot(_show(filename), tb.tb_lineno)
        tb = tb.tb_next
    return spot


@dataclass(frozen=True)
class TemplateInfo:
    name: str  # what --speech / --template takes
    option: str  # "--speech" or "--template"
    description: str
    path: Path
    campaign: str = ""  # a speech written for one campaign says so: {# docgen-campaign: 创先争优活动 #}


def list_templates(user_dirs: Sequence[str] = ()) -> list[TemplateInfo]:
    """Every renderable template: kinds (folders with main.md.j2) and speeches, with descriptions."""
    found: list[TemplateInfo] = []
    roots = [builtin_dir("templates"), *[Path(d) for d in user_dirs]]
    for root in roots:
        for main in sorted(root.glob(f"*/main{TEMPLATE_SUFFIX}")):
            found.append(TemplateInfo(main.parent.name, "--template", describe(main), main, written_for(main)))
    for root in [builtin_dir("speeches"), *[Path(d) / "speeches" for d in user_dirs]]:
        for path in sorted(root.glob(f"*{TEMPLATE_SUFFIX}")):
            name = path.name.removesuffix(TEMPLATE_SUFFIX)
            found.append(TemplateInfo(name, "--speech", describe(path), path, written_for(path)))
    return found


def known(name: str, option: str, asked: str, user_dirs: Sequence[str] = ()) -> str:
    """``name`` when a template has it; else one error naming the nearest of the templates ``option`` takes
    (``--template notise`` → notice; the speeches are not offered for --template, nor the kinds for --speech)."""
    env = environment(tuple(str(d) for d in user_dirs))
    try:
        env.loader.get_source(env, name)
        return name
    except jinja2.TemplateNotFound:
        pass
    import difflib

    names = [info.name for info in list_templates(user_dirs) if info.option == option]
    near = difflib.get_close_matches(asked, names, n=1, cutoff=0.6)
    hint = _("did you mean '{near}'? ").format(near=near[0]) if near else ""
    if option == "--speech":
        message = _("{option} '{asked}': no such speech; {hint}the speeches: {names} (`docgen templates` says what "
                    "each is for)")
    else:
        message = _("{option} '{asked}': no such document kind or template; {hint}the kinds: {names} (`docgen "
                    "templates` says what each is for)")
    raise DocgenError(message.format(option=option, asked=asked, hint=hint, names=", ".join(names)))


def frames() -> list[TemplateInfo]:
    """The frames content extends (speech, …): listed so authors know what to extend."""
    root = builtin_dir("templates")
    return [
        TemplateInfo(p.parent.name, "extends", describe(p), p) for p in sorted(root.glob(f"*/frame{TEMPLATE_SUFFIX}"))
    ]


def _head(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        return handle.read(1000)


def describe(path: Path) -> str:
    """The one-line description a template declares in a leading ``{# docgen: … #}`` comment."""
    match = _DESCRIPTION.search(_head(path))
    return match.group(1) if match else ""


def _markers(head: str) -> dict[str, str]:
    return {key: value for key, value in _MARKER.findall(head)}


def written_for(path: Path) -> str:
    """The campaign a template was written for (``{# docgen-campaign: … #}``), or "" for any campaign."""
    return _markers(_head(path)).get("campaign", "")


@dataclass(frozen=True)
class Markers:
    """What a template declares in its leading comments, besides its description.

    ``docgen-campaign``: the one campaign whose words it holds; ``docgen-each``: the list it is made
    once per record of (notice: branches); ``docgen-needs``: the optional data it cannot do without.
    """

    campaign: str = ""
    each: str = ""
    needs: tuple[str, ...] = ()


@lru_cache(maxsize=64)
def markers(name: str, user_dirs: tuple[str, ...] = ()) -> Markers:
    """The markers of the named template (none when it cannot be found: rendering will say so)."""
    env = environment(user_dirs)
    try:
        source = env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        return Markers()
    found = _markers(source[:1000])
    needs = tuple(n.strip() for n in found.get("needs", "").split(",") if n.strip())
    return Markers(found.get("campaign", ""), found.get("each", ""), needs)
