"""What one source says about a child: the fields of a record.

A record is kept twice: ``raw``, exactly as received (every key and value, in
the source's own words), and the normalised fields below, which Homeward
compares and shows.  Fields are never edited into each other across records.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

SENSITIVE_FIELDS = frozenset({"reporter_name", "reporter_contact", "notes"})
"""Fields analysts and partners never receive: the reporter's identity and notes."""


@dataclass(slots=True)
class RecordData:
    """The normalised content of one record.  Every field may be missing."""

    given_name: str | None = None
    family_name: str | None = None
    patronymic: str | None = None
    full_name: str | None = None
    """When the source did not separate the parts (either order)."""
    sex: str | None = None
    birth_date: str | None = None
    """A partial date: ``2012``, ``2012-03`` or ``2012-03-04``."""
    birth_place: str | None = None
    residence: str | None = None
    document_ids: list[str] = field(default_factory=list)
    mother_name: str | None = None
    father_name: str | None = None
    last_known_location: str | None = None
    removal_date: str | None = None
    removal_place: str | None = None
    removal_circumstances: str | None = None
    reporter_name: str | None = None
    reporter_contact: str | None = None
    notes: str | None = None
    repairs: list[str] = field(default_factory=list, metadata={"derived": True})
    """What Homeward changed while reading the values (look-alike letters
    repaired), said in words; the raw copy keeps what was received."""

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in _ALL_FIELD_NAMES}

    def display_name(self) -> str:
        parts = [self.family_name, self.given_name, self.patronymic]
        text = " ".join(p for p in parts if p)
        return text or self.full_name or ""


RECORD_FIELD_NAMES: tuple[str, ...] = tuple(
    f.name for f in fields(RecordData) if not f.metadata.get("derived")
)
"""The fields a source can send (``repairs`` is Homeward's own)."""
_ALL_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(RecordData))
