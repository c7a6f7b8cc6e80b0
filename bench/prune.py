#!/usr/bin/env python3
"""What pruning absent terms saves the Whoosh engine: warm search() latency
over the judged queries, with and without it, in one process.

    .venv/bin/python bench/prune.py INDEX_DIR     # a Whoosh index, e.g. from bench/scale.py --keep
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from measure import ROOT, percentile_ms

sys.path.insert(0, str(ROOT))


def main() -> int:
    from fasearch.engines import whoosh
    from fasearch.index import open_index
    from fasearch.searching.search import search
    from scale import judged_queries

    ix = open_index(Path(sys.argv[1]))
    queries = judged_queries()
    pruning = whoosh.prune
    figures = {}
    for name, prune in (("without pruning", lambda q, reader: q), ("with pruning", pruning)) * 2:
        whoosh.prune = prune  # the second round of each is the one kept: warm
        times = []
        for query in queries:
            start = time.perf_counter()
            search(ix, query)
            times.append(time.perf_counter() - start)
        figures[name] = times
    whoosh.prune = pruning
    print(f"{len(queries)} judged queries, {ix.engine.doc_count():,} paragraphs, Whoosh engine, warm")
    for name, times in figures.items():
        print(f"{name}: p50 {percentile_ms(times, .5):.1f} ms, p95 {percentile_ms(times, .95):.1f} ms, "
              f"total {sum(times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
