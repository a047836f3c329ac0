"""The rules that select rows to remove, one per kind, and the guard every
selection passes through (:func:`without_open_cases`).

Each rule reads only; removing is :mod:`homeward.services.retention.run`'s
work.  The rules decide conservatively: whatever a person vouched for, decided
on, or could need as evidence of what was reported is never selected."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from homeward.domain.model import SourceKind
from homeward.domain.status import Status
from homeward.services.retention.policy import (
    Kind,
    Policy,
    RetentionItem,
    is_open,
    period,
)
from homeward.services.triage import REJECT
from homeward.storage.tables import (
    ChildRow,
    DecisionRow,
    DocumentRow,
    EventRow,
    MatchCandidateRow,
    QuarantineRow,
    RecordRow,
    SourceRow,
    StatusChangeRow,
)

PENDING = "pending"
"""The status of a proposed match nobody has decided (``review.ReviewStatus``)."""

CHUNK = 500
"""Ids per ``IN (...)``: SQLite and the drivers take only so many parameters."""


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """``ids`` sorted, in lists of at most :data:`CHUNK`."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _case_numbers(session: Session, ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for part in chunks(ids):
        query = select(ChildRow.id, ChildRow.case_number).where(ChildRow.id.in_(part))
        found.update((child_id, number) for child_id, number in session.execute(query))
    return found


# --- public reports ------------------------------------------------------------------


def _rejections(session: Session) -> dict[int, datetime]:
    """Public reports rejected in triage (and not reinstated), with when."""
    found: dict[int, datetime] = {}
    query = select(DecisionRow.record_ids, DecisionRow.at).where(
        DecisionRow.kind == REJECT, DecisionRow.reverted_by_id.is_(None)
    )
    for ids, at in session.execute(query):
        for record_id in ids:
            key = int(record_id)
            found[key] = max(at, found.get(key, at))
    return found


def _vouched(session: Session, record_ids: set[int]) -> set[int]:
    """Records among ``record_ids`` that something beyond triage depends on: a
    decision that linked, unlinked, merged or split them (someone vouched for
    the report once, even if it is in no case now), a document, a corrected
    import row, or a proposed match someone decided.  Those are kept."""
    if not record_ids:
        return set()
    named: set[int] = set()
    decisions = select(DecisionRow.record_ids).where(DecisionRow.kind != REJECT)
    for ids in session.scalars(decisions):
        named.update(int(r) for r in ids if int(r) in record_ids)
    for part in chunks(record_ids):
        for column, extra in (
            (DocumentRow.record_id, ()),
            (QuarantineRow.record_id, ()),
            (MatchCandidateRow.record_id, (MatchCandidateRow.status != PENDING,)),
        ):
            named.update(session.scalars(select(column).where(column.in_(part), *extra)))
    return named


def public_reports(session: Session, now: datetime, policy: Policy) -> list[RetentionItem]:
    """Reports from the public form in no case: rejected in triage longer ago
    than the period, or (when that rule is on) never triaged for longer."""
    after_rejection = period(policy.public_reports_days)
    untriaged = period(policy.untriaged_public_reports_days)
    if after_rejection is None and untriaged is None:
        return []
    rejections = _rejections(session)
    query = (
        select(RecordRow.id, RecordRow.external_id, RecordRow.created_at)
        .join(SourceRow, RecordRow.source_id == SourceRow.id)
        .where(SourceRow.kind == SourceKind.PUBLIC_REPORT.value, RecordRow.child_id.is_(None))
        .order_by(RecordRow.id)
    )
    rows = session.execute(query).all()
    vouched = _vouched(session, {r[0] for r in rows})
    items = []
    for record_id, reference, received in rows:
        if record_id in vouched:
            continue
        rejected_at = rejections.get(record_id)
        if rejected_at is not None:
            since, limit = rejected_at, after_rejection
            why = "rejected in triage; kept {limit} days after a rejection"
        else:
            since, limit = received, untriaged
            why = "never triaged; kept {limit} days after arrival"
        if limit is None or now - since <= limit:
            continue
        age = now - since
        items.append(
            RetentionItem(
                Kind.PUBLIC_REPORT, str(record_id),
                f"public report {reference or record_id} (record {record_id}), "
                f"received {received:%Y-%m-%d}",
                why.format(limit=limit.days), since, age,
            )
        )  # fmt: skip
    return items


# --- proposals about settled duplicates -------------------------------------------------


def _settled_duplicates(session: Session) -> dict[int, tuple[str, str, datetime]]:
    """Cases merged into another or rejected as a duplicate: case number, how
    (in words) and since when (the status change that made them so)."""
    merged = ChildRow.status == Status.MERGED.value
    duplicate = (ChildRow.status == Status.REJECTED.value) & (ChildRow.status_detail == "duplicate")
    survivor = aliased(ChildRow)
    cases = session.execute(
        select(ChildRow.id, ChildRow.case_number, ChildRow.status, survivor.case_number)
        .outerjoin(survivor, survivor.id == ChildRow.merged_into_id)
        .where(merged | duplicate)
    ).all()
    if not cases:
        return {}
    since = dict(
        session.execute(
            select(StatusChangeRow.child_id, func.max(StatusChangeRow.at))
            .where(StatusChangeRow.to_status.in_([Status.MERGED.value, Status.REJECTED.value]))
            .group_by(StatusChangeRow.child_id)
        ).all()
    )
    found = {}
    for child_id, number, status, into in cases:
        if child_id in since:
            how = f"merged into {into}" if status == Status.MERGED else "rejected as a duplicate"
            found[child_id] = (number, how, since[child_id])
    return found


def duplicate_proposals(session: Session, now: datetime, policy: Policy) -> list[RetentionItem]:
    """Proposed matches nobody decided about a case merged away or rejected as
    a duplicate longer ago than the period.  A decided proposal (accepted,
    rejected, deferred) is never selected: its row is the decision, and a
    rejected pair's row is what keeps the pair from being proposed again."""
    limit = period(policy.duplicate_proposals_days)
    if limit is None:
        return []
    settled = _settled_duplicates(session)
    if not settled:
        return []
    query = (
        select(MatchCandidateRow)
        .where(MatchCandidateRow.status == PENDING)
        .order_by(MatchCandidateRow.id)
    )
    rows = [
        r for r in session.scalars(query) if r.child_id in settled or r.other_child_id in settled
    ]
    numbers = _case_numbers(
        session, (c for r in rows for c in (r.child_id, r.other_child_id) if c is not None)
    )
    items = []
    for row in rows:
        sides = [c for c in (row.child_id, row.other_child_id) if c in settled]
        number, how, since = max((settled[c] for c in sides), key=lambda s: s[2])
        age = now - since
        if age <= limit:
            continue
        if row.record_id is not None:
            what = f"record {row.record_id} for case {numbers[row.child_id]}"
        else:
            assert row.other_child_id is not None
            what = f"cases {numbers[row.child_id]} and {numbers[row.other_child_id]}"
        why = f"case {number} was {how}; nobody decided the proposal"
        items.append(
            RetentionItem(
                Kind.DUPLICATE_PROPOSAL, str(row.id), f"proposed match {row.id}: {what}", why,
                since, age,
            )
        )  # fmt: skip
    return items


# --- documents of withdrawn cases -----------------------------------------------------


def _surviving(session: Session) -> dict[int, int]:
    """Each merged case and the case it ends up in (following merges of merges)."""
    pointers: dict[int, int] = {
        child_id: into
        for child_id, into in session.execute(
            select(ChildRow.id, ChildRow.merged_into_id).where(ChildRow.merged_into_id.is_not(None))
        ).all()
        if into is not None
    }
    found: dict[int, int] = {}
    for start in pointers:
        current, seen = start, {start}
        while current in pointers and pointers[current] not in seen:
            current = pointers[current]
            seen.add(current)
        found[start] = current
    return found


def final_case(child_id: int, surviving: dict[int, int]) -> int:
    return surviving.get(child_id, child_id)


def withdrawn_documents(session: Session, now: datetime, policy: Policy) -> list[RetentionItem]:
    """Documents of cases closed as withdrawn longer ago than the period (a
    merged duplicate's documents count as its surviving case's)."""
    limit = period(policy.withdrawn_documents_days)
    if limit is None:
        return []
    closed = (ChildRow.status == Status.CLOSED.value) & (ChildRow.status_detail == "withdrawn")
    withdrawn = dict(session.execute(select(ChildRow.id, ChildRow.case_number).where(closed)).all())
    if not withdrawn:
        return []
    since = {
        child_id: at
        for child_id, at in session.execute(
            select(StatusChangeRow.child_id, func.max(StatusChangeRow.at))
            .where(StatusChangeRow.to_status == Status.CLOSED.value)
            .where(StatusChangeRow.to_detail == "withdrawn")
            .group_by(StatusChangeRow.child_id)
        )
        if child_id in withdrawn and now - at > limit
    }
    surviving = _surviving(session)
    owners = [*since, *(m for m, s in surviving.items() if s in since)]
    documents = [
        doc
        for part in chunks(owners)
        for doc in session.scalars(select(DocumentRow).where(DocumentRow.child_id.in_(part)))
    ]
    items = []
    for doc in sorted(documents, key=lambda d: d.id):
        case_id = final_case(doc.child_id, surviving)
        closed_at = since.get(case_id)
        if closed_at is None or now - closed_at <= limit:
            continue
        age = now - closed_at
        number = withdrawn[case_id]
        files = tuple(sha for sha in (doc.sha256, doc.working_sha256) if sha)
        items.append(
            RetentionItem(
                Kind.WITHDRAWN_DOCUMENT, str(doc.id),
                f"document {doc.id} of case {number}: {doc.kind}, {doc.filename} "
                f"({doc.size:,} bytes{', and its working copy' if doc.working_sha256 else ''})",
                f"case {number} was closed as withdrawn; kept {limit.days} days after that",
                closed_at, age, files=files, size=doc.size,
            )
        )  # fmt: skip
    return items


# --- the guard -------------------------------------------------------------------------


def referenced_hashes(session: Session) -> set[str]:
    """Every file a document names, as its original or its working copy."""
    found = set(session.scalars(select(DocumentRow.sha256)))
    found.update(
        session.scalars(
            select(DocumentRow.working_sha256).where(DocumentRow.working_sha256.is_not(None))
        )
    )
    return found


def owning_cases(session: Session, item: RetentionItem, surviving: dict[int, int]) -> set[int]:
    """The cases an item belongs to, read afresh from the database (not taken
    from the rule that selected it)."""
    cases: set[int | None] = set()
    if item.kind is Kind.PUBLIC_REPORT:
        record = session.get(RecordRow, int(item.id))
        if record is not None:
            cases.add(record.child_id)
            cases.update(
                session.scalars(
                    select(DocumentRow.child_id).where(DocumentRow.record_id == record.id)
                )
            )
    elif item.kind is Kind.DUPLICATE_PROPOSAL:
        proposal = session.get(MatchCandidateRow, int(item.id))
        if proposal is not None:
            cases.update((proposal.child_id, proposal.other_child_id))
    elif item.kind is Kind.WITHDRAWN_DOCUMENT:
        doc = session.get(DocumentRow, int(item.id))
        if doc is not None:
            cases.add(doc.child_id)
            if doc.record_id is not None:
                cases.add(
                    session.scalar(select(RecordRow.child_id).where(RecordRow.id == doc.record_id))
                )
            if doc.event_id is not None:
                cases.add(
                    session.scalar(select(EventRow.child_id).where(EventRow.id == doc.event_id))
                )
    else:  # a stored file (a temporary file's name matches no document)
        sha = item.id
        cases.update(
            session.scalars(
                select(DocumentRow.child_id).where(
                    (DocumentRow.sha256 == sha) | (DocumentRow.working_sha256 == sha)
                )
            )
        )
    if item.kind is Kind.DUPLICATE_PROPOSAL:
        return {c for c in cases if c is not None}
    return {final_case(c, surviving) for c in cases if c is not None}


def without_open_cases(session: Session, items: Iterable[RetentionItem]) -> list[RetentionItem]:
    """The items none of whose cases is open (:func:`policy.is_open`).

    Every rule already selects only what belongs to no open case; this check
    stands on its own, read afresh, so that a mistake in a rule (or a case
    reopened since) can never cost an open case anything."""
    surviving = _surviving(session)
    statuses: dict[int, str] = {}
    kept = []
    for item in items:
        cases = owning_cases(session, item, surviving)
        missing = [c for c in cases if c not in statuses]
        if missing:
            statuses.update(
                session.execute(
                    select(ChildRow.id, ChildRow.status).where(ChildRow.id.in_(missing))
                ).all()
            )
        duplicate_rule = item.kind is Kind.DUPLICATE_PROPOSAL
        if any(is_open(statuses[c], duplicate_rule=duplicate_rule) for c in cases):
            continue
        kept.append(item)
    return kept
