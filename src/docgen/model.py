"""The document model: what a document says, with no trace of Jinja, Markdown, Word or CSS.

A Document is a flat sequence of typed nodes, top to bottom: the 公文 frame (watermark, 版头,
标题, 主送, 附件说明, 署名/成文日期/印章, 附注, 附件, 版记) and the body between them. The reader
builds the body, a document kind builds the frame from typed data, the transforms fill in what is
derived (heading numbers, title lines); each writer has one rule per node type (``NODE_TYPES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A run of text with its inline emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


# --- body ------------------------------------------------------------------------------------------
@dataclass
class Heading:
    """A heading of level 1–4. ``number`` is the literal lead (一、 （一） 1. （1）), filled in by the
    numbering transform; the reader leaves it empty.

    A run-in heading (levels 2–4, text ending in 。) is not a block of its own: it leads a Paragraph.
    """

    level: int
    spans: list[Span]
    number: str = ""
    lines: list[str] = field(default_factory=list)  # where a block heading breaks (transforms), else empty

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
class Table:
    """A table whose header row repeats on every page (承诺公示)."""

    header: list[list[Span]]
    rows: list[list[list[Span]]]
    # the row that opens the table's last page when the 署名 follows it (transforms, from the PDF's
    # layout): the DOCX breaks the page there itself (LibreOffice does not keep the last rows of a table
    # that runs over three pages with the paragraph after it)
    last_page_from: int | None = None

    @staticmethod
    def cell_text(cell: list[Span]) -> str:
        return "".join(s.text for s in cell)


@dataclass
class Salutation:
    """`同志们：` — flush left, no indent."""

    text: str


@dataclass
class Closing:
    """`谢谢大家！` — the last line of a speech."""

    text: str


# --- the frame: what a kind builds around the body ---------------------------------------------------
@dataclass
class Watermark:
    """草稿 / 征求意见稿 across every page (a document with a status is never sealed)."""

    text: str


@dataclass
class Masthead:
    """版头: 份号, 密级, 紧急程度, the red 发文机关标志 (several organs for a joint issue), 发文字号, 签发人."""

    organs: list[str]
    suffix: str
    number: str = ""
    copy_number: str = ""
    secrecy: str = ""
    urgency: str = ""
    signer: str = ""
    form: str = "file"  # "order": 命令格式, 20 mm below the block's top, no red line (standard.geometry.FORMS)

    @property
    def meta_lines(self) -> list[tuple[str, str]]:
        """The top-left marks that are set, with their element name in the standard."""
        marks = [(self.copy_number, "copy_number"), (self.secrecy, "masthead_meta"), (self.urgency, "masthead_meta")]
        return [(text, element) for text, element in marks if text]


@dataclass
class LetterHead:
    """信函格式's 版头: the red 发文机关标志 30 mm from the paper's top, the red double lines (thick over
    thin under it, thin over thick 20 mm above the paper's bottom edge, 170 mm long) on the first page,
    the 发文字号 at the right under the top lines, 份号/密级/紧急程度 at the left."""

    organ: str
    number: str = ""
    copy_number: str = ""
    secrecy: str = ""
    urgency: str = ""

    @property
    def meta_lines(self) -> list[tuple[str, str]]:
        marks = [(self.copy_number, "copy_number"), (self.secrecy, "masthead_meta"), (self.urgency, "masthead_meta")]
        return [(text, element) for text, element in marks if text]


@dataclass
class Title:
    """标题, as it breaks into lines (the titles transform fills ``lines`` when the kind leaves them empty).

    ``under_masthead``: two blank lines under the red line instead of the page top.
    """

    text: str
    lines: list[str] = field(default_factory=list)
    under_masthead: bool = False
    keep: list[str] = field(default_factory=list)  # names the line breaks must not split (organ, campaign)


@dataclass
class Speaker:
    """A speech's speaker line, centred under the title (3号楷体)."""

    text: str


@dataclass
class SpeechDate:
    """A speech's date in full-width parentheses, centred, one blank line before the body."""

    text: str


@dataclass
class Addressee:
    """主送机关: flush left under the title, ending with ：."""

    text: str


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
class Signature:
    """发文机关署名 (one or more lines) and 成文日期, set to the right as GB/T 9704 7.3.5 says.

    With a ``seal`` (a red image's path) the seal is centred over both, behind the text.
    """

    lines: list[str]
    date: str
    seal: str | None = None
    # GB/T 9704: the signature never stands without body text; where it would, the line spacing of
    # everything from the document's top to it (and its 附注) is set this share of the grid's (transforms)
    fit: float = 1.0

    @property
    def text(self) -> str:
        return "\n".join([*self.lines, self.date])


@dataclass
class Note:
    """附注: in full-width parentheses, the line under the date, 2 字 in."""

    text: str


@dataclass
class NameList:
    """A 纪要's `出席：`/`请假：`/`列席：` line: the label in 黑体 2 字 in, the names in 仿宋 after it,
    wrapped lines aligned with the first name; ``space_before``: the blank line under the body."""

    label: str
    names: list[str]
    space_before: bool = False

    @property
    def text(self) -> str:
        return self.label + "、".join(self.names)


@dataclass
class OrderSignature:
    """命令格式's 签发人职务 and 签名章 on one line (the seal 4 字 from the right, the post 2 字 left of
    it), then the 成文日期 4 字 from the right — GB/T 9704 7.3.5.3. The 签名章 is drawn: the name in
    red 楷体 in a red frame; ``sealed=False`` (a draft) prints the name without it."""

    post: str
    name: str
    date: str
    sealed: bool = True

    @property
    def text(self) -> str:
        return f"{self.post}{self.name}\n{self.date}"


Block = (Heading | Paragraph | ListBlock | Table | Salutation | Closing | Addressee | AttachmentNote | Signature
         | Note | NameList | OrderSignature)


@dataclass
class Attachment:
    """附件: a new page, `附件1` top left in 黑体, the title on the third line, then its own body."""

    label: str
    title: str
    blocks: list[Block] = field(default_factory=list)


# Where the 版记 goes (GB/T 9704: at the foot of the last side, an even page); the transforms decide from
# the laid-out body, both writers follow.
SAME_PAGE = "same-page"  # the body ends on an even page with room: at the foot of that page
NEXT_PAGE = "next-page"  # the body ends on an odd page: alone at the foot of the next, numbered
AFTER_BLANK = "after-blank"  # an even page without room: a blank page, then the 版记; neither numbered
PROBE = "probe"  # while the transforms measure: a zero-height mark where the body ends
PLACEMENTS = (SAME_PAGE, NEXT_PAGE, AFTER_BLANK, PROBE)


@dataclass
class Imprint:
    """版记: 抄送 and 印发机关/印发日期, at the foot of the last even page, its last rule on the type block's
    bottom. ``placement`` is one of ``PLACEMENTS``; ``room_mm``, for ``SAME_PAGE``, is the height from
    the end of the body to the type block's bottom, which the 版记 fills from below."""

    cc: list[str]
    printer: str
    print_date: str
    numbered: bool = False  # GB/T 9704: unnumbered only when a blank page comes before it (transforms)
    placement: str = AFTER_BLANK
    room_mm: float = 0.0

    @property
    def cc_text(self) -> str:
        return "抄送：" + "，".join(self.cc) + "。" if self.cc else ""


Node = Block | Watermark | Masthead | LetterHead | Title | Speaker | SpeechDate | Attachment | Imprint

# Every node type a document can hold: each writer has a rule for each (tests/test_writers.py checks).
NODE_TYPES: tuple[type, ...] = (
    Watermark, Masthead, LetterHead, Title, Speaker, SpeechDate, Addressee, Salutation, Heading, Paragraph,
    ListBlock, Table, Closing, AttachmentNote, Signature, OrderSignature, Note, NameList, Attachment, Imprint,
)
_NOT_BODY = (Watermark, Masthead, LetterHead, Title, Speaker, SpeechDate, Attachment, Imprint)


@dataclass
class Meta:
    """What a document is, beside what it says: its kind, title (file name, PDF/DOCX properties), form."""

    kind: str = "speech"
    title: str = ""
    profile: str = "gbt9704"
    status: str = ""  # 草稿 / 征求意见稿
    author: str = ""  # the issuing organ(s): the PDF's and DOCX's author
    subject: str = ""  # what it is about (the campaign): the PDF's subject
    created: str = ""  # ISO date of the document (成文日期, the meeting's date): the files' creation date
    first_page_numbered: bool = True  # 信函格式: the first page carries no page number
    people: list[str] = field(default_factory=list)  # names in the data: a line never splits them (writers)


@dataclass
class Document:
    meta: Meta
    nodes: list[Node] = field(default_factory=list)

    @property
    def blocks(self) -> list[Block]:
        """The body with its frame lines (主送 … 附注), without the head, attachments and 版记."""
        return [node for node in self.nodes if not isinstance(node, _NOT_BODY)]

    def first(self, kind: type) -> Node | None:
        return next((node for node in self.nodes if isinstance(node, kind)), None)

    def paragraphs_text(self) -> list[str]:
        """Every line of the body as plain text, in order: what a reader sees, and what tests compare."""
        return blocks_text(self.blocks)


def blocks_text(blocks: list[Block]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            pairs = zip(block.leads(), block.items, strict=True)
            lines += [lead + "".join(s.text for s in item) for lead, item in pairs]
        elif isinstance(block, Signature):
            lines += [*block.lines, block.date]
        elif isinstance(block, OrderSignature):
            lines += [block.post + block.name, block.date]
        elif isinstance(block, Table):
            lines += ["\t".join(Table.cell_text(c) for c in row) for row in [block.header, *block.rows]]
        elif isinstance(block, AttachmentNote):
            lines += block.text.split("\n")
        else:
            lines.append(block.text)
    return lines
