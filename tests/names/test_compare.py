"""Graded comparison of names and their blocking keys."""

from __future__ import annotations

import pytest

from homeward.names.compare import (
    FAMILY_LEVELS,
    GIVEN_LEVELS,
    PATRONYMIC_LEVELS,
    agrees,
    compare_given_names,
    compare_patronymics,
    given_name_keys,
    patronymic_keys,
)
from homeward.names.fullname import (
    FULL_NAME_LEVELS,
    compare_full_names,
    explain_full_names,
    full_name_keys,
)


def test_level_tuples_end_with_missing_and_keep_agreement_first() -> None:
    for levels in (GIVEN_LEVELS, PATRONYMIC_LEVELS, FAMILY_LEVELS, FULL_NAME_LEVELS):
        assert levels[0] == "exact"
        assert levels[-1] == "missing"
        assert levels[-2] == "different"
        assert all(agrees(level) for level in levels[: levels.index("similar")])


@pytest.mark.parametrize(
    ("a", "b", "level", "reason"),
    [
        ("Олександр", "олександр", "exact", "identical"),
        ("Олександр", "Александр", "equivalent", "same name (Олександр), Russian form"),
        ("Олександр", "Alexander", "equivalent", "same name (Олександр), international form"),
        ("Олександр", "Oleksandr", "transliteration", "same name (Олександр), another spelling"),
        ("Hanna", "Ganna", "transliteration", "same name (Ганна), another spelling"),
        ("Саша", "Олександр", "diminutive", "diminutive of Олександр"),
        ("Сашко", "Aleksandr", "diminutive", "diminutive of Олександр"),
        ("Анна-Марія", "Ганна", "partial", "one name of a double name"),
        ("Олксандр", "Олександр", "typo", "one letter off"),
        ("Oleksadnr", "Oleksandr", "typo", "one letter off"),
        ("О.", "Олександр", "initial", "initial О. fits"),
        ("A.", "Олександр", "initial", "initial A. fits"),
        ("М.", "Олександр", "different", "initial М. does not fit"),
        ("Олександр", "Олександра", "different", "different names"),
        ("Роман", "Романа", "different", "masculine and feminine names"),
        ("Іван", "Ян", "different", "different names"),
        ("Данило", "Даниил", "equivalent", "same name (Данило), Russian form"),
        ("Войцех", "Wojciech", "equivalent", "same name in Wikidata's name variants"),
        ("Zbyszko", "Zbyshko", "transliteration", "transliteration variant"),
        ("Олександр", "", "missing", "no given name on one side"),
    ],
)
def test_given_levels_and_reasons(a: str, b: str, level: str, reason: str) -> None:
    assert compare_given_names(a, b) == (level, reason)
    assert compare_given_names(b, a) == (level, reason)


def test_unlisted_names_close_in_spelling_are_similar() -> None:
    assert compare_given_names("Marcelina", "Marselino").level == "similar"


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("Сергійович", "Сергеевич", "equivalent"),
        ("Сергійович", "Serhiyovych", "transliteration"),
        ("Сергійович", "Сергіївна", "different"),
        ("Олександрович", "Олексійович", "different"),
        ("Олександровч", "Олександрович", "typo"),
        ("С.", "Sergeevich", "initial"),
        ("Ф.", "Sergeevich", "different"),
        (None, "Sergeevich", "missing"),
    ],
)
def test_patronymic_levels(a: str | None, b: str, level: str) -> None:
    assert compare_patronymics(a, b).level == level


def test_full_name_explanation_has_every_part() -> None:
    explanation = explain_full_names("Олександр Сергійович Коваленко", "KOVALENKO Aleksandr")
    parts = {p.part: (p.a, p.b, p.comparison.level) for p in explanation.parts}
    assert parts["given"] == ("олександр", "aleksandr", "equivalent")
    assert parts["patronymic"][2] == "missing"
    assert parts["family"] == ("коваленко", "kovalenko", "transliteration")
    assert explanation.comparison.level == "transliteration"


def test_explanation_keeps_the_callers_sides() -> None:
    explanation = explain_full_names("Oleksandr Kovalenko", "Олександр Коваленко")
    assert explanation.parts[0].a == "oleksandr"
    assert explanation.parts[0].b == "олександр"


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("Олександр Коваленко", "Олександр Коваленко", "exact"),
        ("Олександр Коваленко", "Kovalenko Oleksandr", "transliteration"),
        ("Саша Коваленко", "Олександр Коваленко", "diminutive"),
        ("Петро Петров", "Петро Петрова", "gendered"),
        ("Олександр Сергійович Коваленко", "Александр Сергеевич Иванов", "family_differs"),
        ("Олександр Коваленко", "Олександра Коваленко", "different"),
        ("Марія Іванівна Шевчук", "Марія Петрівна Шевчук", "different"),
        ("", "Олександр Коваленко", "missing"),
    ],
)
def test_full_name_levels(a: str, b: str, level: str) -> None:
    assert compare_full_names(a, b).level == level


def test_keys_meet_for_equivalent_names() -> None:
    assert given_name_keys("Микита") & given_name_keys("Nikita")
    assert given_name_keys("Саша") & given_name_keys("Oleksandra")
    assert given_name_keys("Войцех") & given_name_keys("Wojciech")
    assert patronymic_keys("Сергійович") & patronymic_keys("Sergeevich")
    assert full_name_keys("Олександр Коваленко") & full_name_keys("KOVALENKO Aleksandr")


def test_keys_stay_apart_for_different_names() -> None:
    assert not given_name_keys("Олександр") & given_name_keys("Олександра")
    assert not given_name_keys("Іван") & given_name_keys("Ян")
    assert not patronymic_keys("Сергійович") & patronymic_keys("Сергіївна")
    assert not full_name_keys("Іван Петренко") & full_name_keys("Марія Петренко")
    # Same family name and the same first letter: only the initial key is shared.
    assert full_name_keys("Іван Петренко") & full_name_keys("Ян Петренко") == {"gi:i|f:pitrinko"}


def test_initials_have_keys_of_their_own() -> None:
    assert given_name_keys("О.") == {"gi:o"}
    assert full_name_keys("О. Коваленко") & full_name_keys("Олександр Коваленко")
    assert full_name_keys("O. Kovalenko") & full_name_keys("Олександр Коваленко")


def test_full_name_keys_pair_two_parts() -> None:
    keys = full_name_keys("Олександр Сергійович Коваленко")
    assert keys
    assert all("|" in key for key in keys)
    assert full_name_keys("Коваленко") == frozenset({"f:kovalinko"})


@pytest.mark.parametrize(
    "module",
    [
        "homeward.names.normalize",
        "homeward.names.translit",
        "homeward.names.given",
        "homeward.names.patronymic",
        "homeward.names.family",
        "homeward.names.parse",
        "homeward.names.compare",
        "homeward.names.fullname",
    ],
)
def test_docstring_examples_hold(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_examples_in_the_names_documentation_hold() -> None:
    import doctest
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "names.md"
    result = doctest.testfile(str(docs), module_relative=False)
    assert result.attempted >= 10
    assert result.failed == 0
