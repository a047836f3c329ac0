"""``homeward retention show`` and ``apply`` as the register keeper runs them."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from homeward.cli import common
from homeward.cli.main import app
from homeward.config import Settings
from homeward.services import triage
from homeward.services.audit_trail import verify_audit
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow, DecisionRow, RecordRow
from tests.core.test_retention import REPORT, WORKER

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", settings.database_url)
    # wide enough that no table wraps a hash: the assertions read the tables
    monkeypatch.setattr(common.console, "width", 200)
    return settings


def _fill(settings: Settings) -> tuple[str, str, int]:
    """A file left ten days ago by an upload cut short, a fresh one, and a
    public report rejected in triage today."""
    registry = Registry.open(settings)
    try:
        old = registry.files.put_bytes(b"an upload cut short").sha256
        ten_days_ago = time.time() - 10 * 86400
        os.utime(registry.files.path(old), (ten_days_ago, ten_days_ago))
        fresh = registry.files.put_bytes(b"an upload in progress").sha256
        with registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
            record_id = triage.receive_public_report(uow, REPORT, consent=True).record_id
            uow.commit()
        with registry.uow(WORKER) as uow:
            triage.reject(uow, record_id, reason="a test of the form")
            uow.commit()
        return old, fresh, record_id
    finally:
        registry.close()


def _state(settings: Settings) -> tuple[int, int, list[str]]:
    registry = Registry.open(settings)
    try:
        with registry.uow(write=False) as uow:
            audit = uow.session.scalar(select(func.count()).select_from(AuditRow)) or 0
            records = uow.session.scalar(select(func.count()).select_from(RecordRow)) or 0
        return audit, records, sorted(registry.files.hashes())
    finally:
        registry.close()


def test_show_lists_what_would_go_and_changes_nothing(env: Settings) -> None:
    old, fresh, record_id = _fill(env)
    before = _state(env)
    shown = runner.invoke(app, ["retention", "show"])
    assert shown.exit_code == 0, shown.output
    assert "files no document names" in shown.output and old[:16] in shown.output
    assert fresh[:16] not in shown.output
    assert "rejected in triage" not in shown.output  # rejected today: kept a year
    assert re.search(r"public reports never confirmed\s*│[^│]*│\s*0\s*│", shown.output)
    assert re.search(r"files no document names\s*│[^│]*│\s*1\s*│", shown.output)
    assert "365 days after rejection" in shown.output and "off untriaged" in shown.output

    next_year = (datetime.now(UTC) + timedelta(days=400)).date().isoformat()
    ahead = runner.invoke(app, ["retention", "show", "--as-of", next_year, "--json"])
    assert ahead.exit_code == 0, ahead.output
    document = json.loads(ahead.output)
    assert document["counts"]["public_report"] == 1
    assert document["counts"]["orphan_file"] == 2  # by then the fresh file is old too
    [report] = [i for i in document["items"] if i["kind"] == "public_report"]
    assert report["id"] == str(record_id) and "rejected in triage" in report["why"]
    assert _state(env) == before

    wrong = runner.invoke(app, ["retention", "show", "--as-of", "next tuesday"])
    assert wrong.exit_code == 1 and "--as-of" in wrong.output


def test_apply_asks_then_removes_and_a_second_run_finds_nothing(env: Settings) -> None:
    old, fresh, _ = _fill(env)
    before = _state(env)
    declined = runner.invoke(app, ["retention", "apply"], input="n\n")
    assert declined.exit_code == 0, declined.output
    assert "Remove 1 item?" in declined.output and "nothing removed" in declined.output
    assert _state(env) == before

    applied = runner.invoke(app, ["retention", "apply"], input="y\n")
    assert applied.exit_code == 0, applied.output
    assert "removed" in applied.output and old[:16] in applied.output
    assert "1 file left the store" in applied.output
    audit, records, files = _state(env)
    assert files == [fresh] and records == before[1]
    assert audit > before[0]

    again = runner.invoke(app, ["retention", "apply", "--yes"])
    assert again.exit_code == 0, again.output
    assert "nothing to remove" in again.output
    assert _state(env) == (audit, records, files)

    registry = Registry.open(env)
    try:
        assert verify_audit(registry).ok
        with registry.uow(write=False) as uow:
            rejection = select(func.count()).select_from(DecisionRow)
            assert uow.session.scalar(rejection) == 1
            note = uow.session.scalar(select(AuditRow).where(AuditRow.action == "retention.apply"))
            assert note is not None and note.actor.startswith("cli:")
            assert '"orphan_file":1' in (note.after or "")
    finally:
        registry.close()


def test_the_periods_come_from_the_settings(env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    old, _, _ = _fill(env)
    monkeypatch.setenv("HOMEWARD_RETENTION_ORPHAN_FILES_DAYS", "30")
    shown = runner.invoke(app, ["retention", "show"])
    assert shown.exit_code == 0, shown.output
    assert old[:16] not in shown.output and "nothing to remove" in shown.output
    assert "30 days" in shown.output
    monkeypatch.setenv("HOMEWARD_RETENTION_ORPHAN_FILES_DAYS", "0")
    off = runner.invoke(app, ["retention", "apply", "--yes"])
    assert off.exit_code == 0 and "nothing to remove" in off.output
    assert old in _state(env)[2]
