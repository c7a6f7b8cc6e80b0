#!/usr/bin/env python3
"""Relevance of this engine against plain Whoosh and SQLite FTS5, same paragraphs.

    .venv/bin/python bench/relevance.py [--verbose]

Prints nDCG@10, the share of queries whose top hit is relevant, recall@10,
the precision of what is returned and the queries with no relevant hit, for
each system, overall and per category, over tests/data/relevance.json.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baselines import fts5_build, fts5_searcher, paragraphs, whoosh_build, whoosh_searcher  # noqa: E402
from fasearch.evaluation import load_judgments, score  # noqa: E402
from fasearch.indexing import build_index, open_index  # noqa: E402
from fasearch.searching import search  # noqa: E402
from fasearch.errors import FasearchError  # noqa: E402

JUDGMENTS = ROOT / "tests" / "data" / "relevance.json"


def this_engine(corpus: Path, folder: Path):
    build_index(corpus, folder)
    ix = open_index(folder)

    def run(query: str) -> list[int]:
        try:
            return [h.paragraph for h in search(ix, query, limit=10).hits]
        except FasearchError:
            return []

    return run


def table(results: dict) -> str:
    lines = ["| system | category | queries | nDCG@10 | top hit relevant | recall@10 | precision | no relevant hit |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, (overall, per_category, _) in results.items():
        for category, s in [("all", overall), *per_category.items()]:
            lines.append(f"| {name} | {category} | {s.queries} | {s.ndcg:.3f} | {s.top_relevant:.0%} | "
                         f"{s.recall:.3f} | {s.precision:.3f} | {s.no_relevant} |")
    return "\n".join(lines)


def main() -> int:
    corpus = ROOT / "corpus"
    judged = load_judgments(JUDGMENTS)
    paras = paragraphs(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        systems = {"fasearch": this_engine(corpus, Path(tmp) / "index"),
                   "plain Whoosh": whoosh_searcher(whoosh_build(paras)),
                   "SQLite FTS5": fts5_searcher(fts5_build(paras))}
        results = {name: score(run, judged) for name, run in systems.items()}
    print(f"{len(judged)} judged queries over {len(paras)} paragraphs\n")
    print(table(results))
    if "--verbose" in sys.argv:
        print()
        for j, ranked, ndcg, top, recall, precision in results["fasearch"][2]:
            print(f"{ndcg:.3f} {'+' if top else '-'} {j.category:10} {j.query}  ->  {ranked}  want {j.relevant}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
