"""Importing a PFIF 1.4 document: a Source, and one record per person."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import String

from homeward.domain.model import SourceKind
from homeward.domain.roles import Permission
from homeward.errors import Invalid
from homeward.io.pfif import PfifPerson, read_pfif
from homeward.names.places import get_entry
from homeward.services.cases import create_source, register_record
from homeward.services.records import record_data
from homeward.storage.tables import RecordRow
from homeward.storage.uow import UnitOfWork

_SEX_FROM_PFIF = {"male": "m", "female": "f", "other": "u"}


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
