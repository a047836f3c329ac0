"""The JSON API: bearer tokens, every route for every role, errors as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from homeward.services import signin
from tests.web.conftest import (
    RELATIVE_PHONE,
    REPORTER,
    REPORTER_CONTACT,
    ROLES,
    World,
    api_token,
    sign_in,
)

READERS = {"admin", "case_worker", "verifier", "analyst", "partner"}
REVIEWERS = {"case_worker", "verifier"}
REPORTERS = {"case_worker", "partner"}
SENSITIVE_READERS = {"case_worker", "verifier"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_openapi_description_names_every_route(app_client: TestClient) -> None:
    spec = app_client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/search", "/cases", "/cases/{case_number}", "/reports",
                 "/reports/{record_id}/link", "/reports/{record_id}/case", "/review",
                 "/review/{candidate_id}", "/review/{candidate_id}/decision", "/statistics",
                 "/cases/{case_number}/status"):  # fmt: skip
        assert path in spec["paths"], path


def test_no_token_or_a_revoked_one_answers_401(app_client: TestClient, world: World) -> None:
    assert app_client.get("/api/v1/cases").status_code == 401
    assert app_client.get("/api/v1/cases", headers=bearer("nonsense")).status_code == 401
    token = api_token(world, "analyst")
    assert app_client.get("/api/v1/cases", headers=bearer(token)).status_code == 200
    with world.registry.uow(write=False) as uow:
        user = uow.repos.users.by_username("analyst")
        assert user is not None
        actor = signin.actor_of(user)
    with world.registry.uow(actor) as uow:
        [row] = signin.api_tokens(uow)
        signin.revoke_api_token(uow, row.id)
        uow.commit()
    answer = app_client.get("/api/v1/cases", headers=bearer(token))
    assert answer.status_code == 401
    assert answer.json()["error"]


def test_tokens_are_stored_hashed(world: World) -> None:
    token = api_token(world, "verifier")
    with world.registry.uow(write=False) as uow:
        from sqlalchemy import select

        from homeward.storage.tables import ApiTokenRow

        stored = list(uow.session.scalars(select(ApiTokenRow.token_hash)))
    assert stored == [signin.hash_token(token)]


def _routes(world: World) -> list[tuple[str, str, dict[str, Any] | None, set[str], int]]:
    """(method, path, body, roles allowed, status when allowed)."""
    return [
        ("GET", "/api/v1/search?q=Kovalenko", None, READERS, 200),
        ("GET", "/api/v1/cases", None, READERS, 200),
        ("GET", f"/api/v1/cases/{world.child_number}", None, READERS - {"partner"}, 200),
        ("GET", f"/api/v1/cases/{world.partner_child_number}", None, READERS, 200),
        ("GET", "/api/v1/review", None, REVIEWERS, 200),
        ("GET", "/api/v1/statistics", None, {r.value for r in ROLES}, 200),
        ("GET", f"/api/v1/review/{world.candidate_id}", None, REVIEWERS, 200),
        ("POST", "/api/v1/reports", {"given_name": "Ганна", "family_name": "Бойко"},
         REPORTERS, 201),
    ]  # fmt: skip


@pytest.mark.parametrize("role", [r.value for r in ROLES])
def test_every_route_answers_each_role_as_its_permissions_say(
    app_client: TestClient, world: World, role: str
) -> None:
    headers = bearer(api_token(world, role))
    for method, path, body, allowed, status in _routes(world):
        answer = app_client.request(method, path, json=body, headers=headers)
        if role in allowed:
            assert answer.status_code == status, (role, path, answer.text)
        elif role == "partner" and path.startswith("/api/v1/cases/"):
            assert answer.status_code == 404, (role, path)
        else:
            assert answer.status_code == 403, (role, path, answer.status_code)
        assert answer.headers["content-type"].startswith("application/json")
        if role not in SENSITIVE_READERS:
            for secret in (REPORTER, REPORTER_CONTACT, RELATIVE_PHONE, "seen in Anapa"):
                assert secret not in answer.text, (role, path, secret)


def test_a_case_worker_receives_the_reporter_and_contacts(
    app_client: TestClient, world: World
) -> None:
    headers = bearer(api_token(world, "case_worker"))
    case = app_client.get(f"/api/v1/cases/{world.child_number}", headers=headers).json()
    assert case["records"][0]["reporter_name"] == REPORTER
    assert case["relatives"][0]["phone"] == RELATIVE_PHONE
    analyst = bearer(api_token(world, "analyst"))
    seen = app_client.get(f"/api/v1/cases/{world.child_number}", headers=analyst).json()
    assert "reporter_name" not in seen["records"][0] and "phone" not in seen["relatives"][0]


def test_search_finds_the_cyrillic_child_from_latin_letters(
    app_client: TestClient, world: World
) -> None:
    headers = bearer(api_token(world, "analyst"))
    found = app_client.get(
        "/api/v1/search", params={"q": "Aleksandr Kovalenko"}, headers=headers
    ).json()["items"]
    assert found[0]["case_number"] == world.child_number
    assert found[0]["name"].startswith("Коваленко Олександр")
    assert any(f["field"] == "given_name" for f in found[0]["fields"])


def test_cases_come_page_by_page(app_client: TestClient, world: World) -> None:
    headers = bearer(api_token(world, "verifier"))
    first = app_client.get("/api/v1/cases?limit=1", headers=headers).json()
    second = app_client.get("/api/v1/cases?limit=1&offset=1", headers=headers).json()
    assert first["total"] == second["total"] == 2
    assert [len(first["items"]), len(second["items"])] == [1, 1]
    assert first["items"][0]["case_number"] != second["items"][0]["case_number"]
    partner = bearer(api_token(world, "partner"))
    theirs = app_client.get("/api/v1/cases", headers=partner).json()
    assert [i["case_number"] for i in theirs["items"]] == [world.partner_child_number]


def test_a_report_brings_candidates_back_and_is_linked(
    app_client: TestClient, world: World
) -> None:
    headers = bearer(api_token(world, "case_worker"))
    taken = app_client.post(
        "/api/v1/reports",
        json={"given_name": "Oleksandr", "family_name": "Kovalenko", "birth_date": "2012-03-04"},
        headers=headers,
    )
    assert taken.status_code == 201
    body = taken.json()
    assert body["candidates"][0]["case_number"] == world.child_number
    linked = app_client.post(
        f"/api/v1/reports/{body['record_id']}/link",
        json={"case_number": world.child_number, "reason": "same boy, same mother"},
        headers=headers,
    )
    assert linked.status_code == 200 and linked.json()["case_number"] == world.child_number
    again = app_client.post(
        f"/api/v1/reports/{body['record_id']}/case",
        json={"category": "missing"},
        headers=headers,
    )
    assert again.status_code == 409 and "already in a case" in again.json()["error"]


def test_a_report_can_open_a_case_of_its_own(app_client: TestClient, world: World) -> None:
    headers = bearer(api_token(world, "partner"))
    taken = app_client.post("/api/v1/reports", json={"given_name": "Ганна"}, headers=headers)
    opened = app_client.post(
        f"/api/v1/reports/{taken.json()['record_id']}/case",
        json={"category": "deported", "reason": "no case describes her"},
        headers=headers,
    )
    assert opened.status_code == 201
    number = opened.json()["case_number"]
    assert app_client.get(f"/api/v1/cases/{number}", headers=headers).status_code == 200


def test_a_review_decision_changes_the_queue(app_client: TestClient, world: World) -> None:
    headers = bearer(api_token(world, "case_worker"))
    queue = app_client.get("/api/v1/review", headers=headers).json()
    assert queue["total"] == 1 and queue["items"][0]["id"] == world.candidate_id
    version = queue["items"][0]["version"]
    decided = app_client.post(
        f"/api/v1/review/{world.candidate_id}/decision",
        json={"action": "accept", "reason": "same boy", "version": version},
        headers=headers,
    )
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    assert app_client.get("/api/v1/review", headers=headers).json()["total"] == 0
    case = app_client.get(f"/api/v1/cases/{world.child_number}", headers=headers).json()
    assert len(case["records"]) == 2
    stale = app_client.post(
        f"/api/v1/review/{world.candidate_id}/decision",
        json={"action": "reject", "reason": "second thoughts", "version": version},
        headers=headers,
    )
    assert stale.status_code == 409


def test_errors_are_json_with_their_status(app_client: TestClient, world: World) -> None:
    headers = bearer(api_token(world, "case_worker"))
    missing = app_client.get("/api/v1/cases/HW-1999-000999", headers=headers)
    assert missing.status_code == 404 and missing.json()["kind"] == "NotFound"
    no_reason = app_client.post(
        f"/api/v1/review/{world.candidate_id}/decision",
        json={"action": "reject", "reason": " "},
        headers=headers,
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]
    bad_action = app_client.post(
        f"/api/v1/review/{world.candidate_id}/decision",
        json={"action": "maybe", "reason": "x"},
        headers=headers,
    )
    assert bad_action.status_code == 422 and "action" in bad_action.json()["error"]
    nowhere = app_client.get("/api/v1/nowhere", headers=headers)
    assert nowhere.status_code == 404 and nowhere.json()["status"] == 404


def test_a_token_made_on_the_account_page_works_until_revoked(
    app_client: TestClient, world: World
) -> None:
    import re

    from tests.web.conftest import csrf_of, sign_in

    sign_in(app_client, world, "analyst")
    page = app_client.get("/account/tokens")
    made = app_client.post(
        "/account/tokens", data={"label": "weekly report", "csrf_token": csrf_of(page.text)}
    )
    token = re.search(r'<code class="secret">([A-Za-z0-9_-]{40,})</code>', made.text)
    assert token, "the new token is shown once"
    headers = bearer(token.group(1))
    assert app_client.get("/api/v1/cases", headers=headers).status_code == 200
    revoke = re.search(r'action="(/account/tokens/\d+/revoke)"', made.text)
    assert revoke
    app_client.post(revoke.group(1), data={"csrf_token": csrf_of(made.text)})
    assert app_client.get("/api/v1/cases", headers=headers).status_code == 401
    assert token.group(1) not in app_client.get("/account/tokens").text


def test_a_status_move_through_the_api(app_client: TestClient, world: World) -> None:
    worker = bearer(api_token(world, "case_worker"))
    path = f"/api/v1/cases/{world.child_number}/status"
    moved = app_client.post(
        path, json={"status": "under_verification", "reason": "papers in"}, headers=worker
    )
    assert moved.status_code == 200 and moved.json()["status"] == "under_verification"
    refused = app_client.post(path, json={"status": "verified", "reason": "x"}, headers=worker)
    assert refused.status_code == 403
    verifier = bearer(api_token(world, "verifier"))
    stale = app_client.post(
        path, json={"status": "verified", "reason": "x", "version": 1}, headers=verifier
    )
    assert stale.status_code == 409
    wrong = app_client.post(path, json={"status": "returned", "reason": "x"}, headers=verifier)
    assert wrong.status_code == 409
    analyst = bearer(api_token(world, "analyst"))
    assert (
        app_client.post(path, json={"status": "closed", "reason": "x"}, headers=analyst).status_code
        == 403
    )


def test_statistics_come_with_their_as_of_time_and_small_counts_hidden(
    app_client: TestClient, world: World
) -> None:
    answer = app_client.get("/api/v1/statistics", headers=bearer(api_token(world, "auditor")))
    assert answer.status_code == 200
    body = answer.json()
    assert body["as_of"] and body["suppressed_below"] == 5
    assert body["total"] == [{"children": "<5"}]  # two children: too few to show


def test_a_number_no_column_can_hold_is_refused_not_a_server_error(
    app_client: TestClient, world: World
) -> None:
    """Found by fuzzing the API: an id of 2**70 crashed the database driver."""
    headers = {"Authorization": f"Bearer {api_token(world, 'case_worker')}"}
    huge = 2**70
    for path in (f"/api/v1/records/{huge}", f"/api/v1/cases?offset={huge}",
                 f"/api/v1/imports/{huge}", f"/api/v1/facilities/{huge}"):  # fmt: skip
        answer = app_client.get(path, headers=headers)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["error"] == "a number in the request is out of range"
    sign_in(app_client, world, "case_worker")
    assert app_client.get(f"/imports/{huge}").status_code == 422
