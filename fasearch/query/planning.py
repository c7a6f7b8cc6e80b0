"""From what a user types to a Whoosh query.

Syntax: words; ``"quoted phrases"``; ``word*`` for a prefix; ``-word`` or
``-"phrase"`` to exclude.  Everything else is text: an unbalanced quote runs
to the end, and operator words such as ``AND`` are searched as words.

Words are analyzed with the same functions as the index (:mod:`.analysis`),
then grouped into *units*, one per word a reader means:

* a word typed with ZWNJ is one unit (``می‌شود``);
* a verb prefix or a suffix typed apart joins its neighbour
  (``می شود``, ``خانواده ها``, ``رسانه ای``);
* other words are units of their own (``هفت`` ``تپه``), but each may also be
  found joined to its neighbour (``هفتتپه``).

The index holds every word once, as written (split at ZWNJ).  So a unit is
looked for joined (``میشود``), and written apart as a phrase of its pieces:
the pieces typed (``می شود``) and every way to cut it into two or three words
the index holds (:func:`segmentations`), so ``میشود`` and ``هفتتپه`` typed
joined find ``می شود`` and ``هفت تپه``.

The engine finds a unit by its lemmas (in the text and the heading), and by
the spellings in several tokens that no lemma stands for: its first order,
BM25F over those.  How many units a paragraph must hold is :func:`plan`'s:
most of a keyword query's content words (:func:`required_count`), any word
of a question (a common word only beside a rarer one), every ``+word`` and
phrase; function words are left to the final order.  When too few
paragraphs hold enough of them, ``any_words`` asks for any unit.  The final
order is :mod:`fasearch.searching.ranking`'s, on the best hits only
(:mod:`fasearch.searching.search`): each word once by its best form, its rarity,
coverage, proximity.  The query
is a tree of Whoosh query objects, plain data that both engines run
(:mod:`fasearch.engines`).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.query.compound import DefaultOr

from ..text.analysis import pieces
from ..text.chars import ZWNJ, fold
from ..engines.whoosh_matchers import AndNot, AtLeast
from ..text.lexicon import PREVERBS, lemmas

# Field weights: one tier per matching rule (see the module docstring).
SPELLING, LEMMA = 2.0, 1.0
HEADING_SPELLING, HEADING_LEMMA = 1.0, 0.5  # a word of the section heading
MAX_VARIANTS = 16  # phrase spellings tried per phrase
MAX_SEGMENTATIONS = 4  # ways to write one joined word apart
MAX_PIECES = 3  # سرمایه داری ها
MAX_PREFIX_WORDS = 64  # words a prefix* stands for: the most common ones
MAX_PREFIX_SCAN = 20_000  # index words looked at to choose them
MAX_SEGMENTED_CHARS = 30  # longer tokens are not cut (cost grows with the square)
MIN_PIECE_CHARS = 2  # a one-letter piece is و, not part of a word (وزن is not و زن)
COMMON_SHARE = 0.1  # a word in more of the paragraphs than this is common (see plan)
COMMON_FROM = 1000  # paragraphs; in a smaller index every word finds (it costs little there)

# Affixes that a writer may separate with a space; typed apart, they belong
# to their neighbour (folded forms).
PREFIXES = frozenset({"می", "نمی", "برمی", "برنمی"})  # برمی: with the preverb بر
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


def _function_words() -> frozenset[str]:
    from ..text.chars import hazm_data_path
    from ..text.lexicon import key

    try:
        listed = hazm_data_path("data/stopwords.dat").read_text("utf-8").split()
    except OSError:  # hazm without its data: the words below still hold
        listed = []
    pruned = {key(w) for w in _NOT_FUNCTION}
    words = {key(part) for w in listed for part in w.split("_")} - pruned
    return frozenset(words | {key(w) for w in _COMMON.split() + QUESTION_WORDS}) - {""}


FUNCTION_WORDS = _function_words()
QUESTION_KEYS = frozenset(fold(w).replace("\u200c", "") for w in QUESTION_WORDS) - {"کسی", "چیزی"}
FUNCTION_WEIGHT = 0.1  # a function word's weight beside content words

# Whoosh picks, for small indexes, an Or that preloads scores into an array
# of 2,048 slots per clause: most of a query's time here.  The binary tree of
# unions is as fast on large indexes and far faster on small ones.
_Or = DefaultOr

_TERM = re.compile(r'([-+]?)"([^"]*)(?:"|$)|((?<!\S)[-+](?=[^\s"+-]))?([^\s"]+)')


@dataclass
class Unit:
    """One word as the reader means it."""

    raws: list[str]  # the typed words, as written (Latin lowercased)
    parts: list[str]  # their folded pieces, split at ZWNJ and spaces
    glued: bool  # typed right after the previous unit (space or ZWNJ only)
    prefix: bool = False
    required: bool = False  # typed +word: must match even among many words

    @property
    def joined(self) -> str:
        return "".join(self.parts)

    @property
    def lemmas(self) -> tuple[str, ...]:
        # A ZWNJ between the parts: written apart (نمی‌رم is رفتن, نمیرم مردن).
        return lemmas(ZWNJ.join(self.parts))

    @property
    def is_function_word(self) -> bool:
        return self.joined in FUNCTION_WORDS


@dataclass
class ParsedQuery:
    text: str
    units: list[Unit] = field(default_factory=list)  # free words, in order
    phrases: list[list[Unit]] = field(default_factory=list)  # quoted
    excluded: list[list[Unit]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.units and not any(self.phrases)

    @property
    def all_units(self) -> list[Unit]:
        return self.units + [u for phrase in self.phrases for u in phrase]


def units_of(text: str) -> list[Unit]:
    """Group the words of ``text`` into units (see the module docstring).

    >>> [u.joined for u in units_of("خورده مي شود")]
    ['خورده', 'میشود']
    >>> [u.joined for u in units_of("هفت‌تپه، هفت تپه")]
    ['هفتتپه', 'هفت', 'تپه']
    """
    units: list[Unit] = []
    last_word = -1  # the word index of the last piece read
    for piece in pieces(text):
        part = fold(piece.text)
        if not part:
            continue
        raw = piece.text.lower()
        prefix = text[piece.end : piece.end + 1] == "*"
        prev = units[-1] if units else None
        if prev and piece.word == last_word:  # a ZWNJ part of the same word
            prev.raws[-1] += "\u200c" + raw
            prev.parts.append(part)
        elif prev and piece.glued and not prev.prefix and (
            (prev.joined in PREFIXES and len(prev.parts) <= 2) or part in SUFFIXES
            or (prev.joined in PREVERBS and part in PREFIXES)  # بر نمی گردد
        ):  # an affix typed apart from its word
            prev.raws.append(raw)
            prev.parts.append(part)
        else:
            units.append(Unit([raw], [part], piece.glued))
        units[-1].prefix = units[-1].prefix or prefix
        last_word = piece.word
    return units


def parse(text: str) -> ParsedQuery:
    """Split the user's query into free words, phrases and exclusions.

    A word or phrase typed twice counts once (a query is a set of wishes,
    and every repeat would multiply the cost of matching).

    >>> q = parse('کارگر +نفت -"هفت تپه" کارگر')
    >>> [(u.joined, u.required) for u in q.units], len(q.excluded)
    ([('کارگر', False), ('نفت', True)], 1)
    """
    parsed = ParsedQuery(text)
    run_start = None  # where the current run of free words began

    def end_run(at: int) -> None:
        nonlocal run_start
        if run_start is not None:
            # A run is analyzed as typed, so spaces and punctuation between
            # its words decide what may be joined.
            parsed.units.extend(units_of(text[run_start:at]))
            run_start = None

    for match in _TERM.finditer(text):
        sign_phrase, phrase, sign_word, word = match.groups()
        if phrase is not None or (sign_word and word):
            end_run(match.start())
            units = units_of(phrase if phrase is not None else word)
            sign = sign_phrase or sign_word
            if not units:
                continue
            if sign == "-":
                parsed.excluded.append(units)
            elif phrase is not None:  # quoted: these words, in this order, no other forms
                parsed.phrases.append(units)
            else:  # +word: required
                for unit in units:
                    unit.required = True
                parsed.units.extend(units)
        elif run_start is None:
            run_start = match.start()
    end_run(len(text))
    parsed.units = _unique(parsed.units, lambda u: (u.joined, u.prefix))
    parsed.phrases = _unique(parsed.phrases, lambda p: tuple(u.joined for u in p))
    parsed.excluded = _unique(parsed.excluded, lambda p: tuple(u.joined for u in p))
    return parsed


def _unique(items, key):
    seen: dict = {}
    for item in items:
        k = key(item)
        if k in seen:
            if getattr(item, "required", False):
                seen[k].required = True
        else:
            seen[k] = item
    return list(seen.values())


class Vocabulary:
    """Which folded words the index holds, asked once per word and query."""

    def __init__(self, reader=None, known=None):
        self.reader = reader
        self.cache: dict[tuple[str, str], int] = {}
        self.known = known  # for tests: a plain set of words
        self.count: int | None = None

    def df(self, field: str, word: str) -> int:
        """How many paragraphs hold ``word`` in ``field``."""
        if self.known is not None:
            return int(word in self.known)
        if (field, word) not in self.cache:
            self.cache[field, word] = self.reader.doc_frequency(field, word)
        return self.cache[field, word]

    def __contains__(self, word: str) -> bool:
        return self.df("fold", word) > 0

    def doc_count(self) -> int:
        """How many paragraphs the index holds (0 for a plain set of words)."""
        if self.known is not None:
            return 0
        if self.count is None:
            self.count = self.reader.doc_count()
        return self.count

    def prefix_words(self, prefix: str, limit: int) -> list[str]:
        """The ``limit`` words starting with ``prefix`` that most paragraphs hold."""
        if self.known is not None:
            return sorted(w for w in self.known if w.startswith(prefix))[:limit]
        words = [w.decode("utf-8") if isinstance(w, bytes) else w
                 for w in itertools.islice(self.reader.expand_prefix("fold", prefix), MAX_PREFIX_SCAN)]
        return sorted(words, key=lambda w: (-self.df("fold", w), w))[:limit]

    def has_prefix(self, prefix: str) -> bool:
        if self.known is not None:
            return any(w.startswith(prefix) for w in self.known)
        return next(iter(self.reader.expand_prefix("fold", prefix)), None) is not None


def segmentations(word: str, vocabulary: Vocabulary) -> list[list[str]]:
    """Ways to write ``word`` apart as 2 to 3 words the index holds, best first.

    The index keeps ``می شود`` as two tokens and ``میشود`` as one; a query
    typed joined is looked for written apart through these.

    >>> segmentations("میشود", Vocabulary(known={"می", "شود", "میش"}))
    [['می', 'شود']]
    """
    if len(word) > MAX_SEGMENTED_CHARS:
        return []
    found: list[list[str]] = []

    def cut(start: int, pieces: list[str]) -> None:
        if start == len(word):
            if len(pieces) > 1:
                found.append(pieces)
            return
        if len(pieces) == MAX_PIECES:
            return
        for end in range(start + MIN_PIECE_CHARS, len(word) + 1):
            if word[start:end] in vocabulary:
                cut(end, pieces + [word[start:end]])

    cut(0, [])
    # Fewer pieces first, then the most even cut (longest shortest piece).
    found.sort(key=lambda pieces: (len(pieces), -min(map(len, pieces))))
    return found[:MAX_SEGMENTATIONS]


def spellings(unit: Unit, vocabulary: Vocabulary) -> list[list[str]]:
    """The token sequences the fold field may hold ``unit`` as."""
    out = [[unit.joined]]
    for cut in [unit.parts] + segmentations(unit.joined, vocabulary):
        if len(cut) > 1 and cut not in out:
            out.append(cut)
    return out


def unit_clause(unit: Unit, vocabulary: Vocabulary, prev: Unit | None = None,
                nxt: Unit | None = None) -> Q.Query:
    """What finds ``unit`` in the index, in every way it may be held.

    A paragraph holding the unit's spelling as one token holds its lemma too
    (the same function made both), so the lemma terms find those paragraphs;
    only the spellings in several tokens need clauses of their own.  The
    stricter tiers (the word as typed, its spelling) are not asked of the
    engine: they only order, and the best hits are ordered again word by
    word (:mod:`fasearch.searching.ranking`), where they count.  Leaving them out
    halves the engine's work and chooses those best hits as well (measured
    in bench/window.py).
    """
    if unit.prefix:  # the most common words it starts (a bounded cost: ا* starts thousands)
        words = vocabulary.prefix_words(unit.joined, MAX_PREFIX_WORDS)
        return _Or([Q.Term("fold", w, boost=SPELLING) for w in words]
                   + [Q.Prefix("heading_fold", unit.joined, boost=HEADING_SPELLING, constantscore=False)])
    finds: list[Q.Query] = [Q.Term("lemma", lemma, boost=LEMMA) for lemma in unit.lemmas]
    finds += [Q.Term("heading_lemma", lemma, boost=HEADING_LEMMA) for lemma in unit.lemmas]
    for tokens in spellings(unit, vocabulary)[1:]:  # written apart: a phrase of its pieces
        # A piece whose own lemma is the unit's (خانواده in خانواده های) puts
        # that lemma in every paragraph holding the phrase: the lemma finds it.
        if not any(k in unit.lemmas for t in tokens for k in lemmas(t)):
            finds.append(Q.Phrase("fold", tokens, boost=SPELLING))
    # The unit written together with a one-word neighbour typed apart
    # (هفت تپه → هفتتپه): another word, with a lemma of its own.
    for first, second in ((prev, unit), (unit, nxt)):
        if first and second and second.glued and _simple(first) and _simple(second):
            finds.append(Q.Term("fold", first.joined + second.joined, boost=SPELLING))
    return _Or(finds)


def _simple(unit: Unit) -> bool:
    return len(unit.parts) == 1 and not unit.prefix


def _spelling_variants(units: list[Unit], vocabulary: Vocabulary) -> list[list[str]]:
    """The folded token sequences of ``units``, each unit in any of its spellings."""
    choices = [spellings(u, vocabulary) for u in units]
    variants = []
    for combo in itertools.islice(itertools.product(*choices), MAX_VARIANTS):
        variants.append([token for tokens in combo for token in tokens])
    return variants


def phrase_clause(units: list[Unit], vocabulary: Vocabulary) -> Q.Query:
    """``units`` adjacent and in order, in any spelling: a quoted phrase."""
    variants = _spelling_variants(units, vocabulary)
    # The pieces as typed, each word split at ZWNJ as the index splits it:
    # every paragraph holding the phrase as typed holds these (MAX_VARIANTS
    # may leave them out of the product).
    typed = [part for unit in units for part in unit.parts]
    if typed not in variants:
        variants.append(typed)
    clauses: list[Q.Query] = []
    for variant in variants:
        if len(variant) == 1:
            clauses.append(Q.Term("fold", variant[0], boost=SPELLING))
        else:
            clauses.append(Q.Phrase("fold", variant, boost=SPELLING))
    return _Or(clauses)


def present(unit: Unit, vocabulary: Vocabulary, prev: Unit | None = None, nxt: Unit | None = None) -> bool:
    """Whether the index holds ``unit`` in any form (spelling, inflection, cut,
    or joined to a neighbour typed apart: هفت تپه → هفتتپه)."""
    if unit.prefix:
        return vocabulary.has_prefix(unit.joined)
    if unit.joined in vocabulary or any(vocabulary.df("lemma", k) for k in unit.lemmas):
        return True
    for first, second in ((prev, unit), (unit, nxt)):
        if first and second and second.glued and _simple(first) and _simple(second) \
                and first.joined + second.joined in vocabulary:
            return True
    return any(all(t in vocabulary for t in tokens) for tokens in spellings(unit, vocabulary)[1:])


def required_count(optional: int) -> int:
    """How many of a query's optional content words a paragraph must hold.

    All of one or two words; one may be missing of three or four; of more,
    60% (a question's words are rarely all in its answer; Lucene's
    ``minimum_should_match``).  Covering more of them ranks higher.

    >>> [required_count(n) for n in range(1, 8)]
    [1, 2, 2, 3, 3, 4, 5]
    """
    if optional <= 2:
        return optional
    if optional <= 4:
        return optional - 1
    return math.ceil(optional * 0.6)


@dataclass
class Plan:
    """What a query asks of the index: which units count, and how many must match."""

    content: list[int]  # unit numbers that count for coverage
    function: list[int]  # function words beside content words: optional, light
    missing: list[int]  # content units the index holds in no form
    minimum: int  # of the optional content units present
    common: list[int] = field(default_factory=list)  # content units that only score (see plan)

    @property
    def weights(self) -> dict[int, float]:
        return {**{i: 1.0 for i in self.content}, **{i: FUNCTION_WEIGHT for i in self.function}}


def unit_df(unit: Unit, vocabulary: Vocabulary) -> int:
    """How many paragraphs hold ``unit`` in its most common form (at least 1)."""
    if unit.prefix:
        return max(vocabulary.doc_count() // 2, 1)
    return max([vocabulary.df("lemma", k) for k in unit.lemmas] + [vocabulary.df("fold", unit.joined), 1])


def plan(parsed: ParsedQuery, vocabulary: Vocabulary, any_words: bool = False, split_common: bool = True) -> Plan:
    units = parsed.units
    content = [i for i, u in enumerate(units) if not u.is_function_word or u.required]
    if not content and not parsed.phrases:
        content = list(range(len(units)))  # only function words: they are the query
    function = [i for i in range(len(units)) if i not in content]
    missing = [i for i in content if not present(units[i], vocabulary, *neighbours(units, i))]
    optional = [i for i in content if i not in missing and not units[i].required]
    # A question's answer seldom repeats its words (نام for اسم, پایان for
    # تمام): any of them finds a paragraph, and covering more ranks higher.
    minimum = 1 if any_words or is_question(parsed) else required_count(len(optional))
    if any_words and (parsed.phrases or any(units[i].required for i in content)):
        minimum = 0
    common: list[int] = []
    n = vocabulary.doc_count()
    if minimum <= 1 and split_common and n >= COMMON_FROM:
        # When any word finds, a word most paragraphs hold finds most of the
        # index, and its weight is too low to bring any of them to the top
        # beside a rarer word: the rarer words find, the common ones only
        # score (Lucene's CommonTermsQuery).  Alone, common words find.
        common = [i for i in optional if unit_df(units[i], vocabulary) > COMMON_SHARE * n]
        if len(common) == len(optional):
            common = []
    return Plan(content, function, missing, minimum, common)


def is_question(parsed: ParsedQuery) -> bool:
    """A question rather than keywords: a question word, or a question mark.

    >>> is_question(parse("یونان در کجا قرار دارد")), is_question(parse("کارگران نفت"))
    (True, False)
    """
    return parsed.text.rstrip().endswith(("؟", "?")) or any(
        u.joined in QUESTION_KEYS and not u.required for u in parsed.units)


def neighbours(units: list[Unit], i: int) -> tuple[Unit | None, Unit | None]:
    return (units[i - 1] if i else None), (units[i + 1] if i + 1 < len(units) else None)


def build(parsed: ParsedQuery, reader, any_words: bool = False, the_plan: Plan | None = None) -> Q.Query:
    """The Whoosh query for ``parsed`` over ``reader``'s index.

    Phrases and ``+words`` are required; of the other content words, as many
    as :func:`required_count` says (any one with ``any_words``), common words
    aside (see :func:`plan`), which only add to the score.
    """
    vocabulary = reader if isinstance(reader, Vocabulary) else Vocabulary(reader)  # its lookups cached once
    the_plan = the_plan or plan(parsed, vocabulary, any_words)
    units = parsed.units
    clauses = {i: unit_clause(u, vocabulary, *neighbours(units, i)) for i, u in enumerate(units)}
    required = [clauses[i] for i in the_plan.content if units[i].required]
    required += [phrase_clause(p, vocabulary) for p in parsed.phrases]
    optional = [clauses[i] for i in the_plan.content
                if not units[i].required and i not in the_plan.missing and i not in the_plan.common]
    parts = list(required)
    if optional and (the_plan.minimum or not required):
        parts.append(AtLeast(optional, max(1, the_plan.minimum)))
    elif optional:  # any_words beside required words: the others only score
        required_main = Q.And(parts) if len(parts) > 1 else parts[0]
        parts = [Q.AndMaybe(required_main, _Or(optional))]
    if not parts:
        return Q.NullQuery
    main = Q.And(parts) if len(parts) > 1 else parts[0]
    # Function words are left to the final ranking (fasearch.searching.ranking): nearly
    # every paragraph holds them, and scoring them here costs a lookup per hit.
    common = [clauses[i] for i in the_plan.common]
    if common:
        main = Q.AndMaybe(main, _Or(common))
    excluded = [exclusion_clause(p, vocabulary) for p in parsed.excluded]
    if excluded:
        main = AndNot(main, _Or(excluded))
    return main


def exclusion_clause(units: list[Unit], vocabulary: Vocabulary) -> Q.Query:
    """What ``-word`` or ``-"phrase"`` removes: a word in any spelling and any
    inflected form (what searching for it would find), a phrase in any spelling."""
    if len(units) == 1:
        return unit_clause(units[0], vocabulary)
    return phrase_clause(units, vocabulary)


def wants_fallback(parsed: ParsedQuery) -> bool:
    """Whether an any-word search could find more than the coverage rule."""
    return len(parsed.units) + len(parsed.phrases) > 1
