"""The names a template uses, checked against the campaign schema before any document is made.

Jinja stops at the first undefined name; an office that misspelt three names would fix them one
run at a time. So every expression of a Word template is read once, statically: each name is
followed through the schema's types (``meeting`` is a Meeting, ``branch.members`` a list of
Member, so a loop's ``m`` is a Member) and every field that does not exist is reported, with the
nearest one, in one run. Where the type is not known (a value ``set`` from a filter, the
``extra`` columns of a roster) nothing is guessed and nothing reported; ``x | default(…)`` and
``x is defined`` are allowed to probe.
"""

from __future__ import annotations

import difflib
import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from docgen import schema
from docgen.i18n import _

ANY: Any = object()  # a type not known statically: nothing below it is checked

LIST_FILTERS = {"sort", "reverse", "unique", "list", "selectattr", "rejectattr", "select", "reject", "batch"}
ITEM_FILTERS = {"first", "last", "random", "min", "max"}


def unwrap(kind: Any) -> Any:
    """``Annotated[str, …]`` → str, ``X | None`` → X, anything else as it is."""
    origin = get_origin(kind)
    if origin is Annotated:
        return unwrap(get_args(kind)[0])
    if origin in (Union, types.UnionType):
        rest = [arg for arg in get_args(kind) if arg is not type(None)]
        return unwrap(rest[0]) if len(rest) == 1 else ANY
    return kind


def element_of(kind: Any) -> Any:
    """What a ``for`` over a value of this type gives."""
    origin = get_origin(kind)
    if origin is list:
        return unwrap(get_args(kind)[0])
    if origin is dict:
        return str
    return ANY


def is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def record_names() -> dict[str, tuple[str, Any]]:
    """Names a batch record brings (``branch`` → (``branches``, Branch), ``member`` → …), from the schema."""
    from docgen.batching.records import singular

    found: dict[str, tuple[str, Any]] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            kind = unwrap(info.annotation)
            item = element_of(kind) if get_origin(kind) is list else None
            if is_model(item):
                path = f"{prefix}{name}"
                found.setdefault(singular(name), (path, item))
                walk(item, f"{path}[*].")

    for name, info in schema.Campaign.model_fields.items():
        kind = unwrap(info.annotation)
        item = element_of(kind) if get_origin(kind) is list else None
        if is_model(item):
            found.setdefault(singular(name), (name, item))
            walk(item, f"{name}[*].")
    return found


def record_scope(each: str) -> dict[str, Any]:
    """The names and types a record of ``--each`` brings: its singular (and its parents'), record, index."""
    from docgen.batching.records import parse_each, singular

    scope: dict[str, Any] = {"index": int}
    model: Any = schema.Campaign
    for name, _star in parse_each(each):
        if not is_model(model) or name not in model.model_fields:
            return {**scope, "record": ANY}
        model = element_of(unwrap(model.model_fields[name].annotation))
        scope[singular(name)] = model
    scope["record"] = model
    return scope


def campaign_scope() -> dict[str, Any]:
    """What every template sees: the campaign's top-level keys, ``data``, ``draft``; a Word template
    also sees ``seal`` (the image path) and ``document`` (its ``documents.<key>``)."""
    scope = {name: unwrap(info.annotation) for name, info in schema.Campaign.model_fields.items()}
    return {**scope, "data": schema.Campaign, "draft": str, "seal": str, "document": schema.OfficialDocument,
            "docgen_picture": ANY}


@dataclass
class Problem:
    lineno: int
    message: str


class NameCheck:
    """Walks a template's AST with the types in scope; collects one Problem per unknown name or field."""

    def __init__(self, env: jinja2.Environment, scope: dict[str, Any], usage: str) -> None:
        self.env = env
        self.scope = scope
        self.usage = usage  # how to make the template once per record: "docgen batch DATA --template T"
        self.records = record_names()
        self.problems: list[Problem] = []
        self.needs_each: set[str] = set()

    def run(self, tree: nodes.Template) -> list[Problem]:
        scope = dict(self.scope)
        for node in tree.body:
            self.stmt(node, scope)
        return self.problems

    # statements ---------------------------------------------------------------------------------

    def stmt(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            items = self.expr(node.iter, scope)
            inner = {**scope, "loop": ANY}
            self.bind(node.target, element_of(items) if items is not ANY else ANY, inner)
            if node.test is not None:
                self.expr(node.test, inner)
            for child in node.body:
                self.stmt(child, inner)
            for child in node.else_:
                self.stmt(child, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            for child in node.body:
                self.stmt(child, scope)
            for child in node.elif_:
                self.stmt(child, scope)
            for child in node.else_:
                self.stmt(child, scope)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self.bind(target, self.expr(value, scope), inner)
            for child in node.body:
                self.stmt(child, inner)
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expr(child, scope)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expr(child, scope)
                else:
                    self.stmt(child, scope)

    def bind(self, target: nodes.Node, kind: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = kind
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, scope)
        elif isinstance(target, nodes.NSRef):
            pass

    # expressions --------------------------------------------------------------------------------

    def expr(self, node: nodes.Node, scope: dict[str, Any], quiet: bool = False) -> Any:
        if isinstance(node, nodes.Name):
            if node.ctx != "load":
                return ANY
            if node.name in scope:
                return scope[node.name]
            if node.name in self.env.globals:
                return ANY
            if not quiet:
                self.undefined(node)
            return ANY
        if isinstance(node, nodes.Getattr):
            return self.attribute(node, self.expr(node.node, scope, quiet), node.attr, quiet)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope, quiet)
            self.expr(node.arg, scope, quiet)
            key = node.arg.value if isinstance(node.arg, nodes.Const) else None
            if isinstance(key, str) and is_model(base):
                return self.attribute(node, base, key, quiet)
            origin = get_origin(base)
            if origin is dict:
                return unwrap(get_args(base)[1])
            if origin is list and isinstance(key, int):
                return element_of(base)
            return ANY
        if isinstance(node, nodes.Filter):
            probe = quiet or node.name in ("default", "d")
            base = self.expr(node.node, scope, probe) if node.node is not None else ANY
            self.arguments(node, scope, quiet)
            if node.name not in self.env.filters:
                self.unknown(node, "filter", node.name, self.env.filters)
            if node.name in LIST_FILTERS:
                return base
            if node.name in ITEM_FILTERS:
                return element_of(base)
            return ANY
        if isinstance(node, nodes.Test):
            probe = quiet or node.name in ("defined", "undefined", "none")
            self.expr(node.node, scope, probe)
            self.arguments(node, scope, quiet)
            if node.name not in self.env.tests:
                self.unknown(node, "test", node.name, self.env.tests)
            return bool
        if isinstance(node, nodes.Call):
            self.expr(node.node, scope, quiet)
            self.arguments(node, scope, quiet)
            return ANY
        for child in node.iter_child_nodes():
            self.expr(child, scope, quiet)
        if isinstance(node, nodes.Const):
            return type(node.value)
        return ANY

    def arguments(self, node: nodes.Filter | nodes.Test | nodes.Call, scope: dict[str, Any], quiet: bool) -> None:
        for arg in node.args:
            self.expr(arg, scope, quiet)
        for keyword in node.kwargs:
            self.expr(keyword.value, scope, quiet)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.expr(extra, scope, quiet)

    def attribute(self, node: nodes.Node, base: Any, name: str, quiet: bool) -> Any:
        if not is_model(base):
            return ANY
        if name in base.model_fields:
            return unwrap(base.model_fields[name].annotation)
        if hasattr(base, name):
            return ANY
        if not quiet:
            fields = list(base.model_fields)
            guess = difflib.get_close_matches(name, fields, n=1)
            hint = _("did you mean `{guess}`?").format(
                guess=guess[0]) if guess else _("its fields: {fields}").format(fields=', '.join(fields))
            self.problems.append(Problem(node.lineno, _("{name} has no field `{name2}`; {hint}").format(
                name=base.__name__, name2=name, hint=hint)))
        return ANY

    def undefined(self, node: nodes.Name) -> None:
        if node.name in self.records:
            path, _item = self.records[node.name]
            self.needs_each.add(path)
            self.problems.append(Problem(node.lineno, (
                _("`{name}` is one record of `{path}`: this template is made once per {name}, with `{usage} --each "
                  "{path}`").format(name=node.name, path=path, usage=self.usage))))
            return
        names = [n for n in self.scope if n != "docgen_picture"]
        guess = difflib.get_close_matches(node.name, names, n=1)
        hint = _("did you mean `{guess}`? ").format(guess=guess[0]) if guess else ""
        self.problems.append(Problem(node.lineno, _("`{name}` is not defined; {hint}the data's names: {names}").format(
            name=node.name, hint=hint, names=', '.join(names))))

    def unknown(self, node: nodes.Node, what: str, name: str, known: dict[str, Any]) -> None:
        guess = difflib.get_close_matches(name, list(known), n=1)
        hint = _("did you mean `{guess}`?").format(
            guess=guess[0]) if guess else _("docgen's filters: {filters}").format(filters=", ".join(_DOCGEN_FILTERS))
        message = _("no filter `{name}`; {hint}") if what == "filter" else _("no test `{name}`; {hint}")
        self.problems.append(Problem(node.lineno, message.format(name=name, hint=hint)))


_DOCGEN_FILTERS = ("zh_num", "zh_count", "ordinal", "date_ar", "date_zh", "weekday", "join_zh", "with_post", "required",
                   "paragraphs")
