#!/usr/bin/env python3
"""The baselines the benchmarks compare with, over the same paragraphs.

* plain Whoosh: StandardAnalyzer, QueryParser (all words), BM25F;
* SQLite FTS5: the unicode61 tokenizer, every word quoted and required, bm25;
* folded BM25: FTS5 over ``fasearch.text.chars.fold_text``'ed text split at ZWNJ,
  any word (OR), hazm's stopwords left out of the query, bm25;
* Lucene 8: ``PersianAnalyzer``, BM25, QueryParser with OR (bench/LuceneBaseline.java,
  compiled at run time against Debian's liblucene8-java; see ``lucene_searcher``).

As a command, for whole-process timings:

    python bench/baselines.py whoosh-build CORPUS DIR
    python bench/baselines.py whoosh-query DIR QUERY
    python bench/baselines.py fts5-build CORPUS DB
    python bench/baselines.py fts5-query DB QUERY
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def paragraphs(corpus: Path) -> list[tuple[int, str]]:
    """(global number, text) of every paragraph, read as fasearch reads them."""
    from fasearch.corpus.article import corpus_files, read_article

    out = []
    for path in corpus_files(corpus):
        for _, text in read_article(path).paragraphs:
            out.append((len(out) + 1, text))
    return out


def labelled_paragraphs(corpus: Path) -> list[tuple[str, int, str]]:
    """(article id, paragraph number within it, text), in the order of ``paragraphs``."""
    from fasearch.corpus.article import corpus_files, read_article

    return [(path.stem, n, text) for path in corpus_files(corpus)
            for n, (_, text) in enumerate(read_article(path).paragraphs, 1)]


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


def _folded_words(text: str) -> list[str]:
    from fasearch.text.chars import ZWNJ, fold_text

    return re.findall(r"\w+", fold_text(text).replace(ZWNJ, " "))


def folded_build(paras):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(content, tokenize='unicode61')")
    db.executemany("INSERT INTO p(rowid, content) VALUES (?, ?)",
                   [(n, " ".join(_folded_words(text))) for n, text in paras])
    db.commit()
    return db


def folded_searcher(db):
    from hazm import stopwords_list

    stop = {w for s in stopwords_list() if "_" not in s for w in _folded_words(s)}

    def run(query: str, limit: int = 10) -> list[int]:
        words = _folded_words(query)
        words = [w for w in words if w not in stop] or words  # a query of stopwords only keeps them
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
        return [r[0] for r in db.execute("SELECT rowid FROM p WHERE p MATCH ? ORDER BY rank LIMIT ?", (match, limit))]

    return run


class LuceneMissing(Exception):
    """Java or Lucene 8 is not installed; the message says what is missing."""


LUCENE_JARS = ("lucene-core", "lucene-analyzers-common", "lucene-queryparser")


def lucene_classpath(jar_dir: Path | None = None) -> str:
    """Lucene 8's jars, the newest 8.x of each (Debian: apt-get install liblucene8-java),
    from ``jar_dir``, else $LUCENE_JAR_DIR, else /usr/share/java."""
    jar_dir = jar_dir or Path(os.environ.get("LUCENE_JAR_DIR", "/usr/share/java"))
    jars = []
    for name in LUCENE_JARS:
        found = sorted(jar_dir.glob(f"{name}-8.*.jar"))
        if not found:
            raise LuceneMissing(f"no {name}-8.*.jar in {jar_dir} (apt-get install liblucene8-java)")
        jars.append(str(found[-1]))
    return os.pathsep.join(jars)


def lucene_searcher(labelled: list[tuple[str, str]], workdir: Path):
    """Run bench/LuceneBaseline.java over (id, text) paragraphs; query -> ranked ids.

    Compiles the class into ``workdir`` and keeps one JVM reading queries on its
    standard input.  Raises LuceneMissing when javac, java or the jars are missing.
    """
    javac, java = shutil.which("javac"), shutil.which("java")
    if not javac or not java:
        raise LuceneMissing("no javac/java on PATH (apt-get install default-jdk-headless)")
    classpath = lucene_classpath()
    source = Path(__file__).resolve().parent / "LuceneBaseline.java"
    built = subprocess.run([javac, "-encoding", "UTF-8", "-d", str(workdir), "-cp", classpath, str(source)],
                           capture_output=True, text=True)
    if built.returncode:
        why = built.stderr.strip().splitlines()[0] if built.stderr else built.returncode
        raise LuceneMissing(f"javac failed: {why}")
    tsv = workdir / "paragraphs.tsv"
    tsv.write_text("".join(f"{i}\t{' '.join(text.split())}\n" for i, text in labelled), "utf-8")
    process = subprocess.Popen([java, "-cp", os.pathsep.join([str(workdir), classpath]), "LuceneBaseline", str(tsv)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
    by_text = {str(i): i for i, _ in labelled}

    def run(query: str, limit: int = 10) -> list:
        process.stdin.write(" ".join(query.split()) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        if not line:
            raise LuceneMissing("the Lucene process stopped")
        return [by_text[i] for i in line.rstrip("\n").split("\t") if i][:limit]

    run.close = lambda: (process.stdin.close(), process.wait())
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
