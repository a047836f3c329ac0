"""Writing a backup: one consistent snapshot of the database and every file of
the store, streamed into one sealed file, checked before it gets its name.

The file is written under a temporary name next to its final one, read back
and checked whole (decrypted, every row line and every file hash), and only
then linked to its name, which must not exist: a backup never replaces a file,
and a half-written or unverified one is never left where a backup is expected.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, Table, func, select, text

from homeward import crypto
from homeward.errors import Invalid
from homeward.services.backup.format import (
    DATA,
    END,
    FILE,
    FILE_BLOCK,
    FORMAT,
    HEADER,
    MAGIC,
    MIN_PASSPHRASE,
    ROWS_TEXT,
    TRAILER,
    VERSION,
    FrameWriter,
    HashingWriter,
)
from homeward.services.backup.reading import Progress, check_backup
from homeward.services.registry_app import Registry
from homeward.storage import audit, migrate
from homeward.storage.files import FileStore, StoreError
from homeward.storage.tables import Base

BATCH = 2000


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: dict[str, int]
    sha256: str
    """Of the whole file: give it to whoever keeps the copy, to compare."""
    schema_revision: str | None
    files: int = 0
    file_bytes: int = 0
    encrypted: bool = True


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def write_backup(
    registry: Registry,
    path: Path,
    *,
    passphrase: str | None = None,
    recipients: Sequence[str] = (),
    unencrypted: bool = False,
    progress: Progress | None = None,
) -> BackupSummary:
    """Back up the database and the file store to ``path``, encrypted for
    ``passphrase`` and/or the public keys ``recipients`` (``unencrypted=True``
    only when someone asked for a file anyone can read)."""
    path = Path(path)
    recipients = [r.strip() for r in recipients if r.strip()]
    if unencrypted and (passphrase or recipients):
        raise Invalid("a backup is either encrypted or not: no passphrase or public key "
                      "goes with an unencrypted one")  # fmt: skip
    if not unencrypted and not passphrase and not recipients:
        raise Invalid("a backup is encrypted: give a passphrase or a public key (or ask for "
                      "an unencrypted backup explicitly)")  # fmt: skip
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise Invalid(f"the passphrase is too short: use at least {MIN_PASSPHRASE} characters "
                      "(several words are easier to keep and harder to guess)")  # fmt: skip
    if path.exists():
        raise Invalid(f"{path} exists; choose a new name (a backup never overwrites)")
    if not path.parent.is_dir():
        raise Invalid(f"{path.parent}: no such directory")
    # Checking the file needs a key that opens it.  With public keys only, the
    # writer holds none: it adds a key of its own and forgets it after the check.
    check_identity = None
    if not unencrypted and not passphrase:
        check_identity, check_public = crypto.generate_identity()
        recipients = [*recipients, check_public]
    _remove_abandoned(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    tmp = Path(tmp_name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held while this run writes it: see _remove_abandoned
        with os.fdopen(fd, "wb") as raw:
            hashing = HashingWriter(raw)
            sink: Any = hashing
            if not unencrypted:
                try:
                    sink = crypto.seal(hashing, passphrase=passphrase, recipients=recipients)  # type: ignore[arg-type]
                except ValueError as err:
                    raise Invalid(f"public key: {err}") from err
            sink.write(MAGIC)
            summary = _write_payload(registry, FrameWriter(sink), progress)
            if sink is not hashing:
                sink.close()  # seals the last chunk: until then the file cannot be read
            raw.flush()
            os.fsync(raw.fileno())
        info = check_backup(
            tmp, passphrase=passphrase, identity=check_identity, progress=progress, shown=path
        )
        rows = {k: v for k, v in summary["rows"].items() if v}
        if (info.rows, info.files, info.sha256) != (
            rows,
            summary["files"],
            hashing.digest.hexdigest(),
        ):
            raise Invalid(f"{path}: the backup read back is not the one written")  # fmt: skip
        _publish(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupSummary(
        path=path,
        rows=summary["rows"],
        sha256=info.sha256,
        schema_revision=summary["schema_revision"],
        files=info.files,
        file_bytes=info.file_bytes,
        encrypted=not unencrypted,
    )


def _write_payload(
    registry: Registry, out: FrameWriter, progress: Progress | None
) -> dict[str, Any]:
    store = registry.files
    listed = sum(1 for _ in store.hashes())
    revision = migrate.current_revision(registry.engine)
    tables = Base.metadata.sorted_tables
    out.json(HEADER, {
        "format": FORMAT, "version": VERSION, "schema_revision": revision,
        "created_at": audit.timestamp(), "tables": [t.name for t in tables],
        "files_listed": listed,
    })  # fmt: skip
    rows_digest = hashlib.sha256()
    counts: dict[str, int] = {}
    with _snapshot(registry) as conn:
        total = sum(conn.execute(_count(t)).scalar_one() for t in tables)
        pending: list[bytes] = []
        size = 0
        for table in tables:
            counts[table.name] = 0
            query = select(table).order_by(*table.primary_key.columns)
            for row in conn.execution_options(yield_per=BATCH).execute(query):
                obj = {"t": table.name, "r": {k: _encode(v) for k, v in row._mapping.items()}}
                line = (json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n").encode()
                pending.append(line)
                size += len(line)
                counts[table.name] += 1
                if size >= ROWS_TEXT:
                    _flush_rows(out, pending, rows_digest)
                    size = 0
                    if progress:
                        progress("rows", sum(counts.values()), total)
        _flush_rows(out, pending, rows_digest)
        conn.rollback()
    files, file_bytes, manifest = _write_files(store, out, listed, progress)
    out.json(TRAILER, {
        "end": True, "rows": counts, "rows_sha256": rows_digest.hexdigest(),
        "files": files, "file_bytes": file_bytes, "files_sha256": manifest,
    })  # fmt: skip
    return {"rows": counts, "files": files, "schema_revision": revision}


def _count(table: Table) -> Select[int]:
    return select(func.count()).select_from(table)


def _flush_rows(out: FrameWriter, pending: list[bytes], digest: hashlib._Hash) -> None:
    if not pending:
        return
    text_ = b"".join(pending)
    digest.update(text_)
    out.rows(text_)
    pending.clear()


def _write_files(
    store: FileStore, out: FrameWriter, listed: int, progress: Progress | None
) -> tuple[int, int, str]:
    manifest = hashlib.sha256()
    files = total = 0
    for sha in store.hashes():
        try:
            source = store.open(sha)
        except StoreError as err:
            if not store.exists(sha):
                continue  # removed since it was listed (an orphan retention took away)
            raise Invalid(f"file store: {err}; the backup was not written") from err
        digest = hashlib.sha256()
        size = 0
        out.json(FILE, {"sha256": sha})
        with source:
            while True:
                try:
                    block = source.read(FILE_BLOCK)
                except crypto.DecryptionError as err:
                    raise Invalid(
                        f"file store: file {sha} is damaged ({err}); the backup was not written"
                    ) from err
                if not block:
                    break
                digest.update(block)
                size += len(block)
                out.frame(DATA, block)
        if digest.hexdigest() != sha:
            raise Invalid(f"file store: file {sha} was changed (its content hashes to "
                          f"{digest.hexdigest()}); the backup was not written")  # fmt: skip
        out.json(END, {"sha256": sha, "size": size})
        manifest.update(f"{sha} {size}\n".encode("ascii"))
        files += 1
        total += size
        if progress:
            progress("files", files, listed)
    return files, total, manifest.hexdigest()


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


def _remove_abandoned(path: Path) -> None:
    """Remove what a run killed while writing a backup of this name left behind
    (its hidden ``.partial`` file).  A run still writing holds a lock on its
    file, and its file is left alone."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.partial"):
        try:
            with stale.open("rb") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                stale.unlink()
        except (BlockingIOError, FileNotFoundError):
            continue


def _publish(tmp: Path, path: Path) -> None:
    """Give the checked file its name, unless that name is taken by now."""
    try:
        os.link(tmp, path)
    except FileExistsError as err:
        raise Invalid(f"{path} exists; choose a new name (a backup never overwrites)") from err
    except OSError:  # a file system without hard links
        if path.exists():
            raise Invalid(f"{path} exists; choose a new name (a backup never overwrites)") from None
        os.replace(tmp, path)
        return
    tmp.unlink()
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
