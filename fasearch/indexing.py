"""Building the index atomically, and opening it.

Layout of an index folder::

    index/CURRENT        the name of the generation searches should open
    index/gen-<stamp>/   a complete Whoosh index plus meta.json
    index/.lock          held (flock) by the one indexer allowed at a time

A build writes a new generation beside the old one and then replaces
``CURRENT`` with ``os.replace``, which is atomic.  A search therefore opens
either the old or the new generation, never a half-written one, and an
indexer killed at any moment leaves ``CURRENT`` naming the old, complete one.
The generation before the current one is kept, so a search that opened it
just before the switch can finish.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.scoring import BM25F

from .article import corpus_files, fingerprint, read_article
from .chars import fold
from .errors import FasearchError, IndexMissingError, LockedError
from .morphology import analysis_key, use_known, write_known
from .schema import SCHEMA_VERSION, make_schema

CURRENT = "CURRENT"
META = "meta.json"
KNOWN = "lemmas.sqlite"
LOCK = ".lock"


@dataclass
class BuildReport:
    articles: int
    sections: int
    paragraphs: int
    seconds: float
    generation: Path


@dataclass
class OpenIndex:
    index: whoosh_index.Index
    meta: dict
    path: Path
    _searcher: object = None

    def searcher(self):
        """One BM25F searcher, kept open for every query of this process."""
        if self._searcher is None:
            self._searcher = self.index.searcher(weighting=BM25F())
        return self._searcher

    def stale_files(self) -> list[str]:
        """Corpus files added, changed or removed since the build."""
        corpus = Path(self.meta["corpus"])
        try:
            now = fingerprint(corpus_files(corpus))
        except FasearchError:
            now = {}
        then = self.meta["files"]
        return sorted(name for name in now.keys() | then.keys() if now.get(name) != then.get(name))


class _Lock:
    """An exclusive, non-blocking flock; the kernel drops it if we die."""

    def __init__(self, folder: Path):
        self.path = folder / LOCK

    def __enter__(self):
        self.file = open(self.path, "a+")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            raise LockedError(
                f"another indexer is writing {self.path.parent}; wait for it to finish"
            ) from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build_index(corpus: Path, index_dir: Path) -> BuildReport:
    """Read every article of ``corpus`` and switch ``index_dir`` to a new index."""
    started = time.perf_counter()
    files = corpus_files(corpus)
    # Read everything before touching the index: a bad file changes nothing.
    articles = [read_article(path) for path in files]
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FasearchError(f"cannot create {index_dir}: {error.strerror}") from None
    if not os.access(index_dir, os.W_OK):
        raise FasearchError(f"{index_dir} is not writable; choose another folder with --index")
    with _Lock(index_dir):
        building = index_dir / f".building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        ix = whoosh_index.create_in(str(building), make_schema())
        writer = ix.writer()
        order = 0
        for article in articles:
            for number, (section, text) in enumerate(article.paragraphs, start=1):
                order += 1
                writer.add_document(
                    id=f"{article.id}#{number}", article=article.id, title=article.title,
                    author=article.author, part=article.part, section=section.heading,
                    section_key=fold(section.heading), paragraph=number, order=order,
                    text=text, exact=text, fold=text, lemma=text,
                    heading_fold=section.heading, heading_lemma=section.heading,
                )
        writer.commit()
        with ix.reader() as reader:  # the lemmas of every term, for searches
            write_known(building / KNOWN, (t.decode("utf-8") for t in reader.lexicon("fold")))
        meta = {
            "schema_version": SCHEMA_VERSION,
            "analysis": analysis_key(),
            "corpus": str(corpus.resolve()),
            "files": fingerprint(files),
            "articles": len(articles),
            "sections": sum(len(a.sections) for a in articles),
            "paragraphs": order,
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        # Sizes let a search notice a truncated file before Whoosh trips on it.
        meta["sizes"] = {p.name: p.stat().st_size for p in building.iterdir() if p.is_file()}
        (building / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        for name in os.listdir(building):
            with open(building / name, "rb") as f:
                os.fsync(f.fileno())
        generation = index_dir / f"gen-{time.time_ns()}"
        building.rename(generation)
        _switch(index_dir, generation.name)
        _remove_old_generations(index_dir, keep=generation.name)
    return BuildReport(meta["articles"], meta["sections"], order,
                       time.perf_counter() - started, generation)


def _switch(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)


def _remove_old_generations(index_dir: Path, keep: str) -> None:
    """Keep the new generation and the one before it; drop older and broken ones."""
    generations = sorted(p for p in index_dir.glob("gen-*") if p.name != keep)
    for old in generations[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    for leftover in index_dir.glob(".building-*"):  # from a killed indexer
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in index_dir.glob(f".{CURRENT}.*"):
        leftover.unlink(missing_ok=True)


def open_index(index_dir: Path) -> OpenIndex:
    """The current generation of ``index_dir``, or an error saying how to build it."""
    hint = f"build it with: python indexer.py --index {index_dir}"
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except FileNotFoundError:
        raise IndexMissingError(f"no index in {index_dir}; {hint}") from None
    except OSError as error:
        raise IndexMissingError(f"cannot read {index_dir}: {error.strerror}") from None
    path = index_dir / name
    try:
        meta = json.loads((path / META).read_text("utf-8"))
    except (OSError, ValueError):
        raise IndexMissingError(f"the index in {index_dir} is damaged; re{hint}") from None
    if meta.get("schema_version") != SCHEMA_VERSION or meta.get("analysis") != analysis_key():
        raise IndexMissingError(
            f"the index in {index_dir} was built by another version of fasearch or hazm; re{hint}"
        )
    for name, size in meta.get("sizes", {}).items():
        try:
            if (path / name).stat().st_size != size:
                raise IndexMissingError(f"the index in {index_dir} is damaged ({name} changed size); re{hint}")
        except FileNotFoundError:
            raise IndexMissingError(f"the index in {index_dir} is damaged ({name} is missing); re{hint}") from None
    try:
        ix = whoosh_index.open_dir(str(path))
        searcher = ix.searcher(weighting=BM25F())  # reads every segment's directory
    except Exception:  # Whoosh raises many kinds for damaged files
        raise IndexMissingError(f"the index in {index_dir} is damaged; re{hint}") from None
    if not (path / KNOWN).is_file():
        raise IndexMissingError(f"the index in {index_dir} is damaged; re{hint}")
    use_known(path / KNOWN)
    return OpenIndex(ix, meta, path, searcher)
