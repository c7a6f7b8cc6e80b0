"""Bad input never crashes it and nothing is lost (issue: robustness)."""

import fcntl
import json
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import (
    ARTICLE,
    BUILD_STATES,
    CORPUS,
    LASTING_STATES,
    ROOT,
    article_copies,
    article_corpus,
    current_generation,
    kill_at,
)
from conftest import damage as damage_file
from fasearch.engines import NAMES as ENGINES
from fasearch.errors import FasearchError
from fasearch.index import open_index
from fasearch.indexing import build_index
from fasearch.query.parsing import parse
from fasearch.searching.matching import find_matches
from fasearch.searching.search import search
from fasearch.text.analysis import fold_analyzer, lemma_analyzer
from fasearch.text.chars import WORD_RE, fold

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


@pytest.mark.parametrize(("args", "status"), [
    ([""], 2), (["   "], 2), (["!!!؟؟"], 2),  # no word: a usage error
    (['"کارگر'], 0), (['کارگر"'], 0), (["(کارگر"], 0),  # stray syntax is text around the word
    (["AND"], 1), (["OR"], 1), (["NOT"], 1),  # operator words are words, which the article lacks
    (["*"], 2), (["~"], 2), (["کارگر~"], 0), (["title:کارگر"], 0),
    (["\x01کارگر\x02"], 0), (["\u200fکارگر\u200e"], 0), (["😀"], 2), (["کارگر😀نفت"], 0),
    (["workers کارگر ۱۳۷۵"], 0), (["کارگر", "--limit", "0"], 2), (["کارگر", "--limit", "-3"], 2),
    (["کارگر", "--limit", "99999999999999"], 0), (["کارگر", "--section", "هیچ"], 1),  # no such section
    (["--"], 2), (["-"], 0),  # "-": a batch of no lines
])
def test_odd_queries(index_dir, args, status):
    result = run("search.py", "--index", str(index_dir), *args, stdin="")
    assert result.returncode == status
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
    assert [o.get("error", "")[:24] for o in out[1:4]] == ["the query has no word to",  # NUL, a lone quote
                                                          "the query has no word to", "the query is 5000 charac"]


# --- the corpus side --------------------------------------------------------------

def index_corpus(tmp_path, files):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    return run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))


@pytest.mark.parametrize(("files", "message"), [
    ({}, "holds no article (.txt, .md, .html"),
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
    current = current_generation(tmp_path / "ix")
    meta = json.loads((current / "meta.json").read_text())
    (current / "meta.json").write_text(json.dumps({**meta, "schema_version": 0}))
    result = run("search.py", "کارگر", "--index", str(tmp_path / "ix"))
    assert result.returncode == 3 and "another version" in result.stderr and "rebuild" in result.stderr


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete", "toc"])
def test_damaged_index_is_a_clear_error(tmp_path, damage):
    build_index(CORPUS, tmp_path / "ix")
    current = current_generation(tmp_path / "ix")
    segment = next(current.glob("*.seg"))
    if damage != "toc":
        damage_file(segment, damage)
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
    build_index(article_copies(tmp_path / "corpus", 5), tmp_path / "ix")
    assert search(open_index(tmp_path / "ix"), "کارگر", limit=3).total == 65


# --- crash safety ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """Thirty parts: a build long enough to be killed at many moments."""
    return article_copies(tmp_path_factory.mktemp("big") / "corpus", 30)


QUERIES = ["کارگر", "هفت‌تپه", "كارگران نفت", '"طبقه کارگر"', "خانواده ها", "1375"]


def answers(folder):
    ix = open_index(folder)
    return [[(h.article, h.paragraph, round(h.score, 6)) for h in search(ix, q, limit=20).hits] for q in QUERIES]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_killed_indexer_leaves_the_old_index_answering(tmp_path, big_corpus, engine):
    """SIGKILL at each state a rebuild goes through, on every engine: searches keep
    the old answers, and the next build cleans up after the killed ones."""
    index = tmp_path / "ix"
    build_index(big_corpus, index, engine=engine)
    before = answers(index)
    killed = []
    for state in BUILD_STATES:
        process = subprocess.Popen([sys.executable, "indexer.py", "--rebuild", "--quiet", "--corpus", str(big_corpus),
                                    "--index", str(index)], cwd=ROOT)
        if kill_at(process, index, state):
            killed.append(state)
        assert answers(index) == before, f"killed when {state}"
    print(f"\nkilled {engine} rebuilds at: {', '.join(killed)}; the old index answered the same every time")
    assert set(LASTING_STATES) <= set(killed)
    (big_corpus / "extra.txt").write_text("عنوان\n\nآموزگاران اعتصاب کردند.\n", "utf-8")
    try:  # an update: it cleans up what the killed builds left
        report = build_index(big_corpus, index)
    finally:
        (big_corpus / "extra.txt").unlink()
    assert report.engine == engine and report.added == ["extra.txt"]
    assert not list(index.glob(".building-*")) and len(list(index.glob("gen-*"))) <= 2
    assert search(open_index(index), "آموزگاران").total == 1
@pytest.mark.slow
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


# --- issue 13: killed parallel builds, changed files, repairs, hostile corpora ----------

def children(pid):
    """The process ids of ``pid``'s children (Linux)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def cpu_ticks(pid):
    """The CPU time ``pid`` has used, in clock ticks (0 for a process not yet at work, or gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().split(") ")[-1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return 0


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"  # a zombie is dead
    except OSError:
        return False


@pytest.fixture(scope="module")
def parallel_corpus(tmp_path_factory):
    """780 paragraphs: above PARALLEL_FROM, so Whoosh analyses in a second process."""
    return article_copies(tmp_path_factory.mktemp("parallel") / "corpus", 60)


def start_parallel_build(corpus, index):
    process = subprocess.Popen([sys.executable, "indexer.py", "--rebuild", "--quiet", "--corpus", str(corpus),
                                "--index", str(index), "--allow-removal"],  # another corpus: the article goes
                               cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not (children(process.pid) and all(cpu_ticks(w) for w in children(process.pid))) \
            and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)  # until every worker has started working (used CPU time)
    workers = children(process.pid)
    assert workers, "the build never started a worker process"
    for worker in workers:  # the lock stays with the indexer alone
        fds = [os.path.realpath(f"/proc/{worker}/fd/{fd}") for fd in os.listdir(f"/proc/{worker}/fd")]
        assert str(index / ".lock") not in fds
    return process, workers


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
@pytest.mark.slow
def test_a_killed_parallel_build_leaves_no_worker_and_no_lock(tmp_path, parallel_corpus, sig):
    index = tmp_path / "ix"
    build_index(CORPUS, index)
    process, workers = start_parallel_build(parallel_corpus, index)
    try:
        process.send_signal(sig)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(w) for w in workers), "a worker outlived the killed indexer"
        again = run("indexer.py", "--quiet", "--corpus", str(CORPUS), "--index", str(index))
        assert again.returncode == 0, again.stderr
    finally:
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)


@pytest.mark.slow
def test_ctrl_c_during_a_parallel_build(tmp_path, parallel_corpus):
    index = tmp_path / "ix"
    build_index(CORPUS, index)
    before = answers(index)
    process, workers = start_parallel_build(parallel_corpus, index)
    try:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: the whole process group
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130 and stderr == "Error: interrupted\n"
        assert not any(alive(w) for w in workers)
        assert answers(index) == before and not list(index.glob(".building-*"))
    finally:
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)


FLIPPER = """
import os, sys
corpus, a, b = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
i = 0
while True:
    i += 1
    with open(os.path.join(corpus, ".next"), "wb") as f:
        f.write(a if i % 2 else b)
    os.replace(os.path.join(corpus, ".next"), os.path.join(corpus, "a.txt"))
"""


@pytest.mark.slow
def test_a_file_changed_during_indexing_is_indexed_as_hashed(tmp_path):
    """An editor saving while the indexer runs: the index holds the text whose hash it records."""
    import hashlib

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    base = ARTICLE.read_text("utf-8")
    versions = [base + "\nنسخه نخست این مقاله.\n", base + "\nنسخه دوم این مقاله.\n"]
    (corpus / "a.txt").write_text(versions[0], "utf-8")
    flipper = subprocess.Popen([sys.executable, "-c", FLIPPER, str(corpus), *versions])
    wrong = 0
    try:
        for _ in range(20):
            build_index(corpus, tmp_path / "ix", rebuild=True)
            ix = open_index(tmp_path / "ix")
            texts = [d["text"] for d in ix.searcher().documents(file="a.txt")]
            parsed = 0 if any("نسخه نخست" in t for t in texts) else 1
            wrong += ix.meta["files"]["a.txt"] != hashlib.sha256(versions[parsed].encode()).hexdigest()
    finally:
        flipper.kill()
        flipper.wait()
    assert wrong == 0, f"{wrong} of 20 builds recorded the hash of other bytes than they indexed"


@pytest.mark.parametrize("damage", ["segment", "toc", "lemmas", "meta", "current-binary", "current-folder",
                                    "lemmas-folder"])
@pytest.mark.slow
def test_the_repair_advice_repairs(tmp_path, damage):
    corpus = article_corpus(tmp_path)
    index = tmp_path / "ix"
    build_index(corpus, index)
    generation = current_generation(index)
    if damage == "segment":
        damage_file(next(generation.glob("*.seg")), "garbage")
    elif damage == "toc":
        damage_file(next(generation.glob("*.toc")), "garbage")
    elif damage == "lemmas":
        damage_file(generation / "lemmas.sqlite", "garbage")
    elif damage == "meta":
        damage_file(generation / "meta.json", "garbage")
    elif damage == "current-binary":
        (index / "CURRENT").write_bytes(b"\xff\xfe\x00gen")
    elif damage == "current-folder":
        (index / "CURRENT").unlink()
        (index / "CURRENT").mkdir()
    else:
        (generation / "lemmas.sqlite").unlink()
        (generation / "lemmas.sqlite").mkdir()
    broken = run("search.py", "کارگر", "--index", str(index))
    assert broken.returncode == 3, broken.stderr
    one_line_error(broken)
    command = broken.stderr.rstrip("\n").split("with: ")[-1]
    assert command.startswith(".venv/bin/python indexer.py "), broken.stderr
    repaired = subprocess.run(shlex.split(command), cwd=ROOT, capture_output=True, text=True)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    fixed = run("search.py", "کارگر", "--index", str(index))
    assert fixed.returncode == 0, fixed.stderr


@pytest.mark.parametrize("whole", [True, False])
def test_an_update_never_links_a_damaged_segment(tmp_path, whole):
    corpus = article_corpus(tmp_path)
    index = tmp_path / "ix"
    build_index(corpus, index)
    segment = next(current_generation(index).glob("*.seg"))
    damage_file(segment, "garbage" if whole else "middle")
    shutil.copy(ARTICLE, corpus / "b.txt")
    result = run("indexer.py", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert "damaged" in result.stderr and "26 paragraphs analysed" in result.stdout
    generation = current_generation(index)
    assert all(p.stat().st_ino != segment.stat().st_ino for p in generation.iterdir())
    assert search(open_index(index), "کارگر", limit=100).total == 26


def test_the_hints_name_commands_that_work(tmp_path):
    result = run("search.py", "کارگر", "--index", str(tmp_path / "none"))
    assert result.returncode == 3
    command = result.stderr.rstrip("\n").split("with: ")[-1]
    built = subprocess.run(shlex.split(command), cwd=ROOT, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert run("search.py", "کارگر", "--index", str(tmp_path / "none")).returncode == 0


# --- hostile corpora: each a clear line, a documented status, nothing left behind ---------

def test_a_file_name_that_is_not_utf8_is_skipped_and_named(tmp_path):
    corpus = article_corpus(tmp_path)
    (corpus / os.fsdecode(b"caf\xe9.txt")).write_text("مقاله‌ای با نامی نادرست.\n", "utf-8")
    result = run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.returncode == 6, result.stderr
    assert "Traceback" not in result.stderr and "caf\\xe9.txt" in result.stderr
    assert search(open_index(tmp_path / "ix"), "کارگر").total == 13


def test_a_corpus_of_headings_only(tmp_path):
    result = index_corpus(tmp_path, {"h.txt": "عنوان نخست\nعنوان دوم\nعنوان سوم\n".encode()})
    assert result.returncode == 4 and "no paragraph" in result.stderr, result.stderr
    one_line_error(result)
    assert not (tmp_path / "ix" / "CURRENT").exists()


def without_dac_override():
    """In a child about to exec: root loses CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH,
    so file permissions apply to it (PR_CAPBSET_DROP; the exec drops them)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "dangling", "loop", "permission"])
def test_unreadable_entries_are_named_and_the_rest_indexed(tmp_path, kind):
    corpus = article_corpus(tmp_path)
    bad = corpus / "x.txt"
    drop_read_anything = None
    if kind == "folder":
        bad.mkdir()
    elif kind == "fifo":
        os.mkfifo(bad)
    elif kind == "device":
        try:
            os.mknod(bad, 0o644 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
        except PermissionError:
            pytest.skip("mknod is not permitted here")
    elif kind == "dangling":
        bad.symlink_to(corpus / "gone.txt")
    elif kind == "loop":
        bad.symlink_to(corpus / "y.txt")
        (corpus / "y.txt").symlink_to(bad)
    else:
        bad.write_text("متن پنهان.\n", "utf-8")
        bad.chmod(0)
        if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
            drop_read_anything = without_dac_override
    result = subprocess.run([sys.executable, "indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix")],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, preexec_fn=drop_read_anything,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 6, result.stderr
    assert "Traceback" not in result.stderr and "x.txt" in result.stderr
    assert result.stdout.startswith("Indexed 1 article")
    assert search(open_index(tmp_path / "ix"), "کارگر").total == 13


@pytest.fixture
def tiny_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


@pytest.mark.slow
def test_disk_full_keeps_the_old_index_and_leaves_nothing(tmp_path, tiny_disk, parallel_corpus):
    index = tiny_disk / "ix"
    build_index(CORPUS, index)
    before = answers(index)
    for _ in range(2):  # every try cleans up after itself
        result = run("indexer.py", "--corpus", str(parallel_corpus), "--index", str(index), "--allow-removal")
        assert result.returncode == 7, result.stderr
        assert "no space left" in result.stderr.lower() and "report" not in result.stderr
        one_line_error(result)
        assert answers(index) == before
        assert sorted(p.name for p in index.iterdir() if not p.name.startswith("gen-")) == [".lock", "CURRENT"]
        assert len(list(index.glob("gen-*"))) == 1


@pytest.mark.parametrize("script", ["indexer.py", "search.py"])
@pytest.mark.parametrize("output", ["closed", "full"])
def test_output_that_cannot_be_written(tmp_path, index_dir, script, output):
    args = ["--corpus", str(CORPUS), "--index", str(tmp_path / "ix")] if script == "indexer.py" else \
        ["کارگر", "--index", str(index_dir)]
    redirect = ">&-" if output == "closed" else ">/dev/full"
    result = subprocess.run(["sh", "-c", f'exec "$@" {redirect}', "sh", sys.executable, script, *args],
                            cwd=ROOT, capture_output=False, stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 8, result.stderr
    assert result.stderr.startswith("Error: cannot write to standard output")
    one_line_error(result)


# --- symlinks, line breaks, names, ties, deletions, generations ---------------------------

def test_links_out_of_the_corpus_are_skipped(tmp_path):
    corpus = article_corpus(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("گذرواژه محرمانه مدیر سامانه.\n", "utf-8")
    (corpus / "secret.txt").symlink_to(secret)
    (corpus / "hostname.txt").symlink_to("/etc/hostname")
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")  # stays inside: indexed
    result = run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.returncode == 6, result.stderr
    assert "secret.txt" in result.stderr and "hostname.txt" in result.stderr and "outside" in result.stderr
    ix = open_index(tmp_path / "ix")
    assert search(ix, "محرمانه").total == 0
    assert set(ix.meta["catalog"]) == {"a.txt", "inside.txt"}


def test_unicode_line_breaks_separate_paragraphs(tmp_path):
    from fasearch.corpus.article import read_article

    text = "عنوان مقاله\n\nجمله نخست.\u2029جمله دوم.\u2028جمله سوم.\x0bجمله چهارم.\x85جمله پنجم.\n"
    (tmp_path / "a.txt").write_text(text, "utf-8")
    paragraphs = [p for _, p in read_article(tmp_path / "a.txt").paragraphs]
    assert paragraphs == ["جمله نخست.", "جمله دوم.", "جمله سوم.", "جمله چهارم.", "جمله پنجم."]


def test_a_newline_in_a_file_name_is_shown_escaped(tmp_path):
    result = index_corpus(tmp_path, {"bad\nname.txt": "کارگران نفت اعتصاب کردند.".encode("cp1256")})
    assert result.returncode == 4
    one_line_error(result)
    assert "bad\\nname.txt" in result.stderr
    assert "iconv -f WINDOWS-1256 -t UTF-8 " in result.stderr and ".tmp && mv " in result.stderr


@pytest.mark.slow
def test_the_encoding_hint_converts_the_file(tmp_path):
    corpus = article_corpus(tmp_path)
    (corpus / "old file.txt").write_bytes("کارگران پالايشگاه آبادان اعتصاب کردند.".encode("cp1256"))
    result = run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.returncode == 6 and "old file.txt" in result.stderr
    assert search(open_index(tmp_path / "ix"), "کارگر").total == 13  # the others are indexed
    searched = run("search.py", "کارگر", "--index", str(tmp_path / "ix"))
    assert searched.returncode == 0 and searched.stderr == ""  # not "the corpus changed": it was named
    command = result.stderr.split("convert it: ")[1].splitlines()[0]
    assert subprocess.run(command, shell=True, cwd=ROOT).returncode == 0
    assert run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix")).returncode == 0
    assert search(open_index(tmp_path / "ix"), "پالایشگاه").total == 1


def test_an_error_does_not_echo_a_huge_query(index_dir):
    result = run("search.py", "--json", "-", "--index", str(index_dir), stdin="ک" * 1_000_000 + "\n")
    error = json.loads(result.stdout)
    assert "error" in error and len(error["query"]) <= 100


@pytest.mark.slow
def test_equal_scores_are_ordered_by_article_and_paragraph(tmp_path):
    """Which of many equal hits come first must not depend on the build's document order."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(31):  # every paragraph ties 32 ways: more than the rescored window of 30
        shutil.copy(ARTICLE, corpus / f"b{i:02}.txt")
    build_index(corpus, tmp_path / "ix")
    shutil.copy(ARTICLE, corpus / "a.txt")  # the same text, added later: later documents
    build_index(corpus, tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    for query in ("کارگر", "هفت تپه", "كارگران نفت"):
        hits = search(ix, query, limit=20).hits
        for first, second in zip(hits, hits[1:]):
            assert first.score > second.score or (first.article, first.paragraph) < (second.article, second.paragraph)
        assert hits[0].article == "a"


def test_the_previous_generation_survives_a_kill_before_the_switch(tmp_path):
    """A build killed after renaming its generation but before switching CURRENT."""
    index = tmp_path / "ix"
    build_index(CORPUS, index)
    real = current_generation(index)
    shutil.copytree(real, index / f"gen-{time.time_ns()}")  # complete, newer, never switched to
    ix = open_index(index)  # a search that opened the real one
    build_index(CORPUS, index, rebuild=True)
    assert real.is_dir(), "the generation CURRENT named was deleted"
    assert search(ix, "کارگر").total == 13


# --- the corpus an index was built from ----------------------------------------------

def test_the_indexer_updates_from_the_folder_the_index_was_built_from(tmp_path):
    """Issue 20: `indexer.py --index IX`, as the stale-corpus note said before, once
    replaced an index of another folder with corpus/; it now updates from its own."""
    other = article_copies(tmp_path / "other", 3)
    index = tmp_path / "ix"
    assert run("indexer.py", "--quiet", "--corpus", str(other), "--index", str(index)).returncode == 0
    (other / "part01.txt").write_text("عنوان\n\nآموزگاران اعتصاب کردند.\n", "utf-8")
    result = run("indexer.py", "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert "(1 changed file; 1 paragraph analysed)" in result.stdout
    ix = open_index(index)
    assert sorted(ix.meta["files"]) == ["part00.txt", "part01.txt", "part02.txt"]
    assert search(ix, "آموزگاران").total == 1


def test_a_build_that_would_remove_most_articles_refuses(tmp_path):
    other = article_copies(tmp_path / "other", 4)
    index = tmp_path / "ix"
    build_index(other, index)
    before = answers(index)
    elsewhere = article_corpus(tmp_path)  # one article, none of the four
    result = run("indexer.py", "--corpus", str(elsewhere), "--index", str(index))
    assert result.returncode == 4
    assert result.stderr == (
        f"Error: {elsewhere} holds 0 of the 4 articles of the index in {index} (it was built from {other}): "
        f"indexing it would remove 4; nothing was changed; if that is what you want, run: .venv/bin/python "
        f"indexer.py --index {index} --corpus {elsewhere} --allow-removal\n")
    assert answers(index) == before and len(list(index.glob("gen-*"))) == 1
    for name in ("part00.txt", "part01.txt"):  # two of four: half may go
        (other / name).unlink()
    assert build_index(other, index).removed == ["part00.txt", "part01.txt"]
    confirmed = run("indexer.py", "--quiet", "--corpus", str(elsewhere), "--index", str(index), "--allow-removal")
    assert confirmed.returncode == 0, confirmed.stderr
    assert sorted(open_index(index).meta["files"]) == ["a.txt"]


def test_a_record_that_fails_validation_still_names_its_corpus_in_the_hint(tmp_path):
    """meta.json valid JSON but not a valid record: the hint reads the corpus from it anyway."""
    other = article_copies(tmp_path / "other", 1)
    index = tmp_path / "ix"
    build_index(other, index)
    meta_path = current_generation(index) / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta_path.write_text(json.dumps({**meta, "engine": None, "sizes": None}), "utf-8")
    result = run("search.py", "کارگر", "--index", str(index))
    assert result.returncode == 3
    assert result.stderr.endswith(f"indexer.py --index {index} --corpus {other}\n"), result.stderr


# --- bounded work ---------------------------------------------------------------------

def test_a_file_over_the_size_limit_is_skipped_and_named(tmp_path):
    corpus = article_corpus(tmp_path)
    (corpus / "huge.txt").write_bytes(("کارگران نفت اعتصاب کردند. " * 60_000).encode("utf-8"))  # 2.7 MB
    result = run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--max-file-mb", "2")
    assert result.returncode == 6, result.stderr
    assert result.stderr == (f"warning: skipped {corpus / 'huge.txt'}: 2.7 MB, over the limit of 2 MB for one "
                             "file (--max-file-mb)\n")
    assert sorted(open_index(tmp_path / "ix").meta["files"]) == ["a.txt"]
    refused = run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--max-file-mb", "0")
    assert refused.returncode == 2 and refused.stderr == "Error: --max-file-mb must be more than 0, not 0\n"


def test_one_endless_line_is_cut_into_paragraphs_at_sentence_ends(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sentences = [f"کارگران کارخانه {i} اعتصاب کردند." for i in range(3000)]  # 103,889 characters
    (corpus / "line.txt").write_text("عنوان\n\n" + " ".join(sentences) + "\n", "utf-8")
    report = build_index(corpus, tmp_path / "ix")
    assert report.paragraphs == 6 and report.warnings == [
        f"{corpus / 'line.txt'}: paragraphs over 20,000 characters were cut at sentence ends (5 more paragraphs)"]
    ix = open_index(tmp_path / "ix")
    texts = [d["text"] for d in ix.engine.documents("line.txt")]
    assert all(len(t) <= 20_000 and t.endswith(".") for t in texts)
    assert " ".join(texts) == " ".join(sentences)  # nothing lost, nothing added
    assert search(ix, '"کارخانه 2999"').hits[0].paragraph == 6
