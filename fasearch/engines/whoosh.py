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

    def top(self, query, limit: int, filter=None) -> tuple[int, list[dict]]:
        # Whoosh's default collector skips, once its heap is full, documents
        # that can no longer make the top (quality optimizations and matcher
        # replacement); the top is the same, but its count falls short.
        collector = collectors.TopCollector(limit, usequality=False, replace=0)
        if filter is not None:
            collector = collectors.FilterCollector(collector, filter)
        self.searcher.search_with_collector(prune(query, self.reader), collector)
        results = collector.results()
        return len(results), [hit.fields() for hit in results]


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
        # Both cores for large batches: Whoosh analyses in a second process.
        procs = 2 if paragraphs >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
        self.writer = self.index.writer(procs=procs, multisegment=procs > 1, limitmb=128)

    def add(self, **fields) -> None:
        self.writer.add_document(**fields)

    def delete_file(self, name: str) -> None:
        self.writer.delete_by_term("file", name)

    def commit(self) -> int:
        self.writer.commit()
        with self.index.reader() as reader:
            return reader.doc_count()


def writer(folder: Path, new: bool, paragraphs: int) -> WhooshWriter:
    return WhooshWriter(folder, new, paragraphs)
