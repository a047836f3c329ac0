"""The dependency audit's verdicts (``scripts/audit-deps.py``), on reports as
pip-audit writes them: an unexplained vulnerability fails the run, an explained
one is named and passes, and an audit that could not reach its data says so."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).parents[1] / "scripts" / "audit-deps.py"


@pytest.fixture
def audit(tmp_path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.EXPLAINED = tmp_path / "known-vulnerabilities.txt"
    return module


def answer(monkeypatch: pytest.MonkeyPatch, audit: ModuleType, report: Any) -> None:
    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        assert command[1:3] == ["-m", "pip_audit"]
        text = report if isinstance(report, str) else json.dumps(report)
        return subprocess.CompletedProcess(command, 1, stdout=text, stderr="")

    monkeypatch.setattr(audit.subprocess, "run", run)


VULNERABLE = {
    "dependencies": [
        {"name": "jinja2", "version": "3.1.2", "vulns": [
            {"id": "GHSA-h5c8-rqwp-cp95", "aliases": ["CVE-2024-22195"], "fix_versions": ["3.1.3"]}
        ]},
        {"name": "rapidfuzz", "version": "3.9.0", "vulns": []},
    ]
}  # fmt: skip


def test_an_unexplained_vulnerability_fails_the_audit(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answer(monkeypatch, audit, VULNERABLE)
    assert audit.main() == 1
    out = capsys.readouterr().out
    assert "UNEXPLAINED jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 fixed in 3.1.3" in out
    assert "2 packages audited, 0 not audited" in out


def test_a_vulnerability_explained_under_any_of_its_names_passes_and_is_named(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    audit.EXPLAINED.write_text(
        "# comment\nCVE-2024-22195 the xmlattr filter is never used with keys from users\n",
        encoding="utf-8",
    )
    answer(monkeypatch, audit, VULNERABLE)
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "explained: the xmlattr filter is never used" in out
    assert "UNEXPLAINED" not in out


def test_an_audit_that_reached_no_data_says_nothing_was_audited(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    skipped = {"dependencies": [
        {"name": "jinja2", "version": "3.1.2", "skip_reason": "could not reach the service"}
    ]}  # fmt: skip
    answer(monkeypatch, audit, skipped)
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "0 packages audited, 1 not audited" in out
    assert "nothing was audited" in out
    answer(monkeypatch, audit, "not json")
    assert audit.main() == 0
    assert "pip-audit gave no report" in capsys.readouterr().out
