"""Building an index: the corpus against the current generation, and a new one written.

:func:`build_index` reads every corpus file once, compares it by content
hash with what the current generation holds (:class:`Changes`), and writes a
new generation with only the changed articles analysed again
(:func:`_write_generation`), starting from the current one's files.  Where
and how a generation is stored, switched to, locked and verified is the
index store's (:mod:`fasearch.store`); opening one for searches is
:mod:`fasearch.index`.

An update verifies the checksums of the generation it starts from, and
rebuilds from the corpus when anything changed, so damage is repaired by
running the indexer again, never carried forward.
"""

from __future__ import annotations

import collections
import errno
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import engines
from .corpus.article import Article, digest, read_article, scan_corpus
from .errors import CorpusError, FasearchError, Fix, IndexMissingError, IndexReadError, NoSpaceError, shown
from .searching.spelling import write_words
from .store import checksums, generations
from .store import meta as store_meta
from .store.generations import KNOWN
from .store.lock import IndexLock, WorkerStart
from .store.meta import MetaError
from .text.analysis import pieces_of
from .text.chars import LRM, RLM, fold, unjoin
from .text.lexicon import write_known

# Larger files are skipped (named): an article or a book is rarely over a few MB,
# and a file is read and parsed whole.
MAX_FILE_BYTES = 50 * 2**20
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


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
    skipped: list[str] = field(default_factory=list)  # corpus entries left out, one line each
    note: str | None = None  # e.g. why an update became a full rebuild
    warnings: list[str] = field(default_factory=list)  # of the articles read: "file:line: message"
    engine: str = engines.DEFAULT


class _Previous(NamedTuple):
    """The generation a build updates, verified."""

    path: Path
    meta: dict


@dataclass
class Changes:
    """The corpus as read now, against the generation a build updates (none:
    every file is added)."""

    corpus: Path
    todo: list[tuple[Path, Article]]  # the files added or changed, read: to analyse
    hashes: dict[str, str]  # every readable file's content hash, by name
    stats: dict[str, list[int]]  # its size and mtime when read (a search hashes only what changed since)
    unreadable: dict[str, str]  # read but not decodable: its hash, so searches do not call it changed
    added: list[str]
    changed: list[str]
    removed: list[str]
    catalog: dict[str, dict] = field(default_factory=dict)  # the articles kept; the build adds the new

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    @property
    def paragraphs(self) -> int:
        """Paragraphs to analyse."""
        return sum(len(a.paragraphs) for _, a in self.todo)


def build_index(corpus: Path, index_dir: Path, rebuild: bool = False,
                progress: Callable[[int], Callable[[Iterable], Iterable]] | None = None,
                engine: str | None = None, allow_removal: bool = False,
                max_file_bytes: int = MAX_FILE_BYTES) -> BuildReport:
    """Bring ``index_dir`` up to date with ``corpus`` and switch to it atomically.

    Only files added, changed (by content hash) or removed since the last
    build are analysed again, unless ``rebuild``.  ``progress(total)``, if
    given, wraps the paragraphs to analyse (a progress bar).  Files that
    cannot be read are left out and named in ``report.skipped``.  ``engine``
    (see fasearch.engines): None keeps the index's own, else Whoosh; another
    than the index's rebuilds.  A build that would remove more than half of
    the index's articles (another folder, an unmounted disk, an emptied one)
    raises CorpusError instead, unless ``allow_removal``.  A file larger
    than ``max_file_bytes`` is skipped, named in ``report.skipped``.
    """
    started = time.perf_counter()
    corpus, index_dir = Path(corpus), Path(index_dir)
    files, skipped = scan_corpus(corpus)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FasearchError(f"cannot create {shown(str(index_dir))}: {error.strerror}") from None
    if not os.access(index_dir, os.W_OK):
        raise FasearchError(f"{shown(str(index_dir))} is not writable; choose another folder with --index")
    with IndexLock(index_dir) as lock:
        generations.remove_leftovers(index_dir)  # of indexers killed before they finished
        if not allow_removal:
            _refuse_mass_removal(index_dir, corpus, files)
        current = generations.current_name_or_none(index_dir)
        previous, note = (None, None) if rebuild else _previous(index_dir)
        engine = engine or _recorded_engine(index_dir) or engines.DEFAULT
        if previous and store_meta.engine(previous.meta) != engine:
            previous = None  # another engine: everything is analysed again
        changes = _compare(corpus, files, previous.meta["files"] if previous else {}, skipped, max_file_bytes)
        if previous and not changes.any:
            meta = previous.meta
            if meta.get("unreadable", {}) != changes.unreadable:  # so searches do not call them changed
                try:
                    store_meta.rewrite(previous.path, {**meta, "unreadable": changes.unreadable})
                except OSError:  # only a note depends on it
                    pass
            return BuildReport(meta["articles"], meta["sections"], meta["paragraphs"],
                               time.perf_counter() - started, None, skipped=skipped, engine=engine)
        changes.catalog = {n: a for n, a in (previous.meta.get("catalog", {}) if previous else {}).items()
                           if n in changes.hashes and n not in changes.changed}
        if not changes.paragraphs and not any(c for a in changes.catalog.values() for _, c in a["sections"]):
            raise CorpusError(f"no paragraph in {shown(str(corpus))}: every line reads as a heading "
                              "(a paragraph is a long line, or one that ends a sentence)")
        building = generations.building_folder(index_dir)
        generation = None
        try:
            meta = _write_generation(building, changes, previous, engine, progress, lock.worker_start())
            generation = index_dir / generations.new_name()
            building.rename(generation)
            keep = {generation.name, current}  # searches may still read the one CURRENT named
            generations.switch(index_dir, generation.name)
        except BaseException as error:
            # Nothing half-built stays behind filling the disk; CURRENT still names the old one.
            shutil.rmtree(building, ignore_errors=True)
            if generation is not None and generations.current_name_or_none(index_dir) != generation.name:
                shutil.rmtree(generation, ignore_errors=True)
            if _no_space(error):
                raise NoSpaceError(f"no space left on the disk of {shown(str(index_dir))}; the index was "
                                   "not changed: free some space and index again") from None
            raise
        generations.remove_old(index_dir, keep)
    return BuildReport(meta["articles"], meta["sections"], meta["paragraphs"], time.perf_counter() - started,
                       generation, changes.added, changes.changed, changes.removed, changes.paragraphs, skipped,
                       note, warnings=[w for _, article in changes.todo for w in article.warnings], engine=engine)


def recorded_corpus(index_dir: Path) -> Path | None:
    """The corpus folder ``index_dir`` was last built from (None: no index, or it
    records none): where the indexer looks when it is not told."""
    corpus = store_meta.recorded_corpus(Path(index_dir))
    return Path(corpus) if corpus is not None else None


def _refuse_mass_removal(index_dir: Path, corpus: Path, files: list[Path]) -> None:
    """Raise CorpusError when building from ``files`` would remove more than
    half of the articles the index holds: more likely a wrong folder or an
    unmounted disk than the reader's wish.  The error's fix confirms it."""
    meta = store_meta.newest(index_dir)
    held = set(meta.get("files", {})) if meta else set()
    gone = held - {path.name for path in files}
    if 2 * len(gone) <= len(held):
        return
    built_from = meta.get("corpus") if meta else None
    source = f" (it was built from {shown(str(built_from))})" \
        if isinstance(built_from, str) and Path(built_from) != corpus.resolve() else ""
    raise CorpusError(
        f"{shown(str(corpus))} holds {len(held) - len(gone)} of the {len(held)} articles of the index in "
        f"{shown(str(index_dir))}{source}: indexing it would remove {len(gone)}; nothing was changed",
        Fix("index", ("--index", str(index_dir), "--corpus", str(corpus), "--allow-removal"),
            "if that is what you want, run"))


def _compare(corpus: Path, files: list[Path], before: dict[str, str], skipped: list[str],
             max_file_bytes: int = 0) -> Changes:
    """Read every corpus file once and compare it with ``before`` (name -> hash).

    One read per file: its hash is of exactly the bytes parsed (a file saved
    meanwhile cannot put other text under this hash), and its size and time
    are taken first, so such a file looks touched later.  Files that cannot
    be read or decoded, or larger than ``max_file_bytes``, are added to
    ``skipped``.
    """
    hashes: dict[str, str] = {}
    stats: dict[str, list[int]] = {}
    todo: list[tuple[Path, Article]] = []
    unreadable: dict[str, str] = {}
    for path in files:
        try:
            info, data = _read_regular(path, max_file_bytes or MAX_FILE_BYTES)
        except _TooLarge as error:
            skipped.append(f"{shown(str(path))}: {error}")
            continue
        except OSError as error:
            skipped.append(f"{shown(str(path))}: {(error.strerror or str(error)).lower()}")
            continue
        hashes[path.name] = digest(data)
        stats[path.name] = [info.st_size, info.st_mtime_ns]
        if before.get(path.name) != hashes[path.name]:
            try:
                todo.append((path, read_article(path, data)))
            except CorpusError as error:
                skipped.append(str(error))
                unreadable[path.name] = hashes.pop(path.name)
    if not hashes:
        more = f" (and {len(skipped) - 1} more)" if len(skipped) > 1 else ""
        raise CorpusError(f"no article of {shown(str(corpus))} could be read: {skipped[0]}{more}")
    return Changes(
        corpus, todo, hashes, stats, unreadable,
        added=sorted(n for n in hashes if n not in before),
        changed=sorted(n for n in hashes if n in before and before[n] != hashes[n]),
        removed=sorted(n for n in before if n not in hashes),
    )


def _previous(index_dir: Path) -> tuple[_Previous | None, str | None]:
    """The current generation, if it can be updated in place; else None and,
    when it is damaged, a note saying so."""
    try:
        name = generations.current_name(index_dir)
        if name is None:
            return None, None
        meta = store_meta.read(index_dir / name)
    except (IndexMissingError, MetaError) as error:
        return None, f"the index was damaged ({error}); rebuilt it from the corpus"
    if not store_meta.is_this_version(meta):
        return None, None
    # Verify before reusing: a segment garbled in place would be linked into
    # every later generation, and "up to date" would never repair it.
    if "checksums" not in meta:
        return None, "the index was built before checksums were recorded; rebuilt it from the corpus"
    damage = checksums.damage(index_dir / name, meta)
    if damage is None:
        try:
            engines.open_engine(store_meta.engine(meta), index_dir / name).close()
        except IndexReadError as error:
            damage = f"the engine cannot open it: {error}"
    if damage:
        return None, f"the index was damaged ({damage}); rebuilt it from the corpus"
    return _Previous(index_dir / name, meta), None


def _recorded_engine(index_dir: Path) -> str | None:
    """The engine the newest readable generation was built with (even when it is
    damaged, so a repair keeps the engine)."""
    meta = store_meta.newest(index_dir)
    name = store_meta.engine(meta) if meta is not None else None
    return name if name in engines.NAMES else None


class _TooLarge(Exception):
    """A corpus file over the size limit: skipped, never read whole."""


def _read_regular(path: Path, max_bytes: int) -> tuple[os.stat_result, bytes]:
    """The status and bytes of a regular file of at most ``max_bytes``; a FIFO
    or device put in its place since the corpus was listed is refused, not
    waited on, and a larger file (or one grown past it while read) is not read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "Not a regular file")
        data = f.read(max_bytes + 1) if info.st_size <= max_bytes else b""
        if info.st_size > max_bytes or len(data) > max_bytes:
            raise _TooLarge(f"{max(info.st_size, len(data)) / 2**20:,.1f} MB, over the limit of "
                            f"{max_bytes / 2**20:,.0f} MB for one file (--max-file-mb)")
        return info, data


def _no_space(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno in _NO_SPACE
    return isinstance(error, sqlite3.OperationalError) and "full" in str(error)


def _write_generation(building: Path, changes: Changes, previous: _Previous | None, engine: str,
                      progress: Callable[[int], Callable[[Iterable], Iterable]] | None,
                      worker_start: WorkerStart) -> dict:
    """Write a complete generation into ``building``; return its meta."""
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    if previous:
        generations.start_from(previous.path, building, engine)
    new_paragraphs = changes.paragraphs
    writer = engines.writer(engine, building, not previous, new_paragraphs, worker_start)
    try:
        words, written = _write_fields(writer, changes, progress)
        catalog = changes.catalog
        for path, article in changes.todo:
            catalog[path.name] = {
                "id": article.id, "title": article.title, "author": article.author, "part": article.part,
                "sections": [[s.heading, len(s.paragraphs)] for s in article.sections],
            }
        paragraphs = writer.commit()
    except BaseException:
        writer.abort()  # stop its worker processes now
        raise
    write_known(building / KNOWN, words)  # the lemmas of new words, for searches
    write_words(building / KNOWN, written)  # the words as written, for did-you-mean
    expected = sum(c for a in catalog.values() for _, c in a["sections"])
    if writer.failed() or paragraphs != expected:
        free = os.statvfs(building)
        if free.f_bavail * free.f_frsize < 1 << 20:
            raise OSError(errno.ENOSPC, "a worker process ran out of space")
        raise RuntimeError(f"the index holds {paragraphs} paragraphs instead of {expected} "
                           "(a worker process failed); the old index is kept")  # a bug: exit 70
    sizes, sums = checksums.record(building)  # tantivy keeps its files in tantivy/
    meta = store_meta.new(engine, changes.corpus, changes.hashes, changes.unreadable, changes.stats, catalog,
                          paragraphs, sizes, sums)
    store_meta.write(building, meta)
    generations.fsync_files(building)
    return meta


def _write_fields(writer: engines.Writer, changes: Changes,
                  progress: Callable[[int], Callable[[Iterable], Iterable]] | None
                  ) -> tuple[set[str], collections.Counter]:
    """Delete the removed and changed articles' paragraphs and add the new
    ones; return the folded words added (for their lemmas) and the (key, form
    as written) pairs counted (for did-you-mean)."""
    for name in changes.removed + changes.changed:
        writer.delete_file(name)
    words: set[str] = set()
    written: collections.Counter = collections.Counter()
    rows = ((path, article, number, section, text) for path, article in changes.todo
            for number, (section, text) in enumerate(article.paragraphs, start=1))
    for path, article, number, section, text in (progress(changes.paragraphs)(rows) if progress else rows):
        # split_zwnj passed as the analyzers pass it: lru_cache keys f(x) and
        # f(x, True) apart, and the fields analysed next must hit these entries.
        words.update(fold(p.text) for p in pieces_of(text, True))
        written.update((unjoin(fold(p.text)), p.text.replace(RLM, "").replace(LRM, ""))
                       for p in pieces_of(text, False))
        words.update(fold(p.text) for p in pieces_of(section.heading, True))
        writer.add(
            id=f"{path.name}#{number}", file=path.name, article=article.id, title=article.title,
            author=article.author, part=article.part, section=section.heading,
            section_key=fold(section.heading), paragraph=number,
            text=text, fold=text, lemma=text,
            heading_fold=section.heading, heading_lemma=section.heading,
        )
    return words, written
