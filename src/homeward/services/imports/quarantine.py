"""The quarantine: rows that could not be read, corrected into records or
discarded, each with the reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from homeward.domain.roles import Permission
from homeward.errors import Conflict, Invalid, NotFound
from homeward.io.headers import EXTERNAL_ID
from homeward.linkage.model import MatchModel
from homeward.linkage.search import index_record
from homeward.services import review
from homeward.services.cases import _require_reason
from homeward.services.imports.reading import check_row
from homeward.services.imports.reads import get_import
from homeward.services.records import birth_year, raw_copy
from homeward.storage.tables import ImportRow, QuarantineRow, RecordRow, utcnow
from homeward.storage.uow import UnitOfWork

QUARANTINE_STATUSES = ("open", "corrected", "discarded")


def quarantined(
    uow: UnitOfWork,
    *,
    import_id: int | None = None,
    status: str = "open",
    limit: int = 100,
    offset: int = 0,
) -> list[QuarantineRow]:
    """Quarantined rows in this status (of one import, or all), in file order;
    ``NotFound`` for an import that does not exist."""
    uow.actor.require(Permission.IMPORT_FILES)
    if status not in QUARANTINE_STATUSES:
        raise Invalid(f"status: one of {', '.join(QUARANTINE_STATUSES)}, not '{status}'")
    query = select(QuarantineRow).where(QuarantineRow.status == status)
    if import_id is not None:
        get_import(uow, import_id)
        query = query.where(QuarantineRow.import_id == import_id)
    return list(
        uow.session.scalars(
            query.order_by(QuarantineRow.import_id, QuarantineRow.source_row)
            .limit(limit)
            .offset(offset)
        )
    )


def quarantine_counts(uow: UnitOfWork, import_id: int) -> dict[str, int]:
    """How many rows of the import are in each quarantine status (every status named)."""
    get_import(uow, import_id)
    found = uow.session.execute(
        select(QuarantineRow.status, func.count())
        .where(QuarantineRow.import_id == import_id)
        .group_by(QuarantineRow.status)
    )
    counts = dict.fromkeys(QUARANTINE_STATUSES, 0)
    counts.update({status: int(n) for status, n in found})
    return counts


def get_quarantined(uow: UnitOfWork, import_id: int, quarantine_id: int) -> QuarantineRow:
    """One quarantined row of this import (whatever its status), or ``NotFound``."""
    uow.actor.require(Permission.IMPORT_FILES)
    row = uow.session.get(QuarantineRow, quarantine_id)
    if row is None or row.import_id != import_id:
        raise NotFound(f"no quarantined row {quarantine_id} in import {import_id}")
    return row


def _open_quarantined(uow: UnitOfWork, quarantine_id: int) -> QuarantineRow:
    """A quarantined row still waiting for a correction or a discard."""
    uow.actor.require(Permission.IMPORT_FILES)
    row = uow.session.get(QuarantineRow, quarantine_id)
    if row is None:
        raise NotFound(f"no quarantined row {quarantine_id}")
    if row.status != "open":
        raise Conflict(f"quarantined row {quarantine_id} was already {row.status}")
    return row


def correct(
    uow: UnitOfWork,
    quarantine_id: int,
    changes: Mapping[str, Any],
    *,
    reason: str,
    match: bool = True,
    model: MatchModel | None = None,
    thresholds: review.Thresholds | None = None,
) -> RecordRow:
    """Correct a quarantined row; if it now reads, it becomes a record (its raw
    copy stays the row as received; the correction is kept on the quarantine row)
    and, with ``match``, is matched against the registry like the import's rows."""
    row = _open_quarantined(uow, quarantine_id)
    reason = _require_reason(reason)
    values = {**row.values, **changes}
    data, errors = check_row(values)
    if data is None:
        raise Invalid(f"row {row.source_row} still cannot be read: " + "; ".join(errors))
    imported = uow.session.get_one(ImportRow, row.import_id)
    external = values.get(EXTERNAL_ID)
    with uow.action("import.correct"):
        record = uow.repos.records.add(
            RecordRow(
                source_id=imported.source_id, source_row=row.source_row,
                external_id=str(external)[:200] if external is not None else None,
                raw=row.raw, birth_year=birth_year(data.birth_date),
                created_by=uow.actor.username, **data.as_dict(),
            )
        )  # fmt: skip
        index_record(uow, record)
        row.status, row.corrected, row.record_id = "corrected", raw_copy(dict(changes)), record.id
        row.resolved_by, row.resolved_at, row.reason = uow.actor.username, utcnow(), reason
        imported.rows_imported += 1
        imported.rows_quarantined -= 1
    if match:
        review.propose_for_record(
            uow, record.id, model=model, thresholds=thresholds, origin="import"
        )
    return record


def discard(uow: UnitOfWork, quarantine_id: int, *, reason: str) -> QuarantineRow:
    """Leave a quarantined row out for good (it stays, marked discarded)."""
    row = _open_quarantined(uow, quarantine_id)
    reason = _require_reason(reason)
    with uow.action("import.discard"):
        row.status, row.resolved_by, row.resolved_at, row.reason = (
            "discarded", uow.actor.username, utcnow(), reason,
        )  # fmt: skip
    return row
