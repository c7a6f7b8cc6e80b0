"""Ranked search over an open index: hits, snippets, fallback, suggestions.

Nothing here prints; :mod:`fasearch.serve.output` formats a :class:`SearchResult`.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field

from ..engines import Engine
from ..errors import IndexReadError, UsageError
from ..index import OpenIndex
from ..query.parsing import ParsedQuery, neighbours, parse
from ..query.planning import Plan, build, plan, wants_fallback
from ..query.tree import And, Or, Query, Term
from ..query.vocabulary import Vocabulary, present, unit_df
from ..text.chars import fold, unjoin
from ..text.lexicon import IndexLexicon, is_word
from ..text.wordlists import FUNCTION_WORDS, PREFIXES, SUFFIXES
from .matching import Match, Sought, by_place, find_matches, phrase_matches, word_count, words_of
from .ranking import Wanted, idf
from .ranking import score as ranking_score
from .snippets import merged, render, snippet_window
from .spelling import Speller

MAX_QUERY_CHARS = 2000  # longer queries are refused: no reader types more
MAX_QUERY_UNITS = 64
RESCORE_WINDOW = 30  # best first-order hits ranked again word by word (fasearch.searching.ranking)
TIME_BUDGET = 2.0  # seconds of matching per pass; then the pass stops, finding nothing


@dataclass
class Hit:
    """One ranked paragraph, as plain data: where it stands, its text, which
    of its words matched and why, and its snippet.

    ``snippet``, ``window``, ``highlights`` and ``explain`` are worked out
    from ``text`` and ``matches`` when the hit is made; an output that wants
    other marks (colour, ``<mark>``) renders ``window`` and ``highlights``
    with :func:`fasearch.searching.snippets.render` or ``segments``.
    """

    rank: int  # 1 for the best
    score: float
    article: str  # the article's id (its file name without the extension)
    title: str
    author: str
    part: str
    section: str  # the heading of the paragraph's section
    paragraph: int  # its number in the article, from 1
    text: str  # the whole paragraph
    matches: list[Match]  # each matched word: offsets in text, the query word, the rule
    heading_matches: list[str] = field(default_factory=list)  # query words found in the section heading only
    snippet: str = field(init=False)  # about 220 characters around the most matches, matched words in **
    window: tuple[int, int] = field(init=False)  # the snippet's offsets in text (before its … and marks)
    highlights: list[tuple[int, int]] = field(init=False)  # matched words' spans in text: sorted, merged
    explain: list[dict] = field(init=False)  # one row per (query word, words found, rule), with a count

    def __post_init__(self) -> None:
        self.window = snippet_window(self.text, self.matches)
        self.highlights = merged(self.matches, self.text)
        self.snippet = render(self.text, self.highlights, *self.window)
        self.explain = _explain(self.matches, self.heading_matches, self.section)


def _explain(matches: list[Match], heading_matches: list[str], section: str) -> list[dict]:
    """--explain's rows: one per (query word, paragraph words, rule), with a count."""
    rows: dict[tuple[str, str, str], int] = {}
    for m in matches:
        key = (m.query, m.found, m.rule)
        rows[key] = rows.get(key, 0) + 1
    out: list[dict] = [{"query": q, "found": f, "rule": r, "count": n} for (q, f, r), n in rows.items()]
    out += [{"query": q, "found": section, "rule": "section heading", "count": 1} for q in heading_matches]
    return out


@dataclass
class SearchResult:
    """What :func:`search` found: the hits asked for, and what to tell the reader."""

    query: str  # as typed
    total: int  # every paragraph that matches, not only the hits returned
    hits: list[Hit]
    any_words: bool = False  # too few paragraphs held enough of the words: any one counts
    suggestion: str | None = None  # the corrected query the hits are for
    notice: str | None = None  # why nothing was searched (no such section or article)
    facets: list[tuple[tuple[str, str], int]] = field(default_factory=list)  # ((file, section), hits), most first
    did_you_mean: str | None = None  # a likely correction, offered: the hits are for the query
    missing: list[str] = field(default_factory=list)  # typed words the index holds in no form
    timed_out: bool = False  # a matching pass ran out of its time budget: no hits from it


def _squeeze(text: str) -> str:
    """A filter's comparison key: folded, with no space or ZWNJ (خانواده‌ها = خانواده ها)."""
    return "".join(unjoin(fold(text)).split())


def _section_filter(searcher, section: str) -> Query | None:
    """Paragraphs whose section heading holds ``section`` (a filter: it scores nothing)."""
    wanted = _squeeze(section)
    keys = searcher.lexicon("section_key")
    keys = [k for k in keys if wanted in _squeeze(k)]
    return Or([Term("section_key", k) for k in keys]) if keys else None


def _article_filter(ix: OpenIndex, article: str) -> Query | None:
    """Articles whose title, author or file name holds ``article``."""
    catalog = ix.meta.get("catalog", {})
    if article in catalog:  # a file name, exactly (the page's article view asks so)
        return Term("file", article)
    wanted = _squeeze(article)
    names = [name for name, info in catalog.items()
             if any(wanted in _squeeze(x) for x in (info["title"], info.get("author", ""), name))]
    return Or([Term("file", name) for name in names]) if names else None


# Never proposed as corrections: one edit from many short words, and never
# what a reader meant by a word the index lacks.
UNCORRECTABLE = FUNCTION_WORDS | PREFIXES | SUFFIXES


def _corrections(parsed: ParsedQuery, vocabulary: Vocabulary, speller: Speller) -> tuple[str | None, bool]:
    """The query with each word the index holds in no form corrected (the
    rest kept as typed), and whether every correction is confident.  None
    when nothing was corrected."""
    out, changed, sure = parsed.text, False, True
    groups = [parsed.units] + parsed.phrases
    for unit, prev, nxt in ((u, *neighbours(g, i)) for g in groups for i, u in enumerate(g)):
        if unit.prefix or unit.is_function_word or present(unit, vocabulary, prev, nxt):
            continue
        fix = speller.correct(unit.joined, is_word(unit.joined), UNCORRECTABLE)
        if fix is None:
            continue  # not in the index, and no likely correction: left as typed
        # The word as typed, whole (not inside another word), any spacing between its parts.
        typed = r"\s+".join(re.escape(raw) for raw in unit.raws)
        out, replaced = re.subn(rf"(?<![\w\u200c]){typed}(?![\w\u200c])", lambda _: fix.word, out, count=1,
                                flags=re.IGNORECASE)
        changed = changed or bool(replaced)
        sure = sure and fix.confident
    return (out, sure) if changed else (None, False)


def search(ix: OpenIndex, text: str, limit: int = 10, section: str | None = None,
           article: str | None = None, facet_depth: int = 0, correct: bool = True) -> SearchResult:
    """The paragraphs of ``ix`` that match ``text``, best first.

    ``text`` is what a reader types: words (any inflection or spelling
    finds), ``"quoted phrases"``, ``prefix*`` and ``-excluded`` words (the
    query language, in the README's cheat sheet and docs/).

    Parameters:
        ix: an index from :func:`fasearch.open_index`.
        limit: at most this many hits (``total`` counts them all).
        section: only paragraphs under a section heading that contains it.
        article: only articles whose title, author or file name contains it.
        facet_depth: also count the sections of the best that many matches
            (``SearchResult.facets``), ignoring ``section``, so a reader can
            switch to another one.
        correct: a query that finds nothing and whose unknown words have a
            confident correction is searched again corrected
            (``SearchResult.suggestion``); ``False`` only offers it
            (``did_you_mean``).

    Returns:
        a :class:`SearchResult`: ``total``, the ``hits`` (:class:`Hit`, plain
        data with their snippets) and what to tell the reader.

    Raises:
        UsageError: the query is empty, only excludes, or is too long.
        IndexReadError: the index's files are damaged (rebuild it: ``error.fix``
            says how); any other exception is a bug, and propagates.
    """
    try:
        return _search(ix, text, limit, section, article, facet_depth, correct)
    except IndexReadError as error:
        raise IndexReadError(f"the index cannot be read ({error})", ix.repair(rebuild=True)) from error


def _search(ix: OpenIndex, text: str, limit: int, section: str | None, article: str | None,
            facet_depth: int, correct: bool) -> SearchResult:
    """:func:`search`, but a damaged index file raises what the engine raised."""
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(f"the query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}")
    parsed = parse(text)
    if parsed.is_empty and parsed.excluded:
        raise UsageError("the query only excludes words; add a word to search for beside them")
    if parsed.is_empty:
        raise UsageError("the query has no word to search for; type a Persian or Latin word")
    if len(parsed.all_units) > MAX_QUERY_UNITS:
        raise UsageError(f"the query has {len(parsed.all_units)} words; the limit is {MAX_QUERY_UNITS}")
    searcher = ix.searcher()
    by_article = None
    if article:
        by_article = _article_filter(ix, article)
        if by_article is None:
            return SearchResult(text, 0, [], notice=f"no article title, author or file name contains «{article}»")
    filt = by_article
    if section:
        by_section = _section_filter(searcher, section)
        if by_section is None:
            return SearchResult(text, 0, [], notice=f"no section heading contains «{section}»")
        filt = And([by_section, by_article]) if by_article else by_section
    facets = (facet_depth, by_article)
    vocabulary = Vocabulary(searcher)
    better, sure = _corrections(parsed, vocabulary, ix.speller)
    if better and sure and correct:
        retry = _run(searcher, vocabulary, parse(better), limit, filt, facets, ix.lexicon)
        if retry.total:
            retry.query, retry.suggestion = text, better
            return retry
    result = _run(searcher, vocabulary, parsed, limit, filt, facets, ix.lexicon)
    if better and better != text and not (sure and correct):  # a sure one was tried and found nothing
        result.did_you_mean = better
    return result


def _top(searcher, query, limit: int, filt):
    """(an exact count of all matches; the stored fields of the best ``limit``
    and of those tied with the last, for _run to order by the corpus; whether
    the time budget ran out)."""
    return searcher.top(query, limit, filt, budget=TIME_BUDGET)


def _wanted(parsed: ParsedQuery, the_plan: Plan, vocabulary: Vocabulary, n: int) -> list[Wanted]:
    """The query's words and phrases with their weights and IDFs (any form)."""
    weights = the_plan.weights
    out = [Wanted(i, weights[i], idf(unit_df(u, vocabulary), n), i in the_plan.content)
           for i, u in enumerate(parsed.units) if i in weights]
    base = len(parsed.units)
    for j, phrase in enumerate(parsed.phrases):  # a phrase is as rare as its rarest word
        out.append(Wanted(base + j, 1.0, max(idf(unit_df(u, vocabulary), n) for u in phrase), True))
    return out


def _run(searcher: Engine, vocabulary: Vocabulary, parsed: ParsedQuery, limit: int, filt, facets,
         known: IndexLexicon) -> SearchResult:
    """One search of ``parsed`` over ``searcher``; ``vocabulary`` (its answers
    about its words, cached) is the one the corrections asked, shared by both passes."""
    n = searcher.doc_count()
    limit = max(1, min(limit, n))
    window = max(limit, RESCORE_WINDOW)
    the_plan = plan(parsed, vocabulary)
    wide = False  # too few paragraphs hold enough of the words: any one finds
    query = build(parsed, vocabulary, the_plan=the_plan)
    total, results, timed_out = _top(searcher, query, window, filt)
    if not total and not timed_out and wants_fallback(parsed) and the_plan.minimum > 1:
        wide = True
        the_plan = plan(parsed, vocabulary, any_words=True)
        query = build(parsed, vocabulary, the_plan=the_plan)
        total, results, timed_out = _top(searcher, query, window, filt)
    if not total and the_plan.common and not timed_out:
        # The rarer words are not there (under a filter): the common ones find.
        the_plan = plan(parsed, vocabulary, any_words=wide, split_common=False)
        query = build(parsed, vocabulary, the_plan=the_plan)
        total, results, timed_out = _top(searcher, query, window, filt)
    any_words = wide and total > 0 and the_plan.minimum < len(the_plan.content) - len(the_plan.missing)
    depth, facet_filter = facets
    counts: collections.Counter = collections.Counter()
    if depth and total and not timed_out:  # stored sections only: no highlighting
        _, deep, deep_timed_out = _top(searcher, query, depth, facet_filter)
        timed_out = timed_out or deep_timed_out
        counts.update((stored["file"], stored["section"]) for _, stored in deep)
    wanted = _wanted(parsed, the_plan, vocabulary, n)
    shown = set(the_plan.content) if the_plan.content else set(the_plan.weights)
    shown |= {len(parsed.units) + j for j in range(len(parsed.phrases))}
    order = [i for i in range(len(parsed.units)) if i in the_plan.content]
    avg_length = searcher.field_length("fold") / max(n, 1)
    # The window to rank word by word: the best hits, ties at its edge in corpus order.
    found = sorted(results, key=lambda f: (-f[0], f[1]["article"], f[1]["paragraph"]))
    # The query's words, read once for the window's 60 texts (paragraphs and headings).
    words, phrases = Sought(parsed.units), [Sought(phrase) for phrase in parsed.phrases]
    # The stored lemmas of all the window's words, in a query or two.
    known.preload(words_of(t for _, s in found[:window] for t in (s["text"], s["section"] + "\n" + s["title"])))
    candidates = []
    for _, stored in found[:window]:
        text = stored["text"]
        matches = _matches(text, words, phrases)
        # The section heading and the article's title say what a paragraph is
        # about even where it does not repeat it (an article on یونان).
        headings = _matches(stored["section"] + "\n" + stored["title"], words, phrases)
        in_heading = {m.unit for m in headings}
        length = word_count(text)  # tokenized once with the highlights
        score = ranking_score(wanted, matches, in_heading, text, length, avg_length, order)
        in_section = {m.query for m in headings if m.end <= len(stored["section"]) and m.unit in shown}
        heading = sorted(in_section - {m.query for m in matches if m.unit in shown})
        matches = [m for m in matches if m.unit in shown]
        candidates.append((score, stored, matches, heading))
    # Equal scores: the corpus order (article, paragraph), the same in every build.
    candidates.sort(key=lambda c: (-c[0], c[1]["article"], c[1]["paragraph"]))
    hits = [
        Hit(rank, score, stored["article"], stored["title"], stored.get("author", ""), stored.get("part", ""),
            stored["section"], stored["paragraph"], stored["text"], matches, heading)
        for rank, (score, stored, matches, heading) in enumerate(candidates[:limit], start=1)
    ]
    missing = [" ".join(parsed.units[i].raws) for i in the_plan.missing]
    return SearchResult(parsed.text, total, hits, any_words, facets=counts.most_common(), missing=missing,
                        timed_out=timed_out)


def _matches(text: str, words: Sought, phrases: list[Sought]) -> list[Match]:
    """The free words' matches (unit numbers as in ``parsed.units``) and the
    phrases' (numbered after them), each phrase only where it stands whole."""
    out = find_matches(text, words) if len(words) else []
    if not phrases:
        return out  # in order already
    for j, phrase in enumerate(phrases):
        out += phrase_matches(text, phrase, len(words) + j)
    return sorted(out, key=by_place)
