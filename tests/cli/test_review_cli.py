"""``homeward review`` and ``homeward match train`` as an operator uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from homeward.cli.main import app
from homeward.config import Settings
from homeward.linkage.model import MatchModel
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow, ChildRow
from tests.core.test_review import RUSSIAN
from tests.factories import make_child

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", settings.database_url)
    return settings


def _two_cases_of_one_child(settings: Settings) -> tuple[str, str]:
    registry = Registry.open(settings)
    try:
        with registry.uow() as uow:
            older, newer = make_child(uow), make_child(uow, **RUSSIAN)
            make_child(uow, given_name="Марія", sex="f", birth_date="2015-07-21")
            uow.commit()
            return older.case_number, newer.case_number
    finally:
        registry.close()


def test_scan_list_show_accept_undo(env: Settings) -> None:
    older, newer = _two_cases_of_one_child(env)
    scanned = runner.invoke(app, ["review", "scan", "-q"])
    assert scanned.exit_code == 0, scanned.output
    assert "3 records" in scanned.output and "1 queued for review" in scanned.output

    listed = runner.invoke(app, ["review", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    item = json.loads(listed.output)
    assert (item["case_number"], item["other_case_number"]) == (older, newer)
    assert item["status"] == "pending" and item["match_probability"] > 0.9

    shown = runner.invoke(app, ["review", "show", str(item["id"])])
    assert shown.exit_code == 0, shown.output
    assert "Александр" in shown.output and "Олександр" in shown.output
    assert "same name" in shown.output

    no_reason = runner.invoke(app, ["review", "accept", str(item["id"])])
    assert no_reason.exit_code != 0
    accepted = runner.invoke(
        app, ["review", "accept", str(item["id"]), "--reason", "same boy", "--keep", newer]
    )
    assert accepted.exit_code == 0, accepted.output
    assert "accepted" in accepted.output
    again = runner.invoke(app, ["review", "reject", str(item["id"]), "-r", "no"])
    assert again.exit_code == 1 and "already accepted" in again.output

    registry = Registry.open(env)
    try:
        with registry.uow(write=False) as uow:
            merged = uow.session.scalar(select(ChildRow).where(ChildRow.case_number == older))
            assert merged is not None and merged.status == "merged"
            actors = set(uow.session.scalars(select(AuditRow.actor).where(
                AuditRow.action == "match.accept:update")))  # fmt: skip
        assert len(actors) == 1 and next(iter(actors)).startswith("cli:")
    finally:
        registry.close()

    undone = runner.invoke(app, ["review", "undo", str(item["id"]), "-r", "two boys"])
    assert undone.exit_code == 0 and "pending again" in undone.output
    summary = runner.invoke(app, ["review", "list"])
    assert "1 pending" in summary.output


def test_match_train_writes_a_model_the_scan_can_use(env: Settings, tmp_path: Path) -> None:
    _two_cases_of_one_child(env)
    out = tmp_path / "registry-model.json"
    trained = runner.invoke(app, ["match", "train", "--out", str(out)])
    assert trained.exit_code == 0, trained.output
    model = MatchModel.load(out)
    assert model.trained  # it says what it was trained on
    scanned = runner.invoke(app, ["review", "scan", "-q", "--model", str(out)])
    assert scanned.exit_code == 0, scanned.output
