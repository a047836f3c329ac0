"""Exporting cases to CSV, XLSX and JSON with a chosen field profile.

One row per case.  A case's identity comes from its records: for each field,
the first value its records give, the registry's own reports first (then
imported files, investigations, counterpart lists), oldest first; ``sources``
says how many sources stand behind the case.

Profiles say which columns go out.  ``minimal`` and ``standard`` hold no
sensitive field; ``full`` adds the reporter, contacts and notes and is refused
to a role that may not read them.  A partner exports only its organisation's
cases.  Every export is written to the audit trail (who, what profile, how
many cases; not the data itself).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Invalid
from homeward.io.writers import FORMATS, write_table
from homeward.names.translit import transliterate
from homeward.services.records import first_value, source_rank
from homeward.storage.tables import ChildRow, RecordRow, RelativeRow, SourceRow
from homeward.storage.uow import UnitOfWork

BATCH = 500


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sensitive: bool = False


_IDENTITY = (
    "family_name", "given_name", "patronymic", "full_name", "sex", "birth_date", "birth_place",
    "residence", "last_known_location", "removal_date", "removal_place", "mother_name",
    "father_name",
)  # fmt: skip
_SENSITIVE_RECORD = ("removal_circumstances", "reporter_name", "reporter_contact", "notes")
COLUMNS: dict[str, Column] = {
    c.name: c
    for c in (
        Column("case_number"), Column("category"), Column("status"), Column("status_detail"),
        *(Column(name) for name in _IDENTITY),
        Column("latin_name"), Column("document_ids"), Column("legal_representative"),
        Column("legal_representative_relationship"), Column("records"), Column("sources"),
        Column("updated_at"),
        *(Column(name, sensitive=True) for name in _SENSITIVE_RECORD),
        Column("legal_representative_phone", sensitive=True),
        Column("legal_representative_email", sensitive=True),
    )
}  # fmt: skip
PROFILES: dict[str, tuple[str, ...]] = {
    "minimal": (
        "case_number", "family_name", "given_name", "patronymic", "sex", "birth_date", "status",
    ),
    "standard": (
        "case_number", "category", "status", "status_detail", "family_name", "given_name",
        "patronymic", "full_name", "latin_name", "sex", "birth_date", "birth_place",
        "residence", "last_known_location", "removal_date", "removal_place", "mother_name",
        "father_name", "document_ids", "legal_representative",
        "legal_representative_relationship", "records", "sources", "updated_at",
    ),
}  # fmt: skip
PROFILES["full"] = (*PROFILES["standard"], *(n for n, c in COLUMNS.items() if c.sensitive))


def choose_columns(
    uow: UnitOfWork, profile: str = "standard", fields: Sequence[str] | None = None
) -> list[str]:
    """The columns of an export: a profile's, or the fields named (checked)."""
    if fields:
        unknown = [f for f in fields if f not in COLUMNS]
        if unknown:
            raise Invalid(
                f"fields: no such column {', '.join(unknown)} (columns: {', '.join(COLUMNS)})"
            )
        chosen = list(dict.fromkeys(fields))
    elif profile in PROFILES:
        chosen = list(PROFILES[profile])
    else:
        raise Invalid(f"profile: one of {', '.join(PROFILES)}, not {profile!r}")
    sensitive = [c for c in chosen if COLUMNS[c].sensitive]
    if sensitive and not uow.actor.can(Permission.READ_SENSITIVE):
        raise Invalid(
            f"role '{uow.actor.role}' may not export {', '.join(sensitive)} "
            "(contacts, the reporter and notes are sensitive)"
        )
    return chosen


def _cases(
    uow: UnitOfWork,
    statuses: Sequence[str] | None,
    categories: Sequence[str] | None,
    case_numbers: Sequence[str] | None,
) -> list[ChildRow]:
    query = select(ChildRow).where(ChildRow.status != Status.MERGED.value).order_by(ChildRow.id)
    if statuses:
        query = query.where(ChildRow.status.in_(statuses))
    if categories:
        query = query.where(ChildRow.category.in_(categories))
    if case_numbers:
        query = query.where(ChildRow.case_number.in_(case_numbers))
    if uow.actor.organisation_scoped:
        query = query.where(ChildRow.organisation_id == uow.actor.organisation_id)
    return list(uow.session.scalars(query))


def case_rows(
    uow: UnitOfWork, cases: Sequence[ChildRow], columns: Sequence[str]
) -> Iterator[list[Any]]:
    """One row per case, in ``columns`` order, read in batches."""
    for start in range(0, len(cases), BATCH):
        chunk = cases[start : start + BATCH]
        ids = [c.id for c in chunk]
        records: dict[int, list[tuple[RecordRow, str]]] = {}
        for record, kind in uow.session.execute(
            select(RecordRow, SourceRow.kind)
            .join(SourceRow, RecordRow.source_id == SourceRow.id)
            .where(RecordRow.child_id.in_(ids))
        ):
            assert record.child_id is not None
            records.setdefault(record.child_id, []).append((record, kind))
        representatives: dict[int, RelativeRow] = {}
        for relative in uow.session.scalars(
            select(RelativeRow)
            .where(RelativeRow.child_id.in_(ids))
            .where(RelativeRow.is_legal_representative.is_(True))
            .order_by(RelativeRow.requested_return.desc(), RelativeRow.id)
        ):
            representatives.setdefault(relative.child_id, relative)
        for case in chunk:
            mine = sorted(records.get(case.id, []), key=lambda rk: (source_rank(rk[1]), rk[0].id))
            values = _case_values(case, [r for r, _ in mine], representatives.get(case.id))
            yield [values.get(c) for c in columns]


def _case_values(
    case: ChildRow, records: list[RecordRow], representative: RelativeRow | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "case_number": case.case_number,
        "category": case.category,
        "status": case.status,
        "status_detail": case.status_detail,
        "records": len(records),
        "sources": len({r.source_id for r in records}),
        "updated_at": case.updated_at.isoformat(timespec="seconds"),
    }
    for name in (*_IDENTITY, *_SENSITIVE_RECORD):
        values[name] = first_value(records, name)
    documents = dict.fromkeys(d for r in records for d in r.document_ids)
    values["document_ids"] = "; ".join(documents) or None
    name = " ".join(p for p in (values["family_name"], values["given_name"]) if p)
    values["latin_name"] = transliterate(name or values["full_name"] or "").title() or None
    if representative is not None:
        values["legal_representative"] = representative.full_name
        values["legal_representative_relationship"] = representative.relationship_
        values["legal_representative_phone"] = representative.phone
        values["legal_representative_email"] = representative.email
    return values


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    columns: list[str]
    cases: int


def export_cases(
    uow: UnitOfWork,
    path: str | Path,
    *,
    format: str = "csv",
    profile: str = "standard",
    fields: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    case_numbers: Sequence[str] | None = None,
) -> ExportResult:
    """Write the chosen cases to ``path`` in ``format`` (csv, xlsx or json)."""
    uow.actor.require(Permission.READ_CASES)
    if format not in FORMATS:
        raise Invalid(f"format: one of {', '.join(FORMATS)}, not {format!r}")
    columns = choose_columns(uow, profile, fields)
    cases = _cases(uow, statuses, categories, case_numbers)
    count = write_table(Path(path), format, columns, case_rows(uow, cases, columns))
    uow.note(
        "cases.export", "children", None, format=format, profile=None if fields else profile,
        columns=columns, cases=count,
    )  # fmt: skip
    return ExportResult(Path(path), format, columns, count)
