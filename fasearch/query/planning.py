"""From the parsed query to the query tree an engine runs.

The engine finds a unit (:mod:`.parsing`) by its lemmas (in the text and
the heading), and by the spellings in several tokens that no lemma stands
for (:mod:`.vocabulary`): its first order, BM25F over those.  How many
units a paragraph must hold is :func:`plan`'s: most of a keyword query's
content words (:func:`required_count`), any word of a question (a common
word only beside a rarer one), every ``+word`` and phrase; function words
(:mod:`fasearch.text.wordlists`) are left to the final order.  When too few
paragraphs hold enough of them, ``any_words`` asks for any unit.  The final
order is :mod:`fasearch.searching.ranking`'s, on the best hits only
(:mod:`fasearch.searching.search`): each word once by its best form, its
rarity, coverage, proximity.

:func:`build` returns a tree of :mod:`.tree`: plain data that every engine
translates (:mod:`fasearch.engines`).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from ..text.lexicon import lemmas
from ..text.wordlists import QUESTION_KEYS
from .parsing import ParsedQuery, Unit, neighbours
from .tree import NOTHING, And, AndMaybe, AndNot, AtLeast, Or, Phrase, Prefix, Query, Term
from .vocabulary import Reader, Vocabulary, present, spellings, unit_df

# Field weights: one tier per matching rule (see the module docstring).
SPELLING, LEMMA = 2.0, 1.0
HEADING_SPELLING, HEADING_LEMMA = 1.0, 0.5  # a word of the section heading
MAX_VARIANTS = 16  # phrase spellings tried per phrase
MAX_PREFIX_WORDS = 64  # words a prefix* stands for: the most common ones
COMMON_SHARE = 0.1  # a word in more of the paragraphs than this is common (see plan)
COMMON_FROM = 1000  # paragraphs; in a smaller index every word finds (it costs little there)
FUNCTION_WEIGHT = 0.1  # a function word's weight beside content words


def unit_clause(unit: Unit, vocabulary: Vocabulary, prev: Unit | None = None,
                nxt: Unit | None = None) -> Query:
    """What finds ``unit`` in the index, in every way it may be held.

    A paragraph holding the unit's spelling as one token holds its lemma too
    (the same function made both), so the lemma terms find those paragraphs;
    only the spellings in several tokens need clauses of their own.  The
    stricter tiers (the word as typed, its spelling) are not asked of the
    engine: they only order, and the best hits are ordered again word by
    word (:mod:`fasearch.searching.ranking`), where they count.  Leaving them out
    halves the engine's work and chooses those best hits as well (measured
    in bench/window.py).
    """
    if unit.prefix:  # the most common words it starts (a bounded cost: ا* starts thousands)
        words = vocabulary.prefix_words(unit.joined, MAX_PREFIX_WORDS)
        return Or([Term("fold", w, boost=SPELLING) for w in words]
                  + [Prefix("heading_fold", unit.joined, boost=HEADING_SPELLING)])
    finds: list[Query] = [Term("lemma", lemma, boost=LEMMA) for lemma in unit.lemmas]
    finds += [Term("heading_lemma", lemma, boost=HEADING_LEMMA) for lemma in unit.lemmas]
    for tokens in spellings(unit, vocabulary)[1:]:  # written apart: a phrase of its pieces
        # A piece whose own lemma is the unit's (خانواده in خانواده های) puts
        # that lemma in every paragraph holding the phrase: the lemma finds it.
        if not any(k in unit.lemmas for t in tokens for k in lemmas(t)):
            finds.append(Phrase("fold", tokens, boost=SPELLING))
    # The unit written together with a one-word neighbour typed apart
    # (هفت تپه → هفتتپه): another word, with a lemma of its own.
    for first, second in ((prev, unit), (unit, nxt)):
        if first and second and second.glued and first.one_word and second.one_word:
            finds.append(Term("fold", first.joined + second.joined, boost=SPELLING))
    return Or(finds)


def _spelling_variants(units: list[Unit], vocabulary: Vocabulary) -> list[list[str]]:
    """The folded token sequences of ``units``, each unit in any of its spellings."""
    choices = [spellings(u, vocabulary) for u in units]
    variants = []
    for combo in itertools.islice(itertools.product(*choices), MAX_VARIANTS):
        variants.append([token for tokens in combo for token in tokens])
    return variants


def phrase_clause(units: list[Unit], vocabulary: Vocabulary) -> Query:
    """``units`` adjacent and in order, in any spelling: a quoted phrase."""
    variants = _spelling_variants(units, vocabulary)
    # The pieces as typed, each word split at ZWNJ as the index splits it:
    # every paragraph holding the phrase as typed holds these (MAX_VARIANTS
    # may leave them out of the product).
    typed = [part for unit in units for part in unit.parts]
    if typed not in variants:
        variants.append(typed)
    clauses: list[Query] = []
    for variant in variants:
        if len(variant) == 1:
            clauses.append(Term("fold", variant[0], boost=SPELLING))
        else:
            clauses.append(Phrase("fold", variant, boost=SPELLING))
    return Or(clauses)


def exclusion_clause(units: list[Unit], vocabulary: Vocabulary) -> Query:
    """What ``-word`` or ``-"phrase"`` removes: a word in any spelling and any
    inflected form (what searching for it would find), a phrase in any spelling."""
    if len(units) == 1:
        return unit_clause(units[0], vocabulary)
    return phrase_clause(units, vocabulary)


def required_count(optional: int) -> int:
    """How many of a query's optional content words a paragraph must hold.

    All of one or two words; one may be missing of three or four; of more,
    60% (a question's words are rarely all in its answer; Lucene's
    ``minimum_should_match``).  Covering more of them ranks higher.

    >>> [required_count(n) for n in range(1, 8)]
    [1, 2, 2, 3, 3, 4, 5]
    """
    if optional <= 2:
        return optional
    if optional <= 4:
        return optional - 1
    return math.ceil(optional * 0.6)


@dataclass
class Plan:
    """What a query asks of the index: which units count, and how many must match."""

    content: list[int]  # unit numbers that count for coverage
    function: list[int]  # function words beside content words: optional, light
    missing: list[int]  # content units the index holds in no form
    minimum: int  # of the optional content units present
    common: list[int] = field(default_factory=list)  # content units that only score (see plan)

    @property
    def weights(self) -> dict[int, float]:
        return {**{i: 1.0 for i in self.content}, **{i: FUNCTION_WEIGHT for i in self.function}}


def plan(parsed: ParsedQuery, vocabulary: Vocabulary, any_words: bool = False, split_common: bool = True) -> Plan:
    units = parsed.units
    content = [i for i, u in enumerate(units) if not u.is_function_word or u.required]
    if not content and not parsed.phrases:
        content = list(range(len(units)))  # only function words: they are the query
    function = [i for i in range(len(units)) if i not in content]
    missing = [i for i in content if not present(units[i], vocabulary, *neighbours(units, i))]
    optional = [i for i in content if i not in missing and not units[i].required]
    # A question's answer seldom repeats its words (نام for اسم, پایان for
    # تمام): any of them finds a paragraph, and covering more ranks higher.
    minimum = 1 if any_words or is_question(parsed) else required_count(len(optional))
    if any_words and (parsed.phrases or any(units[i].required for i in content)):
        minimum = 0
    common: list[int] = []
    n = vocabulary.doc_count()
    if minimum <= 1 and split_common and n >= COMMON_FROM:
        # When any word finds, a word most paragraphs hold finds most of the
        # index, and its weight is too low to bring any of them to the top
        # beside a rarer word: the rarer words find, the common ones only
        # score (Lucene's CommonTermsQuery).  Alone, common words find.
        common = [i for i in optional if unit_df(units[i], vocabulary) > COMMON_SHARE * n]
        if len(common) == len(optional):
            common = []
    return Plan(content, function, missing, minimum, common)


def is_question(parsed: ParsedQuery) -> bool:
    """A question rather than keywords: a question word, or a question mark.

    >>> from fasearch.query.parsing import parse
    >>> is_question(parse("یونان در کجا قرار دارد")), is_question(parse("کارگران نفت"))
    (True, False)
    """
    return parsed.text.rstrip().endswith(("؟", "?")) or any(
        u.joined in QUESTION_KEYS and not u.required for u in parsed.units)


def build(parsed: ParsedQuery, reader: Reader | Vocabulary, any_words: bool = False,
          the_plan: Plan | None = None) -> Query:
    """The query tree for ``parsed`` over ``reader``'s index.

    Phrases and ``+words`` are required; of the other content words, as many
    as :func:`required_count` says (any one with ``any_words``), common words
    aside (see :func:`plan`), which only add to the score.
    """
    vocabulary = reader if isinstance(reader, Vocabulary) else Vocabulary(reader)  # its lookups cached once
    the_plan = the_plan or plan(parsed, vocabulary, any_words)
    units = parsed.units
    clauses = {i: unit_clause(u, vocabulary, *neighbours(units, i)) for i, u in enumerate(units)}
    required = [clauses[i] for i in the_plan.content if units[i].required]
    required += [phrase_clause(p, vocabulary) for p in parsed.phrases]
    optional = [clauses[i] for i in the_plan.content
                if not units[i].required and i not in the_plan.missing and i not in the_plan.common]
    parts = list(required)
    if optional and (the_plan.minimum or not required):
        parts.append(AtLeast(optional, max(1, the_plan.minimum)))
    elif optional:  # any_words beside required words: the others only score
        required_main = And(parts) if len(parts) > 1 else parts[0]
        parts = [AndMaybe(required_main, Or(optional))]
    if not parts:
        return NOTHING
    main = And(parts) if len(parts) > 1 else parts[0]
    # Function words are left to the final ranking (fasearch.searching.ranking): nearly
    # every paragraph holds them, and scoring them here costs a lookup per hit.
    common = [clauses[i] for i in the_plan.common]
    if common:
        main = AndMaybe(main, Or(common))
    excluded = [exclusion_clause(p, vocabulary) for p in parsed.excluded]
    if excluded:
        main = AndNot(main, Or(excluded))
    return main


def wants_fallback(parsed: ParsedQuery) -> bool:
    """Whether an any-word search could find more than the coverage rule."""
    return len(parsed.units) + len(parsed.phrases) > 1
