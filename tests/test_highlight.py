"""The highlighter's cached analysis of a paragraph is the tokenizer's and
the index's, piece for piece (issue 12: it is built from runs of text between
spaces, cached per run, and finds a query's forms and lemmas by scanning;
a snippet's edges are found from the pieces near them).

The reference below is the analysis written plainly: every piece of
``analysis.pieces`` over the whole text, every rule tried at every piece.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fasearch.query.parsing import parse
from fasearch.searching.matching import RULES, Match, _Paragraph, _spelling_at, _Word, find_matches
from fasearch.text.analysis import pieces, verb_group
from fasearch.text.chars import ZWNJ, fold
from fasearch.text.lexicon import lemmas
from fasearch.text.wordlists import PREFIXES, SUFFIXES


def reference(text):
    words = list(pieces(text))
    folded = [fold(p.text) for p in words]
    spans: dict[int, tuple[int, int]] = {}
    by_fold: dict[str, list[int]] = {}
    by_lemma: dict[str, set[tuple[int, int]]] = {}
    for i, p in enumerate(words):
        start, end = spans.get(p.word, (p.start, p.end))
        spans[p.word] = (min(start, p.start), max(end, p.end))
        by_fold.setdefault(folded[i], []).append(i)
        for lemma in lemmas(folded[i]):
            by_lemma.setdefault(lemma, set()).add((i, 1))
        if i + 1 < len(words) and words[i + 1].glued and (folded[i] in PREFIXES or folded[i + 1] in SUFFIXES):
            for lemma in lemmas(folded[i] + ZWNJ + folded[i + 1]):
                by_lemma.setdefault(lemma, set()).add((i, 2))
        if i + 2 < len(words) and words[i + 1].glued and words[i + 2].glued and (
            verb_group(folded[i : i + 2], folded[i + 2]) == folded[i : i + 3]
        ):
            for lemma in lemmas(ZWNJ.join(folded[i : i + 3])):
                by_lemma.setdefault(lemma, set()).add((i, 3))
    return words, folded, spans, by_fold, by_lemma


def whole_words(text, layout):
    """The written words' spans, a suffix or verb prefix typed apart kept with its word."""
    out = []
    for i, (start, end, glued, folded) in enumerate(layout):
        joins_previous = out and glued and (folded in SUFFIXES or layout[i - 1][3] in PREFIXES
                                            or ZWNJ in text[layout[i - 1][1] : start])
        if joins_previous or (out and start < out[-1][1]):
            out[-1][1] = end
        else:
            out.append([start, end])
    return out


def assert_same_word_edges(para, text, layout):
    """A snippet's edges, found from the pieces near them (issue 12), are
    those of the whole list of written words."""
    spans = whole_words(text, layout)
    for offset in range(len(text) + 2):
        assert para.word_start(offset) == max((a for a, _ in spans if a <= offset), default=0)
        for after in {0, max(offset - 40, 0), para.word_start(offset), offset - 1, offset}:
            ends = [b for _, b in spans if b <= offset]
            last = ends[-1] if ends and ends[-1] > after else next((b for _, b in spans if b > after), len(text))
            assert para.word_end(offset, after) == last, (offset, after)


def assert_same_analysis(text):
    para = _Paragraph(text)
    words, folded, spans, by_fold, by_lemma = reference(text)
    expected = [(p.start, p.end, p.glued, form) for p, form in zip(words, folded)]
    assert_same_word_edges(para, text, expected)
    assert [(para.start(i), para.end(i), para.glued(i), form) for i, form in enumerate(para.folded)] == expected
    assert [para.word_span(i) for i in range(len(words))] == [spans[p.word] for p in words]
    assert {form: para.places(form) for form in para.forms} == by_fold
    assert {form: para.places_of(frozenset({form})) for form in para.forms} == by_fold
    assert para.places_of(para.forms) == list(range(len(words)))
    lemma_places = {}
    for i, length, lemma in para.lemma_places_of(para.lemma_set):
        lemma_places.setdefault(lemma, set()).add((i, length))
    assert lemma_places == by_lemma
    assert para.places("ناموجود") == [] and para.places_of(frozenset({"ناموجود"})) == []
    assert para.lemma_places_of(frozenset({"ناموجود"})) == []


@pytest.mark.parametrize("text", [
    "کارگران نیشکر هفت تپه",
    f"می{ZWNJ}شود، خانواده{ZWNJ}ها و خانواده ها",  # ZWNJ parts, a suffix written apart
    f"نمی{ZWNJ}رم، نمی رم، بر نمی گردد، برنمی گردد",  # verb prefixes written apart, a preverb
    "خوردهاست و شدهاست، خورده است",  # است joined to a participle: cut in two
    "﷽ و بسم﷽الله ﷼",  # a ligature of several words, alone and inside a word
    f"  دو  فاصله، «نقل» - ؛ {ZWNJ}{ZWNJ}x a{ZWNJ}{ZWNJ}b ",  # empty runs, punctuation runs, ZWNJ runs
    "کار\tها\nمی\u00a0شود می\u200fشود ۱۲٫۵ 1,000",  # other spaces and marks: glued or not, as the tokenizer says
    "",
])
def test_the_cached_analysis_is_the_tokenizers(text):
    assert_same_analysis(text)


@pytest.mark.slow
def test_every_paragraph_and_heading_of_the_article(article):
    for section, paragraph in article.paragraphs:
        assert_same_analysis(paragraph)
        assert_same_analysis(section.heading + "\n" + article.title)


WORDS = st.sampled_from(["می", "نمی", "بر", "ها", "های", "ای", "شود", "گردد", "رم", "کارگر", "خوردهاست",
                         "﷽", "،", "«", "-", ZWNJ, "\u200f", "\u00a0", "\n", "كار", "ی"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, st.sampled_from([" ", "", "  ", ZWNJ, " ، "])), max_size=12))
def test_any_mix_of_affixes_spaces_and_ligatures(parts):
    assert_same_analysis("".join(word + gap for word, gap in parts))



def reference_matches(text, units):
    """find_matches written plainly: every unit tried at every piece, in the
    order typed, the first of equally strict matches at a piece kept."""
    para = _Paragraph(text)
    by_lemma = reference(text)[4]  # lemma -> {(piece, pieces)}
    words = [_Word.of(unit) for unit in units]
    best = {}
    for number, word in enumerate(words):
        found = []  # (piece, rule, pieces)
        for i, form in enumerate(para.folded):
            if word.prefix:
                found += [(i, "prefix", 1)] if form.startswith(word.joined) else []
            elif spelt := _spelling_at(text, para, i, word):
                found.append((i, RULES[spelt[0]], spelt[1]))
        if not word.prefix:
            found += [(i, "lemma", length) for lemma in word.lemmas for i, length in by_lemma.get(lemma, ())]
        for i, rule, length in found:
            if i not in best or (RULES.index(rule), -length) < best[i][:2]:
                best[i] = (RULES.index(rule), -length, number)
    out, covered = [], 0
    for i in sorted(best):
        if i >= covered:
            rank, negative, number = best[i]
            start, end = para.word_span(i)[0], para.word_span(i - negative - 1)[1]
            out.append(Match(start, end, words[number].query, text[start:end], RULES[rank], number))
            covered = i - negative
    taken = {(m.start, m.end) for m in out}
    for number, (first, second) in enumerate(zip(words, words[1:])):
        if second.glued and len(first.parts) == len(second.parts) == 1 and not first.prefix and not second.prefix:
            for i, form in enumerate(para.folded):
                start, end = para.word_span(i)
                if form == first.joined + second.joined and (start, end) not in taken:
                    out += [Match(start, end, w.query, text[start:end], "space/ZWNJ join", number + k)
                            for k, w in enumerate((first, second))]
    return sorted(out, key=lambda m: (m.start, m.unit))


QUERIES = ["کارگران نفت", "کارگر*", "هفت تپه", "می شود", "خانواده ها", "کار ها", "امیر کبیر", "نمی رم",
           "بر نمی گردد", "شد", "شده نوشته", "در از به", "کارگر کارگران", "تپه هفت", "سندیکا*", "كارگر", "نیشکر هفت‌تپه"]


def test_matches_are_those_of_every_rule_tried_at_every_piece(article):
    """Matching reads a query's units once and finds its candidates by set
    intersection (issue 12); the same matches as trying every piece."""
    for _section, paragraph in article.paragraphs:
        for query in QUERIES:
            units = parse(query).units
            assert find_matches(paragraph, units) == reference_matches(paragraph, units), query


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(WORDS, st.sampled_from([" ", "", ZWNJ, " ، "])), max_size=10),
       st.lists(WORDS.filter(str.strip), min_size=1, max_size=4), st.booleans())
def test_matches_of_any_mix(parts, query, prefix):
    text = "".join(word + gap for word, gap in parts)
    units = parse(" ".join(query) + ("*" if prefix else "")).units
    assert find_matches(text, units) == reference_matches(text, units)
