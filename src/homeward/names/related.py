"""Related given names: distinct names that one child is recorded under.

A Ukrainian girl named ``Дарина`` may appear in a Russian record as ``Дарья``,
``Орина`` as ``Арина``, ``Василина`` as ``Василиса``, and a boy ``Данило``
abroad as ``Daniel``.  These are not forms of one name (both names of a pair
are given to children in their own right), so they are not one group of
:mod:`homeward.names.given`; ``data/given_name_relations.tsv`` lists the pairs,
and two values whose names are related compare at the level ``related``.

Where both names of a pair are given in Ukraine (``Дарина`` and ``Дарія``),
only the other name's Russian and Western forms are related: two Ukrainian
records of ``Дарина`` and ``Дарія`` are two girls.

>>> relation_between(resolve_given_name("Дарина"), resolve_given_name("Дарья"))
'Дарина is the Ukrainian folk form of Дарія, Russian Дарья'
>>> relation_between(resolve_given_name("Дарина"), resolve_given_name("Дарія")) is None
True
>>> relation_between(resolve_given_name("Daniel"), resolve_given_name("Данило"))
'Daniel is the Western form of Данило'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from homeward.names.given import Resolution, name_groups, read_data_tsv, resolve_given_name
from homeward.names.normalize import normalize_text
from homeward.names.translit import SYSTEMS, transliterate

__all__ = ["Relation", "load_relations", "related_pairs", "relation_between", "resolve_given_name"]


@dataclass(frozen=True, slots=True)
class Relation:
    """One listed pair: Ukrainian name ``a``, the name ``b`` written for it."""

    a: str
    b: str
    any_form: bool
    """Whether every form of ``b`` stands in for ``a``, not only its foreign ones."""
    why: str


@cache
def load_relations() -> dict[tuple[str, str], Relation]:
    """The shipped pairs, under both ``(a, b)`` and ``(b, a)``.

    >>> load_relations()["dariia", "daryna"].a
    'daryna'
    """
    groups = name_groups()
    relations: dict[tuple[str, str], Relation] = {}
    for row in read_data_tsv("given_name_relations.tsv"):
        a, b, forms = row["a"], row["b"], row["b_forms"]
        for group_id in (a, b):
            if group_id not in groups:
                raise ValueError(f"given_name_relations.tsv: no name {group_id!r}")
        if a == b or (a, b) in relations:
            raise ValueError(f"given_name_relations.tsv: {a} / {b} is listed twice")
        if groups[a].sex != groups[b].sex:
            raise ValueError(f"given_name_relations.tsv: {a} / {b} differ in sex")
        if forms not in ("any", "foreign"):
            raise ValueError(f"given_name_relations.tsv: b_forms {forms!r} for {a} / {b}")
        relation = Relation(a, b, forms == "any", row["why"])
        relations[a, b] = relations[b, a] = relation
    return relations


@cache
def _ukrainian_spellings(group_id: str) -> frozenset[str]:
    """A name's Ukrainian forms, in Cyrillic and in every Ukrainian
    transliteration system (``Дарія``, ``Dariia``, ``Dariya``)."""
    forms = name_groups()[group_id].uk
    latin = {
        transliterate(form, system) for form in forms for system in SYSTEMS if system[:3] == "uk_"
    }
    return frozenset(normalize_text(v) for v in (*forms, *latin))


def relation_between(a: Resolution, b: Resolution) -> str | None:
    """Why the names of two given-name words are related, or ``None``."""
    relations = load_relations()
    for x in sorted(a.groups):
        for y in sorted(b.groups):
            relation = relations.get((x, y))
            if relation is None:
                continue
            token = b.token if y == relation.b else a.token
            if relation.any_form or token not in _ukrainian_spellings(relation.b):
                return relation.why
    return None


def related_pairs(groups: frozenset[str]) -> list[tuple[str, str]]:
    """The listed pairs that any of ``groups`` is part of, each as ``(a, b)``.

    >>> related_pairs(frozenset({"oryna"}))
    [('oryna', 'aryna'), ('oryna', 'iryna')]
    """
    pairs = {(r.a, r.b) for (x, _), r in load_relations().items() if x in groups}
    return sorted(pairs)
