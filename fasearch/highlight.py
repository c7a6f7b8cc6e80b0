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
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, chain

from .analysis import pieces, verb_group
from .chars import LRM, RLM, WORD_RE, ZWNJ, fold, is_glue
from .morphology import lemmas, preload
from .querying import MIN_PIECE_CHARS, PREFIXES, SUFFIXES, Unit

RULES = ("exact", "letter fold", "space/ZWNJ join", "lemma", "prefix")
_MAX_SPAN = 4  # pieces one unit may cover (سرمایه داری ها; ﷽ typed, four words written)
_SPACES = re.compile(r"\s+")
_AFFIXES = PREFIXES | SUFFIXES


@dataclass(frozen=True)
class Match:
    start: int  # offsets into the paragraph, widened to whole words
    end: int
    query: str  # the query word as typed
    found: str  # the paragraph's words
    rule: str
    unit: int = 0  # which of the units asked for


@functools.lru_cache(maxsize=4096)  # the same words are spelt in many paragraphs
def _exact_form(text: str) -> str:
    return _SPACES.sub(" ", text.replace(RLM, "").replace(LRM, "")).strip().lower()


def _boundaries(text: str, para: _Paragraph, i: int, length: int) -> list[str]:
    return ["z" if ZWNJ in text[para.end(k) : para.start(k + 1)] else "s" for k in range(i, i + length - 1)]


@functools.lru_cache(maxsize=1024)
def _typed_boundaries(raws: tuple[str, ...]) -> list[str]:
    """Space or ZWNJ between the pieces of a unit as typed (a ZWNJ may sit
    inside one typed word: می‌شود), read as the paragraph's are."""
    typed = " ".join(raws)
    para = _analyze(typed)
    return _boundaries(typed, para, 0, len(para.folded))


@functools.lru_cache(maxsize=16384)  # bounded: about 400 bytes a run, 6 MB
def _run_pieces(run: str) -> tuple[tuple[str, int, int, bool, int, int], ...]:
    """The pieces of a run of text between two spaces, most often one word:
    (folded, start, end, glued, word start, word end), offsets into the run.

    No word holds a space, so the runs' pieces are the paragraph's
    (:func:`fasearch.analysis.pieces`), except ``glued`` of a run's first
    piece, which depends on the text before it.  Cached per run, not per
    paragraph: words repeat across paragraphs.
    """
    words = [m.span() for m in WORD_RE.finditer(run)]
    return tuple((fold(p.text), p.start, p.end, p.glued, *words[p.word]) for p in pieces(run))


_glue = functools.lru_cache(maxsize=1024)(is_glue)  # the text between two words: a few kinds


class _Paragraph:
    """A paragraph's pieces, their folded forms and lemmas, computed once.

    It holds a few flat lists, not a dict of places per form and lemma: the
    few a query looks for are found in them when asked (:meth:`places`,
    :meth:`lemma_places`), and a cached paragraph stays a handful of objects
    for the garbage collector to walk.  Offsets are worked out only for the
    pieces that matched.
    """

    def __init__(self, text: str):
        runs = text.split(" ")
        found = [_run_pieces(run) for run in runs]
        self.text = text
        self._runs = found
        self.pieces = list(chain.from_iterable(found))  # (folded, start, end, glued, word start, word end)
        self.folded = [p[0] for p in self.pieces]
        self._run_ends = list(accumulate(map(len, runs)))  # of each run, less the spaces before it
        # Where each piece's run starts in the text: a piece's offsets without
        # a search per piece (runs start at distinct offsets, so it names the run too).
        starts = [0, *(end + run for run, end in enumerate(self._run_ends[:-1], start=1))]
        self._at = [at for at, run in zip(starts, found) for _ in run]
        preload(self.folded)
        self.lemmas = list(map(lemmas, self.folded))
        self.lemma_list = list(chain.from_iterable(self.lemmas))  # every piece's lemmas, end to end
        self._lemmas_to = list(accumulate(map(len, self.lemmas)))
        self.joined = self._written_apart()  # (where, pieces, lemmas): 2 or 3 pieces read as one form
        self.forms = frozenset(self.folded)
        self.lemma_set = frozenset(chain(self.lemma_list, *(found for _, _, found in self.joined)))
        self._whole: tuple[list[int], list[int]] | None = None  # see whole_words

    def places(self, form: str) -> list[int]:
        """Where the folded piece ``form`` stands."""
        return _positions(self.folded, form) if form in self.forms else []

    def lemma_places(self, lemma: str) -> list[tuple[int, int]]:
        """(where, pieces) of the forms of ``lemma``: 1 piece, or 2-3 written apart."""
        if lemma not in self.lemma_set:
            return []
        out = [(bisect_right(self._lemmas_to, j), 1) for j in _positions(self.lemma_list, lemma)]
        return out + [(i, length) for i, length, found in self.joined if lemma in found]

    def start(self, i: int) -> int:
        return self._at[i] + self.pieces[i][1]

    def end(self, i: int) -> int:
        return self._at[i] + self.pieces[i][2]

    def word_span(self, i: int) -> tuple[int, int]:
        """The offsets of the whole written word of piece ``i``."""
        at = self._at[i]
        return at + self.pieces[i][4], at + self.pieces[i][5]

    def glued(self, i: int) -> bool:
        """Only a space or ZWNJ separates piece ``i`` from the one before."""
        if i == 0 or self._at[i - 1] == self._at[i]:
            return self.pieces[i][3]  # the first of the text, or decided inside the run
        return _glue(self.text[self.word_span(i - 1)[1] : self.word_span(i)[0]])

    def layout(self) -> list[tuple[int, int, bool, str]]:
        """(start, end, glued, folded) of every piece, for the snippet's window."""
        out, word_end = [], 0
        for run, found in enumerate(self._runs):
            at = self._run_ends[run - 1] + run if run else 0
            for k, (form, start, end, glued, word_start, end_of_word) in enumerate(found):
                if k == 0 and out:  # the run's first piece: the text before it decides
                    glued = _glue(self.text[word_end : at + word_start])
                out.append((at + start, at + end, glued, form))
                word_end = at + end_of_word
        return out

    def whole_words(self) -> tuple[list[int], list[int]]:
        """(starts, ends) of the written words (:func:`_whole_words`), both
        ascending: where a snippet may start and end.  Worked out at the
        paragraph's first snippet and kept with its analysis."""
        # Kept in an attribute set in __init__, not a cached_property: writing
        # to the instance's __dict__ makes every attribute read of it slower.
        if self._whole is None:
            spans = _whole_words(self.text, self.layout())
            self._whole = [a for a, _ in spans], [b for _, b in spans]
        return self._whole

    def _written_apart(self) -> list[tuple[int, int, tuple[str, ...]]]:
        """(where, pieces, lemmas) of the forms written in 2 or 3 pieces."""
        folded, n, out = self.folded, len(self.folded), []
        # Each such form has an affix among its pieces: only there can the rules below apply.
        affixes = [i for affix in _AFFIXES.intersection(folded) for i in _positions(folded, affix)]
        for i in sorted({j for i in affixes for j in (i - 1, i) if j >= 0}):
            # A form written in two pieces: a verb prefix or a suffix written apart
            # (می شود, کارگر ها), the same affixes the query side groups.
            if i + 1 < n and (folded[i] in PREFIXES or folded[i + 1] in SUFFIXES) and self.glued(i + 1):
                out.append((i, 2, lemmas(folded[i] + ZWNJ + folded[i + 1])))  # written apart: نمی‌رم
            # A preverb, a prefix and a verb written apart (بر نمی گردد), as the index groups them.
            if i + 2 < n and verb_group(folded[i : i + 2], folded[i + 2]) == folded[i : i + 3] and (
                self.glued(i + 1) and self.glued(i + 2)
            ):
                out.append((i, 3, lemmas(ZWNJ.join(folded[i : i + 3]))))
        return out


@functools.lru_cache(maxsize=1024)  # bounded: about 1,000 paragraphs of analysis
def _analyze(text: str) -> _Paragraph:
    return _Paragraph(text)


@dataclass(frozen=True)
class _Word:
    """A unit as matching reads it in every paragraph, worked out once per
    query (``Unit`` computes ``joined`` and ``lemmas`` at each access)."""

    joined: str
    parts: list[str]
    raws: tuple[str, ...]
    typed: str  # the words as typed, in the form exact matching compares
    query: str  # the words as typed, as a Match names them
    lemmas: tuple[str, ...]
    beginnings: frozenset[str]  # the folded pieces that may start a spelling of it
    prefix: bool
    glued: bool

    @classmethod
    def of(cls, unit: Unit) -> _Word:
        joined, raws = unit.joined, tuple(unit.raws)
        return cls(joined, list(unit.parts), raws, _exact_form(" ".join(raws)), " ".join(raws), unit.lemmas,
                   frozenset(joined[:k] for k in range(1, len(joined) + 1)), unit.prefix, unit.glued)


class Sought:
    """The units of a query, read once for all the paragraphs matched against
    them (a search matches the same units in 60 texts)."""

    def __init__(self, units: list[Unit]):
        self.words = [_Word.of(unit) for unit in units]
        # Two words typed apart that a text may write as one: (unit number, the written word).
        self.pairs = [(number, first.joined + second.joined)
                      for number, (first, second) in enumerate(zip(self.words, self.words[1:]))
                      if second.glued and len(first.parts) == len(second.parts) == 1
                      and not first.prefix and not second.prefix]

    def __len__(self) -> int:
        return len(self.words)


def _spelling_at(text: str, para: _Paragraph, i: int, word: _Word):
    """(rule rank, pieces) if pieces i.. spell ``word`` (exact, letter fold or join)."""
    folded, joined = para.folded, word.joined
    so_far, length = "", 0
    while i + length < len(folded) and length < _MAX_SPAN:
        if length and not para.glued(i + length):
            return None
        so_far += folded[i + length]
        length += 1
        if not joined.startswith(so_far):
            return None
        if so_far == joined:
            if _exact_form(text[para.start(i) : para.end(i + length - 1)]) == word.typed:
                return _EXACT, length
            if folded[i : i + length] == word.parts and (
                length == 1 or _boundaries(text, para, i, length) == _typed_boundaries(word.raws)
            ):
                return _LETTER_FOLD, length
            pieces_found = folded[i : i + length]
            if pieces_found != word.parts and min(map(len, pieces_found)) < MIN_PIECE_CHARS:
                return None  # و زن is «and woman», not وزن (querying.segmentations never cuts so)
            return _JOIN, length
    return None


_EXACT, _LETTER_FOLD, _JOIN, _LEMMA, _PREFIX = range(len(RULES))  # a rule's rank: its place in RULES


def _positions(items: list[str], item: str) -> list[int]:
    """Where ``item`` stands in ``items`` (list.index runs in C)."""
    out, at = [], -1
    try:
        while True:
            at = items.index(item, at + 1)
            out.append(at)
    except ValueError:
        return out


def _candidates(text: str, para: _Paragraph, word: _Word):
    """Every (start piece, rule rank, pieces) where ``word`` matches."""
    if word.prefix:
        return [(i, _PREFIX, 1) for i, form in enumerate(para.folded) if form.startswith(word.joined)]
    out = []
    for form in para.forms.intersection(word.beginnings):  # pieces that may start the spelling
        for i in _positions(para.folded, form):
            found = _spelling_at(text, para, i, word)
            if found:
                out.append((i, *found))
    for lemma in para.lemma_set.intersection(word.lemmas):
        out += [(i, _LEMMA, length) for i, length in para.lemma_places(lemma)]
    return out


def word_count(text: str) -> int:
    """The pieces of ``text`` (its fold field's length), from the cached analysis."""
    return len(_analyze(text).folded)


def find_matches(text: str, units: list[Unit] | Sought) -> list[Match]:
    """The matches of ``units`` in ``text``, left to right, not overlapping.

    Where several start at one word, the strictest rule wins, then the longest.
    """
    sought = units if isinstance(units, Sought) else Sought(units)
    para = _analyze(text)
    best: dict[int, tuple[int, int, int]] = {}  # start -> (rule rank, -pieces, unit number)
    for number, word in enumerate(sought.words):
        if not word.prefix and para.forms.isdisjoint(word.beginnings) and para.lemma_set.isdisjoint(word.lemmas):
            continue  # nothing here to look at (most words in most paragraphs)
        for i, rank, length in _candidates(text, para, word):
            if i not in best or (rank, -length) < best[i][:2]:
                best[i] = (rank, -length, number)
    matches: list[Match] = []
    covered = 0  # pieces before this index are inside a match already
    for i in sorted(best):
        if i < covered:
            continue
        rank, negative_length, number = best[i]
        start = para.word_span(i)[0]
        end = para.word_span(i - negative_length - 1)[1]
        matches.append(Match(start, end, sought.words[number].query, text[start:end], RULES[rank], number))
        covered = i - negative_length
    if sought.pairs:
        taken = {(m.start, m.end) for m in matches}
        matches += [m for m in _joined_pairs(text, para, sought) if (m.start, m.end) not in taken]
    return sorted(matches, key=lambda m: (m.start, m.unit))


def _joined_pairs(text: str, para: _Paragraph, sought: Sought):
    """Two words typed apart that the text writes as one (امیر کبیر in
    «امیرکبیر»): a match for each, on the same written word."""
    for number, written in sought.pairs:
        for i in para.places(written):
            start, end = para.word_span(i)
            for offset in (0, 1):
                yield Match(start, end, sought.words[number + offset].query, text[start:end], "space/ZWNJ join",
                            number + offset)


def phrase_matches(text: str, units: list[Unit] | Sought, number: int) -> list[Match]:
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
    starts, ends = _analyze(text).whole_words()
    at = bisect_right(starts, best_start)  # the last word starting at or before best_start
    start = starts[at - 1] if at else 0
    at = bisect_right(ends, start + width)  # the last word ending inside the width
    if at and ends[at - 1] > start:
        return start, ends[at - 1]
    at = bisect_right(ends, start)  # none: the first word ending after the start, however long
    return start, ends[at] if at < len(ends) else len(text)


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
