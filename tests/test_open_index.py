"""The open index owns what its searches use (engine, lemma table, speller):
several indexes open at once in one process, from several threads, answer as
each does alone; opening one switches no module state; closing releases it
all; a bug raised inside the engine is reported as a bug, not as damage."""

from __future__ import annotations

import shutil
import sqlite3
import sys
import threading
import types
from pathlib import Path

import pytest

import search as search_cli
from conftest import ARTICLE, CORPUS, ROOT, TEST_ARTICLES, current_generation
from fasearch.errors import IndexReadError
from fasearch.index import OpenIndex, open_index
from fasearch.indexing import build_index
from fasearch.searching import matching
from fasearch.searching.search import search
from fasearch.serve.cli import run
from fasearch.text import lexicon

THREADS = 8
# Lemmas (from the stored table), prefixes, phrases, a typo corrected by the speller.
QUERIES = {
    "a": ["کارگران", "هفت تپه", "اعتصابات", "کارگر*", '"طبقه کارگر"', "کارگرن", "معلمان"],
    "b": ["کوه‌ها", "البرز", "امیرکبیر", "اعتصاب کارگران", "یونانیان", "مریخ", "دایی"],
}


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def two_indexes(request, tmp_path_factory):
    """Two indexes of different corpora, by one engine: {name: index folder}."""
    out = {}
    for name, files in (("a", [ARTICLE]), ("b", sorted(TEST_ARTICLES.glob("*.txt")))):
        corpus = tmp_path_factory.mktemp(f"corpus-{name}")
        for path in files:
            shutil.copy(path, corpus / path.name)
        folder = tmp_path_factory.mktemp(f"index-{name}-{request.param}")
        build_index(corpus, folder, engine=request.param)
        out[name] = folder
    return out


def answers(ix: OpenIndex, query: str) -> tuple:
    result = search(ix, query, limit=20)
    return (result.total, result.suggestion, result.did_you_mean, result.missing,
            [(h.article, h.paragraph, h.score, h.text, h.matches, h.heading_matches) for h in result.hits])


def _cold() -> None:
    """Forget every lemma and paragraph analysis this process has made."""
    lexicon._stored.clear()
    lexicon.derive_lemmas.cache_clear()
    matching._analyze.cache_clear()


@pytest.mark.slow
def test_two_indexes_searched_alternately_from_threads_answer_as_each_alone(two_indexes):
    alone = {}
    for name, folder in two_indexes.items():
        _cold()
        with open_index(folder) as ix:
            alone[name] = [answers(ix, q) for q in QUERIES[name]]
    assert all(total for total, *_ in alone["a"]) and all(total for total, *_ in alone["b"])
    _cold()
    # The Whoosh engine reads through one file position: each thread opens its
    # own indexes, as the page's pool does.  One pair is shared by all the
    # threads for what is meant to be shared: the lemma tables and the spellers.
    shared = {name: open_index(folder) for name, folder in two_indexes.items()}
    start = threading.Barrier(THREADS)
    found: dict[int, dict[str, list]] = {}
    failures: list[BaseException] = []

    def work(number: int) -> None:
        try:
            mine = {name: open_index(folder) for name, folder in two_indexes.items()}
            out: dict[str, list] = {"a": [], "b": []}
            start.wait()
            for round_ in range(2):
                for i in range(len(QUERIES["a"])):
                    for name in ("a", "b") if (number + round_) % 2 else ("b", "a"):  # alternately
                        out[name].append(answers(mine[name], QUERIES[name][i]))
                        shared[name].lexicon.preload(["کارگران", "کوه‌ها", "معلمان"])
                        shared[name].speller.correct("کارگرن")
            found[number] = out
            for ix in mine.values():
                ix.close()
        except BaseException as error:  # noqa: BLE001 - reported below, with the thread's traceback
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for ix in shared.values():
        ix.close()
    if failures:
        raise failures[0]
    for number in range(THREADS):
        assert found[number]["a"] == alone["a"] * 2, number
        assert found[number]["b"] == alone["b"] * 2, number


def _module_state() -> dict[tuple[str, str], object]:
    return {(name, attribute): value for name, module in list(sys.modules.items())
            if name.startswith("fasearch") and module is not None for attribute, value in vars(module).items()}


def test_opening_an_index_switches_no_module_state(two_indexes):
    first = open_index(two_indexes["a"])
    search(first, "کارگران")  # every module a search needs is imported by now
    before, stored = _module_state(), dict(lexicon._stored)
    second = open_index(two_indexes["b"])
    after = _module_state()
    changed = [key for key in before if after.get(key, before) is not before[key]]
    assert changed == []
    added = [key for key in after.keys() - before.keys() if not isinstance(after[key], types.ModuleType)]
    assert added == []  # only submodules imported on first use may appear
    assert lexicon._stored == stored  # opening reads nothing into the memo
    assert answers(first, "کارگران") == answers(open_index(two_indexes["a"]), "کارگران")
    first.close()
    second.close()


def test_with_open_index_closes_it_all(two_indexes):
    with open_index(two_indexes["a"]) as ix:
        assert search(ix, "کارگرن").suggestion  # the speller and the lemma table opened
        speller = ix.speller
    assert ix.closed
    with pytest.raises(sqlite3.ProgrammingError):
        ix.lexicon.preload(["نپرسیده"])  # a word no search read yet: the table is asked
    with pytest.raises(sqlite3.ProgrammingError):
        speller.correct("کارگرن")
    with pytest.raises(ValueError):
        ix.speller  # noqa: B018 - no new speller for a closed index
    if ix.meta["engine"] == "whoosh":  # tantivy's engine holds only memory
        from whoosh.reading import ReaderClosed

        with pytest.raises(ReaderClosed):
            ix.engine.doc_frequency("fold", "کارگر")


def test_the_speller_is_made_once_whichever_thread_asks_first(two_indexes):
    with open_index(two_indexes["a"]) as ix:
        start = threading.Barrier(THREADS)
        spellers = []

        def ask() -> None:
            start.wait()
            spellers.append(ix.speller)

        threads = [threading.Thread(target=ask) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(spellers) == THREADS and len({id(s) for s in spellers}) == 1


# --- a bug is a bug: exit 70, not "the index cannot be read" --------------------------------


@pytest.fixture(scope="module")
def whoosh_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("index")
    build_index(CORPUS, folder)
    return folder


def test_a_bug_inside_the_engine_exits_70(whoosh_index, monkeypatch, capsys):
    from fasearch.engines.whoosh import WhooshEngine

    def broken(self, *args, **kwargs):
        raise TypeError("a bug in the engine")

    monkeypatch.setattr(WhooshEngine, "top", broken)
    assert run(search_cli.main, ["کارگر", "--index", str(whoosh_index)]) == 70
    assert capsys.readouterr().err == ("Error: unexpected TypeError: a bug in the engine "
                                       "(run again with --debug and report it)\n")


def test_damage_the_engine_reports_is_an_index_read_error(whoosh_index, monkeypatch, capsys):
    from fasearch.engines.whoosh import WhooshEngine

    monkeypatch.chdir(ROOT)  # where the scripts' default corpus/ is, which the hint leaves out
    # As if started as `.venv/bin/python search.py` here: the hint names the indexer script so.
    monkeypatch.setattr(sys, "argv", ["search.py", "کارگر"])
    monkeypatch.setattr(sys, "orig_argv", [str(ROOT / ".venv/bin/python"), "search.py", "کارگر"])

    def damaged(self, *args, **kwargs):
        raise IndexReadError("MAIN_x.seg: unreadable")

    monkeypatch.setattr(WhooshEngine, "top", damaged)
    assert run(search_cli.main, ["کارگر", "--index", str(whoosh_index)]) == 3
    assert capsys.readouterr().err == (
        "Error: the index cannot be read (MAIN_x.seg: unreadable); rebuild it with: "
        f".venv/bin/python indexer.py --index {whoosh_index} --corpus {CORPUS} --rebuild\n")
    with pytest.raises(IndexReadError) as raised:  # the library's error: the fix is data, no command line
        search(open_index(whoosh_index), "کارگر")
    assert str(raised.value) == "the index cannot be read (MAIN_x.seg: unreadable)"
    assert raised.value.fix.args == ("--index", str(whoosh_index), "--corpus", str(CORPUS), "--rebuild")


def test_a_damaged_lemma_table_met_while_searching_is_an_index_read_error(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / "a.txt")
    build_index(corpus, tmp_path / "ix")
    _cold()
    with open_index(tmp_path / "ix") as ix:  # verified when opened, replaced after
        (current_generation(tmp_path / "ix") / "lemmas.sqlite").write_bytes(b"not a database" * 100)
        with pytest.raises(IndexReadError, match=r"^the index cannot be read \(lemmas.sqlite: "):
            search(ix, "کارگران")
