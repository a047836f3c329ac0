"""Assigning a case to the person who works it, and taking it back."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from homeward.domain.model import Category, OrganisationKind
from homeward.domain.roles import Actor, Role
from homeward.errors import Conflict, Forbidden, Invalid, NotFound
from homeward.services import accounts, assignments, cases, merging, worklist
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow
from tests.factories import make_child

PASSWORD = "correct horse battery"


@dataclass
class People:
    lead: Actor
    """The case worker who assigns."""
    olena: int
    partner: int
    other_partner: int
    verifier: int
    gone: int
    """A case worker no longer active."""
    ngo: int
    national_case: int
    ngo_case: int


@pytest.fixture
def people(registry: Registry) -> People:
    with registry.uow() as uow:
        ngo = accounts.create_organisation(uow, "Save the Children UA", OrganisationKind.NGO)
        other = accounts.create_organisation(uow, "Another NGO", OrganisationKind.NGO)

        def user(name: str, role: Role, organisation_id: int | None = None) -> int:
            return accounts.create_user(
                uow, username=name, display_name=name.title(), role=role, password=PASSWORD,
                organisation_id=organisation_id,
            ).id  # fmt: skip

        lead = user("lead", Role.CASE_WORKER)
        found = People(
            lead=Actor("lead", Role.CASE_WORKER, user_id=lead),
            olena=user("olena", Role.CASE_WORKER),
            partner=user("partner", Role.PARTNER, ngo.id),
            other_partner=user("stranger", Role.PARTNER, other.id),
            verifier=user("verifier", Role.VERIFIER),
            gone=user("gone", Role.CASE_WORKER),
            ngo=ngo.id,
            national_case=make_child(uow).id,
            ngo_case=cases.open_case(uow, category=Category.MISSING, organisation_id=ngo.id).id,
        )
        uow.repos.users.get(found.gone).is_active = False
        uow.commit()
    return found


def test_a_case_goes_to_a_case_worker_and_is_on_their_home_page(
    registry: Registry, people: People
) -> None:
    with registry.uow(people.lead) as uow:
        offered = [u.username for u in assignments.assignable_users(uow, people.national_case)]
        assignments.assign(uow, people.national_case, people.olena)
        uow.commit()
    assert offered == ["lead", "olena"]  # no verifier, no partner, nobody inactive
    olena = Actor("olena", Role.CASE_WORKER, user_id=people.olena)
    with registry.uow(olena, write=False) as uow:
        work = worklist.my_work(uow)
        assignee = assignments.assignee_of(uow, people.national_case)
    assert [c["id"] for c in work.assigned_cases] == [people.national_case]
    assert assignee is not None and assignee.username == "olena"
    with registry.uow(people.lead) as uow:
        assignments.unassign(uow, people.national_case)
        uow.commit()
    with registry.uow(olena, write=False) as uow:
        assert worklist.my_work(uow).assigned_cases == []
        actions = uow.session.scalars(
            select(AuditRow.action).where(AuditRow.entity_type == "children")
        ).all()
    assert "case.assign:update" in actions and "case.unassign:update" in actions


def test_a_partner_works_only_its_own_organisations_cases(
    registry: Registry, people: People
) -> None:
    with registry.uow(people.lead) as uow:
        offered = [u.username for u in assignments.assignable_users(uow, people.ngo_case)]
        assert "partner" in offered and "stranger" not in offered
        assignments.assign(uow, people.ngo_case, people.partner)
        for case, user in ((people.national_case, people.partner),
                           (people.ngo_case, people.other_partner),
                           (people.ngo_case, people.verifier), (people.ngo_case, people.gone),
                           (people.ngo_case, 9999)):  # fmt: skip
            with pytest.raises(Invalid, match="assignee"):
                assignments.assign(uow, case, user)
        uow.commit()
    partner = Actor("partner", Role.PARTNER, user_id=people.partner, organisation_id=people.ngo)
    with registry.uow(partner) as uow:
        assert [c["id"] for c in worklist.my_work(uow).assigned_cases] == [people.ngo_case]
        with pytest.raises(Forbidden):  # partners do not hand out cases
            assignments.assign(uow, people.ngo_case, people.partner)
        with pytest.raises(NotFound):  # nor see others' cases through it
            assignments.assignee_of(uow, people.national_case)


def test_a_stale_version_or_a_merged_case_is_refused(registry: Registry, people: People) -> None:
    with registry.uow(write=False) as uow:
        seen = uow.repos.children.get(people.national_case).version
    with registry.uow(people.lead) as uow:
        assignments.assign(uow, people.national_case, people.olena, expected_version=seen)
        uow.commit()
    with registry.uow(people.lead) as uow, pytest.raises(Conflict, match="someone else"):
        assignments.assign(uow, people.national_case, people.lead, expected_version=seen)
    with registry.uow(people.lead) as uow:
        duplicate = make_child(uow).id
        merging.merge_children(uow, duplicate, people.national_case, reason="one boy")
        with pytest.raises(Conflict, match="merged"):
            assignments.assign(uow, duplicate, people.olena)
