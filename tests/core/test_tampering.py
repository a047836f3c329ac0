"""Direct edits of the database and the file store, each found and named by the
verification commands (``homeward audit verify``, ``lists check``, ``evidence verify``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from homeward import keys
from homeward.cli.main import app
from homeward.domain.documents import DocumentKind
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.services import audit_trail, cases, evidence, lists
from homeward.services.registry_app import Registry
from tests.factories import make_child

VERIFIER = Actor("taras", Role.VERIFIER, user_id=2)
OTHER_VERIFIER = Actor("iryna", Role.VERIFIER, user_id=3)
AUDITOR = Actor("anna", Role.AUDITOR)


@dataclass
class Scene:
    child_id: int
    list_id: int
    document_sha: str
    document_id: int


def _scene(registry: Registry, tmp_path: Path) -> Scene:
    with registry.uow() as uow:
        child = make_child(uow)
        for status, detail in ((Status.UNDER_VERIFICATION, None), (Status.VERIFIED, None),
                               (Status.LOCATED, "russia")):  # fmt: skip
            cases.move_status(uow, child.id, status, detail=detail, reason="commission")
        doc = evidence.add_document(
            uow, registry.files, child.id, io.BytesIO(b"%PDF scan"),
            kind=DocumentKind.BIRTH_CERTIFICATE, filename="b.pdf",
        )  # fmt: skip
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        row = lists.create_list(
            uow, title="Round 3", purpose="located in Russia", channel="mediator",
            recipient="Mediator's office", criteria={"located_in_russia": True},
        )  # fmt: skip
        uow.commit()
    with registry.uow(OTHER_VERIFIER) as uow:
        lists.approve(uow, row.id, accept_without_representative=True)
        lists.freeze(uow, row.id, keys.load_or_create_signing_key(tmp_path / "k"))
        uow.commit()
    return Scene(child.id, row.id, doc.sha256, doc.id)


def _sql(registry: Registry, *statements: str) -> None:
    with registry.engine.connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        for statement in statements:
            conn.execute(text(statement))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER USER")


def _problems(registry: Registry) -> list[str]:
    """Everything the verification commands report."""
    found = [str(p) for p in [audit_trail.verify_audit(registry).problem] if p]
    found += audit_trail.verify_rows(registry)
    found += evidence.verify_store(registry).problems
    with registry.uow(AUDITOR, write=False) as uow:
        found += lists.check_frozen(uow)
    return found


def _change_file(registry: Registry, scene: Scene) -> None:
    path = registry.files.path(scene.document_sha)
    path.chmod(0o640)
    path.write_bytes(b"%PDF forged")


RELATIVE = (
    "INSERT INTO relatives (child_id, full_name, relationship, is_legal_representative, "
    "requested_return, in_occupied_territory, created_at) "
    "VALUES ({child}, 'Іван', 'father', true, true, false, '2026-01-01 00:00:00')"
)
TAMPERINGS: dict[str, tuple[str, str]] = {
    # what was done (SQL, or "file"), and what a verification must then say
    "a changed status": (
        "UPDATE children SET status = 'returned' WHERE id = {child}",
        "children {child}: status is 'returned' in the database but the audit trail "
        "recorded 'located'",
    ),
    "a changed name in a record": (
        "UPDATE records SET given_name = 'Олексій' WHERE child_id = {child}",
        "given_name is 'Олексій' in the database but the audit trail recorded 'Олександр'",
    ),
    "a deleted audit row": ("DELETE FROM audit_log WHERE seq = 3", "entry 3"),
    "a deleted status move": (
        "DELETE FROM status_changes WHERE child_id = {child} AND to_status = 'verified'",
        "removed behind Homeward's back",
    ),
    "an inserted relative": (RELATIVE, "not in the audit trail (added behind Homeward's back)"),
    "a changed frozen list entry": (
        "UPDATE list_entries SET number = 7 WHERE number = 1",
        "list {list} version 1: entry 1 was deleted",
    ),
    "a changed file in the store": ("file", "file {sha} was changed"),
}


def test_an_untouched_registry_verifies(registry: Registry, tmp_path: Path) -> None:
    _scene(registry, tmp_path)
    assert _problems(registry) == []


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_each_tampering_is_detected_and_named(
    tampering: str, registry: Registry, tmp_path: Path
) -> None:
    scene = _scene(registry, tmp_path)
    done, expected = (
        t.format(child=scene.child_id, list=scene.list_id, sha=scene.document_sha)
        for t in TAMPERINGS[tampering]
    )
    if done == "file":
        _change_file(registry, scene)
    else:
        _sql(registry, done)
    problems = _problems(registry)
    assert any(expected in p for p in problems), problems


def test_audit_verify_names_a_status_changed_behind_its_back(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = _scene(registry, tmp_path)
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(registry.settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", registry.settings.database_url)
    clean = CliRunner().invoke(app, ["audit", "verify"])
    assert clean.exit_code == 0 and "every table agrees with the audit trail" in clean.output
    _sql(registry, f"UPDATE children SET status = 'returned' WHERE id = {scene.child_id}")
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "audit trail verified" in result.output  # the chain itself is intact
    assert f"children {scene.child_id}: status is 'returned'" in result.output
