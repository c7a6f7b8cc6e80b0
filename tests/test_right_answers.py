"""Right answers as a reader meets them (issue 10, items 1-7 and whole-word snippets)."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from fasearch.searching.search import search
from fasearch.serve.output import as_dict
from fasearch.text.chars import ZWNJ
from fasearch.text.wordlists import SUFFIXES


def paragraphs(ix, query, **options):
    return [h.paragraph for h in search(ix, query, limit=50, **options).hits]


# --- 1. exclusion ---------------------------------------------------------------------

@pytest.fixture
def strikes(make_index):
    # The excluded word's first paragraph comes before the wanted word's: the
    # case Whoosh's AndNotMatcher got wrong.
    return make_index({"a.md": "# مقاله\n\n"
                       "کارگر آمد.\n\n"  # 1
                       "اعتصاب کارگر ادامه دارد.\n\n"  # 2
                       "اعتصاب كارگر ادامه دارد.\n\n"  # 3: Arabic kaf
                       "اعتصاب کارگران ادامه دارد.\n\n"  # 4: another form
                       "اعتصاب ادامه دارد.\n\n"  # 5
                       f"اعتصاب در هفت{ZWNJ}تپه ادامه دارد.\n"})  # 6


def test_excluded_word_is_excluded_in_every_spelling_and_form(strikes):
    assert set(paragraphs(strikes, "اعتصاب")) == {2, 3, 4, 5, 6}
    assert set(paragraphs(strikes, "اعتصاب -کارگر")) == {5, 6}
    assert set(paragraphs(strikes, "اعتصاب -كارگر")) == {5, 6}  # typed with Arabic kaf
    assert set(paragraphs(strikes, "اعتصاب -کارگران")) == {5, 6}  # its inflected forms too


def test_excluded_phrase_in_any_spacing(strikes):
    assert set(paragraphs(strikes, 'اعتصاب -"هفت تپه"')) == {2, 3, 4, 5}
    assert set(paragraphs(strikes, "اعتصاب -هفتتپه")) == {2, 3, 4, 5}


def test_exclusion_on_the_article_leaves_no_form_of_the_word(index):
    for query in ("اعتصاب -کارگر", "خانواده -کارگر", "نفت -طومار"):
        excluded = query.split("-")[1]
        for hit in search(index, query, limit=50).hits:
            assert excluded not in hit.text, (query, hit.paragraph)


# --- 2, 3. highlights ------------------------------------------------------------------

@pytest.fixture
def news(make_index):
    return make_index({"a.md": "# مقاله\n\n"
                       f"در دی{ZWNJ}ماه ۱۳۸۴ کارگران بازداشت شده{ZWNJ}اند.\n\n"
                       "کمپین های متعدد و بین المللی آغاز شد و سپس یک کمپین بین المللی دیگر.\n"})


@pytest.mark.parametrize(("query", "marked"), [
    ("دی ماه", f"دی{ZWNJ}ماه"),
    ("بازداشت شده", "بازداشت"),  # شده: a function word, not marked beside a content word
])
def test_a_word_is_highlighted_once(news, query, marked):
    hit = search(news, query).hits[0]
    data = as_dict(search(news, query))["hits"][0]
    assert hit.snippet.count(f"**{marked}**") == 1 and "****" not in hit.snippet
    spans = data["highlights"]
    assert spans == sorted(spans) and len(spans) == len({tuple(s) for s in spans})
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # never overlapping
    assert [hit.text[a:b] for a, b in spans] == [marked]


def test_a_phrase_is_highlighted_where_it_stands(news):
    hit = search(news, '"کمپین بین المللی"').hits[0]
    assert hit.paragraph == 2
    assert [hit.text[a:b] for a, b in as_dict(search(news, '"کمپین بین المللی"'))["hits"][0]["highlights"]] \
        == ["کمپین بین المللی"]


def test_a_phrase_is_highlighted_where_it_stands_in_the_article(index):
    for hit in search(index, '"کمپین بین المللی"').hits:
        marked = [part for part in hit.snippet.split("**")[1::2]]
        assert marked and all(part == "کمپین بین المللی" for part in marked), marked


def test_snippets_start_and_end_on_whole_words(index):
    """The README's old example began «…ها بودیم»: a suffix cut from its word."""
    for query in ("هفت‌تپه", "کارگر", "اعتصاب", "رسانه", "خانواده"):
        for hit in search(index, query, limit=50).hits:
            words = hit.snippet.replace("**", "").strip("…").split()
            assert words[0] not in SUFFIXES and words[-1] not in ("می", "نمی"), (query, hit.snippet)


# --- 4, 5. did you mean ----------------------------------------------------------------

@pytest.mark.parametrize("query", ["کرونا", "انتخابات", "تهران", "tv", "مریم احمدی"])
def test_a_word_not_in_the_index_finds_nothing(index, query):
    result = search(index, query)
    assert result.total == 0 and result.hits == []
    assert result.suggestion is None and result.did_you_mean is None


def test_a_word_not_in_the_index_exits_1(index):
    run = subprocess.run([sys.executable, "search.py", "کرونا", "--json", "--index", str(index.path.parent)],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert run.returncode == 1 and json.loads(run.stdout)["total"] == 0


def test_a_correction_is_written_as_the_text_writes_it(index):
    result = search(index, "مسولانه")  # the article writes مسئولانه; its folded key is مسیولانه
    assert result.suggestion == "مسئولانه" and result.hits


@pytest.mark.parametrize(("query", "corrected"), [
    ("طبقه کارگن", "طبقه کارگر"),
    ("هقت تپه", "هفت تپه"),  # ف and ق are neighbours on the keyboard
    ("رسانه‌ای کردن اعتصبات", "رسانه‌ای کردن اعتصابات"),
    ("کمونیزم", "کمونیسم"),
])
def test_each_typo_of_several_words_is_corrected(index, query, corrected):
    result = search(index, query)
    assert result.suggestion == corrected and result.hits and not result.any_words
    assert [h.paragraph for h in result.hits] == [h.paragraph for h in search(index, corrected).hits]


def test_no_correction_for_a_word_found_in_another_form(index):
    result = search(index, "کارگرانمان")  # not written so, but a form of کارگر
    assert result.suggestion is None and result.did_you_mean is None and result.hits


def test_an_unsure_correction_is_offered_not_applied(make_index):
    # hello and hallo are each one letter from hillo, and as common: a guess, only offered.
    ix = make_index({"a.md": "# م\n\nاین hello است.\n\nاین hallo است.\n"})
    result = search(ix, "hillo")
    assert result.suggestion is None and result.hits == [] and result.did_you_mean in ("hello", "hallo")


def test_a_sure_correction_replaces_the_word(make_index):
    ix = make_index({"a.md": "# م\n\nاین کتاب خوب است.\n\nاین کباب خوب است.\n"})
    result = search(ix, "کیاب")  # ب is beside ی on the Persian keyboard, ت is not
    assert result.suggestion == "کباب" and [h.paragraph for h in result.hits] == [2]


# --- 6. keyboard differences rank alike ----------------------------------------------------

def test_arabic_keyboard_diacritics_and_kashida_rank_as_plain_persian(index):
    plain = [(h.paragraph, round(h.score, 6)) for h in search(index, "کارگر", limit=13).hits]
    for typed in ("كارگر", "کارگَر", "کارگـــر", "كارگـَر"):
        assert [(h.paragraph, round(h.score, 6)) for h in search(index, typed, limit=13).hits] == plain, typed


def test_a_word_typed_with_zwnj_on_an_arabic_keyboard_ranks_as_typed_on_a_persian_one(make_index):
    """The ZWNJ inside one typed word is the text's ZWNJ: a letter fold, not another spacing."""
    ix = make_index({"a.md": "# م\n\nاین کار فردا انجام می‌شود.\n\nاین کار دیروز انجام میشود.\n"})
    persian, arabic = search(ix, "می‌شود"), search(ix, "مي‌شود")
    assert [(h.paragraph, round(h.score, 6)) for h in arabic.hits] == \
           [(h.paragraph, round(h.score, 6)) for h in persian.hits]
    assert [(m.found, m.rule) for m in arabic.hits[0].matches] == [("می‌شود", "letter fold")]
    assert [(m.found, m.rule) for m in arabic.hits[1].matches] == [("میشود", "space/ZWNJ join")]


# --- 7. filters fold like queries -----------------------------------------------------------

def test_section_filter_folds_space_zwnj_and_joined(find):
    for section in ("خانواده‌ها", "خانواده ها", "خانوادهها", "خانواده"):
        assert set(find("کارگر", section=section)) == {4, 5, 6}, section
    assert set(find("کارگر", section="بین‌المللی")) == {8}  # the heading writes «بین المللی»


def test_section_filter_finds_a_zwnj_heading_typed_with_a_space(make_index):
    ix = make_index({"a.md": "# عنوان مقاله\n\n## حمایت بین\u200cالمللی\n\n"
                             "این پاراگراف درباره حمایت از کارگران است که ادامه دارد.\n"})
    assert [h.section for h in search(ix, "کارگران", section="بین المللی").hits] == ["حمایت بین\u200cالمللی"]


def test_article_filter_matches_the_author(find):
    assert len(find("کارگر", article="کریمی")) == 13
    assert find("کارگر", article="اصغر کريمی") == find("کارگر", article="کریمی")  # Arabic yeh


def test_two_words_typed_apart_found_written_as_one(make_index):
    """«امیر کبیر» typed apart, «امیرکبیر» in the text: both words match there,
    so the paragraph ranks and its word is highlighted once."""
    ix = make_index({"a.md": "# م\n\nامیرکبیر در کاشان کشته شد.\n\nامیر نظام به تبریز رفت.\n"})
    hits = search(ix, "امیر کبیر").hits
    assert [h.paragraph for h in hits] == [1]
    assert hits[0].snippet == "**امیرکبیر** در کاشان کشته شد."
    assert {m.query for m in hits[0].matches} == {"امیر", "کبیر"}


def test_a_typo_is_corrected_beside_a_word_in_no_paragraph(index):
    result = search(index, "کرونا اعتصبات")
    assert result.suggestion == "کرونا اعتصابات" and result.missing == ["کرونا"] and result.hits


def test_a_very_long_word_is_not_corrected(index):
    """One edit of a long word is no typo, and its edits grow with the square of its length."""
    assert index.speller.correct("کارگر" * 8) is None
    assert search(index, "کارگر" * 200).total == 0


def test_a_query_of_exclusions_only_says_what_is_missing(index):
    from fasearch.errors import UsageError

    with pytest.raises(UsageError, match="only excludes"):
        search(index, "-نفت")


def test_an_article_named_exactly_is_not_matched_as_a_part_of_others(make_index):
    ix = make_index({"a-part1.md": "# یک\n\nکارگران آمدند.\n", "a-part10.md": "# ده\n\nکارگران رفتند.\n"})
    assert [h.article for h in search(ix, "کارگران", article="a-part1.md").hits] == ["a-part1"]
    assert {h.article for h in search(ix, "کارگران", article="a-part1").hits} == {"a-part1", "a-part10"}
