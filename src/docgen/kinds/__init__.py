"""Document kinds: the rules of a form, turning what the reader found into the frame's model nodes.

A kind is named by its templates' front matter (``kind: speech``, ``kind: document``). It decides
which frame elements the form has, where their facts come from (typed campaign data, not text), and
its rules (a draft is never sealed, the 文件 suffix, the style profile). Adding a form is one module
here and one line in ``KINDS``; its templates live in ``templates/<name>/``.
"""

from __future__ import annotations

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.kinds import letter, minutes, official, order, speech
from docgen.kinds.base import FrameContext, Kind, lines_of
from docgen.markup import ReadText
from docgen.model import Document

__all__ = ["KINDS", "FrameContext", "Kind", "build", "get", "lines_of"]

KINDS: dict[str, Kind] = {
    kind.name: kind for kind in (speech.KIND, official.KIND, minutes.KIND, letter.KIND, order.KIND)
}


def get(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise DocgenError(_("front matter: unknown kind '{name}'; docgen knows: {KINDS}").format(
            name=name, KINDS=', '.join(KINDS))) from None


def build(text: ReadText, context: FrameContext) -> Document:
    """The document the template's kind makes of what the reader found."""
    return get(str(text.front.get("kind") or "speech")).build(text, context)
