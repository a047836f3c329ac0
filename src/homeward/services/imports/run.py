"""One import of a file: start it (or resume one cut short), write its rows,
match the new records against the registry, and finish."""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from homeward.domain.model import Category, Reliability, SourceKind
from homeward.domain.roles import Actor, Permission
from homeward.errors import Conflict, Invalid
from homeward.io.headers import ColumnMapping, map_headers
from homeward.io.tabular import Table, open_table
from homeward.linkage.model import MatchModel
from homeward.services import review
from homeward.services.cases import create_source, open_case
from homeward.services.imports.batches import ImportResult, Progress, Spool, write_rows
from homeward.services.imports.reading import NAME_FIELDS, file_sha256
from homeward.services.registry_app import Registry
from homeward.storage.tables import ImportRow, MatchCandidateRow, RecordRow, utcnow
from homeward.storage.uow import UnitOfWork

BATCH_ROWS = 2000
"""Rows written per transaction.  Each commit writes the pages of the match
index its keys touch, all over the index: 2,000 rows a commit wrote 100,000
rows with 15% less processor time than 500 did."""
PARALLEL_FROM_BYTES = 2_000_000
"""Files at least this large are prepared by worker processes (one per core)."""


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
    with (
        open_table(path, sheet=sheet, mapping=mapping, file_name=name) as table,
        tempfile.TemporaryFile(prefix="homeward-import-") as spool,
    ):
        columns = map_headers(table.headers, mapping)
        if not any(c.field in NAME_FIELDS for c in columns):
            raise Invalid(
                f"{name}: no column holds a name (mapped: "
                f"{', '.join(c.describe() for c in columns)}); give a mapping file"
            )
        spooled = Spool(spool.fileno(), [])
        if not _finished_before(registry, actor, digest):
            spooled = _read_whole(table, spool, batch_rows)
        started = _start(
            registry, actor, table, columns, digest, kind, title, organisation_id, reliability
        )
        if started.already_imported:
            return started
        if workers is None:
            big = path.stat().st_size >= PARALLEL_FROM_BYTES
            workers = min(os.cpu_count() or 1, 4) if big else 1
        write_rows(registry, actor, spooled, columns, started, progress, workers)
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


def _finished_before(registry: Registry, actor: Actor, digest: str) -> bool:
    with registry.uow(actor, write=False) as uow:
        found = uow.session.scalar(select(ImportRow.status).where(ImportRow.file_sha256 == digest))
    return found == "complete"


def _read_whole(table: Table, spool: BinaryIO, batch_rows: int) -> Spool:
    """Read every row once, into ``spool``, before anything is written: a file
    broken anywhere (a cell the workbook cannot give, a quote never closed) is
    refused whole, rather than leave the rows above the break imported and an
    import that can never finish.  The rows are then written from the spool, so
    the file is parsed once: ``batch_rows`` rows to a pickle, which the process
    that checks and keys them reads itself.  (Pickle, because the spool is this
    process's own unnamed file, holding only what the reader gave: text,
    numbers and dates.)"""
    spooled = Spool(spool.fileno(), [])
    rows: list[tuple[int, list[Any]]] = []
    for row in table.rows:
        rows.append(row)
        if len(rows) >= batch_rows:
            spooled.chunks.append(_spool_chunk(spool, rows))
            rows = []
    if rows:
        spooled.chunks.append(_spool_chunk(spool, rows))
    spool.flush()
    return spooled


def _spool_chunk(spool: BinaryIO, rows: list[tuple[int, list[Any]]]) -> tuple[int, int, int]:
    start = spool.tell()
    pickle.dump(rows, spool, protocol=pickle.HIGHEST_PROTOCOL)
    return start, spool.tell() - start, len(rows)


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
        if uow.session.get_one(ImportRow, result.import_id).status == "complete":
            result.already_imported = True  # another run of the file finished it meanwhile
            return
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
