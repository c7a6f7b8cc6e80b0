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

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
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


def run(argv: list[str], stdin: str | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if stdin:
        process.stdin.write(stdin)
        process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}: {process.stderr.read()}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def fasearch_latencies(index: Path, queries: list[str]) -> list[float]:
    process = subprocess.Popen([PYTHON, "search.py", "--json", "-", "--index", str(index)], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    out = []
    for i, query in enumerate(queries * 2):  # the first pass warms caches
        start = time.perf_counter()
        process.stdin.write(query + "\n")
        process.stdin.flush()
        json.loads(process.stdout.readline())
        if i >= len(queries):
            out.append(time.perf_counter() - start)
    process.stdin.close()
    process.wait()
    return out


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


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))] * 1000


def main() -> int:
    sizes = [1000, 10000, 100000]
    if "--sizes" in sys.argv:
        sizes = [int(s) for s in sys.argv[sys.argv.index("--sizes") + 1].split(",")]
    queries = [q["query"] for q in json.loads((ROOT / "tests/data/relevance.json").read_text())["queries"]]
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = keep or Path(tmp)
        for size in sizes:
            corpus, index, plain = base / f"corpus-{size}", base / f"index-{size}", base / f"whoosh-{size}"
            for folder in (corpus, index, plain):
                shutil.rmtree(folder, ignore_errors=True)
            make_corpus(corpus, size)
            build = run([PYTHON, "indexer.py", "--rebuild", "--quiet", "--corpus", str(corpus), "--index", str(index)])
            unchanged = run([PYTHON, "indexer.py", "--quiet", "--corpus", str(corpus), "--index", str(index)])
            plain_build = run([PYTHON, "bench/baselines.py", "whoosh-build", str(corpus), str(plain)])
            ours = fasearch_latencies(index, queries)
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
              f"{percentile(ours, .5):.1f} / {percentile(ours, .95):.1f} | "
              f"{percentile(theirs, .5):.1f} / {percentile(theirs, .95):.1f} | {unchanged:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
