"""Migration 0003 files the records already in a database under their keys."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from homeward.storage.migrate import upgrade


def test_existing_records_get_their_keys(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0002")
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
                "(1, 1, '{}', 'Олександр', 'Коваленко', '2012-03-04', '[]', '[]', "
                "'2026-01-01', 'olena', 1)"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        keys = set(connection.scalars(text("SELECT key FROM record_keys WHERE record_id = 1")))
    assert "gf:g:oleksandr|f:kovalinko" in keys
    assert "gd:g:oleksandr|03-04" in keys
    engine.dispose()
