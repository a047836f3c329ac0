"""Patronymics, feminine surnames and Russified surnames follow the spelling rules."""

from __future__ import annotations

import pytest

from homeward.synthetic.forms import (
    ru_feminine_surname,
    ru_patronymic,
    russify_surname,
    uk_feminine_surname,
    uk_patronymic,
)


@pytest.mark.parametrize(
    ("father", "son", "daughter"),
    [
        ("Сергій", "Сергійович", "Сергіївна"),
        ("Микола", "Миколайович", "Миколаївна"),
        ("Ілля", "Ілліч", "Іллівна"),
        ("Яків", "Якович", "Яківна"),
        ("Василь", "Васильович", "Василівна"),
        ("Петро", "Петрович", "Петрівна"),
        ("Олександр", "Олександрович", "Олександрівна"),
        ("Андрій", "Андрійович", "Андріївна"),
        ("Григорій", "Григорович", "Григорівна"),
        ("Лев", "Львович", "Львівна"),
    ],
)
def test_ukrainian_patronymics(father: str, son: str, daughter: str) -> None:
    assert uk_patronymic(father, "m") == son
    assert uk_patronymic(father, "f") == daughter


@pytest.mark.parametrize(
    ("father", "son", "daughter"),
    [
        ("Сергей", "Сергеевич", "Сергеевна"),
        ("Алексей", "Алексеевич", "Алексеевна"),
        ("Николай", "Николаевич", "Николаевна"),
        ("Дмитрий", "Дмитриевич", "Дмитриевна"),
        ("Юрий", "Юрьевич", "Юрьевна"),
        ("Игорь", "Игоревич", "Игоревна"),
        ("Илья", "Ильич", "Ильинична"),
        ("Павел", "Павлович", "Павловна"),
        ("Иван", "Иванович", "Ивановна"),
        ("Михаил", "Михайлович", "Михайловна"),
    ],
)
def test_russian_patronymics(father: str, son: str, daughter: str) -> None:
    assert ru_patronymic(father, "m") == son
    assert ru_patronymic(father, "f") == daughter


@pytest.mark.parametrize(
    ("ukrainian", "russian"),
    [
        ("Ковальов", "Ковалёв"),
        ("Соловйов", "Соловьёв"),
        ("Петровський", "Петровский"),
        ("Дем'яненко", "Демьяненко"),
        ("Єрмоленко", "Ермоленко"),
        ("Іваненко", "Иваненко"),
        ("Кравець", "Кравец"),
        ("Рибак", "Рыбак"),
        ("Цибульський", "Цыбульский"),
        ("Забарний", "Забарный"),
        ("Білий", "Белый"),
        ("Шевченко", "Шевченко"),
    ],
)
def test_russified_surnames(ukrainian: str, russian: str) -> None:
    assert russify_surname(ukrainian) == russian


def test_russified_apostrophe_can_be_hard_sign_or_dropped() -> None:
    assert russify_surname("Дем'яненко", "ъ") == "Демъяненко"
    assert russify_surname("Дем'яненко", "") == "Демяненко"


@pytest.mark.parametrize(
    ("masculine", "feminine"),
    [
        ("Петровський", "Петровська"),
        ("Білий", "Біла"),
        ("Ковальов", "Ковальова"),
        ("Волошин", "Волошина"),
        ("Шевченко", "Шевченко"),
        ("Ткачук", "Ткачук"),
        ("Салій", "Салій"),
    ],
)
def test_ukrainian_feminine_surnames(masculine: str, feminine: str) -> None:
    assert uk_feminine_surname(masculine) == feminine


@pytest.mark.parametrize(
    ("masculine", "feminine"),
    [
        ("Петровский", "Петровская"),
        ("Белый", "Белая"),
        ("Ковалёв", "Ковалёва"),
        ("Иванов", "Иванова"),
        ("Шевченко", "Шевченко"),
    ],
)
def test_russian_feminine_surnames(masculine: str, feminine: str) -> None:
    assert ru_feminine_surname(masculine) == feminine
