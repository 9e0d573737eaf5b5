"""Where a long 公文 title breaks: GB/T 9704 wants a trapezoid or diamond, never a word split.

Chinese has no spaces; where its words end is a dictionary's knowledge, not a hand list's: jieba
(the most used Chinese segmenter, pure Python, its dictionary knows 中共, 中国特色社会主义, 习近平…)
gives the word seams, and the title's grammar ranks them: after 关于, 》, 、和及与, the 中/在 of a
place phrase and the 的 before the document type are the best places; a line never starts with 的
or closing punctuation; names the caller keeps whole (the organ, the campaign) are not split while
they fit on a line; inside 《》 only when the book title is longer than a line; no line is a lone
function word (关于, 在, 的) or one or two characters. Authors can always force the breaks
(``title_lines`` in the front matter).

A block heading that wraps is broken the same way (``heading_lines``): between words, its last line
never one or two characters (「……落到实 / 处」), its first line as full as a good break allows. And a
table's columns get the widths that make it shortest (``column_widths``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from docgen.zh import script_seams, text_cells

_BREAK_AFTER = ("关于", "》", "、", "，", "；", "：", "和", "及", "与", "中", "在", "的")
_BREAK_BEFORE = ("《", "关于")
_PARTICLES = "中和及与的之在"  # a one-character word of these ends a line, never starts one
_NEVER_STARTS = "》）)”，。、；：！？的"
_NUMERALS = "〇零一二三四五六七八九十百千万两"  # with the measure word after them one word: 第十二师, 二二一团
_EXTRA_LINE = 6.0  # the cost of one more title line than the title's length needs
_CELL_SLACK = 0.15  # character cells a table column keeps beyond its text (column_widths)
_CELL_ROOM = 0.2  # how much more a cell's text may take than the reckoned padding leaves (borders collapse)
# A line that is only a function word, or one or two characters, is a defect (GB/T 9704 notes: 「关于」
# alone on a title's first line): costlier than any break the title's own words offer.
_FUNCTION_WORDS = frozenset({"关于", "对于", "在", "的", "和", "及", "与", "对", "为", "中", "之", "以及",
                             "关于进一步"})
_LONELY = 100.0


def lonely(line: str) -> bool:
    """A line that stands alone badly: a function word by itself, or one or two characters."""
    return len(line.strip()) <= 2 or line.strip() in _FUNCTION_WORDS


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[tuple[str, int, int], ...]:
    """``text`` as jieba's words (its dictionary, no guessing of unknown words), with their positions."""
    from docgen.linebreak import words  # jieba: only when a title or heading needs breaking

    return words.tokenize(text)


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


def _numbered(title: str) -> set[int]:
    """Positions inside or right after a number in Chinese numerals (第十二师, 二二一团): a unit's name."""
    inside: set[int] = set()
    for match in re.finditer(f"[{_NUMERALS}]+", title):
        start, end = match.span()
        if end - start >= 2 or title[start - 1 : start] == "第":
            inside.update(range(start + 1, min(end + 1, len(title))))
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
    numbers = _numbered(title)
    options: dict[int, float] = {}
    for i in range(1, len(title)):
        if title[i] in _NEVER_STARTS or title[i - 1] in "《（(“" or (title[i - 1].isdigit() and title[i].isdigit()):
            continue
        numeral = i in numbers
        within = i in inside and (i - 1) in inside  # inside a 《book title》: only when it is longer than a line
        if i in kept:
            cost = 40.0  # inside an organ's or the campaign's name
        elif i in particles:
            cost = 12.0  # 中, 和, 的 … would start the line
        elif i not in seams or numeral:
            cost = 20.0  # inside a word (or a numeral and its measure word): only when nothing else fits
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
    return list(_title_lines(title, max_cells, tuple(keep)))


@lru_cache(maxsize=256)
def _title_lines(title: str, max_cells: float, keep: tuple[str, ...]) -> tuple[str, ...]:
    """``title_lines``, once per title: a batch's records share their title (~25 ms a title, the search
    below; a notice to each of 40 branches spent a quarter of its model's time here)."""
    if not title or text_cells(title) <= max_cells:
        return (title,) if title else ()
    fewest = max(2, math.ceil(text_cells(title) / max_cells))
    options = _candidates(title, keep, max_cells)
    best: tuple[float, list[str]] | None = None
    for count in (fewest, fewest + 1):  # one line more when the fewest lines must split a word
        found = _best_lines(title, options, count, max_cells)
        if found and (best is None or found[0] + _EXTRA_LINE * (count - fewest) < best[0]):
            best = (found[0] + _EXTRA_LINE * (count - fewest), found[1])
    if best is None:  # nothing fits with the title's own breaks: cut evenly
        size = math.ceil(len(title) / fewest)
        return tuple(title[i : i + size] for i in range(0, len(title), size))
    return tuple(best[1])


def _best_lines(title: str, options: dict[int, float], count: int,
                max_cells: float) -> tuple[float, list[str]] | None:
    """The best ``count`` lines by their breaks' costs and their shape, or None when none fit.

    The score adds, per line, its break's cost and its distance from the mean width, plus 8 when the
    shape is wrong (正梯形: the upper line not longer than the lower; 菱形: no middle line narrower than
    the outer ones). Dynamic programming over the break positions, once per bound ``limit`` between
    the outer lines and the middle ones (and once without a shape): a 90-character title in 6 lines
    has 43 million combinations of breaks, too many to try one by one.
    """
    ends = [*sorted(options), len(title)]
    cells = {0: 0.0}
    for position in ends:
        cells[position] = text_cells(title[:position])
    mean = cells[len(title)] / count
    best: tuple[float, tuple[int, ...]] | None = None
    for limit in (None, *sorted({min(max_cells, float(w)) for w in range(1, int(max_cells) + 1)})):
        found = _cheapest_cuts(title, ends, cells, options, count, max_cells, mean, limit)
        if found is None:
            continue
        score = round(found[0] + (8 if limit is None else 0), 9)
        if best is None or (score, found[1]) < best:
            best = (score, found[1])
    if best is None:
        return None
    bounds = [0, *best[1], len(title)]
    return best[0], [title[a:b] for a, b in itertools.pairwise(bounds)]


def _cheapest_cuts(title: str, ends: list[int], cells: dict[int, float], options: dict[int, float],
                   count: int, max_cells: float, mean: float,
                   limit: float | None) -> tuple[float, tuple[int, ...]] | None:
    """Cheapest breaks into ``count`` lines; with ``limit``, the outer lines at most and the middle ones
    at least that wide (two lines: the upper at most, the lower at least)."""
    def allowed(line: int, width: float) -> bool:
        if width > max_cells:
            return False
        if limit is None:
            return True
        if count == 2:
            return width <= limit if line == 0 else width >= limit
        return width <= limit if line in (0, count - 1) else width >= limit

    length = len(title)
    reached: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    for line in range(count):
        last = line == count - 1
        following: dict[int, tuple[float, tuple[int, ...]]] = {}
        for start, (score, cuts) in reached.items():
            for end in ([length] if last else ends[:-1]):
                if end <= start:
                    continue
                width = cells[end] - cells[start]
                if width > max_cells:
                    break
                if not allowed(line, width):
                    continue
                value = score + abs(width - mean) * 0.5 + (0 if last else options[end] * 4)
                value = round(value + (_LONELY if lonely(title[start:end]) else 0), 9)
                candidate = (value, (*cuts, end) if not last else cuts)
                if end not in following or candidate < following[end]:
                    following[end] = candidate
        reached = following
        if not reached:
            return None
    return reached.get(length)


def heading_lines(text: str, first_cells: float, cells: float, keep: Iterable[str] = ()) -> list[str]:
    """A block heading too long for its first line, broken between words: the first line holds at most
    ``first_cells`` (it is indented), the others ``cells``; no line is a lone word of one or two
    characters, and each line but the last is as full as a good break allows (a heading reads as
    body text, flush left, not centred like a title). A heading that fits is one line."""
    if text_cells(text) <= first_cells:
        return [text]
    options = _candidates(text, keep, cells)
    ends = [*sorted(options), len(text)]
    # best[end] = (score, breaks) for lines that end at ``end``; the first line is the one from 0
    best: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    for end in ends:
        for start, (score, cuts) in list(best.items()):
            if start >= end:
                continue
            capacity = first_cells if start == 0 else cells
            width = text_cells(text[start:end])
            if width > capacity:
                continue
            line = text[start:end]
            value = score + (_LONELY if lonely(line) else 0)
            if end < len(text):
                value += options[end] * 4 + (capacity - width) * 0.5
            candidate = (round(value, 9), (*cuts, end) if end < len(text) else cuts)
            if end not in best or candidate < best[end]:
                best[end] = candidate
    if len(text) not in best:
        return [text]  # no word seam fits: the writers' own line breaking
    bounds = [0, *best[len(text)][1], len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def column_widths(columns: list[list[str]], width: float, padding: float,
                  unit: Callable[[str], float] = text_cells, fill: bool = True, advance: float = 1.0,
                  floor: float = 1.0) -> list[float]:
    """Widths (in character cells of the table's size, ``padding`` included) that make a table as short as
    its ``width`` allows: each column at least as wide as its header and its longest unit that must not
    break (``unit(text)``: a name, a post, a date), every column on one line when all fit, and otherwise
    the width handed out step by step to the column whose extra width saves the most lines over all
    rows — the way a typesetter widens the 承诺事项 and lets a long 职务 take two lines, instead of giving
    each short column its longest cell and squeezing the long one. ``columns[c]``: the header, then the
    body cells, of column ``c``. ``fill``: the widths add up to ``width`` (else, when all fit, each
    column keeps its natural width and the caller places the rest). ``advance``: a character's advance
    in cells (the table's letter spacing makes it a little less than one). ``floor``: a row's least
    height in lines (a 签到表's rows leave room to sign: a second line there costs less than a row).

    No column is left where a cell fits on one line in the PDF but not in LibreOffice, which sets a
    small gap at each seam between Chinese and digits or Latin letters (its DOCX import ignores
    w:autoSpaceDE): such a column is narrowed until the cell wraps in both."""
    padding += _CELL_SLACK  # a hair to spare: the engines round a column's width differently

    @cache  # the search below asks for each cell's length tens of thousands of times
    def need(text: str) -> float:  # a cell's length, with the small gap LibreOffice sets at each seam
        return text_cells(text) * advance + 0.25 * script_seams(text)

    def bare(text: str) -> float:  # its length without the gaps (the PDF, Word)
        return text_cells(text) * advance

    least = [max([need(col[0]), *(unit(text) for text in col)], default=0.0) + padding for col in columns]
    natural = [max((need(text) for text in col), default=0.0) + padding for col in columns]
    if sum(least) >= width:
        return [w * width / sum(least) for w in least]
    if sum(natural) <= width:
        return _settled(columns, list(natural), width if fill else None, padding, least, need, bare)
    rows = [[need(text) if text else None for text in row] for row in zip(*columns, strict=True)]

    def height(widths: list[float]) -> float:
        return sum(max(floor, *(math.ceil(length / max(w - padding, 0.5) - 1e-6) if length is not None else 1
                                for length, w in zip(row, widths, strict=True))) for row in rows)

    widths = list(least)
    step = 0.25
    while (spare := width - sum(widths)) > 1e-9:
        current, best = height(widths), None
        for col, (w, top) in enumerate(zip(widths, natural, strict=True)):
            room = min(top - w, spare)
            for grow in [*(step * k for k in range(1, int(room / step) + 1)), room] if room > 1e-9 else []:
                trial = [*widths[:col], w + grow, *widths[col + 1:]]  # the least widening that saves a line
                saved = current - height(trial)
                if saved > 1e-9:
                    rate = saved / grow
                    if best is None or rate > best[0] + 1e-9:
                        best = (rate, col, grow)
                    break
        if best is None:  # no single column saves a line: share what is left as each column lacks it
            lacking = [max(top - w, 0.0) for w, top in zip(widths, natural, strict=True)]
            total = sum(lacking) or len(widths)
            widths = [w + spare * (lack if sum(lacking) else 1) / total
                      for w, lack in zip(widths, lacking, strict=True)]
            break
        widths[best[1]] += best[2]
    widths = _traded(widths, least, natural, height, step)
    return _settled(columns, widths, width, padding, least, need, bare)


def _traded(widths: list[float], least: list[float], natural: list[float],
            height: Callable[[list[float]], float], step: float) -> list[float]:
    """The greedy widening can end where growing one column more would have saved more than what an
    earlier step bought (the 签到表's 单位 wrapping in two rows for a 职务 that still wraps): width moves from
    one column to another while that makes the table shorter."""
    for _ in range(50):
        current, best = height(widths), None
        for gain in range(len(widths)):
            room = natural[gain] - widths[gain]
            for grow in [*(step * k for k in range(1, int(room / step) + 1)), room] if room > 1e-9 else []:
                for give in range(len(widths)):
                    if give == gain or widths[give] - grow < least[give] - 1e-9:
                        continue
                    trial = list(widths)
                    trial[gain] += grow
                    trial[give] -= grow
                    saved = current - height(trial)
                    if saved > 1e-9 and (best is None or saved > best[0] + 1e-9):
                        best = (saved, trial)
        if best is None:
            return widths
        widths = best[1]
    return widths


def _settled(columns: list[list[str]], widths: list[float], total: float | None, padding: float,
             least: list[float], need: Callable[[str], float], bare: Callable[[str], float]) -> list[float]:
    """``widths`` with no column where a cell fits on one line without LibreOffice's seam gaps but not
    with them (narrowed so that it wraps in both), and, with ``total``, what is left given to a column
    where it lands no cell there (the one with the longest text first)."""
    def doubtful(col: int, w: float) -> list[str]:  # fits one line in one engine, maybe not in the other
        low, high = w - padding, w - padding + _CELL_SLACK + _CELL_ROOM
        return [text for text in columns[col] if text and bare(text) <= high and need(text) > low + 1e-6]

    for col in range(len(columns)):
        for _ in range(8):
            cells = doubtful(col, widths[col])
            if not cells or widths[col] <= least[col]:
                break
            fewest = min(bare(text) for text in cells)
            widths[col] = max(least[col], fewest + padding - _CELL_SLACK - _CELL_ROOM - 0.05)
    if total is None:
        return widths
    spare = total - sum(widths)
    order = sorted(range(len(columns)), key=lambda col: -max(map(text_cells, columns[col]), default=0.0))
    for col in order:  # the longest text's column, unless the rest would make a cell of it doubtful
        if not doubtful(col, widths[col] + spare):
            widths[col] += spare
            return widths
    widths[order[0]] += spare
    return widths
