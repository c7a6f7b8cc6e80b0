"""The Whoosh engine: the default, embedded and pure Python.

Whoosh analyses the text itself with the analyzers of fasearch.schema and
runs the query tree of fasearch.querying as it is (it is made of Whoosh
queries).  Files live directly in the generation folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.scoring import BM25F

from ..matchers import AndNot, AtLeast
from ..schema import make_schema

PARALLEL_FROM = 500  # paragraphs to analyse before a second process helps
DELETED_SHARE = 0.1  # deleted paragraphs past this share of all are merged away on commit
MAX_TIED = 200  # hits tied at the cut that are all returned, for the caller to order


class WhooshEngine:
    def __init__(self, folder: Path):
        self.index = whoosh_index.open_dir(str(folder))
        self.searcher = self.index.searcher(weighting=BM25F())  # reads every segment's directory
        self.reader = self.searcher.reader()

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
        # The filter joins the query, scoring nothing: FilterCollector's loop
        # would skip the time check.
        if filter is not None:
            query = Q.And([query, Q.ConstantScoreQuery(filter, 0.0)])
        query = prune(query, self.reader)
        want = limit
        while True:
            # Whoosh's default collector skips, once its heap is full, documents
            # that can no longer make the top (quality optimizations and matcher
            # replacement); the top is the same, but its count falls short.
            collector = collectors.TopCollector(want + 1, usequality=False, replace=0)
            if budget is not None:  # a timer thread, not SIGALRM: the page searches in worker threads
                collector = collectors.TimeLimitCollector(collector, timelimit=budget, use_alarm=False)
            try:
                self.searcher.search_with_collector(query, collector)
            except collectors.TimeLimit:
                results = collector.results()
                return len(results), [(hit.score, hit.fields()) for hit in results], True
            results = collector.results()
            top = results.top_n
            # Hits tied with the last one wanted are all kept (up to MAX_TIED):
            # which of them made the cut would otherwise depend on document
            # numbers, which differ between builds; the caller orders ties.
            if len(top) <= want or top[want][0] != top[want - 1][0] or want >= MAX_TIED:
                if top:
                    results.top_n = [t for t in top if t[0] >= top[min(limit, len(top)) - 1][0]][:MAX_TIED]
                return len(results), [(hit.score, hit.fields()) for hit in results], False
            want *= 2

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
    def __init__(self, folder: Path, new: bool, paragraphs: int):
        self.index = whoosh_index.create_in(str(folder), make_schema()) if new \
            else whoosh_index.open_dir(str(folder))
        with self.index.reader() as reader:
            self.count_all, self.deleted = reader.doc_count_all(), reader.doc_count_all() - reader.doc_count()
        self.added = 0
        # Both cores for large batches: Whoosh analyses in a second process.
        procs = 2 if paragraphs >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
        self.writer = self.index.writer(procs=procs, multisegment=procs > 1, limitmb=128)

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


def writer(folder: Path, new: bool, paragraphs: int) -> WhooshWriter:
    return WhooshWriter(folder, new, paragraphs)
