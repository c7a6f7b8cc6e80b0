"""The one exception family whose messages the command-line scripts show."""

from __future__ import annotations


class FasearchError(Exception):
    """An expected failure: ``str(error)`` is a one-line message with a hint."""

    exit_status = 1


class UsageError(FasearchError):
    """The command line itself is wrong."""

    exit_status = 2


class IndexMissingError(FasearchError):
    """There is no usable index; rebuilding it is the fix."""

    exit_status = 3


class CorpusError(FasearchError):
    """An article cannot be read; the message names the file."""

    exit_status = 4


class LockedError(FasearchError):
    """Another indexer is writing the same index."""

    exit_status = 5
