"""Opening cases, registering records, moving status, concurrent edits, scoping."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from homeward.domain.model import EventKind, OrganisationKind, Relationship
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Conflict, Forbidden, Invalid, NotFound, TransitionRefused
from homeward.services import accounts, cases
from homeward.services.case_view import view_case
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow, StatusChangeRow
from tests.factories import make_child, make_record, make_source

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
VERIFIER = Actor(username="taras", role=Role.VERIFIER, user_id=2)
ANALYST = Actor(username="iryna", role=Role.ANALYST, user_id=3)


def test_case_numbers_are_sequential_per_year(registry: Registry) -> None:
    with registry.uow() as uow:
        first = cases.open_case(uow, category=cases.Category.DEPORTED)
        second = cases.open_case(uow, category=cases.Category.MISSING)
        uow.commit()
    assert re.fullmatch(r"HW-\d{4}-000001", first.case_number)
    assert second.case_number.endswith("-000002")
    assert first.case_number[:8] == second.case_number[:8]


def test_record_keeps_raw_exactly_and_normalises(registry: Registry) -> None:
    raw = {"given_name": "  Олександр ", "birth_date": "2012-03-04", "Примітка": "з листа"}
    with registry.uow() as uow:
        record = make_record(uow, **raw)
        uow.commit()
        record_id = record.id
    with registry.uow(write=False) as uow:
        stored = uow.repos.records.get(record_id)
        assert stored.raw["given_name"] == "  Олександр "
        assert stored.raw["Примітка"] == "з листа"
        assert stored.given_name == "Олександр"
        assert stored.birth_date == "2012-03-04"
        assert stored.birth_year == 2012


def test_look_alike_letters_are_repaired_and_the_repair_is_kept(registry: Registry) -> None:
    raw = {"family_name": "Bласюк", "given_name": "Iрина", "birth_place": "Мариупoль"}
    with registry.uow() as uow:
        record = make_record(uow, **raw)
        uow.commit()
        record_id = record.id
    with registry.uow(write=False) as uow:
        stored = uow.repos.records.get(record_id)
        assert (stored.family_name, stored.given_name) == ("Власюк", "Ірина")
        assert stored.raw["family_name"] == "Bласюк"
        assert stored.birth_place == "Мариупoль"  # places are resolved when compared
        assert stored.repairs == [
            "given_name: Latin 'I' in 'Iрина' read as Cyrillic 'І'",
            "family_name: Latin 'B' in 'Bласюк' read as Cyrillic 'В'",
        ]


def test_unreadable_value_is_refused_naming_the_field(registry: Registry) -> None:
    with registry.uow() as uow, pytest.raises(Invalid, match="sex"):
        make_record(uow, sex="maybe")


def test_status_move_records_who_when_why(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    with registry.uow(WORKER) as uow:
        cases.move_status(uow, child.id, Status.UNDER_VERIFICATION, reason="documents received")
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        cases.move_status(uow, child.id, Status.VERIFIED, reason="commission session 12")
        uow.commit()
    with registry.uow(write=False) as uow:
        history = uow.repos.status_changes.of_child(child.id)
        moves = [(h.from_status, h.to_status, h.actor, h.reason) for h in history]
    assert moves == [
        (None, "reported", "system", "new report"),
        ("reported", "under_verification", "olena", "documents received"),
        ("under_verification", "verified", "taras", "commission session 12"),
    ]
    assert all(h.at is not None and h.at.tzinfo is not None for h in history)


def test_refused_move_changes_nothing(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    with registry.uow(WORKER) as uow, pytest.raises(TransitionRefused, match="'reported'"):
        cases.move_status(uow, child.id, Status.RETURNED, reason="too fast")
    with registry.uow(write=False) as uow:
        assert uow.repos.children.get(child.id).status == "reported"
        assert len(uow.repos.status_changes.of_child(child.id)) == 1


def test_only_a_verifier_verifies(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        cases.move_status(uow, child.id, Status.UNDER_VERIFICATION, reason="start")
        uow.commit()
    with registry.uow(WORKER) as uow, pytest.raises(Forbidden, match="verify cases"):
        cases.move_status(uow, child.id, Status.VERIFIED, reason="looks right")


def test_a_move_needs_a_reason(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        with pytest.raises(Invalid, match="reason"):
            cases.move_status(uow, child.id, Status.UNDER_VERIFICATION, reason="  ")


def test_stale_version_is_a_conflict_not_an_overwrite(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    seen_version = child.version
    with registry.uow(WORKER) as uow:  # the first editor
        cases.move_status(
            uow, child.id, Status.UNDER_VERIFICATION, reason="a", expected_version=seen_version
        )
        uow.commit()
    with registry.uow(VERIFIER) as uow, pytest.raises(Conflict, match="changed by someone else"):
        cases.move_status(
            uow, child.id, Status.REJECTED, detail="duplicate", reason="b",
            expected_version=seen_version,
        )  # fmt: skip
    with registry.uow(write=False) as uow:
        assert uow.repos.children.get(child.id).status == "under_verification"


def test_concurrent_writers_one_wins_the_other_conflicts(registry: Registry) -> None:
    """Two people open the same case and both save a move: the version each saw
    lets exactly one through; the other gets a Conflict.  (Writers queue before
    they read, on PostgreSQL as on SQLite, so no writer acts on a case another
    changed meanwhile; tests/concurrency has many writers at once.)"""
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    loaded = threading.Barrier(2)
    results: list[str] = []

    def edit() -> None:
        with registry.uow(WORKER, write=False) as uow:
            version = uow.repos.children.get(child.id).version
        loaded.wait()
        try:
            with registry.uow(WORKER) as uow:
                cases.move_status(
                    uow, child.id, Status.UNDER_VERIFICATION, reason="seen",
                    expected_version=version,
                )  # fmt: skip
                uow.commit()
                results.append("ok")
        except Conflict:
            results.append("conflict")

    threads = [threading.Thread(target=edit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["conflict", "ok"]


def test_events_and_relatives(registry: Registry) -> None:
    with registry.uow(WORKER) as uow:
        child = make_child(uow)
        cases.add_event(uow, child.id, EventKind.REMOVAL, date="2022-09-01", place="Херсон")
        cases.add_relative(
            uow, child.id, full_name="Коваленко Олена", relationship=Relationship.MOTHER,
            is_legal_representative=True, requested_return=True, phone="+380501112233",
        )  # fmt: skip
        uow.commit()
    with registry.uow(WORKER) as uow:
        view = view_case(uow, child.id)
        uow.commit()
    assert view.events[0]["kind"] == "removal" and view.events[0]["date"] == "2022-09-01"
    assert view.relatives[0]["phone"] == "+380501112233"


def test_analyst_never_receives_contacts_or_reporter(registry: Registry) -> None:
    with registry.uow(WORKER) as uow:
        child = make_child(uow, reporter_name="Петренко", reporter_contact="+380991234567")
        cases.add_relative(
            uow, child.id, full_name="Коваленко Олена", relationship=Relationship.MOTHER,
            phone="+380501112233", address="Мелітополь, вул. Миру 1",
        )  # fmt: skip
        uow.commit()
    with registry.uow(ANALYST) as uow:
        view = view_case(uow, child.id)
        uow.commit()
    text = repr(view)
    for secret in ("Петренко", "+380991234567", "+380501112233", "Миру"):
        assert secret not in text
    assert view.records[0]["given_name"] == "Олександр"


def test_viewing_a_case_is_audited(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    with registry.uow(WORKER) as uow:
        view_case(uow, child.id)
        uow.commit()
    with registry.uow(write=False) as uow:
        views = uow.session.scalars(
            select(AuditRow).where(AuditRow.action == "children.view")
        ).all()
    assert [(v.actor, v.entity_id) for v in views] == [("olena", str(child.id))]


def test_partner_cannot_reach_another_organisations_case(registry: Registry) -> None:
    with registry.uow() as uow:
        ngo = accounts.create_organisation(uow, "NGO A", OrganisationKind.NGO)
        other = accounts.create_organisation(uow, "NGO B", OrganisationKind.NGO)
        uow.commit()
    partner_a = Actor(username="a", role=Role.PARTNER, organisation_id=ngo.id)
    partner_b = Actor(username="b", role=Role.PARTNER, organisation_id=other.id)
    with registry.uow(partner_a) as uow:
        source = make_source(uow, organisation_id=ngo.id)
        record = make_record(uow, source=source)
        child = cases.open_case(uow, category=cases.Category.MISSING, record_ids=[record.id])
        uow.commit()
    assert child.organisation_id == ngo.id
    with registry.uow(partner_b) as uow, pytest.raises(NotFound) as caught:
        view_case(uow, child.id)
    assert "no case numbered" in str(caught.value)
    with registry.uow(partner_a) as uow:
        assert view_case(uow, child.id).child["case_number"] == child.case_number


def test_a_rejected_status_change_row_is_not_left_behind(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    with registry.uow(WORKER) as uow:
        cases.move_status(uow, child.id, Status.UNDER_VERIFICATION, reason="x")
        # no commit: leaving the block rolls back
    with registry.uow(write=False) as uow:
        rows = uow.session.scalars(
            select(StatusChangeRow).where(StatusChangeRow.child_id == child.id)
        ).all()
        assert len(rows) == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("04.03.2012", "2012-03-04"),
        ("2012", "2012"),
        ("03.2012", "2012-03"),
        ("41000", "2012-04-01"),
    ],
)
def test_birth_dates_in_real_formats_are_stored_as_partial_dates(
    registry: Registry, given: str, stored: str
) -> None:
    with registry.uow() as uow:
        record = make_record(uow, birth_date=given)
        assert (record.birth_date, record.birth_year) == (stored, int(stored[:4]))
        assert record.raw["birth_date"] == given


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_impossible_birth_date_is_refused_with_the_reason(registry: Registry) -> None:
    with registry.uow() as uow, pytest.raises(Invalid, match=r"birth_date: '31\.02\.2012'"):
        make_record(uow, birth_date="31.02.2012")
