"""The audit trail: every change logged, and each kind of tampering named."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Invalid
from homeward.services import audit_trail, cases
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow
from tests.factories import make_child

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)


@pytest.fixture
def busy_registry(registry: Registry) -> Registry:
    """A registry with a few dozen audit entries."""
    with registry.uow(WORKER) as uow:
        for _ in range(3):
            child = make_child(uow, reporter_contact="+380501112233")
            cases.move_status(uow, child.id, Status.UNDER_VERIFICATION, reason="check")
        uow.commit()
    return registry


def tamper(registry: Registry, sql: str, **params: object) -> None:
    """Change the database behind Homeward's back, as an intruder would."""
    with registry.engine.connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        conn.execute(text(sql), params)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER USER")


def test_every_change_is_logged_with_actor_and_before_after(busy_registry: Registry) -> None:
    with busy_registry.uow(write=False) as uow:
        rows = uow.session.scalars(select(AuditRow).order_by(AuditRow.seq)).all()
    moves = [r for r in rows if r.action == "case.move_status:update"]
    assert len(moves) == 3
    assert all(r.actor == "olena" for r in moves)
    change = json.loads(moves[0].before), json.loads(moves[0].after)
    assert change[0]["status"] == "reported" and change[1]["status"] == "under_verification"


def test_sensitive_values_are_logged_as_digests(busy_registry: Registry) -> None:
    with busy_registry.uow(write=False) as uow:
        logged = " ".join(r.after or "" for r in uow.session.scalars(select(AuditRow)))
    assert "+380501112233" not in logged
    assert "sha256:" in logged


def test_clean_log_verifies(busy_registry: Registry) -> None:
    report = audit_trail.verify_audit(busy_registry)
    assert report.ok and report.entries > 20 and report.head_seq == report.entries


def test_edit_is_named(busy_registry: Registry) -> None:
    tamper(busy_registry, "UPDATE audit_log SET actor = 'nobody' WHERE seq = 7")
    report = audit_trail.verify_audit(busy_registry)
    assert report.problem is not None
    assert (report.problem.seq, report.problem.kind) == (7, "edited")


def test_delete_is_named(busy_registry: Registry) -> None:
    tamper(busy_registry, "DELETE FROM audit_log WHERE seq = 9")
    report = audit_trail.verify_audit(busy_registry)
    assert report.problem is not None
    assert (report.problem.seq, report.problem.kind) == (10, "deleted")
    assert "entry 9 missing" in str(report.problem)


def test_insert_is_named(busy_registry: Registry) -> None:
    """A forged entry slipped in at 5, with a correct hash, the rest renumbered."""
    from homeward.storage.audit import entry_hash

    with busy_registry.uow(write=False) as uow:
        fourth = uow.session.scalar(select(AuditRow).where(AuditRow.seq == 4))
        assert fourth is not None
        prev = fourth.hash
    forged = entry_hash(prev, "2026-01-01T00:00:00.000000Z", "x", "forged", "children", "1",
                        None, None)  # fmt: skip
    tamper(busy_registry, "UPDATE audit_log SET seq = seq + 100000 WHERE seq >= 5")
    tamper(busy_registry, "UPDATE audit_log SET seq = seq - 99999 WHERE seq >= 100000")
    tamper(
        busy_registry,
        "INSERT INTO audit_log (seq, at, actor, action, entity_type, entity_id, prev_hash, hash) "
        "VALUES (5, '2026-01-01T00:00:00.000000Z', 'x', 'forged', 'children', '1', :p, :h)",
        p=prev, h=forged,
    )  # fmt: skip
    report = audit_trail.verify_audit(busy_registry)
    assert report.problem is not None
    assert (report.problem.seq, report.problem.kind) == (5, "inserted")


def test_reorder_is_named(busy_registry: Registry) -> None:
    tamper(busy_registry, "UPDATE audit_log SET seq = -1 WHERE seq = 12")
    tamper(busy_registry, "UPDATE audit_log SET seq = 12 WHERE seq = 13")
    tamper(busy_registry, "UPDATE audit_log SET seq = 13 WHERE seq = -1")
    report = audit_trail.verify_audit(busy_registry)
    assert report.problem is not None
    assert (report.problem.seq, report.problem.kind) == (12, "reordered")


def test_truncated_tail_shows_against_a_checkpoint(busy_registry: Registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    checkpoint = tmp_path / "head.json"
    document = audit_trail.write_checkpoint(busy_registry, checkpoint)
    tamper(busy_registry, "DELETE FROM audit_log WHERE seq >= :s", s=document["seq"] - 1)
    report = audit_trail.verify_audit(busy_registry, checkpoint)
    assert report.problem is not None and report.problem.kind == "truncated"


def test_forged_checkpoint_is_refused(busy_registry: Registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    checkpoint = tmp_path / "head.json"
    document = audit_trail.write_checkpoint(busy_registry, checkpoint)
    document["seq"] = 1
    checkpoint.write_text(json.dumps(document))
    with pytest.raises(Invalid, match="signature"):
        audit_trail.verify_audit(busy_registry, checkpoint)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET actor = 'nobody'",
        "DELETE FROM audit_log WHERE seq = 1",
        "TRUNCATE audit_log",
    ],
)
def test_postgresql_refuses_changes_to_the_log(busy_registry: Registry, sql: str) -> None:
    with busy_registry.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text(sql))
    assert audit_trail.verify_audit(busy_registry).ok


def test_an_entry_hash_is_the_sha256_of_its_fields_as_one_canonical_json_list() -> None:
    """The hash every stored chain was built with: a change here would make
    every trail written before it fail verification."""
    import hashlib

    from homeward.storage.audit import entry_hash

    odd = 'a "quoted" \\ back\nslash\t\x00\x1f \u2028 Коваленко ё 😀 /'
    fields = ["0" * 64, "2026-01-01T00:00:00.000000Z", odd, "import.rows:insert", "records",
              None, None, json.dumps({"raw": odd}, ensure_ascii=False)]  # fmt: skip
    for items in (fields, [*fields[:5], 5, "", odd]):  # 5: a number in place of a text
        text = json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert entry_hash(*items) == hashlib.sha256(text.encode()).hexdigest()  # type: ignore[arg-type]
