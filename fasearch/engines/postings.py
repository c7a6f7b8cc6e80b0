"""The query tree (:mod:`fasearch.query.tree`) scored over Whoosh's posting
lists, a whole list at a time, with numpy: the Whoosh engine's translation.

Whoosh matches a query one document at a time: every posting of every
term costs a dozen Python calls (the matcher tree's ``id``/``next``/``skip_to``,
a column read for the field length, the BM25F formula).  A word held by
most paragraphs is scored in each of them, so at 10,000 paragraphs one
common word costs tens of milliseconds, and a question of several words
hundreds.

Here a term's postings are read block by block into arrays (Whoosh's own
posting blocks, read in place) and scored at once with Whoosh's BM25F
formula, its IDF and its field lengths; the query tree is then combined
over arrays as long as the index: which paragraphs match each node, and
their scores.  The matches are Whoosh's, so the count is exact; the scores
are Whoosh's up to the order in which a paragraph's term scores are added.

A prefix is the union of the words it starts, as in Whoosh.  Phrases read
positions: they are the one leaf translated to a Whoosh query and left to
Whoosh's own matcher, whose matches and scores are gathered into arrays (a
phrase's candidates are the paragraphs holding all its words, far fewer).

:meth:`PostingsScorer.match` is the only walk of the tree: it is not pruned
first.  A term the index lacks costs one lookup and matches nothing, and a
phrase with a word the index lacks (most spellings of a word typed apart)
is dropped before a Whoosh matcher is built for it (:meth:`PostingsScorer.holds`).

The scorer computes what the tree means (the table of
:mod:`fasearch.query.tree`) where Whoosh's matchers, which the tests
compare it with, get it wrong: an ``AndMaybe`` that a parent skips (under an
``And``) keeps its optional side's score (Whoosh's ``skip_to`` moves that
side to the target, not to where the required side lands, and loses it);
Whoosh's own ``AndNot`` excludes from the first match on (its stock matcher
misses an excluded document before the first wanted one); and deleted
paragraphs are never matched (Whoosh's ``Not`` can return one).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext

import numpy as np
from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.collectors import TimeLimit
from whoosh.columns import FixedBytesColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import _length_byte_cache

from ..query.tree import And, AndMaybe, AndNot, AtLeast, Filter, Nothing, Or, Phrase, Prefix, Query, Term

# Field length of each length byte (Whoosh stores lengths as one byte, approximately).
_BYTE_LENGTHS = np.array(_length_byte_cache, dtype=np.float64)
_CHECK_EVERY = 1024  # postings of a Whoosh matcher between two looks at the clock


class Matches:
    """What one query node matches over the whole index: a mask and scores
    (zero where the mask is off)."""

    __slots__ = ("mask", "scores")

    def __init__(self, mask: np.ndarray, scores: np.ndarray):
        self.mask, self.scores = mask, scores


class PostingsScorer:
    """Scores query trees over one open Whoosh searcher (and its segments)."""

    def __init__(self, searcher, reads: AbstractContextManager | None = None):
        # ``reads`` wraps every read of Whoosh's files (the engine's damage
        # guard, fasearch.engines.reading), and nothing else: an exception of
        # the scorer's own numpy code is a bug, not damage.
        self.reads = reads or nullcontext()
        self.searcher = searcher
        self.weighting = searcher.weighting
        self.leaves = list(searcher.leaf_searchers())  # (segment searcher, first document number)
        self.n = searcher.doc_count_all()
        self.alive = np.ones(self.n, dtype=bool)
        for sub, offset in self.leaves:
            deleted = sub.reader().deleted_docs_set  # what Whoosh's postings skip
            if deleted:
                self.alive[np.fromiter(deleted, dtype=np.int64) + offset] = False
        self._norms: dict[str, np.ndarray] = {}
        self._deadline: float | None = None

    # The whole query

    def top(self, query: Query, limit: int, most: int,
            budget: float | None = None) -> tuple[int, list[tuple[float, int]]]:
        """(how many paragraphs match ``query``; (score, document number) of
        the best ``limit`` and of those tied with the last, at most
        ``max(limit, most)``, best first, ties in document order).
        Raises whoosh's ``TimeLimit`` when ``budget`` seconds run out."""
        self._deadline = None if budget is None else time.monotonic() + budget
        try:
            found = self.match(query)
        finally:  # the budget is this search's only
            self._deadline = None
        if found is None:
            return 0, []
        mask = found.mask & self.alive
        ids = np.flatnonzero(mask)
        if not len(ids):
            return 0, []
        scores = found.scores[ids]
        if len(ids) > limit:
            kth = np.partition(scores, len(ids) - limit)[len(ids) - limit]  # the limit-th best
            keep = scores >= kth
            ids, scores = ids[keep], scores[keep]
        order = np.lexsort((ids, -scores))[:max(limit, most)]
        return int(np.count_nonzero(mask)), [(float(scores[i]), int(ids[i])) for i in order]

    # Nodes

    def match(self, q: Query) -> Matches | None:
        """What ``q`` matches (deleted paragraphs too: see ``alive``); None when nothing."""
        node = self._nodes.get(type(q))
        if node is None:
            raise TypeError(f"no Whoosh translation for {type(q).__name__}")
        return node(self, q)

    def _and(self, q: And) -> Matches | None:
        return self._at_least(q.subqueries, len(q.subqueries), q.boost)

    def _or(self, q: Or) -> Matches | None:  # Whoosh's unions add their subqueries' scores
        return self._at_least(q.subqueries, 1, q.boost)

    def _m_of(self, q: AtLeast) -> Matches | None:
        return self._at_least(q.subqueries, q.m, q.boost)

    def _and_not(self, q: AndNot) -> Matches | None:
        a = self.match(q.wanted)
        b = self.match(q.excluded) if a is not None else None
        if a is None or b is None:
            return a
        mask = a.mask & ~b.mask
        return Matches(mask, np.where(mask, a.scores, 0.0))

    def _and_maybe(self, q: AndMaybe) -> Matches | None:
        a = self.match(q.required)
        b = self.match(q.optional) if a is not None else None
        if a is None or b is None:
            return a
        return Matches(a.mask, a.scores + np.where(a.mask, b.scores, 0.0))

    def _filter(self, q: Filter) -> Matches | None:
        a = self.match(q.query)
        b = self.match(q.filter) if a is not None else None
        if a is None or b is None:
            return None
        mask = a.mask & b.mask
        return Matches(mask, np.where(mask, a.scores, 0.0))  # the filter adds nothing

    def _nothing(self, q: Nothing) -> None:
        return None

    def _at_least(self, subqueries: Sequence[Query], m: int, boost: float) -> Matches | None:
        """Paragraphs matched by ``m`` of ``subqueries``, scored by the sum of those."""
        if not subqueries:
            return None
        if len(subqueries) == 1:  # as Whoosh's CompoundQuery.matcher: the subquery's own, the boost ignored
            return self.match(subqueries[0])
        count = np.zeros(self.n, dtype=np.int32) if m > 1 else None
        mask = np.zeros(self.n, dtype=bool)
        scores = np.zeros(self.n)
        held = 0
        for i, sub in enumerate(subqueries):
            if held + len(subqueries) - i < m:
                return None  # too few subqueries left to make m
            found = self.match(sub)
            if found is None:
                continue
            held += 1
            scores += found.scores
            mask |= found.mask
            if count is not None:
                count += found.mask
        if held < m:
            return None
        if count is not None:
            mask &= count >= m
        scores = np.where(mask, scores, 0.0)
        if boost != 1.0:
            scores *= boost
        return Matches(mask, scores)

    def _prefix(self, q: Prefix) -> Matches | None:
        """As Whoosh's ``MultiTerm.matcher``, segment by segment: the union of
        the words ``q`` starts in that segment, boosted unless there is one.
        Scored into one pair of arrays (a prefix may start thousands of words)."""
        mask, scores = np.zeros(self.n, dtype=bool), np.zeros(self.n)
        for leaf in self.leaves:
            # The words Whoosh's Prefix query expands to (its _btexts).
            with self.reads:
                words = [word for word in leaf[0].reader().expand_prefix(q.field, q.text) if word]
            boost = q.boost if len(words) > 1 else 1.0
            for word in words:
                found = self._term_scores(q.field, word, [leaf])
                if found is not None:
                    ids, term_scores = found
                    mask[ids] = True
                    scores[ids] += term_scores * boost
        return Matches(mask, scores) if mask.any() else None

    def _phrase(self, q: Phrase) -> Matches | None:
        """Positions are Whoosh's to read: the leaf becomes a Whoosh phrase,
        adjacent words in order (its default slop of 1)."""
        if not self.holds(q.field, q.words):
            return None
        return self._whoosh(Q.Phrase(q.field, list(q.words), boost=q.boost))

    def holds(self, field: str, words: Sequence[str]) -> bool:
        """Whether every one of ``words`` is in ``field`` of some paragraph."""
        reader = self.searcher.reader()
        with self.reads:
            return all(reader.doc_frequency(field, word) for word in words)

    def _term(self, q: Term) -> Matches | None:
        found = self._term_scores(q.field, q.text)
        if found is None:
            return None
        ids, scores = found
        if q.boost != 1.0:
            scores = scores * q.boost
        mask = np.zeros(self.n, dtype=bool)
        mask[ids] = True
        dense = np.zeros(self.n)
        dense[ids] = scores
        return Matches(mask, dense)

    def _term_scores(self, field: str, text: str | int | bytes, leaves=None) -> tuple[np.ndarray, np.ndarray] | None:
        """(paragraphs, scores) of a term in every segment, or in ``leaves`` only."""
        schema = self.searcher.schema
        if field not in schema:
            return None
        try:
            btext = schema[field].to_bytes(text)
        except ValueError:
            return None
        ids, weights = self._postings(field, btext, leaves)
        if not len(ids):
            return None
        if not schema[field].scorable:  # Whoosh's WeightScorer: the posting's weight
            return ids, weights
        k1 = self.weighting.K1
        with self.reads:
            idf = self.searcher.idf(field, btext)
        return ids, idf * ((weights * (k1 + 1)) / (weights + self._norm(field)[ids]))

    def _postings(self, field: str, text: bytes, leaves=None) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (whole index) and weights of a term's postings,
        deleted ones too, in every segment or in ``leaves``."""
        self._check_time()
        ids, weights = [], []
        for sub, offset in leaves or self.leaves:
            with self.reads:
                reader = sub.reader()
                if (field, text) not in reader:
                    continue
                m = reader.postings(field, text)
                if isinstance(m, FilterMatcher):  # deletions: the alive mask removes them
                    m = m.child
                if isinstance(m, W3LeafMatcher):
                    block_ids, block_weights = _read_blocks(m)
                else:  # postings inlined in the term's entry: a handful
                    block_ids, block_weights = [], []
                    while m.is_active():
                        block_ids.append(m.id())
                        block_weights.append(m.weight())
                        m.next()
                    block_ids = [np.array(block_ids, dtype=np.int64)]
                    block_weights = [np.array(block_weights, dtype=np.float64)]
            ids += [b + offset for b in block_ids]
            weights += block_weights
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(ids), np.concatenate(weights)

    def _norm(self, field: str) -> np.ndarray:
        """BM25F's length part, ``K1 * ((1 - B) + B * length / average)``, of each paragraph."""
        norm = self._norms.get(field)
        if norm is None:
            w = self.weighting
            b = w._field_B.get(field, w.B)
            with self.reads:
                average = self.searcher.avg_field_length(field) or 1
                lengths = np.concatenate([_lengths(sub.reader(), field) for sub, _ in self.leaves])
            norm = self._norms[field] = w.K1 * ((1 - b) + b * lengths / average)
        return norm

    def _whoosh(self, q: Q.Query) -> Matches | None:
        """The Whoosh query ``q`` matched by Whoosh's own matcher, segment by segment."""
        ids, scores = [], []
        context = self.searcher.context()
        for sub, offset in self.leaves:
            with self.reads:
                m = q.matcher(sub, context)
                seen = 0
                while m.is_active():
                    ids.append(offset + m.id())
                    scores.append(m.score())
                    m.next()
                    seen += 1
                    if seen % _CHECK_EVERY == 0:
                        self._check_time()
        if not ids:
            return None
        mask = np.zeros(self.n, dtype=bool)
        mask[ids] = True
        dense = np.zeros(self.n)
        dense[ids] = scores
        return Matches(mask, dense)

    def _check_time(self) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise TimeLimit

    # The translation of each node type (Whoosh's own matchers only for phrases).
    _nodes: dict[type, Callable[..., Matches | None]] = {
        Term: _term, Phrase: _phrase, Prefix: _prefix, And: _and, Or: _or, AtLeast: _m_of,
        AndNot: _and_not, AndMaybe: _and_maybe, Filter: _filter, Nothing: _nothing,
    }


def _read_blocks(m: W3LeafMatcher) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The posting blocks of one term in one segment, as arrays.

    Reads the block tuple that Whoosh 3 pickles (ids delta-encoded; weights
    a tuple, one float for all, or None for all 1.0) through the
    matcher's own block reader; whoosh-reloaded is pinned (pyproject.toml).
    """
    ids, weights = [], []
    while m.is_active():
        if m._data is None:
            m._read_data()
        block_ids, block_weights = m._data[0], m._data[1]
        count = m._blocklength
        ids.append(np.cumsum(np.asarray(block_ids, dtype=np.int64)))
        if block_weights is None:
            weights.append(np.ones(count))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights))
        else:
            weights.append(np.array(block_weights, dtype=np.float64))
        m._next_block()
    return ids, weights


def _lengths(reader, field: str) -> np.ndarray:
    """The length of ``field`` in each document of one segment, as Whoosh
    scores it (one byte a document, read at once from the lengths column)."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN) if perdoc is not None else None
    if not (isinstance(column, FixedBytesColumn.Reader) and column._fixedlen == 1 and not column._reverse):
        return np.array([reader.doc_field_length(d, field, 0) or 0 for d in range(count)], dtype=np.float64)
    raw = np.zeros(count, dtype=np.uint8)  # documents past the column's end hold the default, 0
    held = min(column._count, count)
    raw[:held] = np.frombuffer(column._dbfile.get(column._basepos, held), dtype=np.uint8)
    return _BYTE_LENGTHS[raw]
