"""The one exception family whose messages the command-line scripts show.

The library's messages say what is wrong and carry no command to run: an
error that a command repairs says which in ``fix`` (:class:`Fix`), and the
command line (:mod:`fasearch.serve.cli`) writes that command as the user
would type it there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fix:
    """The command that repairs an error: ``index`` or ``search``, its options,
    and the words that introduce it after the message, e.g.
    ``Fix("index", ("--index", "ix"), "build it with")`` for «no index in ix;
    build it with: fasearch index --index ix»."""

    command: str
    args: tuple[str, ...] = ()
    intro: str = "run"


class FasearchError(Exception):
    """An expected failure: ``str(error)`` is a one-line message; ``fix``, if
    any, the command that repairs it."""

    exit_status = 1

    def __init__(self, message: str, fix: Fix | None = None):
        super().__init__(message)
        self.fix = fix


class UsageError(FasearchError):
    """The command line itself is wrong."""

    exit_status = 2


class IndexMissingError(FasearchError):
    """There is no usable index; rebuilding it is the fix."""

    exit_status = 3


class IndexReadError(IndexMissingError):
    """An engine met damaged index data while searching: each engine turns its
    own exceptions for damaged files into this one (any other exception is a
    bug, and propagates)."""


class CorpusError(FasearchError):
    """An article cannot be read; the message names the file."""

    exit_status = 4


class LockedError(FasearchError):
    """Another indexer is writing the same index."""

    exit_status = 5


class PartialIndexError(FasearchError):
    """The index was built, but some corpus entries were left out (named on stderr)."""

    exit_status = 6


class NoSpaceError(FasearchError):
    """The disk (or a quota) filled up; the old index is kept, the half-built one removed."""

    exit_status = 7


class OutputError(FasearchError):
    """Standard output is closed or cannot be written (e.g. a full disk)."""

    exit_status = 8


def shown(name: str, limit: int = 0) -> str:
    """A file name or query as one printable line: control characters and bytes
    that are not UTF-8 escaped (``caf\\xe9.txt``, ``a\\nb``), cut to ``limit``.

    >>> shown("bad\\nname.txt"), shown("caf\\udce9.txt"), shown("ک" * 100, limit=5)
    ('bad\\\\nname.txt', 'caf\\\\xe9.txt', 'ککککک…')
    """
    if limit and len(name) > limit:
        name = name[:limit] + "…"
    try:
        text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no undecodable byte produced
        text = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() or c in "\u200c\u200d" else repr(c)[1:-1] for c in text)
