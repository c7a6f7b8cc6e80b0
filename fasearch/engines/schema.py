"""The index schema: one Whoosh document per paragraph (the tantivy engine
declares the same fields: fasearch.engines.tantivy.make_schema)."""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from ..text.analysis import fold_analyzer, lemma_analyzer

# Bump when the schema or the analysis changes: older indexes must be rebuilt.
SCHEMA_VERSION = 5


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),  # "<file name>#<paragraph>"
        file=ID(stored=True),  # the article's file name: what an update replaces
        article=ID(stored=True),  # the article file's name without suffix
        title=STORED,
        author=STORED,
        part=STORED,
        section=STORED,  # the heading as written
        section_key=ID,  # the heading folded, for --section
        paragraph=NUMERIC(stored=True),  # 1-based, within the article
        text=STORED,  # the paragraph as written, artifacts removed
        # Two content fields (fasearch.query.planning weights them): folded spellings,
        # and lemmas; how a word was written is read from the stored text.
        fold=TEXT(analyzer=fold_analyzer(), phrase=True),
        # No query asks the lemma field for a phrase (fasearch.query.planning: only
        # terms), so it keeps frequencies, not positions: a smaller index.
        lemma=TEXT(analyzer=lemma_analyzer(), phrase=False),
        heading_fold=TEXT(analyzer=fold_analyzer(), phrase=False),
        heading_lemma=TEXT(analyzer=lemma_analyzer(), phrase=False),
    )
