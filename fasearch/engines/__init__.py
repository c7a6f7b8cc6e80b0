"""The storage and matching engines behind one small interface.

Everything a search does above this layer is shared: analysis
(:mod:`fasearch.text.analysis`), the query language and the query tree
(:mod:`fasearch.query.planning` builds a *Whoosh query object tree*, plain Python
data), the ranking rules (:mod:`fasearch.searching.ranking`, which only needs stored
text, document frequencies and lengths), highlighting, did-you-mean, facets
and output.  An engine only stores the paragraphs with the fields of
:mod:`fasearch.engines.schema`, counts matches exactly, returns the best hits in a
decent first order, and answers questions about its words.

Two engines, one module each:

``whoosh``   (:mod:`.whoosh`) embedded, pure Python; the default, and what
             small corpora need.
``tantivy``  (:mod:`.tantivy`) the Rust engine behind Quickwit, fed the same
             tokens; for archives of tens of thousands of paragraphs.

The engine is chosen when an index is built (``indexer.py --engine``) and
recorded in the generation's ``meta.json``; searches open whichever it is.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable, Iterable, Protocol

NAMES = ("whoosh", "tantivy")
DEFAULT = "whoosh"


class Engine(Protocol):
    """An open index, read-only: what searching needs."""

    def doc_count(self) -> int: ...

    def doc_frequency(self, field: str, term: str) -> int:
        """Paragraphs holding ``term`` in ``field`` (querying.Vocabulary asks)."""

    def field_length(self, field: str) -> int:
        """Tokens of ``field`` over all paragraphs (for the average length)."""

    def expand_prefix(self, field: str, prefix: str) -> Iterable[str]:
        """The words of ``field`` that start with ``prefix``."""

    def lexicon(self, field: str) -> list[str]:
        """Every word of ``field``."""

    def top(self, query, limit: int, filter=None, budget: float | None = None) -> tuple[int, list[tuple[float, dict]], bool]:
        """(how many paragraphs match ``query`` within ``filter``, exactly;
        (score, stored fields) of the best ``limit``, best first, and those tied
        with the last; whether ``budget`` seconds ran out first, which
        leaves no hits).  Both queries are trees of
        :mod:`whoosh.query` objects (see fasearch.query.planning)."""

    def documents(self, file: str) -> list[dict]:
        """The stored fields of every paragraph of the article file ``file``."""

    def close(self) -> None:
        """Release what the open index holds (file handles)."""


class Writer(Protocol):
    """Adds and deletes paragraphs of one generation being built."""

    def add(self, **fields) -> None:
        """One paragraph: the fields of fasearch.engines.schema, content fields as the text."""

    def delete_file(self, name: str) -> None:
        """Every paragraph of the article file ``name``."""

    def commit(self) -> int:
        """Write everything; returns the paragraph count."""

    def abort(self) -> None:
        """Stop at once (the build was interrupted or failed)."""

    def failed(self) -> bool:
        """Whether a worker died, so the commit may be incomplete."""


def module(name: str):
    """The engine module called ``name`` (imported only when used)."""
    if name not in NAMES:
        raise ValueError(f"unknown engine {name!r}")
    return importlib.import_module(f"{__name__}.{name}")


def writer(name: str, folder: Path, new: bool, paragraphs: int,
           worker_start: Callable[[], None] | None = None) -> Writer:
    """A writer on ``folder``: a new empty index, or the start of the next one
    (the engine module's ``carry_over(source, target)`` put its files there).
    ``paragraphs`` is how many will be added (to choose processes);
    ``worker_start`` (picklable) runs first in any process the writer starts
    (fasearch.store.lock.WorkerStart)."""
    return module(name).writer(folder, new, paragraphs, worker_start)


def open_engine(name: str, folder: Path) -> Engine:
    return module(name).open(folder)
