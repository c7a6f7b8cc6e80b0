"""The fast path gives what the full hazm analysis gives: same tokens, hits, order.

Fast: hazm's tables read without importing hazm, lemma facts from an SQLite
cache, lemmas of indexed words stored beside the index.  Full
(FASEARCH_NO_CACHE=1): hazm's Lemmatizer built in the process, every lemma
derived again.
"""

import json
import os
import subprocess
import sys
import unicodedata

import pytest

from conftest import CORPUS, ROOT
from fasearch.text.analysis import pieces
from fasearch.text.chars import _EXTRA_FOLDS, ZWNJ, fold
from fasearch.text.lexicon import CachedLexicon, HazmLexicon, key, lemmas_from, lexicon


@pytest.fixture(scope="module")
def article_words(article):
    words = set()
    for _, text in article.paragraphs:
        found = list(pieces(text))
        words |= {p.text for p in found}
        words |= {a.text + b.text for a, b in zip(found, found[1:]) if b.glued}
    return sorted(words)


def test_fold_equals_hazm_normalizer_steps(article_words):
    """fold() reads hazm's tables directly; the result equals hazm's own steps."""
    from hazm import Normalizer
    from hazm.constants import NUMBERS_DST, NUMBERS_SRC, TRANSLATION_DST, TRANSLATION_SRC

    normalizer = Normalizer(correct_spacing=False, decrease_repeated_chars=False, seperate_mi=False,
                            persian_style=False, persian_numbers=False)
    letters = str.maketrans(TRANSLATION_SRC, TRANSLATION_DST)
    digits = str.maketrans(NUMBERS_SRC, NUMBERS_DST)
    samples = article_words + ["كتابي", "ﻛﺘﺎﺏ", "حَذفِ", "١٢٣ 456", "خانهٔ", "مسئول", "آب"]
    for word in samples:
        text = unicodedata.normalize("NFC", word)
        text = normalizer.remove_specials_chars(normalizer.remove_diacritics(text))
        text = text.translate(letters).translate(digits)
        reference = text.translate(_EXTRA_FOLDS).replace(ZWNJ * 2, ZWNJ).strip(ZWNJ).lower()
        assert fold(word) == reference, word


@pytest.mark.slow
def test_cached_lexicon_gives_the_same_lemmas(article_words):
    full = HazmLexicon()
    cached = lexicon()  # builds the cache file when it is missing
    assert isinstance(cached, CachedLexicon)
    judged = json.loads((ROOT / "tests/data/relevance.json").read_text("utf-8"))["queries"]
    words = {key(w) for w in article_words} | {key(w) for q in judged for w in q["query"].split()}
    words |= {"کارگرها", "رهبرانشان", "معلمانی", "میکنند", "کند", "مردم", "اعتصابات"}
    # informal words and verbs, preverbs, tagged plurals, است joined; نمی‌رم written apart
    words |= {"خونه", "خونههامون", "میخوره", "برمیگردد", "دوستان", "باران", "خوردهاست", "نمی\u200cرم", "نمیرم"}
    different = [w for w in sorted(words) if lemmas_from(full, w) != lemmas_from(cached, w)]
    assert len(words) > 1000 and different == []


def _index_and_search(tmp_path, name, env):
    index = tmp_path / name
    subprocess.run([sys.executable, "indexer.py", "--quiet", "--corpus", str(CORPUS), "--index", str(index)],
                   cwd=ROOT, env=env, check=True)
    queries = [q["query"] for q in json.loads((ROOT / "tests/data/relevance.json").read_text("utf-8"))["queries"]]
    queries += ["کارگر", "خورده مي شود", "کارگ*", "کمونیزم", "نفت فوتبال"]
    out = subprocess.run([sys.executable, "search.py", "--json", "--explain", "-", "--limit", "13",
                          "--index", str(index)], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True, input="\n".join(queries)).stdout
    return index, [json.loads(line) for line in out.splitlines()]


@pytest.mark.slow
def test_same_tokens_same_hits_same_order(tmp_path):
    from whoosh import index as whoosh_index

    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    fast_index, fast = _index_and_search(tmp_path, "fast", env)
    full_index, full = _index_and_search(tmp_path, "full", {**env, "FASEARCH_NO_CACHE": "1"})
    assert fast == full

    def terms(folder):
        name = (folder / "CURRENT").read_text().strip()
        with whoosh_index.open_dir(str(folder / name)).reader() as reader:
            return {field: list(reader.lexicon(field)) for field in ("fold", "lemma", "heading_fold", "heading_lemma")}

    assert terms(fast_index) == terms(full_index)
