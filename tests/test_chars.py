"""Character folding: every spelling of a letter, digit or mark to one form."""

import unicodedata

import pytest

from fasearch.text.chars import ZWNJ, fold, is_glue

ZWJ, KASHIDA = "\u200d", "\u0640"


@pytest.mark.parametrize(("text", "expected"), [
    ("كتاب", "کتاب"),  # Arabic kaf -> Persian keheh
    ("علي", "علی"),  # Arabic yeh -> Farsi yeh
    ("موسى", "موسی"),  # alef maksura -> Farsi yeh
    ("مدرسة", "مدرسه"),  # teh marbuta -> heh
    ("أحمد", "احمد"),  # alef with hamza above
    ("إسلام", "اسلام"),  # alef with hamza below
    ("ٱلله", "الله"),  # alef wasla
    ("مؤسسه", "موسسه"),  # waw with hamza
    ("مسئول", "مسیول"),  # yeh with hamza
    ("خانۀ", "خانه"),  # heh with yeh above (one code point)
    ("خانهٔ", "خانه"),  # heh + combining hamza above
    ("آب", "اب"),  # alef madda, as Lucene's Arabic normalizer folds it
    (unicodedata.normalize("NFD", "آب"), "اب"),  # decomposed madda: composed first
    ("ﻛﺘﺎﺏ", "کتاب"),  # presentation forms
    ("کِتابُ", "کتاب"),  # diacritics (kasra, damma)
    ("تشدیدّ", "تشدید"),  # shadda
    ("رحمٰن", "رحمن"),  # superscript alef U+0670
    (f"کار{KASHIDA}{KASHIDA}گر", "کارگر"),  # kashida
    (f"کار{ZWJ}گر", "کارگر"),  # zero-width joiner
    (f"می{ZWNJ}{ZWNJ}شود", f"می{ZWNJ}شود"),  # repeated ZWNJ squeezed, kept as boundary
    (f"{ZWNJ}کار{ZWNJ}", "کار"),  # ZWNJ at the edges dropped
    ("1375", "۱۳۷۵"),  # Latin digits
    ("١٣٧٥", "۱۳۷۵"),  # Arabic-Indic digits
    ("۱۳۷۵", "۱۳۷۵"),  # Persian digits unchanged
    ("Iran", "iran"),  # Latin lowercased
    ("هاے", "های"),  # yeh barree (Lucene's TestPersianNormalizationFilter)
    ("زادہ", "زاده"),  # heh goal (same suite)
    ("ﷴ", "محمد"),  # presentation-form ligatures hazm's table lacks: NFKC
    ("﷼", "ریال"),  # the rial sign
    ("ﻻ", "لا"),
    ("ﷲ", "الله"),
    ("ﷺ", ""),  # hazm removes it as a special character (its test_remove_specials_chars)
    ("﷽", "بسم الله الرحمن الرحیم"),  # no decomposition in Unicode: our table
    ("اعلاممممم", "اعلام"),  # a letter stretched by repetition
    ("سلاااام", "سلام"),
    ("الله", "الله"),  # a doubled letter stays
    ("سلاممم", "سلام"),  # three at the end of a word (hazm's decrease_repeated_chars)
    ("خیییلی", "خیلی"),  # three of a long vowel
    ("دهههای", "دهههای"),  # three consonants inside a word: دهه + های written joined
    ("متعدددیگر", "متعدددیگر"),  # متعدد دیگر written joined (in the article)
    ("اوههههه", "اوه"),  # but never four or more
    ("۱۱۱۱", "۱۱۱۱"),  # digits are never collapsed
    ("", ""),
])
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize("text", ["كارگرانِ مي‌شوند", "خانهٔ ۱۲", "Iran 1375", "ﻛﺘﺎﺏ", "﷽ ﷴ", "ﱞ", "اعلاممممم"])
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(("gap", "expected"), [
    (" ", True),  # a space: the two words may be one
    ("  ", True),
    ("\u200f ", True),  # bidi marks are invisible
    ("، ", False),  # punctuation separates
    (". ", False),
    ("\n", False),  # a line break separates
])
def test_is_glue(gap, expected):
    assert is_glue(gap) is expected


def test_ligature_symbols_are_word_characters():
    """﷼ is a currency sign and ﷽ a symbol to Unicode, but both spell words."""
    from fasearch.text.chars import WORD_RE

    assert [m.group() for m in WORD_RE.finditer("۱۰۰ ﷼، ﷽!")] == ["۱۰۰", "﷼", "﷽"]
