"""Reading an index for the page: whole articles, and completions of a word."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...index import OpenIndex
from ...query.vocabulary import Vocabulary
from ...text.analysis import fold_analyzer
from ...text.chars import unjoin

SUGGESTIONS = 8
_ARTICLE_ID = re.compile(r"^[^/\\\x00-\x1f]{1,200}$")  # a file stem: no path, no control character


@dataclass
class Article:
    file: str  # the file name, as the catalog and the --article filter know it
    id: str  # the file stem, the article's URL
    title: str
    author: str
    part: str
    paragraphs: list[dict]  # stored fields, in paragraph order


def article_file(ix: OpenIndex, article_id: str) -> str | None:
    """The file name of the article with this id, or None."""
    if not _ARTICLE_ID.match(article_id):
        return None
    return next((name for name, info in ix.meta.get("catalog", {}).items() if info["id"] == article_id), None)


def read_article(ix: OpenIndex, article_id: str) -> Article | None:
    """An article with every paragraph, from the stored fields of the index."""
    name = article_file(ix, article_id)
    if name is None:
        return None
    info = ix.meta["catalog"][name]
    paragraphs = sorted(ix.searcher().documents(name), key=lambda stored: stored["paragraph"])
    return Article(name, info["id"], info["title"], info["author"], info["part"], paragraphs)


def indexed_counts(ix: OpenIndex) -> tuple[int, int]:
    """Articles and paragraphs in the index."""
    catalog = ix.meta.get("catalog", {})
    return len(catalog), sum(count for info in catalog.values() for _, count in info["sections"])


def complete(ix: OpenIndex, typed: str, limit: int = SUGGESTIONS) -> list[str]:
    """The typed text with its last word completed from the words of the index.

    The last word is folded first, so any spelling (Arabic letters, ZWNJ,
    diacritics) finds the same words; each is shown as it is most often
    written in the articles.
    """
    head, _, last = typed.rstrip("*").rpartition(" ")
    tokens = [t.text for t in fold_analyzer()(last)] if last.strip() else []
    if not tokens or len(typed) > 200:
        return []
    prefix = tokens[-1]
    engine = ix.searcher()
    words = Vocabulary(engine).prefix_words(prefix, limit)  # the most common, from a bounded scan
    forms = ix.speller.written_forms([unjoin(w) for w in words])  # as the articles write them
    start = (head + " ") if head else ""
    return [start + forms.get(unjoin(word), word) for word in words]
