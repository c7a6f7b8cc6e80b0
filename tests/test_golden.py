"""The analysis, pinned: the tokens of every heading and paragraph of the
article and the test articles, as both content fields hold them.

An index records ``fasearch.text.ANALYSIS_VERSION``; an index built with
another version is rebuilt.  So a change that alters a single token must
bump the version, and this test fails until it does.  To accept a change:
bump ``ANALYSIS_VERSION`` in fasearch/text/__init__.py, then

    .venv/bin/python tests/test_golden.py --update

which refuses to record other tokens under the version already recorded.
The tokens are derived from hazm itself (``FASEARCH_NO_CACHE=1``, in a
process of their own), never from a lexicon cache an older version left.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden-tokens.txt"
SOURCES = [*sorted((ROOT / "corpus").glob("*.txt")), *sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))]


def tokens_now() -> list[str]:
    """One line per heading or paragraph and field: ``id<TAB>field<TAB>pos:token …``."""
    sys.path.insert(0, str(ROOT))
    from fasearch.corpus.article import read_article
    from fasearch.text.analysis import fold_analyzer, lemma_analyzer

    analyzers = {"fold": fold_analyzer(), "lemma": lemma_analyzer()}
    lines = []
    for path in SOURCES:
        article = read_article(path)
        texts = [(f"{path.name}#h{i}", s.heading) for i, s in enumerate(article.sections, start=1)]
        texts += [(f"{path.name}#{n}", text) for n, (_, text) in enumerate(article.paragraphs, start=1)]
        for name, text in texts:
            for field, analyzer in analyzers.items():
                found = " ".join(f"{t.pos}:{t.text}" for t in analyzer(text, positions=True))
                lines.append(f"{name}\t{field}\t{found}")
    return lines


def computed() -> tuple[int, list[str]]:
    """(ANALYSIS_VERSION, the tokens), from hazm's data in a fresh process."""
    env = {**os.environ, "FASEARCH_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, __file__, "--print"], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    return int(out[0]), out[1:]


def recorded() -> tuple[int, list[str]]:
    lines = GOLDEN.read_text("utf-8").splitlines()
    return int(lines[0].removeprefix("# ANALYSIS_VERSION ")), lines[1:]


def test_tokens_are_those_of_the_recorded_analysis_version():
    version, now = computed()
    golden_version, golden = recorded()
    if now != golden:
        diff = "\n".join(list(difflib.unified_diff(golden, now, "golden", "now", lineterm="", n=0))[:20])
        assert version != golden_version, (
            "the analysis changed, but ANALYSIS_VERSION did not: bump it in fasearch/text/__init__.py "
            f"(indexes built before must be rebuilt), then run tests/test_golden.py --update\n{diff}")
        raise AssertionError(f"ANALYSIS_VERSION is {version}: record its tokens with tests/test_golden.py "
                             f"--update\n{diff}")
    assert version == golden_version, f"the tokens did not change: keep ANALYSIS_VERSION at {golden_version}"


def test_golden_file_covers_every_text():
    _, golden = recorded()
    assert len(golden) > 250  # 2 fields x every heading and paragraph of 9 articles
    assert {line.split("\t")[1] for line in golden} == {"fold", "lemma"}
    assert {line.split("#")[0] for line in golden} == {p.name for p in SOURCES}


def main() -> None:
    from fasearch.text import ANALYSIS_VERSION

    if sys.argv[1:] == ["--print"]:
        print(ANALYSIS_VERSION)
        print("\n".join(tokens_now()))
        return
    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: tests/test_golden.py --update")
    version, now = computed()
    if GOLDEN.exists():
        golden_version, golden = recorded()
        if now != golden and version == golden_version:
            raise SystemExit(f"the tokens changed: bump ANALYSIS_VERSION (now {version}) first")
    GOLDEN.write_text(f"# ANALYSIS_VERSION {version}\n" + "\n".join(now) + "\n", "utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}: {len(now)} lines, version {version}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
