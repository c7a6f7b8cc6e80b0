"""Open indexes for concurrent requests, one per request, none leaked.

A Whoosh searcher reads through file handles and is not safe to share
between threads, so each request borrows an :class:`OpenIndex` of its own
and gives it back.  When a build switches ``CURRENT`` to a new generation,
requests borrow indexes of the new one; those of the old generation are
closed as soon as they come back, so no handle keeps deleted files alive.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ...errors import IndexMissingError
from ...index import OpenIndex, open_index
from ...store import generations


class IndexPool:
    def __init__(self, index_dir: Path, size: int = 8):
        self.index_dir = index_dir
        self.size = size  # idle indexes kept; as many as the server has threads
        self._lock = threading.Lock()
        self._idle: list[OpenIndex] = []
        self._generation = ""

    def _current(self) -> str:
        try:
            return generations.current_name(self.index_dir) or ""
        except IndexMissingError:  # damaged: open_index says what is wrong
            return ""

    @contextmanager
    def borrow(self) -> Iterator[OpenIndex]:
        """An open index of the current generation, for this request only."""
        generation = self._current()
        with self._lock:
            changed = generation != self._generation
            if changed:
                stale, self._idle = self._idle, []
                self._generation = generation
            else:
                stale = []
            ix = self._idle.pop() if self._idle else None
        for old in stale:
            old.close()
        if ix is None:
            ix = open_index(self.index_dir)
        try:
            yield ix
        finally:
            with self._lock:
                keep = ix.path.name == self._generation and len(self._idle) < self.size
                if keep:
                    self._idle.append(ix)
            if not keep:
                ix.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for ix in idle:
            ix.close()
