"""Checksums and sizes of a generation's files, and what they say is damaged.

``meta.json`` records both for every file of its generation (tantivy's in
``tantivy/``): sizes let a search notice a truncated or missing file before
the engine trips on it, in a few ``stat`` calls; blake2b checksums let the
next build verify everything it would reuse, so a segment garbled in place
is rebuilt from the corpus, never hard-linked into every later generation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def checksum(path: Path) -> str:
    """blake2b of a file: fast enough to verify a whole index before reusing it."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "blake2b").hexdigest()


def record(folder: Path) -> tuple[dict[str, int], dict[str, str]]:
    """(size, checksum) of every file under ``folder``, by relative POSIX path."""
    sizes: dict[str, int] = {}
    sums: dict[str, str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        sizes[name], sums[name] = path.stat().st_size, checksum(path)
    return sizes, sums


def damage(folder: Path, meta: dict, names: Iterable[str] | None = None) -> str | None:
    """What is wrong with the files of a generation (all, or ``names``), or None."""
    checksums = meta.get("checksums")
    if checksums is None:
        return "it records no checksums"
    for name in names if names is not None else checksums:
        try:
            if checksum(folder / name) != checksums[name]:
                return f"{name} changed"
        except FileNotFoundError:
            return f"{name} is missing"
        except OSError as error:
            return f"{name}: {error.strerror}"
    return None


def size_damage(folder: Path, meta: dict) -> str | None:
    """A file whose size is not the recorded one, or that is missing; or None."""
    for name, size in meta.get("sizes", {}).items():
        try:
            if (folder / name).stat().st_size != size:
                return f"{name} changed size"
        except FileNotFoundError:
            return f"{name} is missing"
    return None
