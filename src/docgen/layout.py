"""Where a long 公文 title breaks: GB/T 9704 wants a trapezoid or diamond, never a word split.

Chinese has no spaces; where its words end is a dictionary's knowledge, not a hand list's: jieba
(the most used Chinese segmenter, pure Python, its dictionary knows 中共, 中国特色社会主义, 习近平…)
gives the word seams, and the title's grammar ranks them: after 关于, 》, 、和及与, the 中/在 of a
place phrase and the 的 before the document type are the best places; a line never starts with 的
or closing punctuation; names the caller keeps whole (the organ, the campaign) are not split while
they fit on a line; inside 《》 only when the book title is longer than a line. Authors can always
force the breaks (``title_lines`` in the front matter).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from functools import lru_cache

from docgen.zh import text_cells

_BREAK_AFTER = ("关于", "》", "、", "和", "及", "与", "中", "在", "的")
_BREAK_BEFORE = ("《", "关于")
_PARTICLES = "中和及与的之在"  # a one-character word of these ends a line, never starts one
_NEVER_STARTS = "》）)”，。、；：！？的"


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[tuple[str, int, int], ...]:
    """``text`` as jieba's words (its dictionary, no guessing of unknown words), with their positions."""
    import logging

    import jieba  # about a second to load its dictionary: only when a title needs breaking

    jieba.setLogLevel(logging.WARNING)
    return tuple(jieba.tokenize(text, HMM=False))


def word_seams(text: str) -> frozenset[int]:
    """Positions between two words of ``text``."""
    return frozenset(end for _word, _start, end in _words(text))


def _kept(title: str, keep: Iterable[str], max_cells: float) -> set[int]:
    """Positions strictly inside a name the caller keeps whole (when the name fits on a line)."""
    inside: set[int] = set()
    for name in keep:
        if not name or len(name) < 2 or text_cells(name) > max_cells:
            continue
        start = title.find(name)
        while start >= 0:
            inside.update(range(start + 1, start + len(name)))
            start = title.find(name, start + 1)
    return inside


def _candidates(title: str, keep: Iterable[str] = (), max_cells: float = 20) -> dict[int, float]:
    """Break positions (index of the next line's first character) with a cost: lower is better."""
    depth = 0
    inside: set[int] = set()
    for i, char in enumerate(title):
        if char in "《（(“":
            depth += 1
        elif char in "》）)”":
            depth -= 1
        elif depth > 0:
            inside.add(i)
    seams = word_seams(title)
    particles = {start for word, start, _end in _words(title) if word in _PARTICLES}
    kept = _kept(title, keep, max_cells)
    options: dict[int, float] = {}
    for i in range(1, len(title)):
        if title[i] in _NEVER_STARTS or title[i - 1] in "《（(“" or (title[i - 1].isdigit() and title[i].isdigit()):
            continue
        within = i in inside and (i - 1) in inside  # inside a 《book title》: only when it is longer than a line
        if i in kept:
            cost = 40.0  # inside an organ's or the campaign's name
        elif i in particles:
            cost = 12.0  # 中, 和, 的 … would start the line
        elif i not in seams:
            cost = 20.0  # inside a word: only when nothing else fits
        elif any(title[:i].endswith(word) for word in _BREAK_AFTER) or any(
            title[i:].startswith(word) for word in _BREAK_BEFORE
        ):
            cost = 3.0 if within else 1.0
        else:
            cost = 5.0 if within else 3.0  # between two words
        options[i] = cost
    return options


def title_lines(title: str, max_cells: float | None = None, keep: Iterable[str] = ()) -> list[str]:
    """The title broken into a trapezoid (2 lines, the upper one shorter) or diamond (3 lines).

    ``max_cells``: title characters a line holds (default: the GB/T 9704 profile's type block);
    ``keep``: names not to split (the issuing organ, the campaign) while they fit on a line.
    """
    if max_cells is None:
        from docgen.standard import GBT9704

        max_cells = GBT9704.title_chars_per_line
    if not title or text_cells(title) <= max_cells:
        return [title] if title else []
    count = max(2, math.ceil(text_cells(title) / max_cells))
    options = _candidates(title, keep, max_cells)
    best: tuple[float, list[str]] | None = None
    for cuts in itertools.combinations(sorted(options), count - 1):
        bounds = [0, *cuts, len(title)]
        lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
        widths = [text_cells(line) for line in lines]
        if max(widths) > max_cells:
            continue
        score = sum(options[c] for c in cuts) * 4
        if count == 2:
            score += 0 if widths[0] <= widths[1] else 8  # 正梯形: short over long
        else:
            middle = widths[1:-1]
            score += 0 if min(middle) >= max(widths[0], widths[-1]) else 8  # 菱形: widest in the middle
        score += sum(abs(w - sum(widths) / count) for w in widths) * 0.5
        if best is None or score < best[0]:
            best = (score, lines)
    if best is None:  # nothing fits with the title's own breaks: cut evenly
        size = math.ceil(len(title) / count)
        return [title[i : i + size] for i in range(0, len(title), size)]
    return best[1]
