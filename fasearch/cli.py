"""What the two scripts share: one-line errors and exit statuses."""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import Callable

from .errors import FasearchError, UsageError


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
    try:
        return main([a for a in args if a != "--debug"])
    except FasearchError as error:
        if debug:
            traceback.print_exc()
        print(f"Error: {error}", file=sys.stderr)
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


def check_text(value: str, what: str) -> str:
    """Refuse arguments that were not valid UTF-8 (Python keeps them as surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"the {what} is not valid UTF-8") from None
    return value
