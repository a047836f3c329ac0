"""Family names across languages and genders."""

from __future__ import annotations

import pytest

from homeward.names.compare import compare_family_names, family_name_keys
from homeward.names.family import family_form, family_name_for_sex, family_name_sex, family_stem


@pytest.mark.parametrize(
    "spellings",
    [
        ["Ковальський", "Ковальська", "Ковальский", "Ковальская", "Kovalskyi", "Kovalska"],
        ["Петров", "Петрова", "Petrov", "Petrova"],
        ["Олійник", "Олейник", "Oliinyk", "Oleinik"],
        ["Сергієнко", "Сергиенко", "Serhiienko", "Sergienko"],
        ["Висоцький", "Высоцкий", "Vysotskyi", "Высоцкая"],
        ["Ільїн", "Ильин", "Ilyin", "Ільїна"],
        ["Ковальов", "Ковалёв", "Ковалев", "Kovalov", "Kovalyov", "Ковальова"],
        ["Лебедєв", "Лебедев", "Lebediev", "Lebedeva"],
    ],
)
def test_one_family_name_has_one_stem(spellings: list[str]) -> None:
    assert len({family_stem(s) for s in spellings}) == 1


def test_gendered_endings() -> None:
    assert family_name_sex("Петрова") == "f"
    assert family_name_sex("Kovalskyi") == "m"
    assert family_name_sex("Коваленко") is None
    assert family_name_sex("Шевчук") is None


def test_form_for_a_childs_sex() -> None:
    assert family_name_for_sex("Петров", "f") == "петрова"
    assert family_name_for_sex("Петрова", "m") == "петров"
    assert family_name_for_sex("Ковальська", "m") == "ковальський"
    assert family_name_for_sex("Шевчук", "f") == "шевчук"
    with pytest.raises(ValueError, match="sex must be"):
        family_name_for_sex("Петров", "x")


def test_ending_classes() -> None:
    assert family_form("Коваленко").suffix == "enko"
    assert family_form("Ковальчук").suffix == "Quk"
    assert family_form("Лебедев").suffix == family_form("Петров").suffix


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("Коваленко", "Коваленко", "exact"),
        ("Коваленко", "Kovalenko", "transliteration"),
        ("Сергієнко", "Сергиенко", "equivalent"),
        ("Олійник", "Олейник", "equivalent"),
        ("Олійник", "Oleinik", "equivalent"),
        ("Петров", "Петрова", "gendered"),
        ("Іванова-Петренко", "Петренко", "partial"),
        ("Коваленко", "Ковалнко", "typo"),
        ("Бондаренко", "Бондоренко", "typo"),
        ("Коваленко", "Коваленков", "different"),
        ("Коваленко", "Ковальчук", "different"),
        ("Шевченко", "Шевчук", "different"),
        ("Коваленко", None, "missing"),
    ],
)
def test_levels(a: str, b: str | None, level: str) -> None:
    assert compare_family_names(a, b).level == level


def test_keys_join_spellings_and_genders_but_not_other_names() -> None:
    assert family_name_keys("Ковальська") == family_name_keys("Kovalskyi")
    assert family_name_keys("Олійник") & family_name_keys("Олейник")
    assert not family_name_keys("Коваленко") & family_name_keys("Ковальчук")
    assert not family_name_keys("Коваленко") & family_name_keys("Коваленков")
    assert family_name_keys("Іванова-Петренко") >= family_name_keys("Petrenko")
