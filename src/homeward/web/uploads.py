"""Files uploaded for import, and the imports that run on them in the web app.

An uploaded file is kept in the registry's data directory under its SHA-256
(``<data_dir>/uploads/<sha256>``), never under the name the browser sent: the
name is only shown and recorded with the source, so ``../../etc/passwd`` can
write nowhere but there.  The file stays as evidence of what was received.

An import runs in the request for a small file, and in a background thread for
a larger one, so a big file never holds a web worker; its progress is kept in
the database (``homeward.web.import_jobs``) for the result page to poll, from
whichever server process answers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from fastapi import Request

from homeward.config import Settings
from homeward.domain.model import SourceKind
from homeward.domain.roles import Actor, Permission
from homeward.errors import HomewardError, Invalid, NotFound
from homeward.io.headers import IMPORT_FIELDS, map_headers, normalise_header
from homeward.io.tabular import open_table
from homeward.services import imports, review
from homeward.storage.tables import ImportRow, QuarantineRow, SourceRow
from homeward.storage.uow import UnitOfWork
from homeward.web.deps import WebState, state
from homeward.web.import_jobs import ImportJob as ImportJob
from homeward.web.import_jobs import ImportJobs as ImportJobs
from homeward.web.import_jobs import ImportOrder as ImportOrder
from homeward.web.import_jobs import StoredFile as StoredFile

log = logging.getLogger(__name__)

BACKGROUND_FROM_BYTES = 256 * 1024
"""Files from this size on are imported in a background thread; smaller ones at once."""
UPLOAD_KINDS = (
    SourceKind.IMPORT_FILE, SourceKind.COUNTERPART_LIST, SourceKind.INVESTIGATION,
    SourceKind.OTHER,
)  # fmt: skip
"""What an uploaded file may be (reports come through their own form)."""
NAME_FIELDS = ("family_name", "given_name", "full_name")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class TooLarge(HomewardError):
    status_code = 413


def max_upload_bytes(settings: Settings) -> int:
    """The largest file accepted for import (``import_max_upload_mb``; a
    200,000-row workbook is about 20 MB)."""
    return settings.import_max_upload_mb * 1024 * 1024


def limit_text(settings: Settings) -> str:
    return f"{settings.import_max_upload_mb} MB"


def too_large(settings: Settings) -> TooLarge:
    return TooLarge(
        f"the file is larger than {limit_text(settings)}: split it into several files, "
        "or ask the register keeper to import it from the command line"
    )


async def refuse_large_uploads(request: Request) -> None:
    """Refuse a body announced as too large before it is read (and parsed)."""
    settings = state(request).settings
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_upload_bytes(settings) + 64 * 1024:
        raise too_large(settings)


# --- keeping uploaded files --------------------------------------------------------------


def safe_file_name(name: str | None) -> str:
    """The last part of a sent name, without control characters: ``../../etc/passwd``
    becomes ``passwd``, ``C:\\lists\\Список.csv`` becomes ``Список.csv``."""
    text = unicodedata.normalize("NFC", name or "").replace("\\", "/")
    last = PurePosixPath(text).name if text.strip("/") else ""
    last = "".join(c for c in last if unicodedata.category(c)[0] != "C").strip(" .")
    return last[:200] or "upload"


def uploads_dir(web: WebState) -> Path:
    folder = web.settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def store_upload(web: WebState, source: BinaryIO, sent_name: str | None) -> StoredFile:
    """Copy an uploaded file into the uploads folder under its SHA-256, refusing
    one over the size limit (nothing of it is kept then)."""
    folder = uploads_dir(web)
    limit = max_upload_bytes(web.settings)
    digest = hashlib.sha256()
    size = 0
    fd, incoming = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            for block in iter(lambda: source.read(1 << 20), b""):
                size += len(block)
                if size > limit:
                    raise too_large(web.settings)
                digest.update(block)
                handle.write(block)
        if size == 0:
            raise Invalid("the file is empty")
        sha = digest.hexdigest()
        target = folder / sha
        os.replace(incoming, target)  # mkstemp made it readable by this user only
    except BaseException:
        Path(incoming).unlink(missing_ok=True)
        raise
    return StoredFile(sha, target, size, safe_file_name(sent_name))


def stored_file(web: WebState, sha256: str, file_name: str | None) -> StoredFile:
    """A file uploaded before, by its SHA-256 (from a form of ours)."""
    if not _SHA256.match(sha256 or ""):
        raise Invalid("the uploaded file is not named right; upload it again")
    path = uploads_dir(web) / sha256
    if not path.is_file():
        raise NotFound("the uploaded file is no longer here; upload it again")
    return StoredFile(sha256, path, path.stat().st_size, safe_file_name(file_name))


def parse_mapping(data: bytes) -> dict[str, str | None]:
    """A mapping file: a JSON object of column header -> field (or null)."""
    try:
        found = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise Invalid(f"mapping file: not JSON ({err})") from err
    if not isinstance(found, dict):
        raise Invalid("mapping file: expected a JSON object of header -> field")
    for header, target in found.items():
        if target is not None and target not in IMPORT_FIELDS:
            raise Invalid(
                f"mapping file: '{header}' -> '{target}' is not a field "
                f"(fields: {', '.join(IMPORT_FIELDS)})"
            )
    return {str(k): v for k, v in found.items()}


# --- what a file looks like before it is imported ----------------------------------------


@dataclass
class Overview:
    """How a file reads: the service's preview, and the first rows as they are."""

    file: StoredFile
    kind: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    preview: imports.Preview
    problems: dict[int, list[str]] = field(default_factory=dict)
    """Row number -> the reasons it would be quarantined (rows of the sample)."""

    @property
    def has_name(self) -> bool:
        return any(c.field in NAME_FIELDS for c in self.preview.columns)

    def mapping(self) -> dict[str, str | None]:
        return {c.header: c.field for c in self.preview.columns}


def overview(
    file: StoredFile,
    *,
    mapping: Mapping[str, str | None] | None,
    sheet: str | None,
    sample_rows: int = 10,
) -> Overview:
    with open_table(file.path, sheet=sheet, mapping=mapping, file_name=file.file_name) as table:
        rows: list[tuple[int, list[Any]]] = []
        for number, cells in table.rows:
            rows.append((number, cells))
            if len(rows) >= sample_rows:
                break
        found = Overview(
            file, table.kind, table.encoding, table.delimiter, table.sheet, table.header_row,
            list(table.headers), rows, imports.Preview("", [], []),
        )  # fmt: skip
    found.preview = imports.preview(
        file.path, mapping=mapping, sheet=sheet, sample_rows=sample_rows
    )
    found.problems = {number: errors for number, _, errors in found.preview.sample if errors}
    return found


def mapping_from_form(form: Mapping[str, Any]) -> dict[str, str | None] | None:
    """The mapping the preview's selects chose (``header_<i>`` -> ``field_<i>``),
    keeping only the columns where the choice differs from what the header rules
    give, so the preview and the import say which columns were set by hand."""
    chosen: list[tuple[str, str | None]] = []
    while f"header_{len(chosen)}" in form:
        index = len(chosen)
        target = str(form.get(f"field_{index}") or "")
        if target and target not in IMPORT_FIELDS:
            raise Invalid(f"column {index + 1}: '{target}' is not a field")
        chosen.append((str(form.get(f"header_{index}") or ""), target or None))
    guessed = map_headers([header for header, _ in chosen])
    explicit: dict[str, str | None] = {}
    for (header, wanted), column in zip(chosen, guessed, strict=True):
        if wanted != column.field and normalise_header(header):
            explicit.setdefault(header, wanted)
    return explicit or None


# --- running imports ---------------------------------------------------------------------


def jobs(web_app_state: Any) -> ImportJobs:
    """The import jobs, as the state the pages and the API share (``app.state.web``)
    holds them; the jobs themselves are in the database, so a job started by one
    server process is seen by all."""
    shared: WebState = web_app_state.web
    return shared.import_jobs


def run_job(web: WebState, actor: Actor, all_jobs: ImportJobs, job: ImportJob) -> None:
    """Run the import of a job to its end; what happened is left on the job,
    and written to its row for every server process to see."""
    order = job.order
    with all_jobs.running_here(job):
        try:
            job.stage = "reading"
            job.result = imports.import_file(
                web.registry, actor, order.file.path, kind=order.kind, title=order.title,
                mapping=order.mapping, sheet=order.sheet, open_cases=order.open_cases,
                category=order.category, model=web.model,
                thresholds=review.Thresholds.from_settings(web.settings),
                progress=job.progress, file_name=order.file.file_name,
                reliability=order.reliability,
                workers=1,  # never fork a threaded web server
            )  # fmt: skip
            job.rows = job.result.rows_read
            job.stage = "done"
        except HomewardError as err:
            job.error, job.stage = str(err), "failed"
        except Exception as err:  # the page must say it failed, whatever it was
            log.exception("import of %s failed", order.file.file_name)
            job.error = f"the import stopped on an unexpected error: {err}"
            job.stage = "failed"


def start_job(
    web: WebState, actor: Actor, all_jobs: ImportJobs, order: ImportOrder
) -> tuple[ImportJob, Callable[[], None] | None]:
    """The job for the order, and what runs it at once for a small file (``None``
    when it runs in the background, or was already running)."""
    actor.require(Permission.IMPORT_FILES)
    job, new = all_jobs.add(order, actor.username)
    if not new:
        return job, None
    if order.file.size < BACKGROUND_FROM_BYTES:
        return job, lambda: run_job(web, actor, all_jobs, job)
    threading.Thread(
        target=run_job, args=(web, actor, all_jobs, job), name=f"import-{job.id}", daemon=True
    ).start()
    return job, None


# --- showing imports ------------------------------------------------------------------------


def summary(uow: UnitOfWork, row: ImportRow, *, live: bool) -> dict[str, Any]:
    """:func:`import_summary` of one import, its source read through the service."""
    return import_summary(row, imports.sources_of(uow, [row])[row.source_id], live=live)


def summaries(
    uow: UnitOfWork, rows: Sequence[ImportRow], all_jobs: ImportJobs
) -> list[dict[str, Any]]:
    """The summaries of a page of imports; one running in any server process is
    not "cut short"."""
    sources = imports.sources_of(uow, rows)
    live = all_jobs.live_files(r.file_sha256 for r in rows if r.status == "running")
    return [import_summary(r, sources[r.source_id], live=r.file_sha256 in live) for r in rows]


def import_summary(row: ImportRow, source: SourceRow, *, live: bool) -> dict[str, Any]:
    """An import's figures as the list, its page and the API show them."""
    summary = row.summary or {}
    status = row.status
    if status == "running" and not live:
        status = "interrupted"
    return {
        "id": row.id, "file_name": row.file_name, "file_sha256": row.file_sha256,
        "file_kind": row.kind, "source_id": source.id, "source_title": source.title,
        "source_kind": source.kind, "reliability": source.reliability,
        "created_by": row.created_by, "started_at": row.started_at.isoformat(),
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        "status": status, "rows_read": row.rows_read, "imported": row.rows_imported,
        "quarantined": row.rows_quarantined, "linked": summary.get("linked"),
        "queued": summary.get("queued"), "new_cases": summary.get("new_cases"),
        "unmatched": summary.get("unmatched"),
    }  # fmt: skip


def quarantine_summary(row: QuarantineRow) -> dict[str, Any]:
    return {
        "id": row.id, "import_id": row.import_id, "row": row.source_row,
        "errors": list(row.errors), "values": dict(row.values), "raw": dict(row.raw),
        "status": row.status, "corrected": row.corrected, "record_id": row.record_id,
        "resolved_by": row.resolved_by,
        "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
        "reason": row.reason,
    }  # fmt: skip


def error_fields(errors: list[str]) -> list[str]:
    """The fields a quarantined row's reasons name (``name`` means the name fields)."""
    named: list[str] = []
    for error in errors:
        head = error.split(":", 1)[0].strip()
        wanted = ["family_name", "given_name"] if head == "name" else [head]
        named.extend(f for f in wanted if f in IMPORT_FIELDS and f not in named)
    return named
