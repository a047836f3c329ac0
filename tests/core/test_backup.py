"""Backups: encrypted, whole (database and file store), checked, and a restore
that either brings everything back or changes nothing."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from homeward import crypto
from homeward.config import Settings
from homeward.domain.documents import DocumentKind
from homeward.domain.model import EventKind, Relationship
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Invalid
from homeward.services import audit_trail, backup, cases, evidence
from homeward.services.backup import format as layout
from homeward.services.backup import writing
from homeward.services.registry_app import Registry
from homeward.storage import migrate
from homeward.storage.tables import Base
from tests.conftest import _database_url
from tests.factories import make_child

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
PASSPHRASE = "correct horse battery staple"
SCAN = b"%PDF-1.7\n" + bytes(range(256)) * 700 + b"\n%%EOF\n"


def fill(registry: Registry) -> None:
    """Cases with records, events, relatives, a status change, two documents
    (one larger than a backup frame's file block) and a file no row names."""
    with registry.uow(WORKER) as uow:
        a = make_child(uow, records=2, reporter_contact="+380501112233")
        b = make_child(uow, given_name="Ганна", sex="f", birth_date="2015")
        cases.add_event(uow, a.id, EventKind.SIGHTING, date="2023-05-02", place="Артек")
        cases.add_relative(uow, a.id, full_name="Олена", relationship=Relationship.MOTHER,
                           address="Мелітополь")  # fmt: skip
        cases.move_status(uow, b.id, Status.UNDER_VERIFICATION, reason="check")
        for child, data in ((a, SCAN), (b, os.urandom(layout.FILE_BLOCK * 2 + 17))):
            evidence.add_document(uow, registry.files, child.id, io.BytesIO(data),
                                  kind=DocumentKind.OTHER, filename="scan.pdf")  # fmt: skip
        uow.commit()
    registry.files.put_bytes(b"")  # an empty file is a file too


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


def files_of(registry: Registry) -> dict[str, bytes]:
    """Every file of the store, with its bytes."""
    return {sha: registry.files.read_bytes(sha) for sha in registry.files.hashes()}


def store_entries(registry: Registry) -> list[Path]:
    """Everything on disk under the store's root (temporary files included)."""
    root = registry.files.root
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def target(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Registry]:
    """A second, empty registry on the same kind of database: the new machine."""
    urls = _database_url(backend, request, tmp_path / "target")
    (tmp_path / "target").mkdir(exist_ok=True)
    url = next(urls)
    reg = Registry.open(Settings(data_dir=tmp_path / "target", database_url=url))
    yield reg
    reg.close()
    next(urls, None)


def sqlite_registry(tmp_path: Path, name: str) -> Registry:
    return Registry.open(
        Settings(data_dir=tmp_path / name, database_url=f"sqlite:///{tmp_path / name}.db"),
        migrate_schema=True,
    )


def assert_same_registry(restored: Registry, original: Registry, before: dict[str, Any]) -> None:
    after = dump(restored)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }
    # The restored log is the original plus one entry saying it was restored.
    assert after["audit_log"][: len(before["audit_log"])] == before["audit_log"]
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1
    assert audit_trail.verify_audit(restored).ok
    assert files_of(restored) == files_of(original)


def test_encrypted_round_trip_restores_every_row_and_file(
    registry: Registry, target: Registry, tmp_path: Path
) -> None:
    fill(registry)
    before = dump(registry)
    path = tmp_path / "registry.hwb"
    summary = backup.write_backup(registry, path, passphrase=PASSPHRASE)
    assert summary.rows["records"] == 3 and summary.files == 3 and summary.encrypted
    assert summary.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    # Encrypted: neither a name nor a scanned document is in the file as it was.
    raw = path.read_bytes()
    assert "Ганна".encode() not in raw and SCAN[:4000] not in raw
    assert list(tmp_path.glob("*.partial")) == [] and oct(path.stat().st_mode)[-3:] == "600"
    assert target.files.root.exists() is False and sum(map(len, dump(target).values())) == 0

    result = backup.restore_backup(target, path, passphrase=PASSPHRASE)
    assert (result.files_written, result.files_present) == (3, 0)
    assert_same_registry(target, registry, before)
    with target.uow(WORKER) as uow:  # the restored registry keeps working, documents open
        document_id = dump(target)["documents"][0][0]
        _, stream = evidence.open_document(uow, target.files, document_id)
        with stream:
            assert stream.read() == SCAN
        make_child(uow)
        uow.commit()
    assert audit_trail.verify_audit(target).ok


def test_a_backup_made_on_sqlite_restores_here(registry: Registry, tmp_path: Path) -> None:
    source = sqlite_registry(tmp_path, "source")
    try:
        fill(source)
        before = dump(source)
        public = crypto.generate_identity()
        path = tmp_path / "from-sqlite.hwb"
        backup.write_backup(source, path, recipients=[public[1]])
        backup.restore_backup(registry, path, identity=public[0])
        assert_same_registry(registry, source, before)
    finally:
        source.close()


def test_restore_replaces_the_rows_and_keeps_files_already_there(
    registry: Registry, tmp_path: Path
) -> None:
    fill(registry)
    before = dump(registry)
    original_files = files_of(registry)
    path = tmp_path / "registry.hwb"
    backup.write_backup(registry, path, passphrase=PASSPHRASE)
    with registry.uow(WORKER) as uow:
        make_child(uow, given_name="Лишній")
        uow.commit()
    extra = registry.files.put_bytes(b"added after the backup").sha256
    damaged = next(iter(sorted(original_files, key=lambda sha: -len(original_files[sha]))))
    spoilt = registry.files.path(damaged)
    os.chmod(spoilt, 0o640)
    spoilt.write_bytes(b"rotten")
    summary = backup.restore_backup(registry, path, passphrase=PASSPHRASE)
    assert dump(registry)["children"] == before["children"]
    assert audit_trail.verify_audit(registry).ok
    # The damaged copy is replaced from the backup; a file not in it stays.
    assert (summary.files_written, summary.files_present) == (1, 2)
    assert files_of(registry) == original_files | {extra: b"added after the backup"}
    with registry.uow(WORKER) as uow:  # ids continue after the restored ones
        child = make_child(uow)
        uow.commit()
    assert child.id == len(before["children"]) + 1


def test_a_wrong_passphrase_is_refused_and_nothing_is_written(
    registry: Registry, target: Registry, tmp_path: Path
) -> None:
    fill(registry)
    path = tmp_path / "registry.hwb"
    backup.write_backup(registry, path, passphrase=PASSPHRASE)
    before = dump(target)
    with pytest.raises(backup.WrongKey, match="the passphrase is wrong"):
        backup.restore_backup(target, path, passphrase="correct horse battery stapler")
    with pytest.raises(backup.KeyNeeded, match="encrypted"):
        backup.restore_backup(target, path)
    with pytest.raises(backup.WrongKey, match="the passphrase is wrong"):
        backup.check_key(path, passphrase="Correct horse battery staple")
    assert dump(target) == before
    assert store_entries(target) == []


def test_a_public_key_backup_opens_only_with_its_secret_key(
    registry: Registry, tmp_path: Path
) -> None:
    fill(registry)
    partner_secret, partner_public = crypto.generate_identity()
    other_secret, other_public = crypto.generate_identity()
    path = tmp_path / "escrow.hwb"
    backup.write_backup(registry, path, recipients=[partner_public, other_public])
    assert backup.check_backup(path, identity=partner_secret).files == 3
    assert backup.check_backup(path, identity=other_secret).total_rows > 0
    stranger, _ = crypto.generate_identity()
    with pytest.raises(backup.WrongKey, match="not one this was encrypted for"):
        backup.check_backup(path, identity=stranger)
    with pytest.raises(backup.WrongKey, match="opened with a secret key"):
        backup.check_backup(path, passphrase=PASSPHRASE)
    both = tmp_path / "both.hwb"
    backup.write_backup(registry, both, passphrase=PASSPHRASE, recipients=[partner_public])
    assert backup.check_backup(both, passphrase=PASSPHRASE).files == 3
    assert backup.check_backup(both, identity=partner_secret).files == 3
    with pytest.raises(Invalid, match="not a Homeward public key"):
        backup.write_backup(registry, tmp_path / "bad.hwb", recipients=["ssh-ed25519 AAAA"])
    assert not (tmp_path / "bad.hwb").exists() and list(tmp_path.glob(".*partial")) == []


def test_a_backup_needs_a_key_unless_it_is_asked_to_be_unencrypted(
    registry: Registry, tmp_path: Path
) -> None:
    fill(registry)
    with pytest.raises(Invalid, match="give a passphrase or a public key"):
        backup.write_backup(registry, tmp_path / "a.hwb")
    with pytest.raises(Invalid, match="too short"):
        backup.write_backup(registry, tmp_path / "a.hwb", passphrase="12345")
    with pytest.raises(Invalid, match="either encrypted or not"):
        backup.write_backup(registry, tmp_path / "a.hwb", passphrase=PASSPHRASE, unencrypted=True)
    assert list(tmp_path.glob("*.hwb")) == [] and list(tmp_path.glob(".*")) == []
    plain = tmp_path / "plain.hwb"
    summary = backup.write_backup(registry, plain, unencrypted=True)
    assert not summary.encrypted and plain.read_bytes().startswith(b"homeward-backup/2\n")
    assert SCAN in plain.read_bytes()  # readable by anyone: that is what was asked for
    info = backup.check_backup(plain)
    assert not info.encrypted and info.files == 3
    with pytest.raises(Invalid, match="never overwrites"):
        backup.write_backup(registry, plain, unencrypted=True)


def test_a_changed_byte_is_refused_naming_the_problem(
    registry: Registry, target: Registry, tmp_path: Path
) -> None:
    fill(registry)
    path = tmp_path / "registry.hwb"
    backup.write_backup(registry, path, passphrase=PASSPHRASE)
    original = path.read_bytes()
    header_end = original.index(b"\n---") + 50
    for offset, message in (
        (len(original) // 2, r"damaged or incomplete: chunk \d+ was changed"),
        (header_end + 100, "damaged or incomplete: chunk 0 was changed"),
        (original.index(b"-> scrypt") + 20, "passphrase is wrong|header"),
    ):
        changed = bytearray(original)
        changed[offset] ^= 0x01
        path.write_bytes(bytes(changed))
        with pytest.raises(Invalid, match=message):
            backup.check_backup(path, passphrase=PASSPHRASE)
        with pytest.raises(Invalid, match=message):
            backup.restore_backup(target, path, passphrase=PASSPHRASE)
        assert sum(map(len, dump(target).values())) == 0 and store_entries(target) == []


@pytest.mark.parametrize("keep", [0.999, 0.5, 0.01])
def test_a_truncated_backup_is_refused(registry: Registry, tmp_path: Path, keep: float) -> None:
    fill(registry)
    secret, public = crypto.generate_identity()
    whole = tmp_path / "whole.hwb"
    backup.write_backup(registry, whole, recipients=[public])
    data = whole.read_bytes()
    cut = tmp_path / "cut.hwb"
    cut.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(Invalid, match=r"damaged or incomplete|cut short"):
        backup.check_backup(cut, identity=secret)
    # At a chunk boundary as well: the last chunk is marked, so its loss shows.
    chunk = crypto.CHUNK + crypto.TAG
    start = data.index(b"\n---") + 1
    start = data.index(b"\n", start) + 1 + crypto.SALT
    cut.write_bytes(data[: start + chunk * max(1, int((len(data) - start) // chunk * keep))])
    with pytest.raises(Invalid, match="cut short"):
        backup.check_backup(cut, identity=secret)


def test_a_plain_backup_cut_short_or_edited_is_refused(registry: Registry, tmp_path: Path) -> None:
    """Without encryption nothing authenticates the bytes; the hashes in it do."""
    fill(registry)
    path = tmp_path / "plain.hwb"
    backup.write_backup(registry, path, unencrypted=True)
    data = path.read_bytes()
    path.write_bytes(data[:-10])
    with pytest.raises(Invalid, match="incomplete"):
        backup.check_backup(path)
    at = data.index(SCAN[:2000]) + 1000
    path.write_bytes(data[:at] + b"X" + data[at + 1 :])
    with pytest.raises(Invalid, match=f"file {hashlib.sha256(SCAN).hexdigest()}: its bytes hash"):
        backup.check_backup(path)


def test_a_backup_is_checked_before_it_gets_its_name(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that does not read back whole is never left where a backup is expected."""
    fill(registry)
    real_check = writing.check_backup

    def damage_then_check(tmp: Path, **keys: Any) -> backup.BackupInfo:
        data = bytearray(tmp.read_bytes())
        data[-100] ^= 0xFF
        tmp.write_bytes(bytes(data))
        return real_check(tmp, **keys)

    monkeypatch.setattr(writing, "check_backup", damage_then_check)
    path = tmp_path / "registry.hwb"
    with pytest.raises(Invalid, match="damaged"):
        backup.write_backup(registry, path, passphrase=PASSPHRASE)
    assert not path.exists() and list(tmp_path.glob(".*")) == []


def test_a_damaged_file_in_the_store_stops_the_backup_naming_it(
    registry: Registry, tmp_path: Path
) -> None:
    fill(registry)
    sha = hashlib.sha256(SCAN).hexdigest()
    stored = registry.files.path(sha)
    os.chmod(stored, 0o640)
    stored.write_bytes(SCAN.replace(b"%%EOF", b"%%EOG"))
    path = tmp_path / "registry.hwb"
    with pytest.raises(Invalid, match=f"file {sha} was changed"):
        backup.write_backup(registry, path, passphrase=PASSPHRASE)
    assert not path.exists() and list(tmp_path.glob(".*")) == []


def unframe(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    at = len(layout.MAGIC)
    while at < len(data):
        kind, length = layout.FRAME_HEAD.unpack_from(data, at)
        at += layout.FRAME_HEAD.size
        yield kind, data[at : at + length]
        at += length


def test_a_restore_failing_half_way_changes_nothing(
    registry: Registry, target: Registry, tmp_path: Path
) -> None:
    """A sound backup whose last record points at a case that is not in it: the
    restore fails on that row, after deleting and inserting much else."""
    fill(registry)
    path = tmp_path / "plain.hwb"
    backup.write_backup(registry, path, unencrypted=True)
    frames = list(unframe(path.read_bytes()))
    lines = b"".join(zlib.decompress(body) for kind, body in frames if kind == b"R")
    rows = [json.loads(line) for line in lines.splitlines()]
    last_record = max(i for i, obj in enumerate(rows) if obj["t"] == "records")
    rows[last_record]["r"]["child_id"] = 999_999
    text = b"".join(
        json.dumps(r, ensure_ascii=False, sort_keys=True).encode() + b"\n" for r in rows
    )
    trailer = json.loads(frames[-1][1]) | {"rows_sha256": hashlib.sha256(text).hexdigest()}
    out = io.BytesIO()
    out.write(layout.MAGIC)
    writer = layout.FrameWriter(out)  # type: ignore[arg-type]
    writer.frame(b"H", frames[0][1])
    writer.rows(text)
    for kind, body in frames:
        if kind in (b"F", b"D", b"E"):
            writer.frame(kind, body)
    writer.json(b"T", trailer)
    path.write_bytes(out.getvalue())
    assert backup.check_backup(path).files == 3  # sound as a file
    with target.uow(WORKER) as uow:
        make_child(uow, given_name="Новий")
        uow.commit()
    kept = target.files.put_bytes(b"already here").sha256
    before = dump(target)
    with pytest.raises(Invalid, match="nothing was changed"):
        backup.restore_backup(target, path)
    assert dump(target) == before
    assert audit_trail.verify_audit(target).ok
    assert list(target.files.hashes()) == [kept]
    assert [p.name for p in store_entries(target)] == [kept]


def test_a_restore_failing_on_a_file_takes_back_what_it_wrote(
    registry: Registry, target: Registry, tmp_path: Path
) -> None:
    """The store cannot take the last file (a plain file stands where its
    folder must go): rows are rolled back, the files written before it removed."""
    fill(registry)
    path = tmp_path / "registry.hwb"
    backup.write_backup(registry, path, passphrase=PASSPHRASE)
    last = sorted(files_of(registry))[-1]
    target.files.root.mkdir(parents=True)
    blocker = target.files.root / last[:2]
    blocker.write_bytes(b"in the way")
    before = dump(target)
    with pytest.raises(Invalid, match=f"cannot write file {last}.*nothing was changed"):
        backup.restore_backup(target, path, passphrase=PASSPHRASE)
    assert dump(target) == before
    assert list(target.files.hashes()) == [] and store_entries(target) == [blocker]
    blocker.unlink()
    backup.restore_backup(target, path, passphrase=PASSPHRASE)
    assert files_of(target) == files_of(registry)


def test_backup_while_a_writer_is_mid_transaction(registry: Registry, tmp_path: Path) -> None:
    """The registry keeps running: a backup neither waits for an open write
    transaction nor copies its uncommitted rows."""
    fill(registry)
    committed = dump(registry)
    with registry.uow(WORKER) as uow:
        make_child(uow, given_name="Незавершений")
        uow.flush()
        path = tmp_path / "during.hwb"
        summary = backup.write_backup(registry, path, recipients=[crypto.generate_identity()[1]])
        uow.commit()
    assert summary.rows["children"] == len(committed["children"])
    assert summary.rows["audit_log"] == len(committed["audit_log"])


# --- version 1: gzip JSON lines of the database, written before version 2 ---------


def write_v1(registry: Registry, path: Path) -> None:
    """A backup as version 1 wrote it (the format's writer is gone; its files stay)."""
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    with registry.engine.connect() as conn, gzip.open(path, "wt", encoding="utf-8") as out:

        def emit(obj: dict[str, Any]) -> None:
            line = json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n"
            digest.update(line.encode("utf-8"))
            out.write(line)

        emit({"format": "homeward-backup", "version": 1,
              "schema_revision": migrate.current_revision(registry.engine),
              "created_at": "2026-01-01T00:00:00Z",
              "tables": [t.name for t in Base.metadata.sorted_tables]})  # fmt: skip
        for table in Base.metadata.sorted_tables:
            counts[table.name] = 0
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                values = {k: v.isoformat() if isinstance(v, datetime) else v
                          for k, v in row._mapping.items()}  # fmt: skip
                emit({"t": table.name, "r": values})
                counts[table.name] += 1
        out.write(json.dumps({"end": True, "rows": counts, "sha256": digest.hexdigest()}) + "\n")


def test_a_version_1_backup_still_restores(
    registry: Registry, target: Registry, tmp_path: Path
) -> None:
    fill(registry)
    before = dump(registry)
    path = tmp_path / "old.hwb"
    write_v1(registry, path)
    info = backup.check_backup(path)
    assert (info.version, info.encrypted, info.rows["records"]) == (1, False, 3)
    summary = backup.restore_backup(target, path)
    assert summary.rows["records"] == 3 and summary.files_written == 0
    after = dump(target)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }
    assert audit_trail.verify_audit(target).ok


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not a backup", "not a Homeward backup"),
        (gzip.compress(b'{"hello": 1}\n', mtime=0), "not a Homeward backup"),
        (gzip.compress(b"", mtime=0), "empty file"),
        (b"", "empty file"),
        (crypto.SEALED_MAGIC + b"-> scrypt", "damaged"),
    ],
    ids=["zip", "other-json", "empty-gzip", "empty", "sealed-header-cut"],
)
def test_foreign_files_are_refused(
    registry: Registry, tmp_path: Path, content: bytes, message: str
) -> None:
    fill(registry)
    before = dump(registry)
    path = tmp_path / "foreign.hwb"
    path.write_bytes(content)
    with pytest.raises(Invalid, match=message):
        backup.restore_backup(registry, path, passphrase=PASSPHRASE)
    assert dump(registry) == before


def test_a_damaged_version_1_backup_is_refused_and_changes_nothing(
    registry: Registry, tmp_path: Path
) -> None:
    fill(registry)
    path = tmp_path / "old.hwb"
    write_v1(registry, path)
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    damaged = [line.replace("Олександр", "Александр") for line in lines]
    assert damaged != lines
    path.write_bytes(gzip.compress("".join(damaged).encode()))
    before = dump(registry)
    with pytest.raises(Invalid, match="damaged"):
        backup.restore_backup(registry, path)
    assert dump(registry) == before
    truncated = tmp_path / "cut.hwb"
    truncated.write_bytes(gzip.compress("".join(lines[:-2]).encode()))
    with pytest.raises(Invalid, match="incomplete"):
        backup.check_backup(truncated)


def test_a_run_killed_while_writing_leaves_nothing_behind_once_the_next_run_ends(
    registry: Registry, tmp_path: Path
) -> None:
    import fcntl

    path = tmp_path / "registry.hwb"
    abandoned = tmp_path / ".registry.hwb.k1ll3d.partial"
    abandoned.write_bytes(b"half a backup")
    # Another run, still writing a backup of the same name, holds its file locked.
    running = tmp_path / ".registry.hwb.wr1t1ng.partial"
    running.write_bytes(b"being written")
    other = tmp_path / ".other.hwb.k1ll3d.partial"
    other.write_bytes(b"another backup's")
    with running.open("rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        backup.write_backup(registry, path, passphrase=PASSPHRASE)
    assert not abandoned.exists()
    assert running.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".registry")) == [
        running.name
    ]
    assert backup.check_backup(path, passphrase=PASSPHRASE).sha256  # whole and readable
