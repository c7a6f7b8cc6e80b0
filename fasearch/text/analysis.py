"""Whoosh analyzers for Persian: every filter takes a token stream and yields one.

Two chains read the same paragraph, one per field, from strict to loose:

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
  and the parts from it (see :mod:`fasearch.query.vocabulary`), so the index holds
  each word once.
* Two more cuts make the tokens of a word written in one piece match the
  same word written apart: a ligature of several words (``﷽``) gives one
  token per word, all with the ligature's offsets; and ``است`` written
  joined to a participle (``خوردهاست``, ``شدهاست``: hazm conjugates the
  pair as one verb form) is cut like ``خورده‌است``, so the phrase
  ``"خورده است"`` finds it and the query ``خوردهاست`` is cut the same way.
  How a word was written (spacing, letters) is compared on the stored text,
  for the best hits only (:mod:`fasearch.searching.matching`, :mod:`fasearch.searching.ranking`).
* ``LemmaFilter`` comes last: lemmas are looked up on folded keys.  A verb
  whose prefix is written apart (``نمی‌رم``, ``می روم``, ``بر نمی گردد``)
  also gets the lemma of the whole verb on its last piece, as the query
  side groups the same pieces into one word (:mod:`fasearch.query.parsing`).

No stopword is removed here: ``هفت`` in ``هفت تپه`` is a content word, and
phrases need every position.  Stopwords only become optional in queries.

The filters hold no state, so the pickled schema stays small; hazm's data is
read by :mod:`fasearch.text.lexicon`, outside the schema.

>>> [t.text for t in fold_analyzer()("كارگران، مي‌شوند")]
['کارگران', 'می', 'شوند']
>>> [t.text for t in lemma_analyzer()("کارگران")]
['کارگر']
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import NamedTuple

from whoosh.analysis import Filter, Token, Tokenizer

from .chars import WORD_RE, ZWNJ, fold, is_glue, ligature_words, ligatures_of_words_re, unjoin
from .lexicon import PREVERBS, key, lemmas, lexicon
from .wordlists import VERB_PREFIXES  # the query side groups the same ones

_JOINED_AST = "هاست"  # a participle's final heh, then است
_PRESENTATION_FORMS = "\ufb50"  # where Unicode's Arabic ligatures begin


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
        word = match.group()
        if not split_zwnj or (ZWNJ not in word and not _may_cut(word)):
            yield Piece(word, match.start(), match.end(), index, glued)
            continue
        start = match.start()
        for number, part in enumerate(word.split(ZWNJ)):
            for offset, length, spelt in _cuts(part) if part else ():
                yield Piece(spelt, start + offset, start + offset + length, index, glued or number > 0)
                number += 1  # later cuts of the part are glued to this one
            start += len(part) + 1


def _may_cut(word: str) -> bool:
    # Cheap test on the raw word, run on every word: most are never cut.
    if word.endswith("ست"):
        return True
    return max(word) >= _PRESENTATION_FORMS and ligatures_of_words_re().search(word) is not None


def _cuts(part: str) -> list[tuple[int, int, str]]:
    """(offset, length, text) of the tokens of one ZWNJ part (see the module docstring)."""
    if not _may_cut(part):
        return [(0, len(part), part)]
    if ligatures_of_words_re().search(part):  # ﷽: one token per word, at the ligature
        cuts: list[tuple[int, int, str]] = []
        run = 0
        for i, ch in enumerate(part + " "):
            words = ligature_words(ch) if i < len(part) else None
            if words or i == len(part):
                if i > run:
                    cuts.append((run, i - run, part[run:i]))
                cuts += [(i, 1, word) for word in words or ()]
                run = i + 1
        return cuts
    cut = _joined_ast(part)
    if cut:
        return [(0, cut, part[:cut]), (cut, len(part) - cut, part[cut:])]
    return [(0, len(part), part)]


@functools.lru_cache(maxsize=4096)
def _joined_ast(part: str) -> int | None:
    """Where است starts in a participle written joined to it, else None."""
    folded = fold(part)
    if not folded.endswith(_JOINED_AST):
        return None
    verb = lexicon().verb(unjoin(folded))
    for cut in range(len(part) - 3, 0, -1):  # diacritics or kashida may sit inside
        if fold(part[cut:]) == "است":
            # The same verb with and without است, and not the copula itself (#است).
            participle = verb and not verb.startswith("#") and cut >= 2
            return cut if participle and lexicon().verb(key(part[:cut])) == verb else None
    return None


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


class FoldFilter(Filter):
    """Letters, digits and marks folded (see :mod:`fasearch.text.chars`)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            if t.text:
                yield t


class LemmaFilter(Filter):
    """Each token becomes its lemma keys (see :mod:`fasearch.text.lexicon`).

    >>> [t.text for t in lemma_analyzer()("می‌کنند کند")]
    ['می', 'کرد#کن', 'کند', 'کرد#کن']
    """

    is_morph = True

    def __call__(self, tokens):
        before = before2 = ""  # the pieces just before, glued to each other
        for t in tokens:
            text, found = t.text, lemmas(t.text)
            glued = getattr(t, "glued", False)
            if glued and before in VERB_PREFIXES:
                group = verb_group([before2, before], text) or [before, text]
                # Only a verb reading: می before a noun (the month) adds nothing.
                found += tuple(k for k in lemmas(ZWNJ.join(group)) if "#" in k and k not in found)
            before2, before = (before if glued else ""), text
            for lemma in found:
                t.text = lemma
                yield t


def verb_group(before: list[str], last: str) -> list[str] | None:
    """The pieces of a verb written apart that end with ``last``, or None.

    >>> verb_group(["بر", "نمی"], "گردد"), verb_group(["کار"], "گردد")
    (['بر', 'نمی', 'گردد'], None)
    """
    if not before or before[-1] not in VERB_PREFIXES:
        return None
    if len(before) > 1 and before[-2] in PREVERBS and before[-1] in ("می", "نمی"):
        return [before[-2], before[-1], last]
    return [before[-1], last]


def fold_analyzer():
    """Folded spellings, split at ZWNJ."""
    return PersianTokenizer() | FoldFilter()


def lemma_analyzer():
    """Lemma keys of the folded spellings."""
    # The order matters: lemmas are looked up on folded keys.
    return fold_analyzer() | LemmaFilter()
