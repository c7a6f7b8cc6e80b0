#!/usr/bin/env python3
"""Peak memory of a searching process: both engines beside plain Whoosh.

    .venv/bin/python bench/memory.py [--size 10000] [--corpus mixed] [--keep DIR]

Builds one corpus (bench/scale.py's ``make_corpus``), indexes it with each
engine and with plain Whoosh (bench/baselines.py), then, for each, runs one
process that opens the index and searches every judged query twice
(fasearch: ``search()`` and its JSON, highlights included), and prints the
process's peak resident memory (from the kernel) and the CPU time a query
of the second pass (p50/p95).  ``whoosh, copying`` is the Whoosh engine
opened through Whoosh's own storage, which copies every file of a compound
segment into memory: what fasearch did before ``MappedStorage``.

Mapped segment pages count in the resident size but are the kernel's page
cache: shared by every open index and process, and dropped under pressure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import PYTHON, ROOT, percentile_ms, run_once
from scale import judged_queries, make_corpus


def child(kind: str, index: str) -> None:
    """Open ``index``, run the queries twice; print CPU ms a query of the second pass."""
    sys.path.insert(0, str(ROOT))
    queries = judged_queries()
    if kind == "plain":
        sys.path.insert(0, str(ROOT / "bench"))
        from baselines import whoosh_searcher
        from whoosh import index as whoosh_index

        run = whoosh_searcher(whoosh_index.open_dir(index))
    else:
        from fasearch.index import open_index
        from fasearch.searching.search import search
        from fasearch.serve.output import as_json

        if kind == "copying":
            from whoosh import index as whoosh_index

            import fasearch.engines.whoosh as engine

            engine.open_whoosh = lambda folder: whoosh_index.open_dir(str(folder))
        ix = open_index(Path(index))

        def run(query):
            return as_json(search(ix, query), False, False)
    for query in queries:
        run(query)
    cpu = []
    for query in queries:
        start = time.process_time()
        run(query)
        cpu.append(time.process_time() - start)
    print(percentile_ms(cpu, 0.5), percentile_ms(cpu, 0.95))


def measure(kind: str, index: Path) -> tuple[float, float, float]:
    """Peak MB, p50 and p95 ms of one child process."""
    process = subprocess.Popen([PYTHON, __file__, "--child", kind, str(index)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{kind} failed")
    p50, p95 = map(float, out.split())
    return usage.ru_maxrss / 1024, p50, p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--corpus", default="mixed", choices=("article", "mixed"))
    parser.add_argument("--keep", type=Path, help="build here and keep (reused when there)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    work = args.keep or Path(tempfile.mkdtemp(prefix="fasearch-memory-"))
    corpus = work / f"corpus-{args.corpus}-{args.size}"
    if not corpus.exists():
        make_corpus(corpus, args.size, kind=args.corpus)
    indexes = {"whoosh": work / "index-whoosh", "tantivy": work / "index-tantivy", "plain": work / "plain"}
    for name, folder in indexes.items():
        if not folder.exists():
            argv = [PYTHON, "bench/baselines.py", "whoosh-build", str(corpus), str(folder)] if name == "plain" \
                else [PYTHON, "indexer.py", "--engine", name, "--corpus", str(corpus), "--index", str(folder)]
            run_once(argv, ok=(0,))
    rows = [("whoosh", "whoosh"), ("whoosh, copying", "copying"), ("tantivy", "tantivy"), ("plain Whoosh", "plain")]
    print(f"{args.size} paragraphs ({args.corpus}): peak resident MB of a process searching "
          f"{len(judged_queries())} queries twice; CPU ms a query of the second pass")
    print(f"{'':16} {'peak MB':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for label, kind in rows:
        folder = indexes["whoosh" if kind == "copying" else kind]
        peak, p50, p95 = measure(kind, folder)
        print(f"{label:16} {peak:8.0f} {p50:8.1f} {p95:8.1f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
