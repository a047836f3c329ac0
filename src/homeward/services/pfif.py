"""Cases as PFIF 1.4 persons, and PFIF persons as records (docs/exchange.md).

Export: one ``pfif:person`` per case, its identity taken from the case's
records, with one ``pfif:note`` per status change, per event and per reported
last known location.  The reporter's identity and contacts, investigation
notes, the reasons given for status moves, event notes and relatives are left
out unless the export asks for them and the actor may read sensitive data.
A partner exports only its organisation's cases.  Every export is noted in the
audit trail with its counts and the document's SHA-256, never its content.

Import: a PFIF 1.4 file becomes a Source (with the file's SHA-256: the same
file again adds nothing) and each person one record of it, its raw copy the
person's PFIF fields exactly as received, its notes flattened into the raw copy
(``note 1/status``) and summarised in the record's notes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import selectinload

from homeward.domain.model import Category, EventKind, SourceKind
from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Forbidden, Invalid
from homeward.io.pfif import DOMAIN, NOTE_FIELDS, PERSON_FIELDS, PfifPerson, read_pfif, write_pfif
from homeward.names.normalize import letter_script
from homeward.names.places import PlaceResolution, get_entry, resolve_place
from homeward.names.translit import detect_language, to_latin
from homeward.services.access import check_case_access
from homeward.services.cases import create_source, register_record
from homeward.services.records import first_value, record_data
from homeward.storage.tables import ChildRow, EventRow, RecordRow, RelativeRow, StatusChangeRow
from homeward.storage.uow import UnitOfWork

DEFAULT_DOMAIN = "homeward"
"""The record-id domain: a person is ``homeward/HW-2026-000123``.  Case numbers
already carry the registry's prefix; give your own domain (``domain=``,
``--domain``) when another repository must tell your records from others'."""
AUTHORITY = "Homeward"
"""The author and source named in exported records (never a person's name)."""

_PFIF_SEX = {"m": "male", "f": "female"}
_SEX_FROM_PFIF = {"male": "m", "female": "f", "other": "u"}

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


# --- which record speaks first --------------------------------------------------------------


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


# --- export -----------------------------------------------------------------------------------


@dataclass
class PfifExport:
    document: bytes
    cases: int
    notes: int
    sensitive: bool
    sha256: str

    def describe(self) -> str:
        return (
            f"{self.cases:,} cases, {self.notes:,} notes"
            + (", with sensitive fields" if self.sensitive else "")
            + f"; SHA-256 {self.sha256}"
        )


def export_pfif(
    uow: UnitOfWork,
    *,
    case_numbers: Sequence[str] | None = None,
    include_sensitive: bool = False,
    domain: str = DEFAULT_DOMAIN,
) -> PfifExport:
    """A PFIF 1.4 document of the chosen cases (all the actor may read when none
    are named; merged duplicates are left out, their number leads to the case
    they were merged into).  The export is noted in the audit trail."""
    actor = uow.actor
    actor.require(Permission.READ_CASES)
    if include_sensitive and not actor.can(Permission.READ_SENSITIVE):
        raise Forbidden(f"role '{actor.role}' may not read sensitive fields; export without them")
    if not DOMAIN.match(domain):
        raise Invalid(f"domain: '{domain}' is not a domain name (like registry.example)")
    children = _chosen_cases(uow, case_numbers)
    persons: list[PfifPerson] = []
    for start in range(0, len(children), _CHUNK):
        chunk = children[start : start + _CHUNK]
        related = _Related.load(uow, [c.id for c in chunk], include_sensitive)
        persons += [_person(related, child, include_sensitive, domain) for child in chunk]
    document = write_pfif(persons)
    result = PfifExport(
        document=document,
        cases=len(persons),
        notes=sum(len(p.notes) for p in persons),
        sensitive=include_sensitive,
        sha256=hashlib.sha256(document).hexdigest(),
    )
    uow.note(
        "cases.export_pfif",
        "children",
        None,
        format="PFIF 1.4",
        cases=result.cases,
        notes=result.notes,
        sensitive=include_sensitive,
        chosen=case_numbers is not None,
        sha256=result.sha256,
    )
    return result


def _chosen_cases(uow: UnitOfWork, case_numbers: Sequence[str] | None) -> list[ChildRow]:
    actor = uow.actor
    if case_numbers is not None:
        chosen: dict[int, ChildRow] = {}
        for number in case_numbers:
            child = uow.repos.children.by_case_number(number.strip())
            check_case_access(actor, child)
            chosen.setdefault(child.id, child)
        return list(chosen.values())
    query = select(ChildRow).where(ChildRow.status != Status.MERGED.value).order_by(ChildRow.id)
    if actor.organisation_scoped:
        query = query.where(ChildRow.organisation_id == actor.organisation_id)
    return list(uow.session.scalars(query))


_CHUNK = 500
"""Cases whose records, changes, events and relatives are read in one go."""


@dataclass
class _Related:
    """The rows of a chunk of cases, by case: a few queries instead of a few per case."""

    records: dict[int, list[RecordRow]] = field(default_factory=dict)
    changes: dict[int, list[StatusChangeRow]] = field(default_factory=dict)
    events: dict[int, list[EventRow]] = field(default_factory=dict)
    relatives: dict[int, list[RelativeRow]] = field(default_factory=dict)

    @classmethod
    def load(cls, uow: UnitOfWork, child_ids: list[int], sensitive: bool) -> _Related:
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


def _person(related: _Related, child: ChildRow, sensitive: bool, domain: str) -> PfifPerson:
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
    related: _Related,
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


# --- import -----------------------------------------------------------------------------------


@dataclass
class PfifImport:
    source_id: int
    file_name: str
    persons: int = 0
    notes: int = 0
    already_imported: bool = False
    record_ids: list[int] = field(default_factory=list)

    def describe(self) -> str:
        if self.already_imported:
            return f"{self.file_name} was imported before (source {self.source_id}): nothing added"
        return (
            f"{self.file_name}: {self.persons:,} persons became records of source "
            f"{self.source_id}, with {self.notes:,} notes"
        )


def import_pfif(
    uow: UnitOfWork,
    data: bytes,
    *,
    file_name: str,
    organisation_id: int | None = None,
) -> PfifImport:
    """Import a PFIF 1.4 document in one transaction (the caller commits): a new
    Source, one record per person.  A file imported before adds nothing."""
    actor = uow.actor
    actor.require(Permission.IMPORT_FILES)
    digest = hashlib.sha256(data).hexdigest()
    existing = uow.repos.sources.by_sha256(digest)
    if existing is not None:
        return PfifImport(existing.id, file_name, already_imported=True)
    persons = read_pfif(data, file_name)
    if not persons:
        raise Invalid(f"{file_name}: the file holds no person")
    prepared = [
        _record_values(person, number, file_name) for number, person in enumerate(persons, 1)
    ]
    if actor.organisation_scoped:
        organisation_id = actor.organisation_id
    names = {p.fields.get("source_name", "").strip() for p in persons}
    origin = names.pop() if len(names) == 1 and "" not in names else file_name
    source = create_source(
        uow,
        kind=SourceKind.IMPORT_FILE,
        title=f"PFIF from {origin}"[:300],
        organisation_id=organisation_id,
        file_name=file_name[:500],
        file_sha256=digest,
        note=f"PFIF 1.4, {len(persons)} persons",
    )
    result = PfifImport(source.id, file_name, persons=len(persons))
    for number, (person, (raw, values)) in enumerate(zip(persons, prepared, strict=True), 1):
        record = register_record(
            uow,
            source_id=source.id,
            data=record_data(values),
            raw=raw,
            source_row=number,
            external_id=person.record_id or None,
        )
        result.record_ids.append(record.id)
        result.notes += len(person.notes)
    return result


def import_pfif_file(
    uow: UnitOfWork, path: str | Path, *, organisation_id: int | None = None
) -> PfifImport:
    path = Path(path)
    return import_pfif(uow, path.read_bytes(), file_name=path.name, organisation_id=organisation_id)


def _record_values(
    person: PfifPerson, number: int, file_name: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The raw copy (every field exactly as received, notes flattened as
    ``note 1/text``) and the values by record field of one person."""
    where = f"{file_name}, person {number} ({person.record_id or 'no id'})"
    fields = person.fields
    raw: dict[str, Any] = dict(fields)
    for index, note in enumerate(person.notes, 1):
        for key, value in note.items():
            raw[f"note {index}/{key}"] = value
    given = fields.get("given_name", "").strip()
    family = fields.get("family_name", "").strip()
    full = fields.get("full_name", "").strip()
    if not (given or family or full):
        raise Invalid(f"{where}: no full_name, given_name or family_name")
    values: dict[str, Any] = {"given_name": given or None, "family_name": family or None}
    if given or family:
        values["patronymic"] = _patronymic(full, given, family)
    else:
        values["full_name"] = full
    sex = fields.get("sex", "").strip()
    if sex:
        if sex not in _SEX_FROM_PFIF:
            raise Invalid(f"{where}: sex '{sex}' is not female, male or other")
        values["sex"] = _SEX_FROM_PFIF[sex]
    values["birth_date"] = fields.get("date_of_birth", "").strip() or None
    values["residence"] = _residence(fields)
    values["reporter_name"] = fields.get("author_name")
    contacts = [fields.get("author_email"), fields.get("author_phone")]
    values["reporter_contact"] = "; ".join(c.strip() for c in contacts if c and c.strip()) or None
    located = [n["last_known_location"] for n in person.notes if n.get("last_known_location")]
    values["last_known_location"] = located[-1] if located else None
    values["notes"] = _notes_text(fields.get("description"), person.notes)
    try:
        data = record_data(values)
    except Invalid as err:
        raise Invalid(f"{where}: {err}") from err
    for key, cleaned in data.as_dict().items():
        limit = _LENGTHS.get(key)
        if isinstance(cleaned, str) and limit is not None and len(cleaned) > limit:
            raise Invalid(f"{where}: {key} is {len(cleaned):,} characters long (at most {limit:,})")
    if len(person.record_id) > _LENGTHS["external_id"]:
        raise Invalid(f"{where}: person_record_id is longer than {_LENGTHS['external_id']}")
    return raw, values


_LENGTHS = {
    column.key: column.type.length
    for column in RecordRow.__table__.columns
    if isinstance(column.type, String) and column.type.length
}
"""The longest value each record column holds."""


def _patronymic(full: str, given: str, family: str) -> str | None:
    """The one word of the full name that is neither the given nor the family
    name (Ukrainian and Russian full names carry the patronymic)."""
    known = {w.casefold() for w in f"{given} {family}".split()}
    rest = [w for w in full.split() if w.casefold() not in known]
    return rest[0] if len(rest) == 1 and known and len(full.split()) == len(known) + 1 else None


def _residence(fields: dict[str, str]) -> str | None:
    parts = [fields.get(n, "").strip() for n in ("home_street", "home_neighborhood", "home_city")]
    state = fields.get("home_state", "").strip()
    country = fields.get("home_country", "").strip()
    if state:
        parts.append(_region_name(state, country))
    parts += [fields.get("home_postal_code", "").strip(), country]
    return ", ".join(p for p in parts if p) or None


def _region_name(state: str, country: str) -> str:
    """The name of a region given by its ISO 3166-2 code (``14`` with country
    ``UA``, or ``UA-14``), else the value as received."""
    for code in (f"{country}-{state}", state):
        try:
            return get_entry(code).uk
        except KeyError:
            continue
    return state


def _notes_text(description: str | None, notes: Sequence[dict[str, str]]) -> str | None:
    lines = [f"Description: {description.strip()}"] if description and description.strip() else []
    for note in notes:
        head = ", ".join(
            v for v in (note.get("source_date"), note.get("status"), note.get("author_name")) if v
        )
        text = (note.get("text") or "").strip()
        where = note.get("last_known_location")
        line = f"Note {note.get('note_record_id', '')} ({head}): {text}"
        lines.append(line + (f" Last known location: {where}." if where else ""))
    return "\n".join(lines) or None


__all__ = [
    "DEFAULT_DOMAIN",
    "NOTE_FIELDS",
    "PERSON_FIELDS",
    "PfifExport",
    "PfifImport",
    "export_pfif",
    "import_pfif",
    "import_pfif_file",
    "ordered_records",
    "pfif_time",
]
