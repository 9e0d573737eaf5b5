"""A Markdown template's names checked against the schema before any document is made.

Jinja stops at the first undefined name, and only when it renders that line with data: a speech
holding ``{{ meeting.nmae }}`` passed `docgen validate` and failed at `render`. The Word engine
already reads every expression statically and follows each name through the schema's types
(``wordtemplate/names.py``); this module runs the same checker over a Markdown template's syntax
tree, adding only what Markdown templates have and Word templates do not: macros and their
arguments, ``{% call %}`` blocks, imports, ``self``/``super()``, the names a parent template
(``{% extends %}``) sets at its top level, and a record name the template only uses after asking
``member is defined`` (a 承诺书 made for a branch or for a member).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from docgen import templating
from docgen.errors import DocgenError, SourceSpot
from docgen.wordtemplate import names as name_check

ALWAYS = ("self", "super", "caller", "varargs", "kwargs")


WORD_ONLY = ("seal", "document", "docgen_picture")  # what a Word template sees and a Markdown one does not


class MarkdownNameCheck(name_check.NameCheck):
    """``NameCheck`` with Jinja's template-level statements: the names they bind are known, not guessed.
    ``known``: names bound for the whole template (its macros, imports, its parents' ``set``s, ``self``…),
    accepted wherever they are used and left out of the "data's names" a message lists."""

    def __init__(self, env: jinja2.Environment, scope: dict[str, Any], usage: str, known: set[str]) -> None:
        super().__init__(env, scope, usage)
        self.known = known

    def expr(self, node: nodes.Node, scope: dict[str, Any], quiet: bool = False) -> Any:
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in scope and node.name in self.known:
            return name_check.ANY
        return super().expr(node, scope, quiet)

    def stmt(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = {**scope, **{arg.name: name_check.ANY for arg in node.args}}
            for default in node.defaults:
                self.expr(default, scope)
            if isinstance(node, nodes.CallBlock):
                self.expr(node.call, scope)
            for child in node.body:
                self.stmt(child, inner)
        elif isinstance(node, nodes.Import):
            scope[node.target] = name_check.ANY
        elif isinstance(node, nodes.FromImport):
            for item in node.names:
                scope[item[1] if isinstance(item, tuple) else item] = name_check.ANY
        else:
            super().stmt(node, scope)


def _bound_at_top(tree: nodes.Template) -> set[str]:
    """Names a template binds for the whole of itself: its macros, imports and top-level ``set``s."""
    found = {macro.name for macro in tree.find_all(nodes.Macro)}
    for node in tree.body:
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            found.update(name.name for name in node.target.find_all(nodes.Name)) if not isinstance(
                node.target, nodes.Name) else found.add(node.target.name)
        elif isinstance(node, nodes.Import):
            found.add(node.target)
        elif isinstance(node, nodes.FromImport):
            found.update(item[1] if isinstance(item, tuple) else item for item in node.names)
    return found


def _parents(env: jinja2.Environment, tree: nodes.Template) -> set[str]:
    """What the templates this one extends bind at their top level (a child's blocks run in their context)."""
    found: set[str] = set()
    seen: set[str] = set()
    while True:
        extends = next(iter(tree.find_all(nodes.Extends)), None)
        if extends is None or not isinstance(extends.template, nodes.Const):
            return found
        parent = str(extends.template.value)
        if parent in seen:
            return found
        seen.add(parent)
        try:
            source, filename, _uptodate = env.loader.get_source(env, parent)
            tree = env.parse(source, parent, filename)
        except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
            return found
        found |= _bound_at_top(tree)


def faults(name: str, user_dirs: tuple[str, ...] = (), each: str | None = None) -> list[DocgenError]:
    """Every unknown name, field, filter or test of the template, each at its line; [] when all are known.
    ``each``: the list it is made once per record of (default: its `docgen-each` comment, else the lists
    its record names point at)."""
    env = templating.environment(tuple(str(d) for d in user_dirs))
    try:
        source, filename, _uptodate = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return []  # `templating.known` and rendering name a missing template, with the ones there are
    try:
        tree = env.parse(source, name, filename)
    except jinja2.TemplateSyntaxError:
        return []  # rendering names the syntax fault, with its line, in its own words
    known = {*ALWAYS, *_bound_at_top(tree), *_parents(env, tree)}
    scope = {key: kind for key, kind in name_check.campaign_scope().items() if key not in WORD_ONLY}
    each = each or templating.markers(name, tuple(str(d) for d in user_dirs)).each
    if not each:
        probe = MarkdownNameCheck(env, dict(scope), "", known)
        probe.run(tree)
        each = max(probe.needs_each, key=len, default="")
    if each:
        scope = {**scope, **name_check.record_scope(each)}
    records = name_check.record_names()
    for probe in tree.find_all(nodes.Test):  # `member is defined`: a template made for branches or members
        if probe.name in ("defined", "undefined") and isinstance(probe.node, nodes.Name):
            scope.setdefault(probe.node.name, records.get(probe.node.name, ("", name_check.ANY))[1])
    usage = f"docgen batch DATA --template {Path(name).parent.name or name}"
    problems = MarkdownNameCheck(env, scope, usage, known).run(tree)
    shown = templating._show(filename)
    unique = dict.fromkeys((problem.lineno, problem.message) for problem in problems)
    return [DocgenError(message, SourceSpot(shown, line)) for line, message in sorted(unique)]


def file_faults(path: str | Path, user_dirs: tuple[str, ...] = (), each: str | None = None) -> list[DocgenError]:
    """``faults`` of a template file given by its path (`docgen template-check speeches/mine.md.j2`)."""
    file = Path(path)
    return faults(file.name, (*user_dirs, str(file.resolve().parent)), each)
