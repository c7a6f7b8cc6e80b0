"""The two analyzers, token by token, and the properties the index relies on."""

import pickle
import random

import pytest

from conftest import assert_analyzes_to
from fasearch.text.analysis import fold_analyzer, lemma_analyzer, pieces
from fasearch.text.chars import ZWNJ


@pytest.fixture(scope="module")
def folded():
    return fold_analyzer()


@pytest.fixture(scope="module")
def lemma():
    return lemma_analyzer()


@pytest.mark.parametrize(("text", "expected"), [
    ("كارگر", ["کارگر"]),  # letters folded
    ("می شود", ["می", "شود"]),  # written apart
    (f"می{ZWNJ}شود", ["می", "شود"]),  # ZWNJ: the same tokens as a space
    ("میشود", ["میشود"]),  # written joined: one token (queries cut it, see test_search.py and query/vocabulary.py)
    ("کارگر، نفت", ["کارگر", "نفت"]),
    ("۱۳۷۵ 1375", ["۱۳۷۵", "۱۳۷۵"]),  # digits folded
    ("", []),
])
def test_fold(folded, text, expected):
    assert_analyzes_to(folded, text, expected)


def test_ligature_of_several_words_gives_each_word_at_its_offsets(folded):
    """﷽ is one character: its four words all point at it, so a highlight stays inside the text."""
    assert_analyzes_to(folded, "﷽ آمد", ["بسم", "الله", "الرحمن", "الرحیم", "امد"],
                       offsets=[(0, 1)] * 4 + [(2, 5)])


def test_ast_joined_to_a_participle_is_cut_like_zwnj(folded):
    """خوردهاست = خورده است (hazm conjugates the pair)."""
    assert_analyzes_to(folded, "خوردهاست، شدهاست", ["خورده", "است", "شده", "است"],
                       offsets=[(0, 5), (5, 8), (10, 13), (13, 16)])
    # Not a participle: خانه‌هاست (it is the houses) and کجاست stay as they are.
    assert_analyzes_to(folded, f"خانه{ZWNJ}هاست کجاست", ["خانه", "هاست", "کجاست"])


@pytest.mark.parametrize(("text", "verb"), [
    (f"نمی{ZWNJ}رم", "رفت#رو"),  # informal, and the stem رم alone is a noun
    ("می روم", "رفت#رو"),  # روم alone is a noun (Rome)
    ("بر نمی گردد", "برگشت#برگرد"),  # preverb and prefix written apart
    (f"برمی{ZWNJ}گردد", "برگشت#برگرد"),
])
def test_verb_written_apart_gets_the_lemma_of_the_whole_verb(lemma, text, verb):
    assert verb in [t.text for t in lemma(text)]


def test_offsets_point_into_the_text_as_written(folded):
    """Offsets are into the stored text, so highlights land on whole words."""
    text = f"«كارگرانِ» مي{ZWNJ}شوند"
    assert_analyzes_to(folded, text, ["کارگران", "می", "شوند"], offsets=[(1, 9), (11, 13), (14, 18)])


@pytest.mark.parametrize(("text", "expected"), [
    ("کارگران", ["کارگر"]),  # plural ان, which hazm's Lemmatizer leaves alone
    ("کارگرها", ["کارگر"]),  # plural ها
    ("خانواده ها", ["خانواده", "ها"]),
    ("می‌کنند", ["می", "کرد#کن"]),  # verb to hazm's past#present key
    ("", []),
])
def test_lemma(lemma, text, expected):
    assert [t.text for t in lemma(text)] == expected


def test_no_stopword_is_dropped(folded):
    """هفت and مردم are content words; Lucene's Persian stopword list drops them."""
    assert [t.text for t in folded("هفت و مردم در")] == ["هفت", "و", "مردم", "در"]


@pytest.mark.parametrize("make", [fold_analyzer, lemma_analyzer])
def test_analyzers_pickle_small(make):
    """The schema is pickled into the index; hazm objects must stay out of it."""
    data = pickle.dumps(make(), -1)
    assert len(data) < 1000
    assert [t.text for t in pickle.loads(data)("کارگران")] == [t.text for t in make()("کارگران")]


def test_pieces_mark_what_may_be_joined():
    found = [(p.text, p.word, p.glued) for p in pieces(f"می{ZWNJ}شود، کار گر")]
    assert found == [("می", 0, False), ("شود", 0, True), ("کار", 1, False), ("گر", 2, True)]


def test_random_strings_never_break_offsets(folded, lemma):
    """Like Lucene's testRandomStrings: Persian, Arabic, marks, ZWNJ, digits, Latin."""
    rng = random.Random(1375)
    alphabet = ("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةأإؤئۀ" "\u064b\u064e\u0650\u0651\u0670\u0640" "﷽ﷴ﷼ﻻﱞ"
                f"{ZWNJ}\u200d\u200f ۰۱۲٣4،.؟!«»abcXYZ\n\t")
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for analyzer in (folded, lemma):
            for t in analyzer(text, chars=True, positions=True):
                assert 0 <= t.startchar < t.endchar <= len(text)
                assert t.text
