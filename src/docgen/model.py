"""The document model: what a document says, with no trace of Jinja, Markdown, Word or CSS.

Writers walk these blocks; the markup reader is the only thing that builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen import zh


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


@dataclass
class Addressee:
    """主送机关: flush left under the title, ending with ：."""

    text: str


@dataclass
class Signature:
    """发文机关署名 (one or more lines) and 成文日期, set to the right as GB/T 9704 7.3.5.2 says.

    With a ``seal`` (a red image's path) the seal is centred over both, behind the text.
    """

    lines: list[str]
    date: str
    seal: str | None = None

    @property
    def text(self) -> str:
        return "\n".join([*self.lines, self.date])


@dataclass
class Table:
    """A table whose header row repeats on every page (承诺公示)."""

    header: list[list[Span]]
    rows: list[list[list[Span]]]

    @staticmethod
    def cell_text(cell: list[Span]) -> str:
        return "".join(s.text for s in cell)

    def column_weights(self, width_cells: float = 36.0, padding: float = 0.8, cap: float = 7.0) -> list[float]:
        """Column widths (in character cells) for a table ``width_cells`` wide.

        Every column but the longest gets its longest cell on one line, up to ``cap`` cells (then it
        wraps); the longest column (the commitments) takes what is left.
        """
        natural = []
        for col in range(len(self.header)):
            cells = [self.header[col], *(row[col] for row in self.rows if col < len(row))]
            natural.append(max(zh.text_cells(self.cell_text(c)) for c in cells) + padding)
        if sum(natural) <= width_cells:
            return natural
        widest = max(range(len(natural)), key=natural.__getitem__)
        widths = [n if i == widest else min(n, cap + padding) for i, n in enumerate(natural)]
        widths[widest] = max(width_cells - (sum(widths) - widths[widest]), 2 + padding)
        return widths


@dataclass
class AttachmentNote:
    """附件说明: `附件：1.…` under the body, wrapped lines aligned with the names."""

    names: list[str]

    @property
    def text(self) -> str:
        if len(self.names) == 1:
            return f"附件：{self.names[0]}"
        return "\n".join(f"{'附件：' if i == 1 else ''}{i}.{name}" for i, name in enumerate(self.names, 1))


@dataclass
class Note:
    """附注: in full-width parentheses, the line under the date, 2 字 in."""

    text: str


Block = (
    Heading | Paragraph | ListBlock | Salutation | Closing | Addressee | Signature | Table | AttachmentNote | Note
)


@dataclass
class Attachment:
    """附件: a new page, `附件1` top left in 黑体, the title on the third line, then its own body."""

    label: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Masthead:
    """版头: 份号, 密级, 紧急程度, the red 发文机关标志 (several organs for a joint issue), 发文字号, 签发人."""

    organs: list[str]
    suffix: str = "文件"
    number: str = ""
    copy_number: str = ""
    secrecy: str = ""
    urgency: str = ""
    signer: str = ""


@dataclass
class Imprint:
    """版记: 抄送 and 印发机关/印发日期, on the last even page, its last rule on the type block's bottom."""

    cc: list[str]
    printer: str
    print_date: str

    @property
    def cc_text(self) -> str:
        return "抄送：" + "，".join(self.cc) + "。" if self.cc else ""


@dataclass
class Meta:
    """Front matter: the document's kind and the parts that sit above the body."""

    kind: str = "speech"
    title: str = ""
    speaker: str = ""
    date: str = ""
    profile: str = "gbt9704"
    title_lines: list[str] = field(default_factory=list)  # the title as it breaks into lines
    status: str = ""  # 草稿 / 征求意见稿: a watermark on every page, and no seal


@dataclass
class Document:
    meta: Meta
    blocks: list[Block] = field(default_factory=list)
    masthead: Masthead | None = None
    attachments: list[Attachment] = field(default_factory=list)
    imprint: Imprint | None = None

    def paragraphs_text(self) -> list[str]:
        """Every line of the body as plain text, in order: what a reader sees, and what tests compare."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, ListBlock):
                pairs = zip(block.leads(), block.items, strict=True)
                lines += [lead + "".join(s.text for s in item) for lead, item in pairs]
            elif isinstance(block, Signature):
                lines += [*block.lines, block.date]
            elif isinstance(block, Table):
                lines += ["\t".join(Table.cell_text(c) for c in row) for row in [block.header, *block.rows]]
            elif isinstance(block, AttachmentNote):
                lines += block.text.split("\n")
            else:
                lines.append(block.text)
        return lines
