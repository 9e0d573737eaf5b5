"""Messages in the user's language: English in the code, Chinese from a gettext catalog in the package.

The people who make these documents read Chinese, so every message a user meets (errors, warnings,
findings, progress, `--help`, the web page) is written in English in the code, marked with ``_()``
(or ``N_()`` where it is only named, translated where shown), and looked up in
``locale/zh_CN/LC_MESSAGES/docgen.mo`` — Python's own ``gettext``, so nothing to install at run
time; Babel extracts and compiles the catalogs (README: "Adding a language"). Click's own words
("Usage:", "Error: No such option") come from a second catalog, ``click.mo``, patched into click's
modules by ``install_click()``.

The language is chosen once per run: ``--lang`` (``use()``), else ``DOCGEN_LANG``, else the locale
variables in gettext's order (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``): ``zh…`` gives
Chinese, anything else English. The web page chooses per request (``using()``, a context variable)
from its switch or the browser's ``Accept-Language``. Messages are translated when they are made, so a
batch worker (forked from the CLI) speaks the language of the run that started it.
"""

from __future__ import annotations

import errno
import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "zh")  # what --lang takes; zh is the zh_CN catalog
DOMAIN = "docgen"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_CATALOG = {"zh": "zh_CN"}  # a language → its catalog folder under locale/
ENVIRONMENT = ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_chosen: str | None = None  # --lang, for the whole run
_request: ContextVar[str | None] = ContextVar("docgen_lang", default=None)  # one web request


def normalize(value: str | None) -> str | None:
    """``zh``, ``zh_CN.UTF-8``, ``zh-Hans-CN``, ``zh-TW`` → zh; any other language → en; nothing → None."""
    if not value:
        return None
    first = value.split(":")[0].strip().lower().replace("-", "_")
    if not first:
        return None
    return "zh" if first == "zh" or first.startswith("zh_") or first.startswith("chinese") else "en"


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """DOCGEN_LANG, then the first locale variable set (as gettext reads them): zh… → zh, else en."""
    environ = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        chosen = normalize(environ.get(name))
        if chosen:
            return chosen
    return "en"


def from_accept_language(header: str | None, default: str = "en") -> str:
    """The browser's first language docgen has (``zh-CN,zh;q=0.9,en;q=0.8`` → zh)."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag))
    for _q, _p, tag in sorted(ranked):
        lang = tag.lower().replace("-", "_")
        if lang == "zh" or lang.startswith("zh_"):
            return "zh"
        if lang == "en" or lang.startswith("en_"):
            return "en"
    return default


def use(lang: str | None) -> None:
    """Choose the language of this run (``--lang``); None goes back to the environment's."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: one of {', '.join(LANGUAGES)}")
    _chosen = lang


def current() -> str:
    return _request.get() or _chosen or from_environment()


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the block (one web request, one test), whatever the run's language."""
    token = _request.set(lang if lang in LANGUAGES else "en")
    try:
        yield
    finally:
        _request.reset(token)


@cache
def translations(lang: str, domain: str = DOMAIN) -> _gettext.NullTranslations:
    folder = _CATALOG.get(lang)
    if folder is None:
        return _gettext.NullTranslations()
    return _gettext.translation(domain, LOCALE_DIR, languages=[folder], fallback=True)


def gettext(message: str) -> str:
    """``message`` in the current language (the English text itself when there is no translation)."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 — gettext's conventional name for "mark only"
    """Mark a message for the catalog without translating it here (it is translated where shown)."""
    return message


def is_chinese() -> bool:
    return current() == "zh"


# ---- click -----------------------------------------------------------------------------------------

_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils",
                  "shell_completion")


def _click_gettext(message: str) -> str:
    return translations(current(), "click").gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current(), "click").ngettext(singular, plural, n)


def install_click() -> None:
    """Let click's own words ("Usage:", "Error: No such option") follow docgen's language.

    Click marks them for gettext but looks them up in gettext's global domain; its modules each
    import ``gettext as _``, so those names are pointed at docgen's ``click`` catalog instead.
    """
    import importlib

    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover — a click without that module
            continue
        if hasattr(module, "_"):
            module._ = _click_gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext


def translate_help(text: str | None) -> str | None:
    """A command's or option's help in the current language: docgen's catalog, then click's."""
    if not text:
        return text
    import inspect

    key = inspect.cleandoc(text)
    found = gettext(key)
    if found == key:
        found = _click_gettext(key)
    return found


# The operating system's reasons, by errno (a stable code, as pydantic's error types are): the English is
# the C library's own strerror text, so English lines do not change; other languages translate it.
_OS_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EEXIST: N_("File exists"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EIO: N_("Input/output error"),
    errno.EADDRINUSE: N_("Address already in use"),
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in the current language (its own words when not translated)."""
    if exc.errno in _OS_REASONS and current() != "en":
        return gettext(_OS_REASONS[exc.errno])
    return exc.strerror or str(exc)
