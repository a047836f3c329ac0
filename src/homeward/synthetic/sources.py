"""Each source's rendering of a child: what its record looks like, with the
variations applied and named.

- ``ua_report``: Ukrainian Cyrillic, dates DD.MM.YYYY, typos, look-alike Latin letters,
  diminutives, full name only, year-only dates, missing fields.
- ``ru_record``: the other side's records: Russian name forms, Russified or replaced
  surname, altered birth dates, Russian or former place names, dates YYYY-MM-DD.
- ``latin_record``: mediators and NGOs: one of several romanisations, family name first
  in upper case when unseparated, dates DD/MM/YYYY.
- ``counterpart_list``: the other side's own list: a Russified full name (or only the
  family name and birth year), the birth date, the region of stay.
- ``russian_only``: children of the other side (distractors), in the layout of a
  ``ru_record`` or a ``counterpart_list`` entry.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from homeward.synthetic.config import SyntheticConfig
from homeward.synthetic.model import RECORD_FIELDS, Facility, Record, SyntheticChild
from homeward.synthetic.phrases import circumstance_text
from homeward.synthetic.russian_view import (
    russian_given_forms,
    russian_place,
    russian_relative_name,
    russian_view,
)
from homeward.synthetic.tables import Picker, given_name_index
from homeward.synthetic.translit import transliterate
from homeward.synthetic.variants import (
    format_date,
    typo,
    vary_apostrophe,
    with_lookalikes,
)

Rendered = tuple[Record, set[str]]

LATIN_SYSTEMS: tuple[tuple[str, float], ...] = (
    ("kmu2010", 0.45),
    ("soviet", 0.2),
    ("icao", 0.15),
    ("bgn", 0.12),
    ("german", 0.08),
)
ENGLISH_GIVEN_NAME_RATE = 0.15
_NO_YO = str.maketrans("ёЁ", "еЕ")
LATIN_FULL_NAME_ONLY_RATE = 0.3


def _empty() -> Record:
    return dict.fromkeys(RECORD_FIELDS)


class SourceRenderer:
    """Renders children into records of each source."""

    def __init__(
        self, rng: random.Random, config: SyntheticConfig, facilities: tuple[Facility, ...]
    ) -> None:
        self.rng = rng
        self.config = config
        self.facilities = {f.key: f for f in facilities}
        self.latin_systems = Picker([s for s, _ in LATIN_SYSTEMS], [w for _, w in LATIN_SYSTEMS])

    def _keep(self) -> bool:
        return self.rng.random() >= self.config.missing_field_rate

    def _facility(self, child: SyntheticChild) -> Facility | None:
        return self.facilities.get(child.last_facility_key) if child.last_facility_key else None

    # --- Ukrainian reports -------------------------------------------------------------

    def ua_report(self, child: SyntheticChild) -> Rendered:
        rng, cfg = self.rng, self.config
        tags: set[str] = set()
        record = _empty()
        given = child.given_name
        if rng.random() < cfg.diminutive_rate:
            given = rng.choice(given_name_index()[child.given_name].diminutives)
            tags.add("diminutive")
        parts = {"given_name": given, "family_name": child.family_name}
        # The name order of an unseparated name is decided first: "Олександр Коваленко"
        # has no patronymic for a variation to land in.
        full_name_order = None
        if rng.random() < cfg.full_name_only_rate:
            u = rng.random()
            full_name_order = "fgp" if u < 0.7 else "gf" if u < 0.9 else "gpf"
        if self._keep() and full_name_order != "gf":
            parts["patronymic"] = child.patronymic
        if rng.random() < cfg.typo_rate:
            key = rng.choice(sorted(parts))
            parts[key] = typo(parts[key], rng)
            tags.add("typo")
        if rng.random() < cfg.lookalike_rate:
            key = rng.choice(sorted(parts))
            changed = with_lookalikes(parts[key], rng)
            if changed != parts[key]:
                parts[key] = changed
                tags.add("lookalike")
        parts = {k: vary_apostrophe(v, rng) for k, v in parts.items()}
        if full_name_order:
            record["full_name"] = self._ukrainian_full_name(parts, full_name_order)
            tags.add("full_name_only")
        else:
            record.update(parts)
        if rng.random() < cfg.partial_date_rate:
            record["birth_date"] = format_date(child.birth_date, "year")
            tags.add("partial_date")
        else:
            record["birth_date"] = format_date(child.birth_date, "dotted")
        record["sex"] = child.sex if self._keep() else None
        if self._keep():
            town = child.birth_place
            name = town.uk
            if town.former_uk and rng.random() < cfg.former_place_name_rate:
                name = town.former_uk
                tags.add("former_place_name")
            record["birth_place"] = self._ukrainian_place(name, town.region_uk)
        if self._keep():
            record["residence"] = self._ukrainian_place(
                child.residence.uk, child.residence.region_uk
            )
        if child.uk_birth_certificate and rng.random() < 0.45 and self._keep():
            record["document_id"] = self._ukrainian_certificate(child.uk_birth_certificate)
        record["mother_name"] = self._ukrainian_relative(child, "mother")
        record["father_name"] = self._ukrainian_relative(child, "father")
        facility = self._facility(child)
        if facility and self._keep():
            record["last_known_location"] = facility.location("uk")
        elif child.category == "at_risk" and self._keep():
            record["last_known_location"] = f"{child.residence.uk} (окупована територія)"
        self._removal(record, child, "uk", lambda t: t.uk, "dotted")
        return record, tags

    @staticmethod
    def _ukrainian_full_name(parts: dict[str, str], order: str) -> str:
        given, family = parts["given_name"], parts["family_name"]
        patronymic = parts.get("patronymic")
        if order == "fgp":
            return " ".join(p for p in (family, given, patronymic) if p)
        if order == "gpf" and patronymic:
            return f"{given} {patronymic} {family}"
        return f"{given} {family}"

    def _ukrainian_place(self, name: str, region: str) -> str:
        u = self.rng.random()
        if u < 0.5:
            return name
        if u < 0.75:
            return f"м. {name}"
        return f"{name}, {region}"

    def _ukrainian_certificate(self, certificate: str) -> str:
        series, number = certificate.split(" ")
        u = self.rng.random()
        if u < 0.5:
            return certificate
        if u < 0.8:  # the Roman numeral typed with the Cyrillic І
            return f"{series.replace('I', 'І')} №{number}"
        return f"{series}№{number}"

    def _ukrainian_relative(self, child: SyntheticChild, relationship: str) -> str | None:
        relative = child.relative(relationship)
        if relative is None or not self._keep():
            return None
        u = self.rng.random()
        if u < 0.6:
            return relative.full_name
        if u < 0.8:
            return f"{relative.given_name} {relative.family_name}"
        if u < 0.9:
            return relative.given_name
        return f"{relative.family_name} {relative.given_name[0]}.{relative.patronymic[0]}."

    def _removal(
        self,
        record: Record,
        child: SyntheticChild,
        language: str,
        place_name: Callable[..., str],
        date_style: str,
    ) -> None:
        removal = next((e for e in child.events if e.kind == "removal"), None)
        if removal is None:
            return
        if self._keep():
            record["removal_date"] = format_date(removal.date, date_style)
        if removal.place is not None and self._keep():
            record["removal_place"] = place_name(removal.place)
        if removal.circumstances and self._keep():
            record["removal_circumstances"] = circumstance_text(removal.circumstances, language)

    # --- the other side's records ------------------------------------------------------

    def ru_record(self, child: SyntheticChild) -> Rendered:
        rng, cfg = self.rng, self.config
        tags: set[str] = set()
        record = _empty()
        view = russian_view(child, rng)
        if view.adopted:
            tags.add("adopted_surname")
        if view.altered:
            tags.add("altered_birth_date")
        if rng.random() < 0.1:
            record["full_name"] = f"{view.family_name} {view.given_name} {view.patronymic}"
            tags.add("full_name_only")
        else:
            record["given_name"] = view.given_name
            record["family_name"] = view.family_name
            record["patronymic"] = view.patronymic if self._keep() else None
        record["birth_date"] = format_date(view.birth_date, "iso")
        record["sex"] = child.sex if self._keep() else None
        if self._keep():
            place, former = russian_place(child.birth_place, cfg.russian_former_place_rate, rng)
            if former:
                tags.add("former_place_name")
            record["birth_place"] = place if rng.random() < 0.6 else f"г. {place}"
        facility = self._facility(child)
        if facility and facility.kind == "family_placement_region":
            record["residence"] = facility.name_ru
        elif self._keep():
            record["residence"] = russian_place(
                child.residence, cfg.russian_former_place_rate, rng
            )[0]
        if child.ru_birth_certificate and rng.random() < 0.6:
            record["document_id"] = child.ru_birth_certificate
        for relationship, keep_rate in (("mother", 0.75), ("father", 0.6)):
            relative = child.relative(relationship)
            if relative and rng.random() < keep_rate and self._keep():
                record[f"{relationship}_name"] = russian_relative_name(
                    relative, rng, child.is_distractor
                )
        if facility and self._keep():
            record["last_known_location"] = facility.location("ru")
        elif child.is_distractor and self._keep():
            record["last_known_location"] = child.residence.ru
        self._removal(record, child, "ru", lambda t: t.ru, "iso")
        if rng.random() < 0.5:  # official Russian documents often write е for ё
            for key, value in record.items():
                if value and "ё" in value.lower():
                    record[key] = value.translate(_NO_YO)
        return record, tags

    def counterpart_entry(self, child: SyntheticChild) -> Rendered:
        rng = self.rng
        tags: set[str] = set()
        record = _empty()
        view = russian_view(child, rng)
        if view.adopted:
            tags.add("adopted_surname")
        if view.altered:
            tags.add("altered_birth_date")
        if rng.random() < 0.7:
            record["full_name"] = f"{view.family_name} {view.given_name} {view.patronymic}"
            record["birth_date"] = format_date(view.birth_date, "dotted")
            if rng.random() < 0.5:
                record["sex"] = child.sex
        else:
            record["family_name"] = view.family_name
            record["birth_date"] = format_date(view.birth_date, "year")
            tags.add("family_name_and_year_only")
        facility = self._facility(child)
        if facility:
            record["last_known_location"] = facility.region_ru
        elif child.is_distractor:
            record["last_known_location"] = child.residence.region_ru
        return record, tags

    def russian_only(self, child: SyntheticChild) -> tuple[Record, set[str], str]:
        """A distractor's record, in the layout of a ``ru_record`` or a counterpart list."""
        if self.rng.random() < 0.7:
            return (*self.ru_record(child), "ru_record")
        return (*self.counterpart_entry(child), "counterpart_list")

    # --- Latin-script records ----------------------------------------------------------

    def latin_record(self, child: SyntheticChild) -> Rendered:
        rng, cfg = self.rng, self.config
        system = self.latin_systems.pick(rng)
        tags: set[str] = {f"translit:{system}"}
        record = _empty()
        if system == "kmu2010":
            given, family, patronymic = child.given_name, child.family_name, child.patronymic
        else:
            view = russian_view(child, rng)
            given, family, patronymic = view.given_name, view.family_name, view.patronymic
            if view.adopted:  # mediators write down the surname under which a child is found
                tags.add("adopted_surname")
        given_latin = transliterate(given, system)
        english = given_name_index()[child.given_name].english
        if english and rng.random() < ENGLISH_GIVEN_NAME_RATE:
            given_latin = english
            tags.add("english_given_name")
        family_latin = transliterate(family, system)
        if rng.random() < LATIN_FULL_NAME_ONLY_RATE:
            record["full_name"] = f"{family_latin.upper()} {given_latin}"
            tags.add("full_name_only")
        else:
            record["given_name"] = given_latin
            record["family_name"] = family_latin
            if rng.random() < 0.5 and self._keep():
                record["patronymic"] = transliterate(patronymic, system)
        if rng.random() < cfg.partial_date_rate / 2:
            record["birth_date"] = format_date(child.birth_date, "year")
            tags.add("partial_date")
        else:
            record["birth_date"] = format_date(child.birth_date, "slashed")
        record["sex"] = child.sex if self._keep() else None

        def place(town_name_uk: str, town_name_ru: str) -> str:
            if system == "kmu2010":
                return transliterate(town_name_uk, system)
            return transliterate(town_name_ru, system)

        if self._keep():
            town = child.birth_place
            if system == "kmu2010":
                record["birth_place"] = town.latin
            else:
                name, former = russian_place(town, cfg.russian_former_place_rate, rng)
                if former:
                    tags.add("former_place_name")
                record["birth_place"] = transliterate(name, system)
        if self._keep():
            record["residence"] = (
                child.residence.latin
                if system == "kmu2010"
                else place(child.residence.uk, child.residence.ru)
            )
        if child.uk_birth_certificate and rng.random() < 0.2:
            record["document_id"] = child.uk_birth_certificate
        for relationship in ("mother", "father"):
            relative = child.relative(relationship)
            if relative and self._keep():
                if system == "kmu2010":
                    r_given, r_family = relative.given_name, relative.family_name
                else:
                    r_given = russian_given_forms(relative.given_name)[0]
                    r_family = russian_relative_name(relative, rng, False).split(" ")[0]
                record[f"{relationship}_name"] = (
                    f"{transliterate(r_given, system)} {transliterate(r_family, system)}"
                )
        facility = self._facility(child)
        if facility and self._keep():
            record["last_known_location"] = facility.location("latin")
        self._removal(
            record,
            child,
            "en",
            lambda t: t.latin if system == "kmu2010" else place(t.uk, t.ru),
            "slashed",
        )
        return record, tags
