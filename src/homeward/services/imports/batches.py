"""Writing an import's rows in batches, one transaction each: read, checked
and keyed here or in worker processes, rows already written skipped."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import select

from homeward.domain.roles import Actor
from homeward.errors import Conflict
from homeward.io.headers import EXTERNAL_ID, ColumnMapping
from homeward.linkage.prepare import prepare
from homeward.linkage.search import PREPARED_KEY, index_keys
from homeward.names.parse import load_morphology
from homeward.services.imports.reading import check_row, row_cells
from homeward.services.records import birth_year, raw_copy
from homeward.services.registry_app import Registry
from homeward.storage.tables import ImportRow, QuarantineRow, RecordKeyRow, RecordRow
from homeward.storage.uow import UnitOfWork


@dataclass
class ImportResult:
    import_id: int
    source_id: int
    file_name: str
    rows_read: int = 0
    imported: int = 0
    quarantined: int = 0
    skipped: int = 0
    """Rows written by an earlier run of the same file (resumed imports)."""
    already_imported: bool = False
    linked: int = 0
    queued: int = 0
    new_cases: int = 0
    unmatched: int = 0
    """Imported records that are in no case and wait in no proposal."""
    record_ids: list[int] = field(default_factory=list)

    def describe(self) -> str:
        if self.already_imported:
            return f"{self.file_name} was imported before (import {self.import_id}): nothing added"
        return (
            f"{self.file_name}: {self.rows_read:,} rows read, {self.imported:,} imported, "
            f"{self.quarantined:,} quarantined"
            + (f", {self.skipped:,} already imported by an earlier run" if self.skipped else "")
            + f"; {self.linked:,} linked to cases, {self.queued:,} queued for review, "
            f"{self.new_cases:,} new cases opened, {self.unmatched:,} in no case"
        )

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "record_ids"}


Progress = Callable[[str, int, int], None]


def _done_rows(uow: UnitOfWork, result: ImportResult) -> set[int]:
    records = uow.session.scalars(
        select(RecordRow.source_row).where(RecordRow.source_id == result.source_id)
    )
    quarantined = uow.session.scalars(
        select(QuarantineRow.source_row).where(QuarantineRow.import_id == result.import_id)
    )
    return {n for n in records if n is not None} | set(quarantined)


@dataclass(frozen=True)
class Spool:
    """A file's rows, read once: pickled lists of rows in an unnamed file."""

    fileno: int
    chunks: list[tuple[int, int, int]]
    """``(offset, length, rows)`` of each pickled list, in file order."""

    def rows(self, chunk: tuple[int, int, int]) -> list[tuple[int, list[Any]]]:
        """The rows of one chunk (by ``pread``: worker processes share the file)."""
        offset, length, _ = chunk
        data = b""
        while len(data) < length:
            block = os.pread(self.fileno, length - len(data), offset + len(data))
            if not block:
                raise EOFError("the import's spool ended early")
            data += block
        rows: list[tuple[int, list[Any]]] = pickle.loads(data)
        return rows


@dataclass(frozen=True)
class _Job:
    """What checking and keying a chunk needs besides the chunk itself."""

    spool: Spool
    done: frozenset[int]
    columns: list[ColumnMapping]
    source_id: int
    import_id: int
    username: str


def write_rows(
    registry: Registry,
    actor: Actor,
    spool: Spool,
    columns: list[ColumnMapping],
    result: ImportResult,
    progress: Progress,
    workers: int,
) -> None:
    with registry.uow(actor, write=False) as uow:
        done = _done_rows(uow, result)
    result.skipped = len(done)
    job = _Job(spool, frozenset(done), columns, result.source_id, result.import_id, actor.username)

    def chunks() -> Iterator[tuple[int, int, int]]:
        for chunk in spool.chunks:
            result.rows_read += chunk[2]
            yield chunk

    try:
        for prepared in _in_order(job, chunks(), workers):
            if prepared.records or prepared.quarantined:
                _write_batch(registry, actor, result, prepared)
            progress("import", result.rows_read, 0)
    finally:
        with registry.uow(actor, write=False) as uow:
            _sqlite_pragmas(uow, SQLITE_DEFAULTS)
    progress("import", result.rows_read, result.rows_read)


SQLITE_IMPORT = {"cache_size": -65_536, "wal_autocheckpoint": 20_000}
"""SQLite, while an import writes: a page cache of 64 MB (the match index's
pages are written all over at every batch) and a checkpoint every 20,000 pages
of the write-ahead log rather than every 1,000 (a page written by many batches
is copied back once).  Neither touches durability: each batch is still one
transaction, committed to the log before the next begins."""
SQLITE_DEFAULTS = {"cache_size": -2_000, "wal_autocheckpoint": 1_000}


def _sqlite_pragmas(uow: UnitOfWork, pragmas: dict[str, int]) -> None:
    connection = uow.session.connection()
    if connection.dialect.name == "sqlite":
        for name, value in pragmas.items():
            connection.exec_driver_sql(f"PRAGMA {name}={int(value)}")


def _in_order(job: _Job, chunks: Iterator[tuple[int, int, int]], workers: int) -> Iterator[_Batch]:
    """Each chunk of the spool checked and keyed, in order: here, or in
    ``workers`` processes with a few chunks in flight (never the whole file).
    A worker reads its chunk from the spool itself: only the chunk's place in
    the spool is sent to it."""
    if workers <= 1:
        yield from map(partial(_prepare_chunk, job), chunks)
        return
    # The name data, once, before forking; then out of the collector's sight
    # while the workers run: a forked worker that walked the inherited heap
    # would copy every page of it, and the writer has nothing to gain from
    # walking it either.
    prepare({"full_name": "Коваленко Олександр"})
    load_morphology()
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_set_worker_job,
            initargs=(job,),
        ) as pool:
            pending: deque[Future[_Batch]] = deque()
            for chunk in chunks:
                pending.append(pool.submit(_prepare_in_worker, chunk))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        gc.unfreeze()


_WORKER_GC = (100_000, 50, 50)
"""The collector's thresholds in a worker process: a row makes many small
containers, all freed by reference counting, and collecting as often as by
default (every 700 new containers) cost about a sixth of a worker's
processor time."""

_worker_job: _Job | None = None
"""The job of a worker process (set as it starts; it is forked, so the job
and the spool's file are its parent's, never sent through a pipe)."""


def _set_worker_job(job: _Job) -> None:
    global _worker_job
    _worker_job = job
    gc.set_threshold(*_WORKER_GC)


def _prepare_in_worker(chunk: tuple[int, int, int]) -> _Batch:
    assert _worker_job is not None
    return _prepare_chunk(_worker_job, chunk)


def _prepare_chunk(job: _Job, chunk: tuple[int, int, int]) -> _Batch:
    rows = [row for row in job.spool.rows(chunk) if row[0] not in job.done]
    return _prepare_batch(job.columns, job.source_id, job.import_id, job.username, rows)


@dataclass
class _Batch:
    """A batch of rows read, checked and keyed, ready to be written."""

    records: list[dict[str, Any]] = field(default_factory=list)
    keys: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    """Each record's ``record_keys`` rows as ``linkage.search.index_keys`` gives them."""
    quarantined: list[dict[str, Any]] = field(default_factory=list)


def _prepare_batch(
    columns: list[ColumnMapping],
    source_id: int,
    import_id: int,
    username: str,
    rows: list[tuple[int, list[Any]]],
) -> _Batch:
    """Read, check and key a batch of rows (pure: runs in a worker process too)."""
    out = _Batch()
    for number, cells in rows:
        raw, values = row_cells(columns, cells)
        data, errors = check_row(values)
        if data is None:
            out.quarantined.append(
                {"import_id": import_id, "source_row": number, "raw": raw,
                 "values": raw_copy(values), "errors": errors, "status": "open"}
            )  # fmt: skip
            continue
        external = values.get(EXTERNAL_ID)
        record = {
            "source_id": source_id, "source_row": number,
            "external_id": str(external)[:200] if external is not None else None,
            "raw": raw, "birth_year": birth_year(data.birth_date), "created_by": username,
            **data.as_dict(),
        }  # fmt: skip
        out.records.append(record)
        out.keys.append(index_keys(record))
    return out


def _key_rows(ids: list[int], keys: list[tuple[tuple[str, ...], str]]) -> Iterator[tuple[Any, ...]]:
    for record_id, (names, prepared) in zip(ids, keys, strict=True):
        for name in names:
            yield record_id, name, None
        yield record_id, PREPARED_KEY, prepared


def _write_batch(registry: Registry, actor: Actor, result: ImportResult, batch: _Batch) -> None:
    """One transaction: the batch's records, their keys and the quarantined
    rows, or nothing.  Written in bulk, audited row by row."""
    with registry.uow(actor) as uow:
        _sqlite_pragmas(uow, SQLITE_IMPORT)
        _refuse_written(uow, result, batch)
        with uow.action("import.rows"):
            ids = uow.insert_many(RecordRow, batch.records, key="source_row")
            uow.insert_index_rows(
                RecordKeyRow, ("record_id", "key", "prepared"), _key_rows(ids, batch.keys)
            )
            uow.insert_many(QuarantineRow, batch.quarantined, key="source_row")
            row = uow.session.get_one(ImportRow, result.import_id)
            row.rows_imported += len(batch.records)
            row.rows_quarantined += len(batch.quarantined)
        uow.commit()
    result.imported += len(batch.records)
    result.quarantined += len(batch.quarantined)


def _refuse_written(uow: UnitOfWork, result: ImportResult, batch: _Batch) -> None:
    """Rows of the batch written already (those written before this run began
    were skipped) were written by another run of the same file, going on now:
    say so rather than write them twice.  The unit of work holds the writers'
    lock from its start, so what is found here stays so until it commits."""
    numbers = [r["source_row"] for r in batch.records + batch.quarantined]
    written = uow.session.scalar(
        select(RecordRow.source_row)
        .where(RecordRow.source_id == result.source_id, RecordRow.source_row.in_(numbers))
        .union_all(
            select(QuarantineRow.source_row).where(
                QuarantineRow.import_id == result.import_id,
                QuarantineRow.source_row.in_(numbers),
            )
        )
        .limit(1)
    )
    if written is not None:
        raise Conflict(
            f"{result.file_name} is being imported by someone else now (row {written} is "
            "written already); once that import stops, run this one again to finish it "
            "if it was cut short"
        )
