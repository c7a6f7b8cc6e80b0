"""Formatting search results as text for people and JSON for programs."""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata

from ..searching.search import Hit, SearchResult
from ..searching.snippets import PLAIN_MARK, render

BOLD_YELLOW = ("\x1b[1;33m", "\x1b[0m")
INDENT = "   "  # the hanging indent of a hit's lines under its number
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def use_color(choice: str, stream, environ=os.environ) -> bool:
    """``--color auto|always|never``: auto colours a terminal, unless NO_COLOR
    is set (https://no-color.org) or TERM=dumb; the option wins over both."""
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def terminal_width(stream) -> int | None:
    """The columns to wrap to: only on a terminal (a pipe or file gets long lines)."""
    return shutil.get_terminal_size().columns if stream.isatty() else None


def display_width(text: str) -> int:
    """Terminal cells: colour codes, ZWNJ and diacritics take none, wide characters two.

    >>> display_width("\x1b[1;33mمی‌شود\x1b[0m"), display_width("کارگرِ")
    (5, 5)
    """
    text = _SGR.sub("", text)
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def wrap(text: str, width: int, first: str = INDENT, rest: str = INDENT) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken only at spaces.

    Continuation lines start with ``rest`` (a hanging indent); a word longer
    than a line stands alone rather than being cut. A colour open at a break
    is closed at the end of the line and opened again after the indent.
    """
    lines: list[str] = []
    line, used, empty = first, display_width(first), True
    for word in text.split(" "):
        size = display_width(word)
        if not empty and used + 1 + size > width:
            lines.append(line)
            line, used, empty = rest, display_width(rest), True
        line, used = (line + word, used + size) if empty else (line + " " + word, used + 1 + size)
        empty = False
    lines.append(line)
    out, carry = [], ""
    for i, line in enumerate(lines):
        indent = first if i == 0 else rest
        body = carry + line[len(indent):]
        codes = _SGR.findall(body)
        carry = codes[-1] if codes and codes[-1] != BOLD_YELLOW[1] else ""
        out.append(indent + body + (BOLD_YELLOW[1] if carry else ""))
    return out


def _snippet(hit: Hit, mark: tuple[str, str], full: bool) -> str:
    """The hit's snippet in ``mark``, or (``full``) its whole paragraph."""
    if mark == PLAIN_MARK and not full:
        return hit.snippet
    start, end = (0, len(hit.text)) if full else hit.window
    return render(hit.text, hit.highlights, start, end, mark)


def _article_line(hit: Hit) -> str:
    return " — ".join(x for x in (hit.title, hit.author, hit.part) if x)


def notices(result: SearchResult) -> list[str]:
    lines = []
    if result.notice:
        lines.append(result.notice[0].upper() + result.notice[1:] + ".")
    if result.suggestion:
        lines.append(f"No paragraph matches «{result.query}»; showing results for «{result.suggestion}».")
    if result.missing:
        words = ", ".join(f"«{w}»" for w in result.missing)
        rest = "; showing paragraphs with the other words" if result.hits else ""
        lines.append(f"No paragraph holds {words} in any form{rest}.")
    if result.any_words:
        lines.append("No paragraph has enough of the words; showing paragraphs with any of them.")
    if result.did_you_mean:
        lines.append(f"Did you mean «{result.did_you_mean}»?")
    return lines


def as_text(result: SearchResult, color: bool = False, full: bool = False, explain: bool = False,
            width: int | None = None) -> str:
    """Text for people; ``width``: wrap each hit's lines to it (a terminal's)."""
    mark = BOLD_YELLOW if color else PLAIN_MARK
    lines = notices(result)
    shown = len(result.hits)
    noun = "paragraph matches" if result.total == 1 else "paragraphs match"
    count = f"{result.total} {noun} «{result.suggestion or result.query}»"
    lines.append(count + (f" (showing {shown})" if shown < result.total else ""))

    def fit(text: str, first: str = INDENT) -> list[str]:
        return wrap(text, width, first) if width else [first + text]

    for hit in result.hits:
        lines.append("")
        lines += fit(f"{hit.section} · paragraph {hit.paragraph} · score {hit.score:.2f}", f"{hit.rank}. ")
        lines += fit(_article_line(hit))
        lines += fit(_snippet(hit, mark, full))
        if explain:
            for row in hit.explain:
                times = f" ×{row['count']}" if row["count"] > 1 else ""
                lines += fit(f"↳ {row['query']} → {row['found']} ({row['rule']}){times}")
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
            "snippet": _snippet(hit, PLAIN_MARK, full),
            "highlights": [list(span) for span in hit.highlights],
        }
        if explain:
            item["explain"] = hit.explain
        hits.append(item)
    return {
        "query": result.query,
        "total": result.total,
        "any_words": result.any_words,
        "suggestion": result.suggestion,
        "did_you_mean": result.did_you_mean,
        "missing": result.missing,
        "notice": result.notice,
        "timed_out": result.timed_out,
        "hits": hits,
    }


# Characters json.dumps leaves raw that str.splitlines() and some readers take as
# line ends: escaped, so one object stays one line (a regular expression:
# str.translate with a dict costs milliseconds on long answers).
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def as_json(result: SearchResult, full: bool = False, explain: bool = False) -> str:
    return json_line(as_dict(result, full, explain))


def json_line(value) -> str:
    """``value`` as JSON on exactly one line (UTF-8 text, not ``\\u`` escapes)."""
    return _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


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
