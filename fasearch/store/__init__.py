"""The index store: where the generations of a local index live, and how one
is written, verified and switched.

Layout of an index folder::

    index/CURRENT        the name of the generation searches should open
    index/gen-<stamp>/   a complete index (the engine's files) plus meta.json
                         and lemmas.sqlite (the lemma table and the written words)
    index/.lock          held (flock) by the one indexer allowed at a time

A build writes a new generation beside the old one and then replaces
``CURRENT`` with ``os.replace``, which is atomic.  A search therefore opens
either the old or the new generation, never a half-written one, and an
indexer killed at any moment leaves ``CURRENT`` naming the old, complete one.

One small module per job, shared by the engines whose files live in the
generation folder (Whoosh and tantivy; each engine module says which of its
files a new generation may reuse, ``carry_over``):

:mod:`.generations`  ``CURRENT``, the ``gen-*`` names, the switch, cleaning up
:mod:`.lock`         the index lock, and what a build's worker process does with it
:mod:`.checksums`    checksums and sizes of a generation's files, and damage
:mod:`.meta`         ``meta.json``: written, read and validated here only

Reading the corpus and writing the fields is :mod:`fasearch.indexing`;
opening an index for searches is :mod:`fasearch.index`.
"""
