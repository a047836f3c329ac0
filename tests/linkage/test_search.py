"""Real-time candidate search against the registry, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from homeward.domain.model import Category, OrganisationKind
from homeward.domain.roles import Actor, Role
from homeward.linkage import search as search_module
from homeward.linkage.model import default_model
from homeward.linkage.prepare import prepare
from homeward.linkage.scoring import score_pair
from homeward.linkage.search import PREPARED_KEY, record_values, search
from homeward.services import accounts, cases, merging, triage
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow, RecordKeyRow, RecordRow, SourceRow
from homeward.storage.uow import UnitOfWork
from tests.factories import DEFAULT_RECORD, make_child, make_record, make_source

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)


def _family(registry: Registry) -> tuple[int, int, int]:
    """Олександр Коваленко, his sister Марія, and an unrelated boy."""
    with registry.uow() as uow:
        oleksandr = make_child(uow)
        maria = make_child(uow, given_name="Марія", sex="f", birth_date="2015-07-21")
        other = make_child(
            uow, given_name="Дмитро", family_name="Шевчук", patronymic="Іванович",
            birth_date="2010-01-02", birth_place="Херсон", mother_name="Шевчук Ірина",
        )  # fmt: skip
        uow.commit()
        return oleksandr.id, maria.id, other.id


def test_a_latin_spelling_finds_the_cyrillic_child(registry: Registry) -> None:
    oleksandr, maria, other = _family(registry)
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, {"full_name": "Aleksandr Kovalenko", "birth_date": "04.03.2012"})
    assert found[0].child_id == oleksandr
    assert found[0].probability > 0.9
    reasons = found[0].scored.describe()
    assert reasons[0].startswith("given name: Aleksandr ~ Олександр")
    assert all(c.child_id != other for c in found)
    assert all(c.probability < 0.05 for c in found if c.child_id == maria)  # his sister
    assert all(c.probability < found[0].probability for c in found[1:])


def test_keys_are_stored_when_a_record_is_registered_and_not_audited(registry: Registry) -> None:
    with registry.uow() as uow:
        record = make_record(uow)
        uow.commit()
    with registry.uow(write=False) as uow:
        keys = set(
            uow.session.scalars(select(RecordKeyRow.key).where(RecordKeyRow.record_id == record.id))
        )
        audited = uow.session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.entity_type == "record_keys")
        )
    assert "gf:g:oleksandr|f:kovalinko" in keys
    assert PREPARED_KEY in keys
    assert audited == 0


def test_the_index_keeps_the_prepared_values_of_a_record(registry: Registry) -> None:
    with registry.uow() as uow:
        record = make_record(uow)
        uow.commit()
    with registry.uow(write=False) as uow:
        stored = uow.session.scalar(
            select(RecordKeyRow.prepared).where(
                RecordKeyRow.record_id == record.id, RecordKeyRow.key == PREPARED_KEY
            )
        )
        values = record_values(uow.session.get(RecordRow, record.id))
    assert stored is not None
    assert tuple(json.loads(stored)) == prepare(values).values


def test_a_candidate_scores_and_reads_as_the_pair_scored_alone(registry: Registry) -> None:
    with registry.uow() as uow:
        record = make_record(uow, document_ids=["II-АН № 123456"], residence="Маріуполь")
        uow.commit()
    typed = {
        "full_name": "KOVALENKO Aleksandr", "birth_date": "04.03.2012",
        "document_id": "IIAH123456",
    }  # fmt: skip
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, typed)
        alone = score_pair(
            default_model(), typed, record_values(uow.session.get(RecordRow, record.id))
        )
    assert [c.record_id for c in found] == [record.id]
    assert found[0].scored == alone
    assert "Коваленко" in found[0].scored.describe()[1]  # the candidate as it was written


def test_an_unlinked_record_is_a_candidate_of_its_own(registry: Registry) -> None:
    with registry.uow() as uow:
        record = make_record(uow, given_name="Ганна", family_name="Бондар", sex="f")
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        found = search(
            uow, {"given_name": "Anna", "family_name": "Bondar", "birth_date": "2012-03-04"}
        )
    assert [(c.child_id, c.record_id) for c in found[:1]] == [(None, record.id)]


def test_after_a_merge_the_search_leads_to_the_surviving_case(registry: Registry) -> None:
    with registry.uow() as uow:
        first = make_child(uow)
        second = make_child(uow, given_name="Олександр", family_name="Коваленко")
        uow.commit()
    with registry.uow() as uow:
        merging.merge_children(uow, second.id, first.id, reason="same boy, two reports")
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, {"given_name": "Александр", "family_name": "Коваленко"})
    assert [c.child_id for c in found] == [first.id]
    assert found[0].records_matched == 2


def test_a_partner_finds_only_its_own_organisations_cases(registry: Registry) -> None:
    with registry.uow() as uow:
        ngo = accounts.create_organisation(uow, "NGO A", OrganisationKind.NGO)
        other = accounts.create_organisation(uow, "NGO B", OrganisationKind.NGO)
        uow.commit()
    partner_a = Actor(username="a", role=Role.PARTNER, organisation_id=ngo.id)
    partner_b = Actor(username="b", role=Role.PARTNER, organisation_id=other.id)
    with registry.uow(partner_a) as uow:  # its own report, in a case of its own
        record = make_record(uow, make_source(uow, organisation_id=ngo.id))
        child = cases.open_case(uow, category=cases.Category.MISSING, record_ids=[record.id])
        uow.commit()
    typed = {"given_name": "Олександр", "family_name": "Коваленко", "birth_date": "2012-03-04"}
    with registry.uow(partner_b, write=False) as uow:
        assert search(uow, typed) == []
    with registry.uow(partner_a, write=False) as uow:
        assert [c.child_id for c in search(uow, typed)] == [child.id]


def test_a_record_with_nothing_to_key_on_finds_nothing(registry: Registry) -> None:
    _family(registry)
    with registry.uow(WORKER, write=False) as uow:
        assert search(uow, {"sex": "m"}) == []


def test_after_a_split_the_search_leads_to_the_new_case(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        moved = make_record(uow, child_id=child.id, given_name="Марія", sex="f")
        uow.commit()
    with registry.uow() as uow:
        new = merging.split_child(uow, child.id, [moved.id], reason="his sister, not him")
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, {"given_name": "Мария", "family_name": "Коваленко", "sex": "f"})
    assert found[0].child_id == new.id
    assert found[0].record_id == moved.id


def test_after_a_merge_is_undone_the_search_leads_to_both_cases(registry: Registry) -> None:
    with registry.uow() as uow:
        first = make_child(uow)
        second = make_child(uow)
        uow.commit()
    with registry.uow() as uow:
        decision = merging.merge_children(uow, second.id, first.id, reason="same boy")
        uow.commit()
    with registry.uow() as uow:
        merging.unmerge(uow, decision.id, reason="two boys after all")
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, {"given_name": "Олександр", "family_name": "Коваленко"})
    assert sorted(c.child_id for c in found) == sorted([first.id, second.id])


def _namesakes(registry: Registry, count: int, *, year: int | None = None) -> int:
    """``count`` boys named Олександр Сергійович Коваленко born on other days
    (in ``year``, or each in another year), then the one sought, registered last
    so that no order by record number finds him."""
    with registry.uow() as uow:
        source = make_source(uow)
        for n in range(count):
            born = f"{year or 1995 + n}-0{1 + n % 9}-1{n % 10}"
            _child_with(uow, source, birth_date=born, mother_name=None)
        sought = _child_with(uow, source)
        uow.commit()
        return sought


def _child_with(uow: UnitOfWork, source: SourceRow, **fields: Any) -> int:
    child = cases.open_case(uow, category=Category.DEPORTED)
    make_record(uow, source, child_id=child.id, **fields)
    return child.id


def test_a_capped_search_reads_the_records_sharing_the_rarest_keys(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    sought = _namesakes(registry, 12, year=2012)  # all share name, patronymic and year
    monkeypatch.setattr(search_module, "MAX_CANDIDATES", 3)
    typed = {"given_name": "Александр", "family_name": "Коваленко", "birth_date": "04.03.2012"}
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, typed)
    assert found[0].child_id == sought
    assert len(found) <= 3


def test_a_key_of_a_large_block_is_left_out_when_there_are_others(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    sought = _namesakes(registry, 12)
    monkeypatch.setattr(search_module, "MAX_CANDIDATES", 3)
    monkeypatch.setattr(search_module, "MAX_BLOCK", 5)  # given × family (13 records) is common
    typed = {"given_name": "Александр", "family_name": "Коваленко", "birth_date": "04.03.2012"}
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, typed)
    assert [c.child_id for c in found] == [sought]


def test_a_record_with_only_common_keys_is_ranked_by_the_rarest(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    sought = _namesakes(registry, 12)
    monkeypatch.setattr(search_module, "MAX_BLOCK", 0)  # every key counts as common
    typed = {"given_name": "Олександр", "family_name": "Коваленко", "birth_date": "2012"}
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, typed)
    assert [c.child_id for c in found] == [sought]  # family × year: him alone


def test_a_record_filed_without_prepared_values_is_prepared_at_search(registry: Registry) -> None:
    oleksandr, _, _ = _family(registry)
    with registry.uow() as uow:
        uow.session.execute(delete(RecordKeyRow).where(RecordKeyRow.key == PREPARED_KEY))
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, {"full_name": "Aleksandr Kovalenko", "birth_date": "04.03.2012"})
    assert found[0].child_id == oleksandr
    assert found[0].probability > 0.9


# --- reports sent through the public form -----------------------------------------

FORGED = {"given_name": "Олександр", "family_name": "Коваленко", "patronymic": "Сергійович",
          "sex": "m", "birth_date": "04.03.2012", "reporter_name": "Іван Петренко",
          "reporter_contact": "+380 67 000 00 00"}  # fmt: skip
"""A public report that copies the child of ``DEFAULT_RECORD`` exactly."""


def _public_report(registry: Registry, **fields: str) -> int:
    with registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        received = triage.receive_public_report(uow, {**FORGED, **fields}, consent=True)
        uow.commit()
        return received.record_id


def test_a_public_report_waiting_for_triage_is_no_candidate(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        uow.commit()
    report = _public_report(registry)
    typed = {k: FORGED[k] for k in ("given_name", "family_name", "birth_date")}
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, typed)
        for_triage = search(uow, typed, include_untriaged=True)
    assert [(c.child_id, c.record_id) for c in found] == [(child.id, found[0].record_id)]
    assert found[0].record_id != report
    assert (None, report) in [(c.child_id, c.record_id) for c in for_triage]


def test_a_rejected_public_report_is_no_candidate(registry: Registry) -> None:
    report = _public_report(registry)
    with registry.uow(WORKER) as uow:
        triage.reject(uow, report, reason="a test sent by a journalist")
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        assert search(uow, dict(DEFAULT_RECORD)) == []


def test_a_public_report_linked_by_triage_is_found_with_its_case(registry: Registry) -> None:
    with registry.uow() as uow:  # the case knows him by name and year only
        child = make_child(uow, patronymic=None, birth_date="2012", mother_name=None)
        uow.commit()
    report = _public_report(registry)
    typed = {k: FORGED[k] for k in ("given_name", "family_name", "patronymic", "birth_date")}
    with registry.uow(WORKER, write=False) as uow:
        [before] = search(uow, typed)
    assert before.child_id == child.id and before.records_matched == 1
    with registry.uow(WORKER) as uow:
        triage.link(uow, report, child.id, reason="the mother confirmed it by telephone")
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        [after] = search(uow, typed)
    assert (after.child_id, after.record_id, after.records_matched) == (child.id, report, 2)
    assert after.probability > before.probability


def test_waiting_public_reports_cannot_push_a_child_out_of_the_search(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):  # sent from five addresses, each the child as the form takes him
        _public_report(registry, notes=f"copy {n}")
    with registry.uow() as uow:  # registered after them: ties rank the reports first
        child = make_child(uow)
        uow.commit()
    monkeypatch.setattr(search_module, "MAX_CANDIDATES", 3)
    typed = {k: FORGED[k] for k in ("given_name", "family_name", "patronymic", "birth_date")}
    with registry.uow(WORKER, write=False) as uow:
        found = search(uow, typed)
        flooded = search(uow, typed, include_untriaged=True)
    assert [c.child_id for c in found] == [child.id]
    assert len(flooded) == 3 and child.id not in [c.child_id for c in flooded]
