"""Hanging punctuation (标点悬挂) in the PDF, as Word and LibreOffice set the DOCX.

When a line's 29th character is a closing mark (，。、；：？！”’）》), Word and LibreOffice let it hang
past the right edge of the 28-character line (after a closing quote, the mark after it: 「切”。」 ends
a full line with 。 hanging); WeasyPrint has no CSS ``hanging-punctuation`` and, since
the mark may not start a line, carries it to the next line together with the character before it, so
the two formats broke lines one character apart and drifted by a line a page. This patch gives
WeasyPrint's line breaker that one rule: if the first line would end just before "character + closing
mark", it is laid out again with room for the mark, and if that line ends exactly after the mark it is
kept, its mark not measured (what CSS Text 3 says of a hanging mark). And Pango's line breaking (UAX #14
as it stood) allows no break between a closing quote and the next character, so 「整体推进”的」 stayed
together and moved to the next line; Chinese text breaks after ”, as Word and LibreOffice do, so when
that is the only obstacle the line ends after the quote. Nothing else about the line changes; a page
the rules do not touch is the same as before.

Written against WeasyPrint 70.0: ``install()`` replaces ``weasyprint.layout.inline.split_first_line``
(the name the inline layout calls) only while its signature is the one this wrapper forwards.
"""

from __future__ import annotations

import inspect

HANGING_MARKS = frozenset("，。、；：？！”’）》")
CLOSING_QUOTES = frozenset("”’")


def _is_han(text: str) -> bool:
    """A CJK ideograph (the character after a closing quote in running Chinese text)."""
    return len(text) == 1 and ("\u4e00" <= text <= "\u9fff" or "\u3400" <= text <= "\u4dbf")


def in_table_cell(style) -> bool:
    """A table cell's text (the only text whose line height is unitless: ``html.css``): LibreOffice hangs no
    mark inside a table's cells, so neither does the PDF (瓦店's and the stress campaign's 承诺公示 rows
    were a line shorter in the PDF where 「专题党课；」 hung)."""
    return isinstance(style["line_height"], (int, float))


_SIGNATURE = ["text", "style", "context", "max_width", "justification_spacing", "is_line_start", "minimum"]
_state = {"installed": False}


def install() -> bool:
    """Patch the inline layout's line breaker once per process; False if WeasyPrint's differs."""
    if _state["installed"]:
        return True
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    original = line_break.split_first_line
    if list(inspect.signature(original).parameters) != _SIGNATURE or inline.split_first_line is not original:
        return False

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True,
                         minimum=False):
        result = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        resume = result[2]
        if resume is None or max_width is None or minimum or in_table_cell(style):
            return result
        rest = text.encode()[resume:].decode(errors="ignore")
        if len(rest) < 2 or rest[1] not in HANGING_MARKS or rest[0] in HANGING_MARKS:
            return result
        # the marks after the character: the last of them hangs (切”。: ” is the 28th, 。 hangs)
        end = 1
        while end < len(rest) and rest[end] in HANGING_MARKS and end < 3:
            end += 1
        mark_width = original(rest[end - 1], style, context, None, justification_spacing, False, False)[3]
        wider = original(text, style, context, max_width + mark_width + 0.01, justification_spacing,
                         is_line_start, minimum)
        hung = resume + len(rest[:end].encode())
        if wider[2] == hung or (wider[2] is None and len(rest) == end):
            layout, length, resume_index, width, height, baseline = wider
            return layout, length, resume_index, min(width, max_width), height, baseline
        hung = resume + len(rest[:2].encode())
        if rest[1] in CLOSING_QUOTES and _is_han(rest[2:3]):
            # Pango's UAX #14 allows no break between ” and the next character (进”的 stays together);
            # Chinese text breaks there, as Word and LibreOffice do: the line is the text up to the mark.
            first = original(text.encode()[:hung].decode(), style, context, None, justification_spacing,
                             is_line_start, minimum)
            layout, length, _resume, width, height, baseline = first
            if width <= max_width + mark_width + 0.01:
                return layout, length, hung, min(width, max_width), height, baseline
        return result

    inline.split_first_line = split_first_line
    _state["installed"] = True
    return True
