"""Did you mean: a correction for a word the index holds in no form.

A correction is one edit away from the typed word (Norvig's speller: every
deletion, insertion, substitution and transposition is looked up among the
index's words), and edits cost what they are likely to be typos:

* letters Persian writers confuse (س/ص/ث, ز/ذ/ض/ظ, ت/ط, ح/ه, ق/غ, ا/ع)
  cost little; ا/آ, ه/ة, ی/ي are folded before anything, so they cost nothing;
* a neighbouring key on the Persian keyboard (ISIRI 9147) costs less than
  another letter;
* a vowel letter (ا و ی) left out or added, or a letter typed twice, costs
  less than another insertion.

A correction *replaces* the word only when it is confident: cheap for the
word's length and clearly better than the next candidate; otherwise it is
only offered («منظورتان … بود؟»).  A word with no candidate one edit away is
left alone: it is simply not in the index.  Corrections are shown as the
index's text writes them (``مسئولانه``), never as a folded key.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..text.chars import fold, unjoin
from ..text.lexicon import SQLiteReader

WORDS_TABLE = "written"
PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
LATIN = "abcdefghijklmnopqrstuvwxyz"
CONFUSABLE = ("سصث", "زذضظ", "تط", "حه", "قغ", "اع")
VOWEL_LETTERS = "اوی"
# The Persian keyboard's three letter rows (ISIRI 9147), and each row's shift.
_ROWS = (("ضصثقفغعهخحجچ", 0.0), ("شسیبلاتنمکگ", 0.25), ("ظطزرذدپو", 0.75))
_KEYS = {ch: (r, col + shift) for r, (row, shift) in enumerate(_ROWS) for col, ch in enumerate(row)}

COST_CONFUSABLE = 0.3
COST_NEIGHBOUR = 0.6
COST_VOWEL = 0.7  # a vowel letter left out or added
COST_DOUBLE = 0.5  # a letter typed twice, or once for twice
COST_TRANSPOSE = 0.7
COST_OTHER = 1.0
MAX_WORD = 30  # letters: longer words are not corrected


def _neighbours(a: str, b: str) -> bool:
    if a not in _KEYS or b not in _KEYS:
        return False
    (ra, xa), (rb, xb) = _KEYS[a], _KEYS[b]
    return abs(ra - rb) <= 1 and abs(xa - xb) <= 1.0


def _substitution_cost(a: str, b: str) -> float:
    if any(a in group and b in group for group in CONFUSABLE):
        return COST_CONFUSABLE
    return COST_NEIGHBOUR if _neighbours(a, b) else COST_OTHER


def edits(word: str) -> dict[str, float]:
    """Every word one edit from ``word``, with the edit's cost.

    >>> e = edits("هقت")
    >>> e["هفت"], e["هت"] > 0
    (0.6, True)
    """
    alphabet = LATIN if word.isascii() else PERSIAN
    out: dict[str, float] = {}

    def add(candidate: str, cost: float) -> None:
        if candidate and candidate != word and cost < out.get(candidate, 9.0):
            out[candidate] = cost

    for i in range(len(word)):
        ch = word[i]
        doubled = (i > 0 and word[i - 1] == ch) or (i + 1 < len(word) and word[i + 1] == ch)
        add(word[:i] + word[i + 1 :], COST_DOUBLE if doubled else COST_VOWEL if ch in VOWEL_LETTERS else COST_OTHER)
        if i + 1 < len(word) and word[i + 1] != ch:
            add(word[:i] + word[i + 1] + ch + word[i + 2 :], COST_TRANSPOSE)
        for other in alphabet:
            if other != ch:
                add(word[:i] + other + word[i + 1 :], _substitution_cost(ch, other))
    for i in range(len(word) + 1):
        for other in alphabet:
            near = (i > 0 and word[i - 1] == other) or (i < len(word) and word[i] == other)
            cost = COST_DOUBLE if near else COST_VOWEL if other in VOWEL_LETTERS else COST_OTHER
            add(word[:i] + other + word[i:], cost)
    return out


@dataclass(frozen=True)
class Correction:
    word: str  # as the index's text writes it
    cost: float
    confident: bool


def confident(cost: float, length: int) -> bool:
    """Whether an edit of ``cost`` on a word of ``length`` letters is likely a typo:
    the shorter the word, the cheaper the edit must be (one edit turns many
    short words into other real words)."""
    return cost <= COST_CONFUSABLE or (cost <= COST_VOWEL and length >= 3) or (cost <= COST_OTHER and length >= 5)


class Speller:
    """Corrections from the written words of one index generation.

    Safe from several threads, as the open index that owns it
    (:class:`fasearch.text.lexicon.SQLiteReader`); a damaged table raises
    :class:`fasearch.errors.IndexReadError`.
    """

    def __init__(self, path: Path):
        self.table = SQLiteReader(path, of_index=True)

    def close(self) -> None:
        self.table.close()

    def _lookup(self, keys: list[str]) -> dict[str, tuple[str, int]]:
        rows = self.table.rows(
            f"SELECT key, form, n FROM {WORDS_TABLE} WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(keys, ensure_ascii=False),))
        return {key: (form, n) for key, form, n in rows}

    def written_forms(self, keys: list[str]) -> dict[str, str]:
        """How the index's text writes the words whose keys are ``keys``."""
        return {key: form for key, (form, _) in self._lookup(keys).items()}

    def correct(self, raw: str, known_word: bool = False, unwanted=frozenset()) -> Correction | None:
        """The best correction of ``raw``, or None when nothing is one edit away.

        ``known_word``: the word is in the language's word list, only not in
        this index, so it is likely no typo: a correction is at most offered.
        ``unwanted``: keys never proposed (function words and affixes, which
        are one edit from many short words).
        """
        key = unjoin(fold(raw)).replace(" ", "")
        if not 2 <= len(key) <= MAX_WORD or any(ch.isdigit() for ch in key):
            return None  # the edits of a long word grow with its square: no typo is that long
        candidates = {k: c for k, c in edits(key).items() if k not in unwanted and len(k) > 1}
        found = self._lookup(list(candidates))
        if not found:
            return None
        ranked = sorted(found, key=lambda k: (candidates[k], -found[k][1], k))
        best = ranked[0]
        cost = candidates[best]
        if not confident(cost, len(key)):
            return None  # too far for the word's length: not likely a typo of it
        # A rival as cheap and not much rarer: the choice is a guess, only offered.
        rival = next((k for k in ranked[1:] if candidates[k] <= cost), None)
        sure = not known_word and (rival is None or found[best][1] >= 3 * found[rival][1])
        return Correction(found[best][0], cost, sure)


def write_words(path: Path, counts: Counter) -> None:
    """Add written words to an index's SQLite file: key -> form, occurrences.

    ``counts`` counts (key, written form) pairs; a key keeps the form first
    written for it, and its count grows with every build that adds text.
    """
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE IF NOT EXISTS {WORDS_TABLE} (key TEXT PRIMARY KEY, form TEXT, n INT) WITHOUT ROWID")
    per_key: dict[str, tuple[str, int]] = {}
    for (key, form), n in counts.most_common():
        total = per_key.get(key, (form, 0))
        per_key[key] = (total[0], total[1] + n)
    db.executemany(
        f"INSERT INTO {WORDS_TABLE} VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET n = n + excluded.n",
        ((k, f, n) for k, (f, n) in sorted(per_key.items())))
    db.commit()
    db.close()
