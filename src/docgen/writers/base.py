"""What every writer shares: the result it returns, and dispatch through a table of rules.

As markdown-it-py's renderer keeps ``rules[token.type]``, each writer maps every node type of the
model to one method. A node with no rule is an error, never silently left out of the file; the
tests walk ``model.NODE_TYPES`` and fail if a writer lacks a rule for one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rendered:
    """A written document: its bytes, and its page count where the format knows it (PDF)."""

    data: bytes
    pages: int | None = None


class UnknownNode(TypeError):
    """A node type a writer has no rule for: a bug in docgen, never a user's mistake."""


class RuleTable:
    """Dispatch each node to ``rules()[type(node)]``; subclasses return one rule per node type."""

    def rules(self) -> dict[type, Callable[[Any], Any]]:
        raise NotImplementedError

    def rule_for(self, node: object) -> Callable[[Any], Any]:
        table = self.__dict__.get("_rule_cache")
        if table is None:
            table = self.__dict__["_rule_cache"] = self.rules()
        try:
            return table[type(node)]
        except KeyError:
            raise UnknownNode(f"{type(self).__name__} has no rule for {type(node).__name__}") from None

    def render_nodes(self, nodes: Iterable[object]) -> list[Any]:
        return [self.rule_for(node)(node) for node in nodes]
