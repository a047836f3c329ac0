"""The gazetteer Homeward resolves places against, and its lookup tables.

The data is ``data/gazetteer.tsv``, shipped with the package: every Ukrainian
oblast and oblast centre, every city (місто) and the larger urban settlements of
Donetsk, Luhansk, Zaporizhzhia, Kherson, Kharkiv and Mykolaiv oblasts, Crimea and
Sevastopol, and the regions of Russia and Belarus children are taken to.  Each
entry carries its Ukrainian, Russian and Latin names and its former names
(Soviet names dropped in 2016 and 2024, which the occupation authorities still
use).  The tables are built once, on first use.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from translitua import (
    RussianDriverLicense,
    RussianGOST2006,
    RussianInternationalPassport1997,
    RussianSimple,
    UkrainianBGN,
    UkrainianBritish,
    UkrainianKMU,
    UkrainianNational1996,
    UkrainianPassport2007,
    translit,
)

from homeward.names.places_text import (
    has_cyrillic,
    normalize_place,
    place_skeleton,
    region_word_key,
    word_set,
)

REGION_KINDS = frozenset(
    {"oblast", "autonomous_republic", "city_region", "krai", "republic", "federal_city"}
)
SETTLEMENT_KINDS = frozenset({"city", "settlement", "village"})

# How a text matched an entry.  compare_places turns these into its reasons.
UKRAINIAN = "Ukrainian name"
RUSSIAN = "Russian name"
LATIN = "Latin spelling"
LATIN_OF_RUSSIAN = "Latin spelling of the Russian name"
FORMER = "former name"
FORMER_RUSSIAN = "former name, in Russian"
FORMER_LATIN = "former name, Latin spelling"
ALIAS = "other name of the region"
SKELETON = "spelling variant"
TYPO = "one letter differs"

_FORM_RANK = {
    name: rank
    for rank, name in enumerate(
        (UKRAINIAN, RUSSIAN, LATIN, LATIN_OF_RUSSIAN, FORMER, FORMER_RUSSIAN, FORMER_LATIN, ALIAS)
    )
}
_UKRAINIAN_SYSTEMS = (
    UkrainianKMU,
    UkrainianBGN,
    UkrainianBritish,
    UkrainianPassport2007,
    UkrainianNational1996,
)
_RUSSIAN_SYSTEMS = (
    RussianInternationalPassport1997,
    RussianDriverLicense,
    RussianGOST2006,
    RussianSimple,
)
# Words that mark a region in a name ("Донецька область", "Krasnodar Krai").
REGION_MARKERS = word_set(
    """обл область області областi областю области областью oblast obl oblasti region reg
    край краю краї крае краем края krai kray республіка республика республіки республики
    республіці республике republic автономна автономная автономної автономной autonomous ар
    народна народная народної народной peoples voblast вобласць"""
)
# Cities that people also place in the region around them ("Київ, Київська обл.").
REGION_ALSO: dict[str, frozenset[str]] = {
    "UA-30": frozenset({"UA-32"}),
    "UA-40": frozenset({"UA-43"}),
    "RU-MOW": frozenset({"RU-MOS"}),
    "RU-SPE": frozenset({"RU-LEN"}),
    "BY-HM": frozenset({"BY-MI"}),
}


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place of the gazetteer: a settlement or a region.

    ``region`` is the region id of a settlement (``"UA-14"``) and the country
    code of a region.  ``latin`` is the Ukrainian national transliteration for
    places in Ukraine and the English name elsewhere.
    """

    id: str
    kind: str
    region: str
    uk: str
    ru: tuple[str, ...]
    latin: str
    en: tuple[str, ...]
    former_uk: tuple[str, ...]
    former_ru: tuple[str, ...]
    former_latin: tuple[str, ...]
    aliases: tuple[str, ...]
    centre: str

    @property
    def is_region(self) -> bool:
        """Whether the entry is an oblast, krai, republic or city with region status."""
        return self.kind in REGION_KINDS

    @property
    def region_id(self) -> str:
        """The region the entry lies in (itself for a region)."""
        return self.id if self.is_region else self.region

    @property
    def country(self) -> str:
        """ISO country code: ``"UA"``, ``"RU"`` or ``"BY"``."""
        return self.id[:2]


Hit = tuple[str, str, str]  # entry id, how it matched, the form it matched


@dataclass(frozen=True)
class Gazetteer:
    """The loaded entries and the lookup tables built from them."""

    entries: dict[str, GazetteerEntry]
    exact: dict[str, tuple[Hit, ...]]
    skeleton: dict[str, tuple[Hit, ...]]
    cyrillic_forms: tuple[str, ...]
    latin_forms: tuple[str, ...]
    region_words: dict[str, str]
    region_aliases: dict[str, str]

    def region_name(self, region_id: str) -> str:
        """The Ukrainian name of a region id, or the id if it is unknown."""
        entry = self.entries.get(region_id)
        return entry.uk if entry else region_id


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _read_entries() -> list[GazetteerEntry]:
    path = resources.files("homeward.names").joinpath("data", "gazetteer.tsv")
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    entries = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        entries.append(
            GazetteerEntry(
                id=row["id"],
                kind=row["kind"],
                region=row["region"],
                uk=row["uk"],
                ru=_split(row["ru"]),
                latin=row["latin"],
                en=_split(row["en"]),
                former_uk=_split(row["former_uk"]),
                former_ru=_split(row["former_ru"]),
                former_latin=_split(row["former_latin"]),
                aliases=_split(row["aliases"]),
                centre=row["centre"],
            )
        )
    return entries


def _settlement_forms(entry: GazetteerEntry) -> list[tuple[str, str]]:
    """Every spelling of a settlement with how it relates to the entry."""
    forms = [(entry.uk, UKRAINIAN), (entry.latin, LATIN)]
    forms += [(name, RUSSIAN) for name in entry.ru]
    forms += [(name, LATIN) for name in entry.en]
    forms += [(name, FORMER) for name in entry.former_uk]
    forms += [(name, FORMER_RUSSIAN) for name in entry.former_ru]
    forms += [(name, FORMER_LATIN) for name in entry.former_latin]
    ukrainian_names = [(entry.uk, LATIN)] + [(name, FORMER_LATIN) for name in entry.former_uk]
    russian_names = [(name, LATIN_OF_RUSSIAN) for name in entry.ru]
    russian_names += [(name, FORMER_LATIN) for name in entry.former_ru]
    for name, how in ukrainian_names:
        forms += [(translit(name, system), how) for system in _UKRAINIAN_SYSTEMS]
    for name, how in russian_names:
        forms += [(translit(name, system), how) for system in _RUSSIAN_SYSTEMS]
    return forms


_Table = dict[str, dict[str, tuple[str, str]]]


def _add(table: _Table, key: str, entry_id: str, how: str, form: str) -> None:
    if not key:
        return
    known = table[key].get(entry_id)
    if known is None or _FORM_RANK.get(how, 99) < _FORM_RANK.get(known[0], 99):
        table[key][entry_id] = (how, form)


def _freeze(table: _Table) -> dict[str, tuple[Hit, ...]]:
    return {
        key: tuple((entry_id, how, form) for entry_id, (how, form) in sorted(hits.items()))
        for key, hits in table.items()
    }


def _region_tables(entries: list[GazetteerEntry]) -> tuple[dict[str, str], dict[str, str]]:
    words: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for entry in entries:
        if entry.kind not in REGION_KINDS - {"city_region", "federal_city"}:
            continue
        names = [entry.uk, entry.latin, *entry.ru, *entry.en, *entry.former_uk, *entry.former_ru]
        names += [translit(name, UkrainianKMU) for name in [entry.uk, *entry.former_uk]]
        for system in _RUSSIAN_SYSTEMS:
            names += [translit(name, system) for name in [*entry.ru, *entry.former_ru]]
        for name in [*names, *entry.aliases]:
            normal = normalize_place(name)
            aliases[normal] = entry.id
            if not has_cyrillic(normal):
                aliases["~" + place_skeleton(normal)] = entry.id
        for name in names:
            tokens = normalize_place(name).split()
            rest = [token for token in tokens if token not in REGION_MARKERS and token != "of"]
            if rest and len(rest) < len(tokens):
                words[region_word_key(" ".join(rest))] = entry.id
    return words, aliases


@cache
def load_gazetteer() -> Gazetteer:
    """Load the shipped gazetteer and build its lookup tables (once per process).

    >>> gazetteer = load_gazetteer()
    >>> gazetteer.entries["UA-14:bakhmut"].former_ru
    ('Артёмовск',)
    """
    entries = _read_entries()
    exact: _Table = defaultdict(dict)
    skeleton: _Table = defaultdict(dict)
    for entry in entries:
        if entry.is_region:
            continue
        for form, how in _settlement_forms(entry):
            normal = normalize_place(form)
            _add(exact, normal, entry.id, how, form)
            _add(skeleton, place_skeleton(normal), entry.id, how, form)
    cyrillic = tuple(sorted(key for key in exact if has_cyrillic(key)))
    latin = tuple(sorted(key for key in exact if not has_cyrillic(key)))
    words, aliases = _region_tables(entries)
    return Gazetteer(
        entries={entry.id: entry for entry in entries},
        exact=_freeze(exact),
        skeleton=_freeze(skeleton),
        cyrillic_forms=cyrillic,
        latin_forms=latin,
        region_words=words,
        region_aliases=aliases,
    )


def gazetteer_entries() -> tuple[GazetteerEntry, ...]:
    """Every entry of the gazetteer, regions first within each country order of the file.

    >>> any(entry.uk == "Маріуполь" for entry in gazetteer_entries())
    True
    """
    return tuple(load_gazetteer().entries.values())


def get_entry(entry_id: str) -> GazetteerEntry:
    """The entry with this id; ``KeyError`` if there is none.

    >>> get_entry("UA-65:oleshky").former_uk
    ('Цюрупинськ',)
    """
    return load_gazetteer().entries[entry_id]
