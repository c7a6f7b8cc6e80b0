"""The one place a corpus file's format is chosen: by its suffix, and by its
first bytes for a web page saved as ``.txt``.

Each format's reader (a module beside this one) returns an :class:`Article`
or raises :class:`CorpusError` naming the file; a library's own failure on a
damaged file becomes one too (the indexer then skips the file and names it),
never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import CorpusError, shown
from .article import Article

Reader = Callable[[bytes, str, str], Article]
# Never read as damage: these come from code that misuses an object, not from bytes.
_BUGS = (TypeError, AttributeError, NameError, AssertionError, ImportError)


def _reader(suffix: str) -> tuple[str, Reader]:
    """The format's name and reader; its library is imported only now."""
    if suffix in (".html", ".htm", ".txt"):
        from .html import parse_html

        return "web page", parse_html
    if suffix == ".docx":
        from .docx import parse_docx

        return "DOCX document", parse_docx
    if suffix == ".odt":
        from .odt import parse_odt

        return "ODT document", parse_odt
    if suffix == ".epub":
        from .epub import parse_epub

        return "EPUB book", parse_epub
    if suffix == ".pdf":
        from .pdf import parse_pdf

        return "PDF", parse_pdf
    raise ValueError(suffix)


def read_other(path: Path, data: bytes) -> Article | None:
    """The article in a file of a format other than plain text and Markdown;
    None for a ``.txt`` that is not a web page (read as text)."""
    from .html import looks_like_html

    suffix = path.suffix.lower()
    if suffix == ".txt" and not looks_like_html(data):
        return None
    kind, parse = _reader(suffix)
    name = str(path)
    try:
        return parse(data, path.stem, name)
    except CorpusError:
        raise
    except RecursionError:
        raise CorpusError(f"{shown(name)}: a damaged {kind} (nested too deep to read)") from None
    except _BUGS:  # what a mistake in a reader raises: a bug to report (exit 70), not a damaged file
        raise
    except Exception as error:  # each library fails in its own ways on a damaged file
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        raise CorpusError(f"{shown(name)}: a damaged {kind}, it cannot be read ({reason})") from None
