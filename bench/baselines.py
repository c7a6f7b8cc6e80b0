#!/usr/bin/env python3
"""The baselines the benchmarks compare with, over the same paragraphs.

* plain Whoosh: StandardAnalyzer, QueryParser (all words), BM25F;
* SQLite FTS5: the unicode61 tokenizer, every word quoted and required, bm25.

As a command, for whole-process timings:

    python bench/baselines.py whoosh-build CORPUS DIR
    python bench/baselines.py whoosh-query DIR QUERY
    python bench/baselines.py fts5-build CORPUS DB
    python bench/baselines.py fts5-query DB QUERY
"""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def paragraphs(corpus: Path) -> list[tuple[int, str]]:
    """(global number, text) of every paragraph, read as fasearch reads them."""
    from fasearch.article import corpus_files, read_article

    out = []
    for path in corpus_files(corpus):
        for _, text in read_article(path).paragraphs:
            out.append((len(out) + 1, text))
    return out


def whoosh_build(paras, folder: Path | None = None):
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import NUMERIC, TEXT, Schema
    from whoosh.filedb.filestore import FileStorage, RamStorage

    schema = Schema(n=NUMERIC(stored=True), content=TEXT(analyzer=StandardAnalyzer()))
    if folder is None:
        ix = RamStorage().create_index(schema)
    else:
        folder.mkdir(parents=True, exist_ok=True)
        ix = FileStorage(str(folder)).create_index(schema)
    with ix.writer() as writer:
        for n, text in paras:
            writer.add_document(n=n, content=text)
    return ix


def whoosh_searcher(ix):
    from whoosh.qparser import QueryParser
    from whoosh.scoring import BM25F

    parser = QueryParser("content", ix.schema)
    searcher = ix.searcher(weighting=BM25F())

    def run(query: str, limit: int = 10) -> list[int]:
        return [hit["n"] for hit in searcher.search(parser.parse(query), limit=limit)]

    return run


def fts5_build(paras, path: str = ":memory:"):
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE p USING fts5(content, tokenize='unicode61')")
    db.executemany("INSERT INTO p(rowid, content) VALUES (?, ?)", paras)
    db.commit()
    return db


def fts5_searcher(db):
    def run(query: str, limit: int = 10) -> list[int]:
        # Quote each word and phrase so FTS5 syntax never fails; all are required.
        terms = re.findall(r'"[^"]*"|[^\s"]+', query)
        quoted = " ".join('"' + t.strip('"').replace('"', "") + '"' for t in terms if t.strip('"'))
        try:
            rows = db.execute("SELECT rowid FROM p WHERE p MATCH ? ORDER BY rank LIMIT ?", (quoted, limit))
            return [r[0] for r in rows]
        except sqlite3.OperationalError:
            return []

    return run


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "whoosh-build":
        whoosh_build(paragraphs(Path(args[0])), Path(args[1]))
    elif command == "whoosh-query":
        from whoosh import index

        print(whoosh_searcher(index.open_dir(args[0]))(args[1]))
    elif command == "fts5-build":
        Path(args[1]).unlink(missing_ok=True)
        fts5_build(paragraphs(Path(args[0])), args[1]).close()
    elif command == "fts5-query":
        print(fts5_searcher(sqlite3.connect(args[0]))(args[1]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
