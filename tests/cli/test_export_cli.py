"""``homeward export cases`` as an operator uses it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homeward.cli.main import app
from homeward.config import Settings
from homeward.services.registry_app import Registry
from tests.factories import make_child

runner = CliRunner()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_export_cases_by_status_to_the_format_of_the_file_name(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", settings.database_url)
    registry = Registry.open(settings)
    with registry.uow() as uow:
        make_child(uow, family_name="+Коваленко")
        uow.commit()
    registry.close()
    out = tmp_path / "reported.csv"
    result = runner.invoke(
        app, ["export", "cases", "--out", str(out), "--status", "reported", "--profile", "minimal"]
    )
    assert result.exit_code == 0, result.output
    assert "1 cases written" in result.output and "(csv, 7 columns)" in result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["family_name"] == "'+Коваленко"
    refused = runner.invoke(app, ["export", "cases", "--out", str(tmp_path / "x.pdf")])
    assert refused.exit_code == 1 and "format: one of csv, xlsx, json" in refused.output
