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

import functools
import re
from dataclasses import dataclass

from .analysis import Piece, pieces, verb_group
from .chars import LRM, RLM, ZWNJ, fold, is_glue
from .morphology import lemmas, preload
from .querying import PREFIXES, SUFFIXES, Unit

RULES = ("exact", "letter fold", "space/ZWNJ join", "lemma", "prefix")
_MAX_SPAN = 4  # pieces one unit may cover (سرمایه داری ها; ﷽ typed, four words written)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    start: int  # offsets into the paragraph, widened to whole words
    end: int
    query: str  # the query word as typed
    found: str  # the paragraph's words
    rule: str
    unit: int = 0  # which of the units asked for


def _exact_form(text: str) -> str:
    return _SPACES.sub(" ", text.replace(RLM, "").replace(LRM, "")).strip().lower()


def _boundaries(text: str, span: list[Piece]) -> list[str]:
    return ["z" if ZWNJ in text[a.end : b.start] else "s" for a, b in zip(span, span[1:])]


@dataclass(frozen=True)
class _Paragraph:
    """A paragraph's pieces, folded forms and lemmas, computed once, indexed."""

    words: list[Piece]
    folded: list[str]
    word_span: dict[int, tuple[int, int]]  # word index -> offsets of the whole word
    by_fold: dict[str, list[int]]  # folded piece -> where it stands
    by_lemma: dict[str, list[tuple[int, int]]]  # lemma -> (where, pieces): 1, or 2 joined


@functools.lru_cache(maxsize=1024)  # bounded: about 1,000 paragraphs of analysis
def _analyze(text: str) -> _Paragraph:
    words = list(pieces(text))
    folded = [fold(p.text) for p in words]
    preload(folded)
    word_span: dict[int, tuple[int, int]] = {}
    by_fold: dict[str, list[int]] = {}
    by_lemma: dict[str, list[tuple[int, int]]] = {}
    for i, p in enumerate(words):
        start, end = word_span.get(p.word, (p.start, p.end))
        word_span[p.word] = (min(start, p.start), max(end, p.end))
        by_fold.setdefault(folded[i], []).append(i)
        for lemma in lemmas(folded[i]):
            by_lemma.setdefault(lemma, []).append((i, 1))
        # A form written in two pieces: a verb prefix or a suffix written apart
        # (می شود, کارگر ها), the same affixes the query side groups.
        if i + 1 < len(words) and words[i + 1].glued and (
            folded[i] in PREFIXES or folded[i + 1] in SUFFIXES
        ):
            for lemma in lemmas(folded[i] + ZWNJ + folded[i + 1]):  # written apart: نمی‌رم
                by_lemma.setdefault(lemma, []).append((i, 2))
        # A preverb, a prefix and a verb written apart (بر نمی گردد), as the index groups them.
        if i + 2 < len(words) and words[i + 1].glued and words[i + 2].glued and (
            verb_group(folded[i : i + 2], folded[i + 2]) == folded[i : i + 3]
        ):
            for lemma in lemmas(ZWNJ.join(folded[i : i + 3])):
                by_lemma.setdefault(lemma, []).append((i, 3))
    return _Paragraph(words, folded, word_span, by_fold, by_lemma)


def _spelling_at(text: str, para: _Paragraph, i: int, unit: Unit):
    """(rule, pieces) if pieces i.. spell ``unit`` (exact, letter fold or join)."""
    words, folded, joined = para.words, para.folded, unit.joined
    so_far, length = "", 0
    while i + length < len(words) and length < _MAX_SPAN:
        if length and not words[i + length].glued:
            return None
        so_far += folded[i + length]
        length += 1
        if not joined.startswith(so_far):
            return None
        if so_far == joined:
            span = words[i : i + length]
            if _exact_form(text[span[0].start : span[-1].end]) == _exact_form(" ".join(unit.raws)):
                return "exact", length
            bounds = ["z" if ZWNJ in raw else "s" for raw in unit.raws[1:]]
            if folded[i : i + length] == unit.parts and (length == 1 or _boundaries(text, span) == bounds):
                return "letter fold", length
            return "space/ZWNJ join", length
    return None


def _candidates(text: str, para: _Paragraph, unit: Unit):
    """Every (start piece, rule, pieces) where ``unit`` matches."""
    if unit.prefix:
        for form, places in para.by_fold.items():
            if form.startswith(unit.joined):
                yield from ((i, "prefix", 1) for i in places)
        return
    joined = unit.joined
    for k in range(1, len(joined) + 1):  # pieces that may start the spelling
        for i in para.by_fold.get(joined[:k], ()):
            found = _spelling_at(text, para, i, unit)
            if found:
                yield i, found[0], found[1]
    for lemma in unit.lemmas:
        for i, length in para.by_lemma.get(lemma, ()):
            yield i, "lemma", length


def word_count(text: str) -> int:
    """The pieces of ``text`` (its fold field's length), from the cached analysis."""
    return len(_analyze(text).words)


def find_matches(text: str, units: list[Unit]) -> list[Match]:
    """The matches of ``units`` in ``text``, left to right, not overlapping.

    Where several start at one word, the strictest rule wins, then the longest.
    """
    para = _analyze(text)
    best: dict[int, tuple[int, int, int]] = {}  # start -> (rule rank, -pieces, unit number)
    for number, unit in enumerate(units):
        for i, rule, length in _candidates(text, para, unit):
            candidate = (RULES.index(rule), -length, number)
            if i not in best or candidate[:2] < best[i][:2]:
                best[i] = candidate
    matches: list[Match] = []
    covered = 0  # pieces before this index are inside a match already
    for i in sorted(best):
        if i < covered:
            continue
        rank, negative_length, number = best[i]
        unit = units[number]
        span = para.words[i : i - negative_length]
        start = para.word_span[span[0].word][0]
        end = para.word_span[span[-1].word][1]
        matches.append(Match(start, end, " ".join(unit.raws), text[start:end], RULES[rank], number))
        covered = i - negative_length
    taken = {(m.start, m.end) for m in matches}
    matches += [m for m in _joined_pairs(text, para, units) if (m.start, m.end) not in taken]
    return sorted(matches, key=lambda m: (m.start, m.unit))


def _joined_pairs(text: str, para: _Paragraph, units: list[Unit]):
    """Two words typed apart that the text writes as one (امیر کبیر in
    «امیرکبیر»): a match for each, on the same written word."""
    for number, (first, second) in enumerate(zip(units, units[1:])):
        if not (second.glued and len(first.parts) == len(second.parts) == 1 and not first.prefix
                and not second.prefix):
            continue
        for i in para.by_fold.get(first.joined + second.joined, ()):
            start, end = para.word_span[para.words[i].word]
            for offset, unit in enumerate((first, second)):
                yield Match(start, end, " ".join(unit.raws), text[start:end], "space/ZWNJ join", number + offset)


def phrase_matches(text: str, units: list[Unit], number: int) -> list[Match]:
    """Where the quoted phrase ``units`` stands: one match per occurrence.

    Its words must follow each other in order, with only spaces or ZWNJ
    between, in any spelling (never another inflection, as in the search).
    """
    found = [m for m in find_matches(text, units) if m.rule != "lemma"]
    out = []
    for i in range(len(found) - len(units) + 1):
        run = found[i : i + len(units)]
        if [m.unit for m in run] == list(range(len(units))) and all(
            is_glue(text[a.end : b.start]) for a, b in zip(run, run[1:])
        ):
            worst = max((m.rule for m in run), key=RULES.index)
            out.append(Match(run[0].start, run[-1].end, " ".join(m.query for m in run),
                             text[run[0].start : run[-1].end], worst, number))
    return out


def merged(matches: list[Match], text: str | None = None) -> list[tuple[int, int]]:
    """The highlighted spans: sorted, unique, never overlapping.

    Two query words can fall in one written word (``دی ماه`` in «دی‌ماه»),
    and a highlight covers whole words, so their spans are joined; with
    ``text``, so are words side by side (``هفت تپه`` is one mark, not two).
    """
    spans: list[list[int]] = []
    for start, end in sorted((m.start, m.end) for m in matches):
        if spans and (start < spans[-1][1] or text is not None and is_glue(text[spans[-1][1] : start])):
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]


def snippet_window(text: str, matches: list[Match], width: int = 220) -> tuple[int, int]:
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
    words = [(p.start, p.end, p.glued, fold(p.text)) for p in _analyze(text).words]
    whole = _whole_words(text, words)
    start = max((a for a, _ in whole if a <= best_start), default=0)
    ends = [b for _, b in whole if b <= start + width]
    end = ends[-1] if ends and ends[-1] > start else next((b for _, b in whole if b > start), len(text))
    return start, end


def _whole_words(text: str, words) -> list[tuple[int, int]]:
    """Spans of the written words, a suffix or verb prefix typed apart kept
    with its word (``خانواده ها``, ``می شود``) so a window never splits them."""
    out: list[list[int]] = []
    for i, (start, end, glued, folded) in enumerate(words):
        joins_previous = out and glued and (folded in SUFFIXES or words[i - 1][3] in PREFIXES
                                            or ZWNJ in text[words[i - 1][1] : start])
        if joins_previous or (out and start < out[-1][1]):
            out[-1][1] = end
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def segments(text: str, matches: list[Match], start: int, end: int) -> list[tuple[str, bool]]:
    """``text[start:end]`` as (piece, highlighted) pairs, with "…" where it is cut."""
    out: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    at = start
    for a, b in merged(matches, text):
        if a < start or b > end:
            continue
        out += [(text[at:a], False), (text[a:b], True)]
        at = b
    out.append((text[at:end], False))
    if end < len(text):
        out.append(("…", False))
    return [(piece, marked) for piece, marked in out if piece]


def render(text: str, matches: list[Match], start: int, end: int, mark: tuple[str, str]) -> str:
    """``text[start:end]`` with every match inside wrapped in ``mark``."""
    return "".join(f"{mark[0]}{piece}{mark[1]}" if marked else piece
                   for piece, marked in segments(text, matches, start, end)).strip()
