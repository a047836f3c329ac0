"""Every pair in data/pairs_places.tsv must come out as its file says.

The file holds place pairs (Ukrainian, Russian and Latin forms, former and
occupation-era names, free text with oblasts, typos and look-alike letters) and
date pairs, each marked ``same`` or ``different``.  A place pair is the same
when :func:`compare_places` says ``same_place``, and different when it says
``different`` or ``same_oblast``.  A date pair is the same at the levels that
mean one date written or altered differently, and different at ``same_year``
and ``different``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from homeward.names.comparison import Comparison
from homeward.names.dates import compare_dates
from homeward.names.places import compare_places, place_keys

PAIRS = Path(__file__).parent / "data" / "pairs_places.tsv"
EXPECTED_LEVELS: dict[tuple[str, str], frozenset[str]] = {
    ("place", "same"): frozenset({"same_place"}),
    ("place", "different"): frozenset({"different", "same_oblast"}),
    ("date", "same"): frozenset(
        {"exact", "day_month_swapped", "one_digit_off", "year_plus_minus_one", "partial_agree"}
    ),
    ("date", "different"): frozenset({"same_year", "different"}),
}
COMPARE: dict[str, Callable[[str, str], Comparison]] = {
    "place": compare_places,
    "date": compare_dates,
}


def _pairs(kind: str) -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [row for row in rows if row["kind"] == kind]


@pytest.mark.parametrize(("kind", "minimum"), [("place", 90), ("date", 40)])
def test_the_file_holds_enough_pairs_of_each_kind(kind: str, minimum: int) -> None:
    rows = _pairs(kind)
    assert sum(row["expected"] == "same" for row in rows) >= minimum
    assert sum(row["expected"] == "different" for row in rows) >= minimum
    assert {row["expected"] for row in rows} == {"same", "different"}


@pytest.mark.parametrize("kind", ["place", "date"])
def test_every_pair_comes_out_as_expected(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _pairs(kind)
    failures = []
    for row in rows:
        result = COMPARE[kind](row["a"], row["b"])
        if result.level not in EXPECTED_LEVELS[(kind, row["expected"])]:
            failures.append(f"{row['a']!r} / {row['b']!r}: {result} ({row['note']})")
    accuracy = 1 - len(failures) / len(rows)
    with capsys.disabled():
        print(f"\n{kind} pairs: {len(rows) - len(failures)}/{len(rows)} right ({accuracy:.1%})")
    assert not failures, "\n".join(failures)


def test_places_that_are_the_same_share_a_blocking_key() -> None:
    apart = [
        f"{row['a']!r} / {row['b']!r}"
        for row in _pairs("place")
        if row["expected"] == "same" and not place_keys(row["a"]) & place_keys(row["b"])
    ]
    assert not apart, "\n".join(apart)
