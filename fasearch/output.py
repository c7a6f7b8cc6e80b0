"""Formatting search results as text for people and JSON for programs."""

from __future__ import annotations

import json

from .searching import Hit, SearchResult

BOLD_YELLOW = ("\x1b[1;33m", "\x1b[0m")
PLAIN_MARK = ("**", "**")


def _article_line(hit: Hit) -> str:
    return " — ".join(x for x in (hit.title, hit.author, hit.part) if x)


def notices(result: SearchResult) -> list[str]:
    lines = []
    if result.notice:
        lines.append(result.notice[0].upper() + result.notice[1:] + ".")
    if result.suggestion:
        lines.append(f"No paragraph matches «{result.query}»; showing results for «{result.suggestion}».")
    if result.any_words:
        lines.append("No paragraph has all the words; showing paragraphs with any of them.")
    return lines


def as_text(result: SearchResult, color: bool = False, full: bool = False, explain: bool = False) -> str:
    mark = BOLD_YELLOW if color else PLAIN_MARK
    lines = notices(result)
    shown = len(result.hits)
    noun = "paragraph matches" if result.total == 1 else "paragraphs match"
    count = f"{result.total} {noun} «{result.suggestion or result.query}»"
    lines.append(count + (f" (showing {shown})" if shown < result.total else ""))
    for hit in result.hits:
        lines.append("")
        lines.append(f"{hit.rank}. {hit.section} · paragraph {hit.paragraph} · score {hit.score:.2f}")
        lines.append(f"   {_article_line(hit)}")
        lines.append(f"   {hit.snippet(mark, full)}")
        if explain:
            for row in hit.explain():
                times = f" ×{row['count']}" if row["count"] > 1 else ""
                lines.append(f"   ↳ {row['query']} → {row['found']} ({row['rule']}){times}")
    return "\n".join(lines) + "\n"


def as_dict(result: SearchResult, full: bool = False, explain: bool = False) -> dict:
    hits = []
    for hit in result.hits:
        item = {
            "rank": hit.rank,
            "score": round(hit.score, 4),
            "article": {"id": hit.article, "title": hit.title, "author": hit.author, "part": hit.part},
            "section": hit.section,
            "paragraph": hit.paragraph,
            "text": hit.text,
            "snippet": hit.snippet(PLAIN_MARK, full),
            "highlights": [[m.start, m.end] for m in hit.matches],
        }
        if explain:
            item["explain"] = hit.explain()
        hits.append(item)
    return {
        "query": result.query,
        "total": result.total,
        "any_words": result.any_words,
        "suggestion": result.suggestion,
        "notice": result.notice,
        "timed_out": result.timed_out,
        "hits": hits,
    }


def as_json(result: SearchResult, full: bool = False, explain: bool = False) -> str:
    return json.dumps(as_dict(result, full, explain), ensure_ascii=False)


def catalog_text(catalog: dict) -> str:
    """The articles of an index, each with its sections and paragraph counts."""
    lines = []
    for name, info in catalog.items():
        total = sum(count for _, count in info["sections"])
        head = " — ".join(x for x in (info["title"], info["author"], info["part"]) if x)
        lines.append(f"{name}: {head} ({total} paragraph{'s' if total != 1 else ''})")
        lines += [f"   {heading} · {count}" for heading, count in info["sections"]]
    return "\n".join(lines) + "\n"


def catalog_json(catalog: dict) -> str:
    return json.dumps([
        {"file": name, "id": info["id"], "title": info["title"], "author": info["author"], "part": info["part"],
         "sections": [{"heading": h, "paragraphs": n} for h, n in info["sections"]]}
        for name, info in catalog.items()
    ], ensure_ascii=False)
