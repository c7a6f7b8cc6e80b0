"""Which forms of a unit the index holds.

The index holds every word once, as written (split at ZWNJ).  So a unit
(:mod:`.parsing`) is looked for joined (``میشود``), and written apart as a
phrase of its pieces: the pieces typed (``می شود``) and every way to cut it
into two or three words the index holds (:func:`segmentations`), so
``میشود`` and ``هفتتپه`` typed joined find ``می شود`` and ``هفت تپه``.

:class:`Vocabulary` asks the engine (doc frequencies, prefixes) once per
word and query; the planner (:mod:`.planning`) and the did-you-mean of
:mod:`fasearch.searching.search` read it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Protocol

from .parsing import Unit

MAX_SEGMENTATIONS = 4  # ways to write one joined word apart
MAX_PIECES = 3  # سرمایه داری ها
MAX_PREFIX_SCAN = 20_000  # index words looked at to choose a prefix's words
MAX_SEGMENTED_CHARS = 30  # longer tokens are not cut (cost grows with the square)
MIN_PIECE_CHARS = 2  # a one-letter piece is و, not part of a word (وزن is not و زن)


class Reader(Protocol):
    """What a vocabulary asks of an engine (:class:`fasearch.engines.Engine`)."""

    def doc_count(self) -> int: ...

    def doc_frequency(self, field: str, term: str) -> int: ...

    def expand_prefix(self, field: str, prefix: str) -> Iterable[str]: ...


class Vocabulary:
    """Which folded words the index holds, asked once per word and query."""

    def __init__(self, reader: Reader | None = None, known: set[str] | None = None):
        self.reader = reader
        self.cache: dict[tuple[str, str], int] = {}
        self.known = known  # for tests: a plain set of words
        self.count: int | None = None

    def _reader(self) -> Reader:
        assert self.reader is not None, "a Vocabulary needs a reader or a set of known words"
        return self.reader

    def df(self, field: str, word: str) -> int:
        """How many paragraphs hold ``word`` in ``field``."""
        if self.known is not None:
            return int(word in self.known)
        if (field, word) not in self.cache:
            self.cache[field, word] = self._reader().doc_frequency(field, word)
        return self.cache[field, word]

    def __contains__(self, word: str) -> bool:
        return self.df("fold", word) > 0

    def doc_count(self) -> int:
        """How many paragraphs the index holds (0 for a plain set of words)."""
        if self.known is not None:
            return 0
        if self.count is None:
            self.count = self._reader().doc_count()
        return self.count

    def prefix_words(self, prefix: str, limit: int) -> list[str]:
        """The ``limit`` words starting with ``prefix`` that most paragraphs hold."""
        if self.known is not None:
            return sorted(w for w in self.known if w.startswith(prefix))[:limit]
        words = list(itertools.islice(self._reader().expand_prefix("fold", prefix), MAX_PREFIX_SCAN))
        return sorted(words, key=lambda w: (-self.df("fold", w), w))[:limit]

    def has_prefix(self, prefix: str) -> bool:
        if self.known is not None:
            return any(w.startswith(prefix) for w in self.known)
        return next(iter(self._reader().expand_prefix("fold", prefix)), None) is not None


def segmentations(word: str, vocabulary: Vocabulary) -> list[list[str]]:
    """Ways to write ``word`` apart as 2 to 3 words the index holds, best first.

    The index keeps ``می شود`` as two tokens and ``میشود`` as one; a query
    typed joined is looked for written apart through these.

    >>> segmentations("میشود", Vocabulary(known={"می", "شود", "میش"}))
    [['می', 'شود']]
    """
    if len(word) > MAX_SEGMENTED_CHARS:
        return []
    found: list[list[str]] = []

    def cut(start: int, pieces: list[str]) -> None:
        if start == len(word):
            if len(pieces) > 1:
                found.append(pieces)
            return
        if len(pieces) == MAX_PIECES:
            return
        for end in range(start + MIN_PIECE_CHARS, len(word) + 1):
            if word[start:end] in vocabulary:
                cut(end, pieces + [word[start:end]])

    cut(0, [])
    # Fewer pieces first, then the most even cut (longest shortest piece).
    found.sort(key=lambda pieces: (len(pieces), -min(map(len, pieces))))
    return found[:MAX_SEGMENTATIONS]


def spellings(unit: Unit, vocabulary: Vocabulary) -> list[list[str]]:
    """The token sequences the fold field may hold ``unit`` as."""
    out = [[unit.joined]]
    for cut in [unit.parts] + segmentations(unit.joined, vocabulary):
        if len(cut) > 1 and cut not in out:
            out.append(cut)
    return out


def present(unit: Unit, vocabulary: Vocabulary, prev: Unit | None = None, nxt: Unit | None = None) -> bool:
    """Whether the index holds ``unit`` in any form (spelling, inflection, cut,
    or joined to a neighbour typed apart: هفت تپه → هفتتپه)."""
    if unit.prefix:
        return vocabulary.has_prefix(unit.joined)
    if unit.joined in vocabulary or any(vocabulary.df("lemma", k) for k in unit.lemmas):
        return True
    for first, second in ((prev, unit), (unit, nxt)):
        if first and second and second.glued and first.one_word and second.one_word \
                and first.joined + second.joined in vocabulary:
            return True
    return any(all(t in vocabulary for t in tokens) for tokens in spellings(unit, vocabulary)[1:])


def unit_df(unit: Unit, vocabulary: Vocabulary) -> int:
    """How many paragraphs hold ``unit`` in its most common form (at least 1)."""
    if unit.prefix:
        return max(vocabulary.doc_count() // 2, 1)
    return max([vocabulary.df("lemma", k) for k in unit.lemmas] + [vocabulary.df("fold", unit.joined), 1])
