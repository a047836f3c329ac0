"""The true children: families, names, dates, places, relatives and timelines."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from faker.providers.person.uk_UA import Provider as _UkPersonProvider

from homeward.synthetic.config import SyntheticConfig
from homeward.synthetic.forms import uk_patronymic, uk_surname
from homeward.synthetic.model import (
    Facility,
    Surname,
    SyntheticChild,
    SyntheticEvent,
    SyntheticRelative,
    Town,
)
from homeward.synthetic.phrases import CIRCUMSTANCES_BY_CATEGORY
from homeward.synthetic.tables import GivenName, Picker, common_surnames, given_names, towns

FIRST_REMOVAL = date(2022, 2, 24)
LAST_REMOVAL = date(2024, 12, 31)
LAST_EVENT = date(2025, 6, 30)
BIRTH_YEARS = range(2005, 2023)
_CORE_YEARS = range(2008, 2021)
_CERTIFICATE_LETTERS = "АБВГДЕЖИКЛМНОПРСТУФХЦЧШ"


def random_day(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random day in ``[start, end]`` (``start`` when the range is empty)."""
    span = (end - start).days
    return start + timedelta(days=rng.randrange(span + 1)) if span > 0 else start


@dataclass(slots=True)
class FamilyPlan:
    """One family to generate: how many children, whether twins, and a name forced on
    it to create a deliberate collision with unrelated children."""

    size: int
    twins: bool = False
    forced_sex: str | None = None
    forced_given: str | None = None
    forced_surname: str | None = None
    collision_group: str | None = None


class Pools:
    """Weighted pickers over the data tables, built once per process."""

    def __init__(self) -> None:
        names = given_names()
        self.child_names = {
            sex: Picker(
                [n for n in names if n.sex == sex],
                [n.weight_child for n in names if n.sex == sex],
            )
            for sex in "mf"
        }
        self.parent_names = {
            sex: Picker(
                [n for n in names if n.sex == sex],
                [n.weight_parent for n in names if n.sex == sex],
            )
            for sex in "mf"
        }
        common = common_surnames()
        self.common_surnames = Picker(common, [1.0 / (i + 1) ** 0.6 for i in range(len(common))])
        # One canonical apostrophe, as in the data tables; sources vary it.
        self.rare_surnames: tuple[str, ...] = tuple(
            dict.fromkeys(
                name.replace("ʼ", "'").replace("’", "'")
                for name in (
                    *_UkPersonProvider.last_names_male,
                    *_UkPersonProvider.last_names_male_only,
                )
            )
        )
        all_towns = towns()
        self.towns = Picker(all_towns, [t.weight for t in all_towns])
        self.towns_by_oblast: dict[str, list[Town]] = {}
        for town in all_towns:
            self.towns_by_oblast.setdefault(town.oblast, []).append(town)
        years = list(BIRTH_YEARS)
        self.birth_years = Picker(years, [1.0 if y in _CORE_YEARS else 0.35 for y in years])

    def surname(self, rng: random.Random) -> Surname:
        if rng.random() < 0.45:
            return uk_surname(self.common_surnames.pick(rng))
        return uk_surname(rng.choice(self.rare_surnames))

    def birth_date(self, rng: random.Random) -> date:
        year = self.birth_years.pick(rng)
        return random_day(rng, date(year, 1, 1), date(year, 12, 31))


@cache
def pools() -> Pools:
    return Pools()


def plan_families(n_children: int, config: SyntheticConfig, rng: random.Random) -> list[FamilyPlan]:
    """Split ``n_children`` into families so that the shares of twins, siblings and
    common-name collisions match the config exactly (up to rounding)."""
    n_twins = 2 * round(n_children * config.twins_rate / 2)
    n_siblings = round(n_children * config.siblings_rate)
    if n_siblings == 1:
        n_siblings = 2 if n_twins + 2 <= n_children else 0
    n_siblings = min(n_siblings, n_children - n_twins)
    plans = [FamilyPlan(2, twins=True) for _ in range(n_twins // 2)]
    remaining = n_siblings
    sibling_plans: list[FamilyPlan] = []
    while remaining >= 2:
        size = min(remaining, rng.choices((2, 3, 4), (0.6, 0.3, 0.1))[0])
        if remaining - size == 1:
            size += 1
        sibling_plans.append(FamilyPlan(size))
        remaining -= size
    plans += sibling_plans
    n_single = n_children - n_twins - sum(p.size for p in sibling_plans)
    singles = [FamilyPlan(1) for _ in range(n_single)]
    n_collisions = min(round(n_children * config.common_name_collision_rate), n_single)
    if n_collisions == 1:
        n_collisions = 2 if n_single >= 2 else 0
    _force_collisions(singles[:n_collisions], rng)
    plans += singles
    rng.shuffle(plans)
    return plans


def _force_collisions(members: list[FamilyPlan], rng: random.Random) -> None:
    """Give groups of 2-4 unrelated children the same frequent given and family name."""
    p = pools()
    frequent_surnames = common_surnames()[:12]
    group = 0
    i = 0
    while i < len(members):
        size = min(len(members) - i, rng.choice((2, 2, 3, 4)))
        if len(members) - i - size == 1:
            size += 1
        sex = rng.choice("mf")
        top = sorted(p.child_names[sex].items, key=lambda n: -n.weight_child)[:8]
        given = rng.choice(top).uk
        surname = rng.choice(frequent_surnames)
        for plan in members[i : i + size]:
            plan.forced_sex, plan.forced_given, plan.forced_surname = sex, given, surname
            plan.collision_group = f"g-{group:05d}"
        group += 1
        i += size


class ChildFactory:
    """Builds families of children with their relatives and timelines."""

    def __init__(
        self,
        rng: random.Random,
        phone: object,
        facilities: tuple[Facility, ...],
        config: SyntheticConfig,
    ) -> None:
        self.rng = rng
        self.phone = phone
        self.config = config
        self.pools = pools()
        self.n_children = 0
        self.n_families = 0
        self._collision_dates: dict[str, set[date]] = {}
        self.categories = Picker(
            [c for c, _ in config.category_weights], [w for _, w in config.category_weights]
        )
        first_stop = [
            f
            for f in facilities
            if f.kind != "family_placement_region" and (f.country != "UA" or f.kind == "camp")
        ]
        later = [f for f in facilities if f.country == "RU" and f.kind != "camp"]
        occupied = [f for f in facilities if f.country == "UA"]
        self.first_facility = Picker(first_stop, [f.weight for f in first_stop])
        self.later_facility = Picker(later, [f.weight for f in later])
        self.occupied_facility = Picker(occupied, [f.weight for f in occupied])
        self.circumstances = {
            category: Picker([k for k, _ in pairs], [w for _, w in pairs])
            for category, pairs in CIRCUMSTANCES_BY_CATEGORY.items()
        }

    def _phone(self) -> str:
        return str(self.phone.phone_number())  # type: ignore[attr-defined]

    def _given(self, sex: str, parent: bool = False) -> GivenName:
        table = self.pools.parent_names if parent else self.pools.child_names
        return table[sex].pick(self.rng)

    def _relatives(self, surname: Surname, father_name: str) -> list[SyntheticRelative]:
        rng = self.rng
        mother_surname = surname if rng.random() < 0.85 else self.pools.surname(rng)
        people: list[tuple[str, str, Surname, str]] = [
            ("mother", self._given("f", True).uk, mother_surname, "f")
        ]
        if rng.random() < 0.9:
            people.append(("father", father_name, surname, "m"))
        if rng.random() < 0.25:
            granny_surname = surname if rng.random() < 0.6 else mother_surname
            people.append(("grandmother", self._given("f", True).uk, granny_surname, "f"))
        u = rng.random()
        wanted = (
            "mother" if u < 0.7 else "father" if u < 0.85 else "grandmother" if u < 0.95 else ""
        )
        roles = [p[0] for p in people]
        representative = wanted if wanted in roles else ("mother" if u < 0.95 else "")
        result = []
        for relationship, given, person_surname, sex in people:
            is_rep = relationship == representative
            result.append(
                SyntheticRelative(
                    relationship=relationship,
                    given_name=given,
                    surname=person_surname,
                    patronymic=uk_patronymic(self._given("m", True).uk, sex),
                    sex=sex,
                    is_legal_representative=is_rep,
                    requested_return=rng.random() < (0.85 if is_rep else 0.1),
                    phone=self._phone(),
                )
            )
        return result

    def _birth_dates(self, plan: FamilyPlan) -> list[date]:
        if plan.twins:
            return [self.pools.birth_date(self.rng)] * plan.size
        dates: list[date] = []
        while len(dates) < plan.size:
            candidate = self.pools.birth_date(self.rng)
            if all(abs((candidate - d).days) >= 300 for d in dates):
                dates.append(candidate)
        return dates

    def family(self, plan: FamilyPlan) -> list[SyntheticChild]:
        rng = self.rng
        self.n_families += 1
        family_key = f"f-{self.n_families:06d}"
        surname = uk_surname(plan.forced_surname) if plan.forced_surname else None
        surname = surname or self.pools.surname(rng)
        father_name = self._given("m", True).uk
        home = self.pools.towns.pick(rng)
        residence = (
            home if rng.random() < 0.7 else rng.choice(self.pools.towns_by_oblast[home.oblast])
        )
        relatives = self._relatives(surname, father_name)
        births = self._birth_dates(plan)
        if plan.collision_group:  # same name, but never the same date: a different child
            used = self._collision_dates.setdefault(plan.collision_group, set())
            while births[0] in used:
                births = self._birth_dates(plan)
            used.add(births[0])
        category = self.categories.pick(rng)
        twin_sexes = rng.choice("mf") * 2 if rng.random() < 0.65 else "mf"
        taken: set[str] = set()
        children = []
        for i, birth in enumerate(births):
            sex = plan.forced_sex or (twin_sexes[i] if plan.twins else rng.choice("mf"))
            given = plan.forced_given or self._given(sex).uk
            while given in taken:
                given = self._given(sex).uk
            taken.add(given)
            self.n_children += 1
            children.append(
                SyntheticChild(
                    child_key=f"c-{self.n_children:06d}",
                    family_key=family_key,
                    category=category,
                    given_name=given,
                    surname=surname,
                    patronymic=uk_patronymic(father_name, sex),
                    father_given_name=father_name,
                    sex=sex,
                    birth_date=birth,
                    birth_place=home,
                    residence=residence,
                    relatives=relatives,
                    is_twin=plan.twins,
                    collision_group=plan.collision_group,
                    uk_birth_certificate=self._certificate(),
                )
            )
        self._timelines(children, category)
        return children

    def _certificate(self) -> str:
        rng = self.rng
        series = (
            rng.choice(("I", "II", "III", "IV"))
            + "-"
            + "".join(rng.choices(_CERTIFICATE_LETTERS, k=2))
        )
        return f"{series} {rng.randrange(1_000_000):06d}"

    def _timelines(self, children: list[SyntheticChild], category: str) -> None:
        rng = self.rng
        if category == "at_risk":
            return
        earliest = max(FIRST_REMOVAL, max(c.birth_date for c in children) + timedelta(days=30))
        removal_date = random_day(rng, earliest, LAST_REMOVAL)
        circumstances = self.circumstances[category].pick(rng)
        for child in children:
            if rng.random() > 0.85:  # siblings are mostly, not always, taken together
                removal_date = random_day(rng, earliest, LAST_REMOVAL)
            events = [
                SyntheticEvent(
                    "removal", removal_date, place=child.residence, circumstances=circumstances
                )
            ]
            when = removal_date
            if category == "deported" and rng.random() < 0.9:
                when = min(LAST_EVENT, when + timedelta(days=rng.randint(1, 90)))
                first = self.first_facility.pick(rng)
                events.append(SyntheticEvent("sighting", when, facility_key=first.key))
                child.last_facility_key = first.key
                if rng.random() < 0.35:
                    when = min(LAST_EVENT, when + timedelta(days=rng.randint(30, 400)))
                    later = self.later_facility.pick(rng)
                    events.append(SyntheticEvent("transfer", when, facility_key=later.key))
                    child.last_facility_key = later.key
                if rng.random() < 0.25:
                    when = min(LAST_EVENT, when + timedelta(days=rng.randint(30, 300)))
                    events.append(SyntheticEvent("citizenship_change", when))
            elif category == "forcibly_transferred" and rng.random() < 0.8:
                when = min(LAST_EVENT, when + timedelta(days=rng.randint(1, 90)))
                facility = self.occupied_facility.pick(rng)
                events.append(SyntheticEvent("sighting", when, facility_key=facility.key))
                child.last_facility_key = facility.key
            child.events = events


def make_children(
    n_children: int,
    config: SyntheticConfig,
    rng: random.Random,
    phone: object,
    facilities: tuple[Facility, ...],
) -> list[SyntheticChild]:
    """``n_children`` true children, in families, with relatives and timelines."""
    factory = ChildFactory(rng, phone, facilities, config)
    children: list[SyntheticChild] = []
    for plan in plan_families(n_children, config, rng):
        children.extend(factory.family(plan))
    return children
