"""A Babel extractor for docgen's Python: ``_()``/``N_()``/``ngettext()`` as usual, plus click's help.

Why: click takes a command's help from its docstring and an option's from ``help="…"``; Babel's
Python extractor sees neither (they are not gettext calls). This one adds them, in the form click
shows them (``inspect.cleandoc``), so ``pybabel extract -F babel.cfg`` finds every message a user
reads and the catalog-coverage test (tests/test_i18n.py) can hold the catalog to the code. Used only
when extracting (it needs Babel, a development tool); docgen itself never imports it.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from typing import Any


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: dict) -> Iterator[tuple]:
    """Babel's extraction method signature: (lineno, funcname, message, comments) tuples."""
    from babel.messages.extract import extract_python

    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    encoding = options.get("encoding", "utf-8")
    text = source.decode(encoding) if isinstance(source, bytes) else source
    yield from _click_help(ast.parse(text))


def _click_help(tree: ast.AST) -> Iterator[tuple]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(_is_command(d) for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.lineno, None, inspect.cleandoc(doc), ["click: command help"]
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "help" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value.lineno, None, inspect.cleandoc(value.value), ["click: option help"]


def _is_command(decorator: ast.expr) -> bool:
    """``@main.command(…)``, ``@click.command``, ``@click.group(…)``."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in ("command", "group")
