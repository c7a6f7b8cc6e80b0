"""fasearch: full-text search for Persian articles, with hazm analysis, on Whoosh or tantivy.

The pipeline, one module each::

    article   text file -> header, sections, paragraphs
    chars     spellings -> one folded form        (pure functions)
    morphology  inflected forms -> lemma keys      (hazm's data, our rules)
    analysis  Whoosh tokenizer and filters: fold and lemma fields
    indexing  corpus -> atomic index generations
    querying  what a user types -> a query tree (matchers: AtLeast, AndNot)
    engines   whoosh or tantivy: store, match, first order
    searching ranked hits (ranking: word by word; suggest: did you mean)
    highlight snippets and --explain
"""

from .index import open_index
from .indexing import build_index
from .searching.search import search

__all__ = ["build_index", "open_index", "search"]
