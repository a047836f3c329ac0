"""A registry full of hostile values, built once per module and backend.

Every hostile value (``values.HOSTILE``) gets its own case, with a record
carrying it in its names, places and notes, a mother who is the legal
representative, a status moved for it as the reason, a report in no case
that the review queue proposes for it, a public report waiting for triage,
a handover list frozen with it in its title and entry, and rows of an import
file (one imported, one quarantined).  The tests of a module read it; the
few that write (a report sent, an export noted in the audit trail) add
nothing another test looks at.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from homeward import keys
from homeward.config import Settings
from homeward.domain.model import Category, Relationship, SourceKind
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.services import accounts, cases, imports, lists, review, signin, triage
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow, RecordRow
from homeward.web import create_app
from tests.conftest import BACKENDS, _database_url
from tests.factories import make_record, make_source
from tests.hostile.values import HOSTILE, record_fields, shown
from tests.web.conftest import PASSWORD, World, sign_in

USERS = {
    "case_worker": Role.CASE_WORKER,
    "verifier": Role.VERIFIER,
    "approver": Role.VERIFIER,
    "auditor": Role.AUDITOR,
}
FITS = {"title": 300, "channel": 200, "recipient": 300, "relative": 300, "public": 100}
"""How long a value each place below holds; a longer one is put elsewhere."""


def fitting(value: str, limit: str, otherwise: str) -> str:
    return value if len(shown(value)) <= FITS[limit] else otherwise


@dataclass
class Hostile:
    """What was made for one hostile value."""

    name: str
    value: str
    birth_date: str
    case_number: str = ""
    child_id: int = 0
    record_id: int = 0
    loose_record_id: int = 0
    candidate_id: int = 0
    public_record_id: int | None = None
    list_id: int = 0
    audit_seq: int = 0


@dataclass
class HostileWorld:
    settings: Settings
    registry: Registry
    actors: dict[str, Actor]
    secrets: dict[str, str]
    items: dict[str, Hostile] = field(default_factory=dict)
    import_id: int = 0

    def web_world(self) -> World:
        return World(settings=self.settings, registry=self.registry, secrets=self.secrets)


@pytest.fixture(scope="module", params=BACKENDS)
def hostile(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HostileWorld]:
    tmp = tmp_path_factory.mktemp("hostile")
    database = _database_url(str(request.param), request, tmp)
    settings = Settings(data_dir=tmp / "data", database_url=next(database))
    registry = Registry.open(settings)
    try:
        yield _build(settings, registry, tmp)
    finally:
        registry.close()
        next(database, None)


def _build(settings: Settings, registry: Registry, tmp: Path) -> HostileWorld:
    world = HostileWorld(settings, registry, {}, {})
    with registry.uow() as uow:
        for username, role in USERS.items():
            secret = pyotp.random_base32()
            user = accounts.create_user(
                uow, username=username, display_name=f"{username} user", role=role,
                password=PASSWORD, totp_secret=secret,
            )  # fmt: skip
            world.secrets[username] = secret
            world.actors[username] = signin.actor_of(user)
        uow.commit()
    for day, (name, value) in enumerate(HOSTILE.items(), start=1):
        item = Hostile(name, value, f"2012-03-{day:02d}")
        world.items[name] = item
        _case(world, item)
        _public_report(registry, item)
        _handover_list(world, item)
    world.import_id = _import(world, tmp)
    return world


def _case(world: HostileWorld, item: Hostile) -> None:
    fields = {**record_fields(item.value), "birth_date": item.birth_date}
    with world.registry.uow(world.actors["case_worker"]) as uow:
        child = cases.open_case(uow, category=Category.DEPORTED)
        record = make_record(uow, child_id=child.id, **fields)
        cases.add_relative(
            uow, child.id, full_name=fitting(item.value, "relative", "Коваленко Олена"),
            relationship=Relationship.MOTHER, is_legal_representative=True,
            requested_return=True, phone="+380671112233", note=item.value,
        )  # fmt: skip
        cases.move_status(uow, child.id, Status.UNDER_VERIFICATION, reason=item.value)
        russian = make_source(uow, kind=SourceKind.INVESTIGATION, title="camp list")
        loose = make_record(uow, source=russian, **fields)
        uow.commit()
        item.case_number, item.child_id, item.record_id = child.case_number, child.id, record.id
        item.loose_record_id = loose.id
    with world.registry.uow(world.actors["case_worker"]) as uow:
        strict = review.Thresholds(auto_link=1.0, review=0.05)
        review.propose_for_record(uow, loose.id, thresholds=strict)
        uow.commit()
    with world.registry.uow(world.actors["case_worker"], write=False) as uow:
        item.candidate_id = next(
            i.id for i in review.queue(uow, limit=1000) if i.record_id == loose.id
        )
        item.audit_seq = (
            uow.session.scalars(
                select(AuditRow.seq).where(
                    AuditRow.entity_type == RecordRow.__tablename__,
                    AuditRow.entity_id == str(record.id),
                )
            ).first()
            or 0
        )


def _public_report(registry: Registry, item: Hostile) -> None:
    if len(item.value) > FITS["public"]:
        return  # the public form refuses it (test_web_pages checks it does)
    values = {
        "family_name": item.value, "given_name": "Олександр", "last_known_location": item.value,
        "reporter_name": "Коваленко Олена", "reporter_contact": "+380671112233",
        "notes": item.value,
    }  # fmt: skip
    with registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        item.public_record_id = triage.receive_public_report(uow, values, consent=True).record_id
        uow.commit()


def _handover_list(world: HostileWorld, item: Hostile) -> None:
    value = item.value
    with world.registry.uow(world.actors["verifier"]) as uow:
        row = lists.create_list(
            uow, title=fitting(value, "title", "Список"), purpose=value,
            channel=fitting(value, "channel", "посередник"),
            recipient=fitting(value, "recipient", "посередник"),
        )  # fmt: skip
        lists.change_child(uow, row.id, item.child_id, "add", reason=value)
        for extra in ("mother_name", "birth_place"):
            lists.add_field(uow, row.id, extra, justification=value)
        uow.commit()
        item.list_id = row.id
    with world.registry.uow(world.actors["approver"]) as uow:
        lists.approve(uow, item.list_id)
        lists.freeze(uow, item.list_id, keys.load_or_create_signing_key(
            world.settings.data_dir / "keys"))  # fmt: skip
        uow.commit()


IMPORT_HEADER = ["Прізвище", "Ім'я", "Дата народження", "Місце народження", "Примітки"]


def _import(world: HostileWorld, tmp: Path) -> int:
    """One file: per value, a row that imports and one that waits in the
    quarantine (its date does not exist).  NUL is left out: a CSV file with
    one is refused whole (test_storage checks it is)."""
    path = tmp / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(IMPORT_HEADER)
        for item in world.items.values():
            if "\x00" in item.value:
                continue
            writer.writerow([item.value, "Богдан", "05.06.2013", item.value, item.value])
            writer.writerow([item.value, "Богдан", "31.02.2013", item.value, item.value])
    result = imports.import_file(world.registry, world.actors["case_worker"], path, match=False)
    return result.import_id


@pytest.fixture(scope="module")
def clients(hostile: HostileWorld) -> Iterator[dict[str, TestClient]]:
    """A browser per user, each signed in once."""
    app = create_app(hostile.settings, registry=hostile.registry)
    signed: dict[str, TestClient] = {}
    try:
        for username in ("case_worker", "verifier", "auditor"):
            client = TestClient(app, base_url="https://testserver", follow_redirects=False)
            client.__enter__()
            signed[username] = client
            sign_in(client, hostile.web_world(), username)
        yield signed
    finally:
        for client in signed.values():
            client.__exit__(None, None, None)
