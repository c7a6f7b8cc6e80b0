"""The word lists of the analysis and the query language, in one place.

Both sides of the search read these: the analysis (:mod:`.analysis` gives a
verb written apart the lemma of the whole verb), the query side
(:mod:`fasearch.query.parsing` groups an affix typed apart with its word,
:mod:`fasearch.query.planning` makes function words optional and reads a
question), and the paragraph matcher (:mod:`fasearch.searching.matching`).
Defined once, so the index and the queries cut words the same way.

All forms are folded (:func:`fasearch.text.chars.fold`).

The function words are built from hazm's stopword list on first use
(``FUNCTION_WORDS``, or :func:`function_words`), not at import: the indexer
imports the analysis, which needs the affixes only.

>>> "می" in VERB_PREFIXES and "ها" in SUFFIXES
True
>>> "کجا" in function_words() and "کجا" in QUESTION_KEYS and "کارگر" not in function_words()
True
"""

from __future__ import annotations

import functools

from .chars import fold, hazm_data_path
from .lexicon import key

# Verb prefixes that a writer may separate from the verb (می شود, نمی‌رود);
# برمی: with the preverb بر.  They are the only prefixes typed apart, so the
# query side's PREFIXES are these.
VERB_PREFIXES = frozenset({"می", "نمی", "برمی", "برنمی"})
PREFIXES = VERB_PREFIXES
# Suffixes a writer may separate with a space (خانواده ها, رسانه ای): typed
# apart, they belong to the word before them.
SUFFIXES = frozenset({
    "ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
    "ای", "ایی", "اند", "ام", "ایم", "اید", "تر", "ترین", "تری", "شان", "مان", "تان",
})

# Function and question words weigh little and are optional when a query has
# other words; they are never removed from the index (quoted phrases and words
# side by side still use them), and alone they are searched like any word.
# hazm's stopword list is the start, pruned of the content words it holds
# (افراد, امکان, بزرگ, numbers, ...), which a reader may well be looking for.
_NOT_FUNCTION = """
    نظر بخش افزود راه جدید اول دوم سوم چهارم اولین نخستین نخست آخرین افراد افرادی بزرگ رشد
    ویژه نیاز گذاری سازی تغییر پیدا مدت تعداد بیان عدم نوع جاری برابر مهم اخیر مربوط امر گیری
    آقای اثر کننده کنندگان فکر حل اجرا دور منظور طول امکان تعیین جمع ساله علت طرف تهیه تبدیل
    مناسب مشخص نزدیک جریان روند بالا پنج ریزی عالی ترتیب خاص خوبی خوب شروع فرد کامل جدی بهترین
    شامل بهتر حد دانست ناشی دهه دچار لحاظ برداری نشست سهم حداقل روش بندی شمار کلی کافی مواجه
    زیاد سمت کوچک پشت آورد آوری سال‌های سالهای عهده نیمه سی بروز صرف رسیدن متر ساز نحوه شخصی
    محسوب پخش متفاوت سراسر خطر دسته سبب بیرون دار ابتدا شش دو سه چهار پر خاطرنشان جمعی گروهی
    فردی زاده وارد کل قابل لازم باعث گفت گفته رفت آمد آمده رسید یافت یافته گرفت گرفته داد داده
    بار وجود ع درون جا جای جایی سوی روی کنار زیر
""".split()
QUESTION_WORDS = """
    چه چی چیست چیه چیا کجا کجاست کجای کجاها کدام کدوم کدامیک کی کیست کیه کیا چند چندم چندمین
    چندتا چگونه چطور چطوری چرا آیا مگر چقدر چه‌قدر کسی چیزی
""".split()
_COMMON = """
    و در به از که این آن را با برای تا بر یا هم نیز اما ولی چه اگر هر یک است هست بود شد شود
    می نمی ها های ای اند خود او ما شما آنها ایشان پس چون زیرا همین همان آیا نه بی
    هستش هستند بودند نیست نبود باشد باشند دارد داره دارند دارن داشت داشتند کرد کرده کردند کند
    کنند میشه میشن شده شدند شدن بوده اون این‌ها اینا اونا ای‌ها
"""
# The question words that make a query a question (fasearch.query.planning.is_question):
# کسی and چیزی are only function words.
QUESTION_KEYS = frozenset(fold(w).replace("\u200c", "") for w in QUESTION_WORDS) - {"کسی", "چیزی"}


@functools.cache
def function_words() -> frozenset[str]:
    """The lookup keys (:func:`fasearch.text.lexicon.key`) of the function words."""
    try:
        listed = hazm_data_path("data/stopwords.dat").read_text("utf-8").split()
    except OSError:  # hazm without its data: the words below still hold
        listed = []
    pruned = {key(w) for w in _NOT_FUNCTION}
    words = {key(part) for w in listed for part in w.split("_")} - pruned
    return frozenset(words | {key(w) for w in _COMMON.split() + QUESTION_WORDS}) - {""}


def __getattr__(name: str) -> frozenset[str]:
    # FUNCTION_WORDS reads like a constant, but is read from hazm when first asked for.
    if name == "FUNCTION_WORDS":
        return function_words()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
