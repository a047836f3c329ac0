"""Migration 0003 files the records already in a database under their keys."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from homeward.storage.migrate import upgrade


def _keys_after_upgrade(tmp_path: Path, revision: str, given_name: str) -> set[str]:
    """The keys a record of a database at ``revision`` (its keys not filed yet)
    has once the database is brought up to date."""
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, revision)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sources (id, kind, title, reliability, received_at, created_by) "
                "VALUES (1, 'report', 'phone', 'unverified', '2026-01-01', 'olena')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO records (id, source_id, raw, given_name, family_name, birth_date, "
                "document_ids, repairs, created_at, created_by, version) VALUES "
                "(1, 1, '{}', :given, 'Коваленко', '2012-03-04', '[]', '[]', "
                "'2026-01-01', 'olena', 1)"
            ),
            {"given": given_name},
        )
    upgrade(engine)
    with engine.connect() as connection:
        keys = set(connection.scalars(text("SELECT key FROM record_keys WHERE record_id = 1")))
    engine.dispose()
    return keys


def test_existing_records_get_their_keys(tmp_path: Path) -> None:
    keys = _keys_after_upgrade(tmp_path, "0002", "Олександр")
    assert "gf:g:oleksandr|f:kovalinko" in keys
    assert "gd:g:oleksandr|03-04" in keys


def test_migration_0005_keeps_prepared_values_and_indexes_key_with_record(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sources (id, kind, title, reliability, received_at, created_by) "
                "VALUES (1, 'report', 'phone', 'unverified', '2026-01-01', 'olena')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO records (id, source_id, raw, full_name, birth_date, "
                "document_ids, repairs, created_at, created_by, version) VALUES "
                "(1, 1, '{}', 'КОВАЛЕНКО Олександр', '2012-03-04', '[\"II-АН 123456\"]', '[]', "
                "'2026-01-01', 'olena', 1)"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        rows = {
            key: prepared
            for key, prepared in connection.execute(
                text("SELECT key, prepared FROM record_keys WHERE record_id = 1")
            )
        }
        indexes = set(
            connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index'"))
        )
    assert "gf:g:oleksandr|f:kovalinko" in rows
    assert "doc:IIAH123456" in rows
    prepared = json.loads(rows["="])
    assert prepared[:2] == ["олександр", "коваленко"]
    assert "IIAH123456" in prepared
    assert "ix_record_keys_key_record_id" in indexes
    assert "ix_record_keys_key" not in indexes
    engine.dispose()


def test_migration_0015_files_a_pet_form_under_its_name(tmp_path: Path) -> None:
    """A record of a database at 0014 (its keys not filed here) is filed again
    by 0015, under the name its pet form belongs to."""
    keys = _keys_after_upgrade(tmp_path, "0014", "Дарка")
    assert "gf:g:daryna|f:kovalinko" in keys


def test_migration_0016_files_related_names_and_suffixed_pet_forms(tmp_path: Path) -> None:
    """Records of a database at 0015 gain the key that joins related names
    and the keys of the name a suffixed pet form is built on."""
    assert "gf:gr:daryna~dariia|f:kovalinko" in _keys_after_upgrade(tmp_path, "0015", "Дарина")
    (tmp_path / "old.db").unlink()
    assert "gf:g:bohdan|f:kovalinko" in _keys_after_upgrade(tmp_path, "0015", "Богданчик")
