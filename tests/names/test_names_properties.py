"""Properties that must hold for every value, checked with hypothesis.

- normalisation is idempotent;
- every comparison is symmetric;
- two spellings of one name (forms of one group, diminutives, transliterations
  under any system, other case, look-alike letters, gendered family names)
  are judged the same and always share a blocking key.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.names.compare import (
    agrees,
    compare_family_names,
    compare_given_names,
    compare_patronymics,
    family_name_keys,
    given_name_keys,
    patronymic_keys,
)
from homeward.names.fullname import compare_full_names, full_name_keys
from homeward.names.given import load_name_groups
from homeward.names.normalize import normalize_text
from homeward.names.translit import SYSTEMS, detect_language, transliterate

# Levels at which two values must share a blocking key.
KEYED = {"exact", "equivalent", "transliteration", "diminutive", "gendered"}

NAME_TEXT = st.text(
    alphabet=st.sampled_from(
        list("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэёъ")
        + list("АБВГІЇЄОСКМНРТХ")
        + list("abcdehijkloprstuvxyzAEIOKMX")
        + ["'", "’", "ʼ", "`", "-", "–", " ", "\t", ".", "\u0301", "é"]
    ),
    max_size=30,
)

GROUPS = sorted(load_name_groups().values(), key=lambda g: g.id)
SURNAMES = [
    "Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Шевчук",
    "Ковальчук", "Поліщук", "Бойко", "Мельник", "Лисенко", "Сергієнко", "Дем'яненко",
    "Гончаренко", "Гриценко", "Ковальський", "Вишневський", "Висоцький", "Петров", "Іванов",
    "Смирнов", "Лебедєв", "Ковальов", "Гуменюк", "Яковенко", "Юрченко", "Євтушенко",
    "Гнатюк", "Щербак", "Захарченко", "Литвиненко", "Кириленко", "Білоус", "Їжак", "Ільїн",
    "Мороз", "Коваль", "Гончар", "Зайченко", "Тимошенко", "Панченко", "Костенко",
]  # fmt: skip
_LOOK_ALIKES = {"а": "a", "о": "o", "і": "i", "е": "e", "с": "c", "р": "p", "х": "x"}
_FEMININE = {"ський": "ська", "цький": "цька", "ов": "ова", "ев": "ева", "єв": "єва", "ін": "іна"}


@st.composite
def spelled(draw: st.DrawFn, value: str, upper: bool = True) -> str:
    """One way a record might write a (Cyrillic) name value."""
    ways = ["as is", "transliterated", "look-alike"] + (["upper"] if upper else [])
    how = draw(st.sampled_from(ways))
    if how == "transliterated":
        language = detect_language(value)
        systems = [n for n, (lang, _f) in SYSTEMS.items() if language in (None, lang)]
        return transliterate(value, draw(st.sampled_from(sorted(systems))))
    if how == "look-alike":
        spots = [i for i, c in enumerate(value) if c in _LOOK_ALIKES]
        if spots:
            i = draw(st.sampled_from(spots))
            return value[:i] + _LOOK_ALIKES[value[i]] + value[i + 1 :]
    if how == "upper":
        return value.upper()
    return value


@st.composite
def same_given_names(draw: st.DrawFn, upper: bool = True) -> tuple[str, str]:
    group = draw(st.sampled_from(GROUPS))
    full = [*group.uk, *group.ru]
    any_form = [*full, *group.latin, *group.diminutives]
    a = draw(st.sampled_from(full))
    b = draw(st.sampled_from(any_form))
    return draw(spelled(a, upper)), (draw(spelled(b, upper)) if b not in group.latin else b)


@st.composite
def same_family_names(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(SURNAMES))
    other = name
    for masculine, feminine in _FEMININE.items():
        if name.endswith(masculine) and draw(st.booleans()):
            other = name[: -len(masculine)] + feminine
            break
    return draw(spelled(name)), draw(spelled(other))


@st.composite
def same_patronymics(draw: st.DrawFn) -> tuple[str, str]:
    group = draw(st.sampled_from([g for g in GROUPS if g.sex == "m"]))
    father = normalize_text(group.uk[0])
    if father.endswith("й"):
        son, daughter = father + "ович", father[:-1] + "ївна"
    elif father.endswith(("о", "а")):
        son, daughter = father[:-1] + "ович", father[:-1] + "івна"
    else:
        son, daughter = father + "ович", father + "івна"
    patronymic = draw(st.sampled_from([son, daughter]))
    return draw(spelled(patronymic)), draw(spelled(patronymic))


@settings(max_examples=400, deadline=None)
@given(NAME_TEXT)
def test_normalisation_is_idempotent(value: str) -> None:
    once = normalize_text(value)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(NAME_TEXT, NAME_TEXT)
def test_comparisons_of_any_text_are_symmetric(a: str, b: str) -> None:
    for compare in (compare_given_names, compare_patronymics, compare_family_names):
        assert compare(a, b) == compare(b, a)
    assert compare_full_names(a, b) == compare_full_names(b, a)


@settings(max_examples=300, deadline=None)
@given(same_given_names(), same_given_names())
def test_full_name_comparison_is_symmetric(x: tuple[str, str], y: tuple[str, str]) -> None:
    a, b = f"{x[0]} Коваленко", f"KOVALENKO {y[1]}"
    assert compare_full_names(a, b) == compare_full_names(b, a)


@settings(max_examples=600, deadline=None)
@given(same_given_names())
def test_spellings_of_one_given_name_agree_and_share_a_key(pair: tuple[str, str]) -> None:
    a, b = pair
    result = compare_given_names(a, b)
    assert agrees(result.level), result
    assert given_name_keys(a) & given_name_keys(b)


@settings(max_examples=400, deadline=None)
@given(same_family_names())
def test_spellings_of_one_family_name_agree_and_share_a_key(pair: tuple[str, str]) -> None:
    a, b = pair
    result = compare_family_names(a, b)
    assert agrees(result.level), result
    assert family_name_keys(a) & family_name_keys(b)


@settings(max_examples=300, deadline=None)
@given(same_patronymics())
def test_spellings_of_one_patronymic_agree_and_share_a_key(pair: tuple[str, str]) -> None:
    a, b = pair
    result = compare_patronymics(a, b)
    assert agrees(result.level), result
    assert patronymic_keys(a) & patronymic_keys(b)


@settings(max_examples=300, deadline=None)
@given(same_given_names(upper=False), same_family_names(), st.booleans())
def test_one_childs_full_names_share_a_key(
    given_pair: tuple[str, str], family_pair: tuple[str, str], family_first: bool
) -> None:
    a = f"{given_pair[0]} {family_pair[0]}"
    if family_first:
        b = f"{family_pair[1].upper()} {given_pair[1]}"
    else:
        b = f"{given_pair[1]} {family_pair[1]}"
    result = compare_full_names(a, b)
    if result.level in KEYED:
        assert full_name_keys(a) & full_name_keys(b)


@settings(max_examples=300, deadline=None)
@given(NAME_TEXT, NAME_TEXT)
def test_keyed_levels_always_share_a_key_for_any_text(a: str, b: str) -> None:
    if compare_given_names(a, b).level in KEYED:
        assert given_name_keys(a) & given_name_keys(b)
    if compare_family_names(a, b).level in KEYED:
        assert family_name_keys(a) & family_name_keys(b)
    if compare_patronymics(a, b).level in KEYED:
        assert patronymic_keys(a) & patronymic_keys(b)
