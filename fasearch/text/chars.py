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
   Before them, ligatures are spelt out: hazm's ``UNICODE_REPLACEMENTS``
   (``﷽``, ``﷼``, ``ﷴ``, ``ﻻ``), then NFKC for the other presentation forms
   its translation table lacks, except those hazm removes as special
   characters (``ﷺ``).  A ligature of several words (``﷽``) folds to words
   with spaces; :func:`fasearch.text.analysis.pieces` makes each of them a token.
3. The folds hazm leaves alone: hamza carriers, teh marbuta, heh with yeh,
   alef madda, kashida and the zero-width joiner.
4. A letter stretched by repetition (``اعلاممممم``) is written once: Persian
   never writes a letter three times running, and hazm's word list holds no
   such word but misspellings.  Doubled letters and digits stay as written,
   and so do three consonants inside a word, which are two words written
   joined (``متعدددیگر``, ``دهههای``); four, or three at the end of a word
   (hazm's ``سلاممم``) or of a long vowel (``خیییلی``), are a stretch.
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

_PRESENTATION_RANGES = (range(0xFB50, 0xFE00), range(0xFE70, 0xFEFD))
# Three or more of one Arabic-script letter (not a digit or a mark).
_STRETCHED = re.compile(r"((?=[\u0621-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff])[^\W\d_])\1{2,}")
_LONG_VOWELS = "اوی"

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
# Ligatures that Unicode calls symbols (﷼ a currency sign, ﷽ a symbol) but
# that spell words.
_LIGATURE_SYMBOLS = "\ufdfc\ufdfd"
# A word: letters, digits and marks, with ZWNJ/ZWJ/bidi marks inside it.
# Digits may carry a decimal or thousands separator ("۱۲٫۵", "1,000").
WORD_RE = re.compile(
    rf"(?:[^\W_]|[{_MARKS}{_LIGATURE_SYMBOLS}])+"
    rf"(?:[{ZWNJ}{ZWJ}{RLM}{LRM}]+(?:[^\W_]|[{_MARKS}{_LIGATURE_SYMBOLS}])+"
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
    if spec is None or spec.loader is None:
        raise ImportError("hazm's constants.py cannot be loaded")
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
def _ligature_map():
    """Ligatures -> their letters: hazm's replacements, then NFKC."""
    c = _hazm_constants()
    table = {}
    for pattern, replacement in c.UNICODE_REPLACEMENTS:  # single characters or "(ﷰ|ﷹ)"
        table.update(dict.fromkeys(re.sub(r"[()|]", "", pattern), replacement))
    special = re.compile("|".join(p for p, _ in c.SPECIAL_CHARS_PATTERNS))
    for chars in _PRESENTATION_RANGES:
        for ch in map(chr, chars):
            spelt = unicodedata.normalize("NFKC", ch)
            if ch not in table and ch not in c.TRANSLATION_SRC and not special.match(ch) and spelt != ch:
                table[ch] = spelt.strip()  # the harakat forms (ﹴ) start with a space
    return table


@functools.cache
def _ligature_re():
    return re.compile("[" + re.escape("".join(_ligature_map())) + "]")


def ligature_words(char: str) -> list[str] | None:
    """The words a ligature of several words stands for (``﷽``), else None."""
    spelt = _ligature_map().get(char)
    return spelt.split() if spelt and " " in spelt else None


@functools.cache
def ligatures_of_words_re() -> re.Pattern:
    """Finds a ligature of several words (one regex: this runs on every word)."""
    return re.compile("[" + "".join(ch for ch in _ligature_map() if ligature_words(ch)) + "]")


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
    ligatures = _ligature_map()
    text = _ligature_re().sub(lambda m: ligatures[m.group()], text)
    for pattern, replacement in _mark_patterns():
        text = pattern.sub(replacement, text)
    table = _char_map()
    text = _char_re().sub(lambda m: table[m.group()], text)
    text = _STRETCHED.sub(_unstretch, text)
    return _ZWNJ_RUN.sub(ZWNJ, text).lower()


def _unstretch(match: re.Match) -> str:
    run, after = match.group(), match.string[match.end() : match.end() + 1]
    # Three consonants inside a word are a word ending in a doubled letter
    # written joined to the next: متعدددیگر (متعدد دیگر), دهههای (دهه‌های).
    if len(run) == 3 and run[0] not in _LONG_VOWELS and after.isalpha():
        return run
    return run[0]


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """One spelling for every way of writing a word; ZWNJ is kept.

    >>> fold("كتابي") == fold("کتابی") == "کتابی"
    True
    >>> fold("1375") == fold("۱۳۷۵") == fold("١٣٧٥")
    True
    >>> fold("خانۀ") == fold("خانهٔ") == "خانه"
    True
    >>> fold("ﷴ"), fold("﷼"), fold("اعلاممممم")
    ('محمد', 'ریال', 'اعلام')
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
