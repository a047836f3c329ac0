"""``homeward demo`` builds a registry a person can look around in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from homeward.cli.main import app
from homeward.config import Settings
from homeward.services import audit_trail, evidence
from homeward.services.registry_app import Registry
from homeward.storage.tables import ChildRow, RecordRow, UserRow


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_demo_builds_a_separate_registry_with_every_role(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("HOMEWARD_DATABASE_URL", raising=False)
    served: list[int] = []
    monkeypatch.setattr(
        "homeward.cli.demo.run_app", lambda config, port: served.append(port)
    )  # the web app itself is tested in tests/web
    result = CliRunner().invoke(app, ["demo", "--children", "40", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "demo registry: 40 cases" in result.output and served == [8123]
    assert "verifier" in result.output and "demo-password-2026" in result.output
    demo = Registry.open(Settings(data_dir=settings.data_dir / "demo"))
    try:
        with demo.uow(write=False) as uow:
            s = uow.session
            assert s.scalar(select(func.count()).select_from(ChildRow)) == 40
            records = s.scalar(select(func.count()).select_from(RecordRow)) or 0
            unlinked = s.scalar(
                select(func.count()).select_from(RecordRow).where(RecordRow.child_id.is_(None))
            )
            roles = set(s.scalars(select(UserRow.role)))
            scripts = {r.given_name for r in s.scalars(select(RecordRow)) if r.given_name}
        assert records > 60 and unlinked
        assert roles == {"admin", "case_worker", "verifier", "analyst", "partner", "auditor"}
        assert any(n.isascii() for n in scripts) and any(not n.isascii() for n in scripts)
        assert audit_trail.verify_audit(demo).ok
        with demo.uow(write=False) as uow:
            ids = list(uow.session.scalars(select(ChildRow.id)))
            readiness = evidence.readiness_of(uow, ids)
            documents = [d for i in ids for d in evidence.case_documents(uow, i)]
        # cases on their way home carry (synthetic) scans of their papers
        assert documents and all(demo.files.check(d.sha256) is None for d in documents)
        assert {d.kind for d in documents} >= {"birth_certificate"}
        assert any(r.ready for r in readiness.values()) or any(
            "birth_certificate" not in r.missing for r in readiness.values()
        )
        assert evidence.verify_store(demo).ok and audit_trail.verify_rows(demo) == []
    finally:
        demo.close()
