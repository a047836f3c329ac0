"""Report intake: one report, typed by a case worker, kept the moment it is taken.

:func:`take_report` registers the report as a record of its own source at
once (nothing a caller says is ever lost, whatever is decided next) and
returns the children it may describe, best first, with the explanation of
each.  The case worker then links it to one of them (:func:`link_report`) or
opens a new case for it (:func:`open_case_for_report`).  A report left
undecided stays in the registry, in no case; the next registry scan proposes
it for review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from homeward.domain.model import Category, SourceKind
from homeward.domain.roles import Permission
from homeward.errors import Conflict
from homeward.linkage.model import MatchModel
from homeward.linkage.search import Candidate, search
from homeward.services.cases import (
    _require_reason,
    create_source,
    get_record,
    link_record,
    open_case,
    register_record,
)
from homeward.services.records import clean_text, fitting_text, raw_copy, record_data
from homeward.storage.tables import ChildRow, RecordRow, SourceRow
from homeward.storage.uow import UnitOfWork


@dataclass(frozen=True)
class TakenReport:
    record: RecordRow
    candidates: list[Candidate]
    """Children it may describe (not the report itself), best first."""


def take_report(
    uow: UnitOfWork,
    values: Mapping[str, Any],
    *,
    title: str | None = None,
    kind: SourceKind = SourceKind.REPORT,
    reliability: str = "unverified",
    note: str | None = None,
    model: MatchModel | None = None,
    limit: int = 5,
    find: bool = True,
) -> TakenReport:
    """Keep a report (raw as typed, fields cleaned) and find who it may be.

    A value that cannot be read (a date that does not exist) raises ``Invalid``
    naming the field, before anything is written: the form shows it and the
    case worker corrects it.  ``find=False``: keep it only (no candidates); a
    server then searches after the commit (:func:`report_candidates`), so
    that the writers' lock is not held while it searches.
    """
    uow.actor.require(Permission.CREATE_RECORDS)
    data = record_data(values)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    title = fitting_text(SourceRow, "title", title)
    source = create_source(
        uow, kind=kind, title=title or f"Report taken by {uow.actor.username}, {when}",
        organisation_id=uow.actor.organisation_id, reliability=reliability,
        note=clean_text(note),
    )  # fmt: skip
    record = register_record(uow, source_id=source.id, data=data, raw=raw_copy(values))
    if not find:
        return TakenReport(record, [])
    return TakenReport(record, report_candidates(uow, values, record.id, model=model, limit=limit))


def report_candidates(
    uow: UnitOfWork,
    values: Mapping[str, Any],
    record_id: int,
    *,
    model: MatchModel | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """The children a kept report may describe, best first, not the report itself."""
    found = search(uow, values, model=model, limit=limit + 1)
    return [c for c in found if c.record_id != record_id][:limit]


def _open_report(uow: UnitOfWork, record_id: int) -> RecordRow:
    record = get_record(uow, record_id)
    if record.child_id is not None:
        raise Conflict(f"record {record.id} is already in a case; split it out to move it")
    return record


def link_report(uow: UnitOfWork, record_id: int, child_id: int, *, reason: str) -> ChildRow:
    """The report describes this child: link it to the case."""
    record = _open_report(uow, record_id)
    link_record(uow, record.id, child_id, reason=_require_reason(reason))
    return uow.repos.children.get(child_id)


def open_case_for_report(
    uow: UnitOfWork, record_id: int, *, category: Category, reason: str = "new report"
) -> ChildRow:
    """No case describes this child yet: open one with the report in it."""
    record = _open_report(uow, record_id)
    return open_case(uow, category=category, record_ids=[record.id], reason=_require_reason(reason))
