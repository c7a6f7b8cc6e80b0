"""Reading OpenDocument text (``.odt``) with the standard library.

An ODT file is a zip of XML files: ``content.xml`` holds the text (``text:h``
headings, ``text:p`` paragraphs, in lists and sections too), ``meta.xml``
the title and author.  Reading those two needs only :mod:`zipfile` and
:mod:`xml.etree`, so no library is added for it: odfpy, the one library for
the format, has had no release since 2020 and is used only by the tests, to
write fixtures.  Expat refuses entity expansion bombs, and ElementTree
fetches no external entity.

A heading of outline level 1 is the title when ``meta.xml`` names none;
notes (footnotes) and the table of contents are left out.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from xml.etree import ElementTree

from ..errors import CorpusError, shown
from .article import INTRODUCTION, Article, Section, strip_artifacts

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_SKIPPED = {_TEXT + "note", _TEXT + "table-of-content", _TEXT + "tracked-changes", _OFFICE + "annotation"}
_SPACES = re.compile(r"[ \t\u00a0]+")


def _inline(element: Any) -> str:
    """The text of a paragraph: spans, links, ``text:s`` runs of spaces, tabs, line breaks."""
    out = [element.text or ""]
    for child in element:
        if child.tag == _TEXT + "s":
            out.append(" " * int(child.get(_TEXT + "c", "1") or 1))
        elif child.tag in (_TEXT + "tab", _TEXT + "line-break"):
            out.append(" ")
        elif child.tag not in _SKIPPED:
            out.append(_inline(child))
        out.append(child.tail or "")
    return "".join(out)


def _walk(element: Any, found: list[tuple[str, str]]) -> None:
    for child in element:
        if child.tag in _SKIPPED:
            continue
        if child.tag in (_TEXT + "h", _TEXT + "p"):
            text = _SPACES.sub(" ", strip_artifacts(_inline(child))).strip()
            if text:
                level = child.get(_TEXT + "outline-level", "1") if child.tag == _TEXT + "h" else ""
                title = child.tag == _TEXT + "p" and (child.get(_TEXT + "style-name") or "").lower() == "title"
                found.append(("title" if title else f"h{level}" if level else "p", text))
        else:
            _walk(child, found)


def parse_odt(data: bytes, article_id: str, name: str) -> Article:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            content = archive.read("content.xml")
        except KeyError:
            raise CorpusError(f"{shown(name)}: not an ODT document (it has no content.xml)") from None
        meta = archive.read("meta.xml") if "meta.xml" in archive.namelist() else b""
    root = ElementTree.fromstring(content)
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise CorpusError(f"{shown(name)}: not a text document (no office:text; a spreadsheet or a drawing?)")
    title = author = date = ""
    if meta:
        info = ElementTree.fromstring(meta).find(f"{_OFFICE}meta")
        if info is not None:
            title = (info.findtext(_DC + "title") or "").strip()
            author = (info.findtext(_DC + "creator") or info.findtext(_META + "initial-creator") or "").strip()
            date = (info.findtext(_META + "creation-date") or "")[:10]
    found: list[tuple[str, str]] = []
    _walk(body, found)
    sections = [Section(INTRODUCTION)]
    for kind, text in found:
        if kind == "p":
            sections[-1].paragraphs.append(text)
        elif not title and (kind == "title" or (kind == "h1" and not any(s.paragraphs for s in sections))):
            title = text
        elif text != title:
            sections.append(Section(text))
    article = Article(article_id, title or article_id, author, sections=[s for s in sections if s.paragraphs],
                      date=date)
    if not article.sections:
        article.warnings.append(f"{shown(name)}: no paragraph; nothing from it is indexed")
    return article
