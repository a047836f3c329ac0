"""Planning a retention run, and applying exactly what was planned."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from homeward.domain.model import SourceKind
from homeward.domain.roles import Actor, Role
from homeward.errors import Forbidden, Invalid
from homeward.services.registry_app import Registry
from homeward.services.retention.policy import (
    Kind,
    Policy,
    RetentionItem,
    RetentionPlan,
    RetentionResult,
)
from homeward.services.retention.rules import (
    duplicate_proposals,
    public_reports,
    referenced_hashes,
    withdrawn_documents,
    without_open_cases,
)
from homeward.services.retention.store import (
    Removal,
    orphan_files,
    restore_set_aside,
)
from homeward.storage.db import take_write_lock
from homeward.storage.files import FileStore
from homeward.storage.tables import (
    DocumentRow,
    EventRow,
    ImportRow,
    MatchCandidateRow,
    RecordKeyRow,
    RecordRow,
    RelativeRow,
    SourceRow,
)
from homeward.storage.uow import UnitOfWork

ENTITY = {
    Kind.PUBLIC_REPORT: "records",
    Kind.DUPLICATE_PROPOSAL: "match_candidates",
    Kind.ORPHAN_FILE: "files",
    Kind.WITHDRAWN_DOCUMENT: "documents",
}
"""The audit trail's entity type of each kind's items."""


def eligible(
    session: Session, files: FileStore, now: datetime, policy: Policy
) -> list[RetentionItem]:
    """Everything the rules select at ``now``, less whatever belongs to an open case."""
    found = [
        *public_reports(session, now, policy),
        *duplicate_proposals(session, now, policy),
        *orphan_files(session, files, now, policy),
        *withdrawn_documents(session, now, policy),
    ]
    return without_open_cases(session, found)


def plan_retention(
    registry: Registry, now: datetime | None = None, *, policy: Policy | None = None
) -> RetentionPlan:
    """What retention would remove at ``now`` (the present by default) under
    ``policy`` (the settings' by default).  Reads only: nothing changes, and
    nothing is written to the audit trail."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise Invalid("now: give the time with its zone (UTC)")
    policy = policy or Policy.from_settings(registry.settings)
    with registry.uow(write=False) as uow:
        items = eligible(uow.session, registry.files, now, policy)
    return RetentionPlan(now, policy, tuple(items))


def apply_retention(registry: Registry, plan: RetentionPlan, actor: Actor) -> RetentionResult:
    """Remove what ``plan`` lists and is still eligible: every rule and the
    open-case guard run again inside the transaction, under the writers' lock,
    at the plan's time and policy (the ones the operator saw).  Nothing beyond
    the plan is removed, even if more became eligible since.

    Each removed row is in the audit trail (``retention.apply:delete``), each
    item with its reason (``retention.remove``), each file that leaves the
    store (``retention.remove_file``), and the run with its counts and policy
    (``retention.apply``).  Files leave the store only once the transaction has
    committed (:mod:`homeward.services.retention.store`)."""
    if actor.role is not Role.SYSTEM:
        raise Forbidden("retention is applied by the operator: homeward retention apply")
    result = RetentionResult()
    removal = Removal(registry.files)
    with registry.uow(actor) as uow:
        session = uow.session
        if session.get_bind().dialect.name == "postgresql":
            take_write_lock(session.connection())
        result.files_restored = restore_set_aside(session, registry.files)
        for sha in result.files_restored:
            uow.note("retention.restore_file", "files", sha, reason="set aside by a run cut short")
        fresh = {i.key for i in eligible(session, registry.files, plan.now, plan.policy)}
        for item in plan.items:
            (result.removed if item.key in fresh else result.skipped).append(item)
        with uow.action("retention.apply"):
            for item in result.removed:
                _remove_rows(uow, item)
        try:
            _remove_files(uow, removal, result)
            for item in result.removed:
                uow.note(
                    "retention.remove", ENTITY[item.kind], item.id, kind=item.kind.value,
                    what=item.what, why=item.why, since=item.since.isoformat(),
                    age_days=item.age_days,
                )  # fmt: skip
            uow.note(
                "retention.apply", "retention", None, as_of=plan.now.isoformat(),
                policy=plan.policy.as_dict(), removed=result.counts(),
                skipped=len(result.skipped), files_removed=len(result.files_removed),
            )  # fmt: skip
            uow.commit()
        except BaseException:
            removal.put_back()
            raise
    result.problems = removal.finish()
    return result


def _remove_rows(uow: UnitOfWork, item: RetentionItem) -> None:
    session = uow.session
    if item.kind is Kind.PUBLIC_REPORT:
        _remove_public_report(session, int(item.id))
    elif item.kind is Kind.DUPLICATE_PROPOSAL:
        session.delete(session.get_one(MatchCandidateRow, int(item.id)))
    elif item.kind is Kind.WITHDRAWN_DOCUMENT:
        session.delete(session.get_one(DocumentRow, int(item.id)))
    session.flush()


def _remove_public_report(session: Session, record_id: int) -> None:
    """The record, what only indexes or proposes it, and its source when the
    source holds nothing else.  The triage decision that rejected it stays (it
    names the record by id and the report by its reference)."""
    record = session.get_one(RecordRow, record_id)
    # only proposals nobody decided are left (the rule keeps a report with a
    # decided one); without the record they could never be decided
    for proposal in session.scalars(
        select(MatchCandidateRow).where(MatchCandidateRow.record_id == record_id)
    ):
        session.delete(proposal)
    session.execute(delete(RecordKeyRow).where(RecordKeyRow.record_id == record_id))
    source_id = record.source_id
    session.delete(record)
    session.flush()
    source = session.get_one(SourceRow, source_id)
    if source.kind != SourceKind.PUBLIC_REPORT.value:
        return
    for column in (
        RecordRow.source_id,
        EventRow.source_id,
        RelativeRow.source_id,
        DocumentRow.source_id,
        ImportRow.source_id,
    ):
        if session.scalar(select(exists().where(column == source_id))):
            return
    session.delete(source)


def _remove_files(uow: UnitOfWork, removal: Removal, result: RetentionResult) -> None:
    """Set aside the store files that removed items leave unnamed (a file two
    documents share stays while either is kept), and note each file of a
    removed document; temporary files are deleted after the commit."""
    named = referenced_hashes(uow.session)
    owners: dict[str, list[RetentionItem]] = {}
    for item in result.removed:
        if item.kind is Kind.ORPHAN_FILE and not item.files:
            removal.loose.append(removal.files.root / item.id)
            result.files_removed.append(item.id)
            continue
        for sha in item.files:
            if sha not in named:
                owners.setdefault(sha, []).append(item)
    for sha, items in owners.items():
        if not removal.set_aside(sha):
            continue
        result.files_removed.append(sha)
        documents = [i.id for i in items if i.kind is Kind.WITHDRAWN_DOCUMENT]
        if documents:
            uow.note(
                "retention.remove_file", "files", sha, documents=documents,
                reason="no document that is kept names it",
            )  # fmt: skip
