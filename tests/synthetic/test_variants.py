"""Typos, look-alike letters and altered dates change a value, and only slightly."""

from __future__ import annotations

import random
from datetime import date

import pytest

from homeward.synthetic.variants import (
    alter_date,
    format_date,
    has_latin_letter,
    typo,
    with_lookalikes,
)

NAMES = ["Олександр", "Марія", "Коваленко", "Ілля", "Сергійович", "Яна", "Шевчук"]


def _edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@pytest.mark.parametrize("seed", range(30))
def test_a_typo_changes_one_or_two_characters_but_not_the_first(seed: int) -> None:
    rng = random.Random(seed)
    for name in NAMES:
        changed = typo(name, rng)
        assert changed != name
        assert changed[0] == name[0]
        assert _edit_distance(name, changed) <= 2  # a swap of two letters counts twice


@pytest.mark.parametrize("seed", range(30))
def test_lookalikes_put_latin_letters_inside_a_cyrillic_word(seed: int) -> None:
    rng = random.Random(seed)
    for name in NAMES:
        changed = with_lookalikes(name, rng)
        assert has_latin_letter(changed)
        assert len(changed) == len(name)
        assert sum(a != b for a, b in zip(name, changed, strict=True)) in (1, 2)


def test_a_word_without_lookalike_letters_is_unchanged() -> None:
    assert with_lookalikes("Юля", random.Random(1)) == "Юля"


@pytest.mark.parametrize("seed", range(200))
def test_an_altered_date_differs_and_is_of_the_named_kind(seed: int) -> None:
    rng = random.Random(seed)
    true = date(2012, rng.randint(1, 12), rng.randint(1, 28))
    altered, kind = alter_date(true, rng)
    assert altered != true
    if kind == "year":
        assert abs(altered.year - true.year) == 1
        assert (altered.month, altered.day) == (true.month, true.day)
    elif kind == "swap":
        assert (altered.day, altered.month) == (true.month, true.day)
    else:
        assert kind == "digit"
        old, new = true.strftime("%Y%m%d"), altered.strftime("%Y%m%d")
        assert sum(a != b for a, b in zip(old, new, strict=True)) == 1


def test_date_formats() -> None:
    day = date(2012, 3, 4)
    assert format_date(day, "iso") == "2012-03-04"
    assert format_date(day, "dotted") == "04.03.2012"
    assert format_date(day, "slashed") == "04/03/2012"
    assert format_date(day, "year_month") == "2012-03"
    assert format_date(day, "year") == "2012"
    with pytest.raises(ValueError, match="unknown date style"):
        format_date(day, "roman")
