"""The Whoosh engine: the default, embedded, pure Python and numpy.

Whoosh analyses the text itself with the analyzers of fasearch.engines.schema and
stores the index; files live directly in the generation folder.  The query
tree (:mod:`fasearch.query.tree`) is translated and scored over Whoosh's
posting lists by fasearch.engines.postings, a list at a time: the same
matches and scores as Whoosh's own matchers, several times faster.

Segments are read through :class:`MappedStorage`: Whoosh's own storage maps
a compound segment but then copies each file in it (postings, stored
fields, ...) into a ``BytesIO``, so an open index would hold its whole
size in memory, once per open index (the page keeps one per request).

Damaged files make Whoosh raise many kinds of exceptions (:data:`DAMAGE`):
the engine turns those into :class:`fasearch.errors.IndexReadError`, in
every method; anything else is a bug and propagates.
"""

from __future__ import annotations

import builtins
import mmap
import os
import pickle
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.collectors import TimeLimit
from whoosh.filedb.compound import SubFile
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import FileFormatError
from whoosh.filedb.structfile import StructFile
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.scoring import BM25F

from ..errors import IndexReadError
from ..query.tree import Filter, Query
from . import reading
from .schema import make_schema

PARALLEL_FROM = 500  # paragraphs to analyse before a second process helps
DELETED_SHARE = 0.1  # deleted paragraphs past this share of all are merged away on commit
# Hits tied with the last one wanted are all returned (up to this many):
# which of them made the cut would otherwise depend on document numbers,
# which differ between builds; the caller orders ties by the corpus.
MAX_TIED = 200
_INDEX_NAME = whoosh_index._DEF_INDEX_NAME  # its files: MAIN_*.seg, _MAIN_*.toc, MAIN_WRITELOCK
# What Whoosh raises reading damaged files: struct and zlib on garbled
# records, pickle on its posting blocks and table of contents, ValueError
# from mmap on a short file, KeyError and IndexError on garbled offsets.
DAMAGE = (OSError, EOFError, ValueError, KeyError, IndexError, OverflowError, struct.error, zlib.error,
          pickle.UnpicklingError, whoosh_index.IndexError, FileFormatError)
# Whoosh unpickles its table of contents (the schema, the list of segments)
# when an index opens: damaged bytes make pickle build whatever their opcodes
# say, and the code given it then fails with any of these.  Only there.
_TOC_DAMAGE = (TypeError, AttributeError, ImportError, AssertionError, RecursionError, MemoryError)
_READING = reading(DAMAGE)


class MappedStorage(FileStorage):
    """A folder whose compound segments (``.seg``) are memory-mapped and read
    in place: the files inside a segment are slices of the map, never copies.

    The files of one open segment share the map's read position (each part
    seeks before it reads), so an open index is for one thread at a time,
    as Whoosh's searchers are anyway (fasearch.serve.web.pool lends one per request).
    """

    def __init__(self, folder: str):
        # supports_mmap=False: Whoosh's CompoundStorage then asks our file for
        # subsets (MappedSegment.subset) instead of copying from its own map.
        super().__init__(folder, supports_mmap=False)

    def open_file(self, name, **kwargs):
        if not name.endswith(".seg"):
            return super().open_file(name, **kwargs)
        with builtins.open(self._fpath(name), "rb") as f:  # the map keeps its own descriptor
            return MappedSegment(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ), name=name, **kwargs)


class MappedSegment(StructFile):
    """A whole segment file, mapped; closing it unmaps it (and closes its descriptor)."""

    def subset(self, offset, length, name=None):
        return MappedPart(self.file, offset, length, name or self._name)


class MappedPart(StructFile):
    """One file of a compound segment: reads go to the map at its offset."""

    def __init__(self, segment: mmap.mmap, offset: int, length: int, name=None):
        super().__init__(SubFile(segment, offset, length), name=name)
        self._map, self._offset = segment, offset

    def get(self, position, length):  # random reads (postings blocks, columns): a slice, no seek
        start = self._offset + position
        return self._map[start:start + length]


def open_whoosh(folder: Path) -> whoosh_index.FileIndex:
    return MappedStorage(str(folder)).open_index()


class WhooshEngine:
    """An open Whoosh index (:class:`fasearch.engines.Engine`)."""

    def __init__(self, folder: Path):
        with _READING:
            try:
                self.index = open_whoosh(folder)
            except _TOC_DAMAGE as error:
                raise IndexReadError(type(error).__name__) from error
            self.searcher = self.index.searcher(weighting=BM25F())  # reads every segment's directory
            try:
                self.reader = self.searcher.reader()
                # Whoosh's own matchers score one posting at a time, in Python: a
                # word most paragraphs hold costs milliseconds per thousand.  The
                # same queries are scored a posting list at a time, with numpy
                # (imported here: 50 ms that the indexer does not need).
                from .postings import PostingsScorer

                self.scorer = PostingsScorer(self.searcher, _READING)
            except BaseException:  # nothing is left open by a failed open
                self.searcher.close()
                raise

    def doc_count(self) -> int:
        with _READING:
            return self.searcher.doc_count_all()  # deleted paragraphs too, as BM25F counts them

    def doc_frequency(self, field: str, term: str) -> int:
        with _READING:
            return self.reader.doc_frequency(field, term)

    def field_length(self, field: str) -> int:
        with _READING:
            return self.reader.field_length(field)

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        with _READING:  # read as the caller iterates
            for term in self.reader.expand_prefix(field, prefix):
                yield term.decode("utf-8")

    def lexicon(self, field: str) -> list[str]:
        with _READING:
            return [t.decode("utf-8") for t in self.searcher.lexicon(field)]

    def top(self, query: Query, limit: int, filter: Query | None = None,
            budget: float | None = None) -> tuple[int, list[tuple[float, dict]], bool]:
        if filter is not None:
            query = Filter(query, filter)
        try:  # the scorer guards its own reads of the files
            total, best = self.scorer.top(query, limit, MAX_TIED, budget)
        except TimeLimit:  # nothing is kept: the query's parts are combined only at the end
            return 0, [], True
        with _READING:
            return total, [(score, self.searcher.stored_fields(docnum)) for score, docnum in best], False

    def documents(self, file: str) -> list[dict]:
        with _READING:
            return [dict(stored) for stored in self.searcher.documents(file=file)]

    def close(self) -> None:
        self.searcher.close()


def open(folder: Path) -> WhooshEngine:
    return WhooshEngine(folder)


class WhooshWriter:
    def __init__(self, folder: Path, new: bool, paragraphs: int, worker_start: Callable[[], None] | None = None):
        self.index = whoosh_index.create_in(str(folder), make_schema()) if new \
            else open_whoosh(folder)
        with self.index.reader() as reader:
            self.count_all, self.deleted = reader.doc_count_all(), reader.doc_count_all() - reader.doc_count()
        self.added = 0
        # Both cores for large batches: Whoosh analyses in a second process.
        procs = 2 if paragraphs >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
        if procs > 1:
            self.writer = _ParallelWriter(self.index, worker_start, procs=procs, multisegment=True, limitmb=128)
        else:
            self.writer = self.index.writer(procs=1, multisegment=False, limitmb=128)

    def add(self, **fields) -> None:
        self.writer.add_document(**fields)
        self.added += 1

    def delete_file(self, name: str) -> None:
        self.deleted += self.writer.delete_by_term("file", name)

    def commit(self) -> int:
        # Deleted paragraphs stay in BM25's statistics until their segment is
        # merged: past a share, merge them away, so an update ranks like a clean build.
        self.writer.commit(optimize=self.deleted > DELETED_SHARE * (self.count_all + self.added))
        with self.index.reader() as reader:
            return reader.doc_count()

    def abort(self) -> None:
        """Stop Whoosh's worker processes now (a build interrupted or failed)."""
        for task in getattr(self.writer, "tasks", []):
            task.kill()
            task.join()
        for queue in (getattr(self.writer, "jobqueue", None), getattr(self.writer, "resultqueue", None)):
            if queue is not None:  # an interrupted put can leave its feeder thread unjoinable at exit
                queue.cancel_join_thread()

    def failed(self) -> bool:
        """Whether a worker process died (out of space, killed)."""
        return any(t.exitcode for t in getattr(self.writer, "tasks", []))


def writer(folder: Path, new: bool, paragraphs: int, worker_start: Callable[[], None] | None = None) -> WhooshWriter:
    return WhooshWriter(folder, new, paragraphs, worker_start)


class _ParallelWriter(MpWriter):
    """Whoosh's writer with worker processes, each running ``worker_start``
    first (the build's: let go of the index lock, die with the indexer)."""

    def __init__(self, ix, worker_start: Callable[[], None] | None, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self.worker_start = worker_start

    def _new_task(self) -> SubWriterTask:  # MpWriter._new_task, with our task
        task = _Worker(self.worker_start, self.storage, self.indexname, self.jobqueue, self.resultqueue,
                       self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task


class _Worker(SubWriterTask):
    """Whoosh's indexing process.  ``worker_start`` runs in it, before any
    work, whatever the start method: fork, spawn or forkserver."""

    def __init__(self, worker_start: Callable[[], None] | None, *args) -> None:
        super().__init__(*args)
        self.worker_start = worker_start

    def run(self) -> None:
        if self.worker_start is not None:
            self.worker_start()
        super().run()


def carry_over(source: Path, target: Path) -> None:
    """Start a generation from the files of ``source``'s: Whoosh never
    rewrites a segment or TOC file (a commit writes new ones and a new TOC),
    so they are hard-linked, not copied."""
    for path in (*source.glob(f"{_INDEX_NAME}_*"), *source.glob(f"_{_INDEX_NAME}_*")):
        os.link(path, target / path.name)
