"""``meta.json``: what a generation holds, written, read and validated here only.

Every generation folder has one, written last by the build: the schema and
analysis versions it was built with, its engine, the corpus and the hash,
size and time of each file read, the catalog of articles and sections, and
the sizes and checksums of the generation's own files
(:mod:`.checksums`).  Readers (a build updating it, a search opening it, a
hint naming the corpus) get it from :func:`read`, which refuses anything
that is not such a record, so no reader checks a field again.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from .. import engines
from ..engines.schema import SCHEMA_VERSION
from ..text.lexicon import analysis_key
from .generations import newest_first

META = "meta.json"
# Fields every reader may index without looking (an index of this version has
# them all; one of another version is refused before it is read further).
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "corpus": str, "files": dict, "articles": int, "sections": int, "paragraphs": int, "catalog": dict,
    "unreadable": dict, "stats": dict, "sizes": dict, "checksums": dict,
}


class MetaError(ValueError):
    """A generation's ``meta.json`` cannot be read, or is not its record."""


def new(engine: str, corpus: Path, files: dict[str, str], unreadable: dict[str, str],
        stats: dict[str, list[int]], catalog: dict[str, dict], paragraphs: int,
        sizes: dict[str, int], checksums: dict[str, str]) -> dict:
    """The record of a generation just built."""
    return {
        "schema_version": SCHEMA_VERSION,
        "engine": engine,
        "analysis": analysis_key(),
        "corpus": str(corpus.resolve()),
        "files": files,
        "unreadable": unreadable,  # read but not decodable: named by the indexer, not stale
        "stats": stats,
        "articles": len(catalog),
        "sections": sum(len(a["sections"]) for a in catalog.values()),
        "paragraphs": paragraphs,
        "catalog": dict(sorted(catalog.items())),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "sizes": sizes,
        "checksums": checksums,
    }


def write(generation: Path, meta: dict) -> None:
    """The first ``meta.json`` of a generation being built (not yet named by CURRENT)."""
    (generation / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")


def rewrite(generation: Path, meta: dict) -> None:
    """Replace a generation's meta.json atomically (it is not checksummed)."""
    tmp = generation / f".{META}.{os.getpid()}"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, generation / META)


def read(generation: Path) -> dict:
    """The record of ``generation``; MetaError when it cannot be read or is
    not one: not a JSON object, or (of this version) a field missing or of
    the wrong type, or an engine this fasearch does not have."""
    try:
        meta = json.loads((generation / META).read_text("utf-8"))
    except OSError as error:
        raise MetaError(f"{META}: {(error.strerror or str(error)).lower()}") from None
    except ValueError:
        raise MetaError(f"{META} unreadable") from None
    if not isinstance(meta, dict):
        raise MetaError(f"{META} unreadable")
    if is_this_version(meta):
        for name, kind in _FIELDS.items():
            if not isinstance(meta.get(name), kind):
                raise MetaError(f"{META} has no {name}")
        if engine(meta) not in engines.NAMES:
            raise MetaError(f"{META} names an unknown engine")
    return meta


def is_this_version(meta: dict) -> bool:
    """Whether the generation was built with this schema and analysis (else it must be rebuilt)."""
    return meta.get("schema_version") == SCHEMA_VERSION and meta.get("analysis") == analysis_key()


def engine(meta: dict) -> str:
    """The engine the generation was built with (older ones did not say: Whoosh)."""
    return meta.get("engine", engines.DEFAULT)


def recorded_corpus(index_dir: Path) -> str | None:
    """The corpus folder the newest generation names, read leniently: a hint or
    a default needs only that field, even of a record :func:`read` refuses."""
    for generation in newest_first(index_dir):
        try:
            corpus = json.loads((generation / META).read_text("utf-8")).get("corpus")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(corpus, str):
            return corpus
    return None


def newest(index_dir: Path) -> dict | None:
    """The record of the newest generation that has one (``CURRENT`` may be damaged)."""
    for generation in newest_first(index_dir):
        try:
            return read(generation)
        except MetaError:
            continue
    return None
