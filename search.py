#!/usr/bin/env python3
"""Search the Persian index: ranked paragraphs with highlighted snippets.

    python search.py کارگر
    python search.py "هفت تپه" --section خانواده --full
    python search.py --json - < queries.txt
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fasearch.serve.cli import ArgumentParser, check_text, run
from fasearch.errors import INDEXER, SEARCH, UsageError, shown
from fasearch.index import open_index
from fasearch.serve.output import as_json, as_text, catalog_json, catalog_text, json_line, terminal_width, use_color
from fasearch.searching.search import search

# An excluded Persian word ("-نفت") must not look like an option to argparse.
_EXCLUDE = re.compile(r"^-(?=[^\x00-\x7f])")
_MINUS_STANDIN = "\u2212"


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="search.py", description="Search Persian articles by paragraph.")
    p.add_argument("query", nargs="*", help='words, "phrases", prefix*, -excluded; "-" reads one query per line from stdin')
    p.add_argument("--limit", type=int, default=10, metavar="N", help="show at most N hits (default 10)")
    p.add_argument("--section", metavar="TEXT", help="only sections whose heading contains TEXT")
    p.add_argument("--article", metavar="TEXT", help="only articles whose title or file name contains TEXT")
    p.add_argument("--list", action="store_true", help="list the articles and their sections, then stop")
    p.add_argument("--full", action="store_true", help="show whole paragraphs, not snippets")
    p.add_argument("--json", action="store_true", help="print one JSON object per query")
    p.add_argument("--explain", action="store_true", help="show which words matched, and by which rule")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the matched words: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never")
    p.add_argument("--index", type=Path, default=Path("index"), metavar="DIR", help="the index folder (default index/)")
    p.add_argument("--serve", action="store_true", help="serve the search page in a browser instead")
    p.add_argument("--port", type=int, default=8000, metavar="N", help="the page's port (default 8000)")
    p.add_argument("--host", default="127.0.0.1", metavar="ADDR", help="the page's address (default 127.0.0.1: this machine only)")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = [_EXCLUDE.sub(_MINUS_STANDIN, a) for a in (sys.argv[1:] if argv is None else argv)]
    args = parser().parse_args(argv)
    words = [check_text(w, "query").replace(_MINUS_STANDIN, "-", 1) for w in args.query]
    if args.limit < 1:
        raise UsageError(f"--limit must be 1 or more, not {args.limit}")
    for option in ("section", "article"):
        if getattr(args, option) is not None:
            check_text(getattr(args, option), f"--{option} text")
    if args.serve:
        from fasearch.serve.web import serve

        if not 0 < args.port < 65536:
            raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
        serve(args.index, args.host, args.port)
        return 0
    ix = open_index(args.index)
    if args.list:
        catalog = ix.meta.get("catalog", {})
        sys.stdout.write(catalog_json(catalog) + "\n" if args.json else catalog_text(catalog))
        return 0
    stale = ix.stale_files()
    if stale:
        print(f"note: the corpus changed since the index was built ({', '.join(map(shown, stale[:3]))}"
              f"{', …' if len(stale) > 3 else ''}); run: {INDEXER}", file=sys.stderr)
    if words == ["-"]:
        return _batch(ix, args)
    text = " ".join(words).strip()
    if not text:
        raise UsageError(f"no query given; try: {SEARCH} کارگر")
    result = search(ix, text, limit=args.limit, section=args.section, article=args.article)
    if args.json:
        print(as_json(result, args.full, args.explain))
    else:
        sys.stdout.write(_text(result, args))
    return 0 if result.hits else 1


def _batch(ix, args) -> int:
    """One JSON line (or text block) per input line, a blank one included, so
    the answers line up with the queries."""
    # A bad line is one error, not the end; only "\n" ends a line, as for wc -l.
    sys.stdin.reconfigure(errors="surrogateescape", newline="\n")
    for line in sys.stdin:
        text = line.strip()
        try:
            if not text:
                raise UsageError("empty line: no query given")
            check_text(text, "query")
            result = search(ix, text, limit=args.limit, section=args.section, article=args.article)
        except UsageError as error:
            if args.json:
                print(json_line({"query": shown(text, limit=80), "error": str(error)}), flush=True)
            else:
                print(f"Error: {error}\n\n", flush=True)
            continue
        if args.json:
            print(as_json(result, args.full, args.explain), flush=True)
        else:
            # Two blank lines end a block (one separates its hits).
            print(_text(result, args) + "\n", flush=True)
    return 0


def _text(result, args) -> str:
    color = use_color(args.color, sys.stdout)
    return as_text(result, color, args.full, args.explain, width=terminal_width(sys.stdout))


if __name__ == "__main__":
    sys.exit(run(main, None))
