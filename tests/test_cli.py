"""The command line (the scripts and the fasearch command): exact output, exit statuses, JSON,
errors without tracebacks, hints in the words the user typed."""

import fcntl
import hashlib
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest

import fasearch
import indexer
import search as search_cli
from conftest import ARTICLE, CORPUS, ROOT
from fasearch.serve.output import display_width, wrap


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli") / "index"
    assert indexer.main(["--corpus", str(CORPUS), "--index", str(folder), "--quiet"]) == 0
    return folder


def run(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})


def test_indexer_reports_what_it_indexed(tmp_path, capsys):
    assert indexer.main(["--corpus", str(CORPUS), "--index", str(tmp_path / "ix")]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(rf"Indexed 1 article, 7 sections, 13 paragraphs into {tmp_path}/ix/ in \d+\.\d s"
                        r" \(1 added file; 13 paragraphs analysed\)\n", out)


def test_indexer_warns_naming_file_and_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("اصغر کریمی\nحزب کمونیست کارگری و جنبش کارگری\nقسمت دوم\n\nمقدمه‌ای کوتاه\n"
                                  "کارگران نفت در زمستان ۱۳۷۵ اعتصاب کردند.\n", "utf-8")
    (corpus / "b.md").write_text("", "utf-8")
    warnings = (f"warning: {corpus}/a.txt:5: «مقدمه‌ای کوتاه» after the header read as a heading\n"
                f"warning: {corpus}/b.md: empty file; nothing from it is indexed\n")
    for quiet in ([], ["--quiet"]):  # --quiet silences the summary, not the warnings
        result = run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--rebuild", *quiet)
        assert result.returncode == 0 and result.stderr == warnings
        assert result.stdout.startswith("Indexed 2 articles, 1 section, 1 paragraph") != bool(quiet)
    result = run("search.py", "--list", "--index", str(tmp_path / "ix"))
    assert result.stdout.split("\n")[:2] == [
        "a.txt: حزب کمونیست کارگری و جنبش کارگری — اصغر کریمی — قسمت دوم (1 paragraph)", "   مقدمه‌ای کوتاه · 1"]
    unchanged = run("indexer.py", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    assert unchanged.stderr == ""  # warned when the files were read, not at every run


def test_search_text_output(index_dir, capsys):
    assert search_cli.main(["کارگران", "نفت", "--index", str(index_dir), "--limit", "1"]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[0] == "2 paragraphs match «کارگران نفت» (showing 1)"
    assert lines[1] == ""
    assert re.fullmatch(r"1\. ایجاد پشتوانه بین المللی · paragraph 8 · score \d+\.\d\d", lines[2])
    assert lines[3] == "   حزب کمونیست کارگری و جنبش کارگری — اصغر کریمی — قسمت دوم"
    assert lines[4].startswith("   کمپین حزب در حمایت از اعتصاب **کارگران نفت** در زمستان ۱۳۷۵")


def test_search_full_and_explain(index_dir, capsys):
    assert search_cli.main(["كارگرها", "--index", str(index_dir), "--limit", "1", "--full", "--explain"]) == 0
    out = capsys.readouterr().out
    # Typed with Arabic kaf: every form found is a lemma match, each counted.
    assert "↳ كارگرها → کارگران (lemma) ×20" in out and "↳ كارگرها → کارگر (lemma) ×6" in out
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
    assert [line["query"] for line in lines] == ["کارگر", "", "نفت", "!!!"]
    assert lines[0]["total"] == 13 and lines[2]["total"] == 2 and "error" in lines[1] and "error" in lines[3]


def test_json_batch_prints_one_line_per_input_line(index_dir):
    # Blank and blank-looking lines, CRLF, a lone CR, a line separator, bad UTF-8, no final newline.
    queries = ["کارگر", "", "  ", "نفت\r", "هفت\rتپه", "اعتصاب\u2028نفت", "\udcff", "!!!", "خانواده"]
    stdin = "\n".join(queries).encode("utf-8", "surrogateescape")
    result = subprocess.run([sys.executable, "search.py", "--json", "-", "--index", str(index_dir), "--limit", "1"],
                            cwd=ROOT, capture_output=True, input=stdin)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(queries) == stdin.count(b"\n") + 1
    objects = [json.loads(line) for line in lines]
    assert [o["query"] for o in objects] == [
        "کارگر", "", "", "نفت", "هفت\rتپه", "اعتصاب\u2028نفت", "\\xff", "!!!", "خانواده"]
    assert [o.get("error") for o in objects] == [
        None, "empty line: no query given", "empty line: no query given", None, None, None,
        "the query is not valid UTF-8", "the query has no word to search for; type a Persian or Latin word", None]


def test_text_batch_prints_one_block_per_input_line(index_dir):
    result = run("search.py", "-", "--index", str(index_dir), "--limit", "1", stdin="نفت\n\nzzzz\n")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.split("\n\n\n")  # two blank lines end a block; one separates hits
    assert len(blocks) == 4 and blocks[3] == ""
    assert re.fullmatch(r"2 paragraphs match «نفت» \(showing 1\)\n\n1\. ایجاد پشتوانه بین المللی · paragraph 8"
                        r" · score \d+\.\d\d\n   حزب کمونیست کارگری و جنبش کارگری — اصغر کریمی — قسمت دوم\n"
                        r"   کمپین حزب در حمایت از اعتصاب کارگران \*\*نفت\*\* [^\n]+…", blocks[0])
    assert blocks[1] == "Error: empty line: no query given"
    assert blocks[2] == "No paragraph holds «zzzz» in any form.\n0 paragraphs match «zzzz»"


def run_on_terminal(*args, columns=60, **env):
    """A script with its output on a pseudo-terminal of ``columns`` columns, as in a real one."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM", "COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=slave, stderr=subprocess.PIPE,
                            env={**clean, "TERM": "xterm-256color", **env})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the script closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait() == 0, proc.stderr.read()
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


COLOURED = "\x1b[1;33mکارگران نفت\x1b[0m"  # words side by side: one mark
QUERY = ("کارگران", "نفت", "--limit", "1")


def test_terminal_output_is_coloured_and_wrapped(index_dir):
    out = run_on_terminal("search.py", *QUERY, "--index", str(index_dir), columns=60)
    lines = out.split("\n")
    assert lines[0] == "2 paragraphs match «کارگران نفت» (showing 1)"
    assert re.fullmatch(r"1\. ایجاد پشتوانه بین المللی · paragraph 8 · score \d+\.\d\d", lines[2])
    assert lines[3] == "   حزب کمونیست کارگری و جنبش کارگری — اصغر کریمی — قسمت دوم"
    assert lines[4] == "   کمپین حزب در حمایت از اعتصاب " + COLOURED + " در زمستان ۱۳۷۵"
    assert lines[5] == "   که به مدت بیش از سه ماه بطول انجامید، عظیم ترین کمپین بین"  # 60 columns
    snippet = lines[4:-1]
    assert len(snippet) > 3 and all(display_width(line) <= 60 and line.startswith("   ") for line in snippet)


@pytest.mark.parametrize(("args", "env"), [
    (["--color", "never"], {}),
    ([], {"NO_COLOR": "1"}),
    ([], {"TERM": "dumb"}),
])
def test_no_colour_on_request_but_still_wrapped(index_dir, args, env):
    out = run_on_terminal("search.py", *QUERY, *args, "--index", str(index_dir), columns=60, **env)
    assert "\x1b" not in out
    assert out.split("\n")[4:6] == ["   کمپین حزب در حمایت از اعتصاب **کارگران نفت** در زمستان",
                                     "   ۱۳۷۵ که به مدت بیش از سه ماه بطول انجامید، عظیم ترین"]


def test_color_always_wins_over_no_color_and_a_pipe_is_not_wrapped(index_dir):
    result = run("search.py", *QUERY, "--color", "always", "--index", str(index_dir), env={"NO_COLOR": "1"})
    assert result.returncode == 0
    snippet = result.stdout.split("\n")[4]
    assert COLOURED in snippet and len(snippet) > 200  # one long line: a pipe has no width
    piped = run("search.py", *QUERY, "--index", str(index_dir))
    assert "\x1b" not in piped.stdout and "**کارگران نفت**" in piped.stdout


def test_wrap_breaks_at_spaces_with_a_hanging_indent():
    text = "اعتصاب \x1b[1;33mکارگران نفت\x1b[0m در زمستان ۱۳۷۵ که به مدت بیش از سه ماه"
    assert wrap(text, 20, first="1. ") == [
        "1. اعتصاب \x1b[1;33mکارگران\x1b[0m",  # the colour is closed at the break…
        "   \x1b[1;33mنفت\x1b[0m در زمستان",  # …and opened again after the indent
        "   ۱۳۷۵ که به مدت",
        "   بیش از سه ماه",
    ]
    assert wrap("هفت‌تپه " + "ب" * 30, 20) == ["   هفت‌تپه", "   " + "ب" * 30]  # a long word is not cut


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
    assert result.stderr == (f"Error: no index in {tmp_path}/none; build it with: "
                             f".venv/bin/python indexer.py --index {tmp_path}/none\n")


def test_stale_index_is_reported(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("عنوان\n\nکارگران نفت اعتصاب کردند.\n", "utf-8")
    assert indexer.main(["--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--quiet"]) == 0
    (corpus / "a.txt").write_text("عنوان\n\nکارگران نفت اعتصاب کردند و پیروز شدند.\n", "utf-8")
    result = run("search.py", "نفت", "--index", str(tmp_path / "ix"))
    assert result.returncode == 0
    # The command names the index and the corpus it was built from, so running it updates that index.
    assert result.stderr == ("note: the corpus changed since the index was built (a.txt); run: .venv/bin/python "
                             f"indexer.py --index {tmp_path / 'ix'} --corpus {corpus}\n")


def test_missing_corpus(tmp_path):
    result = run("indexer.py", "--corpus", str(tmp_path / "none"), "--index", str(tmp_path / "ix"))
    assert result.returncode == 4
    assert result.stderr == (f"Error: no corpus folder at {tmp_path}/none; "
                             "put articles there (.txt, .md, .html, .htm, .docx, .odt, .epub, .pdf)\n")


@pytest.mark.parametrize("script", ["search.py", "indexer.py"])
def test_help(script):
    result = run(script, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


@pytest.mark.parametrize("module", [search_cli, indexer])
def test_every_option_is_in_the_cli_docs(module):
    docs = (ROOT / "docs" / "cli.md").read_text("utf-8")  # the reference; the README links to it
    for action in module.parser()._actions:
        for option in action.option_strings:
            assert f"`{option}" in docs, f"{option} of {module.__name__} is not documented in docs/cli.md"


@pytest.mark.slow
def test_first_run_says_it_builds_the_lexicon_cache(index_dir, tmp_path):
    env = {"FASEARCH_CACHE": str(tmp_path / "cache")}
    first = run("search.py", "کارگر", "--index", str(index_dir), env=env)
    assert first.returncode == 0
    assert first.stderr == (f"note: building hazm's lexicon cache in {tmp_path}/cache "
                            "(first run only; a few seconds)…\n")
    again = run("search.py", "کارگر", "--index", str(index_dir), env=env)
    assert again.returncode == 0 and again.stderr == ""
    (tmp_path / "file").write_text("")
    unwritable = run("search.py", "کارگر", "--index", str(index_dir),
                     env={"FASEARCH_CACHE": str(tmp_path / "file/cache")})
    assert unwritable.returncode == 0
    assert unwritable.stderr == (f"note: building hazm's lexicon cache in {tmp_path}/file/cache (first run only; a few "
                                 "seconds)…\nnote: cannot write it (Not a directory), so every run builds it; "
                                 "set FASEARCH_CACHE to a writable folder\n")


def _setup_stamp():
    return f"{hashlib.sha256((ROOT / 'pyproject.toml').read_bytes()).hexdigest()} test\n"


STAMP = ROOT / ".venv" / ".setup-stamp"


@pytest.mark.skipif(not STAMP.exists() or STAMP.read_text() != _setup_stamp(),
                    reason="not set up by ./setup.sh --test")
def test_setup_runs_pip_only_when_pyproject_changed():
    # pip stops at once on a bad option, so setup.sh succeeds only if it never calls pip.
    broken_pip = {**os.environ, "PIP_TIMEOUT": "not-a-number"}
    setup = lambda: subprocess.run(["sh", "setup.sh", "--test"], cwd=ROOT, capture_output=True,  # noqa: E731
                                   text=True, env=broken_pip)
    try:
        result = setup()
        assert result.returncode == 0 and result.stderr == ""
        STAMP.write_text("0" * 64 + " test\n")  # as if pyproject.toml had changed since
        result = setup()
        assert result.returncode != 0 and "option timeout: invalid" in result.stdout + result.stderr
        assert not STAMP.exists()  # a failed install is tried again next time
    finally:
        STAMP.write_text(_setup_stamp())  # the pins were met all along


# --- the fasearch command: the same parsers and output, hints in its own words ---------

@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """A ``fasearch`` console script on PATH, as pip writes one, running this
    checkout's package; run from a folder outside the checkout."""
    folder = tmp_path_factory.mktemp("console")
    script = folder / "bin" / "fasearch"
    script.parent.mkdir()
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom fasearch.serve.commands import main\n"
                      "if __name__ == '__main__':\n    sys.exit(main())\n")
    script.chmod(0o755)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT),
           "PATH": f"{script.parent}{os.pathsep}{os.environ.get('PATH', '')}"}

    def fasearch(*args, stdin=None, module=False):
        command = [sys.executable, "-m", "fasearch"] if module else ["fasearch"]
        return subprocess.run([*command, *args], cwd=folder, capture_output=True, text=True, input=stdin, env=env)

    return fasearch


def test_fasearch_index_is_indexer_py(console, tmp_path):
    result = console("index", "--corpus", str(CORPUS), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0 and result.stderr == ""
    assert re.fullmatch(rf"Indexed 1 article, 7 sections, 13 paragraphs into {tmp_path}/ix/ in \d+\.\d s"
                        r" \(1 added file; 13 paragraphs analysed\)\n", result.stdout)
    again = console("index", "--corpus", str(CORPUS), "--index", str(tmp_path / "ix"))
    assert again.returncode == 0 and again.stdout.startswith(f"{tmp_path}/ix/ is up to date: 1 article")


def test_fasearch_search_json_is_search_py_json(console, index_dir):
    args = ("--json", "--explain", "کارگران", "نفت", "-اعتصاب", "--index", str(index_dir))
    ours, scripts = console("search", *args), run("search.py", *args)
    assert ours.returncode == scripts.returncode == 0 and ours.stderr == scripts.stderr == ""
    assert ours.stdout == scripts.stdout
    assert json.loads(ours.stdout)["hits"]
    batch = console("search", "--json", "-", "--index", str(index_dir), stdin="کارگر\nنفت\n", module=True)
    assert [json.loads(line)["total"] for line in batch.stdout.splitlines()] == [13, 2]


def test_fasearch_list_is_search_py_list(console, index_dir):
    for json_flag in ([], ["--json"]):
        ours = console("list", *json_flag, "--index", str(index_dir))
        scripts = run("search.py", "--list", *json_flag, "--index", str(index_dir))
        assert ours.returncode == scripts.returncode == 0 and ours.stdout == scripts.stdout
    assert ours.stdout.startswith('[{"file": "karimi-workers-party-and-labour-movement-part2.txt"')


def test_fasearch_serve_help(console):
    result = console("serve", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: fasearch serve [-h] [--index DIR] [--port N] [--host ADDR]")
    bad = console("serve", "--port", "0", "--index", "nowhere")
    assert bad.returncode == 2 and bad.stderr == "Error: --port must be between 1 and 65535, not 0\n"


def test_python_m_fasearch_help(console):
    result = console("--help", module=True)
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: {sys.executable} -m fasearch COMMAND [OPTIONS]\n")
    for name in ("index", "search", "serve", "list"):
        assert re.search(rf"^  {name} +\S", result.stdout, re.MULTILINE), name
    assert console("--version").stdout == f"fasearch {fasearch.__version__}\n"


@pytest.mark.parametrize(("args", "message"), [
    ([], "Error: no command given; choose one of index, search, serve, list (see fasearch --help)"),
    (["find", "کارگر"], "Error: unknown command 'find'; choose one of index, search, serve, list "
                        "(see fasearch --help)"),
    (["search", "--bogus"], "Error: unrecognized arguments: --bogus (see fasearch search --help)"),
    (["search", "--index", "."], "Error: no query given; try: fasearch search کارگر"),
])
def test_fasearch_usage_errors_name_fasearch(console, index_dir, args, message):
    if args[-2:] == ["--index", "."]:
        args = [*args[:-1], str(index_dir)]
    result = console(*args)
    assert result.returncode == 2 and result.stderr == message + "\n"


def test_hints_name_the_command_as_it_was_run(console, index_dir, tmp_path):
    """The stale-corpus note and an error's fix, written the three ways fasearch runs."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("عنوان\n\nکارگران نفت اعتصاب کردند.\n", "utf-8")
    assert console("index", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--quiet").returncode == 0
    (corpus / "a.txt").write_text("عنوان\n\nکارگران نفت اعتصاب کردند و پیروز شدند.\n", "utf-8")
    note = "note: the corpus changed since the index was built (a.txt); run: {} --index {} --corpus {}\n"
    stale = console("search", "نفت", "--index", str(tmp_path / "ix")).stderr
    assert stale == note.format("fasearch index", tmp_path / "ix", corpus)
    module = console("search", "نفت", "--index", str(tmp_path / "ix"), module=True)
    assert module.stderr == note.format(f"{sys.executable} -m fasearch index", tmp_path / "ix", corpus)
    empty = console("search", "--index", str(index_dir), module=True)
    assert empty.stderr == f"Error: no query given; try: {sys.executable} -m fasearch search کارگر\n"


@pytest.mark.parametrize(("argv", "orig_argv", "expected"), [
    (["/venv/bin/fasearch", "search"], ["/venv/bin/python", "/venv/bin/fasearch", "search"],
     "/venv/bin/fasearch index --index 'my ix' --rebuild"),
    (["/p/fasearch/__main__.py", "search"], ["python3", "-m", "fasearch", "search"],
     "python3 -m fasearch index --index 'my ix' --rebuild"),
    (["search.py", "x"], ["/p/.venv/bin/python", "search.py", "x"],
     ".venv/bin/python indexer.py --index 'my ix' --rebuild"),
    (["../p/search.py", "x"], ["python3", "../p/search.py", "x"],
     "python3 ../p/indexer.py --index 'my ix' --rebuild"),
])
def test_an_errors_fix_is_written_as_the_process_was_started(monkeypatch, capsys, argv, orig_argv, expected):
    from fasearch.errors import Fix, IndexMissingError
    from fasearch.serve.cli import run as run_main

    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.setattr(sys, "orig_argv", orig_argv)
    monkeypatch.setattr(os, "getcwd", lambda: "/p")

    def broken(args):
        fix = Fix("index", ("--index", "my ix", "--rebuild"), "rebuild it with")
        raise IndexMissingError("the index in my ix is damaged", fix)

    assert run_main(broken, []) == 3
    assert capsys.readouterr().err == f"Error: the index in my ix is damaged; rebuild it with: {expected}\n"


def test_warnings_of_one_kind_are_counted_after_the_first_three(tmp_path):
    """Issue 20: the same warning for hundreds of files buried the rest."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "article.txt").write_text(ARTICLE.read_text("utf-8"), "utf-8")
    for name in "abcde":
        (corpus / f"{name}.txt").write_text("", "utf-8")
    result = run("indexer.py", "--quiet", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    empty = "empty file; nothing from it is indexed"
    assert result.stderr == "".join(f"warning: {corpus / n}.txt: {empty}\n" for n in "abc") \
        + f"warning: and 2 more alike ({corpus / 'd.txt'}, {corpus / 'e.txt'}): {empty}\n"


@pytest.mark.slow
def test_a_long_build_on_a_terminal_shows_its_progress_to_the_end(tmp_path):
    """Issue 20: the bar covered the analysis only, about half a build; the
    engine's writing now shows its seconds.  A pipe gets none of it."""
    import fcntl
    import pty
    import struct
    import termios

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(40):  # 520 paragraphs: past PROGRESS_FROM
        (corpus / f"part{i:02}.txt").write_text(ARTICLE.read_text("utf-8"), "utf-8")
    leader, follower = pty.openpty()
    # A terminal's size (a bare pty has none, and tqdm then draws nothing).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen([sys.executable, "indexer.py", "--quiet", "--corpus", str(corpus),
                                "--index", str(tmp_path / "ix")], cwd=ROOT, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait() == 0
    os.close(leader)
    text = shown.decode("utf-8", "replace")
    assert "520/520 [" in text and "paragraphs" in text  # the analysis, to its last paragraph
    assert "writing the index: 00:0" in text  # then the commit's seconds
    piped = run("indexer.py", "--quiet", "--rebuild", "--corpus", str(corpus), "--index", str(tmp_path / "ix"))
    assert piped.returncode == 0 and piped.stderr == ""
