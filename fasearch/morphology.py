"""Lemmas: one key for the inflected forms of a word.

hazm alone is not enough (see the tests, which keep both failures visible):

* ``Lemmatizer`` returns a word unchanged whenever its word list holds it,
  and the list holds many plurals (``کارگران``, ``معلمان``) as bare entries.
* ``Stemmer`` strips suffixes blindly: ``ایران`` → ``ایر``, ``سیاست`` → ``سیاس``.

So we use hazm's *data* (its word list with part-of-speech tags and its
conjugation tables) with our own rule:

1. A word the list *tags* (noun, adjective, …) is its own lemma: ``مردم``
   stays ``مردم`` and never meets ``مرد``; ``کارگر`` never meets ``کار``.
2. A conjugated verb form maps to hazm's ``past#present`` key, so
   ``می‌کنند``, ``کرد`` and ``کند`` meet.  A tagged word that is also a
   verb form gets both lemmas, unless the verb reading is a first or second
   person form (``مردم`` "I died" is too rare to outweigh "people").
3. Any other word loses inflectional suffixes (plural, possessive,
   indefinite, comparative), one at a time and at most three, until what is
   left is a tagged word: ``رهبرانشان`` → ``رهبران`` → ``رهبر``.  Untagged
   list entries such as ``کارگران`` are treated like unknown words.

Every key is folded with :func:`fasearch.chars.fold` and joined (ZWNJ and
spaces removed), exactly like the index terms it is applied to.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .chars import fold, fold_text, unjoin

# Inflectional suffixes, folded.  Order does not matter: all are tried.
NOMINAL_SUFFIXES = (
    "ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
    "ان", "ات", "ین",  # plurals (Persian ان, Arabic ات and ین)
    "ی", "یی", "ای",  # indefinite / ezafe / adjectival
    "م", "ت", "ش", "ام", "ات", "اش", "مان", "تان", "شان",  # possessive
    "تر", "ترین",  # comparative, superlative
)
HA_SUFFIXES = ("هایمان", "هایتان", "هایشان", "هایم", "هایت", "هایش", "هایی", "های", "ها")
PLURAL_SUFFIXES = ("ها", "ان", "ات", "ین")
# Single-letter suffixes need a longer base, as in hazm's Stemmer.
_MIN_BASE = {1: 3}
_MAX_STRIPS = 3
# Endings of first/second-person verb forms (rule 2).
_NON_THIRD_PERSON = ("م", "ی", "یم", "ید")


@dataclass(frozen=True)
class Lexicon:
    """hazm's word list and verb forms, folded and joined."""

    tagged: frozenset[str]  # words with a part-of-speech tag
    plurals: frozenset[str]  # tagged words that are plurals (PL): اعتصابات
    verbs: dict[str, str]  # verb form -> "past#present"

    @classmethod
    def from_hazm(cls) -> "Lexicon":
        # Lemmatizer builds the conjugation tables we need; joined_verb_parts
        # off, because our tokens never contain "_".
        from hazm import Lemmatizer

        lemmatizer = Lemmatizer(joined_verb_parts=False)
        words = list(lemmatizer.words.items())
        tagged, plurals = set(), set()
        for folded, (_word, (_freq, tags)) in zip(keys(w for w, _ in words), words):
            if tags and tags != ("0",):
                tagged.add(folded)
                if "PL" in tags:
                    plurals.add(folded)
        verbs = {}
        # "کرده شد" and "کرده‌شد" are written apart; the index joins pairs.
        forms = list(lemmatizer.verbs.items())
        for folded, (_form, lemma) in zip(keys(f.replace(" ", "") for f, _ in forms), forms):
            verbs.setdefault(folded, lemma)
        return cls(frozenset(tagged), frozenset(plurals), verbs)


def key(word: str) -> str:
    """The lookup form of a word: folded, without ZWNJ."""
    return unjoin(fold(word))


def keys(words) -> list[str]:
    """:func:`key` of many words at once (one pass of the folds, not 500,000)."""
    return [unjoin(line).strip() for line in fold_text("\n".join(words)).split("\n")]


@functools.cache
def lexicon() -> Lexicon:
    """The process-wide lexicon, built on first use (hazm takes ~1 s)."""
    return Lexicon.from_hazm()


def _strip_to_tagged(word: str, tagged: frozenset[str], suffixes, depth: int) -> str | None:
    """The longest tagged base reached by removing suffixes, or None."""
    frontier = [word]
    for _ in range(depth):
        bases = []
        for form in frontier:
            for suffix in suffixes:
                if not form.endswith(suffix):
                    continue
                base = form[: -len(suffix)]
                if len(base) < _MIN_BASE.get(len(suffix), 2):
                    continue
                bases.append(base)
                # Arabic plurals drop a final heh: مطالبه → مطالبات, بنده → بندگان.
                if suffix == "ات":
                    bases.append(base + "ه")
                if suffix == "ان" and base.endswith("گ"):
                    bases.append(base[:-1] + "ه")
        # Prefer the longest base: fewer letters removed, less risk.
        bases.sort(key=len, reverse=True)
        for base in bases:
            if base in tagged:
                return base
        frontier = bases
    return None


@functools.lru_cache(maxsize=200_000)
def lemmas(word: str) -> tuple[str, ...]:
    """The lemma keys of one folded, joined word; the word itself if none.

    >>> lemmas("کارگران"), lemmas("مردم"), lemmas("کارگر")
    (('کارگر',), ('مردم',), ('کارگر',))
    >>> lemmas("میکنند") == lemmas("کرد") == ("کرد#کن",)
    True
    """
    if not word or not word[0].isalpha():
        return (word,)
    lex = lexicon()
    verb = lex.verbs.get(word)
    if word in lex.plurals:
        return (_strip_to_tagged(word, lex.tagged, PLURAL_SUFFIXES, 1) or word,)
    if word in lex.tagged:
        if verb and not word.endswith(_NON_THIRD_PERSON):
            return (word, verb)
        return (word,)
    if verb:
        return (verb,)
    base = _strip_to_tagged(word, lex.tagged, NOMINAL_SUFFIXES, _MAX_STRIPS)
    if base:
        return (base,)
    # A word hazm does not know (کمپین‌های): only ها is safe to strip blind,
    # since hardly any Persian word ends in it that is not its plural.
    for suffix in HA_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return (word[: -len(suffix)],)
    return (word,)
