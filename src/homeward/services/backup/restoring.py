"""Restoring a backup: the database and the file store, or nothing at all.

The whole file is checked first (decrypted, every row and file hash), so a
wrong key, a changed byte or a cut-short file is refused before anything is
touched.  Then a second pass replaces every table's content in one transaction
and writes the files back to the store, each hash checked again; the
transaction commits only after the last file and the trailer check out.  If
anything fails on the way, the transaction is rolled back and the files this
restore added are removed again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

from sqlalchemy import Connection, DateTime, insert
from sqlalchemy.exc import DBAPIError

from homeward.errors import Invalid
from homeward.services.backup import legacy
from homeward.services.backup.format import BackupInfo, open_payload
from homeward.services.backup.reading import BackupFile, PayloadReader, Progress, check_backup
from homeward.services.registry_app import Registry
from homeward.storage import migrate
from homeward.storage.files import FileStore, StoreError
from homeward.storage.tables import Base

BATCH = 2000


@dataclass(frozen=True)
class RestoreSummary:
    rows: dict[str, int]
    files_written: int = 0
    """Files the store did not hold (or held damaged) and now holds."""
    files_present: int = 0
    """Files the store held already, intact (content-addressed: the same bytes)."""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def restore_backup(
    registry: Registry,
    path: Path,
    *,
    passphrase: str | None = None,
    identity: str | None = None,
    progress: Progress | None = None,
) -> RestoreSummary:
    """Replace every table's content with the backup's and put its files back
    in the store.  The restore itself is the next entry of the restored audit
    chain.  Files the store holds that the backup does not are kept."""
    path = Path(path)
    info = check_backup(path, passphrase=passphrase, identity=identity, progress=progress)
    _migrate_to(registry, path, info)
    if info.version == 1:
        summary = _restore_rows_only(registry, path)
    else:
        summary = _restore_everything(registry, path, passphrase, identity, progress)
    with registry.uow() as uow:
        uow.note("backup.restore", "backup", None, file=path.name, sha256=info.sha256,
                 rows=summary.total_rows, files=info.files)  # fmt: skip
        uow.commit()
    return summary


def _migrate_to(registry: Registry, path: Path, info: BackupInfo) -> None:
    revision = info.schema_revision
    migrate.upgrade(registry.engine, revision or "head")
    if migrate.current_revision(registry.engine) != revision:
        raise Invalid(
            f"{path}: made with schema {revision}, this database is at "
            f"{migrate.current_revision(registry.engine)}; restore into an empty database"
        )


def _restore_rows_only(registry: Registry, path: Path) -> RestoreSummary:
    try:
        with _RowWriter(registry) as rows:
            rows.add(legacy.rows(path))
    except DBAPIError as err:
        raise _does_not_fit(path, err) from err
    return RestoreSummary(rows.counts)


def _restore_everything(
    registry: Registry,
    path: Path,
    passphrase: str | None,
    identity: str | None,
    progress: Progress | None,
) -> RestoreSummary:
    store = registry.files
    added: list[str] = []
    present = written = 0
    try:
        with (
            open_payload(path, passphrase=passphrase, identity=identity) as (payload, _, _),
            _RowWriter(registry) as rows,
        ):
            reader = PayloadReader(payload, path)
            expected_files = int(reader.header.get("files_listed") or 0)
            for batch in reader.row_batches():
                rows.add(batch)
                if progress:
                    progress("restoring rows", rows.total, 0)
            for entry in reader.stored_files():
                if _put_back(store, entry, added):
                    present += 1
                else:
                    written += 1
                if progress:
                    progress("restoring files", written + present, expected_files)
            reader.finish()
    except DBAPIError as err:
        _remove(store, added)
        raise _does_not_fit(path, err) from err
    except BaseException:
        _remove(store, added)
        raise
    return RestoreSummary(rows.counts, files_written=written, files_present=present)


def _put_back(store: FileStore, entry: BackupFile, added: list[str]) -> bool:
    """Write one file back unless the store holds it intact; True if it did.
    ``added`` gets the files that were not there at all (a failed restore
    removes them again; a damaged copy it replaced stays replaced)."""
    sha = entry.sha256
    existed = store.exists(sha)
    if existed:
        if store.check(sha) is None:
            return True
        store.remove(sha)  # damaged or unreadable here: the backup's copy replaces it
    try:
        stored = store.put(cast(BinaryIO, entry))
    except StoreError as err:
        raise Invalid(f"file store: {err}; nothing was changed") from err
    except OSError as err:
        raise Invalid(f"file store: cannot write file {sha} under {store.root} ({err}); "
                      "nothing was changed") from err  # fmt: skip
    if not existed:
        added.append(stored.sha256)
    problem = store.check(sha) if stored.sha256 == sha else f"file {sha} was written wrongly"
    if problem:
        raise Invalid(f"file store: {problem} (written back from the backup, read again)")
    return False


def _remove(store: FileStore, added: list[str]) -> None:
    for sha in added:
        with contextlib.suppress(OSError, StoreError):
            store.remove(sha)


def _does_not_fit(path: Path, err: DBAPIError) -> Invalid:
    return Invalid(
        f"{path}: the backup does not fit this database ({err.orig}); nothing was changed"
    )


class _RowWriter:
    """Deletes every table's content, then inserts rows in batches, in one
    transaction that commits when the ``with`` block ends without an error."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._tables = {t.name: t for t in Base.metadata.sorted_tables}
        self._dates = {
            name: {
                c.name
                for c in table.columns
                if isinstance(getattr(c.type, "impl", c.type), DateTime)
            }
            for name, table in self._tables.items()
        }
        self.counts: dict[str, int] = {}
        self._batch: list[dict[str, Any]] = []
        self._current: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __enter__(self) -> _RowWriter:
        self._conn_cm = self._registry.engine.connect()
        conn = self._conn_cm.__enter__().execution_options(homeward_write=True)
        self._conn: Connection = conn
        self._tx = conn.begin()
        self._postgres = conn.dialect.name == "postgresql"
        if self._postgres:
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        return self

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        for obj in rows:
            table = obj["t"]
            if table not in self._tables:
                raise Invalid(f"the backup holds a table ({table}) this Homeward does not know")
            if table != self._current:
                self._flush()
                self._current = table
            row = obj["r"]
            for column in self._dates[table]:
                if row.get(column) is not None:
                    row[column] = datetime.fromisoformat(row[column])
            self._batch.append(row)
            self.counts[table] = self.counts.get(table, 0) + 1
            if len(self._batch) >= BATCH:
                self._flush()

    def _flush(self) -> None:
        if self._batch and self._current:
            self._conn.execute(insert(self._tables[self._current]), self._batch)
        self._batch = []

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        try:
            if kind is None:
                self._flush()
                if self._postgres:
                    self._conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER USER")
                    _reset_sequences(self._conn)
                self._tx.commit()
            else:
                self._tx.rollback()
        finally:
            self._conn_cm.__exit__(None, None, None)


def _reset_sequences(conn: Connection) -> None:
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
            f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
        )
