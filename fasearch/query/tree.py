"""The query tree: what a search asks of an engine, as plain frozen data.

:func:`fasearch.query.planning.build` makes one from what the user typed;
each engine translates it into its own queries (:mod:`fasearch.engines`).
The tree belongs to fasearch, not to an engine, so an engine is added
without touching the query side, and nothing here imports one.

Every node is a small frozen dataclass: hashable, compared by value, its
children in tuples (a list given is made a tuple).  What each matches, and
its score; the scores are Whoosh's BM25F, summed, as the Whoosh engine
computes them (tantivy keeps the same boosts over its own BM25, which only
orders the first hits: :mod:`fasearch.searching.ranking` ranks them again):

================================  ===============================================  ===========================
node                              matches the paragraphs that ...                  score
================================  ===============================================  ===========================
``Term(field, text)``             hold the word ``text`` in ``field``              BM25F of the word × boost
``Phrase(field, words)``          hold ``words`` side by side, in order            BM25F of the phrase × boost
``Prefix(field, text)``           hold a word of ``field`` starting with ``text``  as an ``Or`` of those words
``And(subqueries)``               every subquery matches                           sum of all × boost
``Or(subqueries)``                any subquery matches                             sum of those matching × boost
``AtLeast(subqueries, m)``        at least ``m`` subqueries match                  sum of those matching × boost
``AndNot(wanted, excluded)``      ``wanted`` matches and ``excluded`` does not     ``wanted``'s
``AndMaybe(required, optional)``  ``required`` matches                             ``required``'s, plus
                                                                                   ``optional``'s where it matches
``Filter(query, filter)``         ``query`` and ``filter`` match                   ``query``'s: a filter only narrows
``NOTHING``                       none                                             none
================================  ===============================================  ===========================

As in Whoosh: a compound (``And``, ``Or``, ``AtLeast``) of ONE subquery is
that subquery, its own boost ignored, and a compound of none matches
nothing; ``AtLeast``'s ``m`` is kept between 1 and the number of
subqueries; a prefix that starts one word only is that word (the boost
ignored, as for an ``Or`` of one).  ``Term.text`` is an ``int`` for a
numeric field (``paragraph``).

>>> q = AtLeast([Term("fold", "kargar", boost=2.0), Phrase("fold", ["haft", "tappeh"])], 3)
>>> q.m, q.subqueries[1]
(2, Phrase(field='fold', words=('haft', 'tappeh'), boost=1.0))
>>> q == AtLeast((Term("fold", "kargar", 2.0), Phrase("fold", ("haft", "tappeh"))), 2)
True
>>> [leaf.field for leaf in leaves(AndNot(q, Prefix("heading_fold", "naft")))]
['fold', 'fold', 'heading_fold']
>>> len({q, Filter(q, Term("file", "a.txt")), q})
2
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    field: str
    text: str | int
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Phrase:
    field: str
    words: Sequence[str]  # kept as a tuple
    boost: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(self.words))


@dataclass(frozen=True, slots=True)
class Prefix:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class _Compound:
    subqueries: Sequence[Query]  # kept as a tuple
    boost: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "subqueries", tuple(self.subqueries))


@dataclass(frozen=True, slots=True)
class And(_Compound):
    pass


@dataclass(frozen=True, slots=True)
class Or(_Compound):
    pass


@dataclass(frozen=True, slots=True)
class AtLeast:
    subqueries: Sequence[Query]  # kept as a tuple
    m: int
    boost: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "subqueries", tuple(self.subqueries))
        object.__setattr__(self, "m", max(1, min(self.m, len(self.subqueries))))


@dataclass(frozen=True, slots=True)
class AndNot:
    wanted: Query
    excluded: Query


@dataclass(frozen=True, slots=True)
class AndMaybe:
    required: Query
    optional: Query


@dataclass(frozen=True, slots=True)
class Filter:
    query: Query
    filter: Query


@dataclass(frozen=True, slots=True)
class Nothing:
    """The query that matches nothing (a query of no words the index holds)."""


NOTHING = Nothing()

Query = Term | Phrase | Prefix | And | Or | AtLeast | AndNot | AndMaybe | Filter | Nothing
Leaf = Term | Phrase | Prefix
COMPOUNDS = (And, Or, AtLeast)


def children(q: Query) -> tuple[Query, ...]:
    """The nodes right under ``q``, in order."""
    if isinstance(q, COMPOUNDS):
        return tuple(q.subqueries)
    if isinstance(q, AndNot):
        return (q.wanted, q.excluded)
    if isinstance(q, AndMaybe):
        return (q.required, q.optional)
    if isinstance(q, Filter):
        return (q.query, q.filter)
    return ()


def leaves(q: Query) -> Iterator[Leaf]:
    """The terms, phrases and prefixes of ``q``, left to right."""
    if isinstance(q, (Term, Phrase, Prefix)):
        yield q
    for child in children(q):
        yield from leaves(child)
