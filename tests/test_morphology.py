"""Lemmas: hazm's data with our rules, and why hazm alone is not enough."""

import pytest

from fasearch.morphology import key, lemmas


def lemma(word):
    return lemmas(key(word))


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
