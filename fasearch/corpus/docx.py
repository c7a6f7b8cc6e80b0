"""Reading Word documents (``.docx``) with python-docx.

Headings come from paragraph styles: ``Heading 1``…``Heading 9`` start
sections; ``Title`` (or, without one, the first heading) is the title when
the core properties name none.  The author is the core properties'.  The
body's paragraphs are read in order; tables, headers, footers and notes are
not read.
"""

from __future__ import annotations

import io
import re

from ..errors import shown
from .article import INTRODUCTION, Article, Section, strip_artifacts

_HEADING_STYLE = re.compile(r"^(?:heading|titre|überschrift)\s*\d$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")


def parse_docx(data: bytes, article_id: str, name: str) -> Article:
    import docx

    document = docx.Document(io.BytesIO(data))
    properties = document.core_properties
    title = (properties.title or "").strip()
    author = (properties.author or "").strip()
    sections = [Section(INTRODUCTION)]
    for paragraph in document.paragraphs:
        text = _SPACES.sub(" ", strip_artifacts(paragraph.text)).strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.lower() in ("title", "subtitle") or _HEADING_STYLE.match(style):
            if not title and (style.lower() == "title" or not any(s.paragraphs for s in sections)):
                title = text  # the document's title, not a section of it
            elif text != title:
                sections.append(Section(text))
        else:
            sections[-1].paragraphs.append(text)
    article = Article(article_id, title or article_id, author, sections=[s for s in sections if s.paragraphs])
    article.date = properties.created.date().isoformat() if properties.created else ""
    if not article.sections:
        article.warnings.append(f"{shown(name)}: no paragraph; nothing from it is indexed")
    return article
