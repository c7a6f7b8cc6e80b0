"""Lemmas: one key for the inflected forms of a word.

hazm alone is not enough (see the tests, which keep both failures visible):

* ``Lemmatizer`` returns a word unchanged whenever its word list holds it,
  and the list holds many plurals (``کارگران``, ``معلمان``) as bare entries.
* ``Stemmer`` strips suffixes blindly: ``ایران`` → ``ایر``, ``سیاست`` → ``سیاس``.

So we use hazm's *data* (its word list with part-of-speech tags and its
conjugation tables) with our own rule:

1. A word the list *tags* (noun, adjective, …) is its own lemma: ``مردم``
   stays ``مردم`` and never meets ``مرد``; ``کارگر`` never meets ``کار``.
2. A conjugated verb form maps to hazm's ``past#present`` key, so
   ``می‌کنند``, ``کرد`` and ``کند`` meet.  A tagged word that is also a
   verb form gets both lemmas, unless the verb reading is a first or second
   person form (``مردم`` "I died" is too rare to outweigh "people").
   Likewise a word tagged only as a noun that is also the ``ان``/``گان``
   plural of a tagged word gets both: hazm tags ``دوستان`` and ``بندگان``
   (so rule 1 alone kept them from ``دوست`` and ``بنده``), but not when the
   base is a verb stem (``باران`` is "rain", from بار of باریدن; ``جوان``).
   A verb with the preverb ``بر`` (``برمی‌گردد``, which hazm conjugates
   only as ``می‌برگشت``) maps to the key of the whole verb, ``برگشت#برگرد``.
3. Informal Persian, from hazm's own lists (``iwords.dat``, ``iverbs.dat``,
   as its ``InformalLemmatizer`` uses them): an informal word no formal
   reading claims takes the lemma of its formal equivalent (``خونه`` →
   ``خانه``), informal suffixes count as their formal ones (``هامون`` =
   ``ها`` + ``مان``), and informal verb forms map to the formal verb
   (``نمی‌رم`` → ``رفت#رو``).  A formal reading always wins: written joined,
   ``نمیرم`` stays "that I not die"; written apart (a ZWNJ or space after
   ``نمی``, see :func:`lemmas`) it can only be the informal ``نمی‌روم``.
4. Any other word loses inflectional suffixes (plural, possessive,
   indefinite, comparative), one at a time and at most three, until what is
   left is a tagged word: ``رهبرانشان`` → ``رهبران`` → ``رهبر``.  Untagged
   list entries such as ``کارگران`` are treated like unknown words.

5. A word hazm tags as a plural that no suffix makes (an Arabic broken
   plural: ``جزایر``, ``اخبار``) gets the singular its template proposes, if
   hazm's list holds it (:mod:`fasearch.text.plurals`): ``جزیره``, ``خبر``.

Every key is folded with :func:`fasearch.text.chars.fold` and joined (ZWNJ and
spaces removed), exactly like the index terms it is applied to.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

from ..errors import IndexReadError
from .chars import ZWNJ, fold, fold_text, hazm_data_path, unjoin
from .plurals import singular

# Inflectional suffixes, folded.  Order does not matter: all are tried.
NOMINAL_SUFFIXES = (
    "ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
    "ان", "ات", "ین",  # plurals (Persian ان, Arabic ات and ین)
    "ی", "یی", "ای",  # indefinite / ezafe / adjectival
    "م", "ت", "ش", "ام", "ات", "اش", "مان", "تان", "شان",  # possessive
    "تر", "ترین",  # comparative, superlative
)
HA_SUFFIXES = ("هایمان", "هایتان", "هایشان", "هایم", "هایت", "هایش", "هایی", "های", "ها")
PLURAL_SUFFIXES = ("ها", "ان", "ات", "ین")
# Single-letter suffixes need a longer base, as in hazm's Stemmer.
_MIN_BASE = {1: 3}
_MAX_STRIPS = 3
# Endings of first/second-person verb forms (rule 2).
_NON_THIRD_PERSON = ("م", "ی", "یم", "ید")
# Preverbs written joined to a conjugated verb (rule 2), and the verb
# prefixes that may follow them.
PREVERBS = ("بر",)
_AFTER_PREVERB = ("نمی", "می", "ن", "ب")
# Informal person endings of a present verb, and the formal ones (rule 3),
# as in hazm's InformalNormalizer: میخوره = میخورد, میخورن = میخورند.
_INFORMAL_ENDINGS = (("ه", "د"), ("ن", "ند"), ("ین", "ید"))
# Plural endings of a tagged noun's base (rule 2): (ending, what replaces it).
_TAGGED_PLURALS = (("گان", "ه"), ("ان", ""))


@functools.cache
def informal_suffixes() -> dict[str, str]:
    """Informal suffixes hazm's ``iwords.dat`` lists, with the formal suffix
    each stands for: ``مون`` → ``مان``, ``هام`` → ``هایم`` (rule 3)."""
    out = {}
    for line in hazm_data_path("data/iwords.dat").read_text("utf-8").splitlines():
        informal, _, formal = line.strip().partition(" ")
        # As written, not folded: اون is آن ("that"), not the plural ان.
        if formal.strip() in NOMINAL_SUFFIXES and informal != formal.strip():
            out[fold(informal)] = formal.strip()
    return out


class Lexicon:
    """hazm's word list and verb forms, folded and joined: what lemmas() asks."""

    def is_tagged(self, word: str) -> bool:  # has a part-of-speech tag
        raise NotImplementedError

    def is_plural(self, word: str) -> bool:  # tagged PL: اعتصابات
        raise NotImplementedError

    def verb(self, word: str) -> str | None:  # verb form -> "past#present"
        raise NotImplementedError

    def formal(self, word: str) -> str | None:  # informal word -> formal key
        raise NotImplementedError

    def is_noun_only(self, word: str) -> bool:  # tagged N and nothing else
        raise NotImplementedError

    def is_stem(self, word: str) -> bool:  # a past or present verb stem
        raise NotImplementedError


class HazmLexicon(Lexicon):
    """Built from hazm itself: ~2 s and ~250 MB, so only to fill the cache."""

    def __init__(self) -> None:
        # Lemmatizer builds the conjugation tables we need; joined_verb_parts
        # off, because our tokens never contain "_".
        from hazm import Lemmatizer

        lemmatizer = Lemmatizer(joined_verb_parts=False)
        words = list(lemmatizer.words.items())
        self.tagged, self.plurals, self.nouns_only = set(), set(), set()
        for folded, (_word, (_freq, tags)) in zip(keys(w for w, _ in words), words):
            if tags and tags != ("0",):
                self.tagged.add(folded)
                if "PL" in tags:
                    self.plurals.add(folded)
                if tuple(tags) == ("N",):
                    self.nouns_only.add(folded)
        self.verbs: dict[str, str] = {}
        # "کرده شد" and "کرده‌شد" are written apart; the index joins pairs.
        forms = list(lemmatizer.verbs.items())
        for folded, (_form, lemma) in zip(keys(f.replace(" ", "") for f, _ in forms), forms):
            self.verbs.setdefault(folded, lemma)
        self.stems = set(keys(stem for lemma in set(self.verbs.values()) for stem in lemma.split("#")))
        self._add_informal()

    def _add_informal(self) -> None:
        """hazm's informal verbs and words (rule 3), where no formal reading is."""
        from hazm.informal_normalizer import InformalLemmatizer

        formal_words = self.tagged | self.verbs.keys()
        self.informal: dict[str, str] = {}
        for line in hazm_data_path("data/iwords.dat").read_text("utf-8").splitlines():
            informal, _, formal = line.strip().partition(" ")
            formal = formal.strip().strip(ZWNJ)
            if " " not in formal and key(informal) not in formal_words and key(formal) != key(informal):
                self.informal.setdefault(key(informal), key(formal))
        # An informal word wins over an informal verb form, as in hazm's
        # InformalNormalizer: خونه is "house" before "(he) reads".
        taken = formal_words | self.informal.keys()
        for line in hazm_data_path("data/iverbs.dat").read_text("utf-8").splitlines():
            lemma, stem, _flag = line.strip().split(" ", 2)
            # hazm's own generator of informal conjugations; it uses no state.
            for form in InformalLemmatizer.iconjugations(None, stem):
                if ZWNJ in form:  # می‌رم: also kept apart, where it is unambiguous
                    self.verbs.setdefault(fold(form), lemma)
                if key(form) not in taken:
                    self.verbs.setdefault(key(form), lemma)

    def is_tagged(self, word):
        return word in self.tagged

    def is_plural(self, word):
        return word in self.plurals

    def verb(self, word):
        return self.verbs.get(word)

    def formal(self, word):
        return self.informal.get(word)

    def is_noun_only(self, word):
        return word in self.nouns_only

    def is_stem(self, word):
        return word in self.stems


class CachedLexicon(Lexicon):
    """The same facts in an SQLite file: opens in a millisecond, uses no memory.

    The file is named after everything it is derived from (hazm's version and
    data files, and the code of this module and of the folds), so a change to
    any of them builds a new one; it is written to a temporary name and moved
    into place, so a reader never sees half of it.
    """

    def __init__(self, path: Path) -> None:
        self.db = SQLiteReader(path)
        # lemmas_from asks up to four questions of one word: one SELECT answers them all.
        self._row = functools.lru_cache(maxsize=65536)(self._select)

    def _select(self, word):
        rows = self.db.rows("SELECT tagged, plural, verb, formal, noun_only, stem FROM lexicon WHERE word = ?",
                            (word,))
        return rows[0] if rows else None

    def _field(self, word, column: int):
        row = self._row(word)
        return row[column] if row else None

    def is_tagged(self, word):
        return bool(self._field(word, 0))

    def is_plural(self, word):
        return bool(self._field(word, 1))

    def verb(self, word):
        return self._field(word, 2)

    def formal(self, word):
        return self._field(word, 3)

    def is_noun_only(self, word):
        return bool(self._field(word, 4))

    def is_stem(self, word):
        return bool(self._field(word, 5))

    @staticmethod
    def write(source: HazmLexicon, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp)
        db.execute("CREATE TABLE lexicon (word TEXT PRIMARY KEY, tagged INT, plural INT, verb TEXT, formal TEXT,"
                   " noun_only INT, stem INT) WITHOUT ROWID")
        words = source.tagged | source.verbs.keys() | source.informal.keys() | source.stems
        db.executemany("INSERT INTO lexicon VALUES (?, ?, ?, ?, ?, ?, ?)",
                       ((w, w in source.tagged, w in source.plurals, source.verbs.get(w), source.informal.get(w),
                         w in source.nouns_only, w in source.stems) for w in sorted(words)))
        db.commit()
        db.close()
        os.replace(tmp, path)
        for old in path.parent.glob("lexicon-*.sqlite"):  # from older hazm or code
            if old != path:
                old.unlink(missing_ok=True)


def cache_dir() -> Path:
    """Where derived data is kept: $FASEARCH_CACHE, else ~/.cache/fasearch."""
    if os.environ.get("FASEARCH_CACHE"):
        return Path(os.environ["FASEARCH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fasearch"


@functools.cache
def analysis_key() -> str:
    """Names everything an index's analysis is derived from: an index built
    with another key must be rebuilt (see :mod:`fasearch.text`):
    ``ANALYSIS_VERSION``, hazm's version and the sizes of the hazm files read."""
    from . import ANALYSIS_VERSION

    digest = hashlib.sha256(f"{ANALYSIS_VERSION}:{metadata.version('hazm')}".encode())
    for name in ("data/words.dat", "data/verbs.dat", "data/iwords.dat", "data/iverbs.dat", "constants.py",
                 "informal_normalizer.py"):
        stat = hazm_data_path(name).stat()
        digest.update(f"{name}:{stat.st_size}".encode())  # not mtime: every venv has its own
    return digest.hexdigest()[:16]


@functools.cache
def _cache_key() -> str:
    """The lexicon cache's name: the analysis key and the code that builds the
    table (this module and the folds).  The golden test only sees the words of
    its articles, so a change to the rules for other words, without a version
    bump, must still build a new table, not reuse an older one."""
    digest = hashlib.sha256(analysis_key().encode())
    for name in ("lexicon.py", "chars.py", "plurals.py"):
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()[:16]


def key(word: str) -> str:
    """The lookup form of a word: folded, without ZWNJ."""
    return unjoin(fold(word))


def keys(words) -> list[str]:
    """:func:`key` of many words at once (one pass of the folds, not 500,000)."""
    return [unjoin(line).strip() for line in fold_text("\n".join(words)).split("\n")]


@functools.cache
def lexicon() -> Lexicon:
    """The process-wide lexicon: the cached one, built from hazm on first use.

    ``FASEARCH_NO_CACHE=1`` uses hazm directly (the tests compare both).
    """
    if os.environ.get("FASEARCH_NO_CACHE"):
        return HazmLexicon()
    path = cache_dir() / f"lexicon-{_cache_key()}.sqlite"
    with _building:  # threads of the page: one builds it, the others wait
        return _cached_lexicon(path)


_building = threading.Lock()


def _cached_lexicon(path: Path) -> Lexicon:
    if not path.exists():
        # Else the first run is silent for seconds; stderr keeps the output clean.
        print(f"note: building hazm's lexicon cache in {path.parent} (first run only; a few seconds)…",
              file=sys.stderr, flush=True)
        source = HazmLexicon()
        try:
            CachedLexicon.write(source, path)
        except OSError as error:  # no writable cache: work from hazm, only slower
            print(f"note: cannot write it ({error.strerror}), so every run builds it; "
                  "set FASEARCH_CACHE to a writable folder", file=sys.stderr)
            return source
    return CachedLexicon(path)


def _strip_to_tagged(word: str, lex: Lexicon, suffixes, depth: int) -> str | None:
    """The longest tagged base reached by removing suffixes, or None.

    An informal base counts as its formal word (خونه‌هامون → خانه)."""
    frontier = [word]
    for _ in range(depth):
        bases = []
        for form in frontier:
            for suffix in suffixes:
                if not form.endswith(suffix):
                    continue
                base = form[: -len(suffix)]
                if len(base) < _MIN_BASE.get(len(suffix), 2):
                    continue
                bases.append(base)
                # Arabic plurals drop a final heh: مطالبه → مطالبات, بنده → بندگان.
                if suffix == "ات":
                    bases.append(base + "ه")
                if suffix == "ان" and base.endswith("گ"):
                    bases.append(base[:-1] + "ه")
        # Prefer the longest base: fewer letters removed, less risk.
        bases.sort(key=len, reverse=True)
        for base in bases:
            if lex.is_tagged(base):
                return base
            formal = lex.formal(base)
            if formal and lex.is_tagged(formal):
                return formal
        frontier = bases
    return None


class SQLiteReader:
    """A read-only SQLite file for the threads of a process.

    One connection per process, opened on first use, and a lock around each
    query: the queries are short (and hold the GIL around them anyway),
    while a connection per thread would pile up under a server that starts
    a thread per request, each to be closed from another thread.  A
    connection never crosses fork(): SQLite forbids it, so a child (Whoosh's
    indexing process, started by fork) opens its own and never touches its
    parent's.  After :meth:`close`, a query fails (``sqlite3.ProgrammingError``).

    A file of an index (``of_index``) that SQLite finds damaged raises
    :class:`fasearch.errors.IndexReadError`, as an engine's damaged files do.
    """

    def __init__(self, path: Path, of_index: bool = False) -> None:
        self.path = path
        self.of_index = of_index
        self.closed = False
        self._state = _Connection(0)  # no process's yet

    def rows(self, sql: str, parameters: Sequence = ()) -> list[tuple]:
        state = self._state
        if state.pid != os.getpid():  # the first query of this process: a child's state is its parent's copy
            state = self._state = _Connection(os.getpid())
        with state.lock:
            if self.closed:
                raise sqlite3.ProgrammingError(f"{self.path} was closed")
            try:
                if state.db is None:
                    state.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                return state.db.execute(sql, parameters).fetchall()
            except sqlite3.ProgrammingError:  # a bug: used after close, or a wrong query
                raise
            except sqlite3.DatabaseError as error:  # not a database, malformed, a table missing
                if not self.of_index:
                    raise
                raise IndexReadError(f"{self.path.name}: {error}") from error

    def close(self) -> None:
        state = self._state
        with state.lock:
            self.closed = True
            if state.db is not None and state.pid == os.getpid():  # a parent's is the parent's to close
                state.db.close()
                state.db = None


class _Connection:
    """A process's connection to one file, and the lock its threads take turns with."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.lock = threading.Lock()
        self.db: sqlite3.Connection | None = None


# The lemmas of the words an index holds are written beside it at build time
# (``lemmas.sqlite``, table ``known``), so a search looks up a paragraph's in
# one query instead of deriving each.  They only cache what derive_lemmas()
# computes (an index of another analysis is refused when opened), so the
# lemmas read are kept here for the whole process, whichever index they came
# from: opening an index never switches or clears them.  A dict's get and
# update are each atomic, so the threads of a search page share it safely.
_stored: dict[str, tuple[str, ...]] = {}
_SQL_BATCH = 900  # stay under SQLite's limit on parameters


def write_known(path: Path, words) -> None:
    """Add the lemmas of ``words`` (folded) to an SQLite file, once each."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE IF NOT EXISTS known (word TEXT PRIMARY KEY, lemmas TEXT) WITHOUT ROWID")
    have = db.execute("SELECT word FROM known WHERE word IN (SELECT value FROM json_each(?))",
                      (json.dumps(sorted(words), ensure_ascii=False),))
    new = set(words) - {row[0] for row in have}
    db.executemany("INSERT INTO known VALUES (?, ?)", ((w, " ".join(lemmas(w))) for w in sorted(new)))
    db.commit()
    db.close()


class IndexLexicon:
    """The lemma table of one open index generation (``known`` in its
    ``lemmas.sqlite``): :meth:`preload` reads the lemmas of many words in a
    few queries, into the process's memo that :func:`lemmas` answers from.

    Safe from several threads (see :class:`SQLiteReader`).  With
    ``FASEARCH_NO_CACHE=1`` the table is not read: every lemma is derived
    from hazm (the tests compare both).
    """

    def __init__(self, path: Path) -> None:
        self.table = SQLiteReader(path, of_index=True)
        self._reads_table = not os.environ.get("FASEARCH_NO_CACHE")

    def preload(self, words: Iterable[str]) -> None:
        """Fetch the stored lemmas of ``words`` (folded) not yet known."""
        if not self._reads_table:
            return
        missing = [w for w in set(words) if w not in _stored]
        for start in range(0, len(missing), _SQL_BATCH):
            chunk = missing[start : start + _SQL_BATCH]
            marks = ",".join("?" * len(chunk))
            found = self.table.rows(f"SELECT word, lemmas FROM known WHERE word IN ({marks})", chunk)
            _stored.update((word, tuple(keys.split(" "))) for word, keys in found)

    def close(self) -> None:
        self.table.close()


def is_word(word: str) -> bool:
    """Whether hazm's word list or verb tables hold ``word`` (folded, joined)."""
    lex = lexicon()
    return lex.is_tagged(word) or lex.verb(word) is not None or lex.is_plural(word)


def lemmas(word: str) -> tuple[str, ...]:
    """The lemma keys of one folded, joined word; the word itself if none.

    A ZWNJ in ``word`` says its parts were written apart (``نمی‌رم``, or
    ``نمی رم`` grouped by the query): that reading is tried first.

    >>> lemmas("کارگران"), lemmas("مردم"), lemmas("کارگر")
    (('کارگر',), ('مردم',), ('کارگر',))
    >>> lemmas("میکنند") == lemmas("کرد") == ("کرد#کن",)
    True
    >>> lemmas("نمیرم"), lemmas("نمی\u200cرم")
    (('مرد#میر',), ('رفت#رو',))
    """
    found = _stored.get(word)
    return found if found is not None else derive_lemmas(word)


@functools.lru_cache(maxsize=200_000)
def derive_lemmas(word: str) -> tuple[str, ...]:
    """:func:`lemmas` from the process's lexicon (see the module docstring)."""
    return lemmas_from(lexicon(), word)


def lemmas_from(lex: Lexicon, word: str, informal: bool = True) -> tuple[str, ...]:
    """The rules of the module docstring, over any lexicon."""
    if ZWNJ in word:  # written apart: only hazm's informal verb forms differ
        verb, joined = lex.verb(word), lemmas_from(lex, unjoin(word))
        # نمی‌رم is not the verb نمیرم (مردن); می‌ان may still be the word میان.
        return tuple(k for k in joined if "#" not in k) + (verb,) if verb else joined
    if not word or not word[0].isalpha():
        return (word,)
    verb = lex.verb(word)
    if lex.is_plural(word):  # a regular plural (اعتصابات), or a broken one (جزایر)
        return (_strip_to_tagged(word, lex, PLURAL_SUFFIXES, 1) or singular(word, lex.is_tagged) or word,)
    if lex.is_tagged(word):
        if verb and not word.endswith(_NON_THIRD_PERSON):
            return (word, verb)
        base = _tagged_plural_base(lex, word)
        return (word, base) if base else (word,)
    if verb:
        return (verb,)
    formal = lex.formal(word) if informal else None
    if formal:  # one step: hazm's list maps some words to themselves (کرونا)
        return lemmas_from(lex, formal, informal=False)
    verb = _preverb_verb(lex, word)
    if verb:
        return (verb,)
    for ending, formal_ending in _INFORMAL_ENDINGS if informal else ():
        if word.endswith(ending) and word.startswith(_AFTER_PREVERB + PREVERBS):
            formal_word = word[: -len(ending)] + formal_ending
            verb = lex.verb(formal_word) or _preverb_verb(lex, formal_word)
            if verb:
                return (verb,)
    base = _strip_to_tagged(word, lex, _all_suffixes(), _MAX_STRIPS)
    if base:
        return (base,)
    # A word hazm does not know (کمپین‌های): only ها is safe to strip blind,
    # since hardly any Persian word ends in it that is not its plural.
    for suffix in HA_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return (word[: -len(suffix)],)
    return (word,)


@functools.cache
def _all_suffixes() -> tuple[str, ...]:
    return NOMINAL_SUFFIXES + tuple(informal_suffixes())


def _tagged_plural_base(lex: Lexicon, word: str) -> str | None:
    """The base of a noun hazm tags that is also a plural: دوستان → دوست."""
    if not lex.is_noun_only(word):
        return None
    for ending, replacement in _TAGGED_PLURALS:
        base = word[: -len(ending)] + replacement
        if word.endswith(ending) and len(base) >= 3 and lex.is_tagged(base) and not lex.is_stem(base):
            return base
    return None


def _preverb_verb(lex: Lexicon, word: str) -> str | None:
    """The verb key of a preverb verb written joined: برمیگردد → برگشت#برگرد."""
    for preverb in PREVERBS:
        rest = word[len(preverb):]
        if not word.startswith(preverb) or not rest.startswith(_AFTER_PREVERB):
            continue
        verb = lex.verb(rest)
        if verb:
            past, present = verb.split("#")
            whole = f"{preverb}{past}#{preverb}{present}"
            if lex.verb(key(preverb + past)) == whole:  # hazm knows the preverb verb
                return whole
    return None
