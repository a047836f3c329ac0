"""Given-name groups and patronymics."""

from __future__ import annotations

from collections import defaultdict

import pytest

from homeward.names.given import (
    given_name_groups,
    given_name_sex,
    load_name_groups,
    resolve_given_name,
)
from homeward.names.normalize import normalize_text
from homeward.names.patronymic import is_patronymic, parse_patronymic, patronymic_sex
from homeward.names.translit import skeleton


def test_shipped_list_is_complete_and_well_formed() -> None:
    groups = load_name_groups()
    assert len(groups) >= 250
    assert {g.sex for g in groups.values()} == {"m", "f"}
    for group in groups.values():
        assert group.uk, group.id
        assert group.ru, group.id
    assert sum(g.sex == "m" for g in groups.values()) >= 100
    assert sum(g.sex == "f" for g in groups.values()) >= 100


def test_no_two_names_share_a_full_form_or_its_skeleton() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for group in load_name_groups().values():
        for form in (*group.uk, *group.ru, *group.latin):
            owners[skeleton(normalize_text(form))].add(group.id)
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert shared == {}


@pytest.mark.parametrize(
    ("value", "group"),
    [
        ("Олександр", "oleksandr"),
        ("Александр", "oleksandr"),
        ("Oleksandr", "oleksandr"),
        ("Aleksandr", "oleksandr"),
        ("Alexander", "oleksandr"),
        ("Сашко", "oleksandr"),
        ("Микита", "mykyta"),
        ("Nikita", "mykyta"),
        ("Ганна", "hanna"),
        ("Anna", "hanna"),
        ("Катерина", "kateryna"),
        ("Екатерина", "kateryna"),
        ("Данило", "danylo"),
        ("Даниил", "danylo"),
        ("Даниїл", "danylo"),
    ],
)
def test_forms_resolve_to_their_name(value: str, group: str) -> None:
    assert group in given_name_groups(value)


def test_a_shared_diminutive_does_not_merge_names() -> None:
    assert given_name_groups("Саша") >= {"oleksandr", "oleksandra"}
    assert not given_name_groups("Олександр") & given_name_groups("Олександра")
    assert given_name_groups("Женя") >= {"yevhen", "yevheniia"}
    assert not given_name_groups("Євген") & given_name_groups("Євгенія")


def test_oles_is_a_name_and_a_diminutive() -> None:
    roles = {(m.group, m.role) for m in resolve_given_name("Олесь").memberships}
    assert ("oles", "uk") in roles
    assert ("oleksandr", "diminutive") in roles


def test_yan_is_not_ivan_and_hanna_is_not_ivan() -> None:
    assert not given_name_groups("Ян") & given_name_groups("Іван")
    assert not given_name_groups("Hanna") & given_name_groups("Ivan")


def test_sex_of_names() -> None:
    assert given_name_sex("Олександра") == "f"
    assert given_name_sex("Ярослав") == "m"
    assert given_name_sex("Саша") is None
    assert given_name_sex("Zzyzx") is None


def test_names_outside_the_list_use_rigour_name_data() -> None:
    resolution = resolve_given_name("Войцех")
    assert not resolution.known
    assert resolution.symbols & resolve_given_name("Wojciech").symbols


@pytest.mark.parametrize(
    ("value", "sex", "father"),
    [
        ("Сергійович", "m", "serhii"),
        ("Сергеевич", "m", "serhii"),
        ("Serhiyovych", "m", "serhii"),
        ("Sergeevich", "m", "serhii"),
        ("Сергіївна", "f", "serhii"),
        ("Sergeevna", "f", "serhii"),
        ("Миколайович", "m", "mykola"),
        ("Николаевна", "f", "mykola"),
        ("Дмитриевич", "m", "dmytro"),
        ("Dmytrovych", "m", "dmytro"),
        ("Павлович", "m", "pavlo"),
        ("Юрьевна", "f", "yurii"),
        ("Евгеньевич", "m", "yevhen"),
        ("Ілліч", "m", "illia"),
        ("Ильич", "m", "illia"),
        ("Яківна", "f", "yakiv"),
        ("Яковлевна", "f", "yakiv"),
    ],
)
def test_patronymic_gives_sex_and_father(value: str, sex: str, father: str) -> None:
    parsed = parse_patronymic(value)
    assert parsed is not None
    assert parsed.sex == sex
    assert father in parsed.father_groups


def test_words_that_are_not_patronymics() -> None:
    assert parse_patronymic("Коваленко") is None
    assert parse_patronymic("Бабич") is None
    assert not is_patronymic("Олена")
    assert patronymic_sex("Іванівна") == "f"
    assert patronymic_sex("Шевчук") is None


def test_a_diminutive_in_latin_letters_leads_to_its_name() -> None:
    """Latin records write diminutives too: ``Lisa`` may be Аліса as well as Ліза,
    and ``Nastia`` is Анастасія, whatever system wrote them."""
    from homeward.names.compare import compare_given_names

    assert compare_given_names("Аліса", "lisa").level == "diminutive"
    assert compare_given_names("Ліза", "Lisa").level == "equivalent"
    for written in ("Nastia", "Nastya", "NASTIA"):
        assert compare_given_names("Анастасія", written).level == "diminutive", written
    assert compare_given_names("Аліса", "Ліза").level == "different"


@pytest.mark.parametrize(
    ("value", "group"),
    [
        ("Богданчик", "bohdan"),
        ("Ігорко", "ihor"),
        ("Віталько", "vitalii"),
        ("Яремко", "yarema"),
        ("Ерічок", "eryk"),
        ("Оленка", "olena"),
        ("Богданка", "bohdan_f"),
    ],
)
def test_a_pet_form_built_with_a_suffix_leads_to_its_name(value: str, group: str) -> None:
    resolution = resolve_given_name(value)
    assert [(m.group, m.role) for m in resolution.memberships] == [(group, "diminutive")]


def test_a_suffix_does_not_make_a_pet_form_of_a_listed_name_or_a_latin_word() -> None:
    assert resolve_given_name("Марко").groups == {"mark"}
    assert not resolve_given_name("Bohdanchyk").known
    assert not resolve_given_name("Хвко").known
