"""The index store (fasearch.store): the lock and a build's workers, the
generations and CURRENT, checksums, meta.json, and what each engine carries
over into the next generation."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, article_corpus, current_generation
from conftest import damage as damage_file
from fasearch import engines
from fasearch.errors import IndexMissingError, LockedError
from fasearch.indexing import build_index
from fasearch.store import checksums, generations, lock
from fasearch.store import meta as store_meta
from fasearch.store.lock import IndexLock
from fasearch.store.meta import MetaError

# --- the lock -----------------------------------------------------------------------------


def test_the_lock_is_an_object_held_once(tmp_path):
    with IndexLock(tmp_path) as held:
        with pytest.raises(LockedError, match=f"another indexer is writing {tmp_path}; wait for it to finish"):
            IndexLock(tmp_path).__enter__()
        fd = held.worker_start().fd
        assert fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC  # no program run meanwhile inherits it
    with IndexLock(tmp_path):  # let go at the end of ``with``
        pass
    assert not any(name.startswith("_lock") for name in vars(lock))  # no process-wide lock state


def test_a_worker_start_outside_a_build_is_refused(tmp_path):
    with pytest.raises(RuntimeError):
        IndexLock(tmp_path).worker_start()


@pytest.mark.parametrize("debug", [False, True])
def test_a_worker_is_silent_unless_debugging_says_the_environment_not_argv(debug):
    script = ("import sys; from fasearch.store.lock import WorkerStart; sys.argv.append('--debug'); "
              "WorkerStart(-1, 0, 0)(); print('a worker traceback', file=sys.stderr)")
    env = {k: v for k, v in os.environ.items() if k != lock.DEBUG} | ({lock.DEBUG: "1"} if debug else {})
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ("a worker traceback\n" if debug else "")


def test_debug_on_the_command_line_is_in_the_environment_while_it_runs(monkeypatch):
    from fasearch.serve.cli import run

    monkeypatch.delenv(lock.DEBUG, raising=False)
    seen = []
    assert run(lambda argv: seen.append((argv, os.environ.get(lock.DEBUG))) or 0, ["x", "--debug"]) == 0
    assert seen == [(["x"], "1")] and lock.DEBUG not in os.environ  # for this run only


# A stand-in indexer: takes the lock and starts Whoosh's worker through the
# engine's writer, as a build does, then waits to be killed.
INDEXER = r"""
import multiprocessing, sys, time
from pathlib import Path

method, folder = sys.argv[1], Path(sys.argv[2])
multiprocessing.set_start_method(method)
from fasearch import engines
from fasearch.store.lock import IndexLock

with IndexLock(folder) as lock:
    (folder / "gen").mkdir()
    writer = engines.writer("whoosh", folder / "gen", True, 10_000, lock.worker_start())
    for n in range(150):  # more than one of Whoosh's batches: its worker starts
        writer.add(id=f"a#{n}", file="a.txt", article="a", title="t", author="", part="", section="s",
                   section_key="s", paragraph=n, text="کارگران", fold="کارگران", lemma="کارگران",
                   heading_fold="s", heading_lemma="s")
    print(*(task.pid for task in writer.writer.tasks), flush=True)
    time.sleep(600)
"""


def _status(pid: int) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status") as f:
            return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    except OSError:
        return {}


def _alive(pid: int) -> bool:
    return _status(pid).get("State", "Z")[0] != "Z"  # a zombie is dead


def _ignores_sigint(pid: int) -> bool:
    return bool(int(_status(pid).get("SigIgn", "0"), 16) & 1 << (2 - 1))


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                    reason="reads /proc; Whoosh starts a worker only with two cores")
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_worker_lets_go_of_the_lock_and_dies_with_the_indexer(tmp_path, method):
    """Under every start method (forkserver is Linux's default from Python 3.14,
    where at-fork hooks never run)."""
    indexer = subprocess.Popen([sys.executable, "-c", INDEXER, method, str(tmp_path)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        workers = [int(pid) for pid in indexer.stdout.readline().split()]
        assert workers, "the writer started no worker"
        deadline = time.monotonic() + 60
        while not all(map(_ignores_sigint, workers)) and time.monotonic() < deadline:
            time.sleep(0.02)  # until each worker has run its start-up (it ignores Ctrl-C from then on)
        assert all(map(_ignores_sigint, workers))
        for worker in workers:
            fds = [os.path.realpath(f"/proc/{worker}/fd/{fd}") for fd in os.listdir(f"/proc/{worker}/fd")]
            assert str(tmp_path / ".lock") not in fds
        indexer.kill()
        indexer.wait(timeout=30)
        with IndexLock(tmp_path):  # free at once: only the indexer held it
            pass
        deadline = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not any(map(_alive, workers)), "a worker outlived the indexer"
    finally:
        indexer.kill()
        for worker in workers:
            if _alive(worker):
                os.kill(worker, 9)


# --- generations and CURRENT --------------------------------------------------------------


def test_current_names_a_generation_or_says_why_not(tmp_path):
    assert generations.current_name(tmp_path) is None
    generations.switch(tmp_path, "gen-1")
    assert (tmp_path / "CURRENT").read_text() == "gen-1\n" and generations.current_name(tmp_path) == "gen-1"
    (tmp_path / "CURRENT").write_text("../elsewhere\n")
    with pytest.raises(IndexMissingError, match="does not name a generation"):
        generations.current_name(tmp_path)
    assert generations.current_name_or_none(tmp_path) is None
    (tmp_path / "CURRENT").unlink()
    (tmp_path / "CURRENT").mkdir()
    generations.switch(tmp_path, "gen-2")  # a folder in its place is damage, replaced
    assert generations.current_name(tmp_path) == "gen-2"
    assert not list(tmp_path.glob(".CURRENT.*"))


def test_leftovers_and_old_generations_are_removed(tmp_path):
    for name in ("gen-1", "gen-2", "gen-3", ".building-99"):
        (tmp_path / name).mkdir()
    (tmp_path / ".CURRENT.99").write_text("gen-3\n")
    generations.remove_leftovers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen-1", "gen-2", "gen-3"]
    generations.remove_old(tmp_path, {"gen-3", "gen-2"})
    assert [p.name for p in generations.newest_first(tmp_path)] == ["gen-3", "gen-2"]


@pytest.mark.parametrize("engine", engines.NAMES)
def test_a_new_generation_reuses_the_engine_files(tmp_path, engine):
    """carry_over: segment files are hard-linked (no engine rewrites one); tantivy's
    JSON files, which it replaces, are copied; its lock files are not carried."""
    build_index(article_corpus(tmp_path), tmp_path / "ix", engine=engine)
    source, target = current_generation(tmp_path / "ix"), tmp_path / "next"
    target.mkdir()
    generations.start_from(source, target, engine)
    carried = {p.relative_to(target).as_posix(): p for p in target.rglob("*") if p.is_file()}
    assert "meta.json" not in carried and "lemmas.sqlite" in carried
    assert not any(Path(name).name.startswith(".tantivy-") for name in carried)
    for name, path in carried.items():
        linked = path.stat().st_ino == (source / name).stat().st_ino
        assert linked == (not name.endswith((".json", ".sqlite"))), name
    originals = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    assert originals - set(carried) <= {"meta.json", "tantivy/.tantivy-meta.lock", "tantivy/.tantivy-writer.lock"}


# --- checksums and meta.json --------------------------------------------------------------


def test_checksums_name_what_changed(tmp_path):
    build_index(article_corpus(tmp_path), tmp_path / "ix")
    generation = current_generation(tmp_path / "ix")
    meta = store_meta.read(generation)
    assert checksums.damage(generation, meta) is None and checksums.size_damage(generation, meta) is None
    segment = next(generation.glob("*.seg"))
    damage_file(segment, "middle")
    assert checksums.damage(generation, meta) == f"{segment.name} changed"
    assert checksums.size_damage(generation, meta) is None  # the size alone misses it
    damage_file(segment, "truncate")
    assert checksums.size_damage(generation, meta) == f"{segment.name} changed size"
    segment.unlink()
    assert checksums.damage(generation, meta) == f"{segment.name} is missing"
    assert checksums.damage(generation, {}) == "it records no checksums"


def test_meta_is_read_and_validated_in_one_place(tmp_path):
    build_index(article_corpus(tmp_path), tmp_path / "ix")
    generation = current_generation(tmp_path / "ix")
    meta = store_meta.read(generation)
    assert store_meta.is_this_version(meta) and store_meta.engine(meta) == "whoosh"
    assert store_meta.newest(tmp_path / "ix") == meta
    for broken, reason in [("[1, 2]", "meta.json unreadable"), ("{", "meta.json unreadable"),
                           (json.dumps({**meta, "files": None}), "meta.json has no files"),
                           (json.dumps({**meta, "engine": "lucene"}), "meta.json names an unknown engine")]:
        (generation / "meta.json").write_text(broken)
        with pytest.raises(MetaError, match=reason):
            store_meta.read(generation)
        assert store_meta.newest(tmp_path / "ix") is None
    other = {**meta, "schema_version": 0, "files": None}  # another version: returned as it is, to be refused
    (generation / "meta.json").write_text(json.dumps(other))
    assert store_meta.read(generation) == other and not store_meta.is_this_version(other)
    (generation / "meta.json").unlink()
    with pytest.raises(MetaError, match="meta.json: no such file or directory"):
        store_meta.read(generation)
