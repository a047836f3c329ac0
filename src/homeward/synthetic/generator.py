"""``generate``: children, which sources hold them, what the other side changed, and
the records, deterministic for a given seed."""

from __future__ import annotations

import random
from datetime import timedelta

from faker import Faker
from faker.providers.person.ru_RU import Provider as _RuPersonProvider

from homeward.synthetic.config import SyntheticConfig
from homeward.synthetic.distractors import make_distractors
from homeward.synthetic.forms import ru_surname, russify
from homeward.synthetic.model import (
    Facility,
    Record,
    SyntheticChild,
    SyntheticDataset,
    SyntheticEvent,
)
from homeward.synthetic.people import LAST_EVENT, make_children
from homeward.synthetic.sources import SourceRenderer
from homeward.synthetic.tables import Picker, facilities
from homeward.synthetic.variants import alter_date

RECORD_ID_PREFIXES: dict[str, str] = {
    "ua_report": "UA",
    "ru_record": "RU",
    "latin_record": "LT",
    "counterpart_list": "CP",
}
"""Record ids name the layout of a record, never the truth: a distractor in the layout
of a Russian record gets an ``RU-`` id like the others."""

# How likely the other side's records are to hold a child, by category.
_RU_SIDE_FACTOR = {
    "deported": 1.0,
    "forcibly_transferred": 0.8,
    "detained": 0.7,
    "missing": 0.1,
    "at_risk": 0.15,
}
_COUNTERPART_FACTOR = {
    "deported": 1.0,
    "forcibly_transferred": 0.5,
    "detained": 0.5,
    "missing": 0.1,
    "at_risk": 0.1,
}
_ADOPTABLE = frozenset({"deported", "forcibly_transferred"})
_RU_CERTIFICATE_LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ"


def _assign_sources(
    children: list[SyntheticChild], config: SyntheticConfig, rng: random.Random
) -> list[tuple[SyntheticChild, str]]:
    """Which sources hold which child: every child is in 1 to 4 distinct sources, and
    may be reported more than once by Ukrainian bodies."""
    pairs: list[tuple[SyntheticChild, str]] = []
    for child in children:
        category = child.category or "deported"
        sources = []
        if rng.random() < config.ru_record_rate * _RU_SIDE_FACTOR[category]:
            sources.append("ru_record")
        if rng.random() < config.latin_record_rate:
            sources.append("latin_record")
        if rng.random() < config.counterpart_list_rate * _COUNTERPART_FACTOR[category]:
            sources.append("counterpart_list")
        if not sources or rng.random() < config.ua_report_rate:
            sources.append("ua_report")
            if rng.random() < config.ua_duplicate_rate:
                sources.append("ua_report")
                if rng.random() < config.ua_duplicate_rate:
                    sources.append("ua_report")
        pairs.extend((child, source) for source in sources)
    return pairs


def _other_side_changes(
    pairs: list[tuple[SyntheticChild, str]],
    config: SyntheticConfig,
    rng: random.Random,
    all_facilities: tuple[Facility, ...],
) -> None:
    """Adoption or guardianship under a new surname, altered birth dates and new
    birth certificates, for children the other side holds."""
    held = list({id(c): c for c, s in pairs if s in ("ru_record", "counterpart_list")}.values())
    in_ru_records = {id(c) for c, s in pairs if s == "ru_record"}
    eligible_ru = [c for c in held if id(c) in in_ru_records and c.category in _ADOPTABLE]
    # Only some categories can be adopted; scale so the share among ru_records matches.
    adoption_p = 0.0
    if eligible_ru:
        adoption_p = min(1.0, config.adopted_surname_rate * len(in_ru_records) / len(eligible_ru))
    regions = [f for f in all_facilities if f.kind == "family_placement_region"]
    region_picker = Picker(regions, [f.weight for f in regions])
    russian_surnames = _RuPersonProvider.last_names_male
    for child in held:
        if child.category in _ADOPTABLE and rng.random() < adoption_p:
            original = russify(child.surname).masculine
            new = original
            while new == original:
                new = str(rng.choice(russian_surnames))
            child.adopted_surname = ru_surname(new)
            region = region_picker.pick(rng)
            last = max(e.date for e in child.events) if child.events else LAST_EVENT
            when = min(LAST_EVENT, last + timedelta(days=rng.randint(30, 365)))
            kind = "adoption" if rng.random() < 0.4 else "guardianship"
            child.events.append(
                SyntheticEvent(
                    kind,
                    when,
                    facility_key=region.key,
                    detail=child.adopted_surname.for_sex(child.sex),
                )
            )
            child.last_facility_key = region.key
        if rng.random() < config.altered_birthdate_rate:
            child.ru_birth_date = alter_date(child.birth_date, rng)[0]
        issue_p = 0.9 if child.adopted_surname else 0.35
        if child.category in _ADOPTABLE and rng.random() < issue_p:
            roman = rng.choice(("I", "II", "III", "IV", "V", "VI"))
            letters = "".join(rng.choices(_RU_CERTIFICATE_LETTERS, k=2))
            child.ru_birth_certificate = f"{roman}-{letters} № {rng.randrange(1_000_000):06d}"


def generate(
    n_children: int, seed: int = 0, config: SyntheticConfig | None = None
) -> SyntheticDataset:
    """A synthetic registry of ``n_children`` Ukrainian children and the distractor
    children of the other side, with the records each source holds and the ground
    truth.  The same ``n_children``, ``seed`` and ``config`` give the same dataset."""
    if n_children < 0:
        raise ValueError(f"n_children must be >= 0, got {n_children}")
    config = config or SyntheticConfig()
    rng = random.Random(f"homeward-synthetic:{seed}")
    uk_phones = Faker("uk_UA")
    uk_phones.seed_instance(seed)
    ru_phones = Faker("ru_RU")
    ru_phones.seed_instance(seed)
    all_facilities = facilities()

    children = make_children(n_children, config, rng, uk_phones, all_facilities)
    distractors = make_distractors(config.russian_only_for(n_children), rng, ru_phones)
    pairs = _assign_sources(children, config, rng)
    _other_side_changes(pairs, config, rng, all_facilities)

    renderer = SourceRenderer(rng, config, all_facilities)
    by_layout: dict[str, list[tuple[Record, set[str]]]] = {k: [] for k in RECORD_ID_PREFIXES}
    for child, source in pairs:
        record, tags = getattr(renderer, _RENDER[source])(child)
        record["child_key"] = child.child_key
        record["source"] = source
        by_layout[source].append((record, tags))
    for child in distractors:
        for _ in range(2 if rng.random() < 0.3 else 1):
            record, tags, layout = renderer.russian_only(child)
            record["child_key"] = child.child_key
            record["source"] = "russian_only"
            by_layout[layout].append((record, tags))

    records: list[Record] = []
    variations: dict[str, frozenset[str]] = {}
    for layout, prefix in RECORD_ID_PREFIXES.items():
        items = by_layout[layout]
        rng.shuffle(items)
        for i, (record, tags) in enumerate(items, start=1):
            record_id = f"{prefix}-{i:07d}"
            record["record_id"] = record_id
            records.append(record)
            variations[record_id] = frozenset(tags)
    return SyntheticDataset(
        seed=seed,
        config=config,
        children=children,
        distractors=distractors,
        facilities=list(all_facilities),
        records=records,
        variations=variations,
    )


_RENDER = {
    "ua_report": "ua_report",
    "ru_record": "ru_record",
    "latin_record": "latin_record",
    "counterpart_list": "counterpart_entry",
}
