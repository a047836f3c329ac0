"""Retention: each rule removes what it names after its period and not before,
never anything of an open case, never a decision; every removal is audited."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from homeward.domain.model import Category, SourceKind
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Forbidden
from homeward.services import cases, merging, review, triage
from homeward.services.audit_trail import verify_audit, verify_rows
from homeward.services.evidence import verify_store
from homeward.services.registry_app import Registry
from homeward.services.retention import (
    Kind,
    Policy,
    RetentionPlan,
    apply_retention,
    is_open,
    plan_retention,
)
from homeward.storage.tables import (
    AuditRow,
    Base,
    DecisionRow,
    DocumentRow,
    MatchCandidateRow,
    RecordKeyRow,
    RecordRow,
    SourceRow,
)
from homeward.storage.uow import UnitOfWork
from tests.factories import make_child, make_record

OPERATOR = Actor(username="cli:keeper", role=Role.SYSTEM)
WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
REPORT = {"given_name": "Марко", "family_name": "Дорош", "birth_date": "2014",
          "reporter_name": "Дорош Ганна", "reporter_contact": "+380 63 000 11 22"}  # fmt: skip
NOW = datetime.now(UTC)


def at(days: float) -> datetime:
    return NOW + timedelta(days=days)


def ids(plan: RetentionPlan, kind: Kind) -> list[str]:
    return [item.id for item in plan.of_kind(kind)]


def snapshot(registry: Registry) -> dict[str, Any]:
    """Every table's row count and the store's files: what a run may change."""
    with registry.uow(write=False) as uow:
        rows = {
            name: uow.session.scalar(select(func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
        }
    loose = (
        sorted(p.name for p in registry.files.root.glob(".*"))
        if registry.files.root.exists()
        else []
    )
    return {"rows": rows, "files": sorted(registry.files.hashes()), "loose": loose}


def audit_entries(registry: Registry, action: str) -> list[AuditRow]:
    with registry.uow(write=False) as uow:
        return list(
            uow.session.scalars(
                select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.seq)
            )
        )


def assert_audited(registry: Registry) -> None:
    """The chain verifies, and replaying it gives the tables as they are: every
    row removed was removed through the trail."""
    assert verify_audit(registry).ok
    assert verify_rows(registry) == []


def receive(registry: Registry, **changes: str) -> int:
    with registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        received = triage.receive_public_report(uow, {**REPORT, **changes}, consent=True)
        uow.commit()
    return received.record_id


def add_document(uow: UnitOfWork, registry: Registry, child_id: int, data: bytes) -> DocumentRow:
    stored = registry.files.put_bytes(data)
    row = DocumentRow(
        child_id=child_id, kind="birth_certificate", sha256=stored.sha256, size=stored.size,
        media_type="application/pdf", filename="certificate.pdf", added_by="olena",
    )  # fmt: skip
    with uow.action("document.add"):
        uow.session.add(row)
        uow.session.flush()
    return row


# --- the open-case check --------------------------------------------------------------


def test_only_a_closed_case_is_not_open_and_for_duplicates_rejected_and_merged_too() -> None:
    for status in Status:
        assert is_open(status) is (status != Status.CLOSED)
        expected = status not in (Status.CLOSED, Status.REJECTED, Status.MERGED)
        assert is_open(status, duplicate_rule=True) is expected


# --- public reports -------------------------------------------------------------------


def test_a_report_rejected_in_triage_goes_after_its_period_and_the_rejection_stays(
    registry: Registry,
) -> None:
    spam = receive(registry, notes="test test")
    waiting = receive(registry, given_name="Ілля")
    taken = receive(registry, given_name="Оксана")
    with registry.uow(WORKER) as uow:
        triage.reject(uow, spam, reason="a test of the form, nothing about a child")
        triage.open_case(uow, taken, category=Category.MISSING, reason="a real report")
        uow.commit()
    with registry.uow(write=False) as uow:
        reference = uow.repos.records.get(spam).external_id
        source_id = uow.repos.records.get(spam).source_id

    assert ids(plan_retention(registry, at(364)), Kind.PUBLIC_REPORT) == []
    plan = plan_retention(registry, at(366))
    assert ids(plan, Kind.PUBLIC_REPORT) == [str(spam)]  # the untriaged one waits: rule off
    [item] = plan.of_kind(Kind.PUBLIC_REPORT)
    assert reference in item.what and "rejected in triage" in item.why
    assert timedelta(days=365) < item.age < timedelta(days=366)

    result = apply_retention(registry, plan, OPERATOR)
    assert [i.id for i in result.removed] == [str(spam)] and result.skipped == []
    with registry.uow(WORKER) as uow:
        assert uow.repos.records.find(spam) is None
        assert uow.repos.sources.find(source_id) is None  # the report's own source, now empty
        keys = select(func.count()).where(RecordKeyRow.record_id == spam)
        assert uow.session.scalar(keys) == 0
        assert uow.repos.records.find(waiting) is not None
        assert uow.repos.records.find(taken) is not None
        [rejection] = triage.rejected(uow)  # the decision is never removed
        assert rejection.reference == reference and rejection.record_id == spam
        decisions = (
            select(func.count()).select_from(DecisionRow).where(DecisionRow.kind == "triage_reject")
        )
        assert uow.session.scalar(decisions) == 1
    deleted = audit_entries(registry, "retention.apply:delete")
    assert ("records", str(spam)) in {(e.entity_type, e.entity_id) for e in deleted}
    assert ("sources", str(source_id)) in {(e.entity_type, e.entity_id) for e in deleted}
    [why] = audit_entries(registry, "retention.remove")
    assert (why.entity_type, why.entity_id) == ("records", str(spam))
    assert "rejected in triage" in (why.after or "")
    [summary] = audit_entries(registry, "retention.apply")
    assert '"public_report":1' in (summary.after or "")
    assert '"retention_public_reports_days":365' in (summary.after or "")
    assert_audited(registry)

    again = apply_retention(registry, plan, OPERATOR)
    assert again.removed == [] and [i.id for i in again.skipped] == [str(spam)]
    assert plan_retention(registry, at(366)).empty


def test_an_untriaged_report_goes_only_when_that_rule_is_on(registry: Registry) -> None:
    waiting = receive(registry)
    with registry.uow() as uow:  # proposed before public reports were kept out of matching
        child = make_child(uow)
        proposal = _propose(uow, review.record_pair(waiting, child.id), child.id, record_id=waiting)
        uow.commit()
    policy = Policy(untriaged_public_reports_days=30)
    assert plan_retention(registry, at(29), policy=policy).empty
    plan = plan_retention(registry, at(31), policy=policy)
    assert ids(plan, Kind.PUBLIC_REPORT) == [str(waiting)]
    assert "never triaged" in plan.items[0].why
    assert plan_retention(registry, at(3000)).empty  # off by the default policy
    apply_retention(registry, plan, OPERATOR)
    with registry.uow(WORKER) as uow:
        assert triage.waiting(uow) == []
        # the proposal nobody decided could never be decided without its record
        assert uow.repos.match_candidates.find(proposal.id) is None
        assert uow.repos.children.find(child.id) is not None
    assert_audited(registry)


def test_a_report_someone_once_linked_or_proposed_and_decided_is_kept(
    registry: Registry,
) -> None:
    linked_once = receive(registry)
    proposed = receive(registry, given_name="Ілля")
    with registry.uow() as uow:
        child = make_child(uow)
        cases.link_record(uow, linked_once, child.id, reason="the mother's report")
        cases.unlink_record(uow, linked_once, reason="not this child after all")
        with uow.action("match.propose"):
            uow.session.add(
                MatchCandidateRow(
                    pair=review.record_pair(proposed, child.id), record_id=proposed,
                    child_id=child.id, probability=0.4, weight=1.0, model="default",
                    origin="scan", status="rejected", proposed_by="system",
                    decided_by="olena", reason="another child",
                )
            )  # fmt: skip
        uow.commit()
    policy = Policy(untriaged_public_reports_days=1)
    assert ids(plan_retention(registry, at(5000), policy=policy), Kind.PUBLIC_REPORT) == []


def test_a_report_in_a_case_is_never_planned_however_old(registry: Registry) -> None:
    taken = receive(registry)
    with registry.uow(WORKER) as uow:
        triage.open_case(uow, taken, category=Category.MISSING, reason="a real report")
        uow.commit()
    policy = Policy(public_reports_days=1, untriaged_public_reports_days=1)
    assert plan_retention(registry, at(20_000), policy=policy).empty


# --- proposals about settled duplicates ------------------------------------------------


def _propose(uow: UnitOfWork, pair: str, child_id: int, **ids_: int | None) -> MatchCandidateRow:
    row = MatchCandidateRow(
        pair=pair, child_id=child_id, probability=0.6, weight=2.0, model="default",
        origin="scan", status="pending", proposed_by="system", **ids_,
    )  # fmt: skip
    with uow.action("match.propose"):
        uow.session.add(row)
        uow.session.flush()
    return row


def test_an_undecided_proposal_about_a_merged_case_leaves_the_queue_after_its_period(
    registry: Registry,
) -> None:
    with registry.uow() as uow:
        duplicate, surviving = make_child(uow), make_child(uow, given_name="Александр")
        other = make_child(uow, given_name="Олег", birth_date="2010-01-01")
        loose = make_record(uow, given_name="Олександр")
        stale = _propose(uow, review.record_pair(loose.id, duplicate.id), duplicate.id,
                         record_id=loose.id)  # fmt: skip
        with_open = _propose(uow, review.children_pair(duplicate.id, other.id), duplicate.id,
                             other_child_id=other.id)  # fmt: skip
        decided = _propose(uow, "record:0|child:0", duplicate.id, record_id=make_record(uow).id)
        decided.status, decided.decided_by, decided.reason = "rejected", "olena", "not him"
        merging.merge_children(uow, duplicate.id, surviving.id, reason="one child")
        uow.commit()

    assert plan_retention(registry, at(89)).empty
    plan = plan_retention(registry, at(91))
    # the pair with an open case and the rejected pair stay: only the stale one goes
    assert ids(plan, Kind.DUPLICATE_PROPOSAL) == [str(stale.id)]
    assert "merged into" in plan.items[0].why
    apply_retention(registry, plan, OPERATOR)
    with registry.uow(OPERATOR) as uow:
        assert uow.repos.match_candidates.find(stale.id) is None
        assert uow.repos.match_candidates.find(with_open.id) is not None
        assert uow.repos.match_candidates.find(decided.id) is not None
        assert uow.repos.records.find(loose.id) is not None
        assert [i.id for i in review.queue(uow)] == [with_open.id]
    assert_audited(registry)


def test_a_proposal_between_a_rejected_duplicate_and_a_closed_case_goes(
    registry: Registry,
) -> None:
    with registry.uow() as uow:
        rejected, closed = make_child(uow), make_child(uow, given_name="Александр")
        proposal = _propose(uow, review.children_pair(rejected.id, closed.id), rejected.id,
                            other_child_id=closed.id)  # fmt: skip
        cases.move_status(uow, rejected.id, Status.REJECTED, detail="duplicate", reason="dup")
        uow.commit()
    # while the other case is open, the proposal belongs to it too
    assert plan_retention(registry, at(1000)).empty
    with registry.uow() as uow:
        cases.move_status(uow, closed.id, Status.CLOSED, detail="withdrawn", reason="family")
        uow.commit()
    plan = plan_retention(registry, at(91))
    assert ids(plan, Kind.DUPLICATE_PROPOSAL) == [str(proposal.id)]
    assert "rejected as a duplicate" in plan.items[0].why


# --- files ---------------------------------------------------------------------------


def test_a_file_no_document_names_goes_after_the_grace_period_a_named_one_stays(
    registry: Registry,
) -> None:
    orphan = registry.files.put_bytes(b"an upload cut short").sha256
    incoming = registry.files.root / ".incoming-abc123"
    incoming.write_bytes(b"half a file")
    with registry.uow() as uow:
        child = make_child(uow)
        doc = add_document(uow, registry, child.id, b"birth certificate")
        first_copy = registry.files.put_bytes(b"redacted, first try").sha256
        with uow.action("document.redact"):
            doc.working_sha256, doc.working_size = first_copy, 19
        uow.commit()
    with registry.uow() as uow:
        second_copy = registry.files.put_bytes(b"redacted, second try").sha256
        with uow.action("document.redact"):
            uow.session.get_one(DocumentRow, doc.id).working_sha256 = second_copy
        uow.commit()

    assert plan_retention(registry, at(1)).empty
    plan = plan_retention(registry, at(3))
    assert sorted(ids(plan, Kind.ORPHAN_FILE)) == sorted([orphan, first_copy, incoming.name])
    why = {i.id: i.why for i in plan.items}
    assert f"working copy of document {doc.id}" in why[first_copy]
    assert "upload cut short" in why[orphan]

    result = apply_retention(registry, plan, OPERATOR)
    assert sorted(result.files_removed) == sorted([orphan, first_copy, incoming.name])
    assert not registry.files.exists(orphan) and not registry.files.exists(first_copy)
    assert not incoming.exists()
    assert list(registry.files.root.glob(".retention-*")) == []
    for kept in (doc.sha256, second_copy):
        assert registry.files.check(kept) is None
    notes = audit_entries(registry, "retention.remove")
    assert {(n.entity_type, n.entity_id) for n in notes} == {
        ("files", orphan),
        ("files", first_copy),
        ("files", incoming.name),
    }
    assert_audited(registry)
    assert apply_retention(registry, plan_retention(registry, at(3)), OPERATOR).removed == []


def test_a_file_an_interrupted_run_set_aside_is_put_back_when_a_document_names_it(
    registry: Registry,
) -> None:
    with registry.uow() as uow:
        doc = add_document(uow, registry, make_child(uow).id, b"proof of kinship")
        uow.commit()
    address = registry.files.path(doc.sha256)
    os.replace(address, registry.files.root / f".retention-{doc.sha256}")
    plan = plan_retention(registry, at(30))
    assert plan.empty  # named by a document: not removable, whatever its name now
    result = apply_retention(registry, plan, OPERATOR)
    assert result.files_restored == [doc.sha256]
    assert registry.files.check(doc.sha256) is None
    assert_audited(registry)


# --- documents of withdrawn cases --------------------------------------------------------


def test_documents_of_a_case_withdrawn_long_ago_go_and_a_shared_file_stays(
    registry: Registry,
) -> None:
    with registry.uow() as uow:
        withdrawn, open_case = make_child(uow), make_child(uow, given_name="Марія", sex="f")
        own = add_document(uow, registry, withdrawn.id, b"only this case's photo")
        shared = add_document(uow, registry, withdrawn.id, b"the same decree")
        other = add_document(uow, registry, open_case.id, b"the same decree")
        cases.move_status(uow, withdrawn.id, Status.CLOSED, detail="withdrawn", reason="family")
        uow.commit()

    assert ids(plan_retention(registry, at(3649)), Kind.WITHDRAWN_DOCUMENT) == []
    plan = plan_retention(registry, at(3651))
    assert ids(plan, Kind.WITHDRAWN_DOCUMENT) == [str(own.id), str(shared.id)]
    assert "closed as withdrawn" in plan.items[0].why
    result = apply_retention(registry, plan, OPERATOR)
    assert result.files_removed == [own.sha256]
    assert not registry.files.exists(own.sha256)
    assert registry.files.check(other.sha256) is None  # the open case's copy of the decree
    with registry.uow(write=False) as uow:
        assert uow.session.get(DocumentRow, own.id) is None
        assert uow.session.get(DocumentRow, other.id) is not None
    [file_note] = audit_entries(registry, "retention.remove_file")
    assert file_note.entity_id == own.sha256
    assert_audited(registry)
    store = verify_store(registry)  # each removed document's removal is on record
    assert store.ok, store.problems
    assert store.documents == 1


def test_a_document_of_a_reopened_case_is_never_planned_nor_removed(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        doc = add_document(uow, registry, child.id, b"a letter")
        cases.move_status(uow, child.id, Status.CLOSED, detail="withdrawn", reason="family")
        uow.commit()
    plan = plan_retention(registry, at(4000))
    assert ids(plan, Kind.WITHDRAWN_DOCUMENT) == [str(doc.id)]
    with registry.uow() as uow:  # new facts: the case is open again before the run
        cases.move_status(uow, child.id, Status.UNDER_VERIFICATION, reason="a new sighting")
        uow.commit()
    result = apply_retention(registry, plan, OPERATOR)
    assert result.removed == [] and [i.id for i in result.skipped] == [str(doc.id)]
    assert registry.files.check(doc.sha256) is None
    assert plan_retention(registry, at(40_000)).empty


def test_documents_of_a_duplicate_merged_into_a_withdrawn_case_count_as_that_case(
    registry: Registry,
) -> None:
    with registry.uow() as uow:
        duplicate, surviving = make_child(uow), make_child(uow, given_name="Александр")
        doc = add_document(uow, registry, duplicate.id, b"a photo")
        merging.merge_children(uow, duplicate.id, surviving.id, reason="one child")
        uow.commit()
    assert plan_retention(registry, at(5000)).empty  # the surviving case is open
    with registry.uow() as uow:
        cases.move_status(uow, surviving.id, Status.CLOSED, detail="withdrawn", reason="family")
        uow.commit()
    assert ids(plan_retention(registry, at(3651)), Kind.WITHDRAWN_DOCUMENT) == [str(doc.id)]


# --- show and apply as a whole --------------------------------------------------------------


def test_planning_changes_nothing_and_only_the_operator_applies(registry: Registry) -> None:
    spam = receive(registry)
    registry.files.put_bytes(b"orphan")
    with registry.uow(WORKER) as uow:
        triage.reject(uow, spam, reason="spam")
        uow.commit()
    before = snapshot(registry)
    plan = plan_retention(registry, at(400))
    assert plan.counts() == {"public_report": 1, "duplicate_proposal": 0, "orphan_file": 1,
                             "withdrawn_document": 0}  # fmt: skip
    plan_retention(registry, at(400))
    assert snapshot(registry) == before
    with pytest.raises(Forbidden):
        apply_retention(registry, plan, WORKER)
    assert snapshot(registry) == before
    apply_retention(registry, plan, OPERATOR)
    after = snapshot(registry)
    assert after["rows"]["records"] == before["rows"]["records"] - 1
    assert after["files"] == [] and after["rows"]["decisions"] == before["rows"]["decisions"]


def test_apply_removes_only_what_was_planned(registry: Registry) -> None:
    first = receive(registry)
    with registry.uow(WORKER) as uow:
        triage.reject(uow, first, reason="spam")
        uow.commit()
    plan = plan_retention(registry, at(400))
    second = receive(registry, given_name="Ілля")
    with registry.uow(WORKER) as uow:
        triage.reject(uow, second, reason="spam again")
        uow.commit()
    # the second report is eligible at the plan's time too, but was not shown
    result = apply_retention(registry, plan, OPERATOR)
    assert [i.id for i in result.removed] == [str(first)]
    with registry.uow(write=False) as uow:
        assert uow.session.get(RecordRow, second) is not None
        kinds = uow.session.scalars(select(SourceRow.kind)).all()
        assert kinds == [SourceKind.PUBLIC_REPORT.value]
