"""Reading web pages (``.html``, ``.htm``, and a page saved as ``.txt``).

The main text is chosen by trafilatura, which drops navigation, ads,
scripts, styles and comments; it reads only the markup given and fetches
nothing (no URL is ever passed).  Title, author, date and source come from
the page's metadata (``<title>``, Open Graph, JSON-LD), as trafilatura reads
them.  Headings (``<h1>``…``<h6>``) start sections, paragraphs (``<p>``, list
items, quotes) are paragraphs.  A heading equal to the title is not repeated
as a section.

:func:`structure` walks already clean markup (an EPUB chapter) the same way,
without trafilatura's choice of the main text.
"""

from __future__ import annotations

import codecs
import logging
import re
from typing import Any

from ..errors import CorpusError, shown
from .article import INTRODUCTION, Article, Section

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "head"}  # head: trafilatura's heading
# Paragraphs, in HTML and in trafilatura's output (item, quote, cell).
_BLOCKS = {"p", "li", "blockquote", "pre", "dd", "dt", "td", "th", "figcaption", "caption",
           "item", "quote", "cell", "code"}
_INLINE = {"a", "span", "b", "i", "em", "strong", "u", "small", "sub", "sup", "abbr", "cite", "q", "mark",
           "time", "bdi", "bdo", "hi", "ref", "br", "lb", "font"}
# Never text of the article, in clean markup too.
_DROPPED = {"script", "style", "noscript", "template", "nav", "aside", "form", "button", "select", "iframe",
            "svg", "header", "footer"}
_SPACES = re.compile(r"\s+")


def looks_like_html(data: bytes) -> bool:
    """Whether a file's bytes start as a web page does (after a BOM and blanks).

    >>> looks_like_html(b"  <!DOCTYPE html><html>"), looks_like_html(b"<HTML lang=fa>"), looks_like_html(b"<b>")
    (True, True, False)
    """
    head = data[:512].lstrip(codecs.BOM_UTF8).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def decode_html(data: bytes, name: str) -> str:
    """The markup as text: a BOM, else the charset the page declares
    (``<meta charset>``, the XML declaration), else UTF-8; refused when the
    bytes do not decode so, with the file's name."""
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            declared = codec
            break
    else:
        if b"\0" in data[:8192]:
            raise CorpusError(f"{shown(name)}: a binary file, not a web page")
        match = _XML_ENCODING.match(data) or _CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii").lower() if match else "utf-8"
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        raise CorpusError(f"{shown(name)}: the page declares an unknown charset «{declared}»") from None
    try:
        return data.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as error:
        raise CorpusError(f"{shown(name)}: not {declared} as the page declares (byte {error.start}); "
                          "save it again as UTF-8") from None


def _text(element: Any) -> str:
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def _local(element: Any) -> str:
    """An element's tag without namespace, lowercase; "" for comments and processing instructions."""
    return element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""


def _walk(element: Any, sections: list[Section], title: str) -> None:
    """Add the headings and paragraphs under ``element``, in document order;
    text loose in a container (not in a ``<p>``) is a paragraph too."""
    loose = [element.text or ""]

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(loose)).strip()
        if text:
            sections[-1].paragraphs.append(text)
        loose.clear()

    for child in element:
        tag = _local(child)
        if tag in _INLINE:
            loose.append(" " if tag in ("br", "lb") else "".join(child.itertext()))
        elif tag and tag not in _DROPPED:
            flush()
            if tag in _HEADINGS:  # trafilatura's <head rend="h2">, or <h2>
                heading = _text(child)
                if heading and heading != title:
                    sections.append(Section(heading))
            elif tag in _BLOCKS and not any(_local(e) in _BLOCKS or _local(e) in _HEADINGS
                                            for e in child.iterdescendants()):
                text = _text(child)
                if text:
                    sections[-1].paragraphs.append(text)
            else:
                _walk(child, sections, title)
        loose.append(child.tail or "")
    flush()


def structure(tree: Any, title: str = "", first: str = INTRODUCTION) -> list[Section]:
    """The sections of parsed markup (an lxml element): ``first`` labels the
    paragraphs before the first heading; sections without paragraphs dropped."""
    sections = [Section(first)]
    _walk(tree, sections, title)
    return [s for s in sections if s.paragraphs]


def parse_html(data: bytes, article_id: str, name: str) -> Article:
    """Read a web page's main text, with its metadata (see the module docstring)."""
    import lxml.html
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its notes on stderr would name no file

    markup = decode_html(data, name)
    if not markup.strip():
        return Article(article_id, article_id, warnings=[f"{shown(name)}: empty file; nothing from it is indexed"])
    # A Document, or None when no main text is found (output_format="python").
    document: Any = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, include_tables=True,
                                                include_formatting=False, output_format="python")
    title = (document.title if document else "") or ""
    warnings: list[str] = []
    if document is not None and document.body is not None and len(document.body):
        sections = structure(document.body, title)
    else:  # a page too short for trafilatura to choose: its body without the boilerplate elements
        body = lxml.html.document_fromstring(markup).find("body")
        sections = structure(body, title) if body is not None else []
        if sections:
            warnings.append(f"{shown(name)}: no main text found; the whole page, without navigation, is indexed")
    article = Article(article_id, title or (sections[0].heading if sections and sections[0].heading != INTRODUCTION
                                            else article_id),
                      (document.author if document else "") or "", sections=sections, warnings=warnings)
    if document is not None:
        article.date = document.date or ""
        article.source = document.sitename or document.hostname or ""
    if not sections:
        article.warnings.append(f"{shown(name)}: no paragraph; nothing from it is indexed")
    return article
