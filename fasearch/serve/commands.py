"""The ``fasearch`` command: ``index``, ``search``, ``serve`` and ``list``.

    fasearch index --corpus articles/ --index index/
    fasearch search کارگران نفت --index index/
    fasearch serve --index index/
    fasearch list --index index/

Each subcommand is the same parser and ``main`` as the project folder's
scripts (:mod:`.index_command` for ``indexer.py``, :mod:`.search_command`
for ``search.py``); this module only picks one by its first word, so a new
command is one line in :data:`COMMANDS`.  ``python -m fasearch`` runs it too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from .. import __version__
from ..errors import UsageError
from . import index_command, search_command
from .cli import PROGRAM, launcher, run

# name: (its main, one line for --help)
COMMANDS: dict[str, tuple[Callable[[list[str] | None], int], str]] = {
    "index": (index_command.main, "build or update an index from a folder of articles"),
    "search": (search_command.main, "search an index: ranked paragraphs with highlighted snippets"),
    "serve": (search_command.serve_main, "serve the search page in a browser"),
    "list": (search_command.list_main, "list the articles of an index and their sections"),
}


def usage() -> str:
    how = launcher()
    lines = [f"usage: {how.program} COMMAND [OPTIONS]", "",
             "Full-text search for Persian articles.", "", "commands:"]
    lines += [f"  {name:<8}{about}" for name, (_, about) in COMMANDS.items()]
    lines += ["", f"'{how.program} COMMAND --help' shows a command's options; --version, the version.", "",
              "examples:", f"  {how.command('index', ['--corpus', 'articles/', '--index', 'index/'])}",
              f"  {how.command('search', ['کارگران نفت', '--index', 'index/'])}"]
    return "\n".join(lines) + "\n"


def dispatch(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` names (``sys.argv[1:]`` by default) with the rest."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["-h"], ["--help"]):
        sys.stdout.write(usage())
        return 0
    if args[:1] == ["--version"]:
        print(f"{PROGRAM} {__version__}")
        return 0
    if not args:
        raise UsageError(f"no command given; choose one of {', '.join(COMMANDS)} (see {launcher().program} --help)")
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        raise UsageError(f"unknown command {name!r}; choose one of {', '.join(COMMANDS)} "
                         f"(see {launcher().program} --help)")
    command, _ = COMMANDS[name]
    return command(rest)


def main(argv: list[str] | None = None) -> int:
    """The console script's entry point: the exit status of the command run."""
    return run(dispatch, argv)
