"""The public pages (report form, figures), the triage queue and the statistics
pages: what a family, a bot, a case worker and an analyst each get."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from homeward.domain.model import SourceKind
from homeward.domain.roles import PERMISSIONS, Permission, Role
from homeward.services import triage
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow, RecordRow, SourceRow
from homeward.web.pages.statistics import StatisticsCache
from homeward.web.ratelimit import DAY, HOUR, AddressEvents, RateLimit, Window
from tests.factories import make_child
from tests.web.conftest import REPORTER, World, csrf_of, sign_in

CHILD = {"family_name": "Тихолаз", "given_name": "Ярополк", "birth_date": "03.05.2013"}
"""A child's name found nowhere else: wherever it shows up, it leaked."""
FAMILY = {
    "reporter_name": "Тихолаз Оксана",
    "reporter_relationship": "mother",
    "reporter_contact": "+380 97 765 43 21",
    "last_known_location": "Донецьк, школа-інтернат № 2",
}


def _report(client: TestClient, **extra: str) -> tuple[int, str]:
    token = csrf_of(client.get("/report").text)
    data = {**CHILD, **FAMILY, "consent": "yes", "csrf_token": token, **extra}
    answer = client.post("/report", data=data)
    return answer.status_code, answer.text


def _public_records(world: World) -> list[RecordRow]:
    with world.registry.uow(write=False) as uow:
        query = (
            select(RecordRow)
            .join(SourceRow, RecordRow.source_id == SourceRow.id)
            .where(SourceRow.kind == SourceKind.PUBLIC_REPORT.value)
            .order_by(RecordRow.id)
        )
        return list(uow.session.scalars(query))


def _audit_count(world: World, **where: str) -> int:
    with world.registry.uow(write=False) as uow:
        query = select(func.count()).select_from(AuditRow)
        for column, value in where.items():
            query = query.where(getattr(AuditRow, column) == value)
        return int(uow.session.scalar(query) or 0)


def test_a_family_s_report_waits_in_triage_and_is_shown_nowhere_public(
    app_client: TestClient, world: World
) -> None:
    status, thanks = _report(app_client)
    assert status == 200
    [record] = _public_records(world)
    assert record.external_id is not None and record.external_id in thanks
    assert record.child_id is None and record.family_name == "Тихолаз"
    assert record.raw["reporter_relationship"] == "mother" and record.raw["consent"] == "given"
    assert _audit_count(world, actor="public-form", action="record.register:insert") == 1
    for page in (thanks, app_client.get("/public/statistics").text, app_client.get("/report").text):
        assert "Тихолаз" not in page and "765 43 21" not in page  # no data given back
    assert app_client.get("/triage").status_code == 303  # signed out: off to sign in
    sign_in(app_client, world, "case_worker")
    queue = app_client.get("/triage")
    assert queue.status_code == 200
    assert record.external_id in queue.text and "Тихолаз Ярополк" in queue.text
    opened = app_client.get(f"/triage/{record.id}")
    assert "+380 97 765 43 21" in opened.text and "Донецьк" in opened.text
    assert _audit_count(world, actor="case_worker", action="records.triage_view") == 1


@pytest.mark.parametrize("role", ["partner", "verifier"])
def test_roles_that_do_not_triage_are_refused(
    app_client: TestClient, world: World, role: str
) -> None:
    with world.registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        received = triage.receive_public_report(uow, {**CHILD, **FAMILY}, consent=True)
        uow.commit()
    sign_in(app_client, world, role)
    for path in ("/triage", f"/triage/{received.record_id}"):
        answer = app_client.get(path)
        assert answer.status_code == 403, (role, path)
        assert "Тихолаз" not in answer.text and "765 43 21" not in answer.text


def test_the_sixth_report_from_one_address_within_the_hour_is_refused(
    app_client: TestClient, world: World
) -> None:
    for _ in range(5):
        assert _report(app_client)[0] == 200
    token = csrf_of(app_client.get("/report").text)
    refused = app_client.post("/report", data={**CHILD, **FAMILY, "consent": "yes",
                                               "csrf_token": token})  # fmt: skip
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3000  # the first report leaves the hour
    assert "Too many reports" in refused.text or "Забагато повідомлень" in refused.text
    assert len(_public_records(world)) == 5


def test_a_bot_s_report_is_dropped_and_a_broken_one_is_shown_again(
    app_client: TestClient, world: World
) -> None:
    status, page = _report(app_client, website="http://cheap-pills.example")
    assert status == 200 and "Дякуємо" in page  # the bot learns nothing
    assert _public_records(world) == []
    status, page = _report(app_client, consent="", given_name="Я" * 101, birth_date="31.02.2013")
    assert status == 422
    assert 'href="#f-given_name"' in page and 'href="#f-consent"' in page
    assert 'href="#f-birth_date"' in page and 'aria-invalid="true"' in page
    assert 'value="Тихолаз"' in page  # what was typed is kept
    assert _public_records(world) == []
    oversized = app_client.post(
        "/report", content=b"x" * 200_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert oversized.status_code == 413


def test_triage_links_opens_and_rejects_each_decision_audited(
    app_client: TestClient, world: World
) -> None:
    kovalenko = {"family_name": "Коваленко", "given_name": "Олександр", "birth_date": "2012-03-04",
                 "sex": "m", **FAMILY}  # fmt: skip
    with world.registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        received = [
            triage.receive_public_report(uow, values, consent=True)
            for values in (kovalenko, {**CHILD, **FAMILY}, {**CHILD, **FAMILY, "notes": "test"})
        ]
        uow.commit()
    linked_id, new_id, spam_id = (r.record_id for r in received)
    sign_in(app_client, world, "case_worker")
    page = app_client.get(f"/triage/{linked_id}")
    assert world.child_number in page.text  # the child the report describes is offered
    token = csrf_of(page.text)
    child_id = page.text.split('name="child_id" value="')[1].split('"')[0]
    linked = app_client.post(
        f"/triage/{linked_id}/link",
        data={
            "child_id": child_id,
            "reason": "his mother's report",
            "csrf_token": token,
        },
    )
    assert linked.headers["location"] == f"/cases/{world.child_number}"
    twice = app_client.get(f"/triage/{new_id}").text
    assert f'href="/triage/{spam_id}"' in twice and received[2].reference in twice
    opened = app_client.post(
        f"/triage/{new_id}/new-case",
        data={"category": "deported", "reason": "no case yet", "csrf_token": token},
    )
    assert opened.status_code == 303 and opened.headers["location"] != linked.headers["location"]
    no_reason = app_client.post(f"/triage/{spam_id}/reject", data={"csrf_token": token})
    assert no_reason.status_code == 422
    rejected = app_client.post(
        f"/triage/{spam_id}/reject", data={"reason": "a test by the sender", "csrf_token": token}
    )
    assert rejected.headers["location"] == "/triage"
    queue = app_client.get("/triage").text
    assert 'href="/triage/' not in queue and "a test by the sender" in queue
    again = app_client.post(
        f"/triage/{linked_id}/reject", data={"reason": "too late", "csrf_token": token}
    )
    assert again.status_code == 409
    by_id = {r.id: r for r in _public_records(world)}
    assert by_id[linked_id].child_id is not None and by_id[new_id].child_id is not None
    assert by_id[spam_id].child_id is None  # rejected, yet kept
    for action in ("triage.link", "triage.open_case", "triage.reject:insert"):
        assert _audit_count(world, actor="case_worker", action=action) == 1, action


def test_public_figures_hide_small_counts_and_every_name(
    app_client: TestClient, world: World
) -> None:
    with world.registry.uow() as uow:
        make_child(uow, **{**CHILD, "birth_date": "2013-05-03"}, reporter_name=REPORTER)
        uow.commit()
    page = app_client.get("/public/statistics")
    assert page.status_code == 200
    assert "&lt;5" in page.text  # three children: every count is small
    download = app_client.get("/public/statistics.csv")
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text)))
    assert rows[1][rows[0].index("Children")] == "#affected+children+num"  # HXL
    assert {r[rows[0].index("Children")] for r in rows[2:]} <= {"<5", "0"}
    for text in (page.text, download.text):
        for name in ("Тихолаз", "Ярополк", "Коваленко", "Шевченко", REPORTER):
            assert name not in text
    with world.registry.uow() as uow:
        for _ in range(5):
            make_child(uow)
        uow.commit()
    # Computed at most every few minutes, however many ask: the same as-of time.
    assert app_client.get("/public/statistics").text == page.text


def test_the_statistics_page_draws_charts_for_an_analyst(
    app_client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app_client.get("/statistics").status_code == 303  # signed out: off to sign in
    sign_in(app_client, world, "analyst")
    page = app_client.get("/statistics")
    assert page.status_code == 200
    # category, status, oblast; no child has returned yet, so no chart of returns
    assert page.text.count('<svg class="chart" role="img"') == 3
    assert "<title id=" in page.text and '<table class="stat-table">' in page.text
    assert "style=" not in page.text and "<script>" not in page.text
    as_json = app_client.get("/statistics.json")
    assert as_json.json()["category"][0]["children"] in ("<5", 0)
    assert app_client.get("/statistics.csv").text.splitlines()[1].startswith("#meta+breakdown")
    monkeypatch.setitem(
        PERMISSIONS, Role.ANALYST, PERMISSIONS[Role.ANALYST] - {Permission.READ_STATISTICS}
    )
    for path in ("/statistics", "/statistics.csv", "/statistics.json"):
        assert app_client.get(path).status_code == 403, path


def test_a_rate_limit_counts_each_window_apart(registry: Registry) -> None:
    now = [0.0]
    events = AddressEvents(registry.engine, b"k" * 32)
    limit = RateLimit(events, "test", [Window(HOUR, 2), Window(DAY, 3)], clock=lambda: now[0])
    limit.hit("a")
    limit.hit("a")
    assert limit.retry_after("a") == 3601 and limit.retry_after("b") == 0
    now[0] = HOUR + 1
    assert limit.retry_after("a") == 0
    limit.hit("a")
    assert limit.retry_after("a") == int(DAY - HOUR - 1) + 1  # the day's three are used


def test_the_public_figures_are_computed_again_after_the_cache_expires() -> None:
    now = [0.0]
    computed: list[float] = []
    cache = StatisticsCache(seconds=300, clock=lambda: now[0])

    def compute() -> object:
        computed.append(now[0])
        return now[0]

    for moment in (0.0, 299.0, 300.0, 301.0):
        now[0] = moment
        cache.get(compute)  # type: ignore[arg-type]
    assert computed == [0.0, 300.0]
