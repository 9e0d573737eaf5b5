"""The reader: rendered Markdown with YAML front matter → front matter + body blocks (markdown-it-py parses).

It reads structure only; the document kind (``kinds``) turns the front matter into the frame's
nodes, and the transforms number the headings and break the title.

Conventions a template author writes in:
- front matter: ``kind``, ``title``, ``speaker``, ``date``, ``salutation``, ``closing``,
  ``addressee`` (主送), ``signature`` (a line or a list of lines) with ``signature_date``,
  ``document`` (the key of the issued document's facts in the data's ``documents``);
- GitHub-style tables (``| a | b |``) become tables whose header row repeats on every page;
- ``#`` … ``####`` are heading levels 1–4, numbered later (一、 （一） 1. （1）), never by hand;
- a level 2–4 heading whose text ends with 。 is run-in: it leads the paragraph that follows;
- a paragraph may wrap over several lines; the line breaks vanish between Chinese characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from docgen import zh
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.model import Attachment, Block, Heading, ListBlock, Paragraph, Span, Table

_ASCII_PUNCT = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
SOFT_BREAK = "\n"


def escape_text(value: object) -> str:
    """Make a data value print as itself: no Markdown, HTML, entity or line structure survives.

    CommonMark lets any ASCII punctuation be backslash-escaped, so ``# * | < & {{`` all print
    literally; newlines and tabs become spaces so a value can never start a new block.
    """
    text = "" if value is None else str(value)
    text = _ASCII_PUNCT.sub(r"\\\1", text)
    text = re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]+", " ", text)
    # Leading spaces could still open an indented code block at the start of a line.
    return re.sub(r"^ +", lambda m: "&#32;" * len(m.group(0)), text)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(container_plugin, name="attachment")
    md.disable(["image", "link", "autolink", "html_inline", "html_block", "reference"])
    return md.use(front_matter_plugin)


@dataclass
class ReadText:
    """What the reader found: the front matter (plain values), the body blocks and the attachments."""

    front: dict[str, Any]
    blocks: list[Block]
    attachments: list[Attachment]
    source: str


def read(text: str, source: str = "<rendered template>") -> ReadText:
    """Read a rendered template; structure errors name the line of the rendered text."""
    tokens = _parser().parse(text)
    front: dict[str, Any] = {}
    if tokens and tokens[0].type == "front_matter":
        front = _read_front_matter(tokens[0].content, source)
        tokens = tokens[1:]
    body_tokens, attachments = _split_attachments(tokens, source)
    return ReadText(front, _blocks(body_tokens, source), attachments, source)


def _split_attachments(tokens: list[Token], source: str) -> tuple[list[Token], list[Attachment]]:
    """Top-level `::: attachment 标题` … `:::` containers become attachments, numbered 附件1, 附件2…"""
    body: list[Token] = []
    attachments: list[Attachment] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "container_attachment_open":
            end = _matching_close(tokens, i)
            title = tok.info.strip().removeprefix("attachment").strip()
            label = f"附件{len(attachments) + 1}"
            attachments.append(Attachment(label, title, _blocks(tokens[i + 1 : end], source)))
            i = end + 1
            continue
        body.append(tok)
        i += 1
    if len(attachments) == 1:
        attachments[0].label = "附件"
    return body, attachments


def _blocks(tokens: list[Token], source: str) -> list[Block]:
    """Body tokens → blocks; a run-in heading (levels 2–4 ending in 。) leads the paragraph after it."""
    blocks: list[Block] = []
    pending_runin: Heading | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = tok.map[0] + 1 if tok.map else None
        if tok.type == "heading_open":
            if pending_runin is not None:  # a run-in heading followed by another heading stands alone
                blocks.append(pending_runin)
                pending_runin = None
            level = int(tok.tag[1])
            if level > 4:
                raise DocgenError(_("line {line}: heading level {level}; 公文 uses four levels (# to ####)").format(
                    line=line, level=level), source)
            heading = Heading(level, _spans(tokens[i + 1]))
            if level >= 2 and heading.text.endswith("。"):
                pending_runin = heading
            else:
                blocks.append(heading)
            i += 3
            continue
        if tok.type == "paragraph_open":
            blocks.append(Paragraph(_spans(tokens[i + 1]), lead=pending_runin))
            pending_runin = None
            i += 3
            continue
        if pending_runin is not None:
            blocks.append(pending_runin)  # a run-in heading with no paragraph after it stands alone
            pending_runin = None
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            end = _matching_close(tokens, i)
            items = [_spans(t) for t in tokens[i:end] if t.type == "inline"]
            blocks.append(ListBlock(ordered=tok.type == "ordered_list_open", items=items))
            i = end + 1
            continue
        if tok.type == "table_open":
            end = _matching_close(tokens, i)
            blocks.append(_table(tokens[i:end]))
            i = end + 1
            continue
        if tok.type in ("code_block", "fence"):
            raise DocgenError(
                _("line {line} of the rendered text is indented by 4 spaces and became a code block; remove the "
                  "indentation in the template").format(line=line),
                source,
            )
        if tok.type == "container_attachment_open":
            raise DocgenError(_("line {line}: an attachment cannot sit inside another block").format(line=line), source)
        if tok.type in ("blockquote_open", "hr"):
            raise DocgenError(_("line {line}: {split} is not part of a 公文 body").format(
                line=line, split=tok.type.split('_')[0]), source)
        i += 1
    if pending_runin is not None:
        blocks.append(pending_runin)
    return blocks


def _table(tokens: list[Token]) -> Table:
    """table_open … table_close → header cells and body rows."""
    header: list[list[Span]] = []
    rows: list[list[list[Span]]] = []
    in_head = False
    for tok in tokens:
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open" and not in_head:
            rows.append([])
        elif tok.type == "inline":
            (header if in_head else rows[-1]).append(_spans(tok))
    return Table(header=header, rows=rows)


# libyaml's parser, where PyYAML has it, is ten times faster on a notice's front matter (0.05 against 0.46 ms,
# a tenth of a DOCX notice's time) and builds the same values (the same safe constructor); a front matter it
# refuses is read again by the pure-Python parser, whose message (line, column, what it expected) is the one
# docgen has always given.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_front_matter(content: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.load(content, Loader=_FAST_LOADER) or {}  # a safe loader either way
    except yaml.YAMLError:
        try:
            data = yaml.safe_load(content) or {}
        except yaml.YAMLError as exc:
            raise DocgenError(_("front matter is not valid YAML: {exc}").format(exc=exc), source) from None
    if not isinstance(data, dict):
        raise DocgenError(_("front matter must be a mapping"), source)
    return data


def _matching_close(tokens: list[Token], start: int) -> int:
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _spans(inline: Token) -> list[Span]:
    """Inline tokens → spans; soft line breaks disappear between Chinese characters."""
    spans: list[Span] = []
    bold = italic = False
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            spans.append(Span(child.content, bold, italic))
        elif child.type in ("softbreak", "hardbreak"):
            spans.append(Span(SOFT_BREAK, bold, italic))
        elif child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
    return _merge(_join_breaks(spans))


def _join_breaks(spans: list[Span]) -> list[Span]:
    flat = "".join(s.text for s in spans)
    out: list[Span] = []
    pos = 0
    for span in spans:
        if span.text == SOFT_BREAK:
            before = flat[pos - 1] if pos else ""
            after = flat[pos + 1] if pos + 1 < len(flat) else ""
            joiner = "" if (zh.is_cjk(before) or zh.is_cjk(after)) else " "
            out.append(Span(joiner, span.bold, span.italic))
        else:
            out.append(span)
        pos += len(span.text)
    return out


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (span.bold, span.italic):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic)
        else:
            merged.append(span)
    return merged
