"""The document model: what a document says, with no trace of Jinja, Markdown, Word or CSS.

Writers walk these blocks; the markup reader is the only thing that builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A run of text with its inline emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Heading:
    """A numbered heading. ``number`` is the literal lead (一、 （一） 1. （1）) the writers print.

    A run-in heading (levels 2–4, text ending in 。) is not a block of its own: it leads a Paragraph.
    """

    level: int
    number: str
    spans: list[Span]

    @property
    def text(self) -> str:
        return self.number + "".join(s.text for s in self.spans)


@dataclass
class Paragraph:
    """Body text; ``lead`` is a run-in heading printed in its own font at the start."""

    spans: list[Span]
    lead: Heading | None = None

    @property
    def text(self) -> str:
        return (self.lead.text if self.lead else "") + "".join(s.text for s in self.spans)


@dataclass
class ListBlock:
    """An enumerated list; items print as body paragraphs led by 1. 2. … (or nothing when unordered)."""

    ordered: bool
    items: list[list[Span]]

    def leads(self) -> list[str]:
        return [f"{i}." if self.ordered else "" for i in range(1, len(self.items) + 1)]


@dataclass
class Salutation:
    """`同志们：` — flush left, no indent."""

    text: str


@dataclass
class Closing:
    """`谢谢大家！` — the last line of a speech."""

    text: str


Block = Heading | Paragraph | ListBlock | Salutation | Closing


@dataclass
class Meta:
    """Front matter: the document's kind and the parts that sit above the body."""

    kind: str = "speech"
    title: str = ""
    speaker: str = ""
    date: str = ""
    profile: str = "gbt9704"


@dataclass
class Document:
    meta: Meta
    blocks: list[Block] = field(default_factory=list)

    def paragraphs_text(self) -> list[str]:
        """Every line of the body as plain text, in order: what a reader sees, and what tests compare."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, ListBlock):
                pairs = zip(block.leads(), block.items, strict=True)
                lines += [lead + "".join(s.text for s in item) for lead, item in pairs]
            else:
                lines.append(block.text)
        return lines
