"""A web app over a registry with one user per role and a few children."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyotp
import pytest
from fastapi.testclient import TestClient

from homeward.config import Settings
from homeward.domain.model import Category, OrganisationKind, Relationship
from homeward.domain.roles import Role
from homeward.services import accounts, cases, review, signin
from homeward.services.registry_app import Registry
from homeward.web import create_app
from tests.factories import make_child, make_record

PASSWORD = "correct horse battery"
ROLES = [r for r in Role if r != Role.SYSTEM]
REPORTER = "Петренко Ірина"
REPORTER_CONTACT = "+380501234567"
RELATIVE_PHONE = "+380671112233"
RUSSIAN = {
    "given_name": "Александр", "family_name": "Коваленко", "sex": "м", "birth_date": "2012",
}  # fmt: skip
"""The default child as a Russian list writes him, with less known: a probable match."""


@dataclass
class World:
    settings: Settings
    registry: Registry
    secrets: dict[str, str] = field(default_factory=dict)
    child_number: str = ""
    partner_child_number: str = ""
    candidate_id: int = 0


@pytest.fixture
def world(registry: Registry, settings: Settings) -> World:
    found = World(settings=settings, registry=registry)
    with registry.uow() as uow:
        ngo = accounts.create_organisation(uow, "Save the Children UA", OrganisationKind.NGO)
        for role in ROLES:
            secret = pyotp.random_base32()
            accounts.create_user(
                uow, username=role.value, display_name=f"{role.value} user", role=role,
                password=PASSWORD, organisation_id=ngo.id if role == Role.PARTNER else None,
                totp_secret=secret,
            )  # fmt: skip
            found.secrets[role.value] = secret
        accounts.create_user(
            uow, username="newcomer", display_name="Newcomer", role=Role.CASE_WORKER,
            password=PASSWORD,
        )  # fmt: skip
        child = make_child(
            uow, reporter_name=REPORTER, reporter_contact=REPORTER_CONTACT, notes="seen in Anapa"
        )
        cases.add_relative(
            uow, child.id, full_name="Коваленко Олена Петрівна", relationship=Relationship.MOTHER,
            is_legal_representative=True, requested_return=True, phone=RELATIVE_PHONE,
        )  # fmt: skip
        found.child_number = child.case_number
        theirs = cases.open_case(uow, category=Category.MISSING, organisation_id=ngo.id)
        make_record(uow, child_id=theirs.id, given_name="Марія", family_name="Шевченко",
                    sex="f", birth_date="2014-05-06")  # fmt: skip
        found.partner_child_number = theirs.case_number
        loose = make_record(uow, **RUSSIAN, patronymic="", mother_name="", birth_place="")
        uow.commit()
    with registry.uow() as uow:
        strict = review.Thresholds(auto_link=1.0, review=0.05)
        review.propose_for_record(uow, loose.id, thresholds=strict)
        uow.commit()
    with registry.uow() as uow:
        [item] = review.queue(uow)
        found.candidate_id = item.id
    return found


@pytest.fixture
def app_client(world: World) -> Iterator[TestClient]:
    app = create_app(world.settings, registry=world.registry)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, world: World, username: str) -> None:
    """Password, then the TOTP code: the whole sign-in as a browser does it."""
    page = client.get("/signin")
    answer = client.post(
        "/signin",
        data={
            "username": username,
            "password": PASSWORD,
            "next": "/",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert answer.status_code == 303, answer.text
    page = client.get("/signin/code")
    code = fresh_code(world, username)
    answer = client.post(
        "/signin/code", data={"code": code, "next": "/", "csrf_token": csrf_of(page.text)}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/"


def fresh_code(world: World, username: str) -> str:
    """A TOTP code this user has not used yet.  A code is accepted once: a
    test that signs the same user in twice within 30 seconds gets the next
    step's code (accepted for clocks a little ahead), or waits for it."""
    totp = pyotp.TOTP(world.secrets[username])
    with world.registry.uow(write=False) as uow:
        user = uow.repos.users.by_username(username)
        assert user is not None
        last = user.totp_last_step
    step = totp.timecode(datetime.now(UTC))
    if last is not None and last >= step:
        while totp.timecode(datetime.now(UTC)) + 1 <= last:
            time.sleep(0.2)
        step = last + 1
    return totp.generate_otp(step)


def api_token(world: World, username: str) -> str:
    with world.registry.uow(write=False) as uow:
        user = uow.repos.users.by_username(username)
        assert user is not None
        actor = signin.actor_of(user)
    with world.registry.uow(actor) as uow:
        _row, token = signin.create_api_token(uow, "tests")
        uow.commit()
    return token
