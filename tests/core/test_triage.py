"""Reports from the public form: checked field by field, kept for triage,
decided once by a case worker."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from homeward.domain.model import Category
from homeward.domain.roles import Actor, Role
from homeward.errors import Conflict, Forbidden, Invalid
from homeward.linkage.search import search
from homeward.services import intake, triage
from homeward.services.registry_app import Registry
from homeward.storage.tables import RecordRow, SourceRow
from tests.factories import make_child

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
PARTNER = Actor(username="ngo", role=Role.PARTNER, user_id=2, organisation_id=1)
REPORT = {"given_name": "Марко", "family_name": "Дорош", "birth_date": "2014",
          "reporter_name": "Дорош Ганна", "reporter_contact": "+380 63 000 11 22"}  # fmt: skip


def test_every_problem_of_a_form_is_named_by_its_field() -> None:
    values = {"given_name": "Я" * 101, "birth_date": "31.02.2014", "sex": "x",
              "reporter_relationship": "neighbour"}  # fmt: skip
    found = {(p.field, p.message) for p in triage.check_public_report(values, consent=False)}
    assert found == {
        ("given_name", triage.TOO_LONG),
        ("birth_date", triage.NOT_A_DATE),
        ("sex", triage.NOT_A_CHOICE),
        ("reporter_relationship", triage.NOT_A_CHOICE),
        ("reporter_name", triage.NEEDED),
        ("reporter_contact", triage.NEEDED),
        ("consent", triage.CONSENT_NEEDED),
    }
    nameless = {k: v for k, v in REPORT.items() if not k.endswith("_name") or "reporter" in k}
    [problem] = triage.check_public_report(nameless, consent=True)
    assert problem.message == triage.NAME_NEEDED
    assert triage.check_public_report(REPORT, consent=True) == []


def test_a_public_report_is_kept_for_triage_and_decided_once(registry: Registry) -> None:
    with registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        with pytest.raises(Invalid, match="consent"):
            triage.receive_public_report(uow, REPORT, consent=False)
        first = triage.receive_public_report(uow, REPORT, consent=True)
        second = triage.receive_public_report(uow, {**REPORT, "notes": "again"}, consent=True)
        uow.commit()
    assert first.reference != second.reference and len(first.reference) == 9
    with registry.uow(write=False) as uow:
        kinds = uow.session.scalars(select(SourceRow.kind)).all()
        assert kinds == ["public_report", "public_report"]  # the refused one wrote nothing
    with registry.uow(PARTNER) as uow, pytest.raises(Forbidden):
        triage.waiting(uow)
    with registry.uow(WORKER) as uow:
        assert [i.reference for i in triage.waiting(uow)] == [first.reference, second.reference]
        child = triage.open_case(uow, first.record_id, category=Category.MISSING, reason="new")
        triage.reject(uow, second.record_id, reason="sent twice by the same mother")
        uow.commit()
    with registry.uow(WORKER) as uow:
        assert triage.waiting(uow) == []
        [rejected] = triage.rejected(uow)
        assert rejected.reference == second.reference and rejected.actor == "olena"
        with pytest.raises(Conflict, match="triaged already"):
            triage.link(uow, second.record_id, child.id, reason="changed my mind")
        count = uow.session.scalar(select(func.count()).select_from(RecordRow))
        assert count == 2  # the rejected report is kept


def test_triage_shows_the_other_reports_waiting_for_the_same_child(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow, given_name="Марко", family_name="Дорош", patronymic=None,
                           birth_date="2014-05-06", mother_name="Дорош Ганна")  # fmt: skip
        uow.commit()
    with registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        first = triage.receive_public_report(uow, REPORT, consent=True)
        again = triage.receive_public_report(uow, {**REPORT, "notes": "again"}, consent=True)
        spam = triage.receive_public_report(uow, {**REPORT, "notes": "spam"}, consent=True)
        uow.commit()
    with registry.uow(WORKER) as uow:
        triage.reject(uow, spam.record_id, reason="sent by a program")
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        item = triage.open_report(uow, first.record_id)
        # a case worker typing a report about the boy is shown his case, not the reports
        typed = {k: REPORT[k] for k in ("given_name", "family_name", "birth_date")}
        found = search(uow, typed)
    assert [c.child_id for c in item.candidates] == [child.id]
    assert [(c.record_id, ref) for c, ref in item.others] == [(again.record_id, again.reference)]
    assert [c.child_id for c in found] == [child.id]


def test_a_case_worker_typing_a_report_is_not_shown_public_reports(registry: Registry) -> None:
    with registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        received = triage.receive_public_report(uow, REPORT, consent=True)
        uow.commit()
    typed = {k: REPORT[k] for k in ("given_name", "family_name", "birth_date")}
    with registry.uow(WORKER) as uow:
        taken = intake.take_report(uow, typed)
        uow.commit()
    assert taken.candidates == []
    with registry.uow(WORKER) as uow:  # once triage opened a case with it, it is that case
        child = triage.open_case(uow, received.record_id, category=Category.MISSING, reason="new")
        again = intake.take_report(uow, typed)
        uow.commit()
    found = {(c.child_id, c.record_id) for c in again.candidates}
    # the case worker's first report, in no case, is a candidate as any record is
    assert found == {(child.id, received.record_id), (None, taken.record.id)}
