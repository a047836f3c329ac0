"""Backups: a consistent copy of every table, made while the registry runs,
and a restore that checks the whole file before it touches anything.

The file is gzip-compressed JSON lines: a header, one line per row (tables in
dependency order), and a trailer with the row counts and the SHA-256 of every
line before it.  A backup made on SQLite restores on PostgreSQL and back.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, Table, insert, select, text
from sqlalchemy.exc import DBAPIError

from homeward.errors import Invalid
from homeward.services.registry_app import Registry
from homeward.storage import audit, migrate
from homeward.storage.tables import Base

FORMAT = "homeward-backup"
FORMAT_VERSION = 1
BATCH = 2000


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: dict[str, int]
    sha256: str
    schema_revision: str | None


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def write_backup(registry: Registry, path: Path) -> BackupSummary:
    """Write a backup of every table as one consistent snapshot."""
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    revision = migrate.current_revision(registry.engine)
    with _snapshot(registry) as conn, gzip.open(tmp, "wt", encoding="utf-8") as out:

        def emit(obj: dict[str, Any]) -> None:
            line = json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n"
            digest.update(line.encode("utf-8"))
            out.write(line)

        tables = [t.name for t in Base.metadata.sorted_tables]
        emit({"format": FORMAT, "version": FORMAT_VERSION, "schema_revision": revision,
              "created_at": audit.timestamp(), "tables": tables})  # fmt: skip
        for table in Base.metadata.sorted_tables:
            counts[table.name] = 0
            order = list(table.primary_key.columns)
            for row in conn.execution_options(yield_per=BATCH).execute(
                select(table).order_by(*order)
            ):
                emit({"t": table.name, "r": {k: _encode(v) for k, v in row._mapping.items()}})
                counts[table.name] += 1
        conn.rollback()
        trailer = {"end": True, "rows": counts, "sha256": digest.hexdigest()}
        out.write(json.dumps(trailer, sort_keys=True) + "\n")
    os.replace(tmp, path)
    summary = BackupSummary(path, counts, trailer["sha256"], revision)  # type: ignore[arg-type]
    check_backup(path)  # read it back: a backup that cannot be restored is no backup
    return summary


@contextmanager
def _snapshot(registry: Registry) -> Iterator[Connection]:
    """A connection that sees one moment of the database while writers go on."""
    with registry.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        # SQLite in WAL mode: the first read fixes the snapshot for the transaction.
        conn.execute(text("SELECT 1"))
        yield conn


def _lines(path: Path) -> Iterator[str]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            yield from handle
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as err:
        raise Invalid(f"{path}: not a Homeward backup, or damaged ({err})") from err


def check_backup(path: Path) -> dict[str, Any]:
    """Read the whole file and check it; return its header and trailer."""
    if not Path(path).is_file():
        raise Invalid(f"{path}: no such file")
    digest = hashlib.sha256()
    header: dict[str, Any] | None = None
    trailer: dict[str, Any] | None = None
    counts: dict[str, int] = {}
    for number, line in enumerate(_lines(path), start=1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise Invalid(f"{path}: line {number} is damaged ({err.msg})") from err
        if trailer is not None:
            raise Invalid(f"{path}: data after the end marker (line {number})")
        if header is None:
            if not isinstance(obj, dict) or obj.get("format") != FORMAT:
                raise Invalid(f"{path}: not a Homeward backup")
            if obj.get("version") != FORMAT_VERSION:
                raise Invalid(f"{path}: backup format {obj.get('version')} is not supported")
            header = obj
        elif obj.get("end"):
            trailer = obj
            continue
        else:
            counts[obj["t"]] = counts.get(obj["t"], 0) + 1
        digest.update(line.encode("utf-8"))
    if header is None:
        raise Invalid(f"{path}: empty file, not a Homeward backup")
    if trailer is None:
        raise Invalid(f"{path}: the backup is incomplete (no end marker)")
    if trailer.get("sha256") != digest.hexdigest():
        raise Invalid(f"{path}: the backup is damaged (checksum does not match)")
    expected = {k: v for k, v in trailer["rows"].items() if v}
    if expected != counts:
        raise Invalid(f"{path}: the backup is damaged (row counts do not match)")
    return {"header": header, "trailer": trailer}


def restore_backup(registry: Registry, path: Path) -> dict[str, int]:
    """Replace every table's content with the backup's, in one transaction.

    The file is checked completely first; a damaged or foreign file changes
    nothing.  The restore itself is the next entry of the restored audit chain.
    """
    info = check_backup(path)
    revision = info["header"]["schema_revision"]
    migrate.upgrade(registry.engine, revision or "head")
    if migrate.current_revision(registry.engine) != revision:
        raise Invalid(
            f"{path}: made with schema {revision}, this database is at "
            f"{migrate.current_revision(registry.engine)}; restore into an empty database"
        )
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    converters = {
        name: {
            c.name for c in table.columns if isinstance(getattr(c.type, "impl", c.type), DateTime)
        }
        for name, table in tables.items()
    }
    try:
        counts = _replace_content(registry, path, tables, converters)
    except DBAPIError as err:
        raise Invalid(
            f"{path}: the backup does not fit this database ({err.orig}); nothing was changed"
        ) from err
    with registry.uow() as uow:
        uow.note("backup.restore", "backup", None, file=str(Path(path).name),
                 sha256=info["trailer"]["sha256"])  # fmt: skip
        uow.commit()
    return counts


def _replace_content(
    registry: Registry, path: Path, tables: dict[str, Table], converters: dict[str, set[str]]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    with registry.engine.connect() as conn:
        conn = conn.execution_options(homeward_write=True)
        with conn.begin():
            postgres = conn.dialect.name == "postgresql"
            if postgres:
                conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
            batch: list[dict[str, Any]] = []
            current: str | None = None
            for line in _lines(path):
                obj = json.loads(line)
                if "t" not in obj:
                    continue
                if obj["t"] != current and batch and current:
                    conn.execute(insert(tables[current]), batch)
                    batch = []
                current = obj["t"]
                row = obj["r"]
                for column in converters[current]:
                    if row.get(column) is not None:
                        row[column] = datetime.fromisoformat(row[column])
                batch.append(row)
                counts[current] = counts.get(current, 0) + 1
                if len(batch) >= BATCH:
                    conn.execute(insert(tables[current]), batch)
                    batch = []
            if batch and current:
                conn.execute(insert(tables[current]), batch)
            if postgres:
                conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER USER")
                _reset_sequences(conn)
    return counts


def _reset_sequences(conn: Connection) -> None:
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
            f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
        )
