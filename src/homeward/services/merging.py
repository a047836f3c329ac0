"""Merging duplicate cases and splitting records back out.

Records are never edited into each other: a merge moves the duplicate's
records, events and relatives to the surviving case and points the old case
number there; the decision keeps exactly what moved, so undoing it restores
the duplicate as it was.
"""

from __future__ import annotations

from typing import Any

from homeward.domain.model import Category
from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Conflict, Invalid
from homeward.services.cases import _require_reason, get_child, new_case, new_decision
from homeward.storage.tables import ChildRow, DecisionRow, StatusChangeRow, utcnow
from homeward.storage.uow import UnitOfWork


def merge_children(
    uow: UnitOfWork, duplicate_id: int, surviving_id: int, *, reason: str
) -> DecisionRow:
    """Merge case ``duplicate_id`` into ``surviving_id``; return the decision."""
    uow.actor.require(Permission.MERGE_CASES)
    reason = _require_reason(reason)
    if duplicate_id == surviving_id:
        raise Invalid("a case cannot be merged into itself")
    duplicate = get_child(uow, duplicate_id)
    surviving = get_child(uow, surviving_id)
    for child in (duplicate, surviving):
        if child.status == Status.MERGED:
            into = uow.repos.children.find(child.merged_into_id or 0)
            other = into.case_number if into else "another case"
            raise Conflict(
                f"case {child.case_number} is already merged into {other}; "
                f"merge with {other} instead"
            )
    repos = uow.repos
    moved: dict[str, Any] = {
        "records": [r.id for r in repos.records.of_child(duplicate.id)],
        "events": [e.id for e in repos.events.of_child(duplicate.id)],
        "relatives": [r.id for r in repos.relatives.of_child(duplicate.id)],
        "status": duplicate.status,
        "detail": duplicate.status_detail,
        # whoever worked the duplicate goes on with the child, unless the
        # surviving case has someone already
        "assignee": duplicate.assigned_to_id if surviving.assigned_to_id is None else None,
    }
    with uow.action("case.merge"):
        _move(uow, moved, duplicate.id, surviving.id)
        if moved["assignee"] is not None:
            surviving.assigned_to_id = moved["assignee"]
        _set_status(uow, duplicate, Status.MERGED.value, None, reason)
        duplicate.merged_into_id = surviving.id
        surviving.updated_at = utcnow()  # a merge changes the surviving case too
        decision = repos.decisions.add(
            new_decision("merge", uow, surviving.id, duplicate.id, moved["records"], reason, moved)
        )
    return decision


def unmerge(uow: UnitOfWork, decision_id: int, *, reason: str) -> ChildRow:
    """Undo a merge: the duplicate case comes back with exactly what it had."""
    uow.actor.require(Permission.MERGE_CASES)
    reason = _require_reason(reason)
    merge = uow.repos.decisions.get(decision_id)
    if merge.kind != "merge":
        raise Invalid(f"decision {decision_id} is a {merge.kind}, not a merge")
    if merge.reverted_by_id is not None:
        raise Conflict(f"merge {decision_id} was already undone")
    assert merge.child_id is not None and merge.other_child_id is not None
    surviving = get_child(uow, merge.child_id)
    duplicate = uow.repos.children.get(merge.other_child_id)
    if duplicate.merged_into_id != surviving.id:
        raise Conflict(
            f"case {duplicate.case_number} is no longer merged into {surviving.case_number}"
        )
    payload = merge.payload
    strays = [r for r in payload["records"] if uow.repos.records.get(r).child_id != surviving.id]
    if strays:
        raise Conflict(
            f"records {', '.join(map(str, strays))} have since left case {surviving.case_number}; "
            "link them back before undoing the merge"
        )
    with uow.action("case.unmerge"):
        _move(uow, payload, surviving.id, duplicate.id)
        if payload.get("assignee") is not None and surviving.assigned_to_id == payload["assignee"]:
            surviving.assigned_to_id = None  # it came with the merge
        duplicate.merged_into_id = None
        _set_status(uow, duplicate, payload["status"], payload["detail"], reason)
        surviving.updated_at = utcnow()
        undo = uow.repos.decisions.add(
            new_decision(
                "unmerge", uow, surviving.id, duplicate.id, payload["records"], reason,
                {"undoes": merge.id},
            )
        )  # fmt: skip
        merge.reverted_by_id = undo.id
    return duplicate


def split_child(uow: UnitOfWork, child_id: int, record_ids: list[int], *, reason: str) -> ChildRow:
    """Move records out of a case into a case of their own.

    Where the records are exactly those a merge brought in, the merge is undone
    and the old case comes back; otherwise a new case is opened for them.
    """
    uow.actor.require(Permission.MERGE_CASES)
    reason = _require_reason(reason)
    child = get_child(uow, child_id)
    own = {r.id for r in uow.repos.records.of_child(child.id)}
    wanted = set(record_ids)
    if not wanted:
        raise Invalid("record_ids: name the records to split out")
    if not wanted <= own:
        foreign = ", ".join(str(r) for r in sorted(wanted - own))
        raise Invalid(f"records {foreign} do not belong to case {child.case_number}")
    if wanted == own:
        raise Invalid("a split must leave at least one record in the case")
    for merge in uow.repos.decisions.active_merges_into(child.id):
        if {int(r) for r in merge.record_ids} == wanted:
            return unmerge(uow, merge.id, reason=reason)
    new = new_case(  # a split needs merge_cases, not create_records: verifiers split too
        uow,
        category=Category(child.category),
        organisation_id=child.organisation_id,
        reason=f"split from {child.case_number}: {reason}",
    )
    with uow.action("case.split"):
        for record_id in sorted(wanted):
            uow.repos.records.get(record_id).child_id = new.id
        child.updated_at = utcnow()
        uow.repos.decisions.add(
            new_decision("split", uow, child.id, new.id, sorted(wanted), reason, {})
        )
    return new


def _move(uow: UnitOfWork, moved: dict[str, Any], from_id: int, to_id: int) -> None:
    repos = uow.repos
    for record_id in moved["records"]:
        record = repos.records.get(record_id)
        if record.child_id == from_id:
            record.child_id = to_id
    for event_id in moved["events"]:
        repos.events.get(event_id).child_id = to_id
    for relative_id in moved["relatives"]:
        repos.relatives.get(relative_id).child_id = to_id


def _set_status(
    uow: UnitOfWork, child: ChildRow, status: str, detail: str | None, reason: str
) -> None:
    uow.repos.status_changes.add(
        StatusChangeRow(
            child_id=child.id,
            from_status=child.status,
            from_detail=child.status_detail,
            to_status=status,
            to_detail=detail,
            actor=uow.actor.username,
            reason=reason,
        )
    )
    child.status, child.status_detail = status, detail
