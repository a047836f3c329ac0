"""Children of the other side who are on no Ukrainian record.  They appear only in
Russian-side sources and must never be matched to a Ukrainian child."""

from __future__ import annotations

import random

from faker.providers.person.ru_RU import Provider as _RuPersonProvider

from homeward.synthetic.forms import ru_patronymic, ru_surname, russify_surname
from homeward.synthetic.model import DISTRACTOR_KEY_PREFIX, SyntheticChild, SyntheticRelative
from homeward.synthetic.people import pools
from homeward.synthetic.tables import common_surnames, russian_towns


def _russian_given(rng: random.Random, sex: str, parent: bool) -> str:
    # Half the time a name shared with Ukrainian children (Александр, Мария), so that
    # distractors are hard; otherwise any Russian name.
    if rng.random() < 0.5:
        table = pools().parent_names if parent else pools().child_names
        return table[sex].pick(rng).ru[0]
    names = (
        _RuPersonProvider.first_names_male if sex == "m" else _RuPersonProvider.first_names_female
    )
    return str(rng.choice(names))


def _russian_surname_masculine(rng: random.Random) -> str:
    if rng.random() < 0.3:  # Ukrainian-origin surnames are common in Russia too
        return russify_surname(rng.choice(common_surnames()))
    return str(rng.choice(_RuPersonProvider.last_names_male))


def make_distractors(count: int, rng: random.Random, phone: object) -> list[SyntheticChild]:
    """``count`` Russian children with Russian names, towns, parents and no timeline."""
    p = pools()
    places = russian_towns()
    result = []
    for i in range(1, count + 1):
        sex = rng.choice("mf")
        surname = ru_surname(_russian_surname_masculine(rng))
        father = _russian_given(rng, "m", parent=True)
        home = rng.choice(places)
        relatives = [
            SyntheticRelative(
                relationship="mother",
                given_name=_russian_given(rng, "f", parent=True),
                surname=surname,
                patronymic=ru_patronymic(_russian_given(rng, "m", parent=True), "f"),
                sex="f",
                is_legal_representative=True,
                requested_return=False,
                phone=str(phone.phone_number()),  # type: ignore[attr-defined]
            ),
            SyntheticRelative(
                relationship="father",
                given_name=father,
                surname=surname,
                patronymic=ru_patronymic(_russian_given(rng, "m", parent=True), "m"),
                sex="m",
                is_legal_representative=False,
                requested_return=False,
                phone=str(phone.phone_number()),  # type: ignore[attr-defined]
            ),
        ]
        result.append(
            SyntheticChild(
                child_key=f"{DISTRACTOR_KEY_PREFIX}{i:06d}",
                family_key=f"{DISTRACTOR_KEY_PREFIX}f{i:06d}",
                category=None,
                given_name=_russian_given(rng, sex, parent=False),
                surname=surname,
                patronymic=ru_patronymic(father, sex),
                father_given_name=father,
                sex=sex,
                birth_date=p.birth_date(rng),
                birth_place=home,
                residence=home if rng.random() < 0.8 else rng.choice(places),
                relatives=relatives,
            )
        )
    return result
