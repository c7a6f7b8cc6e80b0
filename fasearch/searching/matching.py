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
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, chain
from operator import attrgetter, itemgetter
from typing import NamedTuple

from ..query.parsing import Unit
from ..query.vocabulary import MIN_PIECE_CHARS
from ..text.analysis import VERB_PREFIXES, pieces, verb_group
from ..text.chars import LRM, RLM, WORD_RE, ZWNJ, fold, is_glue
from ..text.lexicon import lemmas
from ..text.wordlists import PREFIXES, SUFFIXES

RULES = ("exact", "letter fold", "space/ZWNJ join", "lemma", "prefix")
_MAX_SPAN = 4  # pieces one unit may cover (سرمایه داری ها; ﷽ typed, four words written)
_SPACES = re.compile(r"\s+")
_AFFIXES = PREFIXES | SUFFIXES


class Match(NamedTuple):  # a tuple: a search makes hundreds, and a frozen dataclass is slow to build
    start: int  # offsets into the paragraph, widened to whole words
    end: int
    query: str  # the query word as typed
    found: str  # the paragraph's words
    rule: str
    unit: int = 0  # which of the units asked for


by_place = attrgetter("start", "unit")  # the order of a paragraph's matches (a sort key in C)


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
    (:func:`fasearch.text.analysis.pieces`), except ``glued`` of a run's first
    piece, which depends on the text before it.  Cached per run, not per
    paragraph: words repeat across paragraphs.
    """
    words = [m.span() for m in WORD_RE.finditer(run)]
    return tuple((fold(p.text), p.start, p.end, p.glued, *words[p.word]) for p in pieces(run))


_glue = functools.lru_cache(maxsize=1024)(is_glue)  # the text between two words: a few kinds


class _Paragraph:
    """A paragraph's pieces, their folded forms and lemmas, computed once.

    It holds a few flat lists, not a dict of places per form and lemma: the
    few a query looks for are found in them when asked (:meth:`places_of`,
    :meth:`lemma_places_of`), and a cached paragraph stays a handful of objects
    for the garbage collector to walk.  Offsets are worked out only for the
    pieces that matched.
    """

    def __init__(self, text: str):
        runs = text.split(" ")
        found = [_run_pieces(run) for run in runs]
        self.text = text
        self.pieces = list(chain.from_iterable(found))  # (folded, start, end, glued, word start, word end)
        self.folded = list(map(itemgetter(0), self.pieces))
        self._pieces_to = list(accumulate(map(len, found)))  # pieces up to each run's end
        self._run_ends = list(accumulate(map(len, runs)))  # of each run, less the spaces before it
        self.lemmas = list(map(lemmas, self.folded))
        self.lemma_list = list(chain.from_iterable(self.lemmas))  # every piece's lemmas, end to end
        self._lemmas_to = list(accumulate(map(len, self.lemmas)))
        self.joined = self._written_apart()  # (where, pieces, lemmas): 2 or 3 pieces read as one form
        self.forms = frozenset(self.folded)
        self.lemma_set = frozenset(chain(self.lemma_list, *(found for _, _, found in self.joined)))

    def run(self, i: int) -> int:
        """The run of piece ``i``."""
        return bisect_right(self._pieces_to, i)

    def places(self, form: str) -> list[int]:
        """Where the folded piece ``form`` stands."""
        return _positions(self.folded, form) if form in self.forms else []

    # A query looks for a few forms and lemmas at once: one pass over the
    # pieces with a set lookup each costs less than a search per form.

    def places_of(self, forms: frozenset[str]) -> list[int]:
        """Where any of the folded pieces ``forms`` stands, in order."""
        return [i for i, form in enumerate(self.folded) if form in forms]

    def lemma_places_of(self, wanted: frozenset[str]) -> list[tuple[int, int, str]]:
        """(where, pieces, lemma) of the forms of the lemmas ``wanted``: 1 piece, or 2-3 written apart."""
        out = [(bisect_right(self._lemmas_to, j), 1, lemma) for j, lemma in enumerate(self.lemma_list)
               if lemma in wanted]
        return out + [(i, length, lemma) for i, length, found in self.joined for lemma in found if lemma in wanted]

    def _offset(self, i: int) -> int:
        """Where the run of piece ``i`` starts in the text."""
        # Not a table per piece: it would cost more to build than the searches
        # it saves, in a paragraph read once.
        run = self.run(i)
        return self._run_ends[run - 1] + run if run else 0

    def start(self, i: int) -> int:
        return self._offset(i) + self.pieces[i][1]

    def end(self, i: int) -> int:
        return self._offset(i) + self.pieces[i][2]

    def word_span(self, i: int) -> tuple[int, int]:
        """The offsets of the whole written word of piece ``i``."""
        at = self._offset(i)
        return at + self.pieces[i][4], at + self.pieces[i][5]

    def glued(self, i: int) -> bool:
        """Only a space or ZWNJ separates piece ``i`` from the one before."""
        if i == 0 or self.run(i - 1) == self.run(i):
            return self.pieces[i][3]  # the first of the text, or decided inside the run
        return _glue(self.text[self.word_span(i - 1)[1] : self.word_span(i)[0]])

    def joins_previous(self, i: int) -> bool:
        """Piece ``i`` (``i`` > 0) is of the written word of the piece before,
        which a snippet never splits: a ZWNJ part, a suffix or verb prefix
        typed apart (``خانواده ها``, ``می شود``), a ligature's next word."""
        start, previous_end = self.start(i), self.end(i - 1)
        return start < previous_end or self.glued(i) and (
            self.folded[i] in SUFFIXES or self.folded[i - 1] in PREFIXES or ZWNJ in self.text[previous_end:start])

    def word_start(self, offset: int) -> int:
        """The last start of a written word (:meth:`joins_previous`) at or before ``offset``, else 0."""
        i = bisect_right(range(len(self.pieces)), offset, key=self.start) - 1  # the last piece starting so
        while i > 0 and self.joins_previous(i):
            i -= 1
        return self.start(i) if i >= 0 else 0

    def word_end(self, offset: int, after: int) -> int:
        """The last end of a written word at or before ``offset`` if it is
        after ``after``, else the first after ``after``, else the text's end."""
        last = len(self.pieces) - 1
        i = bisect_right(range(last + 1), offset, key=self.end) - 1  # the last piece ending so
        while 0 <= i < last and self.joins_previous(i + 1):
            i -= 1
        if i >= 0 and self.end(i) > after:
            return self.end(i)
        i = bisect_right(range(last + 1), after, key=self.end)  # the first piece ending after
        while i < last and self.joins_previous(i + 1):
            i += 1
        return self.end(i) if i <= last else len(self.text)

    def _written_apart(self) -> list[tuple[int, int, tuple[str, ...]]]:
        """(where, pieces, lemmas) of the forms written in 2 or 3 pieces."""
        folded, n, out = self.folded, len(self.folded), []
        # Each such form has an affix among its pieces: only there can the rules below apply.
        affixes = [i for i, form in enumerate(folded) if form in _AFFIXES]
        for i in sorted({j for a in affixes for j in (a - 1, a) if j >= 0}):
            # A form written in two pieces: a verb prefix or a suffix written apart
            # (می شود, کارگر ها), the same affixes the query side groups.
            if i + 1 < n and (folded[i] in PREFIXES or folded[i + 1] in SUFFIXES) and self.glued(i + 1):
                out.append((i, 2, lemmas(folded[i] + ZWNJ + folded[i + 1])))  # written apart: نمی‌رم
            # A preverb, a prefix and a verb written apart (بر نمی گردد), as the index groups them.
            if i + 2 < n and folded[i + 1] in VERB_PREFIXES and (  # else no verb group: the cheap test first
                verb_group(folded[i : i + 2], folded[i + 2]) == folded[i : i + 3]) and (
                self.glued(i + 1) and self.glued(i + 2)
            ):
                out.append((i, 3, lemmas(ZWNJ.join(folded[i : i + 3]))))
        return out


@functools.lru_cache(maxsize=1024)  # bounded: about 1,000 paragraphs of analysis
def _analyze(text: str) -> _Paragraph:
    return _Paragraph(text)


def words_of(texts: Iterable[str]) -> set[str]:
    """The folded pieces of ``texts``, as matching reads them: a search
    preloads their lemmas from the open index's table (IndexLexicon.preload),
    all the texts it will match at once, before it matches any."""
    return {piece[0] for text in texts for run in text.split(" ") for piece in _run_pieces(run)}


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
        self.prefixed = [number for number, word in enumerate(self.words) if word.prefix]
        # Which words a paragraph's piece may start, or a lemma may be of: one
        # set intersection per paragraph finds all there is to look at.
        self.by_beginning: dict[str, list[int]] = {}
        self.by_lemma: dict[str, list[int]] = {}
        for number, word in enumerate(self.words):
            if not word.prefix:
                for beginning in word.beginnings:
                    self.by_beginning.setdefault(beginning, []).append(number)
                for lemma in set(word.lemmas):
                    self.by_lemma.setdefault(lemma, []).append(number)
        self.beginnings, self.lemmas = frozenset(self.by_beginning), frozenset(self.by_lemma)
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
        so_far += folded[i + length]
        if not joined.startswith(so_far) or length and not para.glued(i + length):
            return None  # the letters first: most beginnings part there, and glued() searches
        length += 1
        if so_far == joined:
            if _exact_form(text[para.start(i) : para.end(i + length - 1)]) == word.typed:
                return _EXACT, length
            if folded[i : i + length] == word.parts and (
                length == 1 or _boundaries(text, para, i, length) == _typed_boundaries(word.raws)
            ):
                return _LETTER_FOLD, length
            pieces_found = folded[i : i + length]
            if pieces_found != word.parts and min(map(len, pieces_found)) < MIN_PIECE_CHARS:
                return None  # و زن is «and woman», not وزن (vocabulary.segmentations never cuts so)
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


def _candidates(text: str, para: _Paragraph, sought: Sought) -> list[tuple[int, int, int, int]]:
    """Every (start piece, rule rank, -pieces, unit number) where a word of ``sought`` matches."""
    out = []
    for number in sought.prefixed:
        joined = sought.words[number].joined
        out += [(i, _PREFIX, -1, number) for i, form in enumerate(para.folded) if form.startswith(joined)]
    beginnings = para.forms.intersection(sought.beginnings)  # pieces that may start a spelling
    for i in para.places_of(beginnings) if beginnings else ():
        for number in sought.by_beginning[para.folded[i]]:
            found = _spelling_at(text, para, i, sought.words[number])
            if found:
                out.append((i, found[0], -found[1], number))
    found_lemmas = para.lemma_set.intersection(sought.lemmas)
    for i, length, lemma in para.lemma_places_of(found_lemmas) if found_lemmas else ():
        out += [(i, _LEMMA, -length, number) for number in sought.by_lemma[lemma]]
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
    matches: list[Match] = []
    covered = 0  # pieces before this index are inside a match already
    # In order of start, then the strictest rule, the longest, the first unit:
    # the first candidate at a start is the one kept, the others are covered.
    for i, rank, negative_length, number in sorted(_candidates(text, para, sought)):
        if i < covered:
            continue
        start, end = para.word_span(i)
        if negative_length < -1:  # a match of several pieces ends with the last one's word
            end = para.word_span(i - negative_length - 1)[1]
        matches.append(Match(start, end, sought.words[number].query, text[start:end], RULES[rank], number))
        covered = i - negative_length
    if sought.pairs:
        taken = {(m.start, m.end) for m in matches}
        matches += [m for m in _joined_pairs(text, para, sought) if (m.start, m.end) not in taken]
    return sorted(matches, key=by_place)


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


def word_window(text: str, start: int, width: int) -> tuple[int, int]:
    """About ``width`` characters of ``text`` from ``start``, both edges moved to
    where written words start and end (:meth:`_Paragraph.word_start`,
    :meth:`_Paragraph.word_end`), read from the cached analysis: a snippet's
    edges (:mod:`fasearch.searching.snippets`) cut no word."""
    para = _analyze(text)
    start = para.word_start(start)
    return start, para.word_end(start + width, start)
