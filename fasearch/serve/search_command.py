"""``fasearch search``, ``serve`` and ``list`` (and ``search.py``): the commands
that read an index.

    fasearch search کارگر
    fasearch search "هفت تپه" --section خانواده --full
    fasearch search --json - < queries.txt
    fasearch serve --port 8000
    fasearch list

``search.py`` has always done all three (``--serve``, ``--list``), so its
parser stays whole (:func:`parser`); ``serve`` and ``list`` take only their
own options, added by the same functions, and run the same code.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..errors import UsageError, shown
from ..index import OpenIndex, open_index
from ..searching.search import SearchResult, search
from .cli import ArgumentParser, check_text, launcher
from .output import as_json, as_text, catalog_json, catalog_text, json_line, terminal_width, use_color

# An excluded Persian word ("-نفت") must not look like an option to argparse.
_EXCLUDE = re.compile(r"^-(?=[^\x00-\x7f])")
_MINUS_STANDIN = "\u2212"


def _add_index(p: ArgumentParser) -> None:
    p.add_argument("--index", type=Path, default=Path("index"), metavar="DIR", help="the index folder (default index/)")


def _add_page(p: ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=8000, metavar="N", help="the page's port (default 8000)")
    p.add_argument("--host", default="127.0.0.1", metavar="ADDR",
                   help="the page's address (default 127.0.0.1: this machine only)")


def _add_debug(p: ArgumentParser) -> None:
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")


def parser() -> ArgumentParser:
    p = ArgumentParser(prog=launcher().prog("search"), description="Search Persian articles by paragraph.")
    p.add_argument("query", nargs="*",
                   help='words, "phrases", prefix*, -excluded; "-" reads one query per line from stdin')
    p.add_argument("--limit", type=int, default=10, metavar="N", help="show at most N hits (default 10)")
    p.add_argument("--section", metavar="TEXT", help="only sections whose heading contains TEXT")
    p.add_argument("--article", metavar="TEXT", help="only articles whose title or file name contains TEXT")
    p.add_argument("--list", action="store_true", help="list the articles and their sections, then stop")
    p.add_argument("--full", action="store_true", help="show whole paragraphs, not snippets")
    p.add_argument("--json", action="store_true", help="print one JSON object per query")
    p.add_argument("--explain", action="store_true", help="show which words matched, and by which rule")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the matched words: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), "
                        "always, never")
    _add_index(p)
    p.add_argument("--serve", action="store_true", help="serve the search page in a browser instead")
    _add_page(p)
    _add_debug(p)
    return p


def serve_parser() -> ArgumentParser:
    p = ArgumentParser(prog=launcher().prog("serve"),
                       description="Serve the search page: Persian, right to left, in a browser.")
    _add_index(p)
    _add_page(p)
    _add_debug(p)
    return p


def list_parser() -> ArgumentParser:
    p = ArgumentParser(prog=launcher().prog("list"), description="List the articles of an index and their sections.")
    _add_index(p)
    p.add_argument("--json", action="store_true", help="print them as one JSON array")
    _add_debug(p)
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
        return _serve(args)
    with open_index(args.index) as ix:
        return _answer(ix, args, words)


def _answer(ix: OpenIndex, args: argparse.Namespace, words: list[str]) -> int:
    if args.list:
        return _list(ix, args)
    stale = ix.stale_files()
    if stale:
        print(f"note: the corpus changed since the index was built ({', '.join(map(shown, stale[:3]))}"
              f"{', …' if len(stale) > 3 else ''}); run: "
              f"{launcher().command('index', ['--index', str(args.index), '--corpus', ix.meta['corpus']])}",
              file=sys.stderr)
    if words == ["-"]:
        return _batch(ix, args)
    text = " ".join(words).strip()
    if not text:
        raise UsageError(f"no query given; try: {launcher().command('search', ['کارگر'])}")
    result = search(ix, text, limit=args.limit, section=args.section, article=args.article)
    if args.json:
        print(as_json(result, args.full, args.explain))
    else:
        sys.stdout.write(_text(result, args))
    return 0 if result.hits else 1


def serve_main(argv: list[str] | None = None) -> int:
    """``fasearch serve``: ``search.py --serve`` with only the page's options."""
    return _serve(serve_parser().parse_args(argv))


def list_main(argv: list[str] | None = None) -> int:
    """``fasearch list``: ``search.py --list`` with only its options."""
    args = list_parser().parse_args(argv)
    with open_index(args.index) as ix:
        return _list(ix, args)


def _serve(args: argparse.Namespace) -> int:
    from .web import serve  # Flask and waitress load only for the page

    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    serve(args.index, args.host, args.port)
    return 0


def _list(ix: OpenIndex, args: argparse.Namespace) -> int:
    catalog = ix.meta.get("catalog", {})
    sys.stdout.write(catalog_json(catalog) + "\n" if args.json else catalog_text(catalog))
    return 0


def _batch(ix: OpenIndex, args: argparse.Namespace) -> int:
    """One JSON line (or text block) per input line, a blank one included, so
    the answers line up with the queries."""
    # A bad line is one error, not the end; only "\n" ends a line, as for wc -l.
    sys.stdin.reconfigure(errors="surrogateescape", newline="\n")  # type: ignore[union-attr]  # a TextIOWrapper
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


def _text(result: SearchResult, args: argparse.Namespace) -> str:
    color = use_color(args.color, sys.stdout)
    return as_text(result, color, args.full, args.explain, width=terminal_width(sys.stdout))
