"""Persian and Arabic characters, and the pure functions that fold them.

Folding turns every way of *spelling* a word into one form, so that
``كتاب`` (Arabic kaf and yeh) and ``کتاب`` meet in the index.  It works on
plain strings and knows nothing of Whoosh, like Lucene's ``PersianNormalizer``
beside its ``PersianNormalizationFilter``.

The order of :func:`fold` matters:

1. NFC first, so a decomposed ``ا`` + U+0653 becomes ``آ`` again *before*
   hazm strips U+0653 as a "special character" (which would leave a bare
   ``ا`` for decomposed text and ``آ`` for composed text).
2. hazm's character steps, from its own tables: diacritics and special marks
   (``Normalizer.remove_diacritics``/``remove_specials_chars``), its
   translation table (Arabic ي ى ك, presentation forms, …) and Latin and
   Arabic-Indic digits to Persian digits.  Not ``Normalizer.normalize``: its
   whole-text steps (spacing correction) change offsets and cost seconds to
   set up.
3. The folds hazm leaves alone: hamza carriers, teh marbuta, heh with yeh,
   alef madda, kashida and the zero-width joiner.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from pathlib import Path

ZWNJ = "\u200c"  # zero-width non-joiner: a morpheme boundary inside a word
ZWJ = "\u200d"  # zero-width joiner: only changes glyph shape
KASHIDA = "\u0640"  # tatweel: stretches a joined letter, carries no meaning
ALEF = "\u0627"
ALEF_MADDA = "\u0622"
ALEF_HAMZA_ABOVE = "\u0623"
ALEF_HAMZA_BELOW = "\u0625"
ALEF_WASLA = "\u0671"
WAW = "\u0648"
WAW_HAMZA = "\u0624"
FARSI_YEH = "\u06cc"
YEH_HAMZA = "\u0626"
HEH = "\u0647"
TEH_MARBUTA = "\u0629"
HEH_YEH = "\u06c0"  # ۀ, the ezafe written on heh
HAMZA_ABOVE = "\u0654"  # combining; هٔ is HEH + HAMZA_ABOVE
SUPERSCRIPT_ALEF = "\u0670"
RLM, LRM, ALM = "\u200f", "\u200e", "\u061c"

# Folds applied after hazm's own table (see the module docstring).
_EXTRA_FOLDS = str.maketrans(
    {
        ALEF_MADDA: ALEF,  # آب / اب: Lucene's ArabicNormalizer folds it too
        ALEF_HAMZA_ABOVE: ALEF,
        ALEF_HAMZA_BELOW: ALEF,
        ALEF_WASLA: ALEF,
        WAW_HAMZA: WAW,
        YEH_HAMZA: FARSI_YEH,
        TEH_MARBUTA: HEH,
        HEH_YEH: HEH,
        HAMZA_ABOVE: None,
        SUPERSCRIPT_ALEF: None,
        KASHIDA: None,
        ZWJ: None,
        RLM: None,
        LRM: None,
        ALM: None,
    }
)

# Combining marks that may sit inside an Arabic-script word.  Python's \w
# does not match them, so the word pattern names them.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
# A word: letters, digits and marks, with ZWNJ/ZWJ/bidi marks inside it.
# Digits may carry a decimal or thousands separator ("۱۲٫۵", "1,000").
WORD_RE = re.compile(
    rf"(?:[^\W_]|[{_MARKS}])+"
    rf"(?:[{ZWNJ}{ZWJ}{RLM}{LRM}]+(?:[^\W_]|[{_MARKS}])+"
    rf"|[.,\u066b\u066c](?=\d)\d+)*"
)
_ZWNJ_RUN = re.compile(f"{ZWNJ}{{2,}}")
_SPACE_ONLY = re.compile(rf"[ \t\u00a0\u2009\u202f{RLM}{LRM}{ALM}]*")


def hazm_data_path(name: str = "") -> Path:
    """A file of the installed hazm package, found without importing hazm."""
    spec = importlib.util.find_spec("hazm")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("hazm is not installed; run ./setup.sh")
    return Path(spec.submodule_search_locations[0]) / name


@functools.cache
def _hazm_constants():
    # hazm's character tables live in hazm/constants.py, plain data.  Loading
    # that file alone skips `import hazm`, which imports nltk (0.3-0.5 s).
    spec = importlib.util.spec_from_file_location("_hazm_constants", hazm_data_path("constants.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _char_map():
    """hazm's letter and digit tables, then ours, as one char -> str map."""
    c = _hazm_constants()
    table = dict(zip(c.TRANSLATION_SRC, c.TRANSLATION_DST))
    table.update(zip(c.NUMBERS_SRC, c.NUMBERS_DST))
    for src, dst in list(table.items()):  # chain: a hazm target we fold again
        table[src] = _EXTRA_FOLDS.get(ord(dst), dst) or ""
    for code, dst in _EXTRA_FOLDS.items():
        table[chr(code)] = dst or ""
    table.pop(" ", None)
    return table


@functools.cache
def _char_re():
    # A regex over the few characters to replace beats str.translate, which
    # looks up every character of the text in a dict.
    return re.compile("[" + re.escape("".join(_char_map())) + "]")


@functools.cache
def _mark_patterns():
    """hazm's Normalizer.remove_diacritics and remove_specials_chars patterns."""
    c = _hazm_constants()
    return [(re.compile(p), r) for p, r in c.DIACRITICS_PATTERNS + c.SPECIAL_CHARS_PATTERNS]


def fold_text(text: str) -> str:
    """The folds of :func:`fold` over a whole text, ZWNJ runs squeezed."""
    text = unicodedata.normalize("NFC", text)
    for pattern, replacement in _mark_patterns():
        text = pattern.sub(replacement, text)
    table = _char_map()
    text = _char_re().sub(lambda m: table[m.group()], text)
    return _ZWNJ_RUN.sub(ZWNJ, text).lower()


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """One spelling for every way of writing a word; ZWNJ is kept.

    >>> fold("كتابي") == fold("کتابی") == "کتابی"
    True
    >>> fold("1375") == fold("۱۳۷۵") == fold("١٣٧٥")
    True
    >>> fold("خانۀ") == fold("خانهٔ") == "خانه"
    True
    """
    return fold_text(text).strip(ZWNJ)


def unjoin(text: str) -> str:
    """The word with its ZWNJ boundaries removed: ``می‌شود`` → ``میشود``."""
    return text.replace(ZWNJ, "")


def is_glue(gap: str) -> bool:
    """Whether two words separated by ``gap`` may be one word written apart.

    Only spaces (and invisible bidi marks) glue; punctuation or a line break
    between two words means they are not one word.

    >>> is_glue(" "), is_glue(" ، "), is_glue("")
    (True, False, True)
    """
    return _SPACE_ONLY.fullmatch(gap) is not None
