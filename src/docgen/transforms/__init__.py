"""The model → model stages between reading and writing, in the order the pipeline runs them.

- numbering: headings get their literal leads 一、 （一） 1. （1）, restarting in each attachment;
- titles: a title with no forced breaks is broken into a trapezoid or diamond (``layout``), a block
  heading that wraps between words;
- proofread: the proof-reader's findings, returned as warnings (``proofread``);
- script: the text in Traditional characters when asked (``script``).
"""

from __future__ import annotations

from docgen import proofread as proofread_
from docgen import zh
from docgen.linebreak import titles as layout
from docgen.model import (
    AFTER_BLANK,
    NEXT_PAGE,
    PROBE,
    SAME_PAGE,
    Attachment,
    Block,
    Document,
    Heading,
    Imprint,
    Paragraph,
    Signature,
    Table,
    Title,
)
from docgen.standard import profile
from docgen.transforms.script import convert_document


def heading_number(level: int, n: int) -> str:
    """GB/T 9704's four levels: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{zh.numeral(n)}、"
    if level == 2:
        return f"（{zh.numeral(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def number_headings(document: Document) -> Document:
    """Number the body's headings, then each attachment's from 一、 again."""
    _number(document.blocks)
    for node in document.nodes:
        if isinstance(node, Attachment):
            _number(node.blocks)
    return document


def _number(blocks: list[Block]) -> None:
    counters = [0, 0, 0, 0]
    for block in blocks:
        heading = block if isinstance(block, Heading) else block.lead if isinstance(block, Paragraph) else None
        if heading is None:
            continue
        level = heading.level
        counters[level - 1] += 1
        counters[level:] = [0] * (4 - level)
        heading.number = heading_number(level, counters[level - 1])


def break_titles(document: Document) -> Document:
    """Titles the kind left unbroken get the standard's line shape for the form's type block."""
    chars = profile(document.meta.profile).title_chars_per_line
    for node in document.nodes:
        if isinstance(node, Title) and not node.lines:
            node.lines = layout.title_lines(node.text, chars, node.keep)
    return document


def break_headings(document: Document, keep: tuple[str, ...] = ()) -> Document:
    """A block heading that wraps breaks between words, never leaving one or two characters on its last
    line (「……落到实 / 处」): its lines are set for both writers. A heading with emphasis inside is left
    to the writers' own line breaking (its lines would lose the emphasis)."""
    p = profile(document.meta.profile)
    blocks = [*document.blocks, *(b for node in document.nodes if isinstance(node, Attachment) for b in node.blocks)]
    for block in blocks:
        if not isinstance(block, Heading) or any(s.bold or s.italic for s in block.spans):
            continue
        first = p.chars_per_line - p.element(f"heading{block.level}").indent_chars
        lines = layout.heading_lines(block.text, first, p.chars_per_line, keep)
        block.lines = lines if len(lines) > 1 else []
    return document


# What is not 正文 on a page (the elements' classes and tags in the HTML writer): a line of none of these
# is body text the signature may stand with.
NOT_BODY_TEXT = frozenset({"masthead", "letterhead", "title", "h1", "addressee", "attachment-note", "signed",
                           "note", "speaker", "date", "salutation", "imprint", "watermark"})


def fit_signature(document: Document, font_dir: str | None = None) -> Document:
    """GB/T 9704 7.3.5: the signature (署名, 成文日期, 印章) never stands on a page without body text, and the
    first page shows body text. The writers keep the last body lines and the 附件说明 with the signature
    (``writers.base.signature_runs``); where that still leaves a page without body text — a 转发通知,
    whose 版头, title, two lines of body, 附件说明 and signature run just past the first page — the line
    spacing of everything up to the signature is tightened until it fits on the page ("调整行距"), at
    most to ``signature_fit_least`` of the grid's pitch. The PDF engine lays the document out to decide;
    both writers set the same spacing."""
    signature = next((node for node in document.nodes if isinstance(node, Signature | Attachment)), None)
    if not isinstance(signature, Signature):
        return document
    from docgen.writers import writer
    from docgen.writers.pdf import measure as pdf_measure

    p = profile(document.meta.profile)
    pdf = writer("pdf", document.meta.profile, font_dir)
    _probe_imprint(document)
    pages = pdf.layout(document)
    signed = pdf_measure.marks(pages, "signed")
    if not signed or _body_with_signature(pages, signed[0]) or signed[0].page != 2:
        return document  # fine as it is, or a page break the kept lines answer (the signature on page 3 …)
    first = pdf_measure.lines(pages[0])
    flow = [line for line in first if not line.within & {"masthead", "letterhead", "watermark"}]
    start = min((line.top_mm for line in flow), default=0.0)
    used = max((line.bottom_mm for line in flow), default=start) - start
    rest = max(m.top_mm + m.height_mm for m in pdf_measure.marks(pages, "signed") if m.page == 2)
    rest = max([rest, *(line.bottom_mm for line in pdf_measure.lines(pages[1]) if "note" in line.within)])
    fit = (p.block_height_mm - p.signature_fit_slack_mm - start) / (used + rest)
    while fit >= p.signature_fit_least:
        signature.fit = round(fit * 0.995, 4)
        if pdf_measure.marks(pdf.layout(document), "signed")[0].page == 1:
            return document
        fit -= 0.01
    signature.fit = 1.0  # cannot be fitted within the bound: the kept lines go over with the signature
    return document


def keep_table_with_signature(document: Document, font_dir: str | None = None) -> Document:
    """The last rows of a table that runs over pages go onto the 署名's page with it (the PDF keeps them;
    ``Table.last_page_from`` tells the DOCX which row opens that page, as the PDF laid it out)."""
    nodes = document.nodes
    at = next((i for i, node in enumerate(nodes) if isinstance(node, Signature | Attachment)), None)
    if at is None or at == 0 or not isinstance(nodes[at], Signature) or not isinstance(nodes[at - 1], Table):
        return document
    from docgen.writers import writer
    from docgen.writers.pdf import measure as pdf_measure

    _probe_imprint(document)
    pages = writer("pdf", document.meta.profile, font_dir).layout(document)
    rows = pdf_measure.body_rows_per_page(pages)
    signed = pdf_measure.marks(pages, "signed")
    # only where the PDF carried the last rows over to the 署名 (they alone open its page) of a table that
    # runs over three pages or more: LibreOffice keeps them itself on a table's first or second page,
    # and a break set where its own rows per page differ would open a page too many
    kept = profile(document.meta.profile).table_rows_with_signature
    if signed and len([n for n in rows if n]) >= 3 and rows[signed[0].page - 1] == kept:
        nodes[at - 1].last_page_from = sum(rows[: signed[0].page - 1])
    return document


def _probe_imprint(document: Document) -> None:
    """The 版记 as ``place_imprint`` lays it out, a zero-height mark after the body: the transforms before
    it lay the document out as it does (nothing they read moves: the 版记 comes after the signature), so the
    PDF writer lays it out once for all three (``PdfWriter.layout`` keeps the last layouts by their HTML)."""
    imprint = document.first(Imprint)
    if imprint is not None:
        imprint.placement, imprint.numbered = PROBE, True


def _body_with_signature(pages: list, signed) -> bool:
    """Whether the signature's page shows body text above it, and the first page shows body text."""
    from docgen.writers.pdf import measure as pdf_measure

    def body(page_lines, below: float = float("inf")) -> bool:
        return any(line.top_mm < below and line.text.strip() and not line.within & NOT_BODY_TEXT
                   for line in page_lines)

    return body(pdf_measure.lines(pages[signed.page - 1]), signed.top_mm) and body(pdf_measure.lines(pages[0]))


def place_imprint(document: Document, font_dir: str | None = None) -> Document:
    """GB/T 9704: the 版记 sits at the foot of the last side, an even page. Where the body ends is known
    only once it is laid out, so the PDF engine lays it out with a zero-height mark after it, and both
    writers follow what that says (tests compare them with LibreOffice's rendering of the DOCX):

    - the body ends on an even page and the 版记 fits under it, a line of white between (and a line to
      spare for each page before, as LibreOffice's rendering may run longer): at the foot of that same
      page (``SAME_PAGE``, numbered as the page is);
    - it ends on an odd page: alone at the foot of the next page, numbered (``NEXT_PAGE``);
    - it ends on an even page without room: a blank page, then the 版记; neither carries a number
      (``AFTER_BLANK``)."""
    imprint = document.first(Imprint)
    if imprint is None:
        return document
    from docgen.writers import writer
    from docgen.writers.pdf import measure as pdf_measure

    p = profile(document.meta.profile)
    _probe_imprint(document)
    pages = writer("pdf", document.meta.profile, font_dir).layout(document)
    mark = pdf_measure.marks(pages, pdf_measure.IMPRINT_PROBE)[-1]
    room = p.block_height_mm - mark.top_mm
    # the seal hangs below the date: the 版记 stays clear of it as of the last line
    seal = max((m.top_mm + m.height_mm for m in pdf_measure.marks(pages, "seal") if m.page == mark.page),
               default=0.0)
    free = p.block_height_mm - max(mark.top_mm + p.imprint_gap_lines * p.line_pitch_mm, seal)
    drift = (mark.page - 1) * p.imprint_drift_lines_per_page * p.line_pitch_mm  # the DOCX may run longer
    if mark.page % 2:
        imprint.placement, imprint.numbered = NEXT_PAGE, True
    elif free >= mark.inner_height_mm + drift:
        imprint.placement, imprint.numbered, imprint.room_mm = SAME_PAGE, True, room
    else:
        imprint.placement, imprint.numbered = AFTER_BLANK, False
    return document


def proofread(document: Document, campaign=None, loaded=None, key: str = "") -> list[proofread_.Finding]:
    """What a proof-reader would send back (``proofread``): with the campaign's data, also the rules that
    compare the words with the facts."""
    context = proofread_.Context(campaign, loaded, key) if campaign is not None else None
    return proofread_.check_document(document, context)


def to_script(document: Document, script: str, keep: tuple[str, ...]) -> Document:
    return convert_document(document, script, keep)
