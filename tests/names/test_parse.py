"""Parsing full names and reducing inflected forms."""

from __future__ import annotations

import pytest

from homeward.names.parse import name_parts, parse_full_name, reduce_inflection


@pytest.mark.parametrize(
    ("value", "given", "patronymic", "family", "order"),
    [
        ("Олександр Сергійович Коваленко", "олександр", "сергійович", "коваленко", "given_first"),
        ("Коваленко Олександр Сергійович", "олександр", "сергійович", "коваленко", "family_first"),
        ("KOVALENKO Oleksandr", "oleksandr", "", "kovalenko", "family_first"),
        ("Oleksandr KOVALENKO", "oleksandr", "", "kovalenko", "given_first"),
        ("Kovalenko Oleksandr", "oleksandr", "", "kovalenko", "family_first"),
        ("Aleksandr Kovalenko", "aleksandr", "", "kovalenko", "given_first"),
        ("Саша Коваленко", "саша", "", "коваленко", "given_first"),
        ("Шевчук Марія Іванівна", "марія", "іванівна", "шевчук", "family_first"),
        (
            "Kovalenko Oleksandr Serhiiovych",
            "oleksandr",
            "serhiiovych",
            "kovalenko",
            "family_first",
        ),
        ("Коваленко О.С.", "о.", "с.", "коваленко", "family_first"),
        ("О. С. Коваленко", "о.", "с.", "коваленко", "given_first"),
        ("Ковальчук Анна Марія", "анна-марія", "", "ковальчук", "family_first"),
        ("Іван Петрович", "іван", "петрович", "", "single"),
    ],
)
def test_parts_and_order(value: str, given: str, patronymic: str, family: str, order: str) -> None:
    parsed = parse_full_name(value)
    assert (parsed.given, parsed.patronymic, parsed.family, parsed.order) == (
        given,
        patronymic,
        family,
        order,
    )


def test_single_words() -> None:
    assert parse_full_name("Олександр").given == "олександр"
    assert parse_full_name("Коваленко").family == "коваленко"
    assert parse_full_name("Сергійович").patronymic == "сергійович"
    assert parse_full_name("").order == "single"


def test_uncertain_order_is_marked() -> None:
    assert parse_full_name("Zzyx Qwerty").certain is False
    assert parse_full_name("Olena Kovalenko").certain is True


def test_declined_name_is_put_back_in_the_nominative() -> None:
    parsed = parse_full_name("Коваленка Олександра Сергійовича")
    assert (parsed.given, parsed.patronymic, parsed.family) == (
        "олександр",
        "сергійович",
        "коваленко",
    )
    assert "олександра→олександр" in parsed.reduced


def test_feminine_nominative_is_kept() -> None:
    parsed = parse_full_name("Олександра Коваленко")
    assert parsed.given == "олександра"
    assert parsed.reduced == ()


def test_feminine_genitive_keeps_the_feminine_name() -> None:
    parsed = parse_full_name("Коваленко Олександри")
    assert parsed.given == "олександра"
    assert parsed.family == "коваленко"


def test_dative_and_russian_genitive() -> None:
    assert reduce_inflection(("олександрові", "коваленку"))[0] == ("олександр", "коваленко")
    assert reduce_inflection(("александра", "сергеевича"))[0] == ("александр", "сергеевич")


def test_latin_is_never_reduced() -> None:
    assert reduce_inflection(("kovalenka", "oleksandra"))[0] == ("kovalenka", "oleksandra")


def test_name_parts_mapping() -> None:
    assert name_parts("Шевчук Марія") == {"given": "марія", "patronymic": "", "family": "шевчук"}


def test_a_nominative_word_stops_the_reduction() -> None:
    # "Пріска" could be a declined "Пріск", but "Назарівна" is a nominative.
    parsed = parse_full_name("Пріска Назарівна Гук")
    assert (parsed.given, parsed.patronymic, parsed.family) == ("пріска", "назарівна", "гук")
    assert parsed.reduced == ()


def test_patronymic_typed_on_a_russian_keyboard() -> None:
    parsed = parse_full_name("Ірена Августинивна Ісаевич")
    assert (parsed.given, parsed.patronymic, parsed.family) == (
        "ірена",
        "августинивна",
        "ісаевич",
    )


@pytest.mark.parametrize(
    ("value", "given", "family"),
    [
        ("Іваник Марія", "марія", "іваник"),
        ("Гнатко Олександр", "олександр", "гнатко"),
        ("Богданчик Коваленко", "богданчик", "коваленко"),
    ],
)
def test_a_pet_form_read_from_its_suffix_gives_way_to_a_listed_name(
    value: str, given: str, family: str
) -> None:
    """Family names are often built like pet forms (Іваник, Гнатко): beside a
    listed given name such a word is the family name, and against a family
    name it is still the given name."""
    parsed = parse_full_name(value)
    assert (parsed.given, parsed.family, parsed.certain) == (given, family, True)
