"""Backups: consistent, checked, and a restore that loses nothing."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from homeward.config import Settings
from homeward.domain.model import EventKind, Relationship
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Invalid
from homeward.services import audit_trail, backup, cases
from homeward.services.registry_app import Registry
from homeward.storage.tables import Base
from tests.factories import make_child

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)


def fill(registry: Registry) -> None:
    with registry.uow(WORKER) as uow:
        a = make_child(uow, records=2, reporter_contact="+380501112233")
        b = make_child(uow, given_name="Ганна", sex="f", birth_date="2015")
        cases.add_event(uow, a.id, EventKind.SIGHTING, date="2023-05-02", place="Артек")
        cases.add_relative(uow, a.id, full_name="Олена", relationship=Relationship.MOTHER,
                           address="Мелітополь")  # fmt: skip
        cases.move_status(uow, b.id, Status.UNDER_VERIFICATION, reason="check")
        uow.commit()


def dump(registry: Registry) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a comparable form."""
    with registry.engine.connect() as conn:
        result = {}
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            result[table.name] = [
                tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row) for row in rows
            ]
        return result


def test_round_trip_gives_the_same_rows_and_a_valid_chain(
    registry: Registry, tmp_path: Path
) -> None:
    fill(registry)
    original = dump(registry)
    path = tmp_path / "registry.hwb"
    summary = backup.write_backup(registry, path)
    assert summary.rows["records"] == 3
    target = Registry.open(
        Settings(data_dir=tmp_path / "other", database_url=f"sqlite:///{tmp_path / 'new.db'}"),
        migrate_schema=True,
    )
    try:
        backup.restore_backup(target, path)
        restored = dump(target)
        assert {k: v for k, v in restored.items() if k != "audit_log"} == {
            k: v for k, v in original.items() if k != "audit_log"
        }
        # The restored log is the original plus one entry saying it was restored.
        assert restored["audit_log"][: len(original["audit_log"])] == original["audit_log"]
        assert len(restored["audit_log"]) == len(original["audit_log"]) + 1
        assert audit_trail.verify_audit(target).ok
        with target.uow(WORKER) as uow:  # the restored registry keeps working
            make_child(uow)
            uow.commit()
        assert audit_trail.verify_audit(target).ok
    finally:
        target.close()


def test_restore_replaces_what_was_there(registry: Registry, tmp_path: Path) -> None:
    fill(registry)
    original = dump(registry)
    path = tmp_path / "registry.hwb"
    backup.write_backup(registry, path)
    with registry.uow(WORKER) as uow:
        make_child(uow, given_name="Лишній")
        uow.commit()
    backup.restore_backup(registry, path)
    restored = dump(registry)
    assert restored["children"] == original["children"]
    assert audit_trail.verify_audit(registry).ok
    with registry.uow(WORKER) as uow:  # ids continue after the restored ones
        child = make_child(uow)
        uow.commit()
    assert child.id == len(original["children"]) + 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not a backup", "not a Homeward backup"),
        (gzip.compress(b'{"hello": 1}\n', mtime=0), "not a Homeward backup"),
        (gzip.compress(b"", mtime=0), "empty file"),
    ],
    ids=["zip", "other-json", "empty"],
)
def test_foreign_files_are_refused(
    registry: Registry, tmp_path: Path, content: bytes, message: str
) -> None:
    fill(registry)
    before = dump(registry)
    path = tmp_path / "foreign.hwb"
    path.write_bytes(content)
    with pytest.raises(Invalid, match=message):
        backup.restore_backup(registry, path)
    assert dump(registry) == before


def test_damaged_backup_is_refused_and_changes_nothing(registry: Registry, tmp_path: Path) -> None:
    fill(registry)
    path = tmp_path / "registry.hwb"
    backup.write_backup(registry, path)
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    damaged = [line.replace("Олександр", "Александр") for line in lines]
    assert damaged != lines
    path.write_bytes(gzip.compress("".join(damaged).encode()))
    with registry.uow(WORKER) as uow:
        make_child(uow, given_name="Новий")
        uow.commit()
    before = dump(registry)
    with pytest.raises(Invalid, match="damaged"):
        backup.restore_backup(registry, path)
    assert dump(registry) == before
    truncated = tmp_path / "cut.hwb"
    truncated.write_bytes(gzip.compress("".join(lines[:-2]).encode()))
    with pytest.raises(Invalid, match="incomplete"):
        backup.check_backup(truncated)


def test_a_restore_failing_half_way_changes_nothing(registry: Registry, tmp_path: Path) -> None:
    """A well-formed backup whose last record points at a case that is not in it:
    the restore fails on that row, after deleting and inserting much else."""
    fill(registry)
    path = tmp_path / "registry.hwb"
    backup.write_backup(registry, path)
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    body = [json.loads(line) for line in lines[:-1]]
    last_record = max(i for i, obj in enumerate(body) if obj.get("t") == "records")
    body[last_record]["r"]["child_id"] = 999_999
    rebuilt = [json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n" for obj in body]
    digest = hashlib.sha256("".join(rebuilt).encode()).hexdigest()
    trailer = json.loads(lines[-1]) | {"sha256": digest}
    path.write_bytes(gzip.compress(("".join(rebuilt) + json.dumps(trailer) + "\n").encode()))
    with registry.uow(WORKER) as uow:
        make_child(uow, given_name="Новий")
        uow.commit()
    before = dump(registry)
    with pytest.raises(Invalid, match="nothing was changed"):
        backup.restore_backup(registry, path)
    assert dump(registry) == before
    assert audit_trail.verify_audit(registry).ok


def test_backup_while_a_writer_is_mid_transaction(registry: Registry, tmp_path: Path) -> None:
    """The registry keeps running: a backup neither waits for an open write
    transaction nor copies its uncommitted rows."""
    fill(registry)
    committed = dump(registry)
    with registry.uow(WORKER) as uow:
        make_child(uow, given_name="Незавершений")
        uow.flush()
        path = tmp_path / "during.hwb"
        summary = backup.write_backup(registry, path)
        uow.commit()
    assert summary.rows["children"] == len(committed["children"])
    assert summary.rows["audit_log"] == len(committed["audit_log"])
