#!/usr/bin/env python3
"""How each cost grows with the corpus: fasearch beside plain Whoosh.

    .venv/bin/python bench/scale.py [--sizes 1000,10000,100000] [--keep DIR]

For each size, builds a deterministic corpus from the article's own
sentences (shuffled with a fixed seed, about 100 words a paragraph, 50
paragraphs an article in 5 sections, as Markdown files) and prints:

* build time and peak memory of a whole `indexer.py --rebuild` process, and
  of plain Whoosh (StandardAnalyzer) indexing the same paragraphs;
* index size on disk, both;
* warm query latency p50 and p95 over the judged queries, in one process
  (`search.py --json -` for fasearch, one open searcher for plain Whoosh);
* the time of a whole `indexer.py` process when nothing changed.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from measure import PYTHON, ROOT, batch_latencies, judged_queries, percentile_ms, run_once
WORDS_PER_PARAGRAPH = 100
PARAGRAPHS_PER_ARTICLE = 50
SECTIONS_PER_ARTICLE = 5


def sentences() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from fasearch.article import read_article

    article = read_article(next((ROOT / "corpus").glob("*.txt")))
    text = " ".join(p for _, p in article.paragraphs)
    return [s.strip() for s in re.split(r"(?<=[.؟!])\s+", text) if len(s.split()) > 2]


def make_corpus(folder: Path, paragraphs: int, seed: int = 1375) -> None:
    rng = random.Random(seed)
    pool = sentences()
    folder.mkdir(parents=True)
    written = 0
    number = 0
    while written < paragraphs:
        number += 1
        lines = [f"---\ntitle: مقاله {number}\nauthor: نویسنده {number % 17}\npart: قسمت {number % 5 + 1}\n---\n"]
        count = min(PARAGRAPHS_PER_ARTICLE, paragraphs - written)
        for i in range(count):
            if i % (PARAGRAPHS_PER_ARTICLE // SECTIONS_PER_ARTICLE) == 0:
                lines.append("## " + " ".join(rng.choice(pool).split()[:4]).rstrip(".،") + "\n")
            words: list[str] = []
            while len(words) < WORDS_PER_PARAGRAPH:
                words += rng.choice(pool).split()
            lines.append(" ".join(words) + "\n")
        (folder / f"article-{number:05}.md").write_text("\n".join(lines), "utf-8")
        written += count


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def whoosh_latencies(index: Path, queries: list[str]) -> list[float]:
    sys.path.insert(0, str(ROOT / "bench"))
    from baselines import whoosh_searcher
    from whoosh import index as whoosh_index

    search = whoosh_searcher(whoosh_index.open_dir(str(index)))
    out = []
    for i, query in enumerate(queries * 2):
        start = time.perf_counter()
        search(query)
        if i >= len(queries):
            out.append(time.perf_counter() - start)
    return out


def main() -> int:
    sizes = [1000, 10000, 100000]
    if "--sizes" in sys.argv:
        sizes = [int(s) for s in sys.argv[sys.argv.index("--sizes") + 1].split(",")]
    queries = judged_queries()
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = keep or Path(tmp)
        for size in sizes:
            corpus, index, plain = base / f"corpus-{size}", base / f"index-{size}", base / f"whoosh-{size}"
            for folder in (corpus, index, plain):
                shutil.rmtree(folder, ignore_errors=True)
            make_corpus(corpus, size)
            build = run_once([PYTHON, "indexer.py", "--rebuild", "--quiet", "--corpus", str(corpus), "--index", str(index)])
            unchanged = run_once([PYTHON, "indexer.py", "--quiet", "--corpus", str(corpus), "--index", str(index)])
            plain_build = run_once([PYTHON, "bench/baselines.py", "whoosh-build", str(corpus), str(plain)])
            ours = batch_latencies(index, queries)
            theirs = whoosh_latencies(plain, queries)
            rows.append((size, build, plain_build, size_mb(index), size_mb(plain), ours, theirs, unchanged[0]))
            print(f"done {size}: build {build[0]:.1f} s, plain {plain_build[0]:.1f} s", file=sys.stderr, flush=True)
    print(f"{len(queries)} judged queries; paragraphs of ~{WORDS_PER_PARAGRAPH} words from the article's sentences\n")
    print("| paragraphs | build (s) | plain Whoosh build (s) | ratio | peak memory (MB) | index (MB) | "
          "plain index (MB) | query p50 / p95 (ms) | plain Whoosh p50 / p95 (ms) | nothing changed (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, build, plain_build, ours_mb, plain_mb, ours, theirs, unchanged in rows:
        print(f"| {size:,} | {build[0]:.1f} | {plain_build[0]:.1f} | {build[0] / plain_build[0]:.2f}x | "
              f"{build[1]:.0f} | {ours_mb:.1f} | {plain_mb:.1f} | "
              f"{percentile_ms(ours, .5):.1f} / {percentile_ms(ours, .95):.1f} | "
              f"{percentile_ms(theirs, .5):.1f} / {percentile_ms(theirs, .95):.1f} | {unchanged:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
