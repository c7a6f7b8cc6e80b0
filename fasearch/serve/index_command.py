"""``fasearch index`` (and ``indexer.py``): build or update an index from a
folder of articles, and say what changed.

    fasearch index                          # corpus/ -> index/, only what changed
    fasearch index --rebuild                # analyse everything again
    fasearch index --corpus other/ --index other-index/
    fasearch index --engine tantivy         # the native engine, for large archives

The parser and :func:`main` are the one copy both the console script and the
project folder's ``indexer.py`` run, so their options, output and exit
statuses cannot drift apart.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from .. import engines
from ..engines import NAMES as ENGINES
from ..errors import PartialIndexError, UsageError
from ..indexing import MAX_FILE_BYTES, build_index, recorded_corpus
from .cli import ArgumentParser, launcher

DEFAULT_CORPUS = Path("corpus")  # beside the scripts, in the project folder
PROGRESS_FROM = 500  # paragraphs: fewer are done before a bar would help

T = TypeVar("T")


def parser() -> ArgumentParser:
    p = ArgumentParser(prog=launcher().prog("index"),
                       description="Index Persian articles, one document per paragraph.")
    p.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                   help="the articles (default: the folder the index was built from, else corpus/)")
    p.add_argument("--index", type=Path, default=Path("index"), metavar="DIR",
                   help="where to build the index (default index/)")
    p.add_argument("--rebuild", action="store_true", help="analyse every article again, not only what changed")
    p.add_argument("--allow-removal", action="store_true",
                   help="build even if that removes more than half of the index's articles")
    p.add_argument("--max-file-mb", type=float, default=MAX_FILE_BYTES / 2**20, metavar="MB",
                   help=f"skip (and name) files larger than this (default {MAX_FILE_BYTES // 2**20})")
    p.add_argument("--engine", choices=ENGINES, default=None,
                   help="whoosh (embedded, pure Python) or tantivy (native, for large archives); "
                        "default: the index's own, else whoosh; another engine rebuilds")
    p.add_argument("--quiet", action="store_true", help="print nothing on success but warnings")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    return p


class Progress:
    """What a long build shows on a terminal (nothing elsewhere): a bar over
    the paragraphs analysed, then the seconds the engine has been writing
    them (the commit, about half of a build, reports no steps of its own)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._clock: threading.Thread | None = None

    def __call__(self, total: int) -> Callable[[Iterable[T]], Iterable[T]]:
        if total < PROGRESS_FROM or not sys.stderr.isatty():
            return lambda rows: rows
        from tqdm import tqdm

        def rows_shown(rows: Iterable[T]) -> Iterator[T]:
            yield from tqdm(rows, total=total, unit=" paragraphs", file=sys.stderr)
            self._writing(tqdm)  # the last paragraph is in: the engine writes

        return rows_shown

    def _writing(self, tqdm: Any) -> None:
        bar = tqdm(total=None, desc="writing the index", bar_format="{desc}: {elapsed}", file=sys.stderr)

        def tick() -> None:
            while not self._stop.wait(0.5):
                bar.refresh()
            bar.close()

        self._clock = threading.Thread(target=tick, daemon=True)
        self._clock.start()

    def done(self) -> None:
        """The build returned or failed: stop the clock (its last line written)."""
        self._stop.set()
        if self._clock is not None:
            self._clock.join()


SHOWN_PER_KIND = 3  # warnings of one kind shown in full; the others are counted
_PLACE = re.compile(r"^.*?:(?:\d+:)? ")  # "file:line: " or "file: "
_QUOTED = re.compile(r"«[^»]*»")


def grouped(warnings: list[str]) -> list[str]:
    """``warnings`` ("file[:line]: message"), each kind of message (the same
    words but for what it quotes) shown for its first few files and then
    counted, so that one kind met in hundreds of files does not bury the rest.

    >>> for line in grouped([f"{n}.txt:3: «{n}» read as a heading" for n in "abcde"] + ["f.txt: empty file"]):
    ...     print(line)
    a.txt:3: «a» read as a heading
    b.txt:3: «b» read as a heading
    c.txt:3: «c» read as a heading
    and 2 more alike (d.txt, e.txt): «…» read as a heading
    f.txt: empty file
    """
    kinds: dict[str, list[str]] = {}
    for warning in warnings:
        kinds.setdefault(_QUOTED.sub("«…»", _PLACE.sub("", warning, count=1)), []).append(warning)
    out = []
    for kind, alike in kinds.items():
        out += alike[:SHOWN_PER_KIND]
        rest = alike[SHOWN_PER_KIND:]
        if rest:
            places = [_file_of(w) for w in rest]
            more = ", ".join(places[:SHOWN_PER_KIND]) + (", …" if len(places) > SHOWN_PER_KIND else "")
            out.append(f"and {len(rest)} more alike ({more}): {kind}")
    return out


def _file_of(warning: str) -> str:
    place = _PLACE.match(warning)
    return place.group(0).split(":")[0] if place else warning


def _file_limit(megabytes: float) -> int:
    if not megabytes > 0:
        raise UsageError(f"--max-file-mb must be more than 0, not {megabytes:g}")
    return int(megabytes * 2**20)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Not told which folder: the one the index was built from, so that a plain
    # update of an index of another folder never replaces it with corpus/.
    corpus = args.corpus or recorded_corpus(args.index) or DEFAULT_CORPUS
    progress = Progress()
    try:
        report = build_index(corpus, args.index, rebuild=args.rebuild, progress=progress, engine=args.engine,
                             allow_removal=args.allow_removal, max_file_bytes=_file_limit(args.max_file_mb))
    finally:
        progress.done()
    for warning in grouped(report.warnings):  # even with --quiet: text misread or left out (docs/articles.md)
        print(f"warning: {warning}", file=sys.stderr)
    for line in ([report.note] if report.note else []) + [f"warning: skipped {w}" for w in report.skipped]:
        print(line if line.startswith("warning") else f"note: {line}", file=sys.stderr)
    status = PartialIndexError.exit_status if report.skipped else 0
    if args.quiet:
        return status
    s = _plural
    if report.generation is None:
        print(f"{args.index}/ is up to date: {s(report.articles, 'article')}, "
              f"{s(report.paragraphs, 'paragraph')} ({report.seconds:.1f} s)")
        return status
    used = engines.ENGINES[report.engine]  # past its slow_from, the indexer suggests another engine
    if used.slow_from is not None and report.paragraphs >= used.slow_from:
        print(f"note: {report.paragraphs:,} paragraphs: searches on the {used.title} engine slow down above "
              f"{used.slow_from:,}; for answers in milliseconds rebuild with --engine {used.instead} "
              "(see docs/scale.md)", file=sys.stderr)
    changes = [f"{len(names)} {what}" for what, names in
               (("added", report.added), ("changed", report.changed), ("removed", report.removed)) if names]
    print(f"Indexed {s(report.articles, 'article')}, {s(report.sections, 'section')}, "
          f"{s(report.paragraphs, 'paragraph')} into {args.index}/ in {report.seconds:.1f} s"
          + (f" ({', '.join(changes)} file{'s' if len(report.added + report.changed + report.removed) != 1 else ''};"
             f" {s(report.analysed, 'paragraph')} analysed)" if changes else ""))
    return status
