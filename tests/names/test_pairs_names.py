"""The pair table: every pair must be judged as the table says.

Rule: a "same" pair must get an agreeing level (one strictly before
"similar" in the kind's LEVELS); a "different" pair must get "similar" or a
weaker level ("family_differs", "different").  "similar" is the grey zone a
"different" pair may reach but a "same" pair may not.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from homeward.names.compare import (
    agrees,
    compare_family_names,
    compare_given_names,
    compare_patronymics,
)
from homeward.names.comparison import Comparison
from homeward.names.fullname import compare_full_names

TABLE = Path(__file__).parent / "data" / "pairs_names.tsv"
COMPARE: dict[str, Callable[[str, str], Comparison]] = {
    "given": compare_given_names,
    "patronymic": compare_patronymics,
    "family": compare_family_names,
    "full": compare_full_names,
}


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = _rows()


def _judged_right(row: dict[str, str]) -> tuple[bool, Comparison]:
    result = COMPARE[row["kind"]](row["a"], row["b"])
    if row["expected"] == "same":
        return agrees(result.level), result
    return not agrees(result.level), result


def test_table_is_large_and_well_formed() -> None:
    expected = Counter(row["expected"] for row in ROWS)
    assert set(expected) == {"same", "different"}
    assert expected["same"] >= 320
    assert expected["different"] >= 320
    assert {row["kind"] for row in ROWS} == set(COMPARE)
    pairs = [(row["kind"], row["a"], row["b"]) for row in ROWS]
    assert len(pairs) == len(set(pairs)), "a pair is listed twice"
    assert all(row["a"] and row["b"] and row["note"] for row in ROWS)


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['kind']}-{r['expected']}-{r['a']}-{r['b']}" for r in ROWS]
)
def test_pair(row: dict[str, str]) -> None:
    right, result = _judged_right(row)
    assert right, f"{row['a']!r} / {row['b']!r} ({row['note']}): {result}"


def test_accuracy_by_kind(capsys: pytest.CaptureFixture[str]) -> None:
    totals: Counter[tuple[str, str]] = Counter()
    correct: Counter[tuple[str, str]] = Counter()
    for row in ROWS:
        key = (row["kind"], row["expected"])
        totals[key] += 1
        correct[key] += _judged_right(row)[0]
    with capsys.disabled():
        print("\n| kind | expected | pairs | right | accuracy |")
        print("|---|---|---:|---:|---:|")
        for key in sorted(totals):
            print(
                f"| {key[0]} | {key[1]} | {totals[key]} | {correct[key]} "
                f"| {correct[key] / totals[key]:.1%} |"
            )
    assert sum(correct.values()) == sum(totals.values())
