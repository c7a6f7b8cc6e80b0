"""The engines behind one small contract, and the registry that finds them.

Everything a search does above this layer is shared: analysis
(:mod:`fasearch.text.analysis`), the query language and the query tree
(:mod:`fasearch.query`: :func:`fasearch.query.planning.build` makes a tree of
:mod:`fasearch.query.tree`, plain data), the ranking rules
(:mod:`fasearch.searching.ranking`, which only needs stored text, document
frequencies and lengths), highlighting, did-you-mean, facets and output.
An engine only stores the paragraphs with the fields of
:mod:`fasearch.engines.schema`, translates the tree into its own queries,
counts matches exactly, returns the best hits in a decent first order, and
answers questions about its words.

The engines are listed in :data:`ENGINES`, one line each; each is one module
with three functions, ``open(folder) -> Engine``, ``writer(folder, new,
paragraphs, worker_start) -> Writer`` and the local store's ``carry_over(source,
target)``, imported only when that engine is used.  How to add
one: docs/engines.md.  The engine is chosen when an index is built
(``indexer.py --engine``) and recorded in the generation's ``meta.json``;
searches open whichever it is.

Errors: an engine turns the exceptions its library raises on damaged files
into :class:`fasearch.errors.IndexReadError`, at its boundary (opening, and
every method of :class:`Engine`), with :class:`reading`; any other exception
is a bug and propagates.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Protocol

from ..errors import FasearchError, IndexReadError
from ..query.tree import Query


@dataclass(frozen=True)
class Registered:
    """An engine as the registry knows it, before its module is imported."""

    module: str  # the module with open() and writer()
    title: str  # its name in messages
    # Paragraphs from which its searches slow down (bench/scale.py, docs/scale.md),
    # and the engine the indexer then suggests: None, never.
    slow_from: int | None = None
    instead: str | None = None


ENGINES: dict[str, Registered] = {
    "whoosh": Registered("fasearch.engines.whoosh", "Whoosh", slow_from=50_000, instead="tantivy"),
    "tantivy": Registered("fasearch.engines.tantivy", "tantivy"),
}
DEFAULT = "whoosh"


def names() -> tuple[str, ...]:
    """The registered engines' names, the default first."""
    return tuple(ENGINES)


NAMES = names()  # for argparse's choices= and the test fixtures


class Engine(Protocol):
    """An open index, read-only: what searching needs.  ``query`` and
    ``filter`` are trees of :mod:`fasearch.query.tree`; ``field`` a field of
    :mod:`fasearch.engines.schema`.  Every method raises
    :class:`~fasearch.errors.IndexReadError` for damaged data, nothing else."""

    def doc_count(self) -> int:
        """Paragraphs in the index (the N of BM25's IDF)."""

    def doc_frequency(self, field: str, term: str) -> int:
        """Paragraphs holding ``term`` in ``field`` (fasearch.query.vocabulary asks)."""

    def field_length(self, field: str) -> int:
        """Tokens of ``field`` over all paragraphs (for the average length)."""

    def expand_prefix(self, field: str, prefix: str) -> Iterable[str]:
        """The words of ``field`` that start with ``prefix``, in order."""

    def lexicon(self, field: str) -> list[str]:
        """Every word of ``field``, in order."""

    def top(self, query: Query, limit: int, filter: Query | None = None,
            budget: float | None = None) -> tuple[int, list[tuple[float, dict]], bool]:
        """(how many paragraphs match ``query`` within ``filter``, exactly; (score,
        stored fields) of the best ``limit``, best first, and those tied with the
        last; whether ``budget`` seconds ran out first, which leaves no hits)."""

    def documents(self, file: str) -> list[dict]:
        """The stored fields of every paragraph of the article file ``file``."""

    def close(self) -> None:
        """Release what the open index holds (file handles, maps)."""


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


class reading:
    """``with reading(DAMAGE):`` turns the exceptions of ``DAMAGE`` (what an
    engine's library raises on damaged files) into one
    :class:`~fasearch.errors.IndexReadError` naming the original type; any
    other exception passes unchanged.  A class, not a generator: the engines
    enter it on every doc_frequency.  An engine whose library signals damage
    otherwise than by type overrides :meth:`is_damage`."""

    __slots__ = ("damage",)

    def __init__(self, damage: tuple[type[BaseException], ...]):
        self.damage = damage

    def is_damage(self, error: BaseException) -> bool:
        return isinstance(error, self.damage) and not isinstance(error, FasearchError)

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if error is not None and self.is_damage(error):
            raise IndexReadError(type(error).__name__) from error


def module(name: str) -> ModuleType:
    """The engine module called ``name`` (imported only when used)."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}")
    return importlib.import_module(ENGINES[name].module)


def writer(name: str, folder: Path, new: bool, paragraphs: int,
           worker_start: Callable[[], None] | None = None) -> Writer:
    """A writer on ``folder``: a new empty index, or the start of the next one
    (the engine module's ``carry_over(source, target)`` put its files there).
    ``paragraphs`` is how many will be added (to choose processes);
    ``worker_start`` (picklable) runs first in any process the writer starts
    (fasearch.store.lock.WorkerStart)."""
    return module(name).writer(folder, new, paragraphs, worker_start)


def open_engine(name: str, folder: Path) -> Engine:
    """The engine ``name``'s index in the generation folder ``folder``."""
    return module(name).open(folder)
