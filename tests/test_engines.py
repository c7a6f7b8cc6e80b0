"""The engines: the contract every registered engine keeps, and the same answers from each.

This is the shared engine suite: the tests taking the ``engine`` fixture
(conftest.py) run once per engine in :data:`fasearch.engines.ENGINES`, so a
new engine gets them by its registry line; the tests taking
``judged_indexes`` or ``article_indexes`` compare every engine with the
others on the same trees.  The rest check the Whoosh engine's numpy scorer
against Whoosh's own matchers (tests/whoosh_reference.py), and tantivy's
builds.
"""

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh_reference import whoosh_query

from conftest import ARTICLE, CORPUS, ROOT, article_copies, article_corpus, current_generation, judged_corpus
from conftest import damage as damage_file
from fasearch import engines
from fasearch.errors import IndexReadError
from fasearch.evaluation import load_judgments, paragraph_id, score
from fasearch.index import open_index
from fasearch.indexing import build_index
from fasearch.query.tree import NOTHING, And, AndMaybe, AndNot, AtLeast, Filter, Or, Phrase, Prefix, Term, leaves
from fasearch.searching.search import search

DATA = ROOT / "tests" / "data"
SETS = ["keywords.json", "questions.json", "relevance.json"]


def judged_queries():
    return sorted({j.query for name in SETS for j in load_judgments(DATA / name)})


@pytest.mark.slow
def test_totals_are_identical_on_every_judged_query(judged_indexes):
    """Both engines match the same paragraphs: the query tree is translated clause for clause."""
    queries = judged_queries()
    assert len(queries) > 200
    totals = {name: [search(ix, q, limit=10).total for q in queries] for name, ix in judged_indexes.items()}
    differ = [(q, a, b) for q, a, b in zip(queries, totals["whoosh"], totals["tantivy"]) if a != b]
    assert differ == []
    assert sum(totals["whoosh"]) > 1000  # not all zero


@pytest.mark.parametrize("name", ["keywords.json", "questions.json"])
@pytest.mark.slow
def test_judged_sets_rank_alike(judged_indexes, name):
    judged = load_judgments(DATA / name)
    ndcg = {}
    for engine, ix in judged_indexes.items():
        run = lambda q, ix=ix: [paragraph_id(h.article, h.paragraph) for h in search(ix, q, limit=10).hits]
        ndcg[engine] = score(run, judged)[0].ndcg
    assert abs(ndcg["whoosh"] - ndcg["tantivy"]) <= 0.01, ndcg


def test_filters_facets_and_suggestions_alike(judged_indexes):
    whoosh, tantivy = judged_indexes["whoosh"], judged_indexes["tantivy"]
    for query, options in [("کارگر", {"section": "خانواده"}), ("کوه", {"article": "البرز"}),
                           ("کارگران", {"facet_depth": 1000}), ("کمونیزم", {}), ("اعتصاب -نفت", {}),
                           ('"هفت تپه" -نفت', {}), ("کارگ*", {}), ("13*", {}), ("+کارگر نفت", {}),
                           ("دماوند البرز", {})]:
        a, b = search(whoosh, query, **options), search(tantivy, query, **options)
        assert (a.total, a.suggestion, sorted(a.facets)) == (b.total, b.suggestion, sorted(b.facets)), query
        assert a.total > 0, query


@pytest.fixture(scope="module")
def article_indexes(tmp_path_factory):
    """The article in corpus/, indexed by every registered engine: {engine: index}."""
    out = {}
    for name in engines.NAMES:
        folder = tmp_path_factory.mktemp(f"article-{name}")
        build_index(CORPUS, folder, engine=name)
        out[name] = open_index(folder)
    return out


def _trees():
    """A tree of each kind of node, alone and nested, on words the article holds and lacks."""
    workers, oil, strike = Term("fold", "کارگران"), Term("fold", "نفت", boost=2.0), Term("lemma", "اعتصاب")
    phrase = Phrase("fold", ("طبقه", "کارگر"), boost=2.0)
    section = Or([Term("section_key", k) for k in ("کارگران", "آیا کارگران پراکنده اند")])
    return [
        workers, oil, strike, Term("fold", "zqxabsent"), Term("heading_lemma", "کارگر", boost=0.5),
        phrase, Phrase("fold", ("کارگران",)), Phrase("fold", ("طبقه", "zqxabsent")),
        Prefix("fold", "کارگر", boost=2.0), Prefix("heading_fold", "کار"), Prefix("fold", "zqx"),
        And([workers, oil]), And([workers]), And([]), Or([workers, oil, phrase]), Or([]),
        AtLeast([workers, oil, strike], 1), AtLeast([workers, oil, strike], 2, boost=3.0),
        AtLeast([workers, oil, strike], 3), AtLeast([workers, Term("fold", "zqxabsent")], 2),
        AndNot(workers, oil), AndNot(workers, Term("fold", "zqxabsent")), AndMaybe(oil, phrase),
        Filter(workers, section), Filter(Or([oil, strike]), Term("file", ARTICLE.name)), NOTHING,
        AndNot(AtLeast([workers, oil, Prefix("fold", "اعتصاب")], 2), Or([phrase, Term("lemma", "ایران")])),
    ]


def test_every_engine_matches_the_same_paragraphs_for_the_same_tree(article_indexes):
    """Each engine translates the tree itself: the same counts for every node, alone and under a filter."""
    by_article = Term("file", ARTICLE.name)
    found = 0
    for q in _trees():
        counts = {name: ix.engine.top(q, 5)[0] for name, ix in article_indexes.items()}
        filtered = {name: ix.engine.top(q, 5, by_article)[0] for name, ix in article_indexes.items()}
        assert len(set(counts.values())) == 1 and counts == filtered, (q, counts, filtered)
        found += counts[engines.DEFAULT] > 0
    assert found > 15


def test_the_registry_finds_every_engine():
    """One line of ENGINES per engine: its module has open() and writer(), and is the one imported."""
    assert engines.NAMES == engines.names() == tuple(engines.ENGINES) and engines.DEFAULT in engines.NAMES
    for name, registered in engines.ENGINES.items():
        module = engines.module(name)
        assert module.__name__ == registered.module and callable(module.open) and callable(module.writer)
    with pytest.raises(ValueError, match="lucene"):
        engines.module("lucene")


def _reads(engine) -> None:
    """Every read of the Engine contract, as searching makes them."""
    from fasearch.query.parsing import parse
    from fasearch.query.planning import build

    engine.doc_count()
    engine.doc_frequency("fold", "کارگران")
    engine.field_length("fold")
    list(engine.expand_prefix("fold", "کار"))
    engine.lexicon("section_key")
    for query in ("کارگران نفت هفت تپه", '"طبقه کارگر" -ایران', "کار*"):
        _, hits, _ = engine.top(build(parse(query), engine), 10)
    engine.documents(ARTICLE.name)


@pytest.mark.parametrize("damage", ["garbage", "middle", "head", "truncate", "delete"])
def test_a_damaged_file_is_one_read_error(tmp_path, engine, damage):
    """Whatever an engine's library raises on a damaged file of its own, the
    engine raises IndexReadError, on opening or on any read (anything else
    fails this test).  Sizes are kept by garbage, middle and head (its first
    64 bytes garbled: tantivy panics on some): what gets past the store's
    size check."""
    build_index(CORPUS, tmp_path / "ix", engine=engine)
    generation = current_generation(tmp_path / "ix")
    own = sorted(p.relative_to(generation) for p in generation.rglob("*") if p.is_file())
    own = [name for name in own if name.as_posix() not in ("meta.json", "lemmas.sqlite")]  # the store's
    assert own
    unreadable = 0
    for name in own:
        copy = tmp_path / f"copy-{name.as_posix().replace('/', '-')}"
        shutil.copytree(generation, copy)
        if damage == "head":
            data = bytearray((copy / name).read_bytes())
            data[:64] = random.Random(1).randbytes(min(64, len(data)))
            (copy / name).write_bytes(bytes(data))
        elif (copy / name).stat().st_size:
            damage_file(copy / name, damage)
        try:
            opened = engines.open_engine(engine, copy)
            try:
                _reads(opened)
            finally:
                opened.close()
        except IndexReadError as error:
            unreadable += 1
            assert error.__cause__ is not None and str(error) == type(error.__cause__).__name__
        shutil.rmtree(copy)
    assert unreadable, own  # the engine noticed some damage


def test_a_garbled_whoosh_table_of_contents_is_one_read_error(tmp_path):
    """Whoosh unpickles its table of contents when an index opens: garbled
    bytes there make pickle build objects of the wrong type, and Whoosh then
    fails with TypeError or AttributeError.  There only, those are damage too."""
    build_index(CORPUS, tmp_path / "ix", engine="whoosh")
    generation = current_generation(tmp_path / "ix")
    causes = set()
    for seed in range(60):
        copy = tmp_path / f"copy{seed}"
        shutil.copytree(generation, copy)
        toc = next(copy.glob("*.toc"))
        data = bytearray(toc.read_bytes())
        data[len(data) // 2:len(data) // 2 + 8] = random.Random(seed).randbytes(8)
        toc.write_bytes(bytes(data))
        with pytest.raises(IndexReadError) as info:
            engines.open_engine("whoosh", copy)
        causes.add(type(info.value.__cause__))
        shutil.rmtree(copy)
    assert {TypeError, AttributeError} <= causes, causes


class _Failing:
    """Stands for a library object: every method raises ``error``."""

    def __init__(self, error: BaseException):
        self.error = error

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise self.error
        return fail


# Where each engine calls its library inside top(): a new engine adds its line.
def _fail_library(monkeypatch, ix, error: BaseException) -> None:
    """Make the engine library's reads during a search raise ``error``."""
    if ix.meta["engine"] == "whoosh":  # the segments the scorer reads postings from
        monkeypatch.setattr(ix.engine.scorer, "leaves", [(_Failing(error), 0)])
    else:
        monkeypatch.setattr(ix.engine, "searcher", _Failing(error))


@pytest.mark.parametrize("error, raised", [(TypeError("a bug"), TypeError), (AttributeError("a bug"), AttributeError),
                                           (ValueError("damaged"), IndexReadError),
                                           (OSError(5, "EIO"), IndexReadError)])
def test_only_damage_becomes_a_read_error(make_index, monkeypatch, error, raised):
    """An exception raised inside an engine's search that is not damage (a
    TypeError from a bug) propagates as it is; damage becomes IndexReadError."""
    from fasearch.query.parsing import parse
    from fasearch.query.planning import build

    ix = make_index({"a.txt": "عنوان\n\nکارگران نفت اعتصاب کردند.\n"})
    engine = ix.engine
    q = build(parse("کارگران نفت"), engine)
    assert engine.top(q, 5)[0] == 1
    _fail_library(monkeypatch, ix, error)
    with pytest.raises(raised) as info:
        engine.top(q, 5)
    assert (info.value is error) == (raised is not IndexReadError)


@pytest.mark.parametrize("error", [ValueError("a bug"), IndexError("a bug"), KeyError("a bug")])
def test_a_bug_in_the_whoosh_scorer_is_not_damage(make_index, monkeypatch, error):
    """The numpy scorer's own code raising what Whoosh raises on damaged files
    (ValueError, IndexError, KeyError) is a bug: it propagates, exit 70."""
    from fasearch.engines.postings import PostingsScorer
    from fasearch.query.parsing import parse
    from fasearch.query.planning import build

    ix = make_index({"a.txt": "عنوان\n\nکارگران نفت اعتصاب کردند.\n"})
    if ix.meta["engine"] != "whoosh":
        pytest.skip("the numpy scorer is the Whoosh engine's")
    q = build(parse("کارگران نفت"), ix.engine)

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(PostingsScorer, "_at_least", broken)
    with pytest.raises(type(error)) as info:
        ix.engine.top(q, 5)
    assert info.value is error


def _count(ix, query):
    return ix.engine.top(query, 5)[0]


def test_at_least_translates_to_minimum_should_match(judged_indexes):
    """AtLeast(m) of three words: tantivy's minimum_should_match, the same paragraphs as fasearch's matcher."""
    words = [Term("fold", w) for w in ("کارگران", "نفت", "اعتصاب")]
    for m in (1, 2, 3):
        counts = {name: _count(ix, AtLeast(words, m)) for name, ix in judged_indexes.items()}
        assert counts["whoosh"] == counts["tantivy"] > 0, (m, counts)
    one, two, three = (_count(judged_indexes["tantivy"], AtLeast(words, m)) for m in (1, 2, 3))
    assert one > two > three


def test_phrase_keeps_the_gaps_of_folded_away_tokens(make_index, engine):
    """A token that folds to nothing (a lone tatweel) leaves a gap, as in Whoosh: no phrase across it."""
    ix = make_index({"a.txt": "عنوان\n\nکارگران ـ نفت اعتصاب کردند.\n\nکارگران نفت آمدند.\n"})
    assert [h.paragraph for h in search(ix, '"کارگران نفت"').hits] == [2]


def test_lemma_field_keeps_no_positions(index, engine):
    """No query asks the lemma field for a phrase: it holds frequencies only
    (a smaller index), while fold keeps the positions phrases need."""
    searcher = index.searcher()
    if engine == "whoosh":
        assert searcher.reader.postings("fold", "کارگران").supports("positions")
        assert not searcher.reader.postings("lemma", "کارگر").supports("positions")
        assert searcher.reader.postings("lemma", "کارگر").weight() > 0  # frequencies kept, for BM25
    else:
        import tantivy
        phrase = tantivy.Query.phrase_query(searcher.schema, "fold", ["کارگران", "نفت"])
        assert searcher.searcher.search(phrase, 1, count=True).count > 0
        with pytest.raises(ValueError, match="position"):
            searcher.searcher.search(tantivy.Query.phrase_query(searcher.schema, "lemma", ["کارگر", "نفت"]), 1)


def test_whoosh_reads_its_segments_in_place(tmp_path):
    """Opening and searching a Whoosh index allocates far less than its
    segments' size (Whoosh's own storage copies every file of a compound
    segment into memory), and closing it unmaps them."""
    import tracemalloc

    build_index(ROOT / "corpus", tmp_path, engine="whoosh")
    generation = next(tmp_path.glob("gen-*"))
    segments = sum(p.stat().st_size for p in generation.glob("*.seg"))
    tracemalloc.start()
    try:
        engine = engines.open_engine("whoosh", generation)
        total, hits, _ = engine.top(Or([Term("fold", "کارگران"), Term("lemma", "کارگر")]), 10)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert total > 10 and len(hits) == 10 and hits[0][1]["text"]
    assert peak < segments / 2, (peak, segments)
    engine.close()
    maps = Path("/proc/self/maps")
    if maps.exists():
        assert str(generation) not in maps.read_text()


def test_build_tokenizes_each_paragraph_once_per_mode(tmp_path, engine):
    """The fields of a paragraph share one tokenization (analysis.pieces_of's
    cache): the indexer's own calls must use the analyzers' cache keys."""
    from fasearch.corpus.article import read_article
    from fasearch.text.analysis import pieces_of

    article = read_article(ARTICLE)
    before = pieces_of.cache_info().misses
    build_index(ROOT / "corpus", tmp_path, engine=engine)  # a small build: one process
    misses = pieces_of.cache_info().misses - before
    # Split at ZWNJ and whole: two per paragraph, and the headings.
    assert misses <= 2 * len(article.paragraphs) + 2 * len(article.sections), misses


def test_a_node_outside_the_tree_is_refused(index):
    """An engine translates the nodes of fasearch.query.tree, and refuses anything else."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Every:
        boost: float = 1.0

    with pytest.raises(TypeError, match="Every"):
        index.engine.top(Or([Term("fold", "کارگران"), Every()]), 5)


@pytest.mark.slow
def test_indexer_engine_flag_is_recorded_and_kept(tmp_path):
    corpus = article_corpus(tmp_path)
    run = lambda *args: subprocess.run([sys.executable, "indexer.py", "--corpus", str(corpus), "--index",
                                        str(tmp_path / "ix"), *args], cwd=ROOT, capture_output=True, text=True)
    meta = lambda: json.loads((current_generation(tmp_path / "ix") / "meta.json").read_text("utf-8"))
    assert run("--engine", "tantivy").returncode == 0 and meta()["engine"] == "tantivy"
    (corpus / "b.txt").write_text("عنوان\n\nآموزگاران اعتصاب کردند.\n", "utf-8")
    assert run().returncode == 0 and meta()["engine"] == "tantivy"  # an update keeps the engine
    searched = subprocess.run([sys.executable, "search.py", "--index", str(tmp_path / "ix"), "آموزگاران"],
                              cwd=ROOT, capture_output=True, text=True)
    assert searched.returncode == 0 and "1 paragraph" in searched.stdout
    switched = run("--engine", "whoosh")
    assert switched.returncode == 0 and "14 paragraphs analysed" in switched.stdout and meta()["engine"] == "whoosh"
    bad = run("--engine", "lucene")
    assert bad.returncode == 2 and bad.stderr.startswith("Error") and "Traceback" not in bad.stderr


@pytest.mark.parametrize("damage, suffix", [("truncate", ".idx"), ("truncate", ".store"), ("garbage", ".idx"),
                                           ("garbage", ".store"), ("garbage", ".term"), ("delete", ".pos"),
                                           ("meta", ".idx")])
def test_damaged_tantivy_index_is_a_clear_error(tmp_path, damage, suffix):
    corpus = article_corpus(tmp_path)
    assert subprocess.run([sys.executable, "indexer.py", "--engine", "tantivy", "--corpus", str(corpus),
                           "--index", str(tmp_path / "ix")], cwd=ROOT).returncode == 0
    folder = current_generation(tmp_path / "ix") / "tantivy"
    target = next(folder.glob(f"*{suffix}"))
    if damage != "meta":
        damage_file(target, damage)
    else:
        (folder / "meta.json").write_text("{")
    result = subprocess.run([sys.executable, "search.py", "کارگر", "--index", str(tmp_path / "ix")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 3 and "rebuild" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_whoosh_engine_drops_phrases_the_index_lacks_and_keeps_every_match(judged_indexes, monkeypatch):
    """A phrase with a word the index lacks is dropped before Whoosh builds a
    matcher for it (the tree is not pruned first): the same paragraphs and
    scores as when every phrase goes to Whoosh."""
    import numpy as np

    from fasearch.engines.postings import PostingsScorer
    from fasearch.query.parsing import parse
    from fasearch.query.planning import build

    engine = judged_indexes["whoosh"].engine
    scorer = engine.scorer
    lacking = 0
    trees = []
    for query in judged_queries():
        q = build(parse(query), engine)
        trees.append(q)
        lacking += any(isinstance(leaf, (Term, Phrase)) and not all(
            engine.doc_frequency(leaf.field, w) for w in (leaf.words if isinstance(leaf, Phrase) else [leaf.text]))
            for leaf in leaves(q))
    assert lacking > 100  # most queries name spellings the index lacks
    dropping = [scorer.match(q) for q in trees]
    monkeypatch.setattr(PostingsScorer, "holds", lambda self, field, words: True)
    for q, found, every in zip(trees, dropping, [scorer.match(q) for q in trees], strict=True):
        assert (found is None) == (every is None), q
        if found is not None:
            assert np.array_equal(found.mask, every.mask) and np.array_equal(found.scores, every.scores), q


def test_indexer_suggests_tantivy_for_a_large_whoosh_index(tmp_path, capsys, monkeypatch):
    import dataclasses

    from fasearch.serve import index_command as indexer  # indexer.py's main

    slow_from = lambda n: monkeypatch.setitem(engines.ENGINES, "whoosh",  # noqa: E731
                                              dataclasses.replace(engines.ENGINES["whoosh"], slow_from=n))
    corpus = article_corpus(tmp_path)
    slow_from(13)  # the article's paragraphs
    for engine, noted in (("whoosh", True), ("tantivy", False)):
        assert indexer.main(["--corpus", str(corpus), "--index", str(tmp_path / engine), "--engine", engine]) == 0
        err = capsys.readouterr().err
        assert ("--engine tantivy" in err) == noted, (engine, err)
    slow_from(14)
    assert indexer.main(["--corpus", str(corpus), "--index", str(tmp_path / "small"), "--engine", "whoosh"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.slow
def test_equal_scores_come_in_corpus_order_in_every_build(tmp_path):
    """Copies of one article tie on every query: tantivy keeps the first copies in the corpus
    (the order paragraphs were added in), the same in every build."""
    corpus = article_copies(tmp_path / "corpus", 20)
    orders = []
    for n in range(2):
        build_index(corpus, tmp_path / f"ix{n}", engine="tantivy")
        ix = open_index(tmp_path / f"ix{n}")
        orders.append([[(h.article, h.paragraph) for h in search(ix, q, limit=20).hits]
                       for q in ("کارگر", "هفت تپه", "اعتصاب")])
    assert orders[0] == orders[1]
    for hits in orders[0]:
        copies: dict[int, list[str]] = {}
        for article, paragraph in hits:
            copies.setdefault(paragraph, []).append(article)
        assert all(found == [f"part{i:02}" for i in range(len(found))] for found in copies.values()), hits


def _whoosh_matches(searcher, q) -> dict[int, float]:
    """{document number: score} of every paragraph Whoosh's own matchers find for the tree ``q``."""
    out = {}
    wq = whoosh_query(q)
    for sub, offset in searcher.leaf_searchers():
        m = wq.matcher(sub, searcher.context())
        while m.is_active():
            out[offset + m.id()] = m.score()
            m.next()
    return out


def _assert_scored_alike(engine, q, within=None) -> int:
    """The postings scorer matches what Whoosh matches, with Whoosh's scores;
    with a filter query ``within``, ``q`` kept to the paragraphs it matches,
    which add nothing to the score.  Returns the count."""
    import numpy as np

    expected = _whoosh_matches(engine.searcher, q)
    if within is not None:
        allowed = _whoosh_matches(engine.searcher, within)
        expected = {d: s for d, s in expected.items() if d in allowed}
        q = Filter(q, within)  # as WhooshEngine.top joins a filter
    found = engine.scorer.match(q)
    if found is None:
        assert expected == {}, q
        return 0
    ids = np.flatnonzero(found.mask & engine.scorer.alive)
    assert sorted(expected) == ids.tolist(), q
    ours = found.scores[ids]
    theirs = np.array([expected[i] for i in ids.tolist()])
    assert np.allclose(ours, theirs, rtol=1e-12, atol=0), q  # only the order of additions differs
    return len(ids)


@pytest.mark.slow
def test_whoosh_engine_scores_every_posting_as_whoosh_does(judged_indexes):
    """fasearch.engines.postings against Whoosh's own matchers, on every
    judged query as the search asks it: all its words, any word, a section
    filter, an excluded word."""
    from fasearch.query.parsing import parse
    from fasearch.query.planning import build
    from fasearch.searching.search import _section_filter

    engine = judged_indexes["whoosh"].engine
    by_section = _section_filter(engine, "کارگر")
    found = 0
    for query in judged_queries():
        parsed = parse(query)
        trees = (build(parsed, engine), build(parsed, engine, any_words=True), build(parse(query + " -ایران"), engine))
        for q in trees:
            found += _assert_scored_alike(engine, q) > 0
        _assert_scored_alike(engine, build(parsed, engine), within=by_section)
    assert found > 2 * len(judged_queries())  # most of them find paragraphs


@pytest.mark.slow
def test_whoosh_engine_skips_deleted_paragraphs(tmp_path):
    """After an update, the replaced paragraphs stay in Whoosh's segments,
    deleted: neither counted nor returned, over several segments."""
    corpus = article_copies(tmp_path / "corpus", 12)
    build_index(corpus, tmp_path / "index")
    changed = corpus / "part03.txt"
    changed.write_text(changed.read_text("utf-8").replace("کارگران", "zqxupdate کارگران"), "utf-8")
    build_index(corpus, tmp_path / "index")
    ix = open_index(tmp_path / "index")
    scorer = ix.engine.scorer
    assert len(scorer.leaves) > 1 and scorer.alive.sum() < scorer.n  # the old part03 is there, deleted
    from fasearch.query.parsing import parse
    from fasearch.query.planning import build

    for query in ("کارگران", "zqxupdate", "کارگران نفت هفت تپه", '"طبقه کارگر"'):
        assert _assert_scored_alike(ix.engine, build(parse(query), ix.engine)), query
    everywhere = search(ix, "کارگران", limit=200)
    assert everywhere.total == len(everywhere.hits) == len({(h.article, h.paragraph) for h in everywhere.hits})
    assert everywhere.total == sum(1 for h in search(open_index(tmp_path / "index"), "کارگران", limit=200).hits)
    new = search(ix, "zqxupdate", limit=200)
    assert {hit.article for hit in new.hits} == {"part03"} and new.total == len(new.hits)


def test_whoosh_engine_ignores_the_boost_of_a_compound_of_one_query(judged_indexes):
    """Whoosh's CompoundQuery.matcher returns a lone subquery's own matcher:
    the compound's boost is dropped (with two subqueries it is applied)."""
    engine = judged_indexes["whoosh"].engine
    word = Term("fold", "کارگران", boost=1.5)
    for compound in (And, Or, lambda subs, boost: AtLeast(subs, 1, boost=boost),
                     lambda subs, boost: AtLeast(subs, 2, boost=boost)):
        _assert_scored_alike(engine, compound([word], boost=2.0))
        _assert_scored_alike(engine, compound([word, Term("fold", "نفت")], boost=2.0))
        _assert_scored_alike(engine, And([compound([word], boost=3.0), Term("lemma", "کارگر")]))


def test_whoosh_engine_returns_more_hits_than_the_tie_cap_when_asked(segmented_index):
    """A limit above MAX_TIED (the web API allows 1000 hits, facets count up
    to 1000) gets as many hits as it asks for, as tantivy gives them."""
    from fasearch.engines.whoosh import MAX_TIED

    total, hits, _ = segmented_index.engine.top(Term("fold", "و"), MAX_TIED + 50)
    assert total > MAX_TIED + 50 and len(hits) == MAX_TIED + 50, (total, len(hits))
    scores = [score for score, _ in hits]
    assert scores == sorted(scores, reverse=True)


def test_whoosh_engine_time_budget_ends_with_its_search(judged_indexes):
    """The budget of one ``top`` does not outlive it: a later ``match`` (as
    the tests call it, seconds later) is not cut short."""
    from whoosh.collectors import TimeLimit

    scorer = judged_indexes["whoosh"].engine.scorer
    q = Term("fold", "کارگران")
    with pytest.raises(TimeLimit):
        scorer.top(q, 10, 10, budget=-1.0)  # already spent: stops at the first posting list
    assert scorer.match(q) is not None


@pytest.fixture(scope="module")
def segmented_index(tmp_path_factory):
    """The judged corpus eight times over (576 paragraphs: Whoosh analyses in
    two processes, two segments), then two of its articles changed: a third
    segment, and their old paragraphs deleted in the first two."""
    judged = judged_corpus(tmp_path_factory)
    root = tmp_path_factory.mktemp("segmented")
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(8):
        for path in judged.glob("*.txt"):
            shutil.copy(path, corpus / f"{i}-{path.name}")
    build_index(corpus, root / "index", engine="whoosh")
    for name in ("0-international-campaign-for-jailed-workers.txt", f"3-{ARTICLE.name}"):
        changed = corpus / name
        changed.write_text(changed.read_text("utf-8").replace("کارگران", "کارگران zqxupdate"), "utf-8")
    build_index(corpus, root / "index")
    return open_index(root / "index")


_FIELDS = ("fold", "lemma", "heading_fold", "heading_lemma", "file", "section_key", "paragraph")
_BOOSTS = st.sampled_from([1.0, 1.0, 0.5, 2.0, 3.25])
_PICK = st.one_of(st.integers(0, 30), st.integers(0, 10**6))  # a word, commonest first, modulo their number
_LEAVES = st.one_of(
    st.tuples(st.just("term"), st.sampled_from(_FIELDS), _PICK, _BOOSTS),
    st.tuples(st.just("missing"), st.sampled_from(_FIELDS), _BOOSTS),
    st.tuples(st.just("phrase"), _PICK, _BOOSTS),
    st.tuples(st.just("prefix"), st.sampled_from(("fold", "heading_fold")), _PICK, _BOOSTS),
    st.just(("null",)),
)
_TREES = st.recursive(_LEAVES, lambda children: st.one_of(
    st.tuples(st.sampled_from(("and", "or")), st.lists(children, min_size=1, max_size=4), _BOOSTS),
    st.tuples(st.just("atleast"), st.lists(children, min_size=1, max_size=4), st.integers(1, 4), _BOOSTS),
    st.tuples(st.sampled_from(("andmaybe", "andnot", "filter")), children, children),
), max_leaves=12)


class _Vocabulary:
    """Words of each field, and runs of words of the text (phrases), of one index."""

    def __init__(self, engine):
        from fasearch.text.analysis import fold_analyzer

        reader = engine.reader
        self.words = {f: sorted((t.decode("utf-8") for t in reader.lexicon(f)),
                                key=lambda w, f=f: -reader.doc_frequency(f, w))
                      for f in _FIELDS if f != "paragraph"}
        analyzer = fold_analyzer()
        self.phrases = []
        for docnum in range(0, engine.searcher.doc_count_all(), 7):
            tokens = [t.text for t in analyzer(engine.searcher.stored_fields(docnum)["text"])]
            if len(tokens) > 3:
                start = docnum % (len(tokens) - 2)
                self.phrases.append(tokens[start:start + 2 + docnum % 2])

    def query(self, spec, skipped: bool = False):
        """The query tree of a drawn ``spec``.  ``skipped``: a parent
        matcher of Whoosh's will ``skip_to`` this node's matcher, where
        Whoosh's AndMaybeMatcher loses the optional side's score (it moves
        that side to the target, not to where the required side lands), so
        an AndNot stands in for an AndMaybe there."""
        kind, *rest = spec
        if kind == "term":
            field, pick, boost = rest
            text = pick % 60 + 1 if field == "paragraph" else self.words[field][pick % len(self.words[field])]
            return Term(field, text, boost=boost)
        if kind == "missing":
            return Term(rest[0], 7777 if rest[0] == "paragraph" else "zqxabsent", boost=rest[1])
        if kind == "phrase":
            return Phrase("fold", self.phrases[rest[0] % len(self.phrases)], boost=rest[1])
        if kind == "prefix":
            field, pick, boost = rest
            word = self.words[field][pick % len(self.words[field])]
            return Prefix(field, word[:max(1, len(word) - 2)], boost=boost)
        if kind == "null":
            return NOTHING
        if kind == "atleast":
            subs, m, boost = rest
            m = max(1, min(m, len(subs)))
            return AtLeast([self.query(s, skipped or m > 1) for s in subs], m, boost=boost)
        if kind in ("and", "or"):
            subs, boost = rest
            subs = [self.query(s, skipped or kind == "and") for s in subs]
            return (And if kind == "and" else Or)(subs, boost=boost)
        if kind == "filter":  # Whoosh's Require skips both sides to each other
            return Filter(self.query(rest[0], True), self.query(rest[1], True))
        a, b = self.query(rest[0], skipped), self.query(rest[1], kind == "andmaybe")
        return AndNot(a, b) if kind == "andnot" or skipped else AndMaybe(a, b)


@pytest.fixture(scope="module")
def vocabularies(judged_indexes, segmented_index):
    return [(ix.engine, _Vocabulary(ix.engine)) for ix in (judged_indexes["whoosh"], segmented_index)]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(spec=_TREES)
@pytest.mark.slow
def test_whoosh_engine_scores_any_query_tree_as_whoosh_does(vocabularies, spec):
    """Random trees of every node of fasearch.query.tree over the judged
    index and over an index of three segments with deleted paragraphs:
    Whoosh's matches and scores (its own matchers on the tree's Whoosh queries)."""
    for engine, vocabulary in vocabularies:
        _assert_scored_alike(engine, vocabulary.query(spec))


def test_whoosh_engine_scores_prefixes_as_whoosh_does(judged_indexes):
    """A prefix is the union of the words it starts, boosted, as in Whoosh;
    a prefix that starts one word only is that word, its boost ignored."""
    engine = judged_indexes["whoosh"].engine
    words = engine.lexicon("fold")
    alone = next(w for w in words if len(w) > 6 and len(list(engine.expand_prefix("fold", w))) == 1)
    for prefix in (alone, "کارگر", "ا"):
        for boost in (2.0, 1.0):
            q = Prefix("fold", prefix, boost=boost)
            assert _assert_scored_alike(engine, q), (prefix, boost)
