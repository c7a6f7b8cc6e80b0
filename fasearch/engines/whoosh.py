"""The Whoosh engine: the default, embedded, pure Python and numpy.

Whoosh analyses the text itself with the analyzers of fasearch.engines.schema and
stores the index; files live directly in the generation folder.  The query
tree of fasearch.query.planning (made of Whoosh queries) is scored over Whoosh's
posting lists by fasearch.engines.postings, a list at a time: the same
matches and scores as Whoosh's own matchers, several times faster.

Segments are read through :class:`MappedStorage`: Whoosh's own storage maps
a compound segment but then copies each file in it (postings, stored
fields, ...) into a ``BytesIO``, so an open index would hold its whole
size in memory, once per open index (the page keeps one per request).
"""

from __future__ import annotations

import builtins
import mmap
import os
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.collectors import TimeLimit
from whoosh.filedb.compound import SubFile
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.scoring import BM25F

from .whoosh_matchers import AndNot, AtLeast
from .schema import make_schema

PARALLEL_FROM = 500  # paragraphs to analyse before a second process helps
DELETED_SHARE = 0.1  # deleted paragraphs past this share of all are merged away on commit
# Hits tied with the last one wanted are all returned (up to this many):
# which of them made the cut would otherwise depend on document numbers,
# which differ between builds; the caller orders ties by the corpus.
MAX_TIED = 200
_INDEX_NAME = whoosh_index._DEF_INDEX_NAME  # its files: MAIN_*.seg, _MAIN_*.toc, MAIN_WRITELOCK


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


def open_whoosh(folder: Path):
    return MappedStorage(str(folder)).open_index()


class WhooshEngine:
    def __init__(self, folder: Path):
        self.index = open_whoosh(folder)
        self.searcher = self.index.searcher(weighting=BM25F())  # reads every segment's directory
        self.reader = self.searcher.reader()
        # Whoosh's own matchers score one posting at a time, in Python: a
        # word most paragraphs hold costs milliseconds per thousand.  The
        # same queries are scored a posting list at a time, with numpy
        # (imported here: 50 ms that the indexer does not need).
        from .postings import PostingsScorer

        self.scorer = PostingsScorer(self.searcher)

    def doc_count(self) -> int:
        return self.searcher.doc_count_all()  # deleted paragraphs too, as BM25F counts them

    def doc_frequency(self, field: str, term: str) -> int:
        return self.reader.doc_frequency(field, term)

    def field_length(self, field: str) -> int:
        return self.reader.field_length(field)

    def expand_prefix(self, field: str, prefix: str):
        return (t.decode("utf-8") for t in self.reader.expand_prefix(field, prefix))

    def lexicon(self, field: str) -> list[str]:
        return [t.decode("utf-8") for t in self.searcher.lexicon(field)]

    def top(self, query, limit: int, filter=None, budget: float | None = None) -> tuple[int, list[tuple[float, dict]], bool]:
        if filter is not None:  # matched as a part of the query that scores nothing
            query = Q.And([query, Q.ConstantScoreQuery(filter, 0.0)])
        try:
            total, best = self.scorer.top(prune(query, self.reader), limit, MAX_TIED, budget)
        except TimeLimit:  # nothing is kept: the query's parts are combined only at the end
            return 0, [], True
        return total, [(score, self.searcher.stored_fields(docnum)) for score, docnum in best], False

    def documents(self, file: str) -> list[dict]:
        return [dict(stored) for stored in self.searcher.documents(file=file)]

    def close(self) -> None:
        self.searcher.close()


def prune(q, reader):
    """``q`` without the terms and phrases ``reader`` does not hold: the same
    paragraphs match, but Whoosh no longer builds and walks matchers for
    the spellings and joins of a word that the index lacks (most of them)."""
    if isinstance(q, Q.Term):
        return q if reader.doc_frequency(q.fieldname, q.text) else Q.NullQuery
    if isinstance(q, Q.Phrase):
        return q if all(reader.doc_frequency(q.fieldname, w) for w in q.words) else Q.NullQuery
    if isinstance(q, AtLeast):  # paragraphs with m of the words the index holds
        subs = [s for s in (prune(s, reader) for s in q.subqueries) if s is not Q.NullQuery]
        return AtLeast(subs, q.m, boost=q.boost) if len(subs) >= q.m else Q.NullQuery
    if isinstance(q, (AndNot, Q.AndMaybe)):
        a, b = prune(q.a, reader), prune(q.b, reader)
        if a is Q.NullQuery or b is Q.NullQuery:
            return a
        out = type(q)(a, b)
        out.boost = q.boost
        return out
    if isinstance(q, Q.And):
        subs = [prune(s, reader) for s in q.subqueries]
        return Q.NullQuery if any(s is Q.NullQuery for s in subs) else type(q)(subs, boost=q.boost)
    if isinstance(q, Q.Or):
        subs = [s for s in (prune(s, reader) for s in q.subqueries) if s is not Q.NullQuery]
        return type(q)(subs, boost=q.boost) if subs else Q.NullQuery
    return q  # prefixes and anything else, as they are


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
