"""Where a long 公文 title breaks: GB/T 9704 wants a trapezoid or diamond, never a word split.

Chinese has no spaces to break at, and a full word segmenter would be a heavy dependency for a
one-line decision, so the breaks come from the places a title's grammar offers: after 关于, around
《》 (never inside), after 、和及与, between a place phrase ending in 中 and its verb, and before the
的 that introduces the document type. Authors can always force the breaks (``title_lines``).
"""

from __future__ import annotations

import itertools
import math

from docgen.zh import text_cells

_BREAK_AFTER = ("关于", "》", "、", "和", "及", "与", "中", "在")
_BREAK_BEFORE = ("《", "的")


def _candidates(title: str) -> dict[int, float]:
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
    options: dict[int, float] = {}
    for i in range(1, len(title)):
        if title[i] in "》）)”，。、" or title[i - 1] in "《（(“" or (title[i - 1].isdigit() and title[i].isdigit()):
            continue
        within = i in inside and (i - 1) in inside  # inside a 《book title》: only when it is longer than a line
        cost = 20.0 if within else 6.0  # an arbitrary place: only when nothing better fits
        if any(title[:i].endswith(word) for word in _BREAK_AFTER) or any(
            title[i:].startswith(word) for word in _BREAK_BEFORE
        ):
            cost = 3.0 if within else (1.5 if title[i] == "的" else 1.0)
        options[i] = cost
    return options


def title_lines(title: str, max_cells: float | None = None) -> list[str]:
    """The title broken into a trapezoid (2 lines, the upper one shorter) or diamond (3 lines).

    ``max_cells``: title characters a line holds (default: the GB/T 9704 profile's type block).
    """
    if max_cells is None:
        from docgen.standard import GBT9704

        max_cells = GBT9704.title_chars_per_line
    if not title or text_cells(title) <= max_cells:
        return [title] if title else []
    count = max(2, math.ceil(text_cells(title) / max_cells))
    options = _candidates(title)
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
