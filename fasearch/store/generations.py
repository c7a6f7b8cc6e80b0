"""Generations: ``CURRENT``, the ``gen-*`` folders, the switch, and cleaning up.

A build writes ``.building-<pid>/``, renames it to ``gen-<stamp>`` and
then points ``CURRENT`` at it (:func:`switch`: a new file, fsync'd, moved
over the old with ``os.replace``).  The generation ``CURRENT`` named before
the switch is kept, so a search that opened it just before can finish;
others (older, or never switched to by a killed build) are removed.
Leftovers of killed builds are removed only under the index lock.

A new generation may start from the current one (:func:`start_from`): the
engine says which of its files are reused (its ``carry_over``), and the
lemma table is copied, since the build adds to it.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from .. import engines
from ..errors import IndexMissingError

CURRENT = "CURRENT"
KNOWN = "lemmas.sqlite"  # the lemma table and the words as written (did-you-mean)
_NAME = re.compile(r"gen-\d+")
_BUILDING = ".building-"


def current_name(index_dir: Path) -> str | None:
    """The generation ``CURRENT`` names; None when there is no ``CURRENT``.

    Raises IndexMissingError when it is not a file naming a generation
    (binary bytes, a folder, a path that would leave the index folder).
    """
    try:
        data = (index_dir / CURRENT).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise IndexMissingError(f"{index_dir}/{CURRENT} cannot be read ({error.strerror})") from None
    name = data.decode("ascii", "replace").strip()
    if not _NAME.fullmatch(name):
        raise IndexMissingError(f"{index_dir}/{CURRENT} does not name a generation")
    return name


def current_name_or_none(index_dir: Path) -> str | None:
    """:func:`current_name`, with None for a damaged ``CURRENT`` too."""
    try:
        return current_name(index_dir)
    except IndexMissingError:
        return None


def newest_first(index_dir: Path) -> list[Path]:
    """Every generation folder, the newest first (their names are timestamps)."""
    return sorted(index_dir.glob("gen-*"), reverse=True)


def building_folder(index_dir: Path) -> Path:
    """Where this process writes a generation before it is complete."""
    return index_dir / f"{_BUILDING}{os.getpid()}"


def new_name() -> str:
    return f"gen-{time.time_ns()}"


def start_from(source: Path, target: Path, engine: str) -> None:
    """Start the generation in ``target`` from ``source`` (same engine)."""
    engines.module(engine).carry_over(source, target)
    shutil.copyfile(source / KNOWN, target / KNOWN)


def fsync_files(folder: Path) -> None:
    """Every file under ``folder`` on the disk, before ``CURRENT`` may name it."""
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())


def switch(index_dir: Path, name: str) -> None:
    """Point ``CURRENT`` at generation ``name``, atomically and durably."""
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(name + "\n")
        f.flush()
        os.fsync(f.fileno())
    current = index_dir / CURRENT
    if current.is_dir() and not current.is_symlink():  # damage: only a file can be replaced atomically
        shutil.rmtree(current)
    os.replace(tmp, current)
    _fsync_dir(index_dir)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_old(index_dir: Path, keep: set[str | None]) -> None:
    """Keep the new generation and the one CURRENT named before the switch
    (searches may still read it); drop the others, older or never switched to."""
    for old in index_dir.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(index_dir: Path) -> None:
    """Half-built generations and pointer files of killed builds; only under the lock."""
    for leftover in index_dir.glob(f"{_BUILDING}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in index_dir.glob(f".{CURRENT}.*"):
        leftover.unlink(missing_ok=True)
