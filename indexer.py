#!/usr/bin/env python3
"""Build or update the search index from the articles in corpus/.

    python indexer.py                       # corpus/ -> index/, only what changed
    python indexer.py --rebuild             # analyse everything again
    python indexer.py --corpus other/ --index other-index/
    python indexer.py --engine tantivy      # the native engine, for large archives
"""

from __future__ import annotations

import sys
from pathlib import Path

from fasearch.serve.cli import ArgumentParser, run
from fasearch.errors import PartialIndexError
from fasearch import engines
from fasearch.engines import NAMES as ENGINES
from fasearch.indexing import build_index

PROGRESS_FROM = 500  # paragraphs: fewer are done before a bar would help


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="indexer.py", description="Index Persian articles, one document per paragraph.")
    p.add_argument("--corpus", type=Path, default=Path("corpus"), metavar="DIR", help="the articles (default corpus/)")
    p.add_argument("--index", type=Path, default=Path("index"), metavar="DIR", help="where to build the index (default index/)")
    p.add_argument("--rebuild", action="store_true", help="analyse every article again, not only what changed")
    p.add_argument("--engine", choices=ENGINES, default=None,
                   help="whoosh (embedded, pure Python) or tantivy (native, for large archives); "
                        "default: the index's own, else whoosh; another engine rebuilds")
    p.add_argument("--quiet", action="store_true", help="print nothing on success but warnings")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    return p


def _progress(total: int):
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        return lambda rows: rows
    from tqdm import tqdm

    return lambda rows: tqdm(rows, total=total, unit=" paragraphs", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    report = build_index(args.corpus, args.index, rebuild=args.rebuild, progress=_progress, engine=args.engine)
    for warning in report.warnings:  # even with --quiet: text misread or left out (README)
        print(f"warning: {warning}", file=sys.stderr)
    for line in ([report.note] if report.note else []) + [f"warning: skipped {w}" for w in report.skipped]:
        print(line if line.startswith("warning") else f"note: {line}", file=sys.stderr)
    status = PartialIndexError.exit_status if report.skipped else 0
    if args.quiet:
        return status
    s = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"  # noqa: E731
    if report.generation is None:
        print(f"{args.index}/ is up to date: {s(report.articles, 'article')}, "
              f"{s(report.paragraphs, 'paragraph')} ({report.seconds:.1f} s)")
        return status
    used = engines.ENGINES[report.engine]  # past its slow_from, the indexer suggests another engine
    if used.slow_from is not None and report.paragraphs >= used.slow_from:
        print(f"note: {report.paragraphs:,} paragraphs: searches on the {used.title} engine slow down above "
              f"{used.slow_from:,}; for answers in milliseconds rebuild with --engine {used.instead} "
              "(see README, Scale)", file=sys.stderr)
    changes = [f"{len(names)} {what}" for what, names in
               (("added", report.added), ("changed", report.changed), ("removed", report.removed)) if names]
    print(f"Indexed {s(report.articles, 'article')}, {s(report.sections, 'section')}, "
          f"{s(report.paragraphs, 'paragraph')} into {args.index}/ in {report.seconds:.1f} s"
          + (f" ({', '.join(changes)} file{'s' if len(report.added + report.changed + report.removed) != 1 else ''};"
             f" {s(report.analysed, 'paragraph')} analysed)" if changes else ""))
    return status


if __name__ == "__main__":
    sys.exit(run(main, None))
