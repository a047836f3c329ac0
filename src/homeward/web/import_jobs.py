"""Imports run by the web app, followed from whichever server process answers.

An import of a large file runs in a background thread of the process that
received it; its result page and the API poll its progress, and with several
server processes the poll may reach any of them.  So a job lives in the
database (``import_jobs``): the process running it writes its stage and rows
read at most once a second while they change, and at least every
``BEAT_SECONDS`` while they do not, each time in a short transaction of its
own, from a thread of its own (the import's own transactions are never held
up by it, nor it by them on PostgreSQL).

A job not finished is *live* while its process runs it, which another
process knows by either of two signs:

- its row was written within ``STALE_AFTER`` (two minutes); or
- the lock its thread holds on ``<data_dir>/uploads/.jobs/<id>.lock`` is held
  (processes on one machine).  On SQLite, where an import matching its
  records holds the database's one writer slot for minutes, the row cannot be
  written meanwhile: the lock says the job is live all the same.

A job neither is was cut short (its process stopped): it is shown so, and its
file may be imported again, which finishes it ("resume").
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.engine import Connection

from homeward.domain.model import Category, Reliability, SourceKind
from homeward.errors import NotFound
from homeward.services.imports import ImportResult
from homeward.storage.tables import Base, ImportJobRow
from homeward.storage.tables.base import utcnow

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: the time bound alone
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=2)
"""An unfinished job whose row is older than this, and whose lock is not held,
was cut short."""
BEAT_SECONDS = 5.0
"""How often a running job's row is written when nothing changed."""
PROGRESS_SECONDS = 1.0
"""How often at most a running job's progress is written."""
KEEP = timedelta(days=7)
"""How long a job's row is kept after its last change (its import is kept for good)."""
FINISHED = ("done", "failed", "interrupted")
CUT_SHORT = (
    "the import was cut short: the server process running it stopped. Find it in the list "
    "of imports and finish it; the rows already written are kept"
)
JOBS_LOCK_KEY = 7_424_812
"""PostgreSQL advisory lock taken while a job is added, so two processes never
start the same file at once (``homeward.storage.db.WRITE_LOCK_KEY`` + 1)."""

_JOBS = Base.metadata.tables[ImportJobRow.__tablename__]
_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
_RESULT_FIELDS = frozenset(f.name for f in fields(ImportResult))


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    path: Path
    size: int
    file_name: str
    """The name as sent, made safe to show (never used as a path)."""


@dataclass
class ImportOrder:
    """What to import and how, as the upload form and the preview said."""

    file: StoredFile
    title: str | None = None
    kind: SourceKind = SourceKind.IMPORT_FILE
    sheet: str | None = None
    mapping: dict[str, str | None] | None = None
    open_cases: bool = False
    category: Category = Category.DEPORTED
    reliability: Reliability = Reliability.UNVERIFIED


@dataclass
class ImportJob:
    id: str
    order: ImportOrder
    """As given, in the process running the job; elsewhere, only the file."""
    username: str
    started_at: datetime = field(default_factory=utcnow)
    stage: str = "waiting"
    """``waiting``, ``reading`` (rows written), ``matching``, ``done``, ``failed``,
    or ``interrupted`` (its process stopped; never written, only shown)."""
    rows: int = 0
    result: ImportResult | None = None
    error: str | None = None
    updated_at: datetime = field(default_factory=utcnow)

    @property
    def finished(self) -> bool:
        return self.stage in FINISHED

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.id, "stage": self.stage, "rows_read": self.rows,
            "file_name": self.order.file.file_name, "sha256": self.order.file.sha256,
            "error": self.error,
            "result": self.result.as_dict() if self.result is not None else None,
        }  # fmt: skip

    def progress(self, stage: str, done: int, total: int) -> None:
        if stage == "import":
            self.stage, self.rows = "reading", done
        else:
            self.stage = "matching"


class ImportJobs:
    """The jobs of every server process, in ``import_jobs``; those this process
    runs are also held here, as they are (fresher than their rows)."""

    def __init__(self, engine: Engine, uploads: Path) -> None:
        self.engine = engine
        self.uploads = uploads
        self.locks = uploads / ".jobs"
        self._here: dict[str, ImportJob] = {}
        self._saving: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    # --- reading ---------------------------------------------------------------------

    def get(self, job_id: str) -> ImportJob:
        with self._lock:
            job = self._here.get(job_id)
        if job is not None:
            return job
        row = None
        if _JOB_ID.match(job_id or ""):
            with self.engine.connect() as conn:
                query = select(_JOBS).where(_JOBS.c.id == job_id)
                row = conn.execute(query).mappings().first()
        if row is None:
            raise NotFound(
                "this import is not followed any more (it was long ago); "
                "find it in the list of imports"
            )
        return self._seen(row)

    def running(self, sha256: str) -> ImportJob | None:
        """The live job importing this file, in any process; None if there is none."""
        with self._lock:
            for job in self._here.values():
                if job.order.file.sha256 == sha256 and not job.finished:
                    return job
        with self.engine.connect() as conn:
            return self._running(conn, [sha256]).get(sha256)

    def live_files(self, sha256s: Iterable[str]) -> set[str]:
        """Which of these files are being imported now, in any process."""
        wanted = sorted(set(sha256s))
        if not wanted:
            return set()
        with self.engine.connect() as conn:
            return set(self._running(conn, wanted))

    def _running(self, conn: Connection, sha256s: list[str]) -> dict[str, ImportJob]:
        query = (
            select(_JOBS)
            .where(_JOBS.c.file_sha256.in_(sha256s), _JOBS.c.stage.not_in(FINISHED))
            .order_by(_JOBS.c.updated_at)
        )
        found: dict[str, ImportJob] = {}
        for row in conn.execute(query).mappings():
            job = self._seen(row)
            if not job.finished:
                found[job.order.file.sha256] = job
        return found

    def _seen(self, row: Any) -> ImportJob:
        """A job as its row has it; one whose process stopped shown as cut short."""
        data = row["result"]
        result = None
        if data is not None:
            result = ImportResult(**{k: v for k, v in data.items() if k in _RESULT_FIELDS})
        file = StoredFile(
            row["file_sha256"], self.uploads / row["file_sha256"], row["file_size"],
            row["file_name"],
        )  # fmt: skip
        job = ImportJob(
            row["id"], ImportOrder(file=file), row["username"], started_at=row["started_at"],
            stage=row["stage"], rows=row["rows_read"], result=result, error=row["error"],
            updated_at=row["updated_at"],
        )  # fmt: skip
        if not job.finished and not self.live(job):
            job.stage, job.error = "interrupted", CUT_SHORT
        return job

    def live(self, job: ImportJob) -> bool:
        if job.updated_at > utcnow() - STALE_AFTER:
            return True
        return self._lock_held(job.id)

    # --- starting and running ---------------------------------------------------------

    def add(self, order: ImportOrder, username: str) -> tuple[ImportJob, bool]:
        """A new job for the order, or the live one already importing the same
        file (started here or in another process)."""
        sha = order.file.sha256
        with self._lock:
            for job in self._here.values():
                if job.order.file.sha256 == sha and not job.finished:
                    return job, False
        with self._adding() as conn:
            running = self._running(conn, [sha]).get(sha)
            if running is not None:
                return running, False
            job = ImportJob(secrets.token_urlsafe(12), order, username)
            conn.execute(
                insert(_JOBS).values(
                    id=job.id, file_sha256=sha, file_name=order.file.file_name,
                    file_size=order.file.size, username=username, stage=job.stage,
                    rows_read=0, error=None, result=None, started_at=job.started_at,
                    updated_at=job.updated_at,
                )
            )  # fmt: skip
            conn.execute(delete(_JOBS).where(_JOBS.c.updated_at < utcnow() - KEEP))
        with self._lock:
            self._here[job.id] = job
            self._saving[job.id] = threading.Lock()
        return job, True

    @contextmanager
    def _adding(self) -> Iterator[Connection]:
        """A transaction no other process adds a job in at the same time."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn = conn.execution_options(homeward_write=True)  # BEGIN IMMEDIATE
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (JOBS_LOCK_KEY,))
                yield conn

    def save(self, job: ImportJob) -> None:
        """Write the job's row as the job is now."""
        with self._lock:
            saving = self._saving.get(job.id)
        if saving is None:
            return
        with saving:  # one writer of the row at a time, each with the state it saw last
            job.updated_at = utcnow()
            values = {
                "stage": job.stage, "rows_read": job.rows, "error": job.error,
                "result": job.result.as_dict() if job.result is not None else None,
                "updated_at": job.updated_at,
            }  # fmt: skip
            with self.engine.begin() as conn:
                conn.execute(update(_JOBS).where(_JOBS.c.id == job.id).values(**values))

    @contextmanager
    def running_here(self, job: ImportJob) -> Iterator[None]:
        """While the block runs the job: its lock held, its progress written by a
        thread of its own; after it, its end written and the job let go."""
        lock = self._hold_lock(job.id)
        stop = threading.Event()
        beat = threading.Thread(
            target=self._beat, args=(job, stop), name=f"import-{job.id}-progress", daemon=True
        )
        beat.start()
        try:
            yield
        finally:
            stop.set()
            self._save_end(job)
            with self._lock:
                self._here.pop(job.id, None)
                self._saving.pop(job.id, None)
            if lock is not None:
                (self.locks / f"{job.id}.lock").unlink(missing_ok=True)
                os.close(lock)

    def _beat(self, job: ImportJob, stop: threading.Event) -> None:
        written: tuple[str, int] | None = None
        last = 0.0
        clock = 0.0
        while not stop.wait(PROGRESS_SECONDS):
            clock += PROGRESS_SECONDS
            now = (job.stage, job.rows)
            if now == written and clock - last < BEAT_SECONDS:
                continue
            try:
                self.save(job)
            except Exception:  # the database is busy or away: the next beat tries again
                log.warning("could not write the progress of import job %s", job.id, exc_info=True)
                continue
            written, last = now, clock

    def _save_end(self, job: ImportJob) -> None:
        for attempt in range(3):
            try:
                self.save(job)
                return
            except Exception:
                log.warning(
                    "could not write the end of import job %s (try %d of 3)",
                    job.id, attempt + 1, exc_info=True,
                )  # fmt: skip

    # --- the lock that shows a job is live ---------------------------------------------

    def _hold_lock(self, job_id: str) -> int | None:
        if fcntl is None:
            return None
        self.locks.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.locks / f"{job_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    def _lock_held(self, job_id: str) -> bool:
        if fcntl is None:
            return False
        try:
            fd = os.open(self.locks / f"{job_id}.lock", os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing lets go of a lock taken here
        return False
