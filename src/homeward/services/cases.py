"""Use cases of the case registry: open cases, register records, move status,
add events and relatives, merge and split.  Each takes an open unit of work;
the caller commits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from homeward.domain.model import Category, EventKind, Relationship, SourceKind, format_case_number
from homeward.domain.record import RecordData
from homeward.domain.roles import Permission
from homeward.domain.status import Status, StatusState, check_move
from homeward.errors import Conflict, Invalid, NotFound
from homeward.linkage.search import index_record
from homeward.services.access import check_case_access
from homeward.services.records import (
    birth_year,
    clean_text,
    fitting_text,
    parse_partial_date,
)
from homeward.storage.tables import (
    ChildRow,
    DecisionRow,
    EventRow,
    RecordRow,
    RelativeRow,
    SourceRow,
    StatusChangeRow,
)
from homeward.storage.uow import UnitOfWork


def _require_reason(reason: str) -> str:
    text = clean_text(reason)
    if not text:
        raise Invalid("reason: say why (it is kept with the decision)")
    return text


def create_source(
    uow: UnitOfWork,
    *,
    kind: SourceKind,
    title: str,
    organisation_id: int | None = None,
    file_name: str | None = None,
    file_sha256: str | None = None,
    reliability: str = "unverified",
    note: str | None = None,
) -> SourceRow:
    """A new source.  A partner's sources are always its own organisation's."""
    if uow.actor.organisation_scoped:
        organisation_id = uow.actor.organisation_id
    with uow.action("source.create"):
        return uow.repos.sources.add(
            SourceRow(
                kind=kind.value,
                title=title,
                organisation_id=organisation_id,
                file_name=file_name,
                file_sha256=file_sha256,
                reliability=reliability,
                note=note,
                created_by=uow.actor.username,
            )
        )


def get_child(uow: UnitOfWork, child_id: int) -> ChildRow:
    """The case, if this actor may reach it (a partner only its organisation's)."""
    child = uow.repos.children.get(child_id)
    check_case_access(uow.actor, child)
    return child


def get_record(uow: UnitOfWork, record_id: int) -> RecordRow:
    """The record, if this actor may reach it: a partner only the records its
    organisation sent or those in its own cases; any other answers as a record
    that does not exist."""
    record = uow.repos.records.get(record_id)
    actor = uow.actor
    if not actor.organisation_scoped:
        return record
    if record.child_id is not None:
        if uow.repos.children.get(record.child_id).organisation_id == actor.organisation_id:
            return record
    elif uow.repos.sources.get(record.source_id).organisation_id == actor.organisation_id:
        return record
    raise NotFound(f"no record {record_id}")


def open_case(
    uow: UnitOfWork,
    *,
    category: Category,
    organisation_id: int | None = None,
    record_ids: list[int] | None = None,
    reason: str = "new report",
) -> ChildRow:
    """Open a new case, optionally with records that describe the child."""
    uow.actor.require(Permission.CREATE_RECORDS)
    return new_case(
        uow, category=category, organisation_id=organisation_id, record_ids=record_ids,
        reason=reason,
    )  # fmt: skip


def new_case(
    uow: UnitOfWork,
    *,
    category: Category,
    organisation_id: int | None = None,
    record_ids: list[int] | None = None,
    reason: str,
) -> ChildRow:
    """``open_case`` for a service that has checked its own permission (a split
    opens a case for records already in the registry)."""
    if uow.actor.organisation_scoped:
        organisation_id = uow.actor.organisation_id
    year = datetime.now(UTC).year
    with uow.action("case.open"):
        serial = uow.repos.children.next_serial(year)
        number = format_case_number(uow.case_prefix, year, serial)
        child = uow.repos.children.add(
            ChildRow(
                case_number=number,
                category=category.value,
                status=Status.REPORTED.value,
                organisation_id=organisation_id,
            )
        )
        uow.repos.status_changes.add(
            StatusChangeRow(
                child_id=child.id,
                to_status=Status.REPORTED.value,
                actor=uow.actor.username,
                reason=reason,
            )
        )
    for record_id in record_ids or []:
        link_record(uow, record_id, child.id, reason=reason)
    return child


def register_record(
    uow: UnitOfWork,
    *,
    source_id: int,
    data: RecordData,
    raw: dict[str, Any],
    child_id: int | None = None,
    source_row: int | None = None,
    external_id: str | None = None,
) -> RecordRow:
    """Keep one source's account of a child; link it to a case if one is given."""
    uow.actor.require(Permission.CREATE_RECORDS)
    uow.repos.sources.get(source_id)
    values = data.as_dict()
    with uow.action("record.register"):
        record = uow.repos.records.add(
            RecordRow(
                source_id=source_id,
                source_row=source_row,
                external_id=external_id,
                raw=raw,
                birth_year=birth_year(data.birth_date),
                created_by=uow.actor.username,
                **values,
            )
        )
        index_record(uow, record)
    if child_id is not None:
        link_record(uow, record.id, child_id, reason="registered for this case")
    return record


def link_record(
    uow: UnitOfWork, record_id: int, child_id: int, *, reason: str
) -> DecisionRow | None:
    """Say that a record describes this child (a decision, kept and reversible).

    Returns the decision, or ``None`` when the record was already in the case.
    Whoever registers records links their own, and a reviewer links what a
    review accepted (a verifier registers none)."""
    if not uow.actor.can(Permission.REVIEW_MATCHES):
        uow.actor.require(Permission.CREATE_RECORDS)
    record = get_record(uow, record_id)
    child = get_child(uow, child_id)
    _refuse_merged(uow, child, "link the record")
    if record.child_id == child.id:
        return None
    previous = record.child_id
    with uow.action("record.link"):
        record.child_id = child.id
        return uow.repos.decisions.add(
            new_decision("link", uow, child.id, previous, [record.id], reason, {"from": previous})
        )


def unlink_record(uow: UnitOfWork, record_id: int, *, reason: str) -> None:
    uow.actor.require(Permission.REVIEW_MATCHES)
    record = get_record(uow, record_id)
    if record.child_id is None:
        return
    child = get_child(uow, record.child_id)
    with uow.action("record.unlink"):
        record.child_id = None
        uow.repos.decisions.add(
            new_decision("unlink", uow, child.id, None, [record.id], _require_reason(reason), {})
        )


def move_status(
    uow: UnitOfWork,
    child_id: int,
    to: Status,
    *,
    detail: str | None = None,
    reason: str,
    expected_version: int | None = None,
) -> ChildRow:
    """Move a case to another status, recording who, when and why.

    ``expected_version`` is the version the user saw: if the case changed since,
    the move is refused rather than made over someone else's change.
    """
    uow.actor.require(Permission.VERIFY_CASES if to in VERIFIER_MOVES else Permission.MOVE_STATUS)
    child = get_child(uow, child_id)
    check_version(child, expected_version)
    current = StatusState(Status(child.status), child.status_detail)
    new = check_move(current, to, detail)
    with uow.action("case.move_status"):
        child.status, child.status_detail = new.status.value, new.detail
        uow.repos.status_changes.add(
            StatusChangeRow(
                child_id=child.id,
                from_status=current.status.value,
                from_detail=current.detail,
                to_status=new.status.value,
                to_detail=new.detail,
                actor=uow.actor.username,
                reason=_require_reason(reason),
            )
        )
    return child


VERIFIER_MOVES = frozenset({Status.VERIFIED, Status.REJECTED})
"""Moves only the verification commission makes (permission ``verify_cases``)."""


def check_version(child: ChildRow, expected_version: int | None) -> None:
    """Refuse a change made on a case as it was at ``expected_version`` (the
    version the user saw), when it has changed since."""
    if expected_version is not None and child.version != expected_version:
        raise Conflict(
            f"case {child.case_number} was changed by someone else since you opened it "
            f"(version {expected_version}, now {child.version}); reload it and try again"
        )


def _refuse_merged(uow: UnitOfWork, child: ChildRow, what: str) -> None:
    """Nothing is added to a case merged away (from a form opened before the
    merge): it would sit where nobody looks, since the case's number leads to
    the case it was merged into."""
    if child.status == Status.MERGED:
        into = uow.repos.children.find(child.merged_into_id) if child.merged_into_id else None
        raise Conflict(
            f"case {child.case_number} was merged into "
            f"{into.case_number if into else 'another case'}; {what} there"
        )


def add_event(
    uow: UnitOfWork,
    child_id: int,
    kind: EventKind,
    *,
    date: str | None = None,
    place: str | None = None,
    facility_id: int | None = None,
    source_id: int | None = None,
    note: str | None = None,
) -> EventRow:
    uow.actor.require(Permission.EDIT_CASES)
    child = get_child(uow, child_id)
    _refuse_merged(uow, child, "add the event")
    if facility_id is not None:
        uow.repos.facilities.get(facility_id)
    with uow.action("case.add_event"):
        return uow.repos.events.add(
            EventRow(
                child_id=child.id,
                kind=kind.value,
                date=parse_partial_date(date, "date"),
                place=clean_text(place),
                facility_id=facility_id,
                source_id=source_id,
                note=clean_text(note),
                created_by=uow.actor.username,
            )
        )


def add_relative(
    uow: UnitOfWork,
    child_id: int,
    *,
    full_name: str,
    relationship: Relationship,
    is_legal_representative: bool = False,
    requested_return: bool = False,
    phone: str | None = None,
    email: str | None = None,
    address: str | None = None,
    in_occupied_territory: bool = False,
    note: str | None = None,
    source_id: int | None = None,
) -> RelativeRow:
    uow.actor.require(Permission.EDIT_CASES)
    child = get_child(uow, child_id)
    _refuse_merged(uow, child, "add the relative")
    name = fitting_text(RelativeRow, "full_name", full_name)
    if not name:
        raise Invalid("full_name: a relative needs a name")
    with uow.action("case.add_relative"):
        return uow.repos.relatives.add(
            RelativeRow(
                child_id=child.id,
                full_name=name,
                relationship_=relationship.value,
                is_legal_representative=is_legal_representative,
                requested_return=requested_return,
                phone=fitting_text(RelativeRow, "phone", phone),
                email=fitting_text(RelativeRow, "email", email),
                address=clean_text(address),
                in_occupied_territory=in_occupied_territory,
                note=clean_text(note),
                source_id=source_id,
            )
        )


def new_decision(
    kind: str,
    uow: UnitOfWork,
    child_id: int | None,
    other_child_id: int | None,
    record_ids: list[int],
    reason: str,
    payload: dict[str, Any],
) -> DecisionRow:
    return DecisionRow(
        kind=kind,
        child_id=child_id,
        other_child_id=other_child_id,
        record_ids=[str(r) for r in record_ids],
        payload=payload,
        actor=uow.actor.username,
        reason=reason,
    )
