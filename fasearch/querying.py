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

Each unit is looked for in every field, strictest first, with falling
weights, so among matching paragraphs the exact written form ranks first,
then another spelling (letters, digits, marks, space/ZWNJ), then another form
of the word (lemma).  Every unit is required, except function words when the
query has other words; when that finds nothing, ``any_words`` asks for any
unit.  Words found side by side in the typed order are rewarded afterwards,
on the best hits only (:mod:`fasearch.searching`), not here: a phrase query
over every matching paragraph is what made large indexes slow.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.query.compound import DefaultOr

from .analysis import pieces
from .chars import ZWNJ, fold, unjoin
from .morphology import PREVERBS, lemmas

# Field weights: one tier per matching rule (see the module docstring).
EXACT, SPELLING, LEMMA = 4.0, 2.0, 1.0
HEADING_SPELLING, HEADING_LEMMA = 1.0, 0.5  # a word of the section heading
MAX_VARIANTS = 16  # phrase spellings tried per phrase
MAX_SEGMENTATIONS = 4  # ways to write one joined word apart
MAX_PIECES = 3  # سرمایه داری ها
MAX_SEGMENTED_CHARS = 30  # longer tokens are not cut (cost grows with the square)

# Affixes that a writer may separate with a space; typed apart, they belong
# to their neighbour (folded forms).
PREFIXES = frozenset({"می", "نمی", "برمی", "برنمی"})  # برمی: with the preverb بر
SUFFIXES = frozenset({
    "ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
    "ای", "ایی", "اند", "ام", "ایم", "اید", "تر", "ترین", "تری", "شان", "مان", "تان",
})
# Function words: when a query has other words, neither required nor scored
# (never removed from the index: they still count in quoted phrases and for
# words side by side).  hazm's stopword list is not used here because it
# holds content words too (افراد, امکان, بزرگ).
FUNCTION_WORDS = frozenset(fold(w) for w in """
    و در به از که این آن را با برای تا بر یا هم نیز اما ولی چه اگر هر یک
    است هست بود شد شود می نمی ها های ای اند خود او ما شما آنها ایشان
    پس چون زیرا همین همان آیا نه بی
""".split())

# Whoosh picks, for small indexes, an Or that preloads scores into an array
# of 2,048 slots per clause: most of a query's time here.  The binary tree of
# unions is as fast on large indexes and far faster on small ones.
_Or = DefaultOr

_TERM = re.compile(r'(-?)"([^"]*)(?:"|$)|((?<!\S)-(?=[^\s"-]))?([^\s"]+)')


@dataclass
class Unit:
    """One word as the reader means it."""

    raws: list[str]  # the typed words, as written (Latin lowercased)
    parts: list[str]  # their folded pieces, split at ZWNJ and spaces
    glued: bool  # typed right after the previous unit (space or ZWNJ only)
    prefix: bool = False

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
    """Split the user's query into free words, phrases and exclusions."""
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
        minus_phrase, phrase, minus_word, word = match.groups()
        if phrase is not None or (minus_word and word):
            end_run(match.start())
            units = units_of(phrase if phrase is not None else word)
            if units:
                excluded = minus_phrase or minus_word
                (parsed.excluded if excluded else parsed.phrases).append(units)
        elif run_start is None:
            run_start = match.start()
    end_run(len(text))
    return parsed


def _exact(units: list[Unit]) -> Q.Query:
    raws = [raw for unit in units for raw in unit.raws]
    if len(raws) == 1:
        return Q.Term("exact", raws[0], boost=EXACT)
    return Q.Phrase("exact", raws, boost=EXACT)


class Vocabulary:
    """Which folded words the index holds, asked once per word and query."""

    def __init__(self, reader=None, known=None):
        self.reader = reader
        self.cache: dict[str, bool] = {}
        self.known = known  # for tests: a plain set of words

    def __contains__(self, word: str) -> bool:
        if self.known is not None:
            return word in self.known
        if word not in self.cache:
            self.cache[word] = self.reader.doc_frequency("fold", word) > 0
        return self.cache[word]


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
        for end in range(start + 1, len(word) + 1):
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
                nxt: Unit | None = None) -> tuple[Q.Query, list[Q.Query]]:
    """Every way the index may hold ``unit``: (what finds it, what only scores it).

    A paragraph holding the unit's spelling as one token holds its lemma too
    (the same function made both), so the lemma terms find those paragraphs
    and the stricter single terms only add their weight: the intersection
    of several words then walks a few posting lists, not a union per word.
    """
    if unit.prefix:
        return _Or([
            Q.Prefix("fold", unit.joined, boost=SPELLING, constantscore=False),
            Q.Prefix("heading_fold", unit.joined, boost=HEADING_SPELLING, constantscore=False),
        ]), []
    finds: list[Q.Query] = [Q.Term("lemma", lemma, boost=LEMMA) for lemma in unit.lemmas]
    finds += [Q.Term("heading_lemma", lemma, boost=HEADING_LEMMA) for lemma in unit.lemmas]
    scores: list[Q.Query] = [Q.Term("heading_fold", unit.joined, boost=HEADING_SPELLING)]
    exact = _exact([unit])
    (scores if isinstance(exact, Q.Term) else finds).append(exact)
    for tokens in spellings(unit, vocabulary):
        if len(tokens) == 1:
            scores.append(Q.Term("fold", tokens[0], boost=SPELLING))
        else:  # written apart: a phrase of its pieces, whose lemmas may differ
            finds.append(Q.Phrase("fold", tokens, boost=SPELLING))
    # The unit written together with a one-word neighbour typed apart
    # (هفت تپه → هفتتپه): another word, with a lemma of its own.
    for first, second in ((prev, unit), (unit, nxt)):
        if first and second and second.glued and _simple(first) and _simple(second):
            finds.append(Q.Term("fold", first.joined + second.joined, boost=SPELLING))
    return _Or(finds), scores


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
    clauses: list[Q.Query] = [_exact(units)]
    for variant in _spelling_variants(units, vocabulary):
        if len(variant) == 1:
            clauses.append(Q.Term("fold", variant[0], boost=SPELLING))
        else:
            clauses.append(Q.Phrase("fold", variant, boost=SPELLING))
    return _Or(clauses)


def build(parsed: ParsedQuery, reader, any_words: bool = False) -> Q.Query:
    """The Whoosh query for ``parsed`` over ``reader``'s index: all words, or any."""
    vocabulary = Vocabulary(reader)
    units = parsed.units
    clauses = [
        unit_clause(u, vocabulary, units[i - 1] if i else None, units[i + 1] if i + 1 < len(units) else None)
        for i, u in enumerate(units)
    ]
    # Function words are neither required nor scored when other words are
    # given: they match nearly every paragraph, weigh nearly nothing, and cost
    # the most.  They still count where the words stand together (rescoring).
    content = [c for c, u in zip(clauses, units) if not u.is_function_word] or clauses
    finds = [f for f, _ in content] + [phrase_clause(p, vocabulary) for p in parsed.phrases]
    scores = [q for _, extra in content for q in extra]
    if any_words:
        main: Q.Query = _Or(finds)
    else:
        main = Q.And(finds) if len(finds) > 1 else finds[0]
    if scores:
        main = Q.AndMaybe(main, _Or(scores))
    if parsed.excluded:
        main = Q.AndNot(main, _Or([phrase_clause(p, vocabulary) for p in parsed.excluded]))
    return main


def wants_fallback(parsed: ParsedQuery) -> bool:
    """Whether an any-word search could find more than the all-words one."""
    return len(parsed.units) + len(parsed.phrases) > 1


def highlight_keys(parsed: ParsedQuery) -> list[Unit]:
    """The units whose matches a snippet shows (function words only if alone)."""
    units = parsed.all_units
    content = [u for u in units if not u.is_function_word]
    return content or units


def corrected(parsed: ParsedQuery, correct) -> str | None:
    """The query text with each unknown word replaced by ``correct(word)``."""
    changed = False
    out = parsed.text
    for unit in parsed.all_units:
        if unit.prefix:
            continue
        for raw in unit.raws:
            better = correct(raw)
            if better and better != fold(raw) and unjoin(better) != unjoin(fold(raw)):
                out = out.replace(raw, better, 1)
                changed = True
    return out if changed else None
