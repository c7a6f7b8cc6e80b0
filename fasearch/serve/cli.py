"""What the two scripts share: one-line errors and exit statuses."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import traceback
from pathlib import Path
from typing import Callable

from ..errors import INDEXER, SEARCH, FasearchError, OutputError, UsageError
from ..store.lock import DEBUG


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str):
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
        print(f"Error: {error}{_fix_hint(error)}", file=sys.stderr)
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


def _fix_hint(error: FasearchError) -> str:
    """The command that repairs ``error``, as the scripts have always written it
    (a stand-in until the command line writes the command the user ran)."""
    if error.fix is None:
        return ""
    args = list(error.fix.args)
    if "--corpus" in args:  # the scripts' default corpus goes without saying
        at = args.index("--corpus")
        if Path(args[at + 1]) == Path("corpus").resolve():
            del args[at : at + 2]
    command = {"index": INDEXER, "search": SEARCH}[error.fix.command]
    verb = "build" if str(error).startswith("no index") else "rebuild"
    return f"; {verb} it with: {command} {shlex.join(args)}"


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
