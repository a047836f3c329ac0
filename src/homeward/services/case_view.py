"""Reading a whole case, with field-level protection and the read audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeward.domain.record import RECORD_FIELD_NAMES, SENSITIVE_FIELDS
from homeward.domain.roles import Permission
from homeward.services.cases import get_child
from homeward.storage.tables import ChildRow
from homeward.storage.uow import UnitOfWork

RELATIVE_SENSITIVE = ("phone", "email", "address", "note")


@dataclass
class CaseView:
    """Everything a case page shows.  Sensitive values are absent (not blank)
    for roles that may not read them."""

    child: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    relatives: list[dict[str, Any]] = field(default_factory=list)
    status_history: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    merged_case_numbers: list[str] = field(default_factory=list)


def child_summary(child: ChildRow) -> dict[str, Any]:
    return {
        "id": child.id,
        "case_number": child.case_number,
        "category": child.category,
        "status": child.status,
        "status_detail": child.status_detail,
        "organisation_id": child.organisation_id,
        "merged_into_id": child.merged_into_id,
        "version": child.version,
        "created_at": child.created_at.isoformat(),
        "updated_at": child.updated_at.isoformat(),
    }


def view_case(uow: UnitOfWork, child_id: int) -> CaseView:
    """The full case; the read is written to the audit trail."""
    uow.actor.require(Permission.READ_CASES)
    child = get_child(uow, child_id)
    sensitive = uow.actor.can(Permission.READ_SENSITIVE)
    repos = uow.repos
    view = CaseView(child=child_summary(child))
    for record in repos.records.of_child(child.id):
        item: dict[str, Any] = {
            "id": record.id,
            "source_id": record.source_id,
            "source_title": record.source.title,
            "source_kind": record.source.kind,
            "source_row": record.source_row,
            "external_id": record.external_id,
            "created_at": record.created_at.isoformat(),
        }
        for name in RECORD_FIELD_NAMES:
            if sensitive or name not in SENSITIVE_FIELDS:
                item[name] = getattr(record, name)
        item["repairs"] = list(record.repairs)
        if sensitive:
            item["raw"] = record.raw
        view.records.append(item)
    for event in repos.events.of_child(child.id):
        view.events.append(
            {
                "id": event.id,
                "kind": event.kind,
                "date": event.date,
                "place": event.place,
                "facility_id": event.facility_id,
                "note": event.note if sensitive else None,
            }
        )
    for relative in repos.relatives.of_child(child.id):
        rel: dict[str, Any] = {
            "id": relative.id,
            "full_name": relative.full_name,
            "relationship": relative.relationship_,
            "is_legal_representative": relative.is_legal_representative,
            "requested_return": relative.requested_return,
            "in_occupied_territory": relative.in_occupied_territory,
        }
        if sensitive:
            rel.update({k: getattr(relative, k) for k in RELATIVE_SENSITIVE})
        view.relatives.append(rel)
    for change in repos.status_changes.of_child(child.id):
        view.status_history.append(
            {
                "from": change.from_status,
                "from_detail": change.from_detail,
                "to": change.to_status,
                "to_detail": change.to_detail,
                "actor": change.actor,
                "at": change.at.isoformat(),
                "reason": change.reason,
            }
        )
    for decision in repos.decisions.of_child(child.id):
        view.decisions.append(
            {
                "id": decision.id,
                "kind": decision.kind,
                "record_ids": decision.record_ids,
                "actor": decision.actor,
                "at": decision.at.isoformat(),
                "reason": decision.reason,
                "reverted_by_id": decision.reverted_by_id,
            }
        )
    view.merged_case_numbers = [c.case_number for c in repos.children.merged_into(child.id)]
    uow.record_view("children", child.id)
    return view
