"""``homeward evidence`` as an operator uses it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homeward.cli.main import app
from homeward.config import Settings
from homeward.services.registry_app import Registry
from tests.factories import make_child

runner = CliRunner()
SCAN = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", settings.database_url)
    return settings


@pytest.fixture
def case_number(env: Settings) -> str:
    registry = Registry.open(env)
    with registry.uow() as uow:
        number = make_child(uow).case_number
        uow.commit()
    registry.close()
    return number


def _add(case_number: str, tmp_path: Path) -> str:
    scan = tmp_path / "birth certificate.png"
    scan.write_bytes(SCAN)
    added = runner.invoke(
        app, ["evidence", "add", case_number, str(scan), "--kind", "birth_certificate"]
    )
    assert added.exit_code == 0, added.output
    match = re.search(r"sha256 ([0-9a-f]{64})", added.output)
    assert match, added.output
    return match.group(1)


def test_add_list_and_verify_the_store(case_number: str, tmp_path: Path, env: Settings) -> None:
    sha = _add(case_number, tmp_path)
    listed = runner.invoke(app, ["evidence", "list", case_number])
    assert listed.exit_code == 0 and "birth_certificate" in listed.output
    assert "not ready" in listed.output and "birth_certificate" in listed.output
    ok = runner.invoke(app, ["evidence", "verify"])
    assert ok.exit_code == 0 and "file store verified: 1 documents, 1 files" in ok.output
    stored = Registry.open(env)
    path = stored.files.path(sha)
    stored.close()
    path.chmod(0o640)
    path.write_bytes(SCAN[:-1] + b"!")
    broken = runner.invoke(app, ["evidence", "verify"])
    assert broken.exit_code == 1 and f"file {sha} was changed" in broken.output
    audit = runner.invoke(app, ["audit", "verify"])
    assert audit.exit_code == 1
    assert "audit trail verified" in audit.output and f"file {sha} was changed" in audit.output


def test_custody_lists_the_add(case_number: str, tmp_path: Path) -> None:
    _add(case_number, tmp_path)
    shown = runner.invoke(app, ["evidence", "custody", "1"])
    assert shown.exit_code == 0 and "document.add" in shown.output


def test_export_then_verify_with_the_public_key_alone(case_number: str, tmp_path: Path) -> None:
    _add(case_number, tmp_path)
    out = tmp_path / "evidence.zip"
    made = runner.invoke(app, ["evidence", "export", case_number, "--out", str(out)])
    assert made.exit_code == 0, made.output
    public = runner.invoke(app, ["evidence", "public-key"]).output.strip()
    checked = runner.invoke(app, ["evidence", "verify", str(out), "--public-key", public])
    assert checked.exit_code == 0 and "signature valid, 3 files intact" in checked.output
    no_key = runner.invoke(app, ["evidence", "verify", str(out)])
    assert no_key.exit_code == 2 and "--public-key" in no_key.output
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as old, zipfile.ZipFile(tampered, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, data.replace(b"\x89PNG", b"\x89PNX") if "/files/" in name else data)
    refused = runner.invoke(app, ["evidence", "verify", str(tampered), "--public-key", public])
    assert refused.exit_code == 1 and "was changed" in refused.output


def test_encryption_without_its_key_stops_every_command(
    env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMEWARD_ENCRYPT_FILES", "true")
    result = runner.invoke(app, ["evidence", "verify"])
    assert result.exit_code == 2 and "HOMEWARD_FILE_KEY is missing" in result.output


def test_encrypted_store_round_trip_from_the_command_line(
    case_number: str, tmp_path: Path, env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = runner.invoke(app, ["evidence", "new-key"]).output.strip()
    monkeypatch.setenv("HOMEWARD_ENCRYPT_FILES", "true")
    monkeypatch.setenv("HOMEWARD_FILE_KEY", key)
    sha = _add(case_number, tmp_path)
    stored = Registry.open(Settings(data_dir=env.data_dir, database_url=env.database_url,
                                    encrypt_files=True, file_key=key))  # fmt: skip
    assert SCAN[:8] not in stored.files.path(sha).read_bytes()
    assert stored.files.read_bytes(sha) == SCAN
    stored.close()
    assert runner.invoke(app, ["evidence", "verify"]).exit_code == 0
