"""``homeward backup``, ``backup --verify``, ``restore`` and ``backup-keygen`` as
the register keeper uses them: escrow with a partner, restore on a new machine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homeward import crypto
from homeward.cli.main import app
from homeward.config import Settings
from homeward.services.registry_app import Registry
from tests.conftest import _database_url
from tests.core.test_backup import PASSPHRASE, dump, files_of, fill

runner = CliRunner()


def machine(settings: Settings) -> dict[str, str]:
    """The environment that points ``homeward`` at one registry."""
    return {
        "HOMEWARD_DATA_DIR": str(settings.data_dir),
        "HOMEWARD_DATABASE_URL": settings.database_url,
        "HOMEWARD_BACKUP_PASSPHRASE": "",
    }


@pytest.fixture
def filled(settings: Settings) -> Iterator[Registry]:
    registry = Registry.open(settings)
    fill(registry)
    yield registry
    registry.close()


@pytest.fixture
def new_machine(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Another machine: on SQLite no database file yet, on PostgreSQL an empty
    database; no file store."""
    base = tmp_path / "new-machine"
    if backend == "sqlite":
        yield Settings(data_dir=base, database_url=f"sqlite:///{tmp_path / 'new.sqlite3'}")
        return
    urls = _database_url(backend, request, tmp_path)
    yield Settings(data_dir=base, database_url=next(urls))
    next(urls, None)


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def nothing_written(settings: Settings) -> bool:
    if settings.database_url.startswith("sqlite"):
        database_absent = not Path(settings.database_url.removeprefix("sqlite:///")).exists()
    else:
        registry = Registry.open(settings)
        database_absent = not any(dump(registry).values())
        registry.close()
    return database_absent and not settings.resolved_files_dir().exists()


def test_keygen_keeps_the_secret_key_private_and_prints_the_public_one(tmp_path: Path) -> None:
    out = tmp_path / "partner.key"
    made = runner.invoke(app, ["backup-keygen", "--out", str(out)])
    assert made.exit_code == 0, made.output
    secret = out.read_text().strip()
    assert crypto.public_key_of(secret) in made.stdout.split()
    assert secret not in made.output
    assert oct(out.stat().st_mode)[-3:] == "600"
    again = runner.invoke(app, ["backup-keygen", "--out", str(out)])
    assert again.exit_code == 1 and "never overwritten" in again.output
    assert out.read_text().strip() == secret


def test_a_backup_needs_a_key_or_an_explicit_no_encryption(
    settings: Settings, filled: Registry, tmp_path: Path, passphrase_file: Path
) -> None:
    env = machine(settings)
    file = tmp_path / "registry.hwb"
    refused = runner.invoke(app, ["backup", str(file)], env=env)
    assert refused.exit_code == 1
    assert "--passphrase-file" in refused.output and "--no-encryption" in refused.output
    both = runner.invoke(
        app, ["backup", str(file), "--no-encryption", "--passphrase-file", str(passphrase_file)],
        env=env,
    )  # fmt: skip
    assert both.exit_code == 1 and "choose one" in both.output
    short = tmp_path / "short.txt"
    short.write_text("kyiv2026")
    weak = runner.invoke(app, ["backup", str(file), "--passphrase-file", str(short)], env=env)
    assert weak.exit_code == 1 and "too short" in weak.output
    assert list(tmp_path.glob("*.hwb")) == [] and list(tmp_path.glob(".*")) == []
    plain = runner.invoke(app, ["backup", str(file), "--no-encryption"], env=env)
    assert plain.exit_code == 0, plain.output
    assert "NOT ENCRYPTED" in plain.stdout and "not encrypted" in plain.output
    checked = runner.invoke(app, ["backup", "--verify", str(file)], env=env)
    assert checked.exit_code == 0 and "NOT encrypted" in checked.stdout


def test_backup_verify_and_restore_on_a_new_machine(
    settings: Settings,
    filled: Registry,
    new_machine: Settings,
    tmp_path: Path,
    passphrase_file: Path,
) -> None:
    before = dump(filled)
    file = tmp_path / "registry.hwb"
    made = runner.invoke(
        app, ["backup", str(file), "--passphrase-file", str(passphrase_file)], env=machine(settings)
    )
    assert made.exit_code == 0, made.output
    rows = sum(len(v) for v in before.values())
    assert f"{rows:,} rows, 3 files" in made.stdout and "encrypted for a passphrase" in made.stdout
    again = runner.invoke(
        app, ["backup", str(file), "--passphrase-file", str(passphrase_file)], env=machine(settings)
    )
    assert again.exit_code == 1 and "never overwrites" in again.output

    elsewhere = machine(new_machine) | {"HOMEWARD_BACKUP_PASSPHRASE": PASSPHRASE}
    checked = runner.invoke(app, ["backup", "--verify", str(file)], env=elsewhere)
    assert checked.exit_code == 0, checked.output
    assert f"a sound Homeward backup of {rows:,} rows and 3 files" in checked.stdout
    no_key = runner.invoke(app, ["backup", "--verify", str(file)], env=machine(new_machine))
    assert no_key.exit_code == 1 and "encrypted; give --passphrase-file" in no_key.output

    restored = runner.invoke(app, ["restore", str(file)], env=elsewhere)
    assert restored.exit_code == 0, restored.output
    assert f"restored {rows:,} rows and 3 files" in restored.stdout
    target = Registry.open(new_machine)
    try:
        after = dump(target)
        assert {k: v for k, v in after.items() if k != "audit_log"} == {
            k: v for k, v in before.items() if k != "audit_log"
        }
        assert after["audit_log"][: len(before["audit_log"])] == before["audit_log"]
        assert files_of(target) == files_of(filled)
    finally:
        target.close()
    refused = runner.invoke(app, ["restore", str(file)], env=elsewhere)
    assert refused.exit_code == 1 and "--yes" in refused.output
    forced = runner.invoke(app, ["restore", str(file), "--force"], env=elsewhere)
    assert forced.exit_code == 0 and "3 there already" in forced.stdout
    assert runner.invoke(app, ["audit", "verify"], env=elsewhere).exit_code == 0


def test_a_wrong_passphrase_restores_nothing(
    settings: Settings, filled: Registry, new_machine: Settings, tmp_path: Path
) -> None:
    file = tmp_path / "registry.hwb"
    env = machine(settings) | {"HOMEWARD_BACKUP_PASSPHRASE": PASSPHRASE}
    assert runner.invoke(app, ["backup", str(file)], env=env).exit_code == 0
    wrong = machine(new_machine) | {"HOMEWARD_BACKUP_PASSPHRASE": PASSPHRASE.upper()}
    result = runner.invoke(app, ["restore", str(file)], env=wrong)
    assert result.exit_code == 1
    assert f"{file}: the passphrase is wrong" in result.output
    assert nothing_written(new_machine)
    verify = runner.invoke(app, ["backup", "--verify", str(file)], env=wrong)
    assert verify.exit_code == 1 and "the passphrase is wrong" in verify.output


def test_a_backup_for_a_partner_opens_only_with_their_secret_key(
    settings: Settings, filled: Registry, new_machine: Settings, tmp_path: Path
) -> None:
    partner_key, other_key = tmp_path / "partner.key", tmp_path / "other.key"
    public = runner.invoke(app, ["backup-keygen", "--out", str(partner_key)]).stdout.strip()
    assert runner.invoke(app, ["backup-keygen", "--out", str(other_key)]).exit_code == 0
    file = tmp_path / "escrow.hwb"
    made = runner.invoke(app, ["backup", str(file), "--recipient", public], env=machine(settings))
    assert made.exit_code == 0 and "encrypted for 1 public key" in made.stdout, made.output
    elsewhere = machine(new_machine)
    other = runner.invoke(
        app, ["backup", "--verify", str(file), "--identity", str(other_key)], env=elsewhere
    )
    assert other.exit_code == 1 and "not one this was encrypted for" in other.output
    by_passphrase = runner.invoke(
        app, ["restore", str(file)], env=elsewhere | {"HOMEWARD_BACKUP_PASSPHRASE": PASSPHRASE}
    )
    assert by_passphrase.exit_code == 1 and "opened with a secret key" in by_passphrase.output
    assert nothing_written(new_machine)
    restored = runner.invoke(app, ["restore", str(file), "--identity", str(partner_key)],
                             env=elsewhere)  # fmt: skip
    assert restored.exit_code == 0, restored.output
    target = Registry.open(new_machine)
    try:
        assert files_of(target) == files_of(filled)
        assert dump(target)["children"] == dump(filled)["children"]
    finally:
        target.close()


def test_verify_names_a_changed_byte_and_a_cut(
    settings: Settings, filled: Registry, tmp_path: Path, passphrase_file: Path
) -> None:
    file = tmp_path / "registry.hwb"
    env = machine(settings)
    args = ["--passphrase-file", str(passphrase_file)]
    assert runner.invoke(app, ["backup", str(file), *args], env=env).exit_code == 0
    data = file.read_bytes()
    changed = bytearray(data)
    changed[len(data) // 2] ^= 0x40
    file.write_bytes(bytes(changed))
    result = runner.invoke(app, ["backup", "--verify", str(file), *args], env=env)
    assert result.exit_code == 1
    chunk = (len(data) // 2 - data.index(b"\n---") - 66) // (crypto.CHUNK + crypto.TAG)
    assert f"{file}: the backup is damaged or incomplete: chunk {chunk} was changed" in (
        result.output
    )
    file.write_bytes(data[: len(data) - 1000])
    cut = runner.invoke(app, ["backup", "--verify", str(file), *args], env=env)
    assert cut.exit_code == 1 and "cut short" in cut.output
    os.remove(file)
    missing = runner.invoke(app, ["backup", "--verify", str(file), *args], env=env)
    assert missing.exit_code == 1 and "no such file" in missing.output
