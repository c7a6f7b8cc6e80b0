"""Bad input never crashes it and nothing is lost (issue: robustness)."""

import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ARTICLE, CORPUS, ROOT
from fasearch.analysis import fold_analyzer, lemma_analyzer
from fasearch.chars import WORD_RE, fold
from fasearch.errors import FasearchError
from fasearch.highlight import find_matches
from fasearch.indexing import build_index, open_index
from fasearch.querying import parse
from fasearch.searching import search

# Text a Persian user (or a broken program) may produce: Persian and Arabic
# letters, marks, ZWNJ/ZWJ, bidi marks, digits, Latin, punctuation, query
# syntax, control characters, emoji.
PERSIAN_TEXT = st.text(
    alphabet=st.sampled_from(list(
        "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةأإؤئۀآ" "\u064b\u064e\u0650\u0651\u0654\u0670\u0640"
        "\u200c\u200d\u200e\u200f\u202b ۰۱۲۳٤5،.؟!«»:;()[]{}\"'*~-+^abcXYZ\n\t\x00\x01\x7f😀🇮🇷"
    )),
    max_size=80,
)
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(*args, stdin=None, timeout=60):
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, input=stdin,
                          timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def one_line_error(result):
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 1, result.stderr


# --- properties -----------------------------------------------------------------

@FUZZ
@given(PERSIAN_TEXT)
def test_analyzers_never_raise_and_offsets_stay_sane(text):
    for analyzer in (fold_analyzer(), lemma_analyzer()):
        last_start = 0
        for t in analyzer(text, positions=True, chars=True):
            assert t.text
            assert 0 <= t.startchar < t.endchar <= len(text)
            assert t.startchar >= last_start
            last_start = t.startchar


@FUZZ
@given(PERSIAN_TEXT)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@FUZZ
@given(PERSIAN_TEXT, PERSIAN_TEXT)
def test_highlight_never_cuts_inside_a_word(text, query):
    words = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
    starts, ends = {s for s, _ in words}, {e for _, e in words}
    for match in find_matches(text, parse(query).all_units):
        assert match.start in starts and match.end in ends


@FUZZ
@given(query=PERSIAN_TEXT)
def test_any_query_gives_results_or_a_clean_error(index, query):
    try:
        result = search(index, query, limit=5)
    except FasearchError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert result.total >= len(result.hits)


# --- the query side, through the command line ------------------------------------

@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("robust") / "index"
    build_index(CORPUS, folder)
    return folder


@pytest.mark.parametrize("args", [
    [""], ["   "], ["!!!؟؟"], ['"کارگر'], ['کارگر"'], ["(کارگر"], ["AND"], ["OR"], ["NOT"],
    ["*"], ["~"], ["کارگر~"], ["title:کارگر"], ["\x01کارگر\x02"], ["\u200fکارگر\u200e"], ["😀"],
    ["کارگر😀نفت"], ["workers کارگر ۱۳۷۵"], ["کارگر", "--limit", "0"], ["کارگر", "--limit", "-3"],
    ["کارگر", "--limit", "99999999999999"], ["کارگر", "--section", "هیچ"], ["--"], ["-"],
])
def test_odd_queries(index_dir, args):
    result = run("search.py", "--index", str(index_dir), *args, stdin="")
    assert result.returncode in (0, 1, 2)
    one_line_error(result)


@pytest.mark.parametrize("query", ["ک" * 10_000, " ".join(["کارگر"] * 10_000)])
def test_huge_queries_are_refused_quickly(index_dir, query):
    start = time.monotonic()
    result = run("search.py", query, "--index", str(index_dir))
    assert time.monotonic() - start < 10  # a whole process, start-up included
    assert result.returncode == 2 and "the limit is" in result.stderr
    one_line_error(result)


def test_invalid_utf8_argument(index_dir):
    result = subprocess.run([sys.executable, "search.py", b"\xff\xfe", "--index", str(index_dir)],
                            cwd=ROOT, capture_output=True)
    assert result.returncode == 2 and result.stderr == b"Error: the query is not valid UTF-8\n"


def test_batch_mode_survives_bad_lines(index_dir):
    lines = "کارگر\n\x00\n\"\n" + "ک" * 5000 + "\nنفت\n"
    result = run("search.py", "--json", "-", "--index", str(index_dir), stdin=lines)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["total"] == 13 and out[-1]["total"] == 2
    assert all("error" in o or "hits" in o for o in out)


# --- the corpus side --------------------------------------------------------------

def index_corpus(tmp_path, files):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    return run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))


@pytest.mark.parametrize(("files", "message"), [
    ({}, "holds no .txt or .md article"),
    ({"bin.txt": b"\x00\x01\x02PK\x03\x04" * 100}, "bin.txt: a binary file"),
    ({"old.txt": "کارگران نفت اعتصاب کردند.".encode("cp1256")}, "it looks like Windows-1256"),
    ({"bad.txt": b"\xc3\x28 \xa0\xa1"}, "bad.txt: not UTF-8"),
])
def test_unreadable_corpus_is_a_clear_error(tmp_path, files, message):
    result = index_corpus(tmp_path, files)
    assert result.returncode == 4 and message in result.stderr
    one_line_error(result)
    assert not (tmp_path / "ix" / "CURRENT").exists()


def test_missing_corpus_folder(tmp_path):
    result = run("indexer.py", "--corpus", str(tmp_path / "none"), "--index", str(tmp_path / "ix"))
    assert result.returncode == 4
    one_line_error(result)


def test_utf16_empty_headingless_and_same_title_files(tmp_path):
    text = ARTICLE.read_text("utf-8")
    result = index_corpus(tmp_path, {
        "utf16.txt": text.encode("utf-16"),  # with a BOM: decoded, certain
        "copy.txt": text.encode("utf-8"),  # the same title as utf16.txt
        "empty.txt": b"",
        "plain.txt": "پاراگراف اول درباره هفت تپه است.\n\nپاراگراف دوم.\n".encode(),  # no heading
    })
    assert result.returncode == 0, result.stderr
    ix = open_index(tmp_path / "ix")
    hits = search(ix, "کارگر", limit=100).hits
    assert {h.article for h in hits} == {"utf16", "copy"} and len(hits) == 26
    plain = [h for h in search(ix, "هفت تپه", limit=100).hits if h.article == "plain"]
    assert [(h.section, h.paragraph) for h in plain] == [("مقدمه", 1)]


# --- the index side ---------------------------------------------------------------

def test_index_of_another_version_asks_for_a_rebuild(tmp_path):
    build_index(CORPUS, tmp_path / "ix")
    current = tmp_path / "ix" / (tmp_path / "ix" / "CURRENT").read_text().strip()
    meta = json.loads((current / "meta.json").read_text())
    (current / "meta.json").write_text(json.dumps({**meta, "schema_version": 0}))
    result = run("search.py", "کارگر", "--index", str(tmp_path / "ix"))
    assert result.returncode == 3 and "another version" in result.stderr and "rebuild" in result.stderr


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete", "toc"])
def test_damaged_index_is_a_clear_error(tmp_path, damage):
    build_index(CORPUS, tmp_path / "ix")
    current = tmp_path / "ix" / (tmp_path / "ix" / "CURRENT").read_text().strip()
    segment = next(current.glob("*.seg"))
    if damage == "truncate":
        os.truncate(segment, segment.stat().st_size // 2)
    elif damage == "garbage":
        segment.write_bytes(random.Random(1).randbytes(segment.stat().st_size))
    elif damage == "delete":
        segment.unlink()
    else:
        toc = next(current.glob("*.toc"))
        toc.write_bytes(toc.read_bytes()[:40])
    result = run("search.py", "کارگر", "--index", str(tmp_path / "ix"))
    assert result.returncode == 3 and "rebuild" in result.stderr
    one_line_error(result)


def test_index_path_that_cannot_be_a_folder(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run("indexer.py", "--index", str(tmp_path / "file" / "ix"))
    assert result.returncode == 1 and "cannot create" in result.stderr
    one_line_error(result)


def test_second_indexer_refuses_while_one_runs(tmp_path):
    (tmp_path / "ix").mkdir()
    with open(tmp_path / "ix" / ".lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run("indexer.py", "--index", str(tmp_path / "ix"))
    assert result.returncode == 5
    assert result.stderr == f"Error: another indexer is writing {tmp_path}/ix; wait for it to finish\n"


def test_exact_total_when_the_top_is_full(tmp_path):
    """Whoosh's own collector undercounts once its heap is full; ours counts all."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(5):
        shutil.copy(ARTICLE, corpus / f"part{i}.txt")
    build_index(corpus, tmp_path / "ix")
    assert search(open_index(tmp_path / "ix"), "کارگر", limit=3).total == 65


# --- crash safety ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """Thirty parts: a build long enough to be killed at many moments."""
    corpus = tmp_path_factory.mktemp("big") / "corpus"
    corpus.mkdir()
    for i in range(30):
        shutil.copy(ARTICLE, corpus / f"part{i:02}.txt")
    return corpus


QUERIES = ["کارگر", "هفت‌تپه", "كارگران نفت", '"طبقه کارگر"', "خانواده ها", "1375"]


def answers(folder):
    ix = open_index(folder)
    return [[(h.article, h.paragraph, round(h.score, 6)) for h in search(ix, q, limit=20).hits] for q in QUERIES]


def test_killed_indexer_leaves_the_old_index_answering(tmp_path, big_corpus):
    index = tmp_path / "ix"
    build_index(big_corpus, index)
    before = answers(index)
    rng = random.Random(1375)
    kills = 0
    for _ in range(8):
        process = subprocess.Popen([sys.executable, "indexer.py", "--rebuild", "--quiet", "--corpus", str(big_corpus),
                                    "--index", str(index)], cwd=ROOT)
        time.sleep(rng.uniform(0.05, 3.0))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        assert answers(index) == before
    print(f"\nkilled {kills} of 8 rebuilds with SIGKILL; the old index answered the same every time")
    assert kills >= 4, f"only {kills} builds were still running when killed"
    build_index(big_corpus, index)  # the next build cleans up what the killed ones left
    assert not list(index.glob(".building-*")) and len(list(index.glob("gen-*"))) <= 2
    assert answers(index) == before


def test_search_during_rebuild_keeps_answering(tmp_path, big_corpus):
    index = tmp_path / "ix"
    build_index(big_corpus, index)
    before = answers(index)
    process = subprocess.Popen([sys.executable, "indexer.py", "--rebuild", "--quiet", "--corpus", str(big_corpus),
                                "--index", str(index)], cwd=ROOT)
    searched = 0
    while process.poll() is None:
        assert answers(index) == before
        searched += 1
    assert process.returncode == 0 and searched >= 2
    assert answers(index) == before
