"""A child as the other side writes it: Russian given name and patronymic, Russified
or replaced surname, possibly altered birth date, Russian or former place names."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import cache

from homeward.synthetic.forms import ru_patronymic, russify, uk_patronymic
from homeward.synthetic.model import SyntheticChild, SyntheticRelative, Town
from homeward.synthetic.tables import given_name_index, given_names


@cache
def _patronymic_map() -> dict[str, str]:
    """Ukrainian patronymic -> Russian patronymic, for every male name of the table."""
    mapping: dict[str, str] = {}
    for name in given_names():
        if name.sex == "m":
            for sex in "mf":
                mapping[uk_patronymic(name.uk, sex)] = ru_patronymic(name.ru[0], sex)
    return mapping


def russian_given_forms(uk_given: str) -> tuple[str, ...]:
    """The Russian forms of a Ukrainian given name from the table (Петро → Пётр, Петр);
    a name missing from the table is kept as it is."""
    entry = given_name_index().get(uk_given)
    return entry.ru if entry else (uk_given,)


def russian_patronymic(uk_patronymic_value: str) -> str:
    """Сергійович → Сергеевич, Миколаївна → Николаевна."""
    return _patronymic_map().get(uk_patronymic_value, uk_patronymic_value)


@dataclass(frozen=True, slots=True)
class RussianView:
    given_name: str
    family_name: str
    patronymic: str
    birth_date: date
    adopted: bool
    altered: bool


def _apostrophe(rng: random.Random) -> str:
    u = rng.random()
    return "ь" if u < 0.7 else "ъ" if u < 0.8 else ""


def russian_view(child: SyntheticChild, rng: random.Random) -> RussianView:
    """The child's identity in the other side's records."""
    if child.is_distractor:
        return RussianView(
            child.given_name, child.family_name, child.patronymic, child.birth_date, False, False
        )
    forms = russian_given_forms(child.given_name)
    given = forms[0] if len(forms) == 1 or rng.random() < 0.8 else rng.choice(forms[1:])
    if child.adopted_surname is not None:
        family = child.adopted_surname.for_sex(child.sex)
    else:
        family = russify(child.surname, _apostrophe(rng)).for_sex(child.sex)
    return RussianView(
        given_name=given,
        family_name=family,
        patronymic=russian_patronymic(child.patronymic),
        birth_date=child.ru_birth_date or child.birth_date,
        adopted=child.adopted_surname is not None,
        altered=child.ru_birth_date is not None,
    )


def russian_relative_name(
    relative: SyntheticRelative, rng: random.Random, is_distractor: bool
) -> str:
    """A parent's full name as the other side writes it (family, given, patronymic)."""
    if is_distractor:
        return relative.full_name
    family = russify(relative.surname, _apostrophe(rng)).for_sex(relative.sex)
    given = russian_given_forms(relative.given_name)[0]
    return f"{family} {given} {russian_patronymic(relative.patronymic)}"


def russian_place(town: Town, former_rate: float, rng: random.Random) -> tuple[str, bool]:
    """A town's Russian name, or its former name with ``former_rate``; the flag says
    whether the former name was used."""
    if town.former_ru and rng.random() < former_rate:
        return town.former_ru, True
    return town.ru, False
