"""Bulk import of CSV and XLSX files: every row kept, broken rows quarantined,
nothing imported twice, and the registry matched when the rows are in.

- A file becomes a Source (with its name and SHA-256) and an ``imports`` row
  that says how it was read (encoding, delimiter, sheet, header, mapping).
- Each good row becomes a Record with the file's row number; its raw copy is
  the row as received, keyed by the file's own headers.
- A row that cannot be read goes to the quarantine with the reason for each
  field (``row 17, birth_date: '31.02.2012' is not a date``); it never blocks
  the good rows, and it can be corrected (it then becomes a record) or discarded.
- Rows are written in batches, one transaction each.  A file already imported
  adds nothing; an import cut short (a crash, a kill) is finished by running it
  again: rows already written are skipped by their row number.
- Then the new records are linked against the registry in one batch run
  (``review.match_records``): sure matches are linked, likely ones queued for
  review; optionally a case is opened for each record that matched nothing.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from homeward.domain.model import Category, Reliability, SourceKind
from homeward.domain.record import RecordData
from homeward.domain.roles import Actor, Permission
from homeward.errors import Conflict, Invalid, NotFound
from homeward.io.headers import EXTERNAL_ID, ColumnMapping, map_headers
from homeward.io.tabular import Table, open_table
from homeward.linkage.model import MatchModel
from homeward.linkage.prepare import prepare
from homeward.linkage.search import index_record, index_rows, record_values, search
from homeward.services import review
from homeward.services.cases import _require_reason, create_source, open_case
from homeward.services.records import birth_year, raw_copy, record_data
from homeward.services.registry_app import Registry
from homeward.storage.tables import (
    ChildRow,
    ImportRow,
    MatchCandidateRow,
    QuarantineRow,
    RecordKeyRow,
    RecordRow,
    SourceRow,
    utcnow,
)
from homeward.storage.uow import UnitOfWork

BATCH_ROWS = 500
NAME_FIELDS = ("given_name", "family_name", "full_name")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- reading one row -----------------------------------------------------------------


def row_cells(
    columns: Sequence[ColumnMapping], cells: Sequence[Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The raw copy (by the file's headers) and the values by field of one row."""
    raw: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for index, cell in enumerate(cells):
        column = columns[index] if index < len(columns) else None
        header = column.header if column and column.header else f"column {index + 1}"
        if header in raw:
            header = f"{header} (column {index + 1})"
        raw[header] = cell
        if column is not None and column.field and cell not in (None, ""):
            values[column.field] = cell
    return raw_copy(raw), values


def check_row(
    values: Mapping[str, Any], *, today: str | None = None
) -> tuple[RecordData | None, list[str]]:
    """The record a row makes, or the reason for each field that cannot be read."""
    fields = {k: v for k, v in values.items() if k != EXTERNAL_ID}
    try:
        data = record_data(fields)
    except Invalid:
        errors = []
        for name, value in fields.items():
            try:
                record_data({name: value})
            except Invalid as err:
                errors.append(str(err))
        return None, errors
    errors = []
    if not any(getattr(data, name) for name in NAME_FIELDS):
        errors.append("name: the row has no family name, given name or full name")
    today = today or datetime.now(UTC).date().isoformat()
    for name in ("birth_date", "removal_date"):
        value = getattr(data, name)
        if value and value[: len(today)] > today[: len(value)]:
            errors.append(f"{name}: '{values.get(name)}' is in the future")
    return (None, errors) if errors else (data, [])


# --- preview ---------------------------------------------------------------------------


@dataclass
class Preview:
    """What an import would do, before anything is written."""

    reading: str
    columns: list[ColumnMapping]
    sample: list[tuple[int, dict[str, Any], list[str]]]
    """``(row number, values by field, errors)`` of the first rows."""
    rows_checked: int = 0
    rows_with_errors: int = 0
    errors: list[str] = field(default_factory=list)
    """The first errors found, as ``row N, field: reason``."""

    @property
    def unmapped(self) -> list[ColumnMapping]:
        return [c for c in self.columns if c.field is None]


def preview(
    path: str | Path,
    *,
    mapping: Mapping[str, str | None] | None = None,
    sheet: str | None = None,
    sample_rows: int = 5,
    check_rows: int = 2000,
) -> Preview:
    """Read the header and the first rows: the mapping, a sample, the errors."""
    with open_table(path, sheet=sheet, mapping=mapping) as table:
        columns = map_headers(table.headers, mapping)
        result = Preview(table.describe(), columns, [])
        for number, cells in table.rows:
            _, values = row_cells(columns, cells)
            _, errors = check_row(values)
            if len(result.sample) < sample_rows:
                result.sample.append((number, values, errors))
            result.rows_checked += 1
            if errors:
                result.rows_with_errors += 1
                result.errors.extend(
                    f"row {number}, {e}" for e in errors[: 20 - len(result.errors)]
                )
            if result.rows_checked >= check_rows:
                break
    return result


# --- import ----------------------------------------------------------------------------


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


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def import_file(
    registry: Registry,
    actor: Actor,
    path: str | Path,
    *,
    kind: SourceKind = SourceKind.IMPORT_FILE,
    title: str | None = None,
    organisation_id: int | None = None,
    mapping: Mapping[str, str | None] | None = None,
    sheet: str | None = None,
    match: bool = True,
    open_cases: bool = False,
    category: Category = Category.DEPORTED,
    model: MatchModel | None = None,
    thresholds: review.Thresholds | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Progress = _quiet,
    file_name: str | None = None,
    workers: int | None = None,
    reliability: Reliability = Reliability.UNVERIFIED,
) -> ImportResult:
    """Import a CSV or XLSX file (see the module's doc); one transaction per batch.

    ``workers``: processes that read and key the rows while this one writes
    them (default: one per core, up to 4, for files of 2 MB and more).
    ``reliability``: how far the file's source is trusted, kept with the source."""
    actor.require(Permission.IMPORT_FILES)
    path = Path(path)
    name = file_name or path.name
    digest = file_sha256(path)
    with open_table(path, sheet=sheet, mapping=mapping, file_name=name) as table:
        columns = map_headers(table.headers, mapping)
        if not any(c.field in NAME_FIELDS for c in columns):
            raise Invalid(
                f"{name}: no column holds a name (mapped: "
                f"{', '.join(c.describe() for c in columns)}); give a mapping file"
            )
        started = _start(
            registry, actor, table, columns, digest, kind, title, organisation_id, reliability
        )
        if started.already_imported:
            return started
        if workers is None:
            big = path.stat().st_size >= PARALLEL_FROM_BYTES
            workers = min(os.cpu_count() or 1, 4) if big else 1
        _write_rows(registry, actor, table, columns, started, batch_rows, progress, workers)
    with registry.uow(actor) as uow:
        started.record_ids = list(
            uow.session.scalars(
                select(RecordRow.id).where(RecordRow.source_id == started.source_id)
            )
        )
    _match_and_finish(
        registry, actor, started, match=match, open_cases=open_cases, category=category,
        model=model, thresholds=thresholds, progress=progress,
    )  # fmt: skip
    return started


def _start(
    registry: Registry,
    actor: Actor,
    table: Table,
    columns: list[ColumnMapping],
    digest: str,
    kind: SourceKind,
    title: str | None,
    organisation_id: int | None,
    reliability: Reliability = Reliability.UNVERIFIED,
) -> ImportResult:
    with registry.uow(actor) as uow:
        existing = uow.session.scalar(select(ImportRow).where(ImportRow.file_sha256 == digest))
        if existing is not None:
            result = ImportResult(existing.id, existing.source_id, existing.file_name)
            if existing.status == "complete":
                result.already_imported = True
                result.rows_read = existing.rows_read
            return result
        if actor.organisation_scoped:
            organisation_id = actor.organisation_id
        source = create_source(
            uow, kind=kind, title=title or table.file_name, organisation_id=organisation_id,
            file_name=table.file_name, file_sha256=digest, reliability=reliability.value,
        )  # fmt: skip
        reading = {
            "kind": table.kind, "encoding": table.encoding, "delimiter": table.delimiter,
            "sheet": table.sheet, "header_row": table.header_row,
            "columns": [{"header": c.header, "field": c.field, "reason": c.reason}
                        for c in columns],
        }  # fmt: skip
        with uow.action("import.start"):
            row = ImportRow(
                source_id=source.id, file_name=table.file_name, file_sha256=digest,
                kind=table.kind, reading=reading, status="running", created_by=actor.username,
            )  # fmt: skip
            uow.session.add(row)
        try:
            uow.commit()
        except IntegrityError as err:
            raise Conflict(f"{table.file_name} is being imported by someone else now") from err
        return ImportResult(row.id, source.id, table.file_name)


def _done_rows(uow: UnitOfWork, result: ImportResult) -> set[int]:
    records = uow.session.scalars(
        select(RecordRow.source_row).where(RecordRow.source_id == result.source_id)
    )
    quarantined = uow.session.scalars(
        select(QuarantineRow.source_row).where(QuarantineRow.import_id == result.import_id)
    )
    return {n for n in records if n is not None} | set(quarantined)


PARALLEL_FROM_BYTES = 2_000_000
"""Files at least this large are prepared by worker processes (one per core)."""


def _write_rows(
    registry: Registry,
    actor: Actor,
    table: Table,
    columns: list[ColumnMapping],
    result: ImportResult,
    batch_rows: int,
    progress: Progress,
    workers: int,
) -> None:
    with registry.uow(actor, write=False) as uow:
        done = _done_rows(uow, result)
    result.skipped = len(done)

    def batches() -> Iterator[list[tuple[int, list[Any]]]]:
        batch: list[tuple[int, list[Any]]] = []
        for number, cells in table.rows:
            result.rows_read += 1
            if number in done:
                continue
            batch.append((number, cells))
            if len(batch) >= batch_rows:
                yield batch
                batch = []
        if batch:
            yield batch

    prepare_one = partial(
        _prepare_batch, columns, result.source_id, result.import_id, actor.username
    )
    for prepared in _in_order(prepare_one, batches(), workers):
        _write_batch(registry, actor, result, prepared)
        progress("import", result.rows_read, 0)
    progress("import", result.rows_read, result.rows_read)


def _in_order(
    work: Callable[[list[tuple[int, list[Any]]]], _Batch],
    batches: Iterator[list[tuple[int, list[Any]]]],
    workers: int,
) -> Iterator[_Batch]:
    """``work`` on each batch, in order: here, or in ``workers`` processes with a
    few batches in flight (never the whole file)."""
    if workers <= 1:
        yield from map(work, batches)
        return
    prepare({"full_name": "Коваленко Олександр"})  # load the name data once, before forking
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque[Future[_Batch]] = deque()
        for batch in batches:
            pending.append(pool.submit(work, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


@dataclass
class _Batch:
    """A batch of rows read, checked and keyed, ready to be written."""

    records: list[dict[str, Any]] = field(default_factory=list)
    keys: list[list[dict[str, Any]]] = field(default_factory=list)
    """Each record's ``record_keys`` rows (their record id is set on writing)."""
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
        out.keys.append(index_rows(0, record))
    return out


def _write_batch(registry: Registry, actor: Actor, result: ImportResult, batch: _Batch) -> None:
    """One transaction: the batch's records, their keys and the quarantined
    rows, or nothing.  Written in bulk, audited row by row."""
    with registry.uow(actor) as uow:
        with uow.action("import.rows"):
            ids = uow.insert_many(RecordRow, batch.records, key="source_row")
            uow.insert_index_rows(
                RecordKeyRow,
                ("record_id", "key", "prepared"),
                (
                    (record_id, key["key"], key["prepared"])
                    for record_id, rows in zip(ids, batch.keys, strict=True)
                    for key in rows
                ),
            )
            uow.insert_many(QuarantineRow, batch.quarantined, key="source_row")
            row = uow.session.get_one(ImportRow, result.import_id)
            row.rows_imported += len(batch.records)
            row.rows_quarantined += len(batch.quarantined)
        uow.commit()
    result.imported += len(batch.records)
    result.quarantined += len(batch.quarantined)


def _match_and_finish(
    registry: Registry,
    actor: Actor,
    result: ImportResult,
    *,
    match: bool,
    open_cases: bool,
    category: Category,
    model: MatchModel | None,
    thresholds: review.Thresholds | None,
    progress: Progress,
) -> None:
    with registry.uow(actor) as uow:
        if match and result.record_ids:
            summary = review.match_records(
                uow, result.record_ids, model=model, thresholds=thresholds, progress=progress
            )
            result.linked = summary.outcomes[review.Outcome.AUTO_LINKED]
            result.queued = summary.outcomes[review.Outcome.QUEUED]
        waiting = _waiting_records(uow, result.record_ids)
        loose = [rid for rid, child in _children_of(uow, result.record_ids) if child is None]
        unmatched = [rid for rid in loose if rid not in waiting]
        if open_cases:
            for record_id in unmatched:
                open_case(
                    uow, category=category, record_ids=[record_id],
                    reason=f"imported from {result.file_name}: no case matched",
                )  # fmt: skip
            result.new_cases = len(unmatched)
        else:
            result.unmatched = len(unmatched)
        row = uow.session.get_one(ImportRow, result.import_id)
        totals = uow.session.execute(
            select(ImportRow.rows_imported, ImportRow.rows_quarantined).where(
                ImportRow.id == result.import_id
            )
        ).one()
        with uow.action("import.finish"):
            row.status = "complete"
            row.rows_read = result.rows_read
            row.finished_at = utcnow()
            row.summary = {
                "linked": result.linked, "queued": result.queued,
                "new_cases": result.new_cases, "unmatched": result.unmatched,
                "imported": int(totals[0]), "quarantined": int(totals[1]),
            }  # fmt: skip
        uow.commit()


def _children_of(uow: UnitOfWork, record_ids: Sequence[int]) -> list[tuple[int, int | None]]:
    out: list[tuple[int, int | None]] = []
    for start in range(0, len(record_ids), 1000):
        query = select(RecordRow.id, RecordRow.child_id).where(
            RecordRow.id.in_(record_ids[start : start + 1000])
        )
        out.extend((rid, child) for rid, child in uow.session.execute(query))
    return out


def _waiting_records(uow: UnitOfWork, record_ids: Sequence[int]) -> set[int]:
    wanted = set(record_ids)
    found = uow.session.scalars(
        select(MatchCandidateRow.record_id).where(
            MatchCandidateRow.status.in_([s.value for s in review.OPEN])
        )
    )
    return {rid for rid in found if rid in wanted}


# --- the quarantine ----------------------------------------------------------------------


QUARANTINE_STATUSES = ("open", "corrected", "discarded")


def quarantined(
    uow: UnitOfWork,
    *,
    import_id: int | None = None,
    status: str = "open",
    limit: int = 100,
    offset: int = 0,
) -> list[QuarantineRow]:
    """Quarantined rows in this status (of one import, or all), in file order;
    ``NotFound`` for an import that does not exist."""
    uow.actor.require(Permission.IMPORT_FILES)
    if status not in QUARANTINE_STATUSES:
        raise Invalid(f"status: one of {', '.join(QUARANTINE_STATUSES)}, not '{status}'")
    query = select(QuarantineRow).where(QuarantineRow.status == status)
    if import_id is not None:
        get_import(uow, import_id)
        query = query.where(QuarantineRow.import_id == import_id)
    return list(
        uow.session.scalars(
            query.order_by(QuarantineRow.import_id, QuarantineRow.source_row)
            .limit(limit)
            .offset(offset)
        )
    )


def quarantine_counts(uow: UnitOfWork, import_id: int) -> dict[str, int]:
    """How many rows of the import are in each quarantine status (every status named)."""
    get_import(uow, import_id)
    found = uow.session.execute(
        select(QuarantineRow.status, func.count())
        .where(QuarantineRow.import_id == import_id)
        .group_by(QuarantineRow.status)
    )
    counts = dict.fromkeys(QUARANTINE_STATUSES, 0)
    counts.update({status: int(n) for status, n in found})
    return counts


def get_quarantined(uow: UnitOfWork, import_id: int, quarantine_id: int) -> QuarantineRow:
    """One quarantined row of this import (whatever its status), or ``NotFound``."""
    uow.actor.require(Permission.IMPORT_FILES)
    row = uow.session.get(QuarantineRow, quarantine_id)
    if row is None or row.import_id != import_id:
        raise NotFound(f"no quarantined row {quarantine_id} in import {import_id}")
    return row


def _open_quarantined(uow: UnitOfWork, quarantine_id: int) -> QuarantineRow:
    """A quarantined row still waiting for a correction or a discard."""
    uow.actor.require(Permission.IMPORT_FILES)
    row = uow.session.get(QuarantineRow, quarantine_id)
    if row is None:
        raise NotFound(f"no quarantined row {quarantine_id}")
    if row.status != "open":
        raise Conflict(f"quarantined row {quarantine_id} was already {row.status}")
    return row


def correct(
    uow: UnitOfWork,
    quarantine_id: int,
    changes: Mapping[str, Any],
    *,
    reason: str,
    match: bool = True,
    model: MatchModel | None = None,
    thresholds: review.Thresholds | None = None,
) -> RecordRow:
    """Correct a quarantined row; if it now reads, it becomes a record (its raw
    copy stays the row as received; the correction is kept on the quarantine row)
    and, with ``match``, is matched against the registry like the import's rows."""
    row = _open_quarantined(uow, quarantine_id)
    reason = _require_reason(reason)
    values = {**row.values, **changes}
    data, errors = check_row(values)
    if data is None:
        raise Invalid(f"row {row.source_row} still cannot be read: " + "; ".join(errors))
    imported = uow.session.get_one(ImportRow, row.import_id)
    external = values.get(EXTERNAL_ID)
    with uow.action("import.correct"):
        record = uow.repos.records.add(
            RecordRow(
                source_id=imported.source_id, source_row=row.source_row,
                external_id=str(external)[:200] if external is not None else None,
                raw=row.raw, birth_year=birth_year(data.birth_date),
                created_by=uow.actor.username, **data.as_dict(),
            )
        )  # fmt: skip
        index_record(uow, record)
        row.status, row.corrected, row.record_id = "corrected", raw_copy(dict(changes)), record.id
        row.resolved_by, row.resolved_at, row.reason = uow.actor.username, utcnow(), reason
        imported.rows_imported += 1
        imported.rows_quarantined -= 1
    if match:
        review.propose_for_record(
            uow, record.id, model=model, thresholds=thresholds, origin="import"
        )
    return record


def discard(uow: UnitOfWork, quarantine_id: int, *, reason: str) -> QuarantineRow:
    """Leave a quarantined row out for good (it stays, marked discarded)."""
    row = _open_quarantined(uow, quarantine_id)
    reason = _require_reason(reason)
    with uow.action("import.discard"):
        row.status, row.resolved_by, row.resolved_at, row.reason = (
            "discarded", uow.actor.username, utcnow(), reason,
        )  # fmt: skip
    return row


# --- reading imports back ----------------------------------------------------------------


def list_imports(uow: UnitOfWork, *, limit: int = 50, offset: int = 0) -> list[ImportRow]:
    """Imports, newest first."""
    uow.actor.require(Permission.IMPORT_FILES)
    return list(
        uow.session.scalars(
            select(ImportRow).order_by(ImportRow.id.desc()).limit(limit).offset(offset)
        )
    )


def count_imports(uow: UnitOfWork) -> int:
    """How many imports there are (started, cut short or complete)."""
    uow.actor.require(Permission.IMPORT_FILES)
    return int(uow.session.scalar(select(func.count()).select_from(ImportRow)) or 0)


def get_import(uow: UnitOfWork, import_id: int) -> ImportRow:
    """One import, or ``NotFound``."""
    uow.actor.require(Permission.IMPORT_FILES)
    row = uow.session.get(ImportRow, import_id)
    if row is None:
        raise NotFound(f"no import {import_id}")
    return row


def sources_of(uow: UnitOfWork, rows: Sequence[ImportRow]) -> dict[int, SourceRow]:
    """The source each import wrote its records to, by source id."""
    uow.actor.require(Permission.IMPORT_FILES)
    wanted = {row.source_id for row in rows}
    if not wanted:
        return {}
    found = uow.session.scalars(select(SourceRow).where(SourceRow.id.in_(wanted)))
    return {source.id: source for source in found}


def import_of_file(uow: UnitOfWork, sha256: str) -> ImportRow | None:
    """The import of the file with this SHA-256, if it was imported (or started) before."""
    uow.actor.require(Permission.IMPORT_FILES)
    return uow.session.scalar(select(ImportRow).where(ImportRow.file_sha256 == sha256))


@dataclass(frozen=True)
class Entry:
    """One imported row as a record, with its case or its best candidates."""

    record_id: int
    source_row: int | None
    name: str
    birth_date: str | None
    case_number: str | None
    candidates: list[tuple[str, float, str]]
    """``(case number, match probability, status)``: waiting proposals, or the
    best candidates of a search when nothing waits."""


def entries(
    uow: UnitOfWork, import_id: int, *, limit: int = 200, model: MatchModel | None = None
) -> list[Entry]:
    """The records of an import (a counterpart's list, say), each with the case it
    is in, or the cases it may be: the proposals waiting for review, else the
    best candidates a search finds."""
    imported = get_import(uow, import_id)
    records = list(
        uow.session.scalars(
            select(RecordRow)
            .where(RecordRow.source_id == imported.source_id)
            .order_by(RecordRow.source_row)
            .limit(limit)
        )
    )
    wanted = {r.child_id for r in records if r.child_id}
    wanted |= set(
        uow.session.scalars(
            select(MatchCandidateRow.child_id).where(
                MatchCandidateRow.record_id.in_([r.id for r in records])
            )
        )
    )
    numbers = {
        child_id: number
        for child_id, number in uow.session.execute(
            select(ChildRow.id, ChildRow.case_number).where(ChildRow.id.in_(wanted))
        )
    }
    out = []
    for record in records:
        candidates: list[tuple[str, float, str]] = []
        if record.child_id is None:
            waiting = uow.session.scalars(
                select(MatchCandidateRow)
                .where(MatchCandidateRow.record_id == record.id)
                .where(MatchCandidateRow.status.in_([s.value for s in review.OPEN]))
                .order_by(MatchCandidateRow.probability.desc())
            )
            candidates = [(numbers[m.child_id], m.probability, m.status) for m in waiting]
            if not candidates:
                found = search(uow, record_values(record), model=model, limit=3)
                candidates = [
                    (c.case_number, c.probability, "candidate")
                    for c in found
                    if c.case_number and c.record_id != record.id
                ]
        data = RecordData(
            **{
                k: getattr(record, k)
                for k in ("given_name", "family_name", "patronymic", "full_name")
            }
        )
        out.append(
            Entry(
                record.id, record.source_row, data.display_name(), record.birth_date,
                numbers.get(record.child_id) if record.child_id else None, candidates,
            )
        )  # fmt: skip
    return out
