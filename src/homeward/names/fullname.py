"""Full names: part-by-part comparison, an explanation, and blocking keys.

A full name is parsed (:func:`~homeward.names.parse.parse_full_name`) and its
given name, patronymic and family name are compared with the part's own
function.  When a name's order is not certain (no patronymic), the reading
with given and family name exchanged is tried too, and the better one kept.

The overall level is the weakest level among the parts present on both
sides, with one exception: when the given name (and the patronymic, if both
have one) agree but the family name does not, the level is
``"family_differs"`` — a child's family name is often replaced after
adoption or guardianship, so the match model can weigh this apart from a
plain ``"different"``.

>>> compare_full_names("Олександр Коваленко", "KOVALENKO Aleksandr").reason
'given name: same name (Олександр), Russian form; family name: transliteration variant'
>>> compare_full_names("Олександр Сергійович Коваленко", "Александр Сергеевич Иванов").level
'family_differs'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from homeward.names.compare import (
    FAMILY_LEVELS,
    GIVEN_LEVELS,
    PATRONYMIC_LEVELS,
    agrees,
    compare_family_names,
    compare_given_names,
    compare_patronymics,
    family_name_keys,
    given_name_keys,
    patronymic_keys,
)
from homeward.names.comparison import Comparison
from homeward.names.normalize import normalize_text
from homeward.names.parse import ParsedName, parse_full_name
from homeward.names.translit import skeleton

FULL_NAME_LEVELS = (
    "exact", "equivalent", "transliteration", "diminutive", "related", "gendered", "partial",
    "typo", "initial", "similar", "family_differs", "different", "missing",
)  # fmt: skip
"""Levels of :func:`compare_full_names`, strongest agreement first."""

_PART_LABELS = {"given": "given name", "patronymic": "patronymic", "family": "family name"}
_PART_LEVELS = {"given": GIVEN_LEVELS, "patronymic": PATRONYMIC_LEVELS, "family": FAMILY_LEVELS}


@dataclass(frozen=True, slots=True)
class PartComparison:
    """One part of a full-name comparison: which part, the two values, the result."""

    part: str
    a: str
    b: str
    comparison: Comparison


@dataclass(frozen=True, slots=True)
class NameExplanation:
    """Why two full names compare as they do: the overall result and each part."""

    a: str
    b: str
    comparison: Comparison
    parts: tuple[PartComparison, ...]


def _compare_parts(pa: ParsedName, pb: ParsedName) -> tuple[PartComparison, ...]:
    return (
        PartComparison("given", pa.given, pb.given, compare_given_names(pa.given, pb.given)),
        PartComparison(
            "patronymic",
            pa.patronymic,
            pb.patronymic,
            compare_patronymics(pa.patronymic, pb.patronymic),
        ),
        PartComparison("family", pa.family, pb.family, compare_family_names(pa.family, pb.family)),
    )


def _overall(parts: tuple[PartComparison, ...]) -> Comparison:
    present = {p.part: p for p in parts if p.comparison.level != "missing"}
    if not present:
        return Comparison("missing", "no part of the name on both sides")
    given, patronymic, family = (present.get(k) for k in ("given", "patronymic", "family"))
    if (
        given
        and family
        and agrees(given.comparison.level)
        and not agrees(family.comparison.level)
        and (patronymic is None or agrees(patronymic.comparison.level))
    ):
        return Comparison(
            "family_differs",
            f"given name agrees ({given.comparison.reason}); family name differs",
        )
    worst = max(present.values(), key=lambda p: FULL_NAME_LEVELS.index(p.comparison.level))
    if not agrees(worst.comparison.level):
        label = _PART_LABELS[worst.part]
        return Comparison(worst.comparison.level, f"{label}: {worst.comparison.reason}")
    reasons = [
        f"{_PART_LABELS[p.part]}: {p.comparison.reason}"
        for p in present.values()
        if p.comparison.level != "exact"
    ]
    return Comparison(worst.comparison.level, "; ".join(reasons) or "identical")


def _readings(parsed: ParsedName) -> list[ParsedName]:
    if parsed.certain or not (parsed.given and parsed.family):
        return [parsed]
    return [parsed, parsed.swapped()]


def _score(parts: tuple[PartComparison, ...]) -> int:
    return sum(_PART_LEVELS[p.part].index(p.comparison.level) for p in parts)


@lru_cache(maxsize=131_072)
def _explain(a: str, b: str) -> NameExplanation:
    pa, pb = parse_full_name(a), parse_full_name(b)
    options = [_compare_parts(x, y) for x, y in product(_readings(pa), _readings(pb))]
    best = min(
        options,
        key=lambda parts: (FULL_NAME_LEVELS.index(_overall(parts).level), _score(parts)),
    )
    return NameExplanation(a, b, _overall(best), best)


def explain_full_names(a: str | None, b: str | None) -> NameExplanation:
    """Compare two full names and say, part by part, why.

    >>> e = explain_full_names("Олександр Коваленко", "Aleksandr Kovalenko")
    >>> [(p.part, p.comparison.level) for p in e.parts]
    [('given', 'equivalent'), ('patronymic', 'missing'), ('family', 'transliteration')]
    """
    na, nb = normalize_text(a), normalize_text(b)
    if na > nb:
        swapped = _explain(nb, na)
        parts = tuple(PartComparison(p.part, p.b, p.a, p.comparison) for p in swapped.parts)
        return NameExplanation(na, nb, swapped.comparison, parts)
    return _explain(na, nb)


def compare_full_names(a: str | None, b: str | None) -> Comparison:
    """Compare two full names in any order, script and case.

    >>> compare_full_names("Саша Коваленко", "Олександр Сергійович Коваленко").level
    'diminutive'
    >>> compare_full_names("Олександр Коваленко", "Олександра Коваленко").level
    'different'
    >>> compare_full_names("Коваленка Олександра", "Oleksandr Kovalenko").level
    'transliteration'
    """
    return explain_full_names(a, b).comparison


@lru_cache(maxsize=131_072)
def full_name_keys(value: str | None) -> frozenset[str]:
    """Blocking keys of a full name: given × family and given × patronymic pairs.

    Each key joins two parts, so that a key stays selective; names with one
    part only get that part's keys.

    >>> bool(full_name_keys("Олександр Коваленко") & full_name_keys("KOVALENKO Aleksandr"))
    True
    """
    keys: set[str] = set()
    for reading in _readings(parse_full_name(value)):
        given = given_name_keys(reading.given)
        family = family_name_keys(reading.family)
        patronymic = patronymic_keys(reading.patronymic)
        if reading.given:
            # The first letter with the family name finds "О. Коваленко".
            given = given | {f"gi:{skeleton(reading.given)[:1].lower()}"}
        for first, second in ((given, family), (given, patronymic)):
            keys.update(f"{x}|{y}" for x in first for y in second)
        if not family and not patronymic:
            keys.update(given)
        if not given:
            keys.update(family or patronymic)
    return frozenset(keys)
