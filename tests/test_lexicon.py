"""Lemmas: hazm's data with our rules, and why hazm alone is not enough."""

import pytest

from fasearch.text.chars import ZWNJ, fold
from fasearch.text.lexicon import key, lemmas


def lemma(word):
    return lemmas(key(word))


def lemma_apart(word):
    """Lemmas of a word whose parts are written apart (ZWNJ or space), as the
    query side and the index's verb groups ask for them."""
    return lemmas(ZWNJ.join(fold(word).replace(ZWNJ, " ").split()))


@pytest.mark.parametrize(("word", "expected"), [
    ("کارگران", "کارگر"),  # plural ان (hazm's word list holds کارگران untagged)
    ("کارگرها", "کارگر"),  # plural ها
    ("کارگرهای", "کارگر"),  # plural + ezafe
    ("معلمان", "معلم"),  # plural ان
    ("معلمانی", "معلم"),  # plural + indefinite ی
    ("رهبرانشان", "رهبر"),  # plural + possessive شان
    ("اعتصابات", "اعتصاب"),  # Arabic plural ات, tagged PL in hazm
    ("مطالبات", "مطالبه"),  # ات after a dropped final heh
    ("خانواده‌ها", "خانواده"),  # ZWNJ plural
    ("کمپین‌های", "کمپین"),  # a word hazm does not know: ها is still stripped
    ("بزرگترین", "بزرگ"),  # superlative
    ("بزرگتر", "بزرگ"),  # comparative
    ("سیاست‌های", "سیاست"),
    ("کتابی", "کتاب"),  # hazm's Stemmer tests
    ("کتابهایشان", "کتاب"),
    ("اندیشه‌اش", "اندیشه"),
])
def test_nouns(word, expected):
    assert lemma(word) == (expected,)


@pytest.mark.parametrize(("word", "expected"), [
    ("کارگر", "کارگر"),  # must not become کار
    ("مردم", "مردم"),  # people: must not become مرد
    ("ایران", "ایران"),  # hazm's Stemmer gives ایر
    ("سیاست", "سیاست"),  # hazm's Stemmer gives سیاس
    ("جوان", "جوان"),  # not جو + ان
    ("باران", "باران"),  # not بار + ان
])
def test_tagged_words_stay_whole(word, expected):
    assert lemma(word) == (expected,)


@pytest.mark.parametrize("form", ["می‌کنند", "میکنند", "کرد", "کردند", "نمی‌کند", "کرده‌اند"])
def test_verbs_share_one_lemma(form):
    assert "کرد#کن" in lemma(form)


def test_ambiguous_third_person_form_keeps_both_readings():
    """کند is an adjective (blunt) and the verb (does); مردم is not "I died"."""
    assert lemma("کند") == ("کند", "کرد#کن")
    assert "مرد#میر" not in lemma("مردم")


def test_hazm_lemmatizer_alone_is_not_enough():
    """Why we do not call Lemmatizer.lemmatize: it keeps listed plurals whole."""
    from hazm import Lemmatizer

    assert Lemmatizer().lemmatize("کارگران") == "کارگران"


def test_hazm_stemmer_alone_overstems():
    """Why we do not call Stemmer.stem: it cuts words that are not inflected."""
    from hazm import Stemmer

    assert Stemmer().stem("ایران") == "ایر"
    assert Stemmer().stem("سیاست") != Stemmer().stem("سیاست‌های")


def test_empty_and_non_words():
    assert lemmas("") == ("",)
    assert lemmas("۱۳۷۵") == ("۱۳۷۵",)


@pytest.mark.parametrize(("plural", "singular"), [
    ("جزایر", "جزیره"), ("اخبار", "خبر"), ("مسائل", "مسئله"), ("علوم", "علم"), ("مدارس", "مدرسه"),
    ("قوانین", "قانون"), ("علما", "عالم"), ("ملل", "ملت"), ("اسرار", "سر"), ("کتب", "کتاب"),
])
def test_broken_plurals_meet_their_singular(plural, singular):
    assert lemmas(key(plural)) == lemmas(key(singular)) == (key(singular),)


def test_a_word_that_only_looks_like_a_template_is_left_alone():
    assert lemmas(key("سکوت")) == (key("سکوت"),)  # فعول in shape, not a plural


@pytest.mark.parametrize(("word", "expected"), [
    ("خونه", "خانه"),  # hazm's iwords.dat: خونه خانه
    ("خونه‌هامون", "خانه"),  # and its informal suffixes: هامون = ها + مان
    ("کتاب‌هامون", "کتاب"),
    ("کتاب‌هاتون", "کتاب"),
    ("کتابا", "کتاب"),  # iwords.dat: کتابا کتاب‌ها
    ("آسمون", "اسمان"),
    ("میخوره", "خورد#خور"),  # informal ه for د, as hazm's InformalNormalizer reads it
    ("میکنن", "کرد#کن"),  # iverbs.dat
])
def test_informal_forms(word, expected):
    assert lemma(word) == (expected,)


def test_informal_verb_written_apart_is_not_the_formal_verb_written_joined():
    """نمی‌رم is «I do not go» (رفتن); نمیرم written joined is «that I not die» (مردن)."""
    assert lemma_apart("نمی‌رم") == lemma_apart("نمی رم") == ("رفت#رو",)
    assert lemma("نمیرم") == ("مرد#میر",)
    assert lemma_apart("می‌روم") == lemma("میروم") == ("رفت#رو",)


def test_informal_word_never_overrides_a_formal_one():
    """تو, رو, نگه are listed as informal but are formal words too: they stay whole."""
    assert lemma("تو") == ("تو",)
    assert lemma("نگه") == ("نگه",)
    assert lemma("کنه") == ("کنه",)  # the tick; hazm lists it as informal کند


@pytest.mark.parametrize("form", ["برمی‌گردد", "برنمی‌گردد", "برمیگردد", "بر نمی گردد", "برگردد", "برگشت"])
def test_preverb_verbs_share_one_lemma(form):
    """hazm conjugates برگشتن as می‌برگشت; the preverb comes first in Persian."""
    assert "برگشت#برگرد" in lemma_apart(form)


@pytest.mark.parametrize(("plural", "singular"), [("دوستان", "دوست"), ("بندگان", "بنده"), ("نویسندگان", "نویسنده")])
def test_tagged_plural_keeps_both_readings(plural, singular):
    """hazm tags these plurals as nouns; they still meet their singular."""
    assert lemma(plural) == (plural, singular)


def test_participle_joined_to_ast_is_the_verb():
    assert lemma("خوردهاست") == ("خورد#خور",)
    assert "خورد#خور" in lemma("خورده")


def test_informal_suffixes_come_from_hazms_list():
    """iwords.dat maps مون to مان and هام to هایم; اون is آن («that»), not the plural ان."""
    from fasearch.text.lexicon import informal_suffixes

    assert informal_suffixes()["مون"] == "مان" and informal_suffixes()["هام"] == "هایم"
    assert "اون" not in informal_suffixes()
