"""``homeward exchange`` as an operator uses it."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from homeward.cli.common import console
from homeward.cli.exchange import app
from homeward.config import Settings
from homeward.io.pfif import check_pfif, read_pfif
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow
from tests.factories import make_child

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", settings.database_url)
    monkeypatch.setattr(console, "width", 250)
    return settings


def _cases(settings: Settings) -> list[str]:
    registry = Registry.open(settings)
    try:
        with registry.uow() as uow:
            numbers = [
                make_child(uow, reporter_contact="+380991234567").case_number,
                make_child(uow, given_name="Ганна", sex="f", residence="Херсон").case_number,
            ]
            uow.commit()
    finally:
        registry.close()
    return numbers


def test_export_check_import_and_import_again(env: Settings, tmp_path: Path) -> None:
    _first, second = _cases(env)
    out = tmp_path / "cases.xml"
    exported = runner.invoke(app, ["pfif-export", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert "2 cases" in exported.output and "SHA-256" in exported.output
    assert check_pfif(out.read_bytes()) == []
    assert "+380991234567" not in out.read_text(encoding="utf-8")

    checked = runner.invoke(app, ["pfif-check", str(out), "--canonical-order"])
    assert checked.exit_code == 0 and "keeps the PFIF 1.4 rules" in checked.output

    one = tmp_path / "one.xml"
    chosen = runner.invoke(
        app, ["pfif-export", "-o", str(one), "--case", second, "--domain", "registry.example"]
    )
    assert chosen.exit_code == 0, chosen.output
    (person,) = read_pfif(one.read_bytes())
    assert person.fields["person_record_id"] == f"registry.example/{second}"

    imported = runner.invoke(app, ["pfif-import", str(out)])
    assert imported.exit_code == 0, imported.output
    assert "2 persons became records of source" in imported.output
    # the registry's own cases come back: each record finds its case
    assert "2 linked to cases, 0 queued for review" in imported.output
    again = runner.invoke(app, ["pfif-import", str(out)])
    assert again.exit_code == 0 and "nothing added" in again.output


def test_sensitive_export_is_kept_to_its_owner_and_audited(env: Settings, tmp_path: Path) -> None:
    _cases(env)
    out = tmp_path / "full.xml"
    result = runner.invoke(app, ["pfif-export", "--out", str(out), "--include-sensitive"])
    assert result.exit_code == 0, result.output
    assert "+380991234567" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    registry = Registry.open(env)
    try:
        with registry.uow(write=False) as uow:
            (entry,) = uow.session.scalars(
                select(AuditRow).where(AuditRow.action == "cases.export_pfif")
            ).all()
    finally:
        registry.close()
    assert entry.actor.startswith("cli:") and json.loads(entry.after or "{}")["sensitive"] is True


def test_errors_are_said_plainly(env: Settings, tmp_path: Path) -> None:
    _cases(env)
    missing = runner.invoke(app, ["pfif-export", "-o", str(tmp_path / "x.xml"), "-c", "HW-1999-1"])
    assert missing.exit_code == 1 and "no case numbered HW-1999-1" in missing.output
    assert not (tmp_path / "x.xml").exists()
    html = tmp_path / "page.xml"
    html.write_text("<html><body>list</body></html>", encoding="utf-8")
    refused = runner.invoke(app, ["pfif-import", str(html)])
    assert refused.exit_code == 1 and "not a PFIF document" in refused.output
    broken = runner.invoke(app, ["pfif-check", str(html)])
    assert broken.exit_code == 1 and "not a PFIF document" in broken.output
    nowhere = runner.invoke(app, ["stats", "--out", str(tmp_path / "no" / "s.csv")])
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.output


def test_stats_csv_with_hxl_and_json(env: Settings, tmp_path: Path) -> None:
    _cases(env)
    out = tmp_path / "stats.csv"
    result = runner.invoke(app, ["stats", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 children as of" in result.output
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[1][0] == "#meta+breakdown" and "#affected+children+num" in rows[1]
    counts = [r[7] for r in rows[2:]]
    assert "<5" in counts and "2" not in counts and "1" not in counts
    assert "Ганна" not in out.read_text(encoding="utf-8")

    plain = tmp_path / "plain.csv"
    runner.invoke(app, ["stats", "--out", str(plain), "--no-hxl", "--exact"])
    rows = list(csv.reader(plain.open(encoding="utf-8")))
    assert rows[1][0] == "total" and rows[1][7] == "2"
    assert stat.S_IMODE(plain.stat().st_mode) == 0o600

    as_json = tmp_path / "stats.json"
    done = runner.invoke(app, ["stats", "-o", str(as_json), "--format", "json"])
    assert done.exit_code == 0, done.output
    document = json.loads(as_json.read_text(encoding="utf-8"))
    assert document["total"] == [{"children": "<5"}]
