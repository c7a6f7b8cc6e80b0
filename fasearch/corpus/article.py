"""Reading articles: header, sections and paragraphs from plain text.

Articles come from word processors as plain text, so the structure has to be
read off the lines themselves:

* a *paragraph* line is long, or ends a sentence (``.`` ``!`` ``…`` ``:``);
* a *heading* line is short and does not end a sentence (``؟`` may end one);
* the *header* is the run of heading-like lines before the first paragraph:
  author, title, occasion and a part line such as ``قسمت دوم``;
* paragraphs before the first heading form an untitled introduction;
* heading-like lines that end the header are headings when the header
  already has its title and they come after the part line, or when a
  paragraph follows right under (``مقدمه‌ای کوتاه`` below author and title).

What the reading guesses or leaves out is reported, not silent: each article
carries ``warnings``, "file:line: message", which the indexer prints.

Markdown files (``.md``) mark headings with ``#`` instead.  Export artifacts
such as ``[bookmark: _GoBack]`` are removed before anything else.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import shlex
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError, shown

INTRODUCTION = "مقدمه"  # label of the untitled section before the first heading
# A paragraph is cut at sentence ends beyond this (the longest of the bundled
# and test articles has 2,844 characters; a news paragraph a few hundred).
MAX_PARAGRAPH_CHARS = 20_000
TEXT_SUFFIXES = (".txt", ".md")
# Every suffix read; the formats other than text are fasearch.corpus.formats'.
SUFFIXES = TEXT_SUFFIXES + (".html", ".htm", ".docx", ".odt", ".epub", ".pdf")

# Word-processor export artifacts: [bookmark: _GoBack], [footnoteRef:3], …
_ARTIFACT = re.compile(
    r"\[(?:bookmark|footnote|footnoteref|endnote|endnoteref|comment|annotation)\b[^\]\n]*\]",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!…:;؛]['\"»”)\]]*\s*$")
_PART = re.compile(r"^(?:قسمت|بخش|فصل|جلد|part|chapter)\s+\S+(?:\s+\S+)?$", re.IGNORECASE)
_MAX_HEADING_WORDS = 12
_MAX_HEADING_CHARS = 100
# Unicode's other line ends (vertical tab, form feed, NEL, line and paragraph
# separators): word processors export them, and they must end a line here too.
_LINE_ENDS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"})


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Article:
    id: str  # the file name without its suffix
    title: str
    author: str = ""
    occasion: str = ""
    part: str = ""
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "file:line: message", for the indexer
    date: str = ""  # as the file's metadata gives it (a web page's, a PDF's), not used yet
    source: str = ""  # the site or publisher the metadata names, not used yet

    @property
    def paragraphs(self) -> list[tuple[Section, str]]:
        return [(s, p) for s in self.sections for p in s.paragraphs]

    @property
    def headings(self) -> list[str]:
        """The real headings, without the introduction's label."""
        return [s.heading for s in self.sections if s.heading != INTRODUCTION]


def strip_artifacts(text: str) -> str:
    """Remove export artifacts.

    >>> strip_artifacts("[bookmark: _GoBack]ساده ترین")
    'ساده ترین'
    """
    return _ARTIFACT.sub("", text)


def _is_heading_like(line: str) -> bool:
    return (
        len(line) <= _MAX_HEADING_CHARS
        and len(line.split()) <= _MAX_HEADING_WORDS
        and not _SENTENCE_END.search(line)
    )


def decode(data: bytes, name: str) -> str:
    """The text of an article file, with normalized line ends.

    UTF-8 (BOM or not) and UTF-16 with a BOM are read: both are certain.
    Anything else is refused with the file's name; a legacy Persian encoding
    such as Windows-1256 is not guessed, because a wrong guess would index
    garbage silently, but the message names it when it decodes cleanly.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise CorpusError(f"{shown(name)}: broken UTF-16; save it as UTF-8 and index again") from None
    else:
        if b"\0" in data[:8192]:
            raise CorpusError(f"{shown(name)}: a binary file, not text; remove it from the corpus folder")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            hint = "save it as UTF-8 and index again"
            if _looks_like_cp1256(data):
                # A command that converts the file in place (iconv cannot write to its input).
                quoted = shlex.quote(shown(name))
                hint = (f"it looks like Windows-1256; convert it: iconv -f WINDOWS-1256 -t UTF-8 {quoted} "
                        f"-o {quoted}.tmp && mv {quoted}.tmp {quoted}")
            raise CorpusError(f"{shown(name)}: not UTF-8 (byte {error.start}); {hint}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_ENDS)


def _looks_like_cp1256(data: bytes) -> bool:
    try:
        text = data[:4096].decode("cp1256")
    except UnicodeDecodeError:
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("\u0600" <= c <= "\u06ff" for c in letters) / len(letters) > 0.5


def parse_text(text: str, article_id: str, name: str | None = None) -> Article:
    """Read a plain-text article (see the module docstring); ``name`` (the
    file's, by default ``article_id``) starts each warning."""
    name = name or article_id
    numbered = [(n, line.strip()) for n, line in enumerate(strip_artifacts(text).split("\n"), start=1)]
    numbered = [(n, line) for n, line in numbered if line]
    lines = [line for _, line in numbered]
    numbers = [n for n, _ in numbered]
    kinds = [_is_heading_like(line) for line in lines]
    first_paragraph = next((i for i, heading in enumerate(kinds) if not heading), len(lines))
    header, body, body_kinds = lines[:first_paragraph], lines[first_paragraph:], kinds[first_paragraph:]
    warnings: list[str] = []
    # Heading-like lines that end the header but belong to the body: headings.
    has_text = first_paragraph < len(lines)
    moved = _headings_after_header(header, numbers, has_text)
    if moved:
        for i in range(len(header) - moved, len(header)):
            warnings.append(f"{name}:{numbers[i]}: «{header[i]}» after the header read as a heading")
        body, body_kinds = header[-moved:] + body, [True] * moved + body_kinds
        header = header[:-moved]

    article, occasion, dropped = _article_from_header(header, article_id)
    for i in dropped:
        warnings.append(f"{name}:{numbers[i]}: «{header[i]}» dropped: it repeats the part line")
    for i in occasion if has_text else []:  # (without text, the warning below says all)
        # One occasion line above the part line is usual; more, or one right above the text, may be a heading.
        if i != occasion[0] or i == len(header) - 1:
            gap = numbers[i + 1] - numbers[i] - 1  # blank lines under it
            closer = numbers[: i + 1] + [n - gap for n in numbers[i + 1 :]]
            advice = ("; if it is a heading, remove the blank line under it"
                      if i == len(header) - 1 and gap and not moved and _headings_after_header(header, closer, True)
                      else "")
            warnings.append(f"{name}:{numbers[i]}: «{header[i]}» read as part of the header (its occasion){advice}")
    section = Section(INTRODUCTION)
    article.sections.append(section)
    pending: list[str] = []  # consecutive heading lines, joined into one
    for i, (line, heading) in enumerate(zip(body, body_kinds)):
        if heading and i + 1 < len(body):
            pending.append(line)
            continue
        if pending:
            section = Section(" — ".join(pending))
            article.sections.append(section)
            pending = []
        section.paragraphs.append(line)
    article.sections = [s for s in article.sections if s.paragraphs]
    if not lines:
        warnings.append(f"{name}: empty file; nothing from it is indexed")
    elif not article.sections:
        warnings.append(f"{name}: no paragraph (every line is short and ends no sentence, so all were "
                        "read as the header); nothing from it is indexed")
    article.warnings = warnings
    return article


def _headings_after_header(header: list[str], numbers: list[int], has_text: bool) -> int:
    """How many lines at the end of the header are headings of the body.

    Once the header has its title: the lines after the part line, or else the
    last line when a paragraph follows it at once (no blank line between).
    """
    if not has_text or not header:
        return 0
    parts = [i for i, line in enumerate(header) if _PART.match(line)]
    if parts and parts[-1] < len(header) - 1 and any(not _PART.match(x) for x in header[: parts[-1]]):
        return len(header) - 1 - parts[-1]
    last = len(header) - 1
    if (last >= 1 and not _PART.match(header[last]) and numbers[last + 1] == numbers[last] + 1
            and _has_title(header[:last], header[last])):
        return 1
    return 0


def _has_title(lines: list[str], next_line: str) -> bool:
    """Whether header lines already hold a title, not only a byline of ``next_line``."""
    rest = [line for line in lines if not _PART.match(line)]
    return len(rest) >= 2 or (len(rest) == 1 and not _is_byline(rest[0], next_line))


def _is_byline(line: str, next_line: str) -> bool:
    # "Author / Title / …": a short first line before a longer one is a byline.
    return len(line.split()) <= 3 and len(line) < len(next_line)


def _article_from_header(header: list[str], article_id: str) -> tuple[Article, list[int], list[int]]:
    """The article's author, title, occasion and part from its header lines,
    with the indexes of the lines read as the occasion and of those dropped."""
    part_at = next((i for i, line in enumerate(header) if _PART.match(line)), None)
    part = header[part_at] if part_at is not None else ""
    dropped = [i for i, line in enumerate(header) if i != part_at and part and line == part]
    rest = [i for i in range(len(header)) if i != part_at and i not in dropped]
    author = ""
    if len(rest) >= 2 and _is_byline(header[rest[0]], header[rest[1]]):
        author = header[rest.pop(0)]
    title = header[rest.pop(0)] if rest else article_id
    return Article(article_id, title, author, " — ".join(header[i] for i in rest), part), rest, dropped


def parse_markdown(text: str, article_id: str, name: str | None = None) -> Article:
    """Read a Markdown article: ``#`` headings, optional ``---`` front matter."""
    name = name or article_id
    warnings: list[str] = []
    meta: dict[str, str] = {}
    lines = strip_artifacts(text).split("\n")
    first = 1  # the number of lines[0] in the file
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            warnings.append(f"{name}:1: the front matter is never closed with ---; read as text")
        else:
            for n, line in enumerate(lines[1:end], start=2):
                key, sep, value = line.partition(":")
                if sep:
                    meta[key.strip().lower()] = value.strip().strip("\"'")
                elif line.strip():
                    warnings.append(f"{name}:{n}: «{line.strip()}» dropped: front matter lines are name: value")
            lines = lines[end + 1 :]
            first = end + 2
    article = Article(article_id, meta.get("title", ""), meta.get("author", ""),
                      meta.get("date", ""), meta.get("part", ""))
    section = Section(INTRODUCTION)
    article.sections.append(section)
    paragraph: list[str] = []
    heading_lines = {}  # section -> its line number, to name a heading with no text

    def flush():
        if paragraph:
            section.paragraphs.append(" ".join(paragraph))
            paragraph.clear()

    for n, raw in enumerate(lines, start=first):
        line = raw.strip()
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if heading:
            flush()
            if heading.group(1) == "#" and not article.title:
                article.title = heading.group(2)
                continue
            section = Section(heading.group(2))
            article.sections.append(section)
            heading_lines[id(section)] = n
        elif line:
            paragraph.append(line)
        else:
            flush()
    flush()
    article.title = article.title or article_id
    for s in article.sections:
        if not s.paragraphs and id(s) in heading_lines:
            warnings.append(f"{name}:{heading_lines[id(s)]}: heading «{s.heading}» dropped: no paragraph under it")
    article.sections = [s for s in article.sections if s.paragraphs]
    if not any(line.strip() for line in lines) and not meta:
        warnings.append(f"{name}: empty file; nothing from it is indexed")
    elif not article.sections:
        warnings.append(f"{name}: no paragraph; nothing from it is indexed")
    article.warnings = warnings
    return article


def read_article(path: Path, data: bytes | None = None) -> Article:
    """The article in ``path``; from ``data``, its bytes, when already read
    (the indexer parses exactly the bytes whose hash it records)."""
    data = path.read_bytes() if data is None else data
    suffix = path.suffix.lower()
    article = None
    if suffix not in TEXT_SUFFIXES or (suffix == ".txt" and data[:1] in (b"<", b" ", b"\n", b"\r", b"\t", b"\xef")):
        from .formats import read_other  # the other formats' libraries load only when needed

        article = read_other(path, data)
    if article is None:
        text = decode(data, str(path))
        parse = parse_markdown if suffix == ".md" else parse_text
        article = parse(text, path.stem, str(path))
    return bounded(article, str(path))


def bounded(article: Article, name: str, limit: int = MAX_PARAGRAPH_CHARS) -> Article:
    """``article`` with every paragraph longer than ``limit`` characters cut at
    sentence ends into pieces of at most ``limit`` (a file of one endless line
    would otherwise be one paragraph whose analysis and highlighting cost
    grows with its square), and one warning saying so.

    >>> a = Article("a", "t", sections=[Section("h", ["یک. " * 10])])
    >>> [len(p) for p in bounded(a, "a.txt", limit=12).sections[0].paragraphs]
    [11, 11, 11, 3]
    """
    cut = 0
    for section in article.sections:
        if any(len(p) > limit for p in section.paragraphs):
            pieces = [piece for p in section.paragraphs for piece in _pieces(p, limit)]
            cut += len(pieces) - len(section.paragraphs)
            section.paragraphs = pieces
    if cut:
        article.warnings.append(f"{shown(name)}: paragraphs over {limit:,} characters were cut at sentence "
                                f"ends ({cut:,} more paragraphs)")
    return article


def _pieces(paragraph: str, limit: int) -> list[str]:
    """``paragraph`` in pieces of at most ``limit`` characters, each ending at
    the last sentence end within it, else the last space, else at the limit."""
    out = []
    while len(paragraph) > limit:
        window = paragraph[:limit]
        end = max(window.rfind(mark) for mark in (". ", "! ", "? ", "؟ ", "… ", "؛ "))
        end = end + 1 if end > 0 else (window.rfind(" ") if window.rfind(" ") > 0 else limit)
        out.append(paragraph[:end].strip())
        paragraph = paragraph[end:].lstrip()
    return out + ([paragraph.strip()] if paragraph.strip() else [])


def corpus_files(corpus: Path) -> list[Path]:
    """The article files of a corpus folder, in a stable order."""
    return scan_corpus(corpus)[0]


def scan_corpus(corpus: Path) -> tuple[list[Path], list[str]]:
    """The article files of a corpus folder, in a stable order, and one line
    for each other entry named like an article, saying why it is left out.

    A link is followed only while it stays inside the folder: a link to
    ``/etc/hostname`` or another user's file must not become searchable.
    """
    if not corpus.is_dir():
        raise CorpusError(f"no corpus folder at {shown(str(corpus))}; put articles there ({', '.join(SUFFIXES)})")
    root = corpus.resolve()
    files, skipped = [], []
    candidates = sorted(p for p in corpus.iterdir() if p.suffix.lower() in SUFFIXES)
    for path in candidates:
        name = shown(str(path))
        why = None
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                why = "a dangling link (its target is missing)"
            except (OSError, RuntimeError):  # ELOOP; RuntimeError before Python 3.13
                why = "a link loop"
            else:
                if not target.is_relative_to(root):
                    why = f"a link to {shown(str(target))}, outside the corpus folder"
        if why is None:
            try:
                mode = path.stat().st_mode
            except OSError as error:
                mode, why = 0, (error.strerror or str(error)).lower()
            if why is None and not stat.S_ISREG(mode):
                why = ("a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
                       else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket") + ", not a file"
        if why is None:
            try:
                path.name.encode("utf-8")
            except UnicodeEncodeError:
                why = "its name is not UTF-8; rename it"
        if why:
            skipped.append(f"{name}: {why}")
        else:
            files.append(path)
    if not candidates:
        raise CorpusError(f"{shown(str(corpus))} holds no article ({', '.join(SUFFIXES)})")
    return files, skipped


def digest(data: bytes) -> str:
    """SHA-256 of a file's bytes: what the index records it was built from."""
    return hashlib.sha256(data).hexdigest()
