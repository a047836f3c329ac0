"""Normalisation of name values."""

from __future__ import annotations

import unicodedata

import pytest

from homeward.names.normalize import is_initial, letter_script, normalize_name, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Олександр   КОВАЛЕНКО ", "олександр коваленко"),
        ("Дем’яненко", "дем'яненко"),
        ("Демʼяненко", "дем'яненко"),
        ("Дем`яненко", "дем'яненко"),
        ("Дем´яненко", "дем'яненко"),
        ("Іванова - Петренко", "іванова-петренко"),
        ("Іванова–Петренко", "іванова-петренко"),
        ("Анна-Марія", "анна-марія"),
        ("Коваленко О.С.", "коваленко о. с."),
        ("O. S. Kovalenko", "o. s. kovalenko"),
        ("Коваленко О С", "коваленко о. с."),
        ("Кова́ленко", "коваленко"),
        ("Петро (Петрик), 2012", "петро петрик"),
        ("KOVALENKO Oleksandr", "kovalenko oleksandr"),
    ],
)
def test_normalises_case_spacing_apostrophes_hyphens_and_initials(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_result_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Андрій Їжак")
    assert normalize_text(decomposed) == "андрій їжак"
    assert unicodedata.is_normalized("NFC", normalize_text(decomposed))


def test_latin_letters_inside_a_cyrillic_word_are_repaired_and_recorded() -> None:
    result = normalize_name("Сергiй Кoваленко")
    assert result.text == "сергій коваленко"
    assert [(r.word, r.found, r.replaced_by) for r in result.repairs] == [
        ("Сергiй", "i", "і"),
        ("Кoваленко", "o", "о"),
    ]
    assert "Latin 'i'" in result.repairs[0].describe()


def test_cyrillic_letters_inside_a_latin_word_are_repaired() -> None:
    result = normalize_name("Mаriа Kоvalenko")
    assert result.text == "maria kovalenko"
    assert {r.replaced_by for r in result.repairs} == {"a", "o"}


def test_word_made_only_of_look_alikes_follows_the_majority() -> None:
    assert normalize_text("Сoх") == "сох"


def test_clean_words_are_not_repaired() -> None:
    result = normalize_name("Олександр Kovalenko")
    assert result.repairs == ()
    assert result.tokens == ("олександр", "kovalenko")


def test_empty_values() -> None:
    assert normalize_name(None).text == ""
    assert normalize_name("  ").tokens == ()


def test_scripts_and_initials() -> None:
    assert letter_script("Коваленко") == "cyrillic"
    assert letter_script("Kovalenko") == "latin"
    assert letter_script("Кoваленко") == "mixed"
    assert letter_script("123") == "none"
    assert is_initial("о.")
    assert not is_initial("ол")
