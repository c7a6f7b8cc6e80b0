"""Persian text in, tokens out: the analysis shared by indexing and queries.

``chars`` (spellings folded), ``plurals`` (Arabic broken plurals),
``lexicon`` (hazm's data and the lemma rules), ``analysis`` (the Whoosh
tokenizer and filters).  Nothing here knows an engine.

An index records the analysis it was built with (:func:`fasearch.text.lexicon.analysis_key`):
``ANALYSIS_VERSION`` below, hazm's version and the size of its data files.
A change to any module here that changes a token must bump the version, so
that existing indexes are rebuilt; ``tests/test_golden.py`` fails until it
is bumped (it compares the tokens of the article and the test articles with
``tests/data/golden-tokens.txt``, which records the version it was made with).
A change that leaves every token as it was (a comment, a docstring, a
faster way to the same tokens) needs no rebuild.
"""

ANALYSIS_VERSION = 1
