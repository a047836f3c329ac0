"""Administering people and reading the audit trail, through the services."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from homeward.domain.model import OrganisationKind
from homeward.domain.roles import SYSTEM_ACTOR, Actor, Role
from homeward.errors import Conflict, Forbidden, Invalid
from homeward.services import accounts, administration
from homeward.services.registry_app import Registry

KYIV = ZoneInfo("Europe/Kyiv")


def test_weak_passwords_are_refused_with_the_reason() -> None:
    for weak, reason in [
        ("kyiv2022", "at least 12 characters"),
        ("aaaaaaaaaaaaaaaa", "different characters"),
        ("qwertyuiop123", "among the first"),
        ("Slava Ukraini", "among the first"),
        ("olena.petrenko-1990", "username"),
    ]:
        with pytest.raises(Invalid, match=reason):
            accounts.check_new_password(weak, username="olena.petrenko")
    accounts.check_new_password("tulips under the Kyiv rain", username="olena.petrenko")
    made = {accounts.one_time_password() for _ in range(20)}
    assert len(made) == 20
    for password in made:
        accounts.check_new_password(password, username="olena.petrenko")


@pytest.fixture
def keeper(registry: Registry) -> Actor:
    """The registry's only register keeper, as the actor of the changes."""
    with registry.uow() as uow:
        user, _password = administration.create_user(
            uow, username="keeper", display_name="Keeper", role="admin", organisation_id=None
        )
        uow.commit()
        return Actor(username="keeper", role=Role.ADMIN, user_id=user.id)


def test_the_last_active_register_keeper_stays(registry: Registry, keeper: Actor) -> None:
    with registry.uow(keeper) as uow:
        with pytest.raises(Conflict, match="last active register keeper"):
            administration.change_role(uow, keeper.user_id or 0, "analyst", None)
        with pytest.raises(Conflict, match="your own account"):
            administration.set_active(uow, keeper.user_id or 0, False)
        second, _ = administration.create_user(
            uow, username="deputy", display_name="Deputy", role="admin", organisation_id=None
        )
        administration.set_active(uow, second.id, False)  # a disabled keeper keeps no one in
        with pytest.raises(Conflict):
            administration.change_role(uow, keeper.user_id or 0, "analyst", None)
        administration.set_active(uow, second.id, True)
        administration.change_role(uow, keeper.user_id or 0, "analyst", None)
        uow.commit()
    analyst = Actor(username="keeper", role=Role.ANALYST, user_id=keeper.user_id)
    with registry.uow(analyst) as uow, pytest.raises(Forbidden):
        administration.list_users(uow)


def test_a_partner_needs_an_organisation_and_names_are_checked(
    registry: Registry, keeper: Actor
) -> None:
    with registry.uow(keeper) as uow:
        with pytest.raises(Invalid, match="organisation"):
            administration.create_user(
                uow, username="ngo.user", display_name="NGO", role="partner", organisation_id=None
            )
        with pytest.raises(Invalid, match="username"):
            administration.create_user(
                uow, username="two words", display_name="X", role="analyst", organisation_id=None
            )
        with pytest.raises(Invalid, match="role"):
            administration.create_user(
                uow, username="root", display_name="X", role="system", organisation_id=None
            )
        ngo = administration.create_organisation(uow, "  Bring Kids   Back UA ", "ngo")
        assert ngo.name == "Bring Kids Back UA"
        other = accounts.create_organisation(uow, "Magnolia", OrganisationKind.NGO)
        with pytest.raises(Conflict):
            administration.rename_organisation(uow, other.id, "Bring Kids Back UA")
        user, password = administration.create_user(
            uow, username="ngo.user", display_name="NGO", role="partner", organisation_id=ngo.id
        )
        uow.commit()
    with registry.uow(keeper, write=False) as uow:
        [listed] = [u for u in administration.list_users(uow) if u.username == "ngo.user"]
    assert listed.organisation == "Bring Kids Back UA" and not listed.two_factor
    assert listed.last_sign_in is None and accounts.password_matches(user.password_hash, password)


def test_the_trail_is_filtered_by_action_table_and_local_day(
    registry: Registry, keeper: Actor
) -> None:
    with registry.uow(keeper) as uow:
        accounts.create_organisation(uow, "Magnolia", OrganisationKind.NGO)
        uow.commit()
    today = date.today()
    with registry.uow(SYSTEM_ACTOR, write=False) as uow:

        def find(**given: object) -> list[str]:
            chosen = administration.AuditFilter(**given)  # type: ignore[arg-type]
            page = administration.audit_entries(uow, chosen, zone=KYIV)
            return [row.action for row in page.items]

        assert find(action="organisation.") == ["organisation.create:insert"]
        assert find(table="users", actor="system") == ["user.create:insert"]
        assert find(action="organisation.", date_from=today - timedelta(days=1)) != []
        assert find(action="organisation.", date_to=today - timedelta(days=2)) == []
        assert find(action="organisation_") == []  # "_" is a character, not a wildcard
        everything = administration.audit_entries(uow, administration.AuditFilter(), zone=KYIV)
        assert [r.seq for r in everything.items] == sorted(
            (r.seq for r in everything.items), reverse=True
        )
        assert administration.verify_trail(uow).ok
    auditor = Actor(username="auditor", role=Role.AUDITOR, user_id=99)
    with registry.uow(auditor, write=False) as uow:
        entry = administration.audit_entry(uow, everything.items[0].seq)
    assert {c.field: c.after for c in entry.changes}["name"] == "Magnolia"
