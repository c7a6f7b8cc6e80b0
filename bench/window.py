#!/usr/bin/env python3
"""How well the engine's first order chooses the hits ranked word by word.

    .venv/bin/python bench/window.py INDEX [--wide 1000]

search() ranks only the engine's best RESCORE_WINDOW hits word by word
(fasearch.searching.ranking).  Over the judged queries of the three sets, this
compares its top 10 with the top 10 of ranking the best ``--wide`` hits the
same way (nearly all of them, on most queries): the share of that top 10 the
window holds, and how often both put the same paragraph first.  On a small
index both rank every hit and agree; the figure means something from a few
thousand paragraphs (bench/scale.py --keep DIR leaves indexes to run it on).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import judged_queries  # noqa: E402

from fasearch.index import open_index  # noqa: E402
from fasearch.searching import search as searching  # noqa: E402


def top10(ix, query: str, window: int) -> tuple[list[tuple[str, int]], int, float]:
    searching.RESCORE_WINDOW = window
    start = time.process_time()
    result = searching.search(ix, query)
    return [(h.article, h.paragraph) for h in result.hits], result.total, time.process_time() - start


def main() -> int:
    if len(sys.argv) < 2:
        raise SystemExit("usage: bench/window.py INDEX [--wide 1000]")
    wide = int(sys.argv[sys.argv.index("--wide") + 1]) if "--wide" in sys.argv else 1000
    ix = open_index(Path(sys.argv[1]))
    window = searching.RESCORE_WINDOW
    queries = judged_queries()
    held = same_first = 0.0
    cpu = {window: 0.0, wide: 0.0}
    totals = 0
    for query in queries:
        best, _, seconds = top10(ix, query, wide)
        cpu[wide] += seconds
        got, total, seconds = top10(ix, query, window)
        cpu[window] += seconds
        totals += total
        held += len(set(got) & set(best)) / max(1, len(best))
        same_first += bool(got and best and got[0] == best[0])
    n = len(queries)
    print(f"{n} judged queries over {ix.searcher().doc_count():,} paragraphs; mean total {totals / n:,.0f}")
    print(f"window {window}: holds {held / n:.3f} of the top 10 of ranking the best {wide}; "
          f"same first hit {same_first / n:.1%}; CPU {cpu[window] / n * 1000:.1f} ms a query "
          f"(against {cpu[wide] / n * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
