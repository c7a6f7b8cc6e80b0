"""Snippets: the part of a paragraph a hit shows, and its highlighted words.

Kept apart from :mod:`fasearch.searching.matching`, which finds the matches
(and which ranking needs); this module only lays them out.  A hit carries
the results as data (:class:`fasearch.searching.search.Hit`: ``snippet``,
``window``, ``highlights``), and each output re-renders them with its own
marks: ``**`` in JSON and pipes, colour on a terminal, ``<mark>`` on the page.
"""

from __future__ import annotations

from ..text.chars import is_glue
from .matching import Match, word_window

PLAIN_MARK = ("**", "**")  # the marks of Hit.snippet and of --json
WIDTH = 220  # characters of a snippet, about: three lines of a terminal


def merged(matches: list[Match], text: str | None = None) -> list[tuple[int, int]]:
    """The highlighted spans: sorted, unique, never overlapping.

    Two query words can fall in one written word (``دی ماه`` in «دی‌ماه»),
    and a highlight covers whole words, so their spans are joined; with
    ``text``, so are words side by side (``هفت تپه`` is one mark, not two).

    >>> merged([Match(4, 7, "b", "b", "exact"), Match(0, 3, "a", "a", "exact")], "aaa bbb")
    [(0, 7)]
    """
    spans: list[list[int]] = []
    for start, end in sorted((m.start, m.end) for m in matches):
        if spans and (start < spans[-1][1] or text is not None and is_glue(text[spans[-1][1] : start])):
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]


def snippet_window(text: str, matches: list[Match], width: int = WIDTH) -> tuple[int, int]:
    """Offsets of about ``width`` characters of ``text`` around the most matches.

    The window starts and ends between words, and never between a word and
    a suffix written apart from it (``خانواده ها``), so no word is cut.
    """
    if len(text) <= width:
        return 0, len(text)
    best_start, best_score = 0, (-1, -1)
    for anchor in matches or [Match(0, 0, "", "", "")]:
        start = max(0, anchor.start - width // 4)
        inside = [m for m in matches if m.start >= start and m.end <= start + width]
        score = (len({m.query for m in inside}), len(inside))
        if score > best_score:
            best_start, best_score = start, score
    return word_window(text, best_start, width)


def segments(text: str, spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[str, bool]]:
    """``text[start:end]`` as (piece, highlighted) pairs, with "…" where it is
    cut; ``spans`` are :func:`merged` ones (a hit's ``highlights``).

    >>> segments("aaa bbb ccc", [(4, 7)], 4, 11)
    [('…', False), ('bbb', True), (' ccc', False)]
    """
    out: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    at = start
    for a, b in spans:
        if a < start or b > end:
            continue
        out += [(text[at:a], False), (text[a:b], True)]
        at = b
    out.append((text[at:end], False))
    if end < len(text):
        out.append(("…", False))
    return [(piece, marked) for piece, marked in out if piece]


def render(text: str, spans: list[tuple[int, int]], start: int, end: int,
           mark: tuple[str, str] = PLAIN_MARK) -> str:
    """``text[start:end]`` with every span inside wrapped in ``mark``.

    >>> render("aaa bbb ccc", [(4, 7)], 0, 7)
    'aaa **bbb**…'
    """
    return "".join(f"{mark[0]}{piece}{mark[1]}" if marked else piece
                   for piece, marked in segments(text, spans, start, end)).strip()
