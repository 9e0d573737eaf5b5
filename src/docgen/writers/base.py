"""What every writer shares: the result it returns, and dispatch through a table of rules.

As markdown-it-py's renderer keeps ``rules[token.type]``, each writer maps every node type of the
model to one method. A node with no rule is an error, never silently left out of the file; the
tests walk ``model.NODE_TYPES`` and fail if a writer lacks a rule for one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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


@dataclass(frozen=True)
class SignatureRuns:
    """How both writers carry body text along with the 署名 (GB/T 9704: no signature on a page without
    body text): ``keep``, the nodes kept on a page with what follows them (the last body block before
    the signature, and the 附件说明 between), ``keep_all``, those of them kept whole (the 附件说明);
    ``fit_end``, the nodes before this index are set at ``fit`` times the grid's line pitch."""

    keep: frozenset[int] = frozenset()
    keep_all: frozenset[int] = frozenset()
    fit_end: int = 0
    fit: float = 1.0


def signature_runs(nodes: Sequence[object]) -> SignatureRuns:
    """The runs of the main body's signature (the first 署名 outside the attachments)."""
    from docgen.model import Attachment, AttachmentNote, Heading, ListBlock, Note, Paragraph, Signature

    at = next((i for i, node in enumerate(nodes) if isinstance(node, Signature | Attachment)), None)
    if at is None or not isinstance(nodes[at], Signature):
        return SignatureRuns()
    keep, keep_all = set(), set()
    before = at - 1
    if before >= 0 and isinstance(nodes[before], AttachmentNote):
        keep.add(before)
        keep_all.add(before)
        before -= 1
    if before >= 0 and isinstance(nodes[before], Paragraph | ListBlock | Heading):
        keep.add(before)
    end = at + 1 + (at + 1 < len(nodes) and isinstance(nodes[at + 1], Note))
    fit = nodes[at].fit
    return SignatureRuns(frozenset(keep), frozenset(keep_all), end if fit != 1.0 else 0, fit)
