"""A record made ready for matching: one comparable value per model field, and
the blocking keys under which it is filed.

A record arrives as a mapping: the columns of ``homeward link`` (``record_id,
given_name, family_name, patronymic, full_name, sex, birth_date, birth_place,
residence, document_id, mother_name, father_name``) or the fields of a
registry record (``document_ids``, ``last_known_location``).  Preparing it

- fills the name parts from ``full_name`` when the source did not separate
  them (either order, inflected forms reduced: :mod:`homeward.names.parse`);
- normalises names (:mod:`homeward.names.normalize`), reads the birth date as a
  partial date (an unreadable date is missing, not a disagreement), reads sex;
- writes document numbers in one alphabet without punctuation, so that
  ``II-АН № 123456`` and ``II-AH 123456`` are one number.

>>> p = prepare({"full_name": "КОВАЛЕНКО Олександр Сергійович", "birth_date": "04.03.2012"})
>>> p.values[:5]
('олександр', 'коваленко', 'сергійович', '', '2012-03-04')
>>> sorted(k for k in p.keys if k.startswith("gf:"))[:2]
['gf:g:oleksandr|f:kovalinko', 'gf:gi:o|f:kovalinko']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from homeward.domain.model import Sex
from homeward.linkage.fields import FIELD_INDEX, FIELD_NAMES
from homeward.names.compare import family_name_keys, given_name_keys, patronymic_keys
from homeward.names.dates import InvalidDateError, parse_date
from homeward.names.normalize import normalize_text
from homeward.names.parse import parse_full_name
from homeward.names.translit import skeleton

_DOCUMENT_LETTERS = str.maketrans(
    {
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "І": "I", "У": "Y",
    }
)  # fmt: skip
_NOT_DOCUMENT = re.compile(r"[^0-9A-ZА-ЯІЇЄҐЁ]+")
_SPLIT_DOCUMENTS = re.compile(r"[;,\n]+")


@dataclass(frozen=True, slots=True)
class Prepared:
    """One record ready for matching."""

    values: tuple[str, ...]
    """One value per field of :data:`~homeward.linkage.fields.FIELD_NAMES`; ``""``
    when missing."""
    keys: frozenset[str]
    """Blocking keys: two records are compared when they share one."""

    def value(self, field: str) -> str:
        return self.values[FIELD_INDEX[field]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


@lru_cache(maxsize=262_144)
def read_sex(value: str) -> str:
    """``m``, ``f`` or ``""`` (unknown or unreadable)."""
    sex = Sex.read(value)
    return "" if sex in (None, Sex.UNKNOWN) else str(sex.value)


@lru_cache(maxsize=262_144)
def read_date(value: str) -> str:
    """The partial ISO date, or ``""`` when empty or not a date."""
    if not value:
        return ""
    try:
        parsed = parse_date(value)
    except InvalidDateError:
        return ""
    return "" if parsed is None else str(parsed)


@lru_cache(maxsize=262_144)
def read_document(value: str) -> str:
    """One document number in one alphabet, without spaces or punctuation.

    >>> read_document("II-АН № 123456")
    'IIAH123456'
    """
    return _NOT_DOCUMENT.sub("", value.upper().replace("№", "")).translate(_DOCUMENT_LETTERS)


def read_documents(values: Iterable[str]) -> str:
    """Several numbers as one sorted ``|``-joined value (``""`` when none)."""
    numbers = set()
    for value in values:
        for part in _SPLIT_DOCUMENTS.split(value):
            number = read_document(part)
            if len(number) >= 4:
                numbers.add(number)
    return "|".join(sorted(numbers))


@lru_cache(maxsize=262_144)
def _name_parts(given: str, family: str, patronymic: str, full: str) -> tuple[str, str, str]:
    given, family, patronymic = (normalize_text(v) for v in (given, family, patronymic))
    if full and not (given and family):
        parsed = parse_full_name(full)
        given = given or parsed.given
        family = family or parsed.family
        patronymic = patronymic or parsed.patronymic
    return given, family, patronymic


@lru_cache(maxsize=262_144)
def read_person_name(value: str) -> str:
    """A relative's full name as ``given|patronymic|family`` (``""`` when empty).

    >>> read_person_name("Коваленко Ольга Петрівна")
    'ольга|петрівна|коваленко'
    """
    if not value:
        return ""
    parsed = parse_full_name(value)
    if not (parsed.given or parsed.family or parsed.patronymic):
        return ""
    return f"{parsed.given}|{parsed.patronymic}|{parsed.family}"


def _documents_of(record: Mapping[str, Any]) -> str:
    values: list[str] = []
    ids = record.get("document_ids")
    if isinstance(ids, list | tuple):
        values.extend(str(v) for v in ids if v)
    elif ids:
        values.append(str(ids))
    single = _text(record.get("document_id"))
    if single:
        values.append(single)
    return read_documents(values)


def field_values(record: Mapping[str, Any]) -> tuple[str, ...]:
    """The comparable value of every model field (``""`` when missing)."""
    given, family, patronymic = _name_parts(
        _text(record.get("given_name")),
        _text(record.get("family_name")),
        _text(record.get("patronymic")),
        _text(record.get("full_name")),
    )
    values = {
        "given_name": given,
        "family_name": family,
        "patronymic": patronymic,
        "sex": read_sex(_text(record.get("sex"))),
        "birth_date": read_date(_text(record.get("birth_date"))),
        "birth_place": _text(record.get("birth_place")),
        "residence": _text(record.get("residence")),
        "document": _documents_of(record),
        "mother_name": read_person_name(_text(record.get("mother_name"))),
        "father_name": read_person_name(_text(record.get("father_name"))),
        "location": _text(record.get("last_known_location") or record.get("location")),
    }
    return tuple(values[name] for name in FIELD_NAMES)


@lru_cache(maxsize=262_144)
def _given_keys(given: str) -> frozenset[str]:
    keys = {k for k in given_name_keys(given) if not k.startswith("gq:")}
    letter = skeleton(given)[:1].lower() if given else ""
    if letter:
        keys.add(f"gi:{letter}")
    return frozenset(keys)


@lru_cache(maxsize=262_144)
def frequency_key(field: str, value: str) -> str:
    """The key under which a name is counted for its frequency: one given name
    in every spelling (``Олександр``, ``Aleksandr``: its group), one family
    name in every spelling and gender (its stem); ``""`` for other fields.

    >>> frequency_key("family_name", "Коваленко") == frequency_key("family_name", "Kovalenko")
    True
    """
    if not value:
        return ""
    if field == "given_name":
        keys = _given_keys(value)
        groups = sorted(k for k in keys if k.startswith("g:"))
        return groups[0] if groups else min((k for k in keys if k.startswith("gs:")), default="")
    if field == "family_name":
        return min(family_name_keys(value), default="")
    return ""


def _date_parts(date: str) -> tuple[str, str]:
    """``(year, month-day)``; either empty when the date does not say it."""
    year = date[:4]
    month_day = date[5:] if len(date) == 10 else ""
    return year, month_day


def blocking_keys(values: tuple[str, ...]) -> frozenset[str]:
    """The keys a record is filed under; equal keys make two records candidates.

    Each key joins two or three fields, so that blocks stay small:

    - ``gf``: given name (group, skeleton or first letter) with family name;
    - ``gd``: given name group with day and month of birth (survives a changed
      surname and an altered year);
    - ``fd``: family name with day and month of birth (survives a given name
      written as an unknown diminutive or with a typo);
    - ``gpy``: given name, patronymic and birth year (survives an adopted
      surname together with an altered day);
    - ``fy``: family name with birth year, for records that give no given
      name (lists that name a child by surname and year only);
    - ``doc``: a document number.
    """
    given, family, patronymic = values[0], values[1], values[2]
    date, documents = values[FIELD_INDEX["birth_date"]], values[FIELD_INDEX["document"]]
    g = _given_keys(given) if given else frozenset()
    groups = [k for k in g if k.startswith("g:")] or [k for k in g if k.startswith("gs:")]
    f = family_name_keys(family) if family else frozenset()
    p = [k for k in patronymic_keys(patronymic) if k.startswith("p:")] if patronymic else []
    year, month_day = _date_parts(date)
    keys: set[str] = set()
    keys.update(f"gf:{x}|{y}" for x in g for y in f)
    if month_day:
        keys.update(f"gd:{x}|{month_day}" for x in groups)
        keys.update(f"fd:{y}|{month_day}" for y in f)
    if year:
        keys.update(f"gpy:{x}|{z}|{year}" for x in groups for z in p)
        keys.update(f"fy:{y}|{year}" for y in f)
    if documents:
        keys.update(f"doc:{d}" for d in documents.split("|"))
    return frozenset(keys)


def prepare(record: Mapping[str, Any]) -> Prepared:
    """Prepare one record (a mapping of column or field names to values)."""
    values = field_values(record)
    return Prepared(values, blocking_keys(values))
