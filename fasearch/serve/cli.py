"""What every command shares: one-line errors, exit statuses, and hints that
name the command the way the user started this one.

The same commands run three ways: the ``fasearch`` console script
(``fasearch index``), ``python -m fasearch index``, and the project folder's
scripts (``.venv/bin/python indexer.py``).  A hint that only one of them
could run would send a reader of another astray, so :class:`Launcher` reads
which one this process is from ``sys.argv`` and ``sys.orig_argv``, and writes
each command (an error's :class:`~fasearch.errors.Fix` too) the same way.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from ..errors import FasearchError, Fix, OutputError, UsageError
from ..store.lock import DEBUG

PROGRAM = "fasearch"  # the console script, and the package that ``python -m`` runs
# The project folder's scripts, side by side: each command as one of them runs it.
SCRIPTS = {"index": ("indexer.py",), "search": ("search.py",), "serve": ("search.py", "--serve"),
           "list": ("search.py", "--list")}


@dataclass(frozen=True)
class Launcher:
    """How this process was started: ``words`` that start fasearch again
    (``("fasearch",)``, ``(".venv/bin/python", "-m", "fasearch")``, or with
    ``scripts``, the interpreter and the folder of the scripts)."""

    words: tuple[str, ...]
    scripts: str | None = None  # the folder of indexer.py and search.py as typed ("" for the current one)

    def command(self, name: str, args: Sequence[str] = ()) -> str:
        """The command line that runs fasearch's ``name`` command with ``args``,
        as the user would type it here (quoted for a POSIX shell).

        >>> Launcher(("fasearch",)).command("index", ["--index", "my index"])
        "fasearch index --index 'my index'"
        >>> Launcher((".venv/bin/python",), scripts="").command("serve")
        '.venv/bin/python search.py --serve'
        """
        if self.scripts is None:
            return _join([*self.words, name, *args])
        script, *options = SCRIPTS[name]
        return _join([*self.words, os.path.join(self.scripts, script), *options, *args])

    @property
    def program(self) -> str:
        """The words that start the ``fasearch`` command, as one command line
        (with ``scripts``, only the interpreter's)."""
        return _join(self.words)

    def prog(self, name: str) -> str:
        """The program name for ``name``'s usage lines: a script's name (as
        argparse says it), else the whole command."""
        return SCRIPTS[name][0] if self.scripts is not None else self.command(name)


# What a POSIX shell reads as part of a word: shlex's safe set, with any
# letter or digit (Persian ones too, left readable) and ZWNJ.
_SAFE = re.compile(r"[\w@%+=:,./\u200c-]+")


def _join(words: Sequence[str]) -> str:
    """``words`` as a shell command line: quoted where a shell would split or read them.

    >>> print(_join(["fasearch", "search", "کارگر", "هفت تپه", "$HOME"]))
    fasearch search کارگر 'هفت تپه' '$HOME'
    """
    return " ".join(word if _SAFE.fullmatch(word) else shlex.quote(word) for word in words)


def launcher(argv: Sequence[str] | None = None, orig_argv: Sequence[str] | None = None,
             cwd: str | None = None) -> Launcher:
    """This process's :class:`Launcher`, from ``sys.argv`` and ``sys.orig_argv``.

    An interpreter run by its path inside the current folder is written
    relative to it (tests and CI start ``/abs/project/.venv/bin/python``;
    a reader in the project folder types ``.venv/bin/python``).  A process
    that is none of the three (fasearch called from another program) gets
    the console script's words.

    >>> launcher(["indexer.py", "-q"], ["/p/.venv/bin/python", "indexer.py", "-q"], cwd="/p")
    Launcher(words=('.venv/bin/python',), scripts='')
    >>> launcher(["/p/fasearch/__main__.py", "x"], ["python3", "-X", "dev", "-m", "fasearch", "x"], cwd="/p")
    Launcher(words=('python3', '-X', 'dev', '-m', 'fasearch'), scripts=None)
    """
    argv = sys.argv if argv is None else argv
    orig_argv = sys.orig_argv if orig_argv is None else orig_argv
    cwd = os.getcwd() if cwd is None else cwd
    first = argv[0] if argv else ""
    # The interpreter, its options, and the script or ``-m`` module: what came before sys.argv[1:].
    words = list(orig_argv[: len(orig_argv) - len(argv) + 1]) if len(orig_argv) >= len(argv) > 0 else []
    if words:
        words[0] = _as_typed(words[0], cwd)
    name = os.path.basename(first)
    if len(words) > 1 and name in {script for script, *_ in SCRIPTS.values()}:
        return Launcher(tuple(words[:-1]), scripts=os.path.dirname(first))
    if name == "__main__.py" and (words[-2:] == ["-m", PROGRAM] or words[-1:] == [f"-m{PROGRAM}"]):
        return Launcher(tuple(words))
    if name == PROGRAM:  # the console script: its shebang's interpreter is not what the user typed
        found = shutil.which(PROGRAM)
        on_path = found is not None and os.path.isabs(first) and os.path.realpath(found) == os.path.realpath(first)
        return Launcher((PROGRAM if on_path else first,))
    return Launcher((PROGRAM,))


def _as_typed(path: str, cwd: str) -> str:
    """``path``, relative to ``cwd`` if it is an absolute path inside it."""
    if os.path.isabs(path) and os.path.commonpath([cwd, path]) == cwd and path != cwd:
        return os.path.relpath(path, cwd)
    return path


def message(error: FasearchError, how: Launcher | None = None) -> str:
    """``error``'s one line, with the command that repairs it (``error.fix``)
    written as this process was started.

    The fix's ``intro`` leads to the command (``; run:`` unless it says other words).

    >>> fix = Fix("index", ("--index", "ix"), "build it with")
    >>> message(FasearchError("no index in ix", fix), Launcher(("fasearch",)))
    'no index in ix; build it with: fasearch index --index ix'
    >>> message(FasearchError("the index in ix is damaged", Fix("index", ("--index", "ix"))),
    ...         Launcher(("python", "-m", "fasearch")))
    'the index in ix is damaged; run: python -m fasearch index --index ix'
    """
    text = str(error)
    fix: Fix | None = getattr(error, "fix", None)
    if fix is None:
        return text
    command = (how or launcher()).command(fix.command, fix.args)
    return f"{text}; {fix.intro}: {command}"


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def run(main: Callable[[list[str] | None], int], argv: list[str] | None) -> int:
    """Call ``main``; expected failures become ``Error: …`` and their status.

    ``--debug`` anywhere on the command line shows the traceback instead.
    """
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    debugging = os.environ.get(DEBUG)
    if debug:  # for worker processes too (fasearch.store.lock)
        os.environ[DEBUG] = "1"
    stdout = sys.stdout
    sys.stdout = _Output(stdout)
    try:
        status = main([a for a in args if a != "--debug"])
        sys.stdout.flush()  # a full disk shows here, not after exit
        return status
    except OutputError as error:
        print(f"Error: {error}", file=sys.stderr)
        return error.exit_status
    except FasearchError as error:
        if debug:
            traceback.print_exc()
        print(f"Error: {message(error)}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        return 0
    except Exception as error:  # a bug: still one line unless --debug
        if debug:
            traceback.print_exc()
        print(f"Error: unexpected {type(error).__name__}: {error} (run again with --debug "
              "and report it)", file=sys.stderr)
        return 70
    finally:
        if debugging is None:
            os.environ.pop(DEBUG, None)
        sys.stdout = stdout
        if stdout is not None:
            try:
                stdout.flush()
            except OSError:  # what is still buffered goes nowhere at exit, quietly
                os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())


class _Output:
    """Standard output whose failures (closed, disk full) are an OutputError."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._call("write", text)

    def flush(self) -> None:
        self._call("flush")

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def _call(self, name: str, *args):
        if self._stream is None:  # started with stdout closed (>&-)
            raise OutputError("cannot write to standard output: it is closed")
        try:
            return getattr(self._stream, name)(*args)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(f"cannot write to standard output: {error.strerror}") from None

    def __getattr__(self, name):
        return getattr(self._stream, name)


def check_text(value: str, what: str) -> str:
    """Refuse arguments that were not valid UTF-8 (Python keeps them as surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"the {what} is not valid UTF-8") from None
    return value
