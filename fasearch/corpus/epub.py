"""Reading e-books (``.epub``) with ebooklib.

One book is one article: a search names the book, and each chapter's
headings are its sections (paragraphs before a chapter's first heading go
under the chapter's name in the table of contents, else the book's title).
Splitting a book into one article per chapter would make its chapters
compete with each other in the ranking and hide the book's title and author
from all but the first.  Chapters are read in the spine's order, the
navigation document left out; each chapter's XHTML is walked as the web
page reader walks clean markup (:func:`fasearch.corpus.html.structure`).
Title, author, date and publisher come from the OPF metadata.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from ..errors import shown
from .article import INTRODUCTION, Article, Section
from .html import structure


def _first(book: Any, field: str) -> str:
    values = book.get_metadata("DC", field)
    return str(values[0][0]).strip() if values and values[0][0] else ""


def _toc_titles(toc: Any, titles: dict[str, str]) -> dict[str, str]:
    """The table of contents' name of each chapter file."""
    for entry in toc:
        if isinstance(entry, tuple | list):  # (section, children)
            _toc_titles([entry[0]], titles)
            _toc_titles(entry[1], titles)
        elif getattr(entry, "href", None):
            titles.setdefault(entry.href.split("#")[0], str(getattr(entry, "title", "") or ""))
        elif getattr(entry, "file_name", None):
            titles.setdefault(entry.file_name, str(getattr(entry, "title", "") or ""))
    return titles


def parse_epub(data: bytes, article_id: str, name: str) -> Article:
    import ebooklib
    import lxml.html
    from ebooklib import epub

    with warnings.catch_warnings():  # ebooklib warns of its own future defaults
        warnings.simplefilter("ignore")
        book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    title, author = _first(book, "title"), _first(book, "creator")
    toc = _toc_titles(book.toc, {})
    sections: list[Section] = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT or isinstance(item, epub.EpubNav):
            continue
        content = item.get_content()
        if not content.strip():
            continue
        body = lxml.html.document_fromstring(content).find("body")
        if body is None:
            continue
        first = toc.get(item.get_name()) or (sections[-1].heading if sections else INTRODUCTION)
        sections.extend(structure(body, title, first))
    article = Article(article_id, title or article_id, author, sections=sections,
                      date=_first(book, "date")[:10], source=_first(book, "publisher"))
    if not sections:
        article.warnings.append(f"{shown(name)}: no paragraph; nothing from it is indexed")
    return article
