"""Related given names: one child recorded under a Ukrainian and a Russian or Western name."""

from __future__ import annotations

import pytest

from homeward.names.compare import compare_given_names, given_name_keys
from homeward.names.fullname import compare_full_names
from homeward.names.given import name_groups
from homeward.names.related import load_relations


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Дарина", "Дарья"),
        ("Daryna", "Darya"),
        ("Орина", "Ирина"),
        ("Орина", "Арина"),
        ("Oryna", "Arina"),
        ("Василина", "Василиса"),
        ("Данило", "Daniel"),
        ("Данилко", "Даниэль"),
    ],
)
def test_related_names_agree_at_their_own_level_and_share_a_key(a: str, b: str) -> None:
    for x, y in ((a, b), (b, a)):
        comparison = compare_given_names(x, y)
        assert comparison.level == "related"
        assert comparison.reason.startswith("related names: ")
    assert {k for k in given_name_keys(a) & given_name_keys(b) if k.startswith("gr:")}


@pytest.mark.parametrize(
    ("a", "b"),
    [("Дарина", "Дарія"), ("Дарина", "Дар'я"), ("Daryna", "Dariia"), ("Орина", "Ірина")],
)
def test_two_ukrainian_names_given_in_their_own_right_stay_different(a: str, b: str) -> None:
    assert compare_given_names(a, b).level == "different"


def test_relations_are_not_transitive() -> None:
    # Орина is related to Ирина and to Арина; Арина and Ирина are not related
    assert compare_given_names("Арина", "Ирина").level == "different"


def test_a_full_name_with_a_related_given_name_agrees() -> None:
    assert compare_full_names("Коваленко Дарина", "Коваленко Дарья").level == "related"


def test_every_relation_joins_two_listed_names_of_one_sex() -> None:
    groups = name_groups()
    relations = load_relations()
    assert len(relations) >= 10
    for (x, y), relation in relations.items():
        assert {x, y} == {relation.a, relation.b}
        assert groups[x].sex == groups[y].sex
        assert relation.why
