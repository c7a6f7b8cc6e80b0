"""The tantivy engine: the Rust engine behind Quickwit, for large corpora.

tantivy never analyses anything here: each paragraph is fed the tokens of
fasearch's own analyzers (:mod:`fasearch.text.analysis`), with their positions,
as pre-tokenized text.  So the index holds the very terms Whoosh would
hold, phrases on the ``fold`` field see the same positions
(a token folded away leaves the same gap), and the lemma field holds its
several keys per word at one position.

Searches translate the query tree (:mod:`fasearch.query.tree`) node for
node (:func:`translate`): the same paragraphs match as on Whoosh, so totals
are identical; tantivy's BM25 only orders the first hits, which
fasearch.searching.ranking ranks again.  tantivy reports damaged files as
ValueError (OSError, and a panic on some): they become
:class:`fasearch.errors.IndexReadError`.

The files live in ``tantivy/`` inside the generation folder (tantivy has a
``meta.json`` of its own).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import tantivy

from ..query.tree import And, AndMaybe, AndNot, AtLeast, Filter, Nothing, Or, Phrase, Prefix, Query, Term
from ..text.analysis import fold_analyzer
from ..text.lexicon import lemmas
from . import reading

FOLDER = "tantivy"
HEAP = 128_000_000  # bytes of the writer's buffer, shared by its threads
FILLER = ""  # the text of stored-only fields' token stream: none
DAMAGE = (ValueError, OSError)  # tantivy's errors, data corruption among them, are ValueErrors


class _Reading(reading):
    """tantivy also panics on some damaged files (an offset read from garbage
    points past a slice): pyo3 raises that as ``pyo3_runtime.PanicException``,
    a BaseException whose class no module exports."""

    __slots__ = ()

    def is_damage(self, error: BaseException) -> bool:
        return super().is_damage(error) or type(error).__name__ == "PanicException"


_READING = _Reading(DAMAGE)

_STORED = ("title", "author", "part", "section", "text")  # stored, never searched
_IDS = ("id", "file", "article")  # stored and found whole
_POSITIONS = ("fold",)  # phrases are asked on it
_TERMS = ("lemma", "heading_fold", "heading_lemma")  # words only


def make_schema() -> tantivy.Schema:
    """fasearch.engines.schema's fields, as tantivy declares them."""
    b = tantivy.SchemaBuilder()
    for name in _IDS:
        b.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("section_key", stored=False, tokenizer_name="raw", index_option="basic")
    for name in _STORED:  # a token stream of nothing: stored only
        b.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    b.add_unsigned_field("paragraph", stored=True)
    b.add_unsigned_field("fold_length", fast=True)  # summed for the average paragraph length
    for name in _POSITIONS:
        b.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in _TERMS:
        b.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    return b.build()


def _tokens(analyzer, text: str) -> list[tuple[str, int, int, int]]:
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True)]


def _lemma_tokens(fold_tokens) -> list[tuple[str, int, int, int]]:
    """What fasearch.text.analysis.lemma_analyzer gives, from the folded tokens
    already made: its LemmaFilter's keys at their word's position."""
    return [(key, pos, start, end) for text, pos, start, end in fold_tokens for key in lemmas(text)]


def _stream(tokens) -> tantivy.PreTokenizedString:
    return tantivy.PreTokenizedString(FILLER, [tantivy.Token(*t) for t in tokens])


class TantivyWriter:
    def __init__(self, folder: Path, new: bool, paragraphs: int):
        path = folder / FOLDER
        path.mkdir(exist_ok=True)
        self.schema = make_schema()
        self.index = tantivy.Index(self.schema, path=str(path), reuse=not new)
        # One indexing thread (beside this one, which analyses): the paragraphs keep
        # the order they were added in, so equal scores come in corpus order in every build.
        self.writer = self.index.writer(HEAP, 1)
        self.fold = fold_analyzer()
        self.headings: dict[str, tuple] = {}  # a section's heading tokens, made once

    def add(self, **fields) -> None:
        doc = tantivy.Document()
        for name in _IDS:
            doc.add_text(name, fields[name])
        doc.add_text("section_key", fields["section_key"])
        for name in _STORED:
            doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString(fields.get(name) or "", []))
        doc.add_unsigned("paragraph", fields["paragraph"])
        text = fields["text"]
        folded = _tokens(self.fold, text)  # the text is folded once, for the fold and lemma fields
        doc.add_pre_tokenized_text("fold", _stream(folded))
        doc.add_pre_tokenized_text("lemma", _stream(_lemma_tokens(folded)))
        doc.add_unsigned("fold_length", len(folded))
        heading = fields["heading_fold"]
        if heading not in self.headings:
            tokens = _tokens(self.fold, heading)
            self.headings[heading] = (tokens, _lemma_tokens(tokens))
        for name, tokens in zip(("heading_fold", "heading_lemma"), self.headings[heading]):
            doc.add_pre_tokenized_text(name, _stream(tokens))
        self.writer.add_document(doc)

    def delete_file(self, name: str) -> None:
        self.writer.delete_documents_by_term("file", name)

    def commit(self) -> int:
        self.writer.commit()
        self.writer.wait_merging_threads()  # merges finish before the generation is switched to
        self.index.reload()
        return self.index.searcher().num_docs

    def abort(self) -> None:
        self.writer.rollback()

    def failed(self) -> bool:
        return False  # tantivy's threads raise in commit()


def writer(folder: Path, new: bool, paragraphs: int, worker_start: Callable[[], None] | None = None) -> TantivyWriter:
    return TantivyWriter(folder, new, paragraphs)  # tantivy's workers are threads: nothing to start


class TantivyEngine:
    """An open tantivy index (:class:`fasearch.engines.Engine`)."""

    def __init__(self, folder: Path):
        path = folder / FOLDER
        with _READING:
            if not tantivy.Index.exists(str(path)):
                raise FileNotFoundError(path)
            self.index = tantivy.Index.open(str(path))
            self.schema = self.index.schema
            self.searcher = self.index.searcher()
        self._lengths: dict[str, int] = {}

    def doc_count(self) -> int:
        with _READING:
            return self.searcher.num_docs

    def doc_frequency(self, field: str, term: str) -> int:
        with _READING:
            return self.searcher.doc_freq(field, term)

    def field_length(self, field: str) -> int:
        if field != "fold":
            raise ValueError(f"only the fold field's length is kept, not {field}'s")
        if field not in self._lengths:
            with _READING:
                total = self.searcher.aggregate(tantivy.Query.all_query(), {"n": {"sum": {"field": "fold_length"}}})
            self._lengths[field] = int(total["n"]["value"] or 0)
        return self._lengths[field]

    def expand_prefix(self, field: str, prefix: str) -> list[str]:
        with _READING:
            return sorted(term for term, _ in self.searcher.terms_with_prefix(field, prefix))

    def lexicon(self, field: str) -> list[str]:
        return self.expand_prefix(field, "")

    def top(self, query: Query, limit: int, filter: Query | None = None,
            budget: float | None = None) -> tuple[int, list[tuple[float, dict]], bool]:
        q = translate(query if filter is None else Filter(query, filter), self.schema)
        # Paragraphs are added by one thread, in corpus order, so equal scores
        # come in the same order in every build: no tie at the cut to resolve.
        with _READING:
            found = self.searcher.search(q, limit, count=True)
            hits = [(score, _fields(self.searcher.doc(address).to_dict())) for score, address in found.hits]
        # No time budget: tantivy answers in milliseconds.  (count=True sets .count; the stub lacks it.)
        return found.count, hits, False  # type: ignore[attr-defined]

    def documents(self, file: str) -> list[dict]:
        q = tantivy.Query.term_query(self.schema, "file", file)
        with _READING:
            total = self.searcher.search(q, 1, count=True).count  # type: ignore[attr-defined]  # as in top()
            found = self.searcher.search(q, max(total, 1)).hits
            return [_fields(self.searcher.doc(address).to_dict()) for _, address in found]

    def close(self) -> None:
        pass  # nothing held but memory


def _fields(doc: dict) -> dict:
    return {name: values[0] for name, values in doc.items()}


def open(folder: Path) -> TantivyEngine:
    return TantivyEngine(folder)


def _boolean(clauses: list[tuple[tantivy.Occur, tantivy.Query]], minimum: int | None = None) -> tantivy.Query:
    return tantivy.Query.boolean_query(clauses, minimum) if minimum else tantivy.Query.boolean_query(clauses)


def translate(q: Query, schema: tantivy.Schema) -> tantivy.Query:
    """The tantivy query matching the same paragraphs as the tree ``q``.

    Scores differ (tantivy's BM25 per field against Whoosh's BM25F) but the
    boosts are kept, so the first order is alike.
    """
    T, Occur = tantivy.Query, tantivy.Occur
    if isinstance(q, Term):
        out = T.term_query(schema, q.field, q.text)
    elif isinstance(q, Or):
        out = _boolean([(Occur.Should, translate(s, schema)) for s in q.subqueries]) if q.subqueries \
            else T.empty_query()
    elif isinstance(q, Phrase):  # Whoosh's default slop 1 is tantivy's 0: adjacent
        out = T.phrase_query(schema, q.field, list(q.words)) if len(q.words) > 1 \
            else T.term_query(schema, q.field, q.words[0])
    elif isinstance(q, AtLeast):  # Lucene's minimum_should_match, which tantivy has
        subs = [translate(s, schema) for s in q.subqueries]
        if q.m >= len(subs):
            out = _boolean([(Occur.Must, s) for s in subs])
        else:
            out = _boolean([(Occur.Should, s) for s in subs], q.m if q.m > 1 else None)
    elif isinstance(q, And):
        out = _boolean([(Occur.Must, translate(s, schema)) for s in q.subqueries]) if q.subqueries \
            else T.empty_query()
    elif isinstance(q, Prefix):
        out = T.regex_query(schema, q.field, re.escape(q.text) + ".*")
    elif isinstance(q, AndNot):
        out = _boolean([(Occur.Must, translate(q.wanted, schema)), (Occur.MustNot, translate(q.excluded, schema))])
    elif isinstance(q, AndMaybe):  # the optional side only adds to the score
        out = _boolean([(Occur.Must, translate(q.required, schema)), (Occur.Should, translate(q.optional, schema))])
    elif isinstance(q, Filter):  # a filter only narrows: it adds nothing to the score
        return _boolean([(Occur.Must, translate(q.query, schema)),
                         (Occur.Must, T.const_score_query(translate(q.filter, schema), 0.0))])
    elif isinstance(q, Nothing):
        return T.empty_query()
    else:
        raise TypeError(f"no tantivy translation for {type(q).__name__}")
    boost = getattr(q, "boost", 1.0)
    return T.boost_query(out, boost) if boost != 1.0 else out


def carry_over(source: Path, target: Path) -> None:
    """Start a generation from the files of ``source``'s: tantivy never
    rewrites a segment file, so they are hard-linked; its JSON files, which it
    replaces, are copied, and its lock files left behind."""
    shutil.copytree(source / FOLDER, target / FOLDER, copy_function=_link_or_copy,
                    ignore=shutil.ignore_patterns(".tantivy-*"))


def _link_or_copy(source: str, target: str) -> None:
    if source.endswith(".json"):
        shutil.copyfile(source, target)
    else:
        os.link(source, target)
