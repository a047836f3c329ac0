"""The review queue: proposals, auto-links, accept / reject / defer, undo, on
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from homeward.config import Settings
from homeward.domain.model import Category
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Conflict, Forbidden, Invalid
from homeward.linkage.model import MatchModel, default_model
from homeward.services import review, triage
from homeward.services.registry_app import Registry
from homeward.services.review import Action, Outcome, ReviewStatus, Thresholds
from homeward.storage.tables import AuditRow, DecisionRow, MatchCandidateRow
from tests.factories import make_child, make_record

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
VERIFIER = Actor(username="taras", role=Role.VERIFIER, user_id=2)
PARTNER = Actor(username="ngo", role=Role.PARTNER, user_id=3, organisation_id=1)

RUSSIAN = {
    "given_name": "Александр",
    "family_name": "Коваленко",
    "patronymic": "Сергеевич",
    "sex": "м",
    "birth_date": "04.03.2012",
    "birth_place": "Мариуполь",
    "mother_name": "Коваленко Елена Петровна",
}
"""The child of ``tests.factories.DEFAULT_RECORD``, as a Russian record writes him."""


def _actions(registry: Registry, entity_id: str) -> list[str]:
    with registry.uow(write=False) as uow:
        return list(
            uow.session.scalars(
                select(AuditRow.action)
                .where(AuditRow.entity_type == "match_candidates")
                .where(AuditRow.entity_id == entity_id)
                .order_by(AuditRow.seq)
            )
        )


def _loose_record(registry: Registry, **fields: str) -> int:
    """A record in no case (as an import leaves it before matching)."""
    with registry.uow() as uow:
        record = make_record(uow, **{**RUSSIAN, **fields})
        uow.commit()
        return record.id


def test_a_sure_match_is_linked_at_once_and_can_be_undone(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    record_id = _loose_record(registry)
    with registry.uow(WORKER) as uow:
        summary = review.propose_for_record(uow, record_id)
        uow.commit()
    assert summary.outcomes[Outcome.AUTO_LINKED] == 1
    with registry.uow(WORKER, write=False) as uow:
        assert uow.repos.records.get(record_id).child_id == child.id
        [item] = review.queue(uow, statuses=[ReviewStatus.AUTO_LINKED])
    assert item.kind == "record" and item.record_id == record_id and item.child_id == child.id
    assert item.probability >= 0.99
    assert item.describe()[0].startswith("given name: Александр ~ Олександр")
    assert item.decided_by == "olena" and "auto-link threshold" in (item.reason or "")
    assert _actions(registry, str(item.id)) == ["match.propose:insert", "match.auto_link:update"]

    with registry.uow(VERIFIER) as uow:
        review.undo(uow, item.id, reason="the birth certificate says otherwise")
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        assert uow.repos.records.get(record_id).child_id is None
        [again] = review.queue(uow)
        assert again.id == item.id and again.status == ReviewStatus.PENDING
        kinds = [d.kind for d in uow.session.scalars(select(DecisionRow).order_by(DecisionRow.id))]
    assert kinds[-2:] == ["link", "unlink"]


def test_two_sure_cases_for_one_record_wait_for_a_person(registry: Registry) -> None:
    with registry.uow() as uow:
        first, second = make_child(uow), make_child(uow)  # an unmerged duplicate
        uow.commit()
    record_id = _loose_record(registry)
    with registry.uow(WORKER) as uow:
        summary = review.propose_for_record(uow, record_id)
        uow.commit()
    assert summary.outcomes[Outcome.QUEUED] == 2
    assert summary.outcomes[Outcome.AUTO_LINKED] == 0
    with registry.uow(WORKER, write=False) as uow:
        assert uow.repos.records.get(record_id).child_id is None
        waiting = review.queue(uow)
    assert {i.child_id for i in waiting} == {first.id, second.id}


def test_accept_links_reject_stays_rejected_defer_waits(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    # No mother, no patronymic, a year only: probable, not sure.
    record_id = _loose_record(
        registry, patronymic="", mother_name="", birth_date="2012", birth_place=""
    )
    strict = Thresholds(auto_link=1.0, review=0.2)
    with registry.uow(WORKER) as uow:
        assert review.propose_for_record(uow, record_id, thresholds=strict).outcomes["queued"] == 1
        uow.commit()
    with registry.uow(WORKER) as uow:
        [item] = review.queue(uow)
        review.decide(uow, item.id, Action.DEFER, reason="ask the mother for the birth date")
        uow.commit()
    with registry.uow(WORKER) as uow:
        [deferred] = review.queue(uow)
        assert deferred.status == ReviewStatus.DEFERRED
        review.decide(uow, item.id, Action.REJECT, reason="mother says he was born in 2013")
        uow.commit()
    with registry.uow(WORKER) as uow:
        assert review.queue(uow) == []
        again = review.propose_for_record(uow, record_id, thresholds=strict)
        uow.commit()
    assert again.outcomes[Outcome.SETTLED] == 1
    with registry.uow(WORKER) as uow:
        assert review.get_item(uow, item.id).status == ReviewStatus.REJECTED
        with pytest.raises(Conflict, match="already rejected by olena"):
            review.decide(uow, item.id, Action.ACCEPT, reason="changed my mind")
        review.undo(uow, item.id, reason="the mother was mistaken")
        review.decide(uow, item.id, Action.ACCEPT, reason="school record confirms 2012")
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        assert uow.repos.records.get(record_id).child_id == child.id
        accepted = review.get_item(uow, item.id)
        assert review.counts(uow)["accepted"] == 1
    assert accepted.status == ReviewStatus.ACCEPTED and accepted.decided_by == "olena"
    assert _actions(registry, str(item.id)) == [
        "match.propose:insert",
        "match.defer:update",
        "match.reject:update",
        "match.undo:update",
        "match.accept:update",
    ]


def test_a_stale_view_cannot_decide(registry: Registry) -> None:
    with registry.uow() as uow:
        make_child(uow)
        uow.commit()
    record_id = _loose_record(registry, mother_name="", patronymic="")
    with registry.uow(WORKER) as uow:
        review.propose_for_record(uow, record_id, thresholds=Thresholds(auto_link=1.0))
        uow.commit()
    with registry.uow(WORKER) as uow:
        [item] = review.queue(uow)
        review.decide(uow, item.id, Action.DEFER, reason="later")
        uow.commit()
    with registry.uow(VERIFIER) as uow, pytest.raises(Conflict, match="someone else"):
        review.decide(uow, item.id, Action.REJECT, reason="no", expected_version=item.version)


def test_scan_proposes_duplicate_cases_and_accepting_merges_them(registry: Registry) -> None:
    with registry.uow() as uow:
        older = make_child(uow)
        newer = make_child(uow, **RUSSIAN)
        sister = make_child(uow, given_name="Марія", sex="f", birth_date="2015-07-21")
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        summary = review.scan_registry(uow)
        uow.commit()
    assert summary.records == 3 and summary.outcomes[Outcome.QUEUED] == 1
    with registry.uow(VERIFIER) as uow:
        [item] = review.queue(uow)
        assert (item.kind, item.child_id, item.other_child_id) == ("cases", older.id, newer.id)
        assert sister.id not in (item.child_id, item.other_child_id)
        assert item.origin == "scan" and item.model == "default"
        review.decide(uow, item.id, Action.ACCEPT, reason="same child, Russian record")
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        merged = uow.repos.children.get(newer.id)
        assert merged.status == Status.MERGED and merged.merged_into_id == older.id
    with registry.uow(VERIFIER) as uow:
        assert review.scan_registry(uow).outcomes[Outcome.QUEUED] == 0  # one case now
        review.undo(uow, item.id, reason="two children after all: the DNA test")
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        assert uow.repos.children.get(newer.id).status != Status.MERGED
        assert [i.id for i in review.queue(uow)] == [item.id]


def test_the_surviving_case_can_be_chosen(registry: Registry) -> None:
    with registry.uow() as uow:
        older = make_child(uow)
        newer = make_child(uow, **RUSSIAN)
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        review.scan_registry(uow)
        [item] = review.queue(uow)
        with pytest.raises(Invalid, match="one of the two cases"):
            review.decide(uow, item.id, Action.ACCEPT, reason="x", surviving_child_id=999)
        review.decide(uow, item.id, Action.ACCEPT, reason="same", surviving_child_id=newer.id)
        uow.commit()
    with registry.uow(write=False) as uow:
        assert uow.repos.children.get(older.id).merged_into_id == newer.id


def test_rejected_pairs_stay_rejected_after_retraining(registry: Registry) -> None:
    with registry.uow() as uow:
        make_child(uow)
        make_child(uow, **RUSSIAN)
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        review.scan_registry(uow)
        [item] = review.queue(uow)
        review.decide(uow, item.id, Action.REJECT, reason="twins registered twice? no: two boys")
        uow.commit()
    data = default_model().to_dict()
    data["prior"] = 0.5  # a retrained model that thinks far better of every pair
    retrained = MatchModel.from_dict(data)
    with registry.uow(VERIFIER) as uow:
        summary = review.scan_registry(uow, model=retrained)
        uow.commit()
    assert summary.outcomes[Outcome.SETTLED] == 1 and summary.outcomes[Outcome.QUEUED] == 0
    with registry.uow(VERIFIER, write=False) as uow:
        assert review.get_item(uow, item.id).status == ReviewStatus.REJECTED
        assert review.queue(uow) == []


def test_a_waiting_pair_is_rescored_by_a_new_model(registry: Registry) -> None:
    with registry.uow() as uow:
        make_child(uow)
        make_child(uow, **RUSSIAN)
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        review.scan_registry(uow)
        uow.commit()
    data = default_model().to_dict()
    data["fields"]["birth_place"]["levels"]["same_place"]["m"] = 0.5  # any change makes a new model
    retrained = MatchModel.from_dict(data)
    with registry.uow(VERIFIER) as uow:
        assert review.scan_registry(uow, model=retrained).outcomes["refreshed"] == 1
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        [item] = review.queue(uow)
    assert item.model == review.model_label(retrained) and item.model.startswith("sha256:")


def test_unrelated_children_are_not_proposed(registry: Registry) -> None:
    with registry.uow() as uow:
        make_child(uow)
        make_child(
            uow, given_name="Дмитро", family_name="Шевчук", patronymic="Іванович",
            birth_date="2010-01-02", birth_place="Херсон", mother_name="Шевчук Ірина",
        )  # fmt: skip
        make_child(uow, given_name="Марія", sex="f", birth_date="2015-07-21")  # his sister
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        summary = review.scan_registry(uow)
    assert summary.outcomes[Outcome.QUEUED] == 0


def test_only_reviewers_read_or_decide(registry: Registry) -> None:
    with registry.uow(PARTNER, write=False) as uow:
        with pytest.raises(Forbidden):
            review.queue(uow)
        with pytest.raises(Forbidden):
            review.scan_registry(uow)
    with registry.uow(WORKER, write=False) as uow, pytest.raises(Invalid, match="no such status"):
        review.queue(uow, statuses=["maybe"])


def test_thresholds_come_from_the_settings_and_must_be_in_order(tmp_path: object) -> None:
    settings = Settings(auto_link_threshold=0.95, review_threshold=0.3)
    assert Thresholds.from_settings(settings) == Thresholds(auto_link=0.95, review=0.3)
    with pytest.raises(Invalid):
        Thresholds(auto_link=0.5, review=0.6)
    with pytest.raises(ValueError, match="must not exceed"):
        Settings(auto_link_threshold=0.5, review_threshold=0.6)


def test_a_verifier_accepts_a_record_for_a_case(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    record_id = _loose_record(registry, patronymic="", mother_name="")
    with registry.uow(WORKER) as uow:
        review.propose_for_record(uow, record_id, thresholds=Thresholds(auto_link=1.0))
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        [item] = review.queue(uow)
        review.decide(uow, item.id, Action.ACCEPT, reason="the commission confirms")
        uow.commit()
    with registry.uow(write=False) as uow:
        assert uow.repos.records.get(record_id).child_id == child.id


# --- reports sent through the public form -----------------------------------------

FORGED = {"given_name": "Олександр", "family_name": "Коваленко", "patronymic": "Сергійович",
          "sex": "m", "birth_date": "2012-03-04", "reporter_name": "Іван Петренко",
          "reporter_contact": "+380 67 000 00 00"}  # fmt: skip
"""A public report that gives the child of ``DEFAULT_RECORD`` exactly, as far
as the form asks: anyone who knows a child's name and birth date can send it."""


def _public_report(registry: Registry, **fields: str) -> int:
    with registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        received = triage.receive_public_report(uow, {**FORGED, **fields}, consent=True)
        uow.commit()
        return received.record_id


def _proposed_records(registry: Registry) -> set[int | None]:
    with registry.uow(write=False) as uow:
        return set(uow.session.scalars(select(MatchCandidateRow.record_id)))


def test_a_waiting_public_report_is_never_proposed_nor_linked_unasked(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    report = _public_report(registry)
    # the same values from a case worker's report: linked at once, so the public
    # report would be too if it took part
    fields = {k: v for k, v in FORGED.items() if not k.startswith("reporter")}
    typed = _loose_record(registry, **fields, birth_place="", mother_name="")
    with registry.uow(WORKER) as uow:
        alone = review.propose_for_record(uow, report)
        imported = review.match_records(uow, [report])
        scanned = review.scan_registry(uow)
        uow.commit()
    assert sum(alone.outcomes.values()) == 0 and alone.candidate_pairs == 0
    assert sum(imported.outcomes.values()) == 0 and imported.records == 0
    assert scanned.outcomes[Outcome.AUTO_LINKED] == 1 and scanned.records == 2
    assert _proposed_records(registry) == {typed}
    with registry.uow(WORKER, write=False) as uow:
        assert uow.repos.records.get(typed).child_id == child.id
        assert uow.repos.records.get(report).child_id is None
        assert [i.record.id for i in triage.waiting(uow)] == [report]


def test_a_public_report_takes_part_once_triaged_and_never_once_rejected(
    registry: Registry,
) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    opened, rejected = _public_report(registry), _public_report(registry, notes="again")
    with registry.uow(WORKER) as uow:
        new_case = triage.open_case(uow, opened, category=Category.MISSING, reason="the mother")
        triage.reject(uow, rejected, reason="sent by a stranger who could not say who he is")
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        summary = review.scan_registry(uow)
        uow.commit()
    assert summary.records == 2 and summary.outcomes[Outcome.QUEUED] == 1
    with registry.uow(VERIFIER, write=False) as uow:
        [item] = review.queue(uow)
    assert (item.kind, item.child_id, item.other_child_id) == ("cases", child.id, new_case.id)
    with registry.uow(WORKER) as uow:
        review.propose_for_record(uow, rejected)
        uow.commit()
    assert _proposed_records(registry) == {None}
    with registry.uow(write=False) as uow:
        assert uow.repos.records.get(rejected).child_id is None


def test_a_proposal_left_from_before_cannot_link_a_public_report_unseen(
    registry: Registry,
) -> None:
    """A proposal made before public reports were kept out of matching is
    refused: the report is linked from the triage queue, where it is checked."""
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    record_id = _loose_record(registry, **{k: v for k, v in FORGED.items() if k != "sex"})
    with registry.uow(WORKER) as uow:
        review.propose_for_record(uow, record_id, thresholds=Thresholds(auto_link=1.0))
        uow.commit()
    with registry.uow() as uow:
        record = uow.repos.records.get(record_id)
        uow.repos.sources.get(record.source_id).kind = "public_report"
        uow.commit()
    with registry.uow(WORKER) as uow:
        [item] = review.queue(uow)
        with pytest.raises(Conflict, match="waits for triage"):
            review.decide(uow, item.id, Action.ACCEPT, reason="looks like him")
    with registry.uow(write=False) as uow:
        assert uow.repos.records.get(record_id).child_id is None
        assert uow.repos.children.get(child.id).status == "reported"


def test_the_queue_names_the_fields_that_weigh_most_for_or_against() -> None:
    from datetime import UTC, datetime

    from homeward.linkage.scoring import FieldExplanation

    def field(name: str, level: str, weight: float) -> FieldExplanation:
        return FieldExplanation(name, name, "a", "b", level, "why", weight)

    item = review.ReviewItem(
        id=1, status="pending", probability=0.7, weight=1.0, record_id=None, child_id=1,
        case_number="UA-1", other_child_id=2, other_case_number="UA-2",
        fields=(
            field("given_name", "exact", 1.5), field("family_name", "different", -4.0),
            field("patronymic", "missing", 0.0), field("birth_date", "exact", 6.2),
        ),
        model="default", origin="scan", proposed_at=datetime.now(UTC), decided_by=None,
        decided_at=None, reason=None, version=1,
    )  # fmt: skip
    assert [f.field for f in item.strongest()] == ["birth_date", "family_name"]
    assert [f.field for f in item.strongest(5)] == ["birth_date", "family_name", "given_name"]
