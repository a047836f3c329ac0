"""Each romanisation system gives the spellings the real documents carry."""

from __future__ import annotations

import pytest

from homeward.synthetic.translit import transliterate


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Олександр", "Oleksandr"),
        ("Юлія", "Yuliia"),
        ("Ганна", "Hanna"),
        ("Андрій", "Andrii"),
        ("Сергій", "Serhii"),
        ("Щербак", "Shcherbak"),
        ("Згурський", "Zghurskyi"),
        ("Єва", "Yeva"),
        ("Ярослав", "Yaroslav"),
        ("Ілля", "Illia"),
        ("Дем'яненко", "Demianenko"),
        ("Ґудзь", "Gudz"),
        ("Маріуполь", "Mariupol"),
        ("КОВАЛЕНКО", "KOVALENKO"),
        ("ЩУР Юрій", "SHCHUR Yurii"),
    ],
)
def test_ukrainian_national_system(cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic, "kmu2010") == latin


@pytest.mark.parametrize(
    ("cyrillic", "soviet", "icao", "bgn", "german"),
    [
        ("Александр", "Aleksandr", "Aleksandr", "Aleksandr", "Alexandr"),
        ("Юлия", "Yuliya", "Iuliia", "Yuliya", "Julija"),
        ("Андрей", "Andrey", "Andrei", "Andrey", "Andrej"),
        ("Сергей", "Sergey", "Sergei", "Sergey", "Sergej"),
        ("Наталья", "Natalya", "Natalia", "Natal'ya", "Natalja"),
        ("Елена", "Elena", "Elena", "Yelena", "Jelena"),
        ("Шевченко", "Shevchenko", "Shevchenko", "Shevchenko", "Schewtschenko"),
    ],
)
def test_russian_systems(cyrillic: str, soviet: str, icao: str, bgn: str, german: str) -> None:
    assert transliterate(cyrillic, "soviet") == soviet
    assert transliterate(cyrillic, "icao") == icao
    assert transliterate(cyrillic, "bgn") == bgn
    assert transliterate(cyrillic, "german") == german


def test_non_cyrillic_text_is_kept() -> None:
    assert transliterate("Artek camp, 12", "kmu2010") == "Artek camp, 12"
