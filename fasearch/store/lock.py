"""The index lock, and what a build's worker process does with it.

One indexer at a time writes an index: :class:`IndexLock` is an exclusive,
non-blocking ``flock`` on ``index/.lock``.  The kernel drops it when the
holder dies, so a killed indexer never leaves the index locked.

An engine may start worker processes during a build (Whoosh's second
indexing process).  A worker must not keep the lock, nor outlive the
indexer (SIGKILL, SIGTERM or a crash would otherwise leave it waiting on a
pipe for ever), nor answer Ctrl-C (the indexer stops it).  The lock hands a
:class:`WorkerStart` to the engine, which runs it first thing *inside* each
worker: no at-fork hook, so it works under every start method (fork,
spawn, and forkserver, the default on Linux from Python 3.14, where at-fork
hooks never run).  It is plain data, so it pickles for spawn and forkserver.

The debug flag comes from the environment (``FASEARCH_DEBUG``, which the
command line sets for ``--debug``), never from ``sys.argv``.
"""

from __future__ import annotations

import ctypes
import fcntl
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from ..errors import LockedError

LOCK = ".lock"
DEBUG = "FASEARCH_DEBUG"  # set (to anything) by ``--debug``: a worker keeps its stderr
_PR_SET_PDEATHSIG = 1


class IndexLock:
    """The lock of one index folder, held between ``with`` and its end.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with IndexLock(folder):  # doctest: +ELLIPSIS
    ...     with IndexLock(folder):
    ...         pass
    Traceback (most recent call last):
    fasearch.errors.LockedError: another indexer is writing ...; wait for it to finish
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK
        self._fd = -1

    def __enter__(self) -> IndexLock:
        # O_CLOEXEC: a program run meanwhile (a spawned worker) never inherits it.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockedError(f"another indexer is writing {self.path.parent}; wait for it to finish") from None
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        fd, self._fd = self._fd, -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def worker_start(self) -> WorkerStart:
        """What a worker process started while the lock is held runs first."""
        if self._fd < 0:
            raise RuntimeError("the index lock is not held")
        info = os.fstat(self._fd)
        return WorkerStart(self._fd, info.st_dev, info.st_ino)


@dataclass(frozen=True)
class WorkerStart:
    """Run first in a worker process of a build: let go of the lock, die with
    the indexer, leave Ctrl-C to it, and stay silent unless debugging (the
    indexer reports a failed worker, in one line)."""

    fd: int  # the lock's descriptor in the indexer, and the file it is open on
    device: int
    inode: int

    def __call__(self) -> None:
        self._let_go()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if not os.environ.get(DEBUG):
            sys.stderr = open(os.devnull, "w")
        _die_with_parent()
        # Also watch the indexer itself (multiprocessing's parent, under every
        # start method): the kernel's signal is for the process that forked
        # the worker, which under forkserver is the server, and the server
        # lives as long as any worker does; nor is there one off Linux.  The
        # watch also ends a worker whose indexer died before this ran.
        parent = multiprocessing.parent_process()
        if parent is not None:
            threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True).start()

    def _let_go(self) -> None:
        """Close the lock's descriptor if this process inherited it (fork). A
        worker started otherwise never had it (O_CLOEXEC), and a descriptor of
        that number here is another file, left alone."""
        try:
            info = os.fstat(self.fd)
        except OSError:
            return
        if (info.st_dev, info.st_ino) == (self.device, self.inode):
            os.close(self.fd)


def _die_with_parent() -> None:
    """SIGKILL when the parent dies, from the kernel (Linux's PR_SET_PDEATHSIG):
    at once, even while the worker is busy in C code."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watch alone
        pass


def _exit_when_gone(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # readable (at its end) once the indexer is gone
    os._exit(1)
