"""Relevance metrics over graded judgments (tests/data/relevance.json).

Shared by the regression test and ``bench/relevance.py``, which also runs the
baselines.  A *system* is any function ``query -> ranked paragraph numbers``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

CUTOFF = 10


@dataclass(frozen=True)
class Judged:
    category: str
    query: str
    relevant: dict[int, int]  # paragraph number -> grade (1 or 2)


def load_judgments(path: Path) -> list[Judged]:
    data = json.loads(path.read_text("utf-8"))
    return [Judged(q["category"], q["query"], {int(k): v for k, v in q["relevant"].items()})
            for q in data["queries"]]


def ndcg(ranked: list[int], relevant: dict[int, int], k: int = CUTOFF) -> float:
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


def score(system: Callable[[str], list[int]], judged: list[Judged]) -> tuple[Scores, dict[str, Scores], list]:
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

    categories = sorted({j.category for j in judged}, key=[j.category for j in judged].index)
    return summary(rows), {c: summary([r for r in rows if r[0].category == c]) for c in categories}, rows
