#!/usr/bin/env python3
"""Relevance of this engine against four baselines, same paragraphs, one run.

    .venv/bin/python bench/relevance.py [--verbose]

Three judged sets:

* ``tests/data/relevance.json``: the first keyword set, over corpus/ alone
  (its ids are paragraph numbers of the one article);
* ``tests/data/keywords.json``: keyword queries, and
* ``tests/data/questions.json``: questions as people type them, both over
  corpus/ plus tests/data/articles/ (ids ``<file stem>#<n>``).

Systems: fasearch; plain Whoosh and SQLite FTS5 (every word required); folded
BM25 (FTS5 over folded text, any word, hazm's stopwords left out of the query);
Lucene 8's PersianAnalyzer with BM25 (bench/LuceneBaseline.java; skipped, with
the reason, when Java or liblucene8-java is missing).  For each set: nDCG@10,
the share of queries whose top hit is relevant, recall@10, the precision of
what is returned and the queries with no relevant paragraph in the top 10;
per category where the set has them.  ``--verbose`` lists, per query, the rank
of the first relevant paragraph for each system (``-``: none in the top 10).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baselines import (  # noqa: E402
    LuceneMissing,
    folded_build,
    folded_searcher,
    fts5_build,
    fts5_searcher,
    labelled_paragraphs,
    lucene_searcher,
    whoosh_build,
    whoosh_searcher,
)

from fasearch.errors import FasearchError  # noqa: E402
from fasearch.evaluation import first_relevant, load_judgments, paragraph_id, score  # noqa: E402
from fasearch.index import open_index  # noqa: E402
from fasearch.indexing import build_index  # noqa: E402
from fasearch.searching.search import search  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = [  # (name, judgments, corpus: "one" = corpus/ alone, "all" = with tests/data/articles/)
    ("keywords, one article (relevance.json)", DATA / "relevance.json", "one"),
    ("keywords (keywords.json)", DATA / "keywords.json", "all"),
    ("questions (questions.json)", DATA / "questions.json", "all"),
]


def combined_corpus(folder: Path) -> Path:
    """corpus/ and tests/data/articles/ copied into one folder."""
    folder.mkdir()
    for path in [*(ROOT / "corpus").iterdir(), *(DATA / "articles").iterdir()]:
        if path.suffix in (".txt", ".md"):
            shutil.copy(path, folder / path.name)
    return folder


def systems_for(corpus: Path, ident, work: Path) -> tuple[dict, list[str]]:
    """Every system over the paragraphs of ``corpus``, answering ids made by ``ident(stem, n)``."""
    labelled = [(ident(stem, n), text) for stem, n, text in labelled_paragraphs(corpus)]
    numbered = [(i, text) for i, (_, text) in enumerate(labelled, 1)]  # baselines number globally
    ids = {i: pid for i, (pid, _) in enumerate(labelled, 1)}
    build_index(corpus, work / "index")
    ix = open_index(work / "index")

    def fasearch(query: str) -> list:
        try:
            return [ident(h.article, h.paragraph) for h in search(ix, query, limit=10).hits]
        except FasearchError:
            return []

    def by_id(run):
        return lambda query: [ids[i] for i in run(query)]

    systems = {"fasearch": fasearch,
               "plain Whoosh": by_id(whoosh_searcher(whoosh_build(numbered))),
               "SQLite FTS5": by_id(fts5_searcher(fts5_build(numbered))),
               "folded BM25": by_id(folded_searcher(folded_build(numbered)))}
    notes = []
    try:
        (work / "lucene").mkdir()
        lucene = lucene_searcher(labelled, work / "lucene")
        lucene("کارگر")  # a JVM that cannot start is caught here, not halfway through a set
        systems["Lucene PersianAnalyzer"] = lucene
    except LuceneMissing as why:
        notes.append(f"Lucene skipped: {why}")
    return systems, notes


def table(results: dict, per_category: bool) -> str:
    lines = ["| system | category | queries | nDCG@10 | top hit relevant | recall@10 | precision | no relevant in top 10 |",  # noqa: E501
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, (overall, categories, _) in results.items():
        for category, s in [("all", overall), *(categories.items() if per_category else [])]:
            lines.append(f"| {name} | {category} | {s.queries} | {s.ndcg:.3f} | {s.top_relevant:.0%} | "
                         f"{s.recall:.3f} | {s.precision:.3f} | {s.no_relevant} |")
    return "\n".join(lines)


def ranks(results: dict) -> str:
    """Per query: the rank of the first relevant paragraph for each system."""
    names = list(results)
    lines = ["| query | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    for i, row in enumerate(results[names[0]][2]):
        firsts = [first_relevant(results[n][2][i][1], row[0].relevant) for n in names]
        lines.append(f"| {row[0].query} | " + " | ".join(str(r) if r else "-" for r in firsts) + " |")
    return "\n".join(lines)


def main() -> int:
    verbose = "--verbose" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpora = {"one": (ROOT / "corpus", lambda stem, n: n),
                   "all": (combined_corpus(tmp / "all-corpus"), paragraph_id)}
        built = {}
        for key, (corpus, ident) in corpora.items():
            (tmp / key).mkdir()
            built[key] = systems_for(corpus, ident, tmp / key)
        for note in dict.fromkeys(n for _, notes in built.values() for n in notes):
            print(note)
        for name, path, key in SETS:
            judged = load_judgments(path)
            systems = built[key][0]
            results = {system: score(run, judged) for system, run in systems.items()}
            paragraphs = len(labelled_paragraphs(corpora[key][0]))
            print(f"\n## {name}: {len(judged)} judged queries over {paragraphs} paragraphs\n")
            print(table(results, per_category=key == "one" or name.startswith("questions")))
            if verbose:
                print("\nRank of the first relevant paragraph (- : none in the top 10)\n")
                print(ranks(results))
        for systems, _ in built.values():
            for run in systems.values():
                getattr(run, "close", lambda: None)()
    return 0


if __name__ == "__main__":
    sys.exit(main())
