"""Arabic broken plurals: جزایر is the plural of جزیره, اخبار of خبر.

Persian borrows many Arabic plurals that no suffix makes, so stripping
suffixes never reaches their singular, and hazm's word list tags them ``PL``
without naming it.  Their shapes are few (the classical templates), so each
plural is matched against them and every singular a template proposes is
kept only if hazm's list holds it as a word.  Only words that hazm itself
tags as plurals are tried, so a Persian word that merely looks like a
template (سکوت) is never touched.

Patterns work on folded letters (ئ is ی, ة is ه), as the index does.
"""

from __future__ import annotations

import re

_C = "([^اوی])"  # a root consonant
_L = "(.)"  # any root letter (و and ی can be radicals: اوضاع, ادیان)

# (plural pattern, singular templates); \1 \2 … are the root letters.
TEMPLATES: list[tuple[re.Pattern, tuple[str, ...]]] = [(re.compile(f"^{p}$"), s) for p, s in [
    (f"ا{_C}{_C}ا\\2", (r"\1\2",)),  # افعال of a doubled root: اسرار سر، اجداد جد
    (f"{_C}{_C}و\\2", (r"\1\2",)),  # فعول of a doubled root: حقوق حق، حدود حد
    (f"ا{_L}{_L}ا{_L}", (r"\1\2\3", r"\1ا\2\3", r"\1\2ی\3", r"\1\2\3ه")),  # افعال: اخبار خبر، اصحاب صاحب
    (f"{_C}{_C}ای{_C}", (r"\1\2ی\3ه", r"\1\2ی\3", r"\1\2ا\3ه", r"\1\2ا\3")),  # فعایل: جزایر جزیره، دلایل دلیل
    (f"م{_C}ا{_C}{_C}", (r"م\1\2\3ه", r"م\1\2\3")),  # مفاعل: مدارس مدرسه، مراکز مرکز
    (f"{_C}وا{_C}{_C}", (r"\1ا\2\3ه", r"\1ا\2\3")),  # فواعل: قواعد قاعده، عوامل عامل
    (f"{_C}{_C}و{_C}", (r"\1\2\3",)),  # فعول: علوم علم، قلوب قلب
    (f"{_C}{_C}{_C}ا", (r"\1ا\2\3", r"\1\2ی\3")),  # فعلا: علما عالم، فقرا فقیر
    (f"{_C}{_L}ا{_L}ی{_C}", (r"\1\2\3ی\4", r"\1ا\3و\4", r"\1\2\3ا\4")),  # تفاعیل، فواعیل، مفاعیل
    (f"{_C}{_C}ا{_C}", (r"\1ا\2\3", r"\1\2\3", r"\1\2ی\3")),  # فعّال، فعال: کفار کافر، رجال رجل
    (f"{_C}{_C}\\2", (r"\1\2ت", r"\1\2ه")),  # فِعَل of a doubled root: ملل ملت، قصص قصه
    # فُعَل، فُعُل: ملل ملت، قصص قصه، کتب کتاب، رسل رسول
    (f"{_C}{_C}{_C}", (r"\1\2\3ت", r"\1\2\3ه", r"\1\2ا\3", r"\1\2و\3", r"\1\2ی\3", r"\1ا\2\3")),
    (f"ا{_C}{_C}{_C}ه", (r"\1\2ا\3", r"\1\2ی\3")),  # افعله: اسلحه سلاح، اطعمه طعام
]]


def singulars(word: str) -> list[str]:
    """The singulars the templates propose for ``word``, most likely first.

    >>> singulars("جزایر")[:2]
    ['جزیره', 'جزیر']
    """
    out: list[str] = []
    for pattern, templates in TEMPLATES:
        match = pattern.match(word)
        if match:
            out += [match.expand(t) for t in templates if match.expand(t) not in out]
    return out


def singular(word: str, is_word) -> str | None:
    """The singular of the broken plural ``word`` that ``is_word`` knows, or None."""
    return next((s for s in singulars(word) if s != word and is_word(s)), None)
