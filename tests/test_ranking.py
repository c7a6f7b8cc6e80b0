"""Ranking what the reader asks (issue 11): questions, coverage, rare words first."""

import pytest

from fasearch.query.parsing import parse
from fasearch.query.planning import is_question, required_count
from fasearch.searching.matching import Match
from fasearch.searching.ranking import Wanted, idf, score
from fasearch.searching.search import search
from fasearch.text.lexicon import key
from fasearch.text.wordlists import FUNCTION_WORDS

GEOGRAPHY = {
    "a.md": "# کشورها\n\n"
            # 1: the common words of the question, many times, and the rare one once
            "ترکیه کشوری است که بیشتر آن در آسیا قرار دارد و بخش کوچکی از آن در اروپا قرار دارد؛ "
            "پایتخت آن در مرکز کشور قرار دارد و با یونان مرز دارد و شهرهای بزرگی دارد.\n\n"
            # 2: the answer: the rare word twice, the common ones once
            "یونان در جنوب شرقی اروپا قرار دارد و یونان کشوری کوهستانی با جزیره‌های فراوان است.\n\n"
            "سوئیس از غرب با فرانسه و از شرق با اتریش همسایه است.\n\n"
            "آلمان کشوری بزرگ در مرکز اروپا است و با کشورهای زیادی همسایه است.\n",
}


def order(ix, query):
    return [h.paragraph for h in search(ix, query, limit=10).hits]


def test_the_rare_word_of_a_question_decides(make_index):
    ix = make_index(GEOGRAPHY)
    assert order(ix, "یونان در کجا قرار دارد؟")[0] == 2
    assert order(ix, "کدام کشور از شرق با اتریش همسایه است ؟")[0] == 3


def test_a_common_word_found_many_ways_never_outweighs_a_rare_one():
    """Each word counts once, by its best match; repeats saturate (BM25)."""
    n = 1000
    common, rare = Wanted(0, 1.0, idf(600, n), True), Wanted(1, 1.0, idf(3, n), True)
    text = "x " * 40
    many = [Match(i, i + 1, "قرار", "قرار", rule, 0) for i, rule in enumerate(["exact", "letter fold", "lemma"] * 5)]
    one = [Match(0, 1, "یونان", "یونان", "exact", 1)]
    args = (set(), text, 40, 40.0, [])
    assert score([common, rare], many, *args) < score([common, rare], one, *args)


def test_exact_form_outranks_another_form_among_equals():
    wanted = [Wanted(0, 1.0, 2.0, True)]
    exact = [Match(0, 4, "کارگر", "کارگر", "exact", 0)]
    lemma = [Match(0, 6, "کارگر", "کارگران", "lemma", 0)]
    assert score(wanted, exact, set(), "کارگر", 1, 1.0, [0]) > score(wanted, lemma, set(), "کارگران", 1, 1.0, [0])


def test_rare_words_side_by_side_weigh_more_than_common_ones():
    near = "الف ب"
    far = "الف " + "ج " * 8 + "ب"
    pair = [Match(0, 3, "الف", "الف", "exact", 0), Match(4, 5, "ب", "ب", "exact", 1)]
    apart = [Match(0, 3, "الف", "الف", "exact", 0), Match(len(far) - 1, len(far), "ب", "ب", "exact", 1)]
    rare = [Wanted(0, 1.0, 4.0, True), Wanted(1, 1.0, 4.0, True)]
    common = [Wanted(0, 1.0, 0.5, True), Wanted(1, 1.0, 0.5, True)]

    def bonus(wanted, matches, text):  # with the typed order minus without
        return score(wanted, matches, set(), text, 10, 10.0, [0, 1]) - score(wanted, matches, set(), text, 10, 10.0, [])

    assert bonus(rare, pair, near) > bonus(common, pair, near) > 0
    assert bonus(rare, apart, far) == 0


@pytest.mark.parametrize("word", ["چه", "چیه", "کجا", "کجاست", "کدام", "کدوم", "کیست", "چند", "چگونه", "چطور",
                                  "چرا", "آیا", "است", "دارد", "شد", "می‌شود", "و", "در"])
def test_question_and_function_words(word):
    assert key(word) in FUNCTION_WORDS


@pytest.mark.parametrize("word", ["افراد", "امکان", "بزرگ", "کار", "مردم", "هفت", "دو", "سال", "راه"])
def test_content_words_of_hazms_stopword_list_are_kept(word):
    assert key(word) not in FUNCTION_WORDS


def test_function_words_are_still_searchable_alone_and_in_phrases(find):
    assert len(find("است")) >= 10  # alone, a function word is the query
    assert find("آیا")  # a question word alone too
    assert set(find('"کارگر است"')) <= set(find("کارگر"))


def test_coverage_rule():
    assert [required_count(n) for n in (1, 2, 3, 4, 5, 10)] == [1, 2, 2, 3, 3, 6]


def test_most_words_must_match_and_more_rank_higher(find, index):
    """Three words: a paragraph with two of them is found; all three rank first."""
    three = search(index, "کارگران نفت طومار", limit=50)
    assert three.hits and not three.any_words
    full = {h.paragraph for h in three.hits if {m.query for m in h.matches} == {"کارگران", "نفت", "طومار"}}
    assert full == {11}
    assert three.hits[0].paragraph == 11
    assert {8} <= {h.paragraph for h in three.hits}  # کارگران and نفت, no طومار


def test_plus_makes_a_word_required(find):
    assert set(find("کارگران نفت +طومار")) == {11}
    assert set(find("کارگران نفت طومار")) > {11}


def test_a_repeated_word_counts_once(index):
    once = search(index, "کارگر نفت")
    many = search(index, " ".join(["کارگر"] * 30 + ["نفت"] * 30))
    assert [(h.paragraph, h.score) for h in many.hits] == [(h.paragraph, h.score) for h in once.hits]
    assert len(parse("کارگر کارگر كارگر").units) == 1


def test_questions_are_told_from_keywords():
    assert is_question(parse("یونان در کجا قرار دارد؟"))
    assert is_question(parse("اسم بچه های فرهاد مجیدی چیه"))
    assert not is_question(parse("کارگران نفت"))
    assert not is_question(parse("پوشش رسانه ای اعتصابات"))


def test_a_question_finds_its_answer_without_all_its_words(make_index):
    """The answer writes پایان where the question says تمام: any word finds it."""
    ix = make_index({"a.md": "# اعتصاب\n\n## آغاز\n\nاعتصاب کارگران ریسندگی قزوین در دی‌ماه آغاز شد.\n\n"
                             "## پایان\n\nاعتصاب پس از پانزده روز با توافقی موقت پایان یافت.\n"})
    assert 2 in order(ix, "اعتصاب ریسندگی قزوین چطور تمام شد؟")


def test_a_prefix_stands_for_a_bounded_number_of_words(make_index):
    """A one-letter prefix starts thousands of words in a large index: it
    stands for the most common ones, so its cost has a bound."""
    from fasearch.query.planning import MAX_PREFIX_WORDS, build
    from fasearch.query.tree import Term, leaves

    letters = "بپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
    words = [f"س{a}{b}" for a in letters for b in letters[:4]]  # 128 words starting with س
    ix = make_index({"a.md": "# م\n\n" + "\n\n".join(" ".join(words[i : i + 8]) + "." for i in range(0, 128, 8))})
    query = build(parse("س*"), ix.engine)
    terms = [t for t in leaves(query) if isinstance(t, Term) and t.field == "fold"]
    assert 0 < len(terms) <= MAX_PREFIX_WORDS < len(words)
    assert search(ix, "س*").total > 0


def _factory_corpus() -> dict[str, str]:
    """Twenty paragraphs on workers; two name the spinning mill, in the first section."""
    towns = ["اراک", "قزوین", "تبریز", "اهواز", "شیراز", "رشت", "یزد", "کرمان", "ساری", "زنجان"]
    first = [f"کارگران کارخانه ریسندگی {towns[0]} دستمزد خود را نگرفته‌اند.",
             f"کارگران ریسندگی در {towns[1]} دست به اعتصاب زدند."]
    first += [f"کارگران شهر {town} قرارداد موقت دارند." for town in towns[2:]]
    second = [f"کارگران پالایشگاه {town} بیمه ندارند." for town in towns]
    return {"a.md": "# کارگران\n\n## کارخانه‌ها\n\n" + "\n\n".join(first)
                    + "\n\n## پالایشگاه‌ها\n\n" + "\n\n".join(second) + "\n"}


def test_a_common_word_only_scores_beside_a_rarer_one(make_index, monkeypatch):
    """Any word of a question finds; but a word nearly every paragraph holds
    would find the whole index, and could not lift any of it above a
    rarer word: beside one, it only scores (Lucene's CommonTermsQuery)."""
    from fasearch.query import planning
    from fasearch.query.vocabulary import Vocabulary

    ix = make_index(_factory_corpus())
    question = "کارگران ریسندگی کجا اعتصاب کردند؟"
    everything = search(ix, question)
    assert everything.total == 20  # کارگران: every paragraph
    monkeypatch.setattr(planning, "COMMON_FROM", 0)  # this small index counts as large
    parsed = parse(question)
    the_plan = planning.plan(parsed, Vocabulary(ix.engine))
    assert [parsed.units[i].joined for i in the_plan.common] == ["کارگران"]
    rarer = search(ix, question)
    assert rarer.total == 2  # ریسندگی and اعتصاب find
    assert [h.paragraph for h in rarer.hits] == [h.paragraph for h in everything.hits][:2] == [2, 1]
    # Alone, or beside other common words only, a common word finds.
    assert search(ix, "کارگران").total == 20
    # Where the rarer words are not, the common one finds after all.
    assert search(ix, question, section="پالایشگاه").total == 10
