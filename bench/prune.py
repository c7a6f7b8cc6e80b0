#!/usr/bin/env python3
"""What dropping the phrases the index lacks saves the Whoosh engine: warm
search() latency over the judged queries, with and without it, in one process.

    .venv/bin/python bench/prune.py INDEX_DIR     # a Whoosh index, e.g. from bench/scale.py --keep

The Whoosh engine's scorer (fasearch.engines.postings) walks the query tree
once, without pruning it first: a term the index lacks costs one lookup, and
a phrase with a word the index lacks is dropped before Whoosh builds a
matcher for it (``PostingsScorer.holds``).  "Without" sends every phrase to
Whoosh's matcher.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from measure import ROOT, percentile_ms

sys.path.insert(0, str(ROOT))


def main() -> int:
    from scale import judged_queries

    from fasearch.engines.postings import PostingsScorer
    from fasearch.index import open_index
    from fasearch.searching.search import search

    ix = open_index(Path(sys.argv[1]))
    queries = judged_queries()
    holds = PostingsScorer.holds
    figures = {}
    for name, check in (("without dropping", lambda self, field, words: True), ("dropping", holds)) * 2:
        PostingsScorer.holds = check  # the second round of each is the one kept: warm
        times = []
        for query in queries:
            start = time.perf_counter()
            search(ix, query)
            times.append(time.perf_counter() - start)
        figures[name] = times
    PostingsScorer.holds = holds
    print(f"{len(queries)} judged queries, {ix.engine.doc_count():,} paragraphs, Whoosh engine, warm")
    for name, times in figures.items():
        print(f"{name}: p50 {percentile_ms(times, .5):.1f} ms, p95 {percentile_ms(times, .95):.1f} ms, "
              f"total {sum(times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
