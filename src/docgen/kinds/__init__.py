"""Document kinds: the rules of a form, turning what the reader found into the frame's model nodes.

A kind is named by its templates' front matter (``kind: speech``, ``kind: document``). It decides
which frame elements the form has, where their facts come from (typed campaign data, not text), and
its rules (a draft is never sealed, the 文件 suffix, the style profile). Adding a form is one module
here and one line in ``KINDS``; its templates live in ``templates/<name>/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docgen.errors import DocgenError, SourceSpot
from docgen.markup import ReadText
from docgen.model import Document

if TYPE_CHECKING:
    from docgen.schema import Campaign
    from docgen.sources import LoadedData


@dataclass(frozen=True)
class FrameContext:
    """What a kind may read besides the template's front matter: the typed data and the run's options."""

    campaign: Campaign | None = None
    loaded: LoadedData | None = None
    status: str | None = None  # --draft / --status

    def spot(self, path: tuple[str | int, ...]) -> SourceSpot | None:
        return self.loaded.spot(path) if self.loaded else None


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    build: Callable[[ReadText, FrameContext], Document]


def _registry() -> dict[str, Kind]:
    from docgen.kinds import official, speech

    return {kind.name: kind for kind in (speech.KIND, official.KIND)}


KINDS: dict[str, Kind] = {}


def get(name: str) -> Kind:
    if not KINDS:
        KINDS.update(_registry())
    try:
        return KINDS[name]
    except KeyError:
        raise DocgenError(f"front matter: unknown kind '{name}'; docgen knows: {', '.join(KINDS)}") from None


def build(text: ReadText, context: FrameContext) -> Document:
    """The document the template's kind makes of what the reader found."""
    return get(str(text.front.get("kind") or "speech")).build(text, context)


def lines_of(value: Any) -> list[str]:
    """A front-matter value that may be one line or a list of lines."""
    if value is None or value == "":
        return []
    return [str(x) for x in value] if isinstance(value, list) else [str(value)]
