"""Searching the real article, and ranking rules on small made-up corpora."""

import pytest
from test_article import HEADINGS

from fasearch.corpus.article import INTRODUCTION
from fasearch.searching.search import search

ALL = list(range(1, 14))
# Paragraph numbers of each section in the real article.
SECTION_PARAGRAPHS = {INTRODUCTION: [1], HEADINGS[0]: [2, 3], HEADINGS[1]: [4, 5, 6], HEADINGS[2]: [7],
                      HEADINGS[3]: [8], HEADINGS[4]: [9], HEADINGS[5]: [10, 11, 12, 13]}


def test_kargar_finds_every_paragraph_with_its_section(index):
    """The issue's acceptance check: every paragraph, each naming its section."""
    result = search(index, "کارگر", limit=50)
    assert sorted(h.paragraph for h in result.hits) == ALL
    for hit in result.hits:
        assert hit.paragraph in SECTION_PARAGRAPHS[hit.section]


def test_paragraph_with_only_inflected_forms_is_found(index):
    """Paragraph 12 never writes کارگر alone, only forms such as کارگران."""
    hit = next(h for h in search(index, "کارگر", limit=50).hits if h.paragraph == 12)
    assert {m.rule for m in hit.matches} == {"lemma"}
    assert {m.found for m in hit.matches} <= {"کارگران", "کارگری", "کارگرانی"}


@pytest.mark.parametrize("heading", HEADINGS)
def test_heading_words_find_their_section(find, heading):
    """Searching a heading's words finds its section's paragraphs, first."""
    found = find(heading.replace("؟", "").replace("،", ""))
    expected = SECTION_PARAGRAPHS[heading]
    assert set(expected) <= set(found)
    assert found[0] in expected


def test_phrase(find):
    assert set(find('"هفت تپه"')) == {4, 9, 11}
    assert find('"تپه هفت"') == []  # the order matters in a phrase


def test_section_filter(find):
    assert set(find("کارگر", section="خانواده")) == {4, 5, 6}
    assert set(find("کارگر", section="خانواده ها")) == {4, 5, 6}  # the heading text itself
    assert set(find("كارگر", section="پراكنده")) == {10, 11, 12, 13}  # folded like queries


def test_unknown_section_says_so(index):
    result = search(index, "کارگر", section="ورزش")
    assert result.hits == [] and "ورزش" in result.notice


def test_all_words_then_any_word(index):
    both = search(index, "کارگران نفت", limit=50)
    assert not both.any_words and {h.paragraph for h in both.hits} == {8, 11}
    either = search(index, "نفت تلویزیون", limit=50)  # no paragraph has both
    assert either.any_words and {h.paragraph for h in either.hits} == {8, 9, 11}


def test_a_word_in_no_paragraph_is_named_and_left_out(index):
    """«فوتبال» is in no paragraph in any form: the other word is searched, and
    the result says which word was left out; alone, it finds nothing."""
    result = search(index, "نفت فوتبال", limit=50)
    assert result.missing == ["فوتبال"] and not result.any_words
    assert {h.paragraph for h in result.hits} == {8, 11}
    alone = search(index, "فوتبال")
    assert alone.total == 0 and alone.hits == [] and alone.missing == ["فوتبال"]


def test_did_you_mean(index):
    result = search(index, "کمونیزم")  # misspelt: the article writes کمونیسم
    assert result.suggestion == "کمونیسم" and result.hits


def test_exclusion(find):
    assert set(find("کارگران نفت")) - set(find("کارگران نفت -طومار")) == {11}


def test_artifact_never_indexed(index, find):
    assert find("bookmark") == [] and find("GoBack") == []
    for field in ("fold", "lemma", "heading_fold"):
        words = index.engine.lexicon(field)
        assert words and not any("bookmark" in term or "goback" in term.lower() for term in words)


def test_exact_spelling_ranks_above_other_forms(make_index):
    """The word as typed, in any letter forms (a keyboard difference), then
    another form of the word; equal scores keep the paragraphs' order."""
    ix = make_index({"a.md": "# مقاله\n\nاین متن درباره کارگران است.\n\n"
                             "این متن درباره كارگر است.\n\nاین متن درباره کارگر است.\n"})
    for query in ("کارگر", "كارگر", "کارگَر", "کارگـــر"):
        hits = search(ix, query).hits
        assert [h.paragraph for h in hits] == [2, 3, 1], query
        assert hits[0].score == hits[1].score > hits[2].score


def test_adjacent_words_rank_above_scattered(make_index):
    """The issue's example: «خورده مي شود» prefers «خورده میشود» to «خورده میشده بود»."""
    ix = make_index({"a.md": "# مقاله\n\nغذا خورده میشده بود و تمام.\n\nغذا خورده میشود و تمام.\n"})
    hits = search(ix, "خورده مي شود").hits
    assert [h.text for h in hits] == ["غذا خورده میشود و تمام.", "غذا خورده میشده بود و تمام."]


def test_exact_joined_form_ranks_above_spaced_and_other_forms(make_index):
    """میشود typed joined: the paragraph written joined first, then apart, then another tense."""
    ix = make_index({"a.md": "# مقاله\n\nکار شده بود.\n\nکار می شود.\n\nکار میشود.\n"})
    assert [h.text for h in search(ix, "میشود").hits] == ["کار میشود.", "کار می شود.", "کار شده بود."]
