"""The two scripts: exact output, exit statuses, JSON, errors without tracebacks."""

import json
import os
import re
import subprocess
import sys

import pytest

import indexer
import search as search_cli
from conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli") / "index"
    assert indexer.main(["--corpus", str(CORPUS), "--index", str(folder), "--quiet"]) == 0
    return folder


def run(*args, stdin=None):
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_indexer_reports_what_it_indexed(tmp_path, capsys):
    assert indexer.main(["--corpus", str(CORPUS), "--index", str(tmp_path / "ix")]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(rf"Indexed 1 article, 7 sections, 13 paragraphs into {tmp_path}/ix/ in \d+\.\d s"
                        r" \(1 added file; 13 paragraphs analysed\)\n", out)


def test_search_text_output(index_dir, capsys):
    assert search_cli.main(["کارگران", "نفت", "--index", str(index_dir), "--limit", "1"]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[0] == "2 paragraphs match «کارگران نفت» (showing 1)"
    assert lines[1] == ""
    assert re.fullmatch(r"1\. ایجاد پشتوانه بین المللی · paragraph 8 · score \d+\.\d\d", lines[2])
    assert lines[3] == "   حزب کمونیست کارگری و جنبش کارگری — اصغر کریمی — قسمت دوم"
    assert lines[4].startswith("   کمپین حزب در حمایت از اعتصاب **کارگران** **نفت** در زمستان ۱۳۷۵")


def test_search_full_and_explain(index_dir, capsys):
    assert search_cli.main(["كارگرها", "--index", str(index_dir), "--limit", "1", "--full", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "↳ كارگرها → کارگران (lemma)" in out or "↳ كارگرها → کارگر (lemma)" in out
    assert "…" not in out.split("\n")[4]  # --full: the whole paragraph, no ellipsis


def test_json(index_dir, capsys):
    assert search_cli.main(["--json", "--explain", "هفت‌تپه", "--index", str(index_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "هفت‌تپه" and data["total"] == 3
    hit = data["hits"][0]
    assert set(hit) >= {"rank", "score", "article", "section", "paragraph", "text", "snippet", "explain"}
    assert hit["article"]["title"] == "حزب کمونیست کارگری و جنبش کارگری"
    assert {"query": "هفت‌تپه", "found": "هفت تپه", "rule": "space/ZWNJ join"} == {
        k: hit["explain"][0][k] for k in ("query", "found", "rule")}
    start, end = hit["highlights"][0]
    assert hit["text"][start:end] == "هفت تپه"


def test_json_batch_from_stdin(index_dir):
    result = run("search.py", "--json", "-", "--index", str(index_dir), stdin="کارگر\n\nنفت\n!!!\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["کارگر", "نفت", "!!!"]
    assert lines[0]["total"] == 13 and lines[1]["total"] == 2 and "error" in lines[2]


@pytest.mark.parametrize(("args", "status", "message"), [
    (["کارگر"], 0, None),
    (["zzzz"], 1, None),  # no hits
    ([], 2, "Error: no query given; try: .venv/bin/python search.py کارگر"),
    (["  "], 2, "Error: no query given; try: .venv/bin/python search.py کارگر"),
    (["--bogus", "کارگر"], 2, "Error: unrecognized arguments: --bogus (see search.py --help)"),
    (["کارگر", "--limit", "0"], 2, "Error: --limit must be 1 or more, not 0"),
    (["کارگر", "--limit", "x"], 2, "Error: argument --limit: invalid int value: 'x' (see search.py --help)"),
    (["!!!"], 2, "Error: the query has no word to search for; type a Persian or Latin word"),
])
def test_exit_statuses(index_dir, args, status, message):
    result = run("search.py", *args, "--index", str(index_dir))
    assert result.returncode == status
    assert "Traceback" not in result.stderr
    if message:
        assert result.stderr == message + "\n"


def test_missing_index(tmp_path):
    result = run("search.py", "کارگر", "--index", str(tmp_path / "none"))
    assert result.returncode == 3
    assert result.stderr == f"Error: no index in {tmp_path}/none; build it with: .venv/bin/python indexer.py --index {tmp_path}/none\n"


def test_stale_index_is_reported(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("عنوان\n\nکارگران نفت اعتصاب کردند.\n", "utf-8")
    assert indexer.main(["--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--quiet"]) == 0
    (corpus / "a.txt").write_text("عنوان\n\nکارگران نفت اعتصاب کردند و پیروز شدند.\n", "utf-8")
    result = run("search.py", "نفت", "--index", str(tmp_path / "ix"))
    assert result.returncode == 0
    assert result.stderr == "note: the corpus changed since the index was built (a.txt); run: .venv/bin/python indexer.py\n"


def test_missing_corpus(tmp_path):
    result = run("indexer.py", "--corpus", str(tmp_path / "none"), "--index", str(tmp_path / "ix"))
    assert result.returncode == 4
    assert result.stderr == f"Error: no corpus folder at {tmp_path}/none; put .txt or .md articles there\n"


@pytest.mark.parametrize("script", ["search.py", "indexer.py"])
def test_help(script):
    result = run(script, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


@pytest.mark.parametrize("module", [search_cli, indexer])
def test_every_option_is_in_the_readme(module):
    readme = (ROOT / "README.md").read_text("utf-8")
    for action in module.parser()._actions:
        for option in action.option_strings:
            assert option in readme, f"{option} of {module.__name__} is not documented in README.md"
