"""Turning what a source sent into a record: raw kept as received, fields cleaned."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import String

from homeward.domain.model import Sex
from homeward.domain.record import RECORD_FIELD_NAMES, RecordData
from homeward.errors import Invalid
from homeward.names import dates
from homeward.names.normalize import repair_look_alikes
from homeward.storage.tables import Base, RecordRow

_SPACES = re.compile(r"\s+")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
NAME_FIELDS = frozenset(
    {"given_name", "family_name", "patronymic", "full_name", "mother_name", "father_name"}
)
"""Fields whose look-alike letters are repaired (places are left as written:
the gazetteer reads them either way)."""


@cache
def column_lengths(row: type[Base]) -> dict[str, int]:
    """The most characters each text column of a table holds (none for ``Text``)."""
    return {
        column.key: column.type.length
        for column in row.__table__.columns
        if isinstance(column.type, String) and column.type.length
    }


LENGTHS = column_lengths(RecordRow)
"""The most characters each record column holds.  A longer value is refused
here, on every database alike (SQLite would keep it, PostgreSQL would fail
the whole transaction); the raw copy of an imported row keeps it in the
quarantine."""


def clean_text(value: Any) -> str | None:
    """NFC, no control or format characters, single spaces; empty becomes ``None``."""
    if value is None:
        return None
    return _clean(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=131_072)
def _clean(value: str) -> str | None:
    """``clean_text`` of a string: values repeat down a file (places, sexes,
    common names), so each distinct one is cleaned once."""
    text = unicodedata.normalize("NFC", value)
    if not text.isprintable():  # only then can it hold a control or format character
        text = "".join(_visible(ch) for ch in text)
    text = _SPACES.sub(" ", text).strip()
    return text or None


def _visible(ch: str) -> str:
    """Format characters (zero-width space, direction marks) go; other control
    characters (tab, line break, NUL) become a space."""
    category = unicodedata.category(ch)
    if category == "Cf":
        return ""
    return " " if category[0] == "C" else ch


def parse_sex(value: Any) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    code = _sex_code(text)
    if code is None:
        raise Invalid(f"sex: '{text}' is not one of m, f, u (or чол/жін, муж/жен)")
    return code


@lru_cache(maxsize=1024)
def _sex_code(text: str) -> str | None:
    """``m``, ``f``, ``u`` or None: a file says it with a handful of words."""
    sex = Sex.read(text)
    return None if sex is None else sex.value


def parse_partial_date(value: Any, field: str = "birth_date") -> str | None:
    """A partial ISO date (``2012``, ``2012-03``, ``2012-03-04``) from any format
    real files use (``04.03.2012``, Excel serials, month names...)."""
    if isinstance(value, str):
        value = clean_text(value)
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return _date_text(value, date.today().year)
        parsed = dates.parse_date(value)
    except ValueError as err:
        raise Invalid(f"{field}: {err}") from err
    return None if parsed is None else str(parsed)


@lru_cache(maxsize=65_536)
def _date_text(text: str, year: int) -> str | None:
    """``parse_date`` of a text in the year ``year`` (a two-digit year is read
    against it): the dates of a file repeat, each is read once."""
    parsed = dates.parse_date(text)
    return None if parsed is None else str(parsed)


def record_data(values: Mapping[str, Any]) -> RecordData:
    """Build a RecordData from field names to values, cleaning each one.

    Names get their look-alike letters repaired, and each repair is said in
    ``repairs``.  Unknown keys are ignored here (they stay in the raw copy).  A value that
    cannot be read raises ``Invalid`` naming the field.
    """
    data = RecordData()
    for name in RECORD_FIELD_NAMES:
        if name not in values:
            continue
        value = values[name]
        if name == "document_ids":
            items = value if isinstance(value, list | tuple) else str(value or "").split(";")
            data.document_ids = [t for t in (clean_text(i) for i in items) if t]
        elif name == "sex":
            data.sex = parse_sex(value)
        elif name in ("birth_date", "removal_date"):
            setattr(data, name, parse_partial_date(value, name))
        elif name in NAME_FIELDS:
            setattr(data, name, _clean_name(value, name, data.repairs))
        else:
            setattr(data, name, clean_text(value))
        _check_length(name, getattr(data, name), LENGTHS.get(name))
    return data


def _check_length(name: str, value: object, limit: int | None) -> None:
    if limit is not None and isinstance(value, str) and len(value) > limit:
        raise Invalid(f"{name} is {len(value):,} characters long (at most {limit:,})")


def fitting_text(row: type[Base], name: str, value: Any) -> str | None:
    """``clean_text(value)`` for the column ``name`` of the table ``row``, or
    ``Invalid`` naming it when it is longer than the column holds (refused
    alike on SQLite, which would keep it, and PostgreSQL, which would fail)."""
    text = clean_text(value)
    _check_length(name, text, column_lengths(row).get(name))
    return text


def _clean_name(value: Any, field: str, repairs: list[str]) -> str | None:
    """Clean text with look-alike letters repaired (``Bласюк`` -> ``Власюк``)."""
    text = clean_text(value)
    if text is None:
        return None
    fixed = repair_look_alikes(text)
    if fixed.repairs:
        repairs.extend(f"{field}: {r.describe()}" for r in fixed.repairs)
    return fixed.text


RAW_TYPES = (str, int, float, bool, type(None))
"""Values a raw copy keeps as they are; any other is kept as its text."""


def raw_copy(values: Mapping[str, Any]) -> dict[str, Any]:
    """The source's own keys and values, as received (text stays byte for byte)."""
    return {str(k): (v if isinstance(v, RAW_TYPES) else str(v))
            for k, v in values.items()}  # fmt: skip


def birth_year(partial: str | None) -> int | None:
    if partial and _PARTIAL_DATE.match(partial):
        return int(partial[:4])
    return None


SOURCE_ORDER: tuple[str, ...] = (
    "report", "public_report", "import_file", "investigation", "counterpart_list",
)  # fmt: skip
"""Whose word comes first when a case's records disagree: the registry's own
reports, then imported files, investigations, and the other side's lists last."""


def source_rank(kind: str) -> int:
    """A source kind's place in :data:`SOURCE_ORDER` (an unknown kind comes last)."""
    return SOURCE_ORDER.index(kind) if kind in SOURCE_ORDER else len(SOURCE_ORDER)


def first_value(records: Sequence[Any], name: str) -> Any:
    """The first non-empty value of a field among records already ordered."""
    return next((getattr(r, name) for r in records if getattr(r, name)), None)
