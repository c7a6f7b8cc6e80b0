"""An open index: what searches read, owned by one object that closes.

:func:`open_index` opens the generation ``CURRENT`` names, after checking
what is cheap to check (its ``meta.json``, the sizes of its files, the whole
lemma table).  The :class:`OpenIndex` holds everything a search of it uses:

* ``engine``: the engine's open index (fasearch.engines);
* ``lexicon``: its lemma table (:class:`fasearch.text.lexicon.IndexLexicon`);
* ``speller``: did-you-mean over the words as written, opened on first use.

Nothing is process-wide: opening an index switches no module state, so
several indexes (or generations) can be open and searched at once.  The
lemma table and the speller are safe from several threads (one SQLite
connection per process, a lock around each query); the Whoosh engine reads
through one file position and is for one thread at a time, so a server
gives each request an OpenIndex of its own (fasearch.serve.web.pool).

``close()`` releases the engine and both SQLite files; an OpenIndex is a
context manager::

    with open_index(Path("index")) as ix:
        print(search(ix, "کارگر").total)

Errors carry no command to run: one that rebuilding repairs says how in
``error.fix`` (:class:`fasearch.errors.Fix`), and the command line writes it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

from . import engines
from .corpus.article import corpus_files, digest
from .errors import FasearchError, Fix, IndexMissingError, IndexReadError
from .searching.spelling import Speller
from .store import checksums, generations
from .store import meta as store_meta
from .store.generations import KNOWN
from .store.meta import MetaError
from .text.lexicon import IndexLexicon


class OpenIndex:
    """One generation of an index, open for searches (see the module docstring)."""

    def __init__(self, engine: engines.Engine, meta: dict, path: Path) -> None:
        self.engine = engine  # kept open for every query of this index
        self.meta = meta
        self.path = path  # the generation folder
        self.lexicon = IndexLexicon(path / KNOWN)
        self._speller: Speller | None = None
        self._opening = threading.Lock()
        self.closed = False

    def searcher(self) -> engines.Engine:
        return self.engine

    @property
    def speller(self) -> Speller:
        """Did-you-mean over this generation's words, opened on first use (once,
        whichever thread asks first)."""
        if self._speller is None:
            with self._opening:
                if self.closed:
                    raise ValueError("the index is closed")
                if self._speller is None:
                    self._speller = Speller(self.path / KNOWN)
        return self._speller

    def repair(self, rebuild: bool = False) -> Fix:
        """The indexer command that rebuilds this index."""
        return repair(self.path.parent, self.meta, rebuild)

    def stale_files(self) -> list[str]:
        """Corpus files added, changed or removed since the build."""
        corpus = Path(self.meta["corpus"])
        # Files the indexer read but could not decode are known too: running it again would not help.
        then = {**self.meta.get("unreadable", {}), **self.meta["files"]}
        stats = self.meta.get("stats", {})
        try:
            files = corpus_files(corpus)
        except FasearchError:
            files = []
        now = {}
        for p in files:
            try:
                info = p.stat()
                # Hash only what looks touched: every search runs this check.
                if p.name in then and stats.get(p.name) == [info.st_size, info.st_mtime_ns]:
                    now[p.name] = then[p.name]
                else:
                    now[p.name] = digest(p.read_bytes())
            except OSError:  # unreadable now, or gone: the indexer will say which
                now[p.name] = then.get(p.name)
        return sorted(name for name in now.keys() | then.keys() if now.get(name) != then.get(name))

    def close(self) -> None:
        """Release the engine, the lemma table and the speller; searches fail
        after.  Closing again does nothing."""
        with self._opening:
            if self.closed:
                return
            self.closed = True
            speller, self._speller = self._speller, None
        try:  # each is released even if another fails
            self.engine.close()
        finally:
            try:
                self.lexicon.close()
            finally:
                if speller is not None:
                    speller.close()

    def __enter__(self) -> OpenIndex:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def repair(index_dir: Path, meta: dict | None = None, rebuild: bool = False, intro: str = "rebuild it with") -> Fix:
    """The indexer command that (re)builds ``index_dir``: its corpus is the
    one ``meta`` records, else the newest generation's (``CURRENT`` may be
    damaged), else the indexer's default."""
    args = ["--index", str(index_dir)]
    corpus = meta.get("corpus") if meta is not None else store_meta.recorded_corpus(index_dir)
    if isinstance(corpus, str):
        args += ["--corpus", corpus]
    return Fix("index", (*args, *(["--rebuild"] if rebuild else [])), intro)


def open_index(index_dir: Path) -> OpenIndex:
    """The current generation of ``index_dir``; IndexMissingError (with the fix)
    when there is none, or it is damaged or of another version."""
    try:
        name = generations.current_name(index_dir)
    except IndexMissingError as error:
        raise IndexMissingError(f"the index in {index_dir} is damaged ({error})", repair(index_dir)) from None
    if name is None:
        raise IndexMissingError(f"no index in {index_dir}", repair(index_dir, intro="build it with"))
    path = index_dir / name
    try:
        meta = store_meta.read(path)
    except MetaError:
        raise IndexMissingError(f"the index in {index_dir} is damaged", repair(index_dir)) from None
    fix = repair(index_dir, meta)
    if not store_meta.is_this_version(meta):
        raise IndexMissingError(f"the index in {index_dir} was built by another version of fasearch or hazm", fix)
    damage = checksums.size_damage(path, meta)
    if damage:
        raise IndexMissingError(f"the index in {index_dir} is damaged ({damage})", fix)
    # The lemma table is small: verify it whole (SQLite would fail mid-search).
    if not (path / KNOWN).is_file() or "checksums" in meta and checksums.damage(path, meta, [KNOWN]):
        raise IndexMissingError(f"the index in {index_dir} is damaged ({KNOWN})", fix)
    try:
        engine = engines.open_engine(store_meta.engine(meta), path)
    except IndexReadError:
        raise IndexMissingError(f"the index in {index_dir} is damaged", fix) from None
    return OpenIndex(engine, meta, path)
