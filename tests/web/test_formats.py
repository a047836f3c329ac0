"""Dates and labels as people read them, in both languages; the serve command."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from homeward.config import Settings
from homeward.web.i18n import Translator
from homeward.web.messages import UKRAINIAN


def plain(text: str) -> str:
    """CLDR writes narrow no-break spaces where the eye sees spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_times_are_shown_in_kyiv_time_in_the_reader_s_language() -> None:
    noon_utc = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert plain(Translator("uk").when(noon_utc)) == "25 лист. 2026 р., 14:00"
    assert plain(Translator("en").when(noon_utc)) == "Nov 25, 2026, 2:00 PM"


def test_partial_dates_keep_their_precision() -> None:
    uk = Translator("uk")
    assert plain(uk.day("2012-03-04")) == "4 березня 2012 р."
    assert plain(uk.day("2012-03")) == "березень 2012 р."
    assert uk.day("2012") == "2012"
    assert Translator("en").day("2012-03") == "March 2012"


def test_statuses_and_categories_are_translated() -> None:
    assert Translator("uk").status("under_verification") == "На перевірці"
    assert Translator("en").status("under_verification") == "Under verification"
    assert Translator("uk").category("deported") == "Депортовано"
    for label in ("Reported", "Verified", "Deported", "Case worker", "Waiting"):
        assert label in UKRAINIAN


def test_serve_runs_the_web_app_with_the_host_and_port_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    from homeward.cli import web
    from homeward.services.registry_app import Registry

    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", "")
    Registry.open(Settings(), migrate_schema=True).close()
    seen: dict[str, Any] = {}

    def run(app: Any, **options: Any) -> None:
        seen.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", run)
    web.serve(host="0.0.0.0", port=8123, forwarded_allow_ips="10.0.0.1")
    assert isinstance(seen["app"], FastAPI)
    assert (seen["host"], seen["port"], seen["forwarded_allow_ips"]) == (
        "0.0.0.0",
        8123,
        "10.0.0.1",
    )
