"""The fields the match model compares, and how two values of each are graded.

Every field has an ordered tuple of agreement ``levels`` (strongest first) and a
``compare`` function taking two prepared, non-empty values (see
:mod:`homeward.linkage.prepare`) and returning a
:class:`~homeward.names.comparison.Comparison` whose level is one of them.  A
missing value on either side is never compared: it is :data:`MISSING`, neutral
in the score.

Names, dates and places are graded by :mod:`homeward.names`, so a pair gets the
same level and reason on a page, in the CLI and in a batch run.

>>> FIELDS_BY_NAME["given_name"].compare("Олександр", "Aleksandr")
Comparison(level='equivalent', reason='same name (Олександр), Russian form')
>>> FIELDS_BY_NAME["document"].compare("IIAH123456", "IIAH123457").level
'typo'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from homeward.names.compare import (
    FAMILY_LEVELS,
    GIVEN_LEVELS,
    PATRONYMIC_LEVELS,
    agrees,
    compare_family_names,
    compare_given_names,
    compare_patronymics,
)
from homeward.names.comparison import Comparison
from homeward.names.dates import LEVELS as DATE_LEVELS
from homeward.names.dates import compare_dates
from homeward.names.places import LEVELS as PLACE_LEVELS
from homeward.names.places import compare_places, normalize_place, resolve_place

MISSING = "missing"
"""The level of a field that is empty on either side: it weighs nothing."""

_NO_VALUE = frozenset({"missing", "unknown"})


@dataclass(frozen=True, slots=True)
class Field:
    """One compared field of the match model."""

    name: str
    label: str
    levels: tuple[str, ...]
    """Agreement levels, strongest first; :data:`MISSING` is not among them."""
    compare: Callable[[str, str], Comparison]
    shared_by_siblings: bool = False
    """Siblings share this field (family name, parents, places), so it says
    nothing for a pair whose given names are different (the sibling rule)."""

    def level_index(self, level: str) -> int:
        """The position of ``level`` in :attr:`levels`; -1 for a missing value."""
        return -1 if level in _NO_VALUE else self.levels.index(level)


def _levels(levels: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(level for level in levels if level not in _NO_VALUE)


_PLACE_LEVELS = (
    "same_place", "possibly_same_place", "same_name_unresolved", "similar_text", "same_oblast",
    "different",
)  # fmt: skip
assert set(_PLACE_LEVELS) == {*_levels(PLACE_LEVELS), "similar_text"}


def compare_sex(a: str, b: str) -> Comparison:
    """``same`` or ``different`` (``u`` never reaches here: it is missing)."""
    return Comparison("same", "same sex") if a == b else Comparison("different", "different sex")


@lru_cache(maxsize=65_536)
def _unresolved(value: str) -> bool:
    return not resolve_place(value).candidates


def compare_place_values(a: str, b: str) -> Comparison:
    """Places through the gazetteer; two unresolved values whose words are nearly
    the same (an address, a village not in the gazetteer) are ``similar_text``.

    >>> compare_place_values("Мариуполь", "м. Маріуполь").level
    'same_place'
    >>> compare_place_values("12 Smith Street, Belconnen", "12 Smith St, Belconnen").level
    'similar_text'
    """
    result = compare_places(a, b)
    if result.level == "different" and _unresolved(a) and _unresolved(b):
        score = fuzz.token_sort_ratio(normalize_place(a), normalize_place(b))
        if score >= 85:
            return Comparison(
                "similar_text", f"similar wording ({score:.0f}%), not in the gazetteer"
            )
    return result


def compare_documents(a: str, b: str) -> Comparison:
    """Document numbers, each side a ``|``-joined set of normalised numbers.

    ``exact`` when the sides share a number, ``typo`` when two numbers of the
    same length differ by one character or two neighbours swapped.
    """
    left, right = set(a.split("|")), set(b.split("|"))
    if left & right:
        return Comparison("exact", "same document number")
    for x in left:
        for y in right:
            if len(x) == len(y) >= 5 and OSA.distance(x, y) == 1:
                return Comparison("typo", "document numbers one character apart")
    return Comparison("different", "different document numbers")


def compare_birth_dates(a: str, b: str) -> Comparison:
    """:func:`~homeward.names.dates.compare_dates` of prepared ISO dates, but two
    dates that give only a year (or a year and month) and agree are
    ``partial_agree``, not ``exact``: ``2012`` and ``2012`` say no more than
    ``2012`` and ``2012-03-04`` do, and an ``exact`` date weighs as much as the
    same day of birth.

    >>> compare_birth_dates("2012", "2012").level
    'partial_agree'
    >>> compare_birth_dates("2012-03-04", "2012-03-04").level
    'exact'

    Two whole dates of the same day and month whose years are one apart are
    ``year_plus_minus_one`` even when the years differ in one digit only
    (2013 and 2014), where the names layer says ``one_digit_off``: a birth
    year moved by one (a common alteration) is far rarer between two
    different children than any one digit off (about 1 pair in 6,000 against
    1 in 160 on a synthetic registry), and the model weighs it so.

    >>> compare_birth_dates("2014-03-04", "2013-03-04").level
    'year_plus_minus_one'
    """
    result = compare_dates(a, b)
    if result.level == "exact" and len(a) < 10:
        return Comparison("partial_agree", "the same year, no day on either side")
    if (
        result.level == "one_digit_off"
        and len(a) == len(b) == 10
        and a[4:] == b[4:]
        and abs(int(a[:4]) - int(b[:4])) == 1
    ):
        return Comparison("year_plus_minus_one", "same day and month, years one apart")
    return result


PARENT_LEVELS = (
    "same_name", "same_given_name", "family_differs", "same_family_only", "similar", "different",
)  # fmt: skip


def compare_parent_names(a: str, b: str) -> Comparison:
    """A parent's names, each side prepared as ``given|patronymic|family``.

    - ``same_name``: given name and family name agree (patronymics too, where
      both are known);
    - ``same_given_name``: the given name agrees, a family name is missing on
      one side, or the patronymics differ;
    - ``family_differs``: same given name, different family name (a mother
      who remarried, or a Russified surname);
    - ``same_family_only``: no given name on one side, family names agree;
    - ``similar``: given names of similar spelling;
    - ``different``: different given names, or nothing that agrees.

    >>> compare_parent_names("ольга|петрівна|коваленко", "ольга||kovalenko").level
    'same_name'
    >>> compare_parent_names("ольга||коваленко", "ольга||шевчук").level
    'family_differs'
    """
    ga, pa, fa = a.split("|")
    gb, pb, fb = b.split("|")
    family = compare_family_names(fa, fb) if fa and fb else None
    if not (ga and gb):
        if family is None:
            return Comparison("missing", "no given name to compare")
        if agrees(family.level):
            return Comparison("same_family_only", f"family name: {family.reason}")
        return Comparison("different", f"family name: {family.reason}")
    given = compare_given_names(ga, gb)
    if given.level == "similar":
        return Comparison("similar", f"given name: {given.reason}")
    if not agrees(given.level):
        return Comparison("different", f"given name: {given.reason}")
    if family is not None and not agrees(family.level):
        return Comparison("family_differs", f"{given.reason}; family name: {family.reason}")
    if pa and pb and not agrees(compare_patronymics(pa, pb).level):
        return Comparison("same_given_name", f"{given.reason}; patronymics differ")
    if family is None:
        return Comparison("same_given_name", f"{given.reason}; no family name on one side")
    return Comparison("same_name", f"{given.reason}; family name: {family.reason}")


FIELDS: tuple[Field, ...] = (
    Field("given_name", "given name", _levels(GIVEN_LEVELS), compare_given_names),
    Field(
        "family_name", "family name", _levels(FAMILY_LEVELS), compare_family_names,
        shared_by_siblings=True,
    ),
    Field(
        "patronymic", "patronymic", _levels(PATRONYMIC_LEVELS), compare_patronymics,
        shared_by_siblings=True,
    ),
    Field("sex", "sex", ("same", "different"), compare_sex),
    Field("birth_date", "birth date", _levels(DATE_LEVELS), compare_birth_dates),
    Field(
        "birth_place", "birth place", _PLACE_LEVELS,
        compare_place_values, shared_by_siblings=True,
    ),
    Field(
        "residence", "residence", _PLACE_LEVELS,
        compare_place_values, shared_by_siblings=True,
    ),
    Field("document", "document number", ("exact", "typo", "different"), compare_documents),
    Field(
        "mother_name", "mother's name", PARENT_LEVELS, compare_parent_names,
        shared_by_siblings=True,
    ),
    Field(
        "father_name", "father's name", PARENT_LEVELS, compare_parent_names,
        shared_by_siblings=True,
    ),
    Field(
        "location", "last known location", _PLACE_LEVELS,
        compare_place_values, shared_by_siblings=True,
    ),
)  # fmt: skip
"""Every compared field, in the order of the model and of explanations."""

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
FIELD_INDEX: dict[str, int] = {name: i for i, name in enumerate(FIELD_NAMES)}
