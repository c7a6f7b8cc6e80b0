"""Ranked search over an open index: hits, snippets, fallback, suggestions.

Nothing here prints; :mod:`fasearch.output` formats a :class:`SearchResult`.
"""

from __future__ import annotations

import collections
import functools
from dataclasses import dataclass, field

from whoosh import collectors
from whoosh import query as Q
from whoosh.query.compound import DefaultOr
from whoosh.spelling import ListCorrector

from .chars import fold, unjoin
from .errors import INDEXER, IndexMissingError, UsageError
from .highlight import Match, adjacency, find_matches, render, snippet_window
from .indexing import OpenIndex
from .querying import ParsedQuery, build, corrected, highlight_keys, parse, wants_fallback

MAX_QUERY_CHARS = 2000  # longer queries are refused: no reader types more
MAX_QUERY_UNITS = 64
RESCORE_WINDOW = 30  # best BM25F hits whose word order is looked at
ADJACENCY_BONUS = 0.5  # a hit with every typed word side by side scores ×1.5


@dataclass
class Hit:
    rank: int
    score: float
    article: str
    title: str
    author: str
    part: str
    section: str
    paragraph: int
    text: str
    matches: list[Match]
    heading_matches: list[str] = field(default_factory=list)

    def snippet(self, mark: tuple[str, str] = ("**", "**"), full: bool = False) -> str:
        start, end = (0, len(self.text)) if full else snippet_window(self.text, self.matches)
        return render(self.text, self.matches, start, end, mark)

    def explain(self) -> list[dict]:
        """One row per (query word, paragraph words, rule), with a count."""
        rows: dict[tuple[str, str, str], int] = {}
        for m in self.matches:
            key = (m.query, m.found, m.rule)
            rows[key] = rows.get(key, 0) + 1
        out = [{"query": q, "found": f, "rule": r, "count": n} for (q, f, r), n in rows.items()]
        out += [{"query": q, "found": self.section, "rule": "section heading", "count": 1}
                for q in self.heading_matches]
        return out


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    any_words: bool = False  # no paragraph had all the words
    suggestion: str | None = None  # the corrected query the hits are for
    notice: str | None = None
    facets: list[tuple[str, int]] = field(default_factory=list)  # (section, hits), most first


def _section_filter(searcher, section: str) -> Q.Query | None:
    wanted = unjoin(fold(section))
    keys = [k for k in searcher.lexicon("section_key") if wanted in unjoin(k.decode("utf-8"))]
    return Q.Or([Q.Term("section_key", k.decode("utf-8")) for k in keys]) if keys else None


@functools.lru_cache(maxsize=4)
def _correct(searcher):
    """A spelling corrector over the written words of the index (folded)."""
    words = sorted({unjoin(fold(w.decode("utf-8"))) for w in searcher.lexicon("exact")})
    corrector = ListCorrector(words)
    known = set(words)

    def correct(raw: str) -> str | None:
        key = unjoin(fold(raw))
        if not key or key in known:
            return None
        found = corrector.suggest(key, limit=1, maxdist=2)
        return found[0] if found else None

    return correct


def _article_filter(ix: OpenIndex, article: str) -> Q.Query | None:
    wanted = unjoin(fold(article))
    names = [name for name, info in ix.meta.get("catalog", {}).items()
             if wanted in unjoin(fold(info["title"])) or wanted in unjoin(fold(name))]
    return DefaultOr([Q.Term("file", name) for name in names]) if names else None


def search(ix: OpenIndex, text: str, limit: int = 10, section: str | None = None,
           article: str | None = None, facet_depth: int = 0) -> SearchResult:
    """Search ``text``; see :mod:`fasearch.querying` for the query language.

    With ``facet_depth``, also count the sections of the best that many
    matches, ignoring ``section`` (so a reader can switch to another one).
    """
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(f"the query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}")
    parsed = parse(text)
    if parsed.is_empty:
        raise UsageError("the query has no word to search for; type a Persian or Latin word")
    if len(parsed.all_units) > MAX_QUERY_UNITS:
        raise UsageError(f"the query has {len(parsed.all_units)} words; the limit is {MAX_QUERY_UNITS}")
    searcher = ix.searcher()
    by_article = None
    if article:
        by_article = _article_filter(ix, article)
        if by_article is None:
            return SearchResult(text, 0, [], notice=f"no article title or file name contains «{article}»")
    filt = by_article
    if section:
        by_section = _read(_section_filter, searcher, section)
        if by_section is None:
            return SearchResult(text, 0, [], notice=f"no section heading contains «{section}»")
        filt = Q.And([by_section, by_article]) if by_article else by_section
    facets = (facet_depth, by_article)
    result = _run(searcher, parsed, limit, filt, facets)
    if result.total == 0:
        better = corrected(parsed, _read(_correct, searcher))
        if better:
            retry = _run(searcher, parse(better), limit, filt, facets)
            if retry.total:
                retry.query, retry.suggestion = text, better
                return retry
    return result


def _read(call, *args, **kwargs):
    """A Whoosh read; damaged index files become a one-line error."""
    try:
        return call(*args, **kwargs)
    except Exception as error:  # Whoosh raises many kinds on damaged files
        raise IndexMissingError(
            f"the index cannot be read ({type(error).__name__}); rebuild it with: {INDEXER}"
        ) from error


def _top(searcher, query, limit: int, filt):
    """The best ``limit`` hits, and an exact count of all matches in one pass.

    Whoosh's default collector skips, once its heap is full, documents that
    can no longer make the top (quality optimizations and matcher
    replacement); the top is the same, but its count of matches falls short.
    Hits tied with the last one are all kept: which of them made the cut
    would otherwise depend on document numbers, which differ between builds.
    """
    want = limit
    while True:
        collector = collectors.TopCollector(want + 1, usequality=False, replace=0)
        if filt is not None:
            collector = collectors.FilterCollector(collector, filt)
        searcher.search_with_collector(query, collector)
        results = collector.results()
        top = results.top_n
        if len(top) <= want or top[want][0] != top[want - 1][0]:
            results.top_n = [t for t in top if t[0] >= top[min(limit, len(top)) - 1][0]] if top else top
            return results
        want *= 2


def _run(searcher, parsed: ParsedQuery, limit: int, filt, facets=(0, None)) -> SearchResult:
    limit = max(1, min(limit, searcher.doc_count_all()))
    window = max(limit, RESCORE_WINDOW)
    any_words = False
    reader = searcher.reader()
    query = build(parsed, reader)
    results = _read(_top, searcher, query, window, filt)
    if results.is_empty() and wants_fallback(parsed):
        query = build(parsed, reader, any_words=True)
        results = _read(_top, searcher, query, window, filt)
        any_words = not results.is_empty()
    depth, facet_filter = facets
    counts: collections.Counter = collections.Counter()
    if depth and not results.is_empty():  # stored sections only: no highlighting
        counts.update(_read(lambda hit: hit["section"], hit) for hit in _read(_top, searcher, query, depth, facet_filter))
    units = parsed.all_units
    shown = {units.index(u) for u in highlight_keys(parsed)}
    order = list(range(len(parsed.units)))  # the free words, as typed
    candidates = []
    for hit in results:
        stored = _read(hit.fields)
        matches = find_matches(stored["text"], units)
        # Rescoring: the typed words side by side, in order, lift a hit.
        score = hit.score * (1 + ADJACENCY_BONUS * adjacency(stored["text"], matches, order))
        in_heading = {m.query for m in find_matches(stored["section"], units) if m.unit in shown}
        matches = [m for m in matches if m.unit in shown]
        candidates.append((score, stored, matches, sorted(in_heading - {m.query for m in matches})))
    candidates.sort(key=lambda c: (-c[0], c[1]["article"], c[1]["paragraph"]))  # ties: the same order every build
    hits = [
        Hit(rank, score, stored["article"], stored["title"], stored.get("author", ""), stored.get("part", ""),
            stored["section"], stored["paragraph"], stored["text"], matches, heading)
        for rank, (score, stored, matches, heading) in enumerate(candidates[:limit], start=1)
    ]
    return SearchResult(parsed.text, len(results), hits, any_words, facets=counts.most_common())
