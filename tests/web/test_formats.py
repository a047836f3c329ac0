"""Dates and labels as people read them, in both languages; the serve command."""

from __future__ import annotations

import re
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


UKRAINIAN_PLURALS = {
    1: "1 запропонований збіг чекає на розгляд",
    2: "2 запропоновані збіги чекають на розгляд",
    5: "5 запропонованих збігів чекають на розгляд",
    11: "11 запропонованих збігів чекають на розгляд",
    21: "21 запропонований збіг чекає на розгляд",
    22: "22 запропоновані збіги чекають на розгляд",
    25: "25 запропонованих збігів чекають на розгляд",
}


@pytest.mark.parametrize(("n", "expected"), sorted(UKRAINIAN_PLURALS.items()))
def test_a_count_agrees_with_its_number_in_ukrainian(n: int, expected: str) -> None:
    text = Translator("uk").ngettext(
        "proposed match waits for review", "proposed matches wait for review", n
    )
    assert f"{n} {text}" == expected


def test_a_count_agrees_with_its_number_in_english() -> None:
    en = Translator("en")
    one, many = "{n} list draft awaits approval", "{n} list drafts await approval"
    assert en.ngettext(one, many, 1) == "1 list draft awaits approval"
    assert en.ngettext(one, many, 2) == "2 list drafts await approval"
    uk = Translator("uk")
    assert uk.ngettext("list draft awaits approval", "list drafts await approval", 3) == (
        "чернетки списків чекають на затвердження"
    )


def test_every_count_of_the_templates_has_each_ukrainian_plural_form() -> None:
    from babel import Locale

    from homeward.web.messages.core import PLURALS

    templates = Path(__file__).resolve().parents[2] / "src/homeward/web/templates"
    used = set()
    for path in templates.glob("*.html"):
        used |= {
            m.group(2) for m in re.finditer(r"""ngettext\(\s*(["'])(.+?)\1""", path.read_text())
        }
    assert "proposed match waits for review" in used
    forms = Locale.parse("uk").plural_form.tags | {"other"}
    missing = sorted(s for s in used if set(PLURALS.get(s, {})) != forms)
    assert not missing, f"no Ukrainian for every plural form of: {missing}"


def test_relationships_are_shown_in_the_reader_s_language() -> None:
    from homeward.domain.model import Relationship

    uk, en = Translator("uk"), Translator("en")
    assert uk.relationship("mother") == "Мати"
    assert uk.relationship(Relationship.FOSTER_PARENT) == "Прийомний батько або мати"
    assert en.relationship("foster_parent") == "Foster parent"
    for value in Relationship:
        assert uk.relationship(value) != en.relationship(value), value


def test_match_reasons_are_shown_in_the_reader_s_language() -> None:
    from homeward.linkage.scoring import FieldExplanation

    given = FieldExplanation(
        field="given_name", label="given name", value_a="Oleksandr", value_b="Олександр",
        level="equivalent", reason="same name (Олександр), Russian form", weight=6.24,
    )  # fmt: skip
    assert Translator("uk").describe(given) == (
        "Ім’я: Oleksandr ~ Олександр, те саме ім’я (Олександр), російська форма, +6.2"
    )
    assert Translator("en").describe(given) == (
        "Given name: Oleksandr ~ Олександр, same name (Олександр), Russian form, +6.2"
    )
    set_aside = FieldExplanation(
        field="family_name", label="family name", value_a="Коваленко", value_b="Коваленко",
        level="exact", reason="identical", weight=0.0, counted=False,
    )  # fmt: skip
    assert Translator("uk").describe(set_aside) == (
        "Прізвище: Коваленко, точний збіг, +0.0 "
        "(не враховано: імена різні, а в братів і сестер це спільне)"
    )
    assert Translator("uk").reason("birth date") == "дата народження"


def test_every_label_and_hint_of_the_report_form_has_its_ukrainian() -> None:
    from homeward.web.pages.reports import REPORT_FIELDS

    texts = {text for _, label, hint in REPORT_FIELDS for text in (label, hint) if text}
    assert "YYYY-MM-DD, or YYYY-MM, or YYYY" in texts
    assert sorted(texts - UKRAINIAN.keys()) == []
