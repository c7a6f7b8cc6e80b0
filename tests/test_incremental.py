"""Many articles: incremental updates, article filters and the article list."""

import json
import shutil

import pytest

import indexer
import search as search_cli
from conftest import ARTICLE, article_corpus
from fasearch.index import open_index
from fasearch.indexing import build_index
from fasearch.searching.search import search

EXTRA = "---\ntitle: اعتصاب معلمان\nauthor: نویسنده دیگر\npart: قسمت اول\n---\n\n## معلمان\n\nآموزگاران در سراسر کشور اعتصاب کردند.\n"  # noqa: E501


def hits(index, query, **options):
    return sorted((h.article, h.paragraph) for h in search(open_index(index), query, limit=200, **options).hits)


def test_only_changed_files_are_analysed(tmp_path, engine):
    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / "a.txt")
    shutil.copy(ARTICLE, corpus / "b.txt")
    first = build_index(corpus, index, engine=engine)
    assert (first.added, first.analysed) == (["a.txt", "b.txt"], 26)

    again = build_index(corpus, index)
    assert again.generation is None and again.paragraphs == 26  # nothing to do

    (corpus / "c.md").write_text(EXTRA, "utf-8")
    (corpus / "b.txt").write_text("عنوان\n\nکارگران نفت در این متن نوشته‌شده اعتصاب کردند ژیمناستیک.\n", "utf-8")
    update = build_index(corpus, index)
    assert (update.added, update.changed, update.removed, update.analysed) == (["c.md"], ["b.txt"], [], 2)
    assert hits(index, "آموزگاران اعتصاب") == [("c", 1)]
    assert hits(index, "ژیمناستیک") == [("b", 1)]
    assert len(hits(index, "کارگر")) == 14  # a: 13, b: its one new paragraph

    (corpus / "a.txt").unlink()
    removal = build_index(corpus, index)
    assert removal.removed == ["a.txt"] and removal.analysed == 0
    assert hits(index, "کارگر") == [("b", 1)]

    # A full rebuild gives the same answers as the updates did.
    rebuilt = tmp_path / "rebuilt"
    build_index(corpus, rebuilt, rebuild=True, engine=engine)
    assert json.loads(next(index.glob("gen-*/meta.json")).read_text())["engine"] == engine  # kept by updates
    for query in ("کارگر", "آموزگاران", "اعتصاب", "نفت"):
        assert hits(index, query) == hits(rebuilt, query)


def test_indexer_summary(tmp_path, capsys):
    corpus = article_corpus(tmp_path)
    args = ["--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    indexer.main(args)
    assert capsys.readouterr().out.endswith("(1 added file; 13 paragraphs analysed)\n")
    indexer.main(args)
    assert capsys.readouterr().out.startswith(f"{tmp_path}/ix/ is up to date: 1 article, 13 paragraphs")
    indexer.main(args + ["--rebuild"])
    assert "(1 added file; 13 paragraphs analysed)" in capsys.readouterr().out


def test_every_hit_names_its_article(tmp_path, engine):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / "karimi.txt")
    (corpus / "teachers.md").write_text(EXTRA, "utf-8")
    build_index(corpus, tmp_path / "ix", engine=engine)
    ix = open_index(tmp_path / "ix")
    hit = search(ix, "آموزگاران سراسر").hits[0]
    assert (hit.title, hit.author, hit.part, hit.section) == ("اعتصاب معلمان", "نویسنده دیگر", "قسمت اول", "معلمان")
    assert {h.article for h in search(ix, "اعتصاب", limit=50).hits} == {"karimi", "teachers"}
    assert {h.article for h in search(ix, "اعتصاب", limit=50, article="معلمان").hits} == {"teachers"}
    assert {h.article for h in search(ix, "اعتصاب", limit=50, article="karimi").hits} == {"karimi"}
    assert "no article" in search(ix, "اعتصاب", article="ورزش").notice


def test_list(tmp_path, capsys, engine):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / "karimi.txt")
    (corpus / "teachers.md").write_text(EXTRA, "utf-8")
    build_index(corpus, tmp_path / "ix", engine=engine)
    assert search_cli.main(["--list", "--index", str(tmp_path / "ix")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "karimi.txt: حزب کمونیست کارگری و جنبش کارگری — اصغر کریمی — قسمت دوم (13 paragraphs)"
    assert out[1:3] == ["   مقدمه · 1", "   چهره های کارگری · 2"]
    assert out[-2:] == ["teachers.md: اعتصاب معلمان — نویسنده دیگر — قسمت اول (1 paragraph)", "   معلمان · 1"]
    assert search_cli.main(["--list", "--json", "--index", str(tmp_path / "ix")]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [a["file"] for a in listed] == ["karimi.txt", "teachers.md"]
    assert listed[1]["sections"] == [{"heading": "معلمان", "paragraphs": 1}]


@pytest.mark.slow
def test_large_batches_use_two_processes(tmp_path, monkeypatch):
    """Above PARALLEL_FROM paragraphs Whoosh analyses in a second process; same answers."""
    from fasearch.engines import whoosh

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(10):  # 130 paragraphs: two of Whoosh's batches of 100
        shutil.copy(ARTICLE, corpus / f"p{i}.txt")
    build_index(corpus, tmp_path / "one")
    monkeypatch.setattr(whoosh, "PARALLEL_FROM", 10)
    build_index(corpus, tmp_path / "two")
    assert len(list((tmp_path / "two").glob("gen-*/*.seg"))) == 2  # one segment per process
    for query in ("کارگر", "هفت تپه", "بینالمللی", "کارگرها"):
        assert hits(tmp_path / "one", query) == hits(tmp_path / "two", query)


def test_an_update_ranks_like_a_clean_build_once_deletions_pass_a_share(tmp_path):
    """Deleted paragraphs would stay in BM25's statistics; past 10% they are merged away."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(8):
        shutil.copy(ARTICLE, corpus / f"p{i}.txt")
    (corpus / "c.md").write_text(EXTRA, "utf-8")
    build_index(corpus, tmp_path / "ix")
    for i in range(6):  # 78 of 105 paragraphs deleted
        (corpus / f"p{i}.txt").unlink()
    build_index(corpus, tmp_path / "ix", allow_removal=True)  # 6 of 9 articles: meant
    build_index(corpus, tmp_path / "clean", rebuild=True)
    updated, clean = open_index(tmp_path / "ix"), open_index(tmp_path / "clean")
    assert updated.engine.doc_count() == 27  # deleted paragraphs counted too: none left
    for query in ("کارگر", "اعتصاب", "هفت تپه", "آموزگاران"):
        ranked = lambda ix: search(ix, query, limit=30).hits  # noqa: E731
        assert [(h.article, h.paragraph) for h in ranked(updated)] == [(h.article, h.paragraph) for h in ranked(clean)]
        # A merge sums Whoosh's one-byte per-paragraph lengths: totals within 1%, not exact.
        assert [h.score for h in ranked(updated)] == pytest.approx([h.score for h in ranked(clean)], rel=0.01)
