"""Which record speaks for a case: Ukrainian reports first, their spellings,
and where the child comes from."""

from __future__ import annotations

from collections.abc import Sequence

from homeward.domain.model import SourceKind
from homeward.names.normalize import letter_script
from homeward.names.places import PlaceResolution, resolve_place
from homeward.names.translit import detect_language
from homeward.storage.tables import RecordRow


def _language_rank(record: RecordRow) -> int:
    """0 for names in Ukrainian Cyrillic, 1 in Latin letters, 2 in Russian."""
    text = " ".join(
        v for v in (record.family_name, record.given_name, record.patronymic, record.full_name) if v
    )
    if letter_script(text) == "latin":
        return 1
    return 2 if detect_language(text) == "ru" else 0


def ordered_records(records: Sequence[RecordRow]) -> list[RecordRow]:
    """Ukrainian reports first: records of the registry's own sources before the
    other side's lists, Ukrainian spellings before Latin and Russian ones, then
    the oldest first."""
    return sorted(
        records,
        key=lambda r: (
            r.source.kind == SourceKind.COUNTERPART_LIST.value,
            _language_rank(r),
            r.id,
        ),
    )


def record_spelling(record: RecordRow) -> str:
    parts = [record.family_name, record.given_name, record.patronymic]
    return " ".join(p for p in parts if p) or record.full_name or ""


def place_of_origin(records: Sequence[RecordRow]) -> PlaceResolution | None:
    """Where the child comes from: the first place in Ukraine the gazetteer finds
    in the records' residences, else in their birth places (records in the
    order of :func:`ordered_records`).  A residence outside Ukraine is where
    the child is now (an adoptive family, an institution), not where from, so
    it never counts; ``None`` when no record places the child in Ukraine."""
    for name in ("residence", "birth_place"):
        for record in records:
            place = resolve_place(getattr(record, name))
            if place.region is not None and place.region.startswith("UA-"):
                return place
    return None
