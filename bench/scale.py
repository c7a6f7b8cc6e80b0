#!/usr/bin/env python3
"""How each cost grows with the corpus: both fasearch engines beside plain Whoosh.

    .venv/bin/python bench/scale.py [--sizes 1000,10000] [--corpora article,mixed] [--keep DIR] [--queries-only]

(100000 is a size too: about half an hour.)  For each size, builds
deterministic corpora (shuffled with a fixed seed, about 100 words a
paragraph, 50 paragraphs an article in 5 sections, as Markdown files):

``article``  the article's own sentences: a worst case, about 900 distinct
             words, so nearly every word matches nearly every paragraph;
``mixed``    the sentences of tests/data/articles/ (encyclopedia-style
             articles on other subjects) mixed with the article's: a more
             realistic vocabulary.

and prints, per engine (`indexer.py --engine`) and for plain Whoosh:

* build time and peak memory of a whole `indexer.py --rebuild` process, and
  of plain Whoosh (StandardAnalyzer) indexing the same paragraphs;
* index size on disk;
* warm query latency p50 and p95 over the judged queries of all three sets,
  in one process (`search.py --json -`, snippets and highlights included,
  for fasearch; one open searcher for plain Whoosh, alone and with Whoosh's
  own highlighted snippet for each of the 10 hits: the same job);
* the time of a whole `indexer.py` process when nothing changed.

``--keep DIR`` keeps the corpora and indexes in DIR; with ``--queries-only``,
a later run over the same DIR times only the queries, on what it kept (for
a change that touches searching only: builds take most of an hour at 100,000).
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from baselines import paragraphs
from measure import PYTHON, ROOT, batch_latencies, percentile_ms, run_once

ENGINES = ("whoosh", "tantivy")
WORDS_PER_PARAGRAPH = 100
PARAGRAPHS_PER_ARTICLE = 50
SECTIONS_PER_ARTICLE = 5


def sentences(kind: str = "article") -> list[str]:
    sys.path.insert(0, str(ROOT))
    from fasearch.corpus.article import read_article

    paths = [next((ROOT / "corpus").glob("*.txt"))]
    if kind == "mixed":
        paths += sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))
    text = " ".join(p for path in paths for _, p in read_article(path).paragraphs)
    return [s.strip() for s in re.split(r"(?<=[.؟!])\s+", text) if len(s.split()) > 2]


def judged_queries() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from fasearch.evaluation import load_judgments

    data = ROOT / "tests" / "data"
    return sorted({j.query for name in ("relevance.json", "keywords.json", "questions.json")
                   for j in load_judgments(data / name)})


def make_corpus(folder: Path, paragraphs: int, seed: int = 1375, kind: str = "article") -> None:
    rng = random.Random(seed)
    pool = sentences(kind)
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


def whoosh_latencies(index: Path, queries: list[str], texts: dict[int, str] | None = None) -> list[float]:
    """Seconds per query of plain Whoosh, warm; with ``texts`` (paragraph
    number -> text), each of the 10 hits also gets Whoosh's own highlighted
    snippet, as fasearch's answers do (read from ``texts``: the plain index
    stores no text, so its build is not slowed)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from whoosh import index as whoosh_index
    from whoosh.qparser import QueryParser
    from whoosh.scoring import BM25F

    ix = whoosh_index.open_dir(str(index))
    parser = QueryParser("content", ix.schema)
    searcher = ix.searcher(weighting=BM25F())
    out = []
    for i, query in enumerate(queries * 2):
        start = time.perf_counter()
        hits = searcher.search(parser.parse(query), limit=10)
        [hit.highlights("content", text=texts[hit["n"]]) if texts else hit["n"] for hit in hits]
        if i >= len(queries):
            out.append(time.perf_counter() - start)
    return out


def main() -> int:
    sizes = [1000, 10000]
    if "--sizes" in sys.argv:
        sizes = [int(s) for s in sys.argv[sys.argv.index("--sizes") + 1].split(",")]
    kinds = ["article", "mixed"]
    if "--corpora" in sys.argv:
        kinds = sys.argv[sys.argv.index("--corpora") + 1].split(",")
    queries = judged_queries()
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    queries_only = "--queries-only" in sys.argv
    if queries_only and keep is None:
        raise SystemExit("--queries-only times the indexes of an earlier --keep DIR: give it")
    rows = []
    baseline = {}  # (corpus, size) -> p95 of plain Whoosh + highlights: the latency goal's measure
    with tempfile.TemporaryDirectory() as tmp:
        base = keep or Path(tmp)
        for kind in kinds:
            for size in sizes:
                corpus, plain = base / f"corpus-{kind}-{size}", base / f"whoosh-{kind}-{size}"
                if queries_only:
                    plain_build = None
                else:
                    for folder in (corpus, plain):
                        shutil.rmtree(folder, ignore_errors=True)
                    make_corpus(corpus, size, kind=kind)
                    plain_build = run_once([PYTHON, "bench/baselines.py", "whoosh-build", str(corpus), str(plain)])
                theirs = whoosh_latencies(plain, queries)
                rows.append((kind, size, "plain Whoosh", plain_build, plain_build, size_mb(plain), theirs, None))
                texts = dict(paragraphs(corpus))
                highlighted = whoosh_latencies(plain, queries, texts)
                del texts
                baseline[kind, size] = percentile_ms(highlighted, .95)
                rows.append((kind, size, "plain Whoosh + highlights", None, plain_build, None, highlighted, None))
                for engine in ENGINES:
                    index = base / f"index-{kind}-{size}-{engine}"
                    build = unchanged = None
                    if not queries_only:
                        shutil.rmtree(index, ignore_errors=True)
                        build = run_once([PYTHON, "indexer.py", "--rebuild", "--quiet", "--engine", engine,
                                          "--corpus", str(corpus), "--index", str(index)])
                        unchanged = run_once([PYTHON, "indexer.py", "--quiet", "--corpus", str(corpus),
                                              "--index", str(index)])[0]
                    ours = batch_latencies(index, queries)
                    rows.append((kind, size, f"fasearch {engine}", build, plain_build, size_mb(index), ours, unchanged))
                    print(f"done {kind} {size} {engine}: p95 {percentile_ms(ours, .95):.1f} ms, plain Whoosh + "
                          f"highlights {percentile_ms(highlighted, .95):.1f} ms", file=sys.stderr, flush=True)
    print(f"{len(queries)} judged queries; paragraphs of ~{WORDS_PER_PARAGRAPH} words; "
          "corpora: article (its ~900 words, worst case), mixed (with tests/data/articles/)\n")
    print("| corpus | paragraphs | engine | build (s) | × plain Whoosh | peak memory (MB) | index (MB) | "
          "query p50 / p95 (ms) | p95 × plain Whoosh + highlights | nothing changed (s) |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, size, name, build, plain_build, mb, latencies, unchanged in rows:
        built = ("| | |", "") if build is None else \
            (f"| {build[0]:.1f} | {build[0] / plain_build[0]:.2f}x |", f"{build[1]:.0f}")
        print(f"| {kind} | {size:,} | {name} {built[0]} {built[1]} | {'' if mb is None else f'{mb:.1f}'} | "
              f"{percentile_ms(latencies, .5):.1f} / {percentile_ms(latencies, .95):.1f} | "
              f"{f'{percentile_ms(latencies, .95) / baseline[kind, size]:.2f}x' if name.startswith('fasearch') else ''} | "  # noqa: E501
              f"{'' if unchanged is None else f'{unchanged:.2f}'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
