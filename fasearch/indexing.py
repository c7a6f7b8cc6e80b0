"""Building the index atomically, and opening it.

Layout of an index folder::

    index/CURRENT        the name of the generation searches should open
    index/gen-<stamp>/   a complete index (Whoosh's files, or tantivy/) plus meta.json
    index/.lock          held (flock) by the one indexer allowed at a time

A build writes a new generation beside the old one and then replaces
``CURRENT`` with ``os.replace``, which is atomic.  A search therefore opens
either the old or the new generation, never a half-written one, and an
indexer killed at any moment leaves ``CURRENT`` naming the old, complete one.
The generation before the current one is kept, so a search that opened it
just before the switch can finish.
"""

from __future__ import annotations

import collections
import fcntl
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .article import corpus_files, fingerprint, read_article
from .analysis import pieces_of
from . import engines
from .chars import LRM, RLM, fold, unjoin
from .errors import FasearchError, IndexMissingError, LockedError
from .morphology import analysis_key, use_known, write_known
from .schema import SCHEMA_VERSION
from .suggest import write_words

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
    generation: Path | None  # None: the index was up to date, nothing written
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    analysed: int = 0  # paragraphs analysed in this run
    engine: str = engines.DEFAULT


@dataclass
class OpenIndex:
    engine: engines.Engine  # kept open for every query of this process
    meta: dict
    path: Path

    def searcher(self) -> engines.Engine:
        return self.engine

    def stale_files(self) -> list[str]:
        """Corpus files added, changed or removed since the build."""
        corpus = Path(self.meta["corpus"])
        then, stats = self.meta["files"], self.meta.get("stats", {})
        try:
            files = corpus_files(corpus)
        except FasearchError:
            files = []
        # Hash only what looks touched: every search runs this check.
        same = {p.name for p in files if stats.get(p.name) == [p.stat().st_size, p.stat().st_mtime_ns]}
        now = {**{n: then[n] for n in same if n in then}, **fingerprint([p for p in files if p.name not in same])}
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


def _previous(index_dir: Path) -> tuple[Path, dict] | None:
    """The current generation and its meta, if it can be updated in place."""
    try:
        name = (index_dir / CURRENT).read_text().strip()
        meta = json.loads((index_dir / name / META).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("schema_version") != SCHEMA_VERSION or meta.get("analysis") != analysis_key():
        return None
    return index_dir / name, meta


def _copy_generation(source: Path, target: Path) -> None:
    """Start a generation from the current one: neither engine rewrites a
    segment file, so they are hard-linked; the lemma table and tantivy's
    JSON files (which it replaces) are copied."""
    for path in source.iterdir():
        if path.name == META:
            continue
        if path.is_dir():  # tantivy/, with a meta.json of its own
            shutil.copytree(path, target / path.name, copy_function=_link_or_copy,
                            ignore=shutil.ignore_patterns(".tantivy-*"))
        elif path.name == KNOWN:
            shutil.copyfile(path, target / path.name)
        else:
            os.link(path, target / path.name)


def _link_or_copy(source: str, target: str) -> None:
    """tantivy's segment files are linked; its JSON files, which it replaces, copied."""
    if source.endswith(".json"):
        shutil.copyfile(source, target)
    else:
        os.link(source, target)


def build_index(corpus: Path, index_dir: Path, rebuild: bool = False,
                progress: Callable[[int], Iterable] | None = None, engine: str | None = None) -> BuildReport:
    """Bring ``index_dir`` up to date with ``corpus`` and switch to it atomically.

    Only files added, changed (by content hash) or removed since the last
    build are analysed again, unless ``rebuild``.  ``progress(total)``, if
    given, wraps the paragraphs to analyse (a progress bar).  ``engine``
    (see fasearch.engines): None keeps the index's own, else Whoosh; another
    than the index's rebuilds.
    """
    started = time.perf_counter()
    files = corpus_files(corpus)
    hashes = fingerprint(files)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FasearchError(f"cannot create {index_dir}: {error.strerror}") from None
    if not os.access(index_dir, os.W_OK):
        raise FasearchError(f"{index_dir} is not writable; choose another folder with --index")
    with _Lock(index_dir):
        _remove_leftovers(index_dir)  # of indexers killed before they finished
        previous = None if rebuild else _previous(index_dir)
        engine = engine or (previous[1].get("engine", engines.DEFAULT) if previous else engines.DEFAULT)
        if previous and previous[1].get("engine", engines.DEFAULT) != engine:
            previous = None
        before = previous[1]["files"] if previous else {}
        added = sorted(n for n in hashes if n not in before)
        changed = sorted(n for n in hashes if n in before and before[n] != hashes[n])
        removed = sorted(n for n in before if n not in hashes)
        if previous and not (added or changed or removed):
            meta = previous[1]
            return BuildReport(meta["articles"], meta["sections"], meta["paragraphs"],
                               time.perf_counter() - started, None, engine=engine)
        # Read everything new before touching the index: a bad file changes nothing.
        todo = [(path, read_article(path)) for path in files if path.name in set(added) | set(changed)]
        building = index_dir / f".building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        if previous:
            _copy_generation(previous[0], building)
        new_paragraphs = sum(len(a.paragraphs) for _, a in todo)
        writer = engines.writer(engine, building, not previous, new_paragraphs)
        for name in removed + changed:
            writer.delete_file(name)
        catalog = {n: a for n, a in (previous[1].get("catalog", {}) if previous else {}).items()
                   if n in hashes and n not in changed}
        words: set[str] = set()
        written: collections.Counter = collections.Counter()  # (key, form as written): for did-you-mean
        rows = ((path, article, number, section, text) for path, article in todo
                for number, (section, text) in enumerate(article.paragraphs, start=1))
        for path, article, number, section, text in (progress(new_paragraphs)(rows) if progress else rows):
            words.update(fold(p.text) for p in pieces_of(text))
            written.update((unjoin(fold(p.text)), p.text.replace(RLM, "").replace(LRM, ""))
                           for p in pieces_of(text, False))
            words.update(fold(p.text) for p in pieces_of(section.heading))
            writer.add(
                id=f"{path.name}#{number}", file=path.name, article=article.id, title=article.title,
                author=article.author, part=article.part, section=section.heading,
                section_key=fold(section.heading), paragraph=number,
                text=text, exact=text, fold=text, lemma=text,
                heading_fold=section.heading, heading_lemma=section.heading,
            )
        for path, article in todo:
            catalog[path.name] = {
                "id": article.id, "title": article.title, "author": article.author, "part": article.part,
                "sections": [[s.heading, len(s.paragraphs)] for s in article.sections],
            }
        paragraphs = writer.commit()
        write_known(building / KNOWN, words)  # the lemmas of new words, for searches
        write_words(building / KNOWN, written)
        meta = {
            "schema_version": SCHEMA_VERSION,
            "engine": engine,
            "analysis": analysis_key(),
            "corpus": str(corpus.resolve()),
            "files": hashes,
            "stats": {p.name: [p.stat().st_size, p.stat().st_mtime_ns] for p in files},
            "articles": len(catalog),
            "sections": sum(len(a["sections"]) for a in catalog.values()),
            "paragraphs": paragraphs,
            "catalog": dict(sorted(catalog.items())),
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        # Sizes let a search notice a truncated file before Whoosh trips on it.
        meta["sizes"] = {p.name: p.stat().st_size for p in building.iterdir() if p.is_file()}
        (building / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        for path in building.rglob("*"):
            if path.is_file():
                with open(path, "rb") as f:
                    os.fsync(f.fileno())
        generation = index_dir / f"gen-{time.time_ns()}"
        building.rename(generation)
        _switch(index_dir, generation.name)
        _remove_old_generations(index_dir, keep=generation.name)
    return BuildReport(meta["articles"], meta["sections"], paragraphs, time.perf_counter() - started,
                       generation, added, changed, removed, new_paragraphs, engine)


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


def _remove_leftovers(index_dir: Path) -> None:
    """Half-built generations and pointer files; only under the lock."""
    for leftover in index_dir.glob(".building-*"):
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
        engine = engines.open_engine(meta.get("engine", engines.DEFAULT), path)
    except Exception:  # the engines raise many kinds for damaged files
        raise IndexMissingError(f"the index in {index_dir} is damaged; re{hint}") from None
    if not (path / KNOWN).is_file():
        raise IndexMissingError(f"the index in {index_dir} is damaged; re{hint}")
    use_known(path / KNOWN)
    return OpenIndex(engine, meta, path)
