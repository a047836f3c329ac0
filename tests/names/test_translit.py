"""Transliteration systems and the comparison skeleton."""

from __future__ import annotations

import pytest

from homeward.names.translit import (
    SYSTEMS,
    detect_language,
    skeleton,
    to_latin,
    transliterate,
    transliterations,
)


@pytest.mark.parametrize(
    ("system", "cyrillic", "latin"),
    [
        # Examples from the resolution of the Cabinet of Ministers no. 55 (2010).
        ("uk_national_2010", "Згорани", "zghorany"),
        ("uk_national_2010", "Розгон", "rozghon"),
        ("uk_national_2010", "Знам'янка", "znamianka"),
        ("uk_national_2010", "Юрій", "yurii"),
        ("uk_national_2010", "Олексіївка", "oleksiivka"),
        ("uk_national_2010", "Єнакієве", "yenakiieve"),
        ("uk_icao_9303", "Юлія", "iuliia"),
        ("uk_icao_9303", "Ганна", "hanna"),
        ("uk_icao_9303", "Євген", "ievhen"),
        ("uk_bgn_pcgn_1965", "Юлія", "yuliya"),
        ("ru_passport_1997", "Юлия", "yuliya"),
        ("ru_passport_1997", "Андрей", "andrey"),
        ("ru_passport_2010", "Цой", "tcoi"),
        ("ru_passport_2010", "Юлия", "iuliia"),
        ("ru_icao_9303", "Подъячев", "podieiachev"),
        ("ru_icao_9303", "Андрей", "andrei"),
        ("ru_bgn_pcgn", "Елена", "yelena"),
        ("ru_bgn_pcgn", "Ёлкин", "yëlkin"),
        ("ru_bgn_pcgn", "Наталья", "natal'ya"),
    ],
)
def test_systems(system: str, cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic, system) == latin


def test_unknown_system_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown transliteration system"):
        transliterate("Юлія", "uk_1900")


def test_every_system_writes_plain_latin() -> None:
    for name, (language, _convert) in SYSTEMS.items():
        sample = "Щербак Юлія Ґудзь" if language == "uk" else "Щербак Юлия Подъячев"
        assert all(not ("\u0400" <= c <= "\u04ff") for c in transliterate(sample, name)), name


def test_transliterations_follow_the_language() -> None:
    assert "yuliia" in transliterations("Юлія")
    assert "iuliia" in transliterations("Юлія")
    assert "yuliya" in transliterations("Юлия")
    assert "tcoi" in transliterations("Цой")
    assert transliterations("Kovalenko") == frozenset({"kovalenko"})


def test_language_detection() -> None:
    assert detect_language("Сергійович") == "uk"
    assert detect_language("Ковальов") == "uk"
    assert detect_language("Подъячев") == "ru"
    assert detect_language("Мария") == "ru"
    assert detect_language("Коваленко") is None


@pytest.mark.parametrize(
    "spellings",
    [
        ["Ганна", "Hanna", "Ganna", "HANNA"],
        ["Юлія", "Юлия", "Yuliia", "Iuliia", "Yuliya", "Julia", "Yulia"],
        ["Андрій", "Андрей", "Andrii", "Andrei", "Andrey", "Andriy", "Andrij"],
        ["Сергій", "Сергей", "Serhii", "Sergei", "Sergey", "Serhiy", "Sergiy"],
        ["Олександр", "Oleksandr", "Olexandr"],
        ["Наталія", "Наталья", "Nataliia", "Natalya", "Natalia"],
        ["Сергієнко", "Сергиенко", "Serhiienko", "Sergienko", "Serhiyenko"],
        ["Дем'яненко", "Демьяненко", "Demianenko", "Demyanenko"],
        ["Ковалёв", "Ковалев", "Kovalyov", "Kovalev"],
        ["Ковальов", "Kovalov", "Koval'ov"],
        ["Щербак", "Shcherbak", "Szczerbak"],
        ["Шевченко", "Shevchenko", "Ševčenko"],
        ["Згуровський", "Zghurovskyi", "Zgurovsky", "Zgurovskiy"],
        ["Семён", "Семен", "Semyon", "Semen"],
        ["Ілля", "Илья", "Illia", "Ilya"],
        ["Віктор", "Victor", "Viktor"],
        ["Цой", "Tsoi", "Tsoy", "Tcoi"],
    ],
)
def test_spellings_of_one_name_share_a_skeleton(spellings: list[str]) -> None:
    assert len({skeleton(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Іван", "Ян"),
        ("Галина", "Аліна"),
        ("Марія", "Марина"),
        ("Олександр", "Олександра"),
        ("Шевченко", "Шевчук"),
        ("Лена", "Ліна"),
    ],
)
def test_different_names_keep_different_skeletons(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


def test_readable_latin() -> None:
    assert to_latin("Олександр Коваленко") == "oleksandr kovalenko"
    assert to_latin("Александр Сергеевич") == "aleksandr sergeevich"
    assert to_latin("Kovalenko") == "kovalenko"
