"""The ``homeward`` command as an operator uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from homeward.cli.main import app
from homeward.config import Settings
from homeward.services.registry_app import Registry

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HOMEWARD_ADMIN_PASSWORD", "correct horse battery")
    return settings


def test_init_creates_the_first_admin_once(env: Settings) -> None:
    first = runner.invoke(app, ["init"])
    assert first.exit_code == 0, first.output
    assert "admin 'admin' created" in first.output
    second = runner.invoke(app, ["init"])
    assert second.exit_code == 0 and "users exist already" in second.output


def test_audit_verify_exits_non_zero_after_tampering(env: Settings) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "audit trail verified: 2 entries" in ok.output
    registry = Registry.open(env)
    with registry.engine.connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        conn.execute(text("UPDATE audit_log SET actor = 'intruder' WHERE seq = 2"))
    registry.close()
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "entry 2: edited" in broken.output


def test_backup_verify_and_restore(
    env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMEWARD_BACKUP_PASSPHRASE", "a long escrow passphrase")
    assert runner.invoke(app, ["init"]).exit_code == 0
    file = tmp_path / "registry.hwb"
    made = runner.invoke(app, ["backup", str(file)])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["backup", str(file)])
    assert again.exit_code == 1 and "never overwrites" in again.output
    checked = runner.invoke(app, ["backup", "--verify", str(file)])
    assert checked.exit_code == 0 and "a sound Homeward backup" in checked.output
    refused = runner.invoke(app, ["restore", str(file)])
    assert refused.exit_code == 1 and "--yes" in refused.output
    restored = runner.invoke(app, ["restore", str(file), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


def test_restore_refuses_a_file_that_is_not_a_backup(env: Settings, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    result = runner.invoke(app, ["restore", str(bogus)])
    assert result.exit_code == 1 and "not a Homeward backup" in result.output
