"""The query tree as Whoosh's own query objects: the reference that the
Whoosh engine's scorer (fasearch.engines.postings) is tested against.

The engine never runs these: it scores the tree itself, and hands only
phrases to Whoosh.  Here every node becomes a Whoosh query (:func:`whoosh_query`),
with two that Whoosh lacks or gets wrong:

``AndNot``
    Whoosh's ``AndNotMatcher`` checks the excluded side at its first document
    only when both sides *start* on the same document: when the excluded
    postings start earlier (``-کارگر`` holds paragraph 1, the wanted word
    starts at paragraph 3), the first wanted document is returned even if it
    holds the excluded word.  This subclass moves the excluded side up to the
    first wanted document before anything is read.

``AtLeast``
    Documents matched by at least ``m`` of the subqueries, scored by the sum
    of those that match: Lucene's ``minimum_should_match``.  Whoosh's ``Or``
    takes a ``minmatch`` argument but does not implement it.
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as Q
from whoosh.matching import mcore
from whoosh.query.compound import DefaultOr

from fasearch.query import tree


class _AndNotMatcher(matching.AndNotMatcher):
    def _find_first(self):
        # The stock version only looks when both sides start on one document.
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class AndNot(Q.AndNot):
    def matcher(self, searcher, context=None):
        wanted = self.a.matcher(searcher, context)
        return _AndNotMatcher(wanted, self.b.matcher(searcher, searcher.boolean_context()))


class AtLeastMatcher(mcore.Matcher):
    """The union of ``subs``, keeping the documents that ``m`` of them match."""

    def __init__(self, subs, m: int):
        self.subs = subs
        self.m = m
        self._id = None
        self._find()

    def _find(self) -> None:
        while True:
            ids = sorted(s.id() for s in self.subs if s.is_active())
            if len(ids) < self.m:
                self._id = None
                return
            # No document before the m-th smallest id can have m matches.
            target = ids[self.m - 1]
            for s in self.subs:
                if s.is_active() and s.id() < target:
                    s.skip_to(target)
            if sum(1 for s in self.subs if s.is_active() and s.id() == target) >= self.m:
                self._id = target
                return

    def is_active(self):
        return self._id is not None

    def id(self):
        return self._id

    def next(self):
        if self._id is None:
            raise mcore.ReadTooFar
        for s in self.subs:
            if s.is_active() and s.id() == self._id:
                s.next()
        self._find()

    def skip_to(self, target):
        if self._id is None:
            raise mcore.ReadTooFar
        if target <= self._id:
            return
        for s in self.subs:
            if s.is_active() and s.id() < target:
                s.skip_to(target)
        self._find()

    def _on(self):
        return [s for s in self.subs if s.is_active() and s.id() == self._id]

    def score(self):
        return sum(s.score() for s in self._on())

    def weight(self):
        return sum(s.weight() for s in self._on())

    def matched(self) -> int:
        """How many subqueries match the current document."""
        return len(self._on())

    def supports(self, astype):
        return False

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        return self

    def copy(self):
        return AtLeastMatcher([s.copy() for s in self.subs], self.m)

    def children(self):
        return iter(self.subs)


class AtLeast(Q.CompoundQuery):
    """Documents matching at least ``m`` of ``subqueries``."""

    JOINT = " | "

    def __init__(self, subqueries, m: int, boost: float = 1.0):
        super().__init__(subqueries, boost=boost)
        self.m = max(1, min(m, len(subqueries)))

    def __unicode__(self):
        return f"AtLeast{self.m}(" + " | ".join(str(q) for q in self.subqueries) + ")"

    __str__ = __unicode__

    def __eq__(self, other):
        return super().__eq__(other) and self.m == other.m

    def __hash__(self):
        return super().__hash__() ^ self.m

    def normalize(self):
        # CompoundQuery.normalize removes duplicate subqueries: that would change the count.
        return self.__class__([q.normalize() for q in self.subqueries], self.m, boost=self.boost)

    def apply(self, fn):
        return self.__class__([fn(q) for q in self.subqueries], self.m, boost=self.boost)

    def estimate_size(self, ixreader):
        return min(q.estimate_size(ixreader) for q in self.subqueries) if self.m == len(self.subqueries) \
            else super().estimate_size(ixreader)

    def _matcher(self, subs, searcher, context):
        if self.m >= len(subs):
            return Q.And(subs, boost=self.boost).matcher(searcher, context)
        if self.m <= 1:  # the binary tree of unions: Or's array matcher is slow here
            return DefaultOr(subs, boost=self.boost).matcher(searcher, context)
        m = AtLeastMatcher([q.matcher(searcher, context) for q in subs], self.m)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


def whoosh_query(q: tree.Query) -> Q.Query:
    """The Whoosh query of the tree ``q``: what Whoosh's own matchers make of it."""
    if isinstance(q, tree.Term):
        return Q.Term(q.field, q.text, boost=q.boost)
    if isinstance(q, tree.Phrase):
        return Q.Phrase(q.field, list(q.words), boost=q.boost)
    if isinstance(q, tree.Prefix):  # scored as the union of its words, not constant
        return Q.Prefix(q.field, q.text, boost=q.boost, constantscore=False)
    if isinstance(q, tree.And):
        return Q.And([whoosh_query(s) for s in q.subqueries], boost=q.boost)
    if isinstance(q, tree.Or):  # the binary tree of unions (Whoosh's Or may pick an array one)
        return DefaultOr([whoosh_query(s) for s in q.subqueries], boost=q.boost)
    if isinstance(q, tree.AtLeast):
        return AtLeast([whoosh_query(s) for s in q.subqueries], q.m, boost=q.boost)
    if isinstance(q, tree.AndNot):
        return AndNot(whoosh_query(q.wanted), whoosh_query(q.excluded))
    if isinstance(q, tree.AndMaybe):
        return Q.AndMaybe(whoosh_query(q.required), whoosh_query(q.optional))
    if isinstance(q, tree.Filter):  # the first side's matches that the second has, its scores only
        return Q.Require(whoosh_query(q.query), whoosh_query(q.filter))
    if isinstance(q, tree.Nothing):
        return Q.NullQuery
    raise TypeError(f"no Whoosh query for {type(q).__name__}")
