"""fasearch: full-text search for Persian articles, with hazm analysis, on Whoosh or tantivy.

The Python API (docs/api.md)::

    report = fasearch.build_index(Path("articles"), Path("index"))
    with fasearch.open_index(Path("index")) as ix:
        for hit in fasearch.search(ix, "کارگران نفت").hits:
            print(hit.title, hit.section, hit.snippet)

The package by layer::

    text/       spellings folded, words to lemmas, the index's analysis
    corpus/     text files -> header, sections, paragraphs
    query/      what a user types -> a query tree and a plan
    engines/    whoosh or tantivy: store, match, first order
    store/      index generations: the lock, checksums, meta.json
    indexing    corpus -> a new generation (build_index)
    index       the open index: engine, lemma table, speller (open_index)
    searching/  ranked hits: matching, ranking, did-you-mean, snippets
    serve/      the fasearch command, its output, and the search page (web/)
"""

from __future__ import annotations

__version__ = "0.1.0"  # pyproject.toml reads it from here

from .errors import (
    CorpusError,
    FasearchError,
    Fix,
    IndexMissingError,
    IndexReadError,
    LockedError,
    NoSpaceError,
    OutputError,
    PartialIndexError,
    UsageError,
)
from .index import OpenIndex, open_index
from .indexing import BuildReport, build_index
from .searching.search import Hit, SearchResult, search

__all__ = [
    "__version__",
    "build_index", "open_index", "search",
    "BuildReport", "OpenIndex", "SearchResult", "Hit",
    "FasearchError", "Fix", "UsageError", "IndexMissingError", "IndexReadError", "CorpusError", "LockedError",
    "PartialIndexError", "NoSpaceError", "OutputError",
]
