"""Reading PDF files from their text layer, with pypdf.

Persian PDFs are often written with the letters' presentation forms
(U+FB50–U+FDFF, U+FE70–U+FEFF): those are folded to the letters (NFKC),
which is certain.  What cannot be repaired reliably is detected and the file
refused with its reason, never indexed as garbage:

* letters in reversed (visual) order: most words unknown to hazm's word
  list while their reverse is known;
* no text layer (a scanned book: it needs OCR first);
* a password (an encrypted file that the empty password does not open).

Lines are joined into paragraphs: a blank line, a sentence end or a short
line (a heading, a paragraph's last line) ends one; the paragraphs are then
read as a plain-text article is (:func:`fasearch.corpus.article.parse_text`),
which finds the header and the headings.  The document information's title
and author are taken only where that header gives none.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

from ..errors import CorpusError, shown
from .article import Article, parse_text

_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_WORD = re.compile(r"[\u0600-\u06ff\u200c]{3,}")
_SENTENCE_END = re.compile(r"[.!?؟…:;؛]['\"»”)\]]*$")
_MIN_WORDS = 20  # fewer words say too little of their order
_REVERSED_SHARE = 0.3  # of the words, read only backwards


def fold_forms(text: str) -> str:
    """Presentation forms to letters; nothing else changes.

    >>> fold_forms("ﮐﺎرﮔﺮ ﻻ") == "کارگر لا"
    True
    """
    return _FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def reversed_share(text: str) -> float:
    """The share of the Persian words that hazm's word list knows only backwards
    (0.0 when there are too few words to tell)."""
    from ..text.chars import fold
    from ..text.lexicon import is_word

    words = [fold(w).replace("\u200c", "") for w in _WORD.findall(text)][:2000]
    if len(words) < _MIN_WORDS:
        return 0.0
    backwards = sum(1 for w in words if not is_word(w) and is_word(w[::-1]))
    return backwards / len(words)


def _paragraph_lines(text: str) -> str:
    """The page text with each paragraph on one line, blank lines between."""
    lines = [line.strip() for line in text.split("\n")]
    lengths = [len(line) for line in lines if line]
    width = max(lengths, default=0)  # of a full line: a wrapped line of a paragraph is about as long
    out: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line:
            current.append(line)
        if current and (not line or _SENTENCE_END.search(line) or len(line) < 0.6 * width):
            out.append(" ".join(current))
            current = []
            if not line:
                out.append("")
    return "\n".join(out)


def parse_pdf(data: bytes, article_id: str, name: str) -> Article:
    import pypdf

    # pypdf logs what it repairs ("EOF marker not found") on stderr; what matters is raised, with the file's name.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # an encryption pypdf cannot undo without an optional library
            opened = False
        if not opened:
            raise CorpusError(f"{shown(name)}: an encrypted PDF (it needs a password); "
                              "save a copy without the password and index again")
    if not reader.pages:
        raise CorpusError(f"{shown(name)}: a PDF without pages")
    pages = [fold_forms(page.extract_text() or "") for page in reader.pages]
    text = "\n\n".join(_paragraph_lines(p.replace("\r\n", "\n").replace("\r", "\n")) for p in pages)
    if not text.strip():
        raise CorpusError(f"{shown(name)}: a PDF without a text layer (scanned pages?); "
                          "nothing to index: run OCR on it first")
    share = reversed_share(text)
    if share > _REVERSED_SHARE:
        raise CorpusError(f"{shown(name)}: the PDF's text layer has its letters in reversed order "
                          f"({share:.0%} of the words read only backwards); export it again, or save it as text")
    article = parse_text(text, article_id, name)
    info = reader.metadata
    if info is not None:
        if info.title and info.title.strip() and article.title == article_id:  # the text's own header first
            article.title = fold_forms(info.title.strip())
        if info.author and info.author.strip() and not article.author:
            article.author = fold_forms(info.author.strip())
        created = info.creation_date if "/CreationDate" in info else None
        article.date = created.date().isoformat() if created else ""
    return article
