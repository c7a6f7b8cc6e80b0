"""Which words of a paragraph matched which query words, by which rule.

The same facts serve the highlighted snippet and ``--explain``.  Matching
repeats the index's rules on the paragraph's own words, strictest first:

``exact``            the words as typed
``letter fold``      the same pieces in another spelling (ي/ی, digits, marks)
``space/ZWNJ join``  the same letters with a space, a ZWNJ or nothing between
``lemma``            another form of the word (کارگران for کارگر)
``prefix``           a word starting with a ``prefix*``

A highlight always covers whole words (a word written with ZWNJ is one
word), so it never cuts between joined letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import Piece, pieces
from .chars import LRM, RLM, ZWNJ, fold
from .morphology import lemmas
from .querying import Unit

RULES = ("exact", "letter fold", "space/ZWNJ join", "lemma", "prefix")
_MAX_SPAN = 3  # pieces one unit may cover (سرمایه داری ها)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    start: int  # offsets into the paragraph, widened to whole words
    end: int
    query: str  # the query word as typed
    found: str  # the paragraph's words
    rule: str


def _exact_form(text: str) -> str:
    return _SPACES.sub(" ", text.replace(RLM, "").replace(LRM, "")).strip().lower()


def _boundaries(text: str, span: list[Piece]) -> list[str]:
    return ["z" if ZWNJ in text[a.end : b.start] else "s" for a, b in zip(span, span[1:])]


def _rule(text: str, span: list[Piece], folded: list[str], unit: Unit) -> str | None:
    if unit.prefix:
        return "prefix" if len(span) == 1 and folded[0].startswith(unit.joined) else None
    if "".join(folded) == unit.joined:
        if _exact_form(text[span[0].start : span[-1].end]) == _exact_form(" ".join(unit.raws)):
            return "exact"
        query_bounds = ["z" if ZWNJ in raw else "s" for raw in unit.raws[1:]]
        if folded == unit.parts and (len(span) == 1 or _boundaries(text, span) == query_bounds):
            return "letter fold"
        return "space/ZWNJ join"
    if len(span) <= 2 and set(lemmas("".join(folded))) & set(unit.lemmas):
        return "lemma"
    return None


def find_matches(text: str, units: list[Unit]) -> list[Match]:
    """The matches of ``units`` in ``text``, left to right, not overlapping."""
    words = list(pieces(text))
    folded = [fold(p.text) for p in words]
    word_span = {}  # word index -> (start, end) of the whole word
    for p in words:
        start, end = word_span.get(p.word, (p.start, p.end))
        word_span[p.word] = (min(start, p.start), max(end, p.end))
    matches: list[Match] = []
    i = 0
    while i < len(words):
        best = None  # (rank of rule, -length, unit, length)
        for unit in units:
            for length in range(1, _MAX_SPAN + 1):
                span = words[i : i + length]
                if len(span) < length or any(not p.glued for p in span[1:]):
                    break
                rule = _rule(text, span, folded[i : i + length], unit)
                if rule:
                    candidate = (RULES.index(rule), -length, unit, length)
                    if best is None or candidate[:2] < best[:2]:
                        best = candidate
        if best is None:
            i += 1
            continue
        rank, _, unit, length = best
        span = words[i : i + length]
        start = word_span[span[0].word][0]
        end = word_span[span[-1].word][1]
        matches.append(Match(start, end, " ".join(unit.raws), text[start:end], RULES[rank]))
        i += length
    return matches


def snippet_window(text: str, matches: list[Match], width: int = 220) -> tuple[int, int]:
    """Offsets of about ``width`` characters of ``text`` around the most matches.

    The window starts and ends between words, so no word is cut.
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
    start = best_start
    if start > 0:  # move to the start of a word
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 else 0
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def render(text: str, matches: list[Match], start: int, end: int, mark: tuple[str, str]) -> str:
    """``text[start:end]`` with every match inside wrapped in ``mark``."""
    out, at = [], start
    for m in matches:
        if m.start < start or m.end > end:
            continue
        out += [text[at : m.start], mark[0], text[m.start : m.end], mark[1]]
        at = m.end
    out.append(text[at:end])
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out).strip() + suffix
