#!/usr/bin/env python3
"""Relevance of this engine against plain Whoosh and SQLite FTS5, same paragraphs.

    .venv/bin/python bench/relevance.py [--verbose]

Prints nDCG@10, the share of queries whose top hit is relevant, recall@10,
the precision of what is returned and the queries with no relevant hit, for
each system, overall and per category, over tests/data/relevance.json.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh.analysis import StandardAnalyzer  # noqa: E402
from whoosh.fields import NUMERIC, TEXT, Schema  # noqa: E402
from whoosh.filedb.filestore import RamStorage  # noqa: E402
from whoosh.qparser import QueryParser  # noqa: E402
from whoosh.scoring import BM25F  # noqa: E402

from fasearch.article import read_article  # noqa: E402
from fasearch.evaluation import load_judgments, score  # noqa: E402
from fasearch.indexing import build_index, open_index  # noqa: E402
from fasearch.searching import search  # noqa: E402
from fasearch.errors import FasearchError  # noqa: E402

JUDGMENTS = ROOT / "tests" / "data" / "relevance.json"


def paragraphs(corpus: Path) -> list[tuple[int, str]]:
    article = read_article(next(corpus.glob("*.txt")))
    return [(n, text) for n, (_, text) in enumerate(article.paragraphs, start=1)]


def this_engine(corpus: Path, folder: Path):
    build_index(corpus, folder)
    ix = open_index(folder)

    def run(query: str) -> list[int]:
        try:
            return [h.paragraph for h in search(ix, query, limit=10).hits]
        except FasearchError:
            return []

    return run


def plain_whoosh(paras):
    ix = RamStorage().create_index(Schema(n=NUMERIC(stored=True), content=TEXT(analyzer=StandardAnalyzer())))
    with ix.writer() as writer:
        for n, text in paras:
            writer.add_document(n=n, content=text)
    parser = QueryParser("content", ix.schema)
    searcher = ix.searcher(weighting=BM25F())

    def run(query: str) -> list[int]:
        return [hit["n"] for hit in searcher.search(parser.parse(query), limit=10)]

    return run


def sqlite_fts5(paras):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(content, tokenize='unicode61')")
    db.executemany("INSERT INTO p(rowid, content) VALUES (?, ?)", paras)

    def run(query: str) -> list[int]:
        # Quote each word and phrase so FTS5 syntax never fails; all are required.
        terms = re.findall(r'"[^"]*"|[^\s"]+', query)
        quoted = " ".join('"' + t.strip('"').replace('"', "") + '"' for t in terms if t.strip('"'))
        try:
            rows = db.execute("SELECT rowid FROM p WHERE p MATCH ? ORDER BY rank LIMIT 10", (quoted,))
            return [r[0] for r in rows]
        except sqlite3.OperationalError:
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
                   "plain Whoosh": plain_whoosh(paras), "SQLite FTS5": sqlite_fts5(paras)}
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
