"""What a user types, read into words, phrases and exclusions.

Syntax: words; ``"quoted phrases"``; ``word*`` for a prefix; ``-word`` or
``-"phrase"`` to exclude; ``+word`` to require.  Everything else is text:
an unbalanced quote runs to the end, and operator words such as ``AND`` are
searched as words.

Words are analyzed with the same functions as the index
(:mod:`fasearch.text.analysis`), then grouped into *units*, one per word a
reader means:

* a word typed with ZWNJ is one unit (``می‌شود``);
* a verb prefix or a suffix typed apart joins its neighbour
  (``می شود``, ``خانواده ها``, ``رسانه ای``: :mod:`fasearch.text.wordlists`);
* other words are units of their own (``هفت`` ``تپه``), but each may also be
  found joined to its neighbour (``هفتتپه``).

This module only reads the text: which forms of a unit the index holds is
:mod:`.vocabulary`'s, and what to ask the engine :mod:`.planning`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from ..text.analysis import pieces
from ..text.chars import ZWNJ, fold
from ..text.lexicon import PREVERBS, lemmas
from ..text.wordlists import PREFIXES, SUFFIXES, function_words

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
        return self.joined in function_words()

    @property
    def one_word(self) -> bool:
        """One piece, not a prefix: it may be found joined to a neighbour typed apart."""
        return len(self.parts) == 1 and not self.prefix


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


def _unique[T](items: list[T], key: Callable[[T], Hashable]) -> list[T]:
    seen: dict = {}
    for item in items:
        k = key(item)
        if k in seen:
            if getattr(item, "required", False):
                seen[k].required = True
        else:
            seen[k] = item
    return list(seen.values())


def neighbours(units: list[Unit], i: int) -> tuple[Unit | None, Unit | None]:
    """The units typed before and after ``units[i]`` (None at either end)."""
    return (units[i - 1] if i else None), (units[i + 1] if i + 1 < len(units) else None)
