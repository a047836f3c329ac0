"""Several server processes over one registry (``homeward serve --workers``):
each builds an app of its own, and they share the sign-in throttle, the public
report limit and the imports running in the background through the database.
Two ``create_app`` over one database stand for two processes here."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from homeward.config import Settings
from homeward.services import audit_trail, backup, imports
from homeward.services.registry_app import Registry
from homeward.storage.tables import AddressEventRow, ImportJobRow
from homeward.storage.tables.base import utcnow
from homeward.web import create_app, import_jobs, uploads
from tests.conftest import _database_url
from tests.web.conftest import PASSWORD, World, api_token, csrf_of, sign_in

CHILD = {"family_name": "Тихолаз", "given_name": "Ярополк", "birth_date": "03.05.2013"}
FAMILY = {
    "reporter_name": "Тихолаз Оксана",
    "reporter_relationship": "mother",
    "reporter_contact": "+380 97 765 43 21",
    "last_known_location": "Донецьк, школа-інтернат № 2",
}
ROWS = "Прізвище,Ім'я,Дата народження\n" + "".join(
    f"Мельник,Софія {n},{1 + n % 28:02d}.05.2013\n" for n in range(30)
)


@contextmanager
def two_processes(settings: Settings, world: World) -> Iterator[tuple[TestClient, TestClient]]:
    with ExitStack() as stack:
        clients = [
            stack.enter_context(
                TestClient(
                    create_app(settings, registry=world.registry),
                    base_url="https://testserver",
                    follow_redirects=False,
                )
            )
            for _ in range(2)
        ]
        yield clients[0], clients[1]


def _password(client: TestClient, username: str, password: str) -> int:
    page = client.get("/signin")
    answer = client.post(
        "/signin",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )
    return answer.status_code


def _report(client: TestClient) -> int:
    token = csrf_of(client.get("/report").text)
    data = {**CHILD, **FAMILY, "consent": "yes", "csrf_token": token}
    return client.post("/report", data=data).status_code


def test_failed_sign_ins_are_counted_across_processes(world: World) -> None:
    settings = world.settings.model_copy(update={"login_failures_per_address": 3})
    with two_processes(settings, world) as (one, two):
        assert _password(one, "analyst", "not the password") == 401
        assert _password(one, "auditor", "not the password") == 401
        assert _password(two, "partner", "not the password") == 401
        # three failures from this address in all: both processes refuse it now
        assert _password(two, "verifier", PASSWORD) == 429
        assert _password(one, "verifier", PASSWORD) == 429
    with world.registry.engine.connect() as conn:
        kept = list(conn.execute(select(AddressEventRow.kind, AddressEventRow.address)))
    assert len(kept) == 3 and {kind for kind, _ in kept} == {"signin.failure"}
    plain = hashlib.sha256(b"testclient").hexdigest()
    assert all(len(a) == 64 and "testclient" not in a and a != plain for _, a in kept)


def test_a_restart_forgets_no_failure(world: World) -> None:
    settings = world.settings.model_copy(update={"login_failures_per_address": 2})
    with two_processes(settings, world) as (one, _two):
        assert _password(one, "analyst", "not the password") == 401
        assert _password(one, "auditor", "not the password") == 401
    with two_processes(settings, world) as (again, _two):
        assert _password(again, "verifier", PASSWORD) == 429


def test_the_public_report_limit_is_shared_by_every_process(world: World) -> None:
    settings = world.settings.model_copy(update={"public_reports_per_hour": 2})
    with two_processes(settings, world) as (one, two):
        assert _report(one) == 200
        assert _report(two) == 200
        assert _report(one) == 429
        refused = two.post("/report", data={"csrf_token": csrf_of(two.get("/report").text)})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 3000


@pytest.fixture
def held_import(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Every file is imported in the background, and waits for the event."""
    monkeypatch.setattr(uploads, "BACKGROUND_FROM_BYTES", 0)
    monkeypatch.setattr(import_jobs, "PROGRESS_SECONDS", 0.05)
    release = threading.Event()
    real_import = imports.import_file

    def held(*args: Any, **kwargs: Any) -> imports.ImportResult:
        progress = kwargs["progress"]

        def slow(stage: str, done: int, total: int) -> None:
            progress(stage, done, total)
            if stage == "import":  # the rows are written: wait before matching them
                assert release.wait(30)

        return real_import(*args, **{**kwargs, "progress": slow})

    monkeypatch.setattr(imports, "import_file", held)
    yield release
    release.set()


def _api_upload(client: TestClient, token: str) -> Any:
    return client.post(
        "/api/v1/imports",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("list.csv", io.BytesIO(ROWS.encode()), "text/csv")},
    )


def _until(check: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _job_if(client: TestClient, job_id: str, bearer: dict[str, str], **wanted: Any) -> Any:
    """The job as the API shows it, once it shows what is wanted; else None."""
    found = client.get(f"/api/v1/imports/jobs/{job_id}", headers=bearer).json()
    return found if all(found.get(k) == v for k, v in wanted.items()) else None


def _job_if(client: TestClient, job_id: str, bearer: dict[str, str], **wanted: Any) -> Any:
    """The job as the API shows it, once it shows what is wanted; else None."""
    found = client.get(f"/api/v1/imports/jobs/{job_id}", headers=bearer).json()
    return found if all(found.get(k) == v for k, v in wanted.items()) else None


def test_an_import_started_in_one_process_is_followed_in_another(
    world: World, held_import: threading.Event
) -> None:
    token = api_token(world, "case_worker")
    bearer = {"Authorization": f"Bearer {token}"}
    with two_processes(world.settings, world) as (one, two):
        started = _api_upload(one, token)
        assert started.status_code == 202
        job_id = started.json()["job_id"]
        seen = _until(lambda: _job_if(two, job_id, bearer, rows_read=30))
        assert seen and seen["stage"] == "reading" and seen["file_name"] == "list.csv"
        # the same file sent to the other process joins the running import
        again = _api_upload(two, token)
        assert again.status_code == 202 and again.json()["job_id"] == job_id
        sign_in(two, world, "case_worker")
        two.get("/language/en?next=/")
        page = two.get(f"/imports/jobs/{job_id}/status")
        assert page.status_code == 200 and "30 rows read so far" in page.text
        assert 'hx-trigger="every 2s"' in page.text
        [listed] = two.get("/api/v1/imports", headers=bearer).json()["items"]
        assert listed["status"] == "running"  # not "cut short": it runs in the other process
        held_import.set()
        done = _until(lambda: _job_if(two, job_id, bearer, stage="done"))
        assert done and done["result"]["imported"] == 30 and done["rows_read"] == 30
        page = two.get(f"/imports/jobs/{job_id}/status")
        assert "The import is complete." in page.text and "every 2s" not in page.text


def _job_row(world: World, sha256: str, *, age: timedelta) -> str:
    job_id = f"stale-{sha256[:10]}"
    when = utcnow() - age
    with world.registry.engine.begin() as conn:
        conn.execute(
            insert(ImportJobRow).values(
                id=job_id, file_sha256=sha256, file_name="list.csv", file_size=len(ROWS),
                username="case_worker", stage="matching", rows_read=12, error=None,
                result=None, started_at=when, updated_at=when,
            )
        )  # fmt: skip
    return job_id


def test_a_job_whose_process_stopped_is_shown_cut_short_and_starts_again(
    world: World, held_import: threading.Event
) -> None:
    token = api_token(world, "case_worker")
    bearer = {"Authorization": f"Bearer {token}"}
    sha = hashlib.sha256(ROWS.encode()).hexdigest()
    recent = _job_row(world, "0" * 64, age=timedelta(seconds=30))
    stale = _job_row(world, sha, age=import_jobs.STALE_AFTER + timedelta(seconds=5))
    with two_processes(world.settings, world) as (one, _two):
        jobs = uploads.jobs(one.app.state)  # type: ignore[attr-defined]
        assert one.get(f"/api/v1/imports/jobs/{recent}", headers=bearer).json()["stage"] == (
            "matching"
        )
        assert jobs.running("0" * 64) is not None
        gone = one.get(f"/api/v1/imports/jobs/{stale}", headers=bearer).json()
        assert gone["stage"] == "interrupted" and "cut short" in gone["error"]
        assert jobs.running(sha) is None
        sign_in(one, world, "case_worker")
        one.get("/language/en?next=/")
        page = one.get(f"/imports/jobs/{stale}/status")
        assert "The import stopped" in page.text and "every 2s" not in page.text
        # its file may be imported again: a new job, not the one cut short
        started = _api_upload(one, token)
        assert started.status_code == 202 and started.json()["job_id"] != stale
        held_import.set()
        fresh = started.json()["job_id"]
        assert _until(
            lambda: (
                one.get(f"/api/v1/imports/jobs/{fresh}", headers=bearer).json()["stage"] == "done"
            )
        )


def test_a_job_not_written_for_long_is_live_while_its_lock_is_held(world: World) -> None:
    """SQLite: an import matching its records holds the one writer slot for
    minutes, so its row is not written meanwhile; its lock shows it is live."""
    sha = "1" * 64
    job_id = _job_row(world, sha, age=import_jobs.STALE_AFTER * 3)
    with two_processes(world.settings, world) as (one, _two):
        jobs = uploads.jobs(one.app.state)  # type: ignore[attr-defined]
        assert jobs.running(sha) is None
        fd = jobs._hold_lock(job_id)
        try:
            assert fd is not None
            running = jobs.running(sha)
            assert running is not None and running.id == job_id
            assert jobs.get(job_id).stage == "matching"
        finally:
            if fd is not None:
                os.close(fd)
        assert jobs.get(job_id).stage == "interrupted"


def test_audit_verify_stays_clean_and_a_backup_keeps_the_shared_tables(
    world: World, backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    settings = world.settings.model_copy(update={"login_failures_per_address": 5})
    with two_processes(settings, world) as (one, _two):
        assert _password(one, "analyst", "not the password") == 401
        assert _report(one) == 200
    _job_row(world, "2" * 64, age=timedelta(seconds=1))
    assert audit_trail.verify_rows(world.registry) == []
    assert audit_trail.verify_audit(world.registry).ok
    path = tmp_path / "registry.hwb"
    backup.write_backup(world.registry, path, unencrypted=True)
    urls = _database_url(backend, request, tmp_path / "target")
    (tmp_path / "target").mkdir(exist_ok=True)
    target = Registry.open(Settings(data_dir=tmp_path / "target", database_url=next(urls)))
    try:
        backup.restore_backup(target, path)
        with target.engine.connect() as conn:
            kinds = sorted(conn.scalars(select(AddressEventRow.kind)))
            jobs = list(conn.scalars(select(ImportJobRow.file_sha256)))
        assert kinds == ["public.report", "signin.failure"] and jobs == ["2" * 64]
        assert audit_trail.verify_rows(target) == [] and audit_trail.verify_audit(target).ok
    finally:
        target.close()
        next(urls, None)


def test_a_job_is_live_while_its_process_runs_and_cut_short_once_it_is_killed(
    world: World,
) -> None:
    """Another process holds the job's lock; killing it lets go of the lock at
    once, and the job, its row old, shows as cut short."""
    sha = "3" * 64
    job_id = _job_row(world, sha, age=import_jobs.STALE_AFTER * 2)
    uploads_dir = world.settings.data_dir / "uploads"
    holder = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from homeward.web.import_jobs import ImportJobs\n"
        "jobs = ImportJobs(None, Path(sys.argv[1]))\n"
        "jobs._hold_lock(sys.argv[2])\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", holder, str(uploads_dir), job_id], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        with two_processes(world.settings, world) as (one, _two):
            jobs = uploads.jobs(one.app.state)  # type: ignore[attr-defined]
            running = jobs.running(sha)
            assert running is not None and running.id == job_id
            process.kill()
            process.wait(10)
            assert jobs.running(sha) is None
            assert jobs.get(job_id).stage == "interrupted"
    finally:
        process.kill()
        process.wait(10)
