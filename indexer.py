#!/usr/bin/env python3
"""Build the search index from the articles in corpus/.

    python indexer.py                       # corpus/ -> index/
    python indexer.py --corpus other/ --index other-index/
"""

from __future__ import annotations

import sys
from pathlib import Path

from fasearch.cli import ArgumentParser, run
from fasearch.indexing import build_index


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="indexer.py", description="Index Persian articles, one document per paragraph.")
    p.add_argument("--corpus", type=Path, default=Path("corpus"), metavar="DIR", help="the articles (default corpus/)")
    p.add_argument("--index", type=Path, default=Path("index"), metavar="DIR", help="where to build the index (default index/)")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    report = build_index(args.corpus, args.index)
    if not args.quiet:
        print(f"Indexed {report.articles} article{'s' if report.articles != 1 else ''}, "
              f"{report.sections} sections, {report.paragraphs} paragraphs "
              f"into {args.index}/ in {report.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(run(main, None))
