"""Shared fixtures: the real article, a real index built from corpus/, helpers."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fasearch.corpus.article import read_article
from fasearch.engines import NAMES as ENGINES
from fasearch.index import open_index
from fasearch.indexing import build_index
from fasearch.searching.search import search

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ARTICLE = next(CORPUS.glob("*.txt"))
TEST_ARTICLES = ROOT / "tests" / "data" / "articles"  # written for the tests, with ZWNJ


def pytest_collection_modifyitems(items):
    """Every test that drives the browser is marked ``browser`` (see pyproject.toml)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def assert_analyzes_to(analyzer, text, expected, offsets=None):
    """Token texts (and offsets) of ``analyzer(text)``, like Lucene's assertAnalyzesTo.

    Always checks that offsets stay inside the text and never go backwards.
    """
    tokens = [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, positions=True)]
    assert [t[0] for t in tokens] == expected
    last_start = 0
    for i, (word, start, end) in enumerate(tokens):
        assert 0 <= start < end <= len(text), f"token {i} ({word!r}) offsets {start}-{end} outside the text"
        assert start >= last_start, f"token {i} ({word!r}) goes backwards"
        last_start = start
    if offsets is not None:
        assert [(s, e) for _, s, e in tokens] == offsets


@pytest.fixture(scope="session")
def article():
    return read_article(ARTICLE)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request):
    """Every test that searches an index runs once per engine (fasearch.engines)."""
    return request.param


@pytest.fixture(scope="session")
def index(tmp_path_factory, engine):
    """The real article, indexed once per test session and engine."""
    folder = tmp_path_factory.mktemp(f"index-{engine}")
    build_index(CORPUS, folder, engine=engine)
    return open_index(folder)


def judged_corpus(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("judged-corpus")
    for path in [*CORPUS.glob("*.txt"), *TEST_ARTICLES.glob("*.txt")]:
        shutil.copy(path, corpus / path.name)
    return corpus


@pytest.fixture(scope="session")
def judged_index(tmp_path_factory, engine):
    """corpus/ plus tests/data/articles/, indexed once per test session and
    engine (the judged sets' corpus)."""
    folder = tmp_path_factory.mktemp(f"judged-index-{engine}")
    build_index(judged_corpus(tmp_path_factory), folder, engine=engine)
    return open_index(folder)


@pytest.fixture(scope="session")
def judged_indexes(tmp_path_factory):
    """The judged sets' corpus indexed by every engine: {engine: index}."""
    corpus = judged_corpus(tmp_path_factory)
    out = {}
    for name in ENGINES:
        folder = tmp_path_factory.mktemp(f"judged-both-{name}")
        build_index(corpus, folder, engine=name)
        out[name] = open_index(folder)
    return out


@pytest.fixture(scope="session")
def find(index):
    """Paragraph numbers of the hits for a query, best first."""

    def find(query, **options):
        options.setdefault("limit", 50)
        return [hit.paragraph for hit in search(index, query, **options).hits]

    return find


@pytest.fixture
def make_index(tmp_path, engine):
    """An index over a small corpus written as {file name: text}, by the test's engine."""

    def make(files: dict[str, str]):
        corpus = tmp_path / "corpus"
        corpus.mkdir(exist_ok=True)
        for name, text in files.items():
            (corpus / name).write_text(text, "utf-8")
        build_index(corpus, tmp_path / "index", engine=engine)
        return open_index(tmp_path / "index")

    return make


def article_copies(corpus: Path, copies: int) -> Path:
    """``corpus`` made to hold ``copies`` copies of the real article (part00.txt, …)."""
    corpus.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        shutil.copy(ARTICLE, corpus / f"part{i:02}.txt")
    return corpus


# States of a build that a test can see from outside, in the order they come
# (fasearch.indexing): the half-built generation's folder exists; the engine
# writes its files there; the lemma table is written; meta.json, the last
# file, is written just before the folder is renamed and switched to.
def _building(index: Path) -> list[Path]:
    return list(index.glob(".building-*"))


BUILD_STATES: dict[str, Callable[[Path], bool]] = {
    "started": lambda index: bool(_building(index)),
    "engine files": lambda index: any(p.is_file() and p.name not in ("lemmas.sqlite", "meta.json")
                                      for b in _building(index) for p in b.rglob("*")),
    "lemma table": lambda index: any((b / "lemmas.sqlite").exists() for b in _building(index)),
    "meta.json": lambda index: any((b / "meta.json").exists() for b in _building(index)),
}
LASTING_STATES = ("started", "engine files")  # they last for most of a build: never missed


def kill_at(process: subprocess.Popen, index: Path, state: str, sig: int = signal.SIGKILL,
            timeout: float = 120.0) -> bool:
    """Send ``sig`` to a running indexer as soon as its build is in ``state``
    (:data:`BUILD_STATES`), looking every millisecond; False if the build
    ended first (a brief state can pass between two looks)."""
    seen = BUILD_STATES[state]
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if seen(index):
            process.send_signal(sig)
            process.wait()
            return True
        time.sleep(0.001)
    process.wait(timeout=timeout)
    return False


def article_corpus(tmp_path: Path, name: str = "a.txt") -> Path:
    """``tmp_path/corpus`` holding the real article as ``name``."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / name)
    return corpus


def current_generation(index: Path) -> Path:
    """The generation folder an index's CURRENT names."""
    return index / (index / "CURRENT").read_text().strip()


def damage(path: Path, how: str) -> None:
    """Damage an index file the way a disk or a person does: truncate,
    garbage (the whole file), middle (64 bytes of it), delete; sizes are kept
    but by truncate and delete."""
    if how == "truncate":
        os.truncate(path, path.stat().st_size // 2)
    elif how == "garbage":
        path.write_bytes(random.Random(1).randbytes(path.stat().st_size))
    elif how == "middle":
        with open(path, "r+b") as f:
            f.seek(path.stat().st_size // 2)
            f.write(random.Random(13).randbytes(64))
    elif how == "delete":
        path.unlink()
    else:
        raise ValueError(how)
