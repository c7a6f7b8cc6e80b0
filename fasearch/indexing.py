"""Building the index atomically, and opening it.

Layout of an index folder::

    index/CURRENT        the name of the generation searches should open
    index/gen-<stamp>/   a complete index (Whoosh's files, or tantivy/) plus meta.json
    index/.lock          held (flock) by the one indexer allowed at a time

A build writes a new generation beside the old one and then replaces
``CURRENT`` with ``os.replace``, which is atomic.  A search therefore opens
either the old or the new generation, never a half-written one, and an
indexer killed at any moment leaves ``CURRENT`` naming the old, complete one.
The generation ``CURRENT`` named before the switch is kept, so a search that
opened it just before can finish; others (older, or never switched to by a
killed build) are removed.

``meta.json`` records a blake2b checksum of every file of its generation: an
update verifies them before hard-linking the segments into the next one, and
rebuilds from the corpus when anything changed, so damage is repaired by
running the indexer again, never carried forward.
"""

from __future__ import annotations

import collections
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import sqlite3
import stat
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .corpus.article import corpus_files, digest, read_article, scan_corpus
from .text.analysis import pieces_of
from . import engines
from .text.chars import LRM, RLM, fold, unjoin
from .errors import INDEXER, CorpusError, FasearchError, IndexMissingError, LockedError, NoSpaceError, shown
from .text.lexicon import analysis_key, use_known, write_known
from .engines.schema import SCHEMA_VERSION
from .searching.spelling import write_words

CURRENT = "CURRENT"
META = "meta.json"
KNOWN = "lemmas.sqlite"
LOCK = ".lock"
_GENERATION = re.compile(r"gen-\d+")
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


@dataclass
class OpenIndex:
    engine: engines.Engine  # kept open for every query of this process
    meta: dict
    path: Path

    def searcher(self) -> engines.Engine:
        return self.engine

    # A minimal close (helper C, for the documented `with open_index(...) as ix:`);
    # the store's own version replaces it.
    def close(self) -> None:
        """Release the engine's files and the did-you-mean table (once: again does nothing)."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        self.engine.close()
        speller = getattr(self, "speller", None)
        if speller is not None:
            speller.close()

    def __enter__(self) -> OpenIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stale_files(self) -> list[str]:
        """Corpus files added, changed or removed since the build."""
        corpus = Path(self.meta["corpus"])
        # Files the indexer read but could not decode are known too: running it again would not help.
        then = {**self.meta.get("unreadable", {}), **self.meta["files"]}
        stats = self.meta.get("stats", {})
        try:
            files = corpus_files(corpus)
        except FasearchError:
            files = []
        now = {}
        for p in files:
            try:
                info = p.stat()
                # Hash only what looks touched: every search runs this check.
                if p.name in then and stats.get(p.name) == [info.st_size, info.st_mtime_ns]:
                    now[p.name] = then[p.name]
                else:
                    now[p.name] = digest(p.read_bytes())
            except OSError:  # unreadable now, or gone: the indexer will say which
                now[p.name] = then.get(p.name)
        return sorted(name for name in now.keys() | then.keys() if now.get(name) != then.get(name))


class _Lock:
    """An exclusive, non-blocking flock; the kernel drops it if we die.

    Whoosh's worker processes are forked while it is held: they close it
    (see :func:`_in_forked_worker`), so a worker left behind never keeps
    the index locked.
    """

    def __init__(self, folder: Path):
        self.path = folder / LOCK

    def __enter__(self):
        global _lock_fd, _lock_owner
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockedError(
                f"another indexer is writing {self.path.parent}; wait for it to finish"
            ) from None
        _lock_fd, _lock_owner = fd, os.getpid()
        return self

    def __exit__(self, *exc):
        global _lock_fd
        fd, _lock_fd = _lock_fd, -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


_lock_fd, _lock_owner = -1, 0  # the index lock this process holds, and its pid


def _in_forked_worker() -> None:
    """In a process forked during a build (Whoosh's worker): let go of the
    lock, die with the indexer (SIGKILL, SIGTERM or a crash would otherwise
    leave it waiting on a pipe for ever), and leave Ctrl-C to the indexer."""
    global _lock_fd
    if _lock_fd < 0:  # not during a build
        return
    os.close(_lock_fd)
    _lock_fd = -1
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if "--debug" not in sys.argv:  # a failed worker is reported by the indexer, in one line
        sys.stderr = open(os.devnull, "w")
    try:
        if ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0) != 0:  # PR_SET_PDEATHSIG
            raise OSError
    except (OSError, AttributeError):  # not Linux: watch the parent instead
        threading.Thread(target=_exit_with, args=(_lock_owner,), daemon=True).start()
    if os.getppid() != _lock_owner:  # the indexer died before prctl took effect
        os._exit(1)


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


os.register_at_fork(after_in_child=_in_forked_worker)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)




def _current_name(index_dir: Path) -> str | None:
    """The generation ``CURRENT`` names; None when there is no ``CURRENT``.

    Raises IndexMissingError when it is not a file naming a generation
    (binary bytes, a folder, a path that would leave the index folder).
    """
    try:
        data = (index_dir / CURRENT).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise IndexMissingError(f"{index_dir}/{CURRENT} cannot be read ({error.strerror})") from None
    name = data.decode("ascii", "replace").strip()
    if not _GENERATION.fullmatch(name):
        raise IndexMissingError(f"{index_dir}/{CURRENT} does not name a generation")
    return name


def _checksum(path: Path) -> str:
    """blake2b of a file: fast enough to verify a whole index before reusing it."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "blake2b").hexdigest()


def _damage(path: Path, meta: dict, names=None) -> str | None:
    """What is wrong with the files of a generation, or None."""
    checksums = meta.get("checksums")
    if checksums is None:
        return "it records no checksums"
    for name in names if names is not None else checksums:
        try:
            if _checksum(path / name) != checksums[name]:
                return f"{name} changed"
        except FileNotFoundError:
            return f"{name} is missing"
        except OSError as error:
            return f"{name}: {error.strerror}"
    return None


def _previous(index_dir: Path) -> tuple[tuple[Path, dict] | None, str | None]:
    """The current generation and its meta, if it can be updated in place;
    else None and, when it is damaged, a note saying so."""
    try:
        name = _current_name(index_dir)
        if name is None:
            return None, None
        meta = json.loads((index_dir / name / META).read_text("utf-8"))
        if not isinstance(meta, dict):
            raise ValueError
    except (IndexMissingError, OSError, ValueError) as error:
        return None, f"the index was damaged ({error or 'meta.json unreadable'}); rebuilt it from the corpus"
    if meta.get("schema_version") != SCHEMA_VERSION or meta.get("analysis") != analysis_key():
        return None, None
    # Verify before reusing: a segment garbled in place would be linked into
    # every later generation, and "up to date" would never repair it.
    if "checksums" not in meta:
        return None, "the index was built before checksums were recorded; rebuilt it from the corpus"
    damage = _damage(index_dir / name, meta)
    if damage is None:
        try:
            engines.open_engine(meta.get("engine", engines.DEFAULT), index_dir / name).close()
        except Exception as error:  # the engines raise many kinds for damaged files
            damage = f"the engine cannot open it: {type(error).__name__}"
    if damage:
        return None, f"the index was damaged ({damage}); rebuilt it from the corpus"
    return (index_dir / name, meta), None


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
    given, wraps the paragraphs to analyse (a progress bar).  Files that
    cannot be read are left out and named in ``report.skipped``.  ``engine``
    (see fasearch.engines): None keeps the index's own, else Whoosh; another
    than the index's rebuilds.
    """
    started = time.perf_counter()
    files, skipped = scan_corpus(corpus)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FasearchError(f"cannot create {shown(str(index_dir))}: {error.strerror}") from None
    if not os.access(index_dir, os.W_OK):
        raise FasearchError(f"{shown(str(index_dir))} is not writable; choose another folder with --index")
    with _Lock(index_dir):
        _remove_leftovers(index_dir)  # of indexers killed before they finished
        current = _current_name_or_none(index_dir)
        previous, note = (None, None) if rebuild else _previous(index_dir)
        engine = engine or _recorded_engine(index_dir) or engines.DEFAULT
        if previous and previous[1].get("engine", engines.DEFAULT) != engine:
            previous = None  # another engine: everything is analysed again
        before = previous[1]["files"] if previous else {}
        # One read per file: its hash is of exactly the bytes parsed (a file
        # saved meanwhile cannot put other text under this hash), and its
        # size and time are taken first, so such a file looks touched later.
        hashes, stats, todo, unreadable = {}, {}, [], {}
        for path in files:
            try:
                info, data = _read_regular(path)
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
            raise CorpusError(f"no article of {shown(str(corpus))} could be read: "
                              f"{skipped[0]}{more}")
        added = sorted(n for n in hashes if n not in before)
        changed = sorted(n for n in hashes if n in before and before[n] != hashes[n])
        removed = sorted(n for n in before if n not in hashes)
        if previous and not (added or changed or removed):
            meta = previous[1]
            if meta.get("unreadable", {}) != unreadable:  # so searches do not call them changed
                try:
                    _rewrite_meta(previous[0], {**meta, "unreadable": unreadable})
                except OSError:  # only a note depends on it
                    pass
            return BuildReport(meta["articles"], meta["sections"], meta["paragraphs"],
                               time.perf_counter() - started, None, skipped=skipped, engine=engine)
        catalog = {n: a for n, a in (previous[1].get("catalog", {}) if previous else {}).items()
                   if n in hashes and n not in changed}
        new_paragraphs = sum(len(a.paragraphs) for _, a in todo)
        if not new_paragraphs and not any(c for a in catalog.values() for _, c in a["sections"]):
            raise CorpusError(f"no paragraph in {shown(str(corpus))}: every line reads as a heading "
                              "(a paragraph is a long line, or one that ends a sentence)")
        building = index_dir / f".building-{os.getpid()}"
        generation = None
        try:
            meta = _write_generation(building, corpus, previous, todo, removed, changed, catalog,
                                     hashes, stats, unreadable, new_paragraphs, progress, engine)
            generation = index_dir / f"gen-{time.time_ns()}"
            building.rename(generation)
            keep = {generation.name, current}  # searches may still read the one CURRENT named
            _switch(index_dir, generation.name)
        except BaseException as error:
            # Nothing half-built stays behind filling the disk; CURRENT still names the old one.
            shutil.rmtree(building, ignore_errors=True)
            if generation is not None and _current_name_or_none(index_dir) != generation.name:
                shutil.rmtree(generation, ignore_errors=True)
            if _no_space(error):
                raise NoSpaceError(f"no space left on the disk of {shown(str(index_dir))}; the index was "
                                   "not changed: free some space and index again") from None
            raise
        _remove_old_generations(index_dir, keep)
    return BuildReport(meta["articles"], meta["sections"], meta["paragraphs"], time.perf_counter() - started,
                       generation, added, changed, removed, new_paragraphs, skipped, note,
                       warnings=[w for _, article in todo for w in article.warnings], engine=engine)


def _recorded_engine(index_dir: Path) -> str | None:
    """The engine the newest readable generation was built with (even when it is
    damaged, so a repair keeps the engine)."""
    for generation in sorted(index_dir.glob("gen-*"), reverse=True):
        try:
            meta = json.loads((generation / META).read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict) and meta.get("engine", engines.DEFAULT) in engines.NAMES:
            return meta.get("engine", engines.DEFAULT)
    return None


def _read_regular(path: Path) -> tuple[os.stat_result, bytes]:
    """The status and bytes of a regular file; a FIFO or device put in its
    place since the corpus was listed is refused, not waited on."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "Not a regular file")
        return info, f.read()


def _no_space(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno in _NO_SPACE
    return isinstance(error, sqlite3.OperationalError) and "full" in str(error)


def _current_name_or_none(index_dir: Path) -> str | None:
    try:
        return _current_name(index_dir)
    except IndexMissingError:
        return None


def _write_generation(building: Path, corpus: Path, previous, todo, removed, changed, catalog,
                      hashes, stats, unreadable, new_paragraphs, progress, engine: str) -> dict:
    """Write a complete generation into ``building``; return its meta."""
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    if previous:
        _copy_generation(previous[0], building)
    writer = engines.writer(engine, building, not previous, new_paragraphs)
    try:
        for name in removed + changed:
            writer.delete_file(name)
        words: set[str] = set()
        written: collections.Counter = collections.Counter()  # (key, form as written): for did-you-mean
        rows = ((path, article, number, section, text) for path, article in todo
                for number, (section, text) in enumerate(article.paragraphs, start=1))
        for path, article, number, section, text in (progress(new_paragraphs)(rows) if progress else rows):
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
        for path, article in todo:
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
    meta = {
        "schema_version": SCHEMA_VERSION,
        "engine": engine,
        "analysis": analysis_key(),
        "corpus": str(corpus.resolve()),
        "files": hashes,
        "unreadable": unreadable,  # read but not decodable: named by the indexer, not stale
        "stats": stats,
        "articles": len(catalog),
        "sections": sum(len(a["sections"]) for a in catalog.values()),
        "paragraphs": paragraphs,
        "catalog": dict(sorted(catalog.items())),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    # Sizes let a search notice a truncated file before Whoosh trips on it;
    # checksums let the next build verify what it reuses.
    files = sorted(p for p in building.rglob("*") if p.is_file())  # tantivy keeps its files in tantivy/
    meta["sizes"] = {p.relative_to(building).as_posix(): p.stat().st_size for p in files}
    meta["checksums"] = {p.relative_to(building).as_posix(): _checksum(p) for p in files}
    (building / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    for path in building.rglob("*"):
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())
    return meta


def _rewrite_meta(generation: Path, meta: dict) -> None:
    """Replace a generation's meta.json atomically (it is not checksummed)."""
    tmp = generation / f".{META}.{os.getpid()}"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, generation / META)


def _switch(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(name + "\n")
        f.flush()
        os.fsync(f.fileno())
    current = index_dir / CURRENT
    if current.is_dir() and not current.is_symlink():  # damage: only a file can be replaced atomically
        shutil.rmtree(current)
    os.replace(tmp, current)
    _fsync_dir(index_dir)


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    """Keep the new generation and the one CURRENT named before the switch
    (searches may still read it); drop the others, older or never switched to."""
    for old in index_dir.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(index_dir: Path) -> None:
    """Half-built generations and pointer files; only under the lock."""
    for leftover in index_dir.glob(".building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in index_dir.glob(f".{CURRENT}.*"):
        leftover.unlink(missing_ok=True)


def repair_hint(index_dir: Path, meta: dict | None = None) -> str:
    """The command that rebuilds ``index_dir``, runnable from the project folder."""
    command = f"{INDEXER} --index {shlex.quote(str(index_dir))}"
    if meta is None:  # CURRENT is damaged: the newest generation still knows its corpus
        for generation in sorted(index_dir.glob("gen-*"), reverse=True):
            try:
                meta = json.loads((generation / META).read_text("utf-8"))
                break
            except (OSError, ValueError):
                continue
    corpus = meta.get("corpus") if isinstance(meta, dict) else None
    if isinstance(corpus, str) and Path(corpus) != Path("corpus").resolve():
        command += f" --corpus {shlex.quote(corpus)}"
    return command


def open_index(index_dir: Path) -> OpenIndex:
    """The current generation of ``index_dir``, or an error saying how to build it."""
    try:
        name = _current_name(index_dir)
    except IndexMissingError as error:
        raise IndexMissingError(f"the index in {index_dir} is damaged ({error}); rebuild it with: "
                                f"{repair_hint(index_dir)}") from None
    if name is None:
        raise IndexMissingError(f"no index in {index_dir}; build it with: {repair_hint(index_dir)}")
    path = index_dir / name
    try:
        meta = json.loads((path / META).read_text("utf-8"))
        if not isinstance(meta, dict):
            raise ValueError
    except (OSError, ValueError):
        raise IndexMissingError(f"the index in {index_dir} is damaged; rebuild it with: "
                                f"{repair_hint(index_dir)}") from None
    hint = f"rebuild it with: {repair_hint(index_dir, meta)}"
    if meta.get("schema_version") != SCHEMA_VERSION or meta.get("analysis") != analysis_key():
        raise IndexMissingError(
            f"the index in {index_dir} was built by another version of fasearch or hazm; {hint}"
        )
    for name, size in meta.get("sizes", {}).items():
        try:
            if (path / name).stat().st_size != size:
                raise IndexMissingError(f"the index in {index_dir} is damaged ({name} changed size); {hint}")
        except FileNotFoundError:
            raise IndexMissingError(f"the index in {index_dir} is damaged ({name} is missing); {hint}") from None
    # The lemma table is small: verify it whole (SQLite would fail mid-search).
    if not (path / KNOWN).is_file() or "checksums" in meta and _damage(path, meta, [KNOWN]):
        raise IndexMissingError(f"the index in {index_dir} is damaged ({KNOWN}); {hint}")
    try:
        engine = engines.open_engine(meta.get("engine", engines.DEFAULT), path)
    except Exception:  # the engines raise many kinds for damaged files
        raise IndexMissingError(f"the index in {index_dir} is damaged; {hint}") from None
    use_known(path / KNOWN)
    return OpenIndex(engine, meta, path)
