"""Whoosh analyzers for Persian: every filter takes a token stream and yields one.

Three chains read the same paragraph, one per field, from strict to loose:

``exact_analyzer()``  the words as written (Latin lowercased)
    PersianTokenizer(split_zwnj=False) | ExactFilter()
``fold_analyzer()``   one spelling for every way of writing a word
    PersianTokenizer() | FoldFilter() | JoinFilter()
``lemma_analyzer()``  one key for every inflected form
    fold_analyzer() | LemmaFilter()

Why the chain is in this order:

* The tokenizer reads the *stored* text, so ``startchar``/``endchar`` point
  into the paragraph as written and highlights are exact.  Folding runs per
  token afterwards (whole-text normalization would shift every offset).
  hazm's ``WordTokenizer`` is not used for this reason: it returns bare
  strings (no offsets) and glues verb parts (``خواهد_رفت``).
* ``PersianTokenizer`` splits a word at ZWNJ (``می‌شود`` → ``می`` ``شود``),
  as Lucene's ``PersianCharFilter`` does, so a word written with ZWNJ and the
  same word written with a space give the same tokens.
* ``JoinFilter`` then adds, at the position of the first of two neighbours
  written apart by a space or ZWNJ, the two joined (``میشود``).  So the joined
  spelling ``میشود`` finds ``می شود`` and ``می‌شود``; the query side does the
  converse (see ``querying``).  Positions are kept, so phrases still work.
* ``LemmaFilter`` comes last: lemmas are looked up on folded, joined keys.

No stopword is removed here: ``هفت`` in ``هفت تپه`` is a content word, and
phrases need every position.  Stopwords only become optional in queries.

The filters hold no state, so the pickled schema stays small; hazm's data is
loaded once per process by :func:`fasearch.morphology.lexicon`.

>>> [t.text for t in fold_analyzer()("كارگران، مي‌شوند")]
['کارگران', 'می', 'شوند', 'میشوند', 'میشوند']
>>> [t.text for t in lemma_analyzer()("کارگران")]
['کارگر']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterator

from whoosh.analysis import Filter, Token, Tokenizer

from .chars import LRM, RLM, WORD_RE, ZWNJ, fold, is_glue
from .morphology import lemmas


@dataclass(frozen=True)
class Piece:
    """A word, or a ZWNJ-separated part of one, in the text as written."""

    text: str
    start: int
    end: int
    word: int  # index of the whole word (ZWNJ parts share it)
    glued: bool  # only a space or ZWNJ separates it from the previous piece


def pieces(text: str, split_zwnj: bool = True) -> Iterator[Piece]:
    """The words of ``text`` (or their ZWNJ parts) with offsets.

    >>> [(p.text, p.start, p.glued) for p in pieces("می‌شود، کار")]
    [('می', 0, False), ('شود', 3, True), ('کار', 8, False)]
    """
    prev_end = None
    for index, match in enumerate(WORD_RE.finditer(text)):
        glued = prev_end is not None and is_glue(text[prev_end : match.start()])
        prev_end = match.end()
        if not split_zwnj or ZWNJ not in match.group():
            yield Piece(match.group(), match.start(), match.end(), index, glued)
            continue
        start = match.start()
        for number, part in enumerate(match.group().split(ZWNJ)):
            if part:
                yield Piece(part, start, start + len(part), index, glued or number > 0)
            start += len(part) + 1


@functools.lru_cache(maxsize=16)
def _pieces_of(text: str, split_zwnj: bool) -> tuple[Piece, ...]:
    # The fields of one paragraph all read the same text: tokenize it once.
    return tuple(pieces(text, split_zwnj))


class PersianTokenizer(Tokenizer):
    """Words (or their ZWNJ parts) with positions and offsets into the text."""

    def __init__(self, split_zwnj: bool = True):
        self.split_zwnj = split_zwnj

    def __eq__(self, other):
        return type(self) is type(other) and self.split_zwnj == other.split_zwnj

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, piece in enumerate(_pieces_of(value, self.split_zwnj)):
            t.text = piece.text
            t.boost = 1.0
            t.stopped = False
            t.glued = piece.glued
            t.word = piece.word
            t.joined = False
            t.span = (pos, pos)
            if keeporiginal:
                t.original = piece.text
            t.pos = start_pos + pos
            t.startchar = start_char + piece.start
            t.endchar = start_char + piece.end
            yield t


class ExactFilter(Filter):
    """The word as written; only Latin case and invisible bidi marks go.

    >>> [t.text for t in exact_analyzer()("می‌شود Iran")]
    ['می\u200cشود', 'iran']
    """

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text.replace(RLM, "").replace(LRM, "").lower()
            yield t


class FoldFilter(Filter):
    """Letters, digits and marks folded (see :mod:`fasearch.chars`)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            if t.text:
                yield t


class JoinFilter(Filter):
    """Adds two neighbours written apart, joined, at both their positions.

    The joined token stands at both positions (with half weight each, so it
    counts once) so a phrase can reach it from the word before *and* go on
    to the word after: ``خورده میشود کار`` matches ``خورده می شود کار``.

    >>> [(t.text, t.pos) for t in fold_analyzer()("هفت تپه", positions=True)]
    [('هفت', 0), ('تپه', 1), ('هفتتپه', 0), ('هفتتپه', 1)]
    """

    def __call__(self, tokens):
        prev = None
        for t in tokens:
            text, pos, start, end, glued = t.text, t.pos, t.startchar, t.endchar, t.glued
            t.span = (pos, pos)
            yield t
            if glued and prev is not None:
                t.text = prev[0] + text
                t.startchar, t.endchar = prev[2], end
                t.span = (prev[1], pos)
                t.joined, t.boost = True, 0.5
                for t.pos in t.span:
                    yield t
                t.joined, t.boost, t.pos = False, 1.0, pos
            prev = (text, pos, start)


class LemmaFilter(Filter):
    """Each token becomes its lemma keys (see :mod:`fasearch.morphology`).

    A joined pair adds only lemmas its two parts did not already give, so
    ``خانواده ها`` does not count ``خانواده`` twice.
    """

    is_morph = True

    def __call__(self, tokens):
        recent: dict[int, tuple[str, ...]] = {}
        for t in tokens:
            keys = lemmas(t.text)
            if t.joined:
                first, second = t.span
                seen = recent.get(first, ()) + recent.get(second, ())
                keys = tuple(k for k in keys if k not in seen)
            else:
                recent[t.pos] = keys
                recent.pop(t.pos - 2, None)
            for key in keys:
                t.text = key
                yield t


def exact_analyzer():
    """Words as written, for the top ranking tier."""
    return PersianTokenizer(split_zwnj=False) | ExactFilter()


def fold_analyzer():
    """Folded spellings, plus neighbours joined."""
    return PersianTokenizer() | FoldFilter() | JoinFilter()


def lemma_analyzer():
    """Lemma keys of the folded spellings."""
    # The order matters: lemmas are looked up on folded, joined keys.
    return fold_analyzer() | LemmaFilter()
