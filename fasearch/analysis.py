"""Whoosh analyzers for Persian: every filter takes a token stream and yields one.

Three chains read the same paragraph, one per field, from strict to loose:

``exact_analyzer()``  the words as written (Latin lowercased)
    PersianTokenizer(split_zwnj=False) | ExactFilter()
``fold_analyzer()``   one spelling for every way of writing a word
    PersianTokenizer() | FoldFilter()
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
  same word written with a space give the same tokens.  A word written
  joined (``میشود``) stays one token; the query side finds it from the parts
  and the parts from it (see :mod:`fasearch.querying`), so the index holds
  each word once.
* ``LemmaFilter`` comes last: lemmas are looked up on folded keys.

No stopword is removed here: ``هفت`` in ``هفت تپه`` is a content word, and
phrases need every position.  Stopwords only become optional in queries.

The filters hold no state, so the pickled schema stays small; hazm's data is
read by :mod:`fasearch.morphology`, outside the schema.

>>> [t.text for t in fold_analyzer()("كارگران، مي‌شوند")]
['کارگران', 'می', 'شوند']
>>> [t.text for t in lemma_analyzer()("کارگران")]
['کارگر']
"""

from __future__ import annotations

import functools
from typing import Iterator, NamedTuple

from whoosh.analysis import Filter, Token, Tokenizer

from .chars import WORD_RE, ZWNJ, fold, is_glue
from .morphology import lemmas


class Piece(NamedTuple):
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
def pieces_of(text: str, split_zwnj: bool = True) -> tuple[Piece, ...]:
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
        for pos, piece in enumerate(pieces_of(value, self.split_zwnj)):
            t.text = piece.text
            t.boost = 1.0
            t.stopped = False
            t.glued = piece.glued
            t.word = piece.word
            if keeporiginal:
                t.original = piece.text
            t.pos = start_pos + pos
            t.startchar = start_char + piece.start
            t.endchar = start_char + piece.end
            yield t


class ExactFilter(Filter):
    """The word with its spacing as written: whole at ZWNJ, letters folded.

    Letter forms, marks, digits and kashida are keyboard differences, not
    other words (``كارگر`` typed on an Arabic keyboard is ``کارگر``), so they
    are folded here too; what this field keeps apart from ``fold`` is only
    how the word was spaced (``می‌شود`` against ``میشود`` or ``می شود``).

    >>> [t.text for t in exact_analyzer()("مي‌شود Iran")]
    ['می\u200cشود', 'iran']
    """

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            if t.text:
                yield t


class FoldFilter(Filter):
    """Letters, digits and marks folded (see :mod:`fasearch.chars`)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            if t.text:
                yield t


class LemmaFilter(Filter):
    """Each token becomes its lemma keys (see :mod:`fasearch.morphology`).

    >>> [t.text for t in lemma_analyzer()("می‌کنند کند")]
    ['می', 'کرد#کن', 'کند', 'کرد#کن']
    """

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            for key in lemmas(t.text):
                t.text = key
                yield t


def exact_analyzer():
    """Words as written, for the top ranking tier."""
    return PersianTokenizer(split_zwnj=False) | ExactFilter()


def fold_analyzer():
    """Folded spellings, split at ZWNJ."""
    return PersianTokenizer() | FoldFilter()


def lemma_analyzer():
    """Lemma keys of the folded spellings."""
    # The order matters: lemmas are looked up on folded keys.
    return fold_analyzer() | LemmaFilter()
