"""Reading a whole case, with field-level protection and the read audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select

from homeward.domain.record import RECORD_FIELD_NAMES, SENSITIVE_FIELDS
from homeward.domain.roles import Permission
from homeward.errors import Invalid, NotFound
from homeward.linkage.model import MatchModel
from homeward.linkage.scoring import FieldExplanation, ScoredPair, score_pair
from homeward.linkage.search import record_values, search, stored_prepared
from homeward.services.access import check_case_access
from homeward.services.cases import check_version, get_child
from homeward.services.merging import merge_children
from homeward.services.review import ReviewStatus, children_pair
from homeward.storage.tables import (
    AuditRow,
    ChildRow,
    DeliveryRow,
    DocumentRow,
    HandoverListRow,
    ListAnswerRow,
    ListEntryRow,
    ListVersionRow,
    RecordRow,
)
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
    history: list[dict[str, Any]] = field(default_factory=list)
    """The case's audit trail, newest first (:func:`case_history`)."""
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
        "assigned_to_id": child.assigned_to_id,
        "version": child.version,
        "created_at": child.created_at.isoformat(),
        "updated_at": child.updated_at.isoformat(),
    }


def record_item(record: RecordRow, *, sensitive: bool) -> dict[str, Any]:
    """One record as a page or the API shows it; the reporter, contacts, notes
    and the raw copy only for roles that read sensitive values."""
    item: dict[str, Any] = {
        "id": record.id,
        "child_id": record.child_id,
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
    return item


def view_case(uow: UnitOfWork, child_id: int) -> CaseView:
    """The full case; the read is written to the audit trail."""
    uow.actor.require(Permission.READ_CASES)
    child = get_child(uow, child_id)
    sensitive = uow.actor.can(Permission.READ_SENSITIVE)
    repos = uow.repos
    view = CaseView(child=child_summary(child))
    for record in repos.records.of_child(child.id):
        view.records.append(record_item(record, sensitive=sensitive))
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
    view.history = case_history(uow, view)
    return view


HISTORY_LIMIT = 200


def case_history(uow: UnitOfWork, view: CaseView) -> list[dict[str, Any]]:
    """The audit trail of this case, newest first: every change to the case,
    its records, events, relatives, decisions and documents, every time it was
    opened, and each document's views and downloads (who, when, what; the
    values stay on the audit pages, for auditors, and no document's name or
    hash is shown here)."""
    child_id = int(view.child["id"])
    owners = [child_id, *(c.id for c in uow.repos.children.merged_into(child_id))]
    wanted = {
        "children": [child_id],
        "records": [r["id"] for r in view.records],
        "events": [e["id"] for e in view.events],
        "relatives": [r["id"] for r in view.relatives],
        "decisions": [d["id"] for d in view.decisions],
        "documents": list(
            uow.session.scalars(select(DocumentRow.id).where(DocumentRow.child_id.in_(owners)))
        ),
    }
    clauses = [
        and_(AuditRow.entity_type == table, AuditRow.entity_id.in_([str(i) for i in ids]))
        for table, ids in wanted.items()
        if ids
    ]
    rows = uow.session.execute(
        select(AuditRow.seq, AuditRow.at, AuditRow.actor, AuditRow.action, AuditRow.entity_type)
        .where(or_(*clauses))
        .order_by(AuditRow.seq.desc())
        .limit(HISTORY_LIMIT)
    )
    return [
        {"seq": seq, "at": at, "actor": actor, "action": action, "table": table}
        for seq, at, actor, action, table in rows
    ]


# --- records, one by one and page by page ------------------------------------------


def case_records(
    uow: UnitOfWork, child_id: int, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """A page of the case's records and how many there are; the read is audited."""
    uow.actor.require(Permission.READ_CASES)
    child = get_child(uow, child_id)
    rows = uow.repos.records.of_child(child.id)
    sensitive = uow.actor.can(Permission.READ_SENSITIVE)
    page = [record_item(r, sensitive=sensitive) for r in rows[offset : offset + limit]]
    uow.record_view("children", child.id, "records")
    return page, len(rows)


def view_record(uow: UnitOfWork, record_id: int) -> dict[str, Any]:
    """One record with its case number; the read is audited.  A record of a
    case this actor may not reach, or (for a partner) a record in no case,
    answers as one that does not exist."""
    uow.actor.require(Permission.READ_CASES)
    record = uow.repos.records.find(record_id)
    if record is None:
        raise NotFound(f"no record with id {record_id}")
    case_number = None
    if record.child_id is not None:
        child = uow.repos.children.get(record.child_id)
        try:
            check_case_access(uow.actor, child)
        except NotFound:
            raise NotFound(f"no record with id {record_id}") from None
        case_number = child.case_number
    elif uow.actor.organisation_scoped:
        raise NotFound(f"no record with id {record_id}")
    item = record_item(record, sensitive=uow.actor.can(Permission.READ_SENSITIVE))
    item["case_number"] = case_number
    uow.record_view("records", record.id)
    return item


# --- handover lists and the answers about the child ---------------------------------


def _own_ids(uow: UnitOfWork, child: ChildRow) -> list[int]:
    """The case and the duplicates merged into it: their list entries are the child's."""
    return [child.id, *(c.id for c in uow.repos.children.merged_into(child.id))]


def lists_of_child(uow: UnitOfWork, child_id: int) -> list[dict[str, Any]]:
    """Every frozen list version the child is on, newest first: the list's title,
    the version, the entry number, when it was delivered and the latest answer."""
    uow.actor.require(Permission.READ_CASES)
    child = get_child(uow, child_id)
    rows = uow.session.execute(
        select(ListEntryRow, ListVersionRow, HandoverListRow)
        .join(ListVersionRow, ListVersionRow.id == ListEntryRow.version_id)
        .join(HandoverListRow, HandoverListRow.id == ListVersionRow.list_id)
        .where(ListEntryRow.child_id.in_(_own_ids(uow, child)))
        .order_by(ListVersionRow.frozen_at.desc(), ListVersionRow.id.desc())
    ).all()
    version_ids = [version.id for _, version, _ in rows]
    delivered: dict[int, str] = {}
    for version_id, day in uow.session.execute(
        select(DeliveryRow.version_id, DeliveryRow.delivered_on)
        .where(DeliveryRow.version_id.in_(version_ids))
        .order_by(DeliveryRow.delivered_on)
    ):
        delivered.setdefault(version_id, day)
    latest: dict[int, ListAnswerRow] = {}
    for row in _answers_of_entries(uow, [entry.id for entry, _, _ in rows]):
        latest.setdefault(row.entry_id, row)
    out = []
    for entry, version, handover in rows:
        answer = latest.get(entry.id)
        out.append(
            {
                "list_id": handover.id,
                "title": handover.title,
                "version": version.number,
                "version_status": version.status,
                "entry_number": entry.number,
                "case_number": entry.values.get("case_number"),
                "frozen_at": version.frozen_at.isoformat() if version.frozen_at else None,
                "delivered_on": delivered.get(version.id),
                "answer": answer.answer if answer else None,
                "answered_on": answer.answered_on if answer else None,
            }
        )
    return out


def _answers_of_entries(uow: UnitOfWork, entry_ids: list[int]) -> list[ListAnswerRow]:
    """Newest first: the latest answer counts."""
    if not entry_ids:
        return []
    return list(
        uow.session.scalars(
            select(ListAnswerRow)
            .where(ListAnswerRow.entry_id.in_(entry_ids))
            .order_by(ListAnswerRow.answered_on.desc(), ListAnswerRow.id.desc())
        )
    )


def answers_of_child(uow: UnitOfWork, child_id: int) -> list[dict[str, Any]]:
    """Every answer received about the child on any list, newest first.  What
    the answer said beyond its kind, and who said it, only for roles that read
    sensitive values (it is written in the timeline's notes as well)."""
    uow.actor.require(Permission.READ_CASES)
    child = get_child(uow, child_id)
    sensitive = uow.actor.can(Permission.READ_SENSITIVE)
    entries = {
        entry.id: (entry, version, handover)
        for entry, version, handover in uow.session.execute(
            select(ListEntryRow, ListVersionRow, HandoverListRow)
            .join(ListVersionRow, ListVersionRow.id == ListEntryRow.version_id)
            .join(HandoverListRow, HandoverListRow.id == ListVersionRow.list_id)
            .where(ListEntryRow.child_id.in_(_own_ids(uow, child)))
        ).all()
    }
    out = []
    for answer in _answers_of_entries(uow, list(entries)):
        entry, version, handover = entries[answer.entry_id]
        out.append(
            {
                "id": answer.id,
                "answer": answer.answer,
                "answered_on": answer.answered_on,
                "detail": answer.detail if sensitive else None,
                "source": answer.source if sensitive else None,
                "list_id": handover.id,
                "title": handover.title,
                "version": version.number,
                "entry_number": entry.number,
                "recorded_by": answer.recorded_by,
                "confirmed_by": answer.applied_by,
            }
        )
    return out


# --- other cases that may be the same child -------------------------------------------


@dataclass(frozen=True)
class CandidateCase:
    """Another case that may describe the same child, with the best pair of records."""

    child_id: int
    case_number: str
    record_id: int
    """This case's record of the best pair."""
    other_record_id: int
    scored: ScoredPair

    @property
    def probability(self) -> float:
        return self.scored.probability

    @property
    def fields(self) -> tuple[FieldExplanation, ...]:
        return self.scored.fields

    def as_dict(self) -> dict[str, Any]:
        return {
            "child_id": self.child_id,
            "case_number": self.case_number,
            "record_id": self.record_id,
            "other_record_id": self.other_record_id,
            **self.scored.as_dict(),
        }


MAX_RECORDS_SEARCHED = 10
"""A case's records searched for candidates at most (its first ones)."""


def candidate_cases(
    uow: UnitOfWork,
    child_id: int,
    *,
    model: MatchModel,
    limit: int = 10,
    min_probability: float = 0.05,
) -> list[CandidateCase]:
    """Other cases that may be the same child, best first, found with the real-time
    search from each of the case's records (a partner: its organisation's only).
    A pair of cases a reviewer rejected is left out, as the review queue leaves it."""
    uow.actor.require(Permission.READ_CASES)
    child = get_child(uow, child_id)
    best: dict[int, CandidateCase] = {}
    records = uow.repos.records.of_child(child.id)[:MAX_RECORDS_SEARCHED]
    filed = stored_prepared(uow, [r.id for r in records])
    for record in records:
        found = search(
            uow, record_values(record), model=model, limit=limit + 1,
            min_probability=min_probability, prepared=filed.get(record.id),
        )  # fmt: skip
        for c in found:
            if c.child_id is None or c.child_id == child.id or c.case_number is None:
                continue
            known = best.get(c.child_id)
            if known is None or c.scored.weight > known.scored.weight:
                best[c.child_id] = CandidateCase(
                    c.child_id, c.case_number, record.id, c.record_id, c.scored
                )
    ranked = sorted(best.values(), key=lambda c: (-c.scored.weight, c.child_id))
    return [c for c in ranked if not _rejected(uow, child.id, c.child_id)][:limit]


def _rejected(uow: UnitOfWork, child_id: int, other_id: int) -> bool:
    """A reviewer decided the two cases are different children: not offered again."""
    found = uow.repos.match_candidates.by_pair(children_pair(child_id, other_id))
    return found is not None and found.status == ReviewStatus.REJECTED


def compare_cases(
    uow: UnitOfWork, child_id: int, other_id: int, *, model: MatchModel
) -> ScoredPair | None:
    """The best-scoring pair of records of two cases (each case's first
    :data:`MAX_RECORDS_SEARCHED`), explained field by field; ``None`` when one
    case has no record."""
    uow.actor.require(Permission.READ_CASES)
    ours = uow.repos.records.of_child(get_child(uow, child_id).id)[:MAX_RECORDS_SEARCHED]
    theirs = uow.repos.records.of_child(get_child(uow, other_id).id)[:MAX_RECORDS_SEARCHED]
    best: ScoredPair | None = None
    for a in ours:
        values_a = record_values(a)
        for b in theirs:
            scored = score_pair(model, values_a, record_values(b))
            if best is None or scored.weight > best.weight:
                best = scored
    return best


# --- merging seen from the case page ---------------------------------------------------

_CARD_FIELDS = ("birth_date", "birth_place", "residence", "last_known_location")


def case_card(uow: UnitOfWork, child_id: int) -> dict[str, Any]:
    """A case in brief, to set beside another before a merge: its summary, the
    names and the values its records give (each once)."""
    uow.actor.require(Permission.READ_CASES)
    child = get_child(uow, child_id)
    records = uow.repos.records.of_child(child.id)
    names: dict[str, None] = {}
    for r in records:
        name = " ".join(p for p in (r.family_name, r.given_name, r.patronymic) if p)
        if name or r.full_name:
            names[name or r.full_name or ""] = None
    values = {
        key: list(dict.fromkeys(getattr(r, key) for r in records if getattr(r, key)))
        for key in _CARD_FIELDS
    }
    return {**child_summary(child), "names": list(names), "records": len(records), **values}


def merges_into(uow: UnitOfWork, child_id: int) -> list[dict[str, Any]]:
    """The merges into this case still in force, newest first: which case was
    merged, when, by whom, why, and the records it brought."""
    child = get_child(uow, child_id)
    out = []
    for decision in uow.repos.decisions.active_merges_into(child.id):
        if decision.other_child_id is None:
            continue
        merged = uow.repos.children.get(decision.other_child_id)
        out.append(
            {
                "decision_id": decision.id,
                "case_number": merged.case_number,
                "at": decision.at.isoformat(),
                "actor": decision.actor,
                "reason": decision.reason,
                "records": [int(r) for r in decision.record_ids],
            }
        )
    return out


def merged_case(uow: UnitOfWork, case_number: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A case merged into another: its own summary, and the merge in force
    (as :func:`merges_into` gives it, with ``into``, the surviving number)."""
    uow.actor.require(Permission.READ_CASES)
    child = uow.repos.children.by_case_number(case_number, follow_merges=False)
    check_case_access(uow.actor, child)
    if child.merged_into_id is None:
        raise NotFound(f"case {case_number} is not merged into another case")
    surviving = get_child(uow, child.merged_into_id)
    found = [m for m in merges_into(uow, surviving.id) if m["case_number"] == case_number]
    if not found:
        raise NotFound(f"no merge of case {case_number} is in force")
    return child_summary(child), {**found[0], "into": surviving.case_number}


def merge_from_case(
    uow: UnitOfWork,
    child_id: int,
    other_id: int,
    *,
    keep: int,
    reason: str,
    version: int | None = None,
    other_version: int | None = None,
) -> ChildRow:
    """Merge two cases as the case page asks it: ``keep`` is the one that stays
    (either of the two), each version is the one the user saw.  Returns the
    surviving case."""
    uow.actor.require(Permission.MERGE_CASES)
    this, other = get_child(uow, child_id), get_child(uow, other_id)
    if this.id == other.id:
        raise Invalid(f"other case: {other.case_number} is this case (or was merged into it)")
    if keep not in (this.id, other.id):
        raise Invalid(f"case that stays: choose {this.case_number} or {other.case_number}")
    check_version(this, version)
    check_version(other, other_version)
    surviving, duplicate = (this, other) if keep == this.id else (other, this)
    merge_children(uow, duplicate.id, surviving.id, reason=reason)
    return surviving
