"""The final order of the best hits: what the reader asked for, word by word.

The engine finds the paragraphs and gives a first order (BM25F over the
fields); the best of them (a window of at least 30) are then scored here,
from the words each paragraph really holds (:mod:`fasearch.searching.matching` found
them for the snippet anyway).  The rules, each a Lucene/BM25 habit:

* **each query word counts once**, by its best match: the exact written
  form (letters, marks and digits are keyboard differences, so they count as
  exact), then the same word written with another spacing, then another
  inflection.  A common word found in three fields no longer outweighs a rare
  word found in one;
* **a word weighs what it is rare**: its IDF is that of the word in *any* of
  its forms (the lemma's document frequency), and repeats saturate (BM25's
  k1, b over the paragraph's length);
* **function and question words** (``است``, ``کجا``, ``چیه``) weigh a tenth;
* **coverage**: a paragraph holding more of the query's weight ranks higher
  (Lucene's coordination factor), so the rare word of a question decides;
* **proximity**: two query words side by side, or a few words apart, add a
  bonus that grows with the rarer of the two;
* a word of the section's heading or the article's title adds a little.

Nothing here knows Whoosh: it needs the matches, the paragraph's length and
document frequencies, so any engine can use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..text.chars import is_glue
from .matching import Match

K1, B = 1.2, 0.75
# A match's tier: how close it is to what was typed.
TIER = {"exact": 1.0, "letter fold": 1.0, "space/ZWNJ join": 0.9, "lemma": 0.75, "prefix": 0.75}
HEADING = 0.3  # a word of the heading or title: this share of a match's weight
PROXIMITY = 0.5  # two query words side by side: this share of the rarer one's IDF
NEAR_WORDS = 4  # words apart that still count as near (half the bonus)
COVERAGE = 0.6  # how much of the score depends on covering the query's weight


def idf(df: int, n: int) -> float:
    """BM25's IDF, never negative (Lucene's form)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class Wanted:
    """One thing the reader asked for: a word (unit) or a quoted phrase."""

    number: int  # the Match.unit of its matches
    weight: float  # 1, or less for a function word
    idf: float
    counts: bool  # part of the coverage (content words and phrases)


def score(wanted: list[Wanted], matches: list[Match], in_heading: set[int], text: str,
          length: int, avg_length: float, order: list[int]) -> float:
    """The score of one paragraph; ``order`` lists the content words as typed."""
    by_unit: dict[int, list[Match]] = {}
    for m in matches:
        by_unit.setdefault(m.unit, []).append(m)
    norm = K1 * (1 - B + B * length / max(avg_length, 1.0))
    total = covered = mass = 0.0
    weight_of = {}
    for w in wanted:
        found = by_unit.get(w.number, [])
        value = w.weight * w.idf
        weight_of[w.number] = value
        if w.counts:
            mass += value
        part = 0.0
        if found:
            tf = len(found)
            part = value * max(TIER[m.rule] for m in found) * tf * (K1 + 1) / (tf + norm)
        if w.number in in_heading:
            part += HEADING * value
        if part and w.counts:
            covered += value
        total += part
    for a, b in zip(order, order[1:]):
        near = _closeness(text, by_unit.get(a, []), by_unit.get(b, []))
        if near:
            total += PROXIMITY * near * min(weight_of.get(a, 0.0), weight_of.get(b, 0.0))
    coverage = covered / mass if mass else 1.0
    return total * (1 - COVERAGE + COVERAGE * coverage)


def _closeness(text: str, first: list[Match], second: list[Match]) -> float:
    """1 when ``first`` stands right before ``second`` (only spaces or ZWNJ
    between), half that when either is another form; 0.5 when they are a few
    words apart in any order; else 0."""
    best = 0.0
    for a in first:
        for b in second:
            if a.start <= b.start < a.end:  # two query words in one written word (دی‌ماه)
                best = max(best, 1.0)
            elif a.end <= b.start and is_glue(text[a.end : b.start]):
                best = max(best, 0.5 if "lemma" in (a.rule, b.rule) else 1.0)
            elif best < 0.5:
                gap = text[a.end : b.start] if a.end <= b.start else text[b.end : a.start]
                if len(gap.split(None, NEAR_WORDS)) <= NEAR_WORDS:  # no more splits than it takes to know
                    best = 0.5
        if best == 1.0:
            break
    return best
