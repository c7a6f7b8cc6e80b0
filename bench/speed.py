#!/usr/bin/env python3
"""Speed and memory of fasearch against plain Whoosh and SQLite FTS5, one run.

    .venv/bin/python bench/speed.py [--runs N]

Prints, over the paragraphs of corpus/:

* cold query: a whole `search.py QUERY` process (start-up included), median
  of N runs after a warm-up, beside the same for plain Whoosh and FTS5, and
  the ratios; peak resident memory of each process;
* warm queries: one `search.py --json -` process answering the judged
  queries of tests/data/relevance.json one at a time: p50 and p95 latency;
* index build: a whole `indexer.py` process, median of N, with peak memory.

Timings are whole processes measured here with the standard library
(time.perf_counter, os.wait4); the machines are shared, so compare ratios.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from measure import PYTHON, ROOT, batch_latencies, judged_queries, percentile_ms, run_once

QUERY = "کارگران"


def timed(argv: list[str], runs: int) -> tuple[float, float]:
    run_once(argv)  # warm-up: file cache, lexicon cache
    samples = [run_once(argv) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def main() -> int:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    queries = judged_queries()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = ROOT / "corpus"
        build = timed([PYTHON, "indexer.py", "--rebuild", "--quiet", "--corpus", str(corpus),
                       "--index", str(tmp / "ix")], runs)
        whoosh_build = timed([PYTHON, "bench/baselines.py", "whoosh-build", str(corpus), str(tmp / "wx")], runs)
        fts5_build = timed([PYTHON, "bench/baselines.py", "fts5-build", str(corpus), str(tmp / "fts.db")], runs)
        cold = {
            "fasearch": timed([PYTHON, "search.py", QUERY, "--index", str(tmp / "ix")], runs),
            "plain Whoosh": timed([PYTHON, "bench/baselines.py", "whoosh-query", str(tmp / "wx"), QUERY], runs),
            "SQLite FTS5": timed([PYTHON, "bench/baselines.py", "fts5-query", str(tmp / "fts.db"), QUERY], runs),
        }
        warm = sorted(batch_latencies(tmp / "ix", queries))
    p50, p95 = percentile_ms(warm, 0.5), percentile_ms(warm, 0.95)
    base = cold["plain Whoosh"][0]
    print(f"cold query «{QUERY}», median of {runs} whole processes after a warm-up\n")
    print("| system | cold query (s) | vs plain Whoosh | peak memory (MB) |")
    print("| --- | ---: | ---: | ---: |")
    for name, (seconds, memory) in cold.items():
        print(f"| {name} | {seconds:.3f} | {seconds / base:.2f}x | {memory:.0f} |")
    print(f"\nwarm queries: {len(warm)} judged queries in one `search.py --json -` process: "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms\n")
    print("| index build (whole process) | seconds | peak memory (MB) |")
    print("| --- | ---: | ---: |")
    for name, (seconds, memory) in {"fasearch": build, "plain Whoosh": whoosh_build, "SQLite FTS5": fts5_build}.items():
        print(f"| {name} | {seconds:.2f} | {memory:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
