"""The query tree (fasearch.query.tree): frozen values that the planner builds and engines translate."""

import dataclasses

import pytest

from fasearch.query.tree import (
    NOTHING,
    And,
    AndMaybe,
    AndNot,
    AtLeast,
    Filter,
    Nothing,
    Or,
    Phrase,
    Prefix,
    Term,
    children,
    leaves,
)

WORKERS, OIL = Term("fold", "کارگران"), Term("fold", "نفت", boost=2.0)


def _examples():
    return [WORKERS, OIL, Phrase("fold", ["هفت", "تپه"]), Prefix("heading_fold", "کار", boost=0.5),
            And([WORKERS, OIL]), Or([WORKERS, OIL], boost=2.0), AtLeast([WORKERS, OIL], 1),
            AndNot(WORKERS, OIL), AndMaybe(WORKERS, OIL), Filter(WORKERS, Term("file", "a.txt")), NOTHING]


@pytest.mark.parametrize("node", _examples(), ids=lambda q: type(q).__name__)
def test_nodes_are_frozen(node):
    for field in dataclasses.fields(node):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(node, field.name, None)
    with pytest.raises((AttributeError, TypeError)):  # slots: no attribute of its own either
        node.extra = 1


def test_nodes_are_values_equal_by_content_and_hashable():
    again = [Term("fold", "کارگران"), Term("fold", "نفت", 2.0), Phrase("fold", ("هفت", "تپه")),
             Prefix("heading_fold", "کار", 0.5), And((WORKERS, OIL)), Or((WORKERS, OIL), 2.0),
             AtLeast((WORKERS, OIL), 1), AndNot(WORKERS, OIL), AndMaybe(WORKERS, OIL),
             Filter(WORKERS, Term("file", "a.txt")), Nothing()]
    assert again == _examples()
    assert {hash(a) for a in again} == {hash(b) for b in _examples()}
    assert len(set(_examples() + again)) == len(again)
    # What differs: a boost, the order of subqueries, m, the kind of node.
    assert WORKERS != Term("fold", "کارگران", boost=2.0)
    assert And([WORKERS, OIL]) != And([OIL, WORKERS]) != Or([OIL, WORKERS])
    assert AtLeast([WORKERS, OIL], 1) != AtLeast([WORKERS, OIL], 2)
    assert AndNot(WORKERS, OIL) != AndMaybe(WORKERS, OIL) != Filter(WORKERS, OIL)


def test_children_are_kept_in_tuples():
    """A list given is made a tuple, so a tree holds no mutable part."""
    words = ["هفت", "تپه"]
    subs = [WORKERS, OIL]
    phrase, both = Phrase("fold", words), And(subs)
    words.append("x")
    subs.append(NOTHING)
    assert phrase.words == ("هفت", "تپه") and both.subqueries == (WORKERS, OIL)
    assert isinstance(AtLeast(iter(subs), 2).subqueries, tuple)


def test_at_least_keeps_m_between_one_and_the_subqueries():
    assert [AtLeast([WORKERS, OIL], m).m for m in (0, 1, 2, 3)] == [1, 1, 2, 2]
    assert AtLeast([], 2).m == 1


def test_walking_a_tree():
    phrase = Phrase("fold", ("هفت", "تپه"))
    q = Filter(AndNot(AtLeast([WORKERS, phrase], 2), Or([OIL, Prefix("fold", "نف")])), Term("file", "a.txt"))
    assert [leaf for leaf in leaves(q)] == [WORKERS, phrase, OIL, Prefix("fold", "نف"), Term("file", "a.txt")]
    assert children(q) == (q.query, q.filter) and children(WORKERS) == () and list(leaves(NOTHING)) == []
