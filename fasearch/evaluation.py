"""Relevance metrics over graded judgments (tests/data/*.json).

Shared by the regression tests and ``bench/relevance.py``, which also runs the
baselines.  A *system* is any function ``query -> ranked paragraph ids``.  An
id is a paragraph number in the one-article set (``relevance.json``), and
``"<file stem>#<paragraph number>"`` in the sets over several articles
(``keywords.json``, ``questions.json``); see :func:`paragraph_id`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CUTOFF = 10
_ID = re.compile(r"^[^#\s]+#[1-9][0-9]*$")


@dataclass(frozen=True)
class Judged:
    category: str
    query: str
    relevant: dict[int | str, int]  # paragraph id -> grade (1 or 2)


def paragraph_id(article: str, paragraph: int) -> str:
    """The id of a paragraph in a set over several articles.

    >>> paragraph_id("greece", 3)
    'greece#3'
    """
    return f"{article}#{paragraph}"


def _key(key: str) -> int | str:
    if key.isdigit():
        return int(key)  # the one-article form: a paragraph number
    if not _ID.match(key):
        raise ValueError(f"bad paragraph id {key!r}: use a number or <file stem>#<paragraph number>")
    return key


def load_judgments(path: Path) -> list[Judged]:
    """The judged queries of a set; a query's category is its ``category``, else its ``style``."""
    data = json.loads(path.read_text("utf-8"))
    return [Judged(q.get("category") or q.get("style") or "all", q["query"],
                   {_key(k): v for k, v in q["relevant"].items()})
            for q in data["queries"]]


def first_relevant(ranked: list, relevant: dict) -> int | None:
    """The rank (from 1) of the first relevant paragraph, or None.

    >>> first_relevant(["a#2", "a#1"], {"a#1": 2}), first_relevant([3], {1: 1})
    (2, None)
    """
    return next((i for i, p in enumerate(ranked, 1) if p in relevant), None)


def ndcg(ranked: list, relevant: dict, k: int = CUTOFF) -> float:
    gain = lambda grade: 2**grade - 1  # noqa: E731
    dcg = sum(gain(relevant.get(p, 0)) / math.log2(i + 2) for i, p in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


@dataclass
class Scores:
    ndcg: float
    top_relevant: float  # share of queries whose first hit is relevant
    recall: float  # relevant paragraphs in the top CUTOFF / all relevant
    precision: float  # relevant share of what is returned (top CUTOFF)
    no_relevant: int  # queries with no relevant paragraph in the top CUTOFF
    queries: int


def score(system: Callable[[str], list], judged: list[Judged]) -> tuple[Scores, dict[str, Scores], list]:
    """Overall scores, scores per category, and the per-query rows."""
    rows = []
    for j in judged:
        ranked = system(j.query)[:CUTOFF]
        found = [p for p in ranked if p in j.relevant]
        rows.append((j, ranked, ndcg(ranked, j.relevant), bool(ranked) and ranked[0] in j.relevant,
                     len(set(found)) / len(j.relevant), len(found) / len(ranked) if ranked else 0.0))

    def summary(subset) -> Scores:
        n = len(subset)
        return Scores(sum(r[2] for r in subset) / n, sum(r[3] for r in subset) / n,
                      sum(r[4] for r in subset) / n, sum(r[5] for r in subset) / n,
                      sum(1 for r in subset if r[4] == 0), n)

    categories = sorted({j.category for j in judged} - {"all"}, key=[j.category for j in judged].index)
    return summary(rows), {c: summary([r for r in rows if r[0].category == c]) for c in categories}, rows
