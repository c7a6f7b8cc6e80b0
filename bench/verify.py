#!/usr/bin/env python3
"""What verifying an index before reusing it costs (issue 13, item 4).

    .venv/bin/python bench/verify.py [--sizes 1000,10000]

For each size, builds the deterministic corpus of bench/scale.py and prints,
median of 5 whole processes each:

* `indexer.py` when nothing changed: it checks the blake2b checksum of every
  file of the current generation before saying "up to date";
* `indexer.py` after one article changed (verify, link, analyse 50 paragraphs);
* `search.py` of one word, which verifies only the lemma table;

and, in this process, the seconds the checksums alone take, and the index size.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from measure import PYTHON, ROOT, run_once
from scale import make_corpus, size_mb

RUNS = 5


def median_seconds(argv: list[str], before=None) -> float:
    times = []
    for _ in range(RUNS):
        if before:
            before()
        times.append(run_once(argv)[0])
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    sizes = [int(s) for s in p.parse_args().sizes.split(",")]
    sys.path.insert(0, str(ROOT))
    from fasearch.store.checksums import checksum
    from fasearch.store.generations import current_name

    print("| paragraphs | index (MB) | checksums alone (s) | nothing changed (s) | one article changed (s) | one search (s) |")  # noqa: E501
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        work = Path(tempfile.mkdtemp(prefix="fasearch-verify-"))
        try:
            corpus, index = work / "corpus", work / "index"
            make_corpus(corpus, size)
            indexer = [PYTHON, "indexer.py", "--quiet", "--corpus", str(corpus), "--index", str(index)]
            run_once(indexer + ["--rebuild"])
            generation = index / current_name(index)
            megabytes = size_mb(generation)  # before later builds replace it
            start = time.perf_counter()
            for path in generation.iterdir():
                checksum(path)
            checksums = time.perf_counter() - start
            unchanged = median_seconds(indexer)
            first = sorted(corpus.iterdir())[0]
            original = first.read_text("utf-8")
            flip = iter(range(1, 100))
            changed = median_seconds(indexer, lambda: first.write_text(original + f"\nبند {next(flip)}.\n", "utf-8"))
            search = median_seconds([PYTHON, "search.py", "کارگر", "--index", str(index)])
            print(f"| {size:,} | {megabytes:.1f} | {checksums:.2f} | {unchanged:.2f} | {changed:.2f} | {search:.2f} |")
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
