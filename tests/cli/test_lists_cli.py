"""``homeward lists`` from composing to a file anyone can check."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homeward.cli.common import console
from homeward.cli.main import app
from homeward.config import Settings
from homeward.domain.roles import Actor, Role
from homeward.services import lists
from homeward.services.registry_app import Registry
from tests.core.test_lists import _children

runner = CliRunner()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_compose_approve_freeze_export_verify(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", settings.database_url)
    monkeypatch.setattr(console, "width", 250)
    registry = Registry.open(settings)
    _children(registry)
    registry.close()
    created = runner.invoke(app, [
        "lists", "create", "--title", "Round 3", "--purpose", "located in Russia",
        "--channel", "mediator", "--recipient", "Mediator's office", "--located-in-russia",
    ])  # fmt: skip
    assert created.exit_code == 0 and "list 1 created" in created.output
    shown = runner.invoke(app, ["lists", "show", "1"])
    assert "2 entries" in shown.output and "1 without a legal representative" in shown.output
    refused = runner.invoke(app, ["lists", "field", "1", "notes", "--justification", "x"])
    assert refused.exit_code == 1 and "can never be on a handover list" in refused.output
    own = runner.invoke(app, ["lists", "approve", "1", "--accept-without-representative"])
    assert own.exit_code == 1 and "someone other than its author" in own.output
    # A verifier signed in elsewhere approves (the command line acts as its operator).
    registry = Registry.open(settings)
    with registry.uow(Actor(username="iryna", role=Role.VERIFIER)) as uow:
        lists.approve(uow, 1, accept_without_representative=True)
        uow.commit()
    registry.close()
    frozen = runner.invoke(app, ["lists", "freeze", "1"])
    assert frozen.exit_code == 0 and "2 entries, sha256" in frozen.output
    out = tmp_path / "round3.json"
    assert runner.invoke(app, ["lists", "export", "1", "1", "--out", str(out)]).exit_code == 0
    key = runner.invoke(app, ["lists", "public-key"]).output.split()[0]
    ok = runner.invoke(app, ["lists", "verify", str(out), "--public-key", key])
    assert ok.exit_code == 0 and "verified: 2 entries" in ok.output
    document = json.loads(out.read_text(encoding="utf-8"))
    document["content"] = document["content"].replace('"entry_number":2', '"entry_number":3')
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    broken = runner.invoke(app, ["lists", "verify", str(out), "--public-key", key])
    assert broken.exit_code == 1 and "content was changed" in broken.output
    delivered = runner.invoke(app, [
        "lists", "deliver", "1", "1", "--on", "2026-11-20", "--recipient", "Mediator",
        "--channel", "in person",
    ])  # fmt: skip
    assert delivered.exit_code == 0
    answered = runner.invoke(app, [
        "lists", "answer", "1", "1", "1", "returned", "--on", "2026-11-22", "--source", "reply",
    ])  # fmt: skip
    assert answered.exit_code == 0 and "confirm it with homeward lists confirm 1" in answered.output
    tally = runner.invoke(app, ["lists", "tally", "1", "1", "--out", str(tmp_path / "t.csv")])
    assert "of 2: " in tally.output and "returned 1" in tally.output
    with (tmp_path / "t.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["answer"] for r in rows if r["entry_number"]] == ["returned", "no_answer"]
    assert runner.invoke(app, ["lists", "new-version", "1"]).exit_code == 0
    diff = runner.invoke(app, ["lists", "diff", "1", "1"])
    assert diff.exit_code == 0 and "added: -" in diff.output
