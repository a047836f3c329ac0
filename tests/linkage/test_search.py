"""Real-time candidate search against the registry, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from homeward.domain.model import OrganisationKind
from homeward.domain.roles import Actor, Role
from homeward.linkage.search import search
from homeward.services import accounts, cases, merging
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow, RecordKeyRow
from tests.factories import make_child, make_record

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
    assert audited == 0


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
    with registry.uow(partner_a) as uow:
        record = make_record(uow)
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
