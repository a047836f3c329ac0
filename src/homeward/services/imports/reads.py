"""Reading imports back: the imports, their sources, and their records with
the case each is in or may be."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from homeward.domain.record import RecordData
from homeward.domain.roles import Permission
from homeward.errors import NotFound
from homeward.linkage.model import MatchModel
from homeward.linkage.search import record_values, search
from homeward.services import review
from homeward.storage.tables import ChildRow, ImportRow, MatchCandidateRow, RecordRow, SourceRow
from homeward.storage.uow import UnitOfWork


def list_imports(uow: UnitOfWork, *, limit: int = 50, offset: int = 0) -> list[ImportRow]:
    """Imports, newest first."""
    uow.actor.require(Permission.IMPORT_FILES)
    return list(
        uow.session.scalars(
            select(ImportRow).order_by(ImportRow.id.desc()).limit(limit).offset(offset)
        )
    )


def count_imports(uow: UnitOfWork) -> int:
    """How many imports there are (started, cut short or complete)."""
    uow.actor.require(Permission.IMPORT_FILES)
    return int(uow.session.scalar(select(func.count()).select_from(ImportRow)) or 0)


def get_import(uow: UnitOfWork, import_id: int) -> ImportRow:
    """One import, or ``NotFound``."""
    uow.actor.require(Permission.IMPORT_FILES)
    row = uow.session.get(ImportRow, import_id)
    if row is None:
        raise NotFound(f"no import {import_id}")
    return row


def sources_of(uow: UnitOfWork, rows: Sequence[ImportRow]) -> dict[int, SourceRow]:
    """The source each import wrote its records to, by source id."""
    uow.actor.require(Permission.IMPORT_FILES)
    wanted = {row.source_id for row in rows}
    if not wanted:
        return {}
    found = uow.session.scalars(select(SourceRow).where(SourceRow.id.in_(wanted)))
    return {source.id: source for source in found}


def import_of_file(uow: UnitOfWork, sha256: str) -> ImportRow | None:
    """The import of the file with this SHA-256, if it was imported (or started) before."""
    uow.actor.require(Permission.IMPORT_FILES)
    return uow.session.scalar(select(ImportRow).where(ImportRow.file_sha256 == sha256))


@dataclass(frozen=True)
class Entry:
    """One imported row as a record, with its case or its best candidates."""

    record_id: int
    source_row: int | None
    name: str
    birth_date: str | None
    case_number: str | None
    candidates: list[tuple[str, float, str]]
    """``(case number, match probability, status)``: waiting proposals, or the
    best candidates of a search when nothing waits."""


def entries(
    uow: UnitOfWork, import_id: int, *, limit: int = 200, model: MatchModel | None = None
) -> list[Entry]:
    """The records of an import (a counterpart's list, say), each with the case it
    is in, or the cases it may be: the proposals waiting for review, else the
    best candidates a search finds."""
    imported = get_import(uow, import_id)
    records = list(
        uow.session.scalars(
            select(RecordRow)
            .where(RecordRow.source_id == imported.source_id)
            .order_by(RecordRow.source_row)
            .limit(limit)
        )
    )
    wanted = {r.child_id for r in records if r.child_id}
    wanted |= set(
        uow.session.scalars(
            select(MatchCandidateRow.child_id).where(
                MatchCandidateRow.record_id.in_([r.id for r in records])
            )
        )
    )
    numbers = {
        child_id: number
        for child_id, number in uow.session.execute(
            select(ChildRow.id, ChildRow.case_number).where(ChildRow.id.in_(wanted))
        )
    }
    out = []
    for record in records:
        candidates: list[tuple[str, float, str]] = []
        if record.child_id is None:
            waiting = uow.session.scalars(
                select(MatchCandidateRow)
                .where(MatchCandidateRow.record_id == record.id)
                .where(MatchCandidateRow.status.in_([s.value for s in review.OPEN]))
                .order_by(MatchCandidateRow.probability.desc())
            )
            candidates = [(numbers[m.child_id], m.probability, m.status) for m in waiting]
            if not candidates:
                found = search(uow, record_values(record), model=model, limit=3)
                candidates = [
                    (c.case_number, c.probability, "candidate")
                    for c in found
                    if c.case_number and c.record_id != record.id
                ]
        data = RecordData(
            **{
                k: getattr(record, k)
                for k in ("given_name", "family_name", "patronymic", "full_name")
            }
        )
        out.append(
            Entry(
                record.id, record.source_row, data.display_name(), record.birth_date,
                numbers.get(record.child_id) if record.child_id else None, candidates,
            )
        )  # fmt: skip
    return out
