"""A case as one PFIF person with its notes: identity from the case's
records, one note per status change, per event and per last known
location, sensitive fields only when asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from homeward.domain.model import Category, EventKind
from homeward.domain.status import Status
from homeward.io.pfif import PfifPerson
from homeward.names.normalize import letter_script
from homeward.names.translit import to_latin
from homeward.services.pfif.identity import ordered_records, place_of_origin, record_spelling
from homeward.services.records import first_value
from homeward.storage.tables import ChildRow, EventRow, RecordRow, RelativeRow, StatusChangeRow
from homeward.storage.uow import UnitOfWork

AUTHORITY = "Homeward"
"""The author and source named in exported records (never a person's name)."""

_PFIF_SEX = {"m": "male", "f": "female"}

_CATEGORY_WORDS = {
    Category.DEPORTED: "deported (taken to Russia or Belarus)",
    Category.FORCIBLY_TRANSFERRED: "forcibly transferred within the occupied territory",
    Category.DETAINED: "detained",
    Category.MISSING: "missing",
    Category.AT_RISK: "at risk in the occupied territory",
}
_LOCATED_WORDS = {
    "occupied_territory": "the occupied territory of Ukraine",
    "russia": "Russia",
    "belarus": "Belarus",
    "third_country": "a third country",
}

# PFIF note status of each case status (docs/exchange.md says why).  Statuses
# not here give a note without a status.
_NOTE_STATUS = {
    Status.REPORTED: "information_sought",
    Status.UNDER_VERIFICATION: "information_sought",
    Status.VERIFIED: "information_sought",
    Status.LOCATED: "believed_alive",
    Status.WHEREABOUTS_UNKNOWN: "believed_missing",
    Status.RETURN_IN_PROGRESS: "believed_alive",
    Status.RETURNED: "believed_alive",
    Status.REINTEGRATION: "believed_alive",
}
_CLOSED_STATUS = {"reunited": "believed_alive", "deceased": "believed_dead"}
_MET_THE_CHILD = frozenset({Status.RETURNED, Status.REINTEGRATION})
"""Statuses that mean Homeward's people have met the child (author_made_contact)."""

_EVENT_STATUS = {
    EventKind.REMOVAL: "believed_missing",
    EventKind.SIGHTING: "believed_alive",
    EventKind.TRANSFER: "believed_alive",
    EventKind.ADOPTION: "believed_alive",
    EventKind.GUARDIANSHIP: "believed_alive",
    EventKind.CITIZENSHIP_CHANGE: "believed_alive",
    EventKind.RETURN: "believed_alive",
    EventKind.REUNIFICATION: "believed_alive",
    EventKind.DEATH: "believed_dead",
}
_EVENT_AT_PLACE = frozenset(
    {
        EventKind.SIGHTING,
        EventKind.TRANSFER,
        EventKind.ADOPTION,
        EventKind.GUARDIANSHIP,
        EventKind.CITIZENSHIP_CHANGE,
    }
)
"""Events whose place is where the child was last known to be."""


def pfif_time(moment: datetime) -> str:
    """``2026-03-04T10:20:30Z``: PFIF's UTC timestamp."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Related:
    """The rows of a chunk of cases, by case: a few queries instead of a few per case."""

    records: dict[int, list[RecordRow]] = field(default_factory=dict)
    changes: dict[int, list[StatusChangeRow]] = field(default_factory=dict)
    events: dict[int, list[EventRow]] = field(default_factory=dict)
    relatives: dict[int, list[RelativeRow]] = field(default_factory=dict)

    @classmethod
    def load(cls, uow: UnitOfWork, child_ids: list[int], sensitive: bool) -> Related:
        session = uow.session
        related = cls()
        query = (
            select(RecordRow)
            .where(RecordRow.child_id.in_(child_ids))
            .options(selectinload(RecordRow.source))
            .order_by(RecordRow.id)
        )
        for record in session.scalars(query):
            related.records.setdefault(record.child_id or 0, []).append(record)
        changes = select(StatusChangeRow).where(StatusChangeRow.child_id.in_(child_ids))
        for change in session.scalars(changes.order_by(StatusChangeRow.id)):
            related.changes.setdefault(change.child_id, []).append(change)
        events = select(EventRow).where(EventRow.child_id.in_(child_ids))
        for event in session.scalars(events.order_by(EventRow.id)):
            related.events.setdefault(event.child_id, []).append(event)
        if sensitive:
            relatives = select(RelativeRow).where(RelativeRow.child_id.in_(child_ids))
            for relative in session.scalars(relatives.order_by(RelativeRow.id)):
                related.relatives.setdefault(relative.child_id, []).append(relative)
        return related


def person_of(related: Related, child: ChildRow, sensitive: bool, domain: str) -> PfifPerson:
    records = ordered_records(related.records.get(child.id, []))
    person_id = f"{domain}/{child.case_number}"
    given = first_value(records, "given_name")
    family = first_value(records, "family_name")
    patronymic = first_value(records, "patronymic")
    full = " ".join(p for p in (family, given, patronymic) if p) or first_value(
        records, "full_name"
    )
    if not full:
        full = child.case_number  # PFIF needs a name; a case may have none yet
    fields: dict[str, str | None] = {
        "person_record_id": person_id,
        "entry_date": pfif_time(child.updated_at),
        "author_name": AUTHORITY,
        "source_name": AUTHORITY,
        "source_date": pfif_time(child.created_at),
        "full_name": full,
        "given_name": given,
        "family_name": family,
        "alternate_names": _alternate_names(records, full),
        "description": _description(child, records),
        "sex": _PFIF_SEX.get(first_value(records, "sex") or ""),
        "date_of_birth": first_value(records, "birth_date"),
    }
    fields.update(_home(records))
    if sensitive:
        reporter = first_value(records, "reporter_name")
        contact = first_value(records, "reporter_contact")
        if reporter:
            fields["author_name"] = reporter
        if contact:
            fields["author_email" if "@" in contact else "author_phone"] = contact
    person = PfifPerson({k: v for k, v in fields.items() if v})
    person.notes = _notes(related, child, records, sensitive, person_id)
    return person


def _alternate_names(records: Sequence[RecordRow], full: str) -> str | None:
    """Every other spelling the records give (Russian, Latin...), one per line,
    and the Latin spelling of the name shown, for readers of Latin letters."""
    names: list[str] = []
    for spelling in [record_spelling(r) for r in records] + [_latin(full)]:
        if spelling and spelling != full and spelling not in names:
            names.append(spelling)
    return "\n".join(names) or None


def _latin(name: str) -> str:
    if letter_script(name) != "cyrillic":
        return ""
    return " ".join(w.capitalize() for w in to_latin(name).split())


def _description(child: ChildRow, records: Sequence[RecordRow]) -> str:
    category = _CATEGORY_WORDS.get(Category(child.category), child.category)
    status = child.status.replace("_", " ")
    if child.status_detail:
        status += f" ({child.status_detail.replace('_', ' ')})"
    text = f"Case {child.case_number}. Category: {category}. Status: {status}."
    removal_date = first_value(records, "removal_date")
    removal_place = first_value(records, "removal_place")
    if removal_date or removal_place:
        text += " Removed" + (f" on {removal_date}" if removal_date else "")
        text += (f" from {removal_place}" if removal_place else "") + "."
    return text


def _home(records: Sequence[RecordRow]) -> dict[str, str | None]:
    """Home city, oblast (ISO 3166-2) and country: the place of origin, when the
    gazetteer knows it.  Free text the gazetteer does not know is not exported:
    it may hold a street address."""
    place = place_of_origin(records)
    if place is None or place.region is None:
        return {}
    match = place.match
    city = match.name if match is not None and match.entry_id != place.region else None
    country, _, subdivision = place.region.partition("-")
    return {"home_city": city, "home_state": subdivision, "home_country": country}


def _notes(
    related: Related,
    child: ChildRow,
    records: Sequence[RecordRow],
    sensitive: bool,
    person_id: str,
) -> list[dict[str, str]]:
    notes: list[dict[str, str]] = []
    for change in related.changes.get(child.id, []):
        notes.append(_status_note(change, sensitive, person_id))
    for event in related.events.get(child.id, []):
        notes.append(_event_note(event, sensitive, person_id))
    seen: set[str] = set()
    for record in records:
        place = record.last_known_location
        if place and place not in seen:
            seen.add(place)
            notes.append(
                _note(
                    f"{person_id}/record-{record.id}-location",
                    record.created_at,
                    "Last known location, as a source reported it.",
                    last_known_location=place,
                )
            )
        if sensitive and record.notes:
            notes.append(
                _note(
                    f"{person_id}/record-{record.id}-notes",
                    record.created_at,
                    f"Notes of record {record.id} ({record.source.title}): {record.notes}",
                )
            )
    if sensitive:
        for relative in related.relatives.get(child.id, []):
            contacts = "; ".join(
                f"{label}: {value}"
                for label, value in (
                    ("phone", relative.phone),
                    ("email", relative.email),
                    ("address", relative.address),
                )
                if value
            )
            role = relative.relationship_ + (
                ", legal representative" if relative.is_legal_representative else ""
            )
            notes.append(
                _note(
                    f"{person_id}/relative-{relative.id}",
                    relative.created_at,
                    f"Relative: {relative.full_name} ({role})"
                    + (f"; {contacts}" if contacts else ""),
                )
            )
    return notes


def _note(note_id: str, moment: datetime, text: str, **values: str | None) -> dict[str, str]:
    note: dict[str, str | None] = {
        "note_record_id": note_id,
        # A note's id is always its person's id and one more part.
        "person_record_id": note_id.rsplit("/", 1)[0],
        "entry_date": pfif_time(moment),
        "author_name": AUTHORITY,
        "source_date": pfif_time(moment),
        "text": text,
        **values,
    }
    return {k: v for k, v in note.items() if v}


def _status_note(change: StatusChangeRow, sensitive: bool, person_id: str) -> dict[str, str]:
    status = Status(change.to_status)
    words = change.to_status.replace("_", " ")
    if change.to_detail:
        words += f" ({change.to_detail.replace('_', ' ')})"
    text = f"Status: {words}."
    if sensitive and change.reason:
        text += f" Reason: {change.reason}"
    pfif_status = _NOTE_STATUS.get(status)
    if status == Status.CLOSED:
        pfif_status = _CLOSED_STATUS.get(change.to_detail or "")
    met = status in _MET_THE_CHILD or change.to_detail == "reunited"
    location = _LOCATED_WORDS.get(change.to_detail or "") if status == Status.LOCATED else None
    return _note(
        f"{person_id}/status-{change.id}",
        change.at,
        text,
        author_made_contact="true" if met else None,
        status=pfif_status,
        last_known_location=location,
    )


def _event_note(event: EventRow, sensitive: bool, person_id: str) -> dict[str, str]:
    kind = EventKind(event.kind)
    text = "Event: " + event.kind.replace("_", " ")
    if event.date:
        text += f", {event.date}"
    if event.place:
        text += f", {event.place}"
    text += "."
    if sensitive and event.note:
        text += f" Note: {event.note}"
    return _note(
        f"{person_id}/event-{event.id}",
        event.created_at,
        text,
        author_made_contact="true" if kind in (EventKind.RETURN, EventKind.REUNIFICATION) else None,
        status=_EVENT_STATUS.get(kind),
        last_known_location=event.place if kind in _EVENT_AT_PLACE else None,
    )
