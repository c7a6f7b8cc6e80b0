#!/usr/bin/env python3
"""Dump every answer fasearch gives to the judged queries, for a before/after diff.

    .venv/bin/python bench/answers.py OUT.jsonl [--paragraphs 2000] [--work DIR]

A refactoring must not change answers.  This builds three indexes with each
engine (the article in corpus/, tests/data/articles/ beside it, and the
``mixed`` corpus of bench/scale.py at ``--paragraphs``), then asks each one,
through ``search.py --json --explain -`` (the documented batch interface, so
the same script runs on any version), the judged queries of the three sets
and variants of each: the first two words quoted, the first word as a
prefix, the last excluded, the first required; and once more under a section
filter and with ``--full``.  One JSON line per answer goes to OUT.jsonl with
the index, engine and flags it came from: totals, order, scores, snippets and
explain rows.  Two dumps are compared with ``cmp`` or ``diff``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from measure import PYTHON, ROOT
from scale import judged_queries, make_corpus

ENGINES = ("whoosh", "tantivy")


def variants(query: str) -> list[str]:
    words = query.rstrip("؟?").split()
    out = [query]
    if len(words) >= 2:
        out.append(f'"{words[0]} {words[1]}" ' + " ".join(words[2:]))
        out.append(" ".join(words[:-1]) + f" -{words[-1]}")
        out.append(f"+{words[0]} " + " ".join(words[1:]))
    if len(words[0]) >= 3:
        out.append(words[0][:3] + "* " + " ".join(words[1:]))
    return out


def ask(index: Path, queries: list[str], flags: list[str]) -> list[str]:
    run = subprocess.run([PYTHON, "search.py", "--json", "--explain", *flags, "-", "--index", str(index)],
                         cwd=ROOT, input="".join(q + "\n" for q in queries), capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"search.py failed on {index}: {run.stderr}")
    return run.stdout.splitlines()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--paragraphs", type=int, default=2000)
    p.add_argument("--work", type=Path, help="keep the corpora and indexes here (default: a temporary folder)")
    args = p.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="fasearch-answers-"))
    queries = [v for q in judged_queries() for v in variants(q)]
    try:
        corpora = {"article": ROOT / "corpus", "articles": work / "articles", "mixed": work / "mixed"}
        if not corpora["articles"].exists():
            corpora["articles"].mkdir(parents=True)
            for path in [*ROOT.glob("corpus/*.txt"), *ROOT.glob("tests/data/articles/*.txt")]:
                shutil.copy(path, corpora["articles"] / path.name)
        if not corpora["mixed"].exists():
            make_corpus(corpora["mixed"], args.paragraphs, kind="mixed")
        with open(args.out, "w", encoding="utf-8") as out:
            for name, corpus in corpora.items():
                for engine in ENGINES:
                    index = work / f"index-{name}-{engine}"
                    subprocess.run([PYTHON, "indexer.py", "--quiet", "--corpus", str(corpus), "--index", str(index),
                                    "--engine", engine], cwd=ROOT, check=True)
                    for flags in ([], ["--section", "مقدمه"], ["--full", "--limit", "3"]):
                        for line in ask(index, queries, flags):
                            answer = json.loads(line)
                            answer.pop("seconds", None)
                            out.write(json.dumps({"index": name, "engine": engine, "flags": flags, **answer},
                                                 ensure_ascii=False, sort_keys=True) + "\n")
                    print(f"{name} {engine}: done", flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
