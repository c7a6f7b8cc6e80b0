"""Reading articles: header, sections and paragraphs from plain text.

Articles come from word processors as plain text, so the structure has to be
read off the lines themselves:

* a *paragraph* line is long, or ends a sentence (``.`` ``!`` ``…`` ``:``);
* a *heading* line is short and does not end a sentence (``؟`` may end one);
* the *header* is the run of heading-like lines before the first paragraph:
  author, title, occasion and a part line such as ``قسمت دوم``;
* paragraphs before the first heading form an untitled introduction.

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

from .errors import CorpusError, shown

INTRODUCTION = "مقدمه"  # label of the untitled section before the first heading
SUFFIXES = (".txt", ".md")

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


def parse_text(text: str, article_id: str) -> Article:
    """Read a plain-text article (see the module docstring)."""
    lines = [line.strip() for line in strip_artifacts(text).split("\n")]
    lines = [line for line in lines if line]
    kinds = [_is_heading_like(line) for line in lines]
    first_paragraph = next((i for i, heading in enumerate(kinds) if not heading), len(lines))
    header, body, body_kinds = lines[:first_paragraph], lines[first_paragraph:], kinds[first_paragraph:]

    article = _article_from_header(header, article_id)
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
    return article


def _article_from_header(header: list[str], article_id: str) -> Article:
    part = next((line for line in header if _PART.match(line)), "")
    rest = [line for line in header if line != part]
    author = ""
    # "Author / Title / …": a short first line before a longer one is a byline.
    if len(rest) >= 2 and len(rest[0].split()) <= 3 and len(rest[0]) < len(rest[1]):
        author = rest.pop(0)
    title = rest.pop(0) if rest else article_id
    return Article(article_id, title, author, " — ".join(rest), part)


def parse_markdown(text: str, article_id: str) -> Article:
    """Read a Markdown article: ``#`` headings, optional ``---`` front matter."""
    meta: dict[str, str] = {}
    lines = strip_artifacts(text).split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for line in lines[1:end]:
                name, sep, value = line.partition(":")
                if sep:
                    meta[name.strip().lower()] = value.strip().strip("\"'")
            lines = lines[end + 1 :]
    article = Article(article_id, meta.get("title", ""), meta.get("author", ""),
                      meta.get("date", ""), meta.get("part", ""))
    section = Section(INTRODUCTION)
    article.sections.append(section)
    paragraph: list[str] = []

    def flush():
        if paragraph:
            section.paragraphs.append(" ".join(paragraph))
            paragraph.clear()

    for raw in lines:
        line = raw.strip()
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if heading:
            flush()
            if heading.group(1) == "#" and not article.title:
                article.title = heading.group(2)
                continue
            section = Section(heading.group(2))
            article.sections.append(section)
        elif line:
            paragraph.append(line)
        else:
            flush()
    flush()
    article.title = article.title or article_id
    article.sections = [s for s in article.sections if s.paragraphs]
    return article


def read_article(path: Path, data: bytes | None = None) -> Article:
    """The article in ``path``; from ``data``, its bytes, when already read
    (the indexer parses exactly the bytes whose hash it records)."""
    text = decode(path.read_bytes() if data is None else data, str(path))
    parse = parse_markdown if path.suffix.lower() == ".md" else parse_text
    return parse(text, path.stem)


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
        raise CorpusError(f"no corpus folder at {shown(str(corpus))}; put .txt or .md articles there")
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
        raise CorpusError(f"{shown(str(corpus))} holds no .txt or .md article")
    return files, skipped


def digest(data: bytes) -> str:
    """SHA-256 of a file's bytes: what the index records it was built from."""
    return hashlib.sha256(data).hexdigest()
