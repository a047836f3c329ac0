"""Signing in with a password and a TOTP code; lockout; CSRF; headers; languages."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pyotp
from fastapi.testclient import TestClient

from homeward.storage.tables import UserRow, utcnow
from homeward.web.messages import UKRAINIAN
from tests.web.conftest import PASSWORD, World, csrf_of, sign_in


def _password(client: TestClient, username: str, password: str = PASSWORD) -> int:
    page = client.get("/signin")
    answer = client.post(
        "/signin",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )
    return answer.status_code


def _user(world: World, username: str) -> UserRow:
    with world.registry.uow(write=False) as uow:
        user = uow.repos.users.by_username(username)
        assert user is not None
        return user


def test_signing_in_takes_the_password_and_then_the_code(
    app_client: TestClient, world: World
) -> None:
    assert app_client.get("/").headers["location"] == "/signin?next=/"
    sign_in(app_client, world, "verifier")
    home = app_client.get("/")
    assert home.status_code == 200
    assert "verifier user" in home.text
    cookie = app_client.cookies.get("hw_session")
    assert cookie is not None


def test_the_session_cookie_is_httponly_strict_and_secure_over_https(
    app_client: TestClient, world: World
) -> None:
    page = app_client.get("/signin")
    answer = app_client.post(
        "/signin",
        data={"username": "analyst", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    header = answer.headers["set-cookie"].lower()
    assert "hw_session=" in header
    assert "httponly" in header and "samesite=strict" in header and "secure" in header


def test_a_password_alone_opens_no_page(app_client: TestClient, world: World) -> None:
    assert _password(app_client, "case_worker") == 303
    assert app_client.get("/cases").status_code == 303
    page = app_client.get("/signin/code")
    wrong = app_client.post(
        "/signin/code", data={"code": "000000", "csrf_token": csrf_of(page.text)}
    )
    assert wrong.status_code == 401
    assert app_client.get("/cases").headers["location"].startswith("/signin")


def test_a_user_without_an_authenticator_enrols_one(app_client: TestClient, world: World) -> None:
    assert _password(app_client, "newcomer") == 303
    page = app_client.get("/signin/code")
    secret = re.search(r'<code class="secret">([A-Z2-7]{16,})</code>', page.text)
    assert secret, "the enrolment page shows the new key"
    assert "otpauth://totp/" in page.text
    answer = app_client.post(
        "/signin/code",
        data={"code": pyotp.TOTP(secret.group(1)).now(), "csrf_token": csrf_of(page.text)},
    )
    assert answer.status_code == 303
    assert app_client.get("/").status_code == 200
    assert _user(world, "newcomer").totp_secret == secret.group(1)


def test_too_many_wrong_passwords_lock_the_account(app_client: TestClient, world: World) -> None:
    for _ in range(world.settings.login_max_failures):
        assert _password(app_client, "case_worker", "wrong password!") == 401
    assert _user(world, "case_worker").locked_until is not None
    assert _password(app_client, "case_worker") == 401  # the right one too, for a while
    assert _password(app_client, "verifier") == 303  # others are not locked


def test_wrong_codes_count_towards_the_lockout(app_client: TestClient, world: World) -> None:
    for _ in range(world.settings.login_max_failures):
        assert _password(app_client, "analyst") == 303
        page = app_client.get("/signin/code")
        app_client.post("/signin/code", data={"code": "000000", "csrf_token": csrf_of(page.text)})
    assert _user(world, "analyst").locked_until is not None


def test_a_form_without_its_csrf_token_is_refused(app_client: TestClient, world: World) -> None:
    refused = app_client.post("/signin", data={"username": "analyst", "password": PASSWORD})
    assert refused.status_code == 403
    sign_in(app_client, world, "verifier")
    forged = app_client.post(
        f"/review/{world.candidate_id}",
        data={"action": "reject", "reason": "forged", "csrf_token": "0" * 64},
    )
    assert forged.status_code == 403
    queue = app_client.get("/review")
    assert f'href="/review/{world.candidate_id}"' in queue.text  # still waiting


def test_every_answer_carries_a_strict_content_security_policy(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    for path in ("/signin", "/", "/search", "/api/v1/openapi.json"):
        headers = app_client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_pages_hold_no_inline_script(app_client: TestClient, world: World) -> None:
    pages = [app_client.get("/signin").text]
    sign_in(app_client, world, "case_worker")
    for path in ("/", "/search?q=Kovalenko", "/reports/new", "/review"):
        pages.append(app_client.get(path).text)
    for html in pages:
        scripts = re.findall(r"<script([^>]*)>", html)
        assert scripts and all('src="/static/' in s for s in scripts)
        assert " on" + "click=" not in html


def test_changing_the_password_ends_every_session(app_client: TestClient, world: World) -> None:
    sign_in(app_client, world, "case_worker")
    assert app_client.get("/").status_code == 200
    with world.registry.uow() as uow:
        user = uow.repos.users.by_username("case_worker")
        assert user is not None
        user.password_changed_at = utcnow() + timedelta(seconds=1)
        uow.commit()
    assert app_client.get("/").headers["location"].startswith("/signin")


def test_signing_out_ends_the_session(app_client: TestClient, world: World) -> None:
    sign_in(app_client, world, "case_worker")
    token = app_client.cookies.get("hw_session")
    home = app_client.get("/")
    assert app_client.post("/signout", data={"csrf_token": csrf_of(home.text)}).status_code == 303
    app_client.cookies.set("hw_session", token or "")
    assert app_client.get("/").headers["location"].startswith("/signin")


def test_pages_speak_ukrainian_by_default_and_english_on_request(
    app_client: TestClient, world: World
) -> None:
    assert "<h1>Увійти</h1>" in app_client.get("/signin").text
    switched = app_client.get("/language/en?next=/signin")
    assert switched.headers["location"] == "/signin"
    assert "<h1>Sign in</h1>" in app_client.get("/signin").text
    away = app_client.get("/language/uk?next=//elsewhere.example")
    assert away.headers["location"] == "/"


def test_every_text_of_the_templates_has_its_ukrainian() -> None:
    templates = Path(__file__).resolve().parents[2] / "src/homeward/web/templates"
    used = set()
    for path in templates.glob("*.html"):
        used |= {m.group(2) for m in re.finditer(r"""_\(\s*(["'])(.+?)\1""", path.read_text())}
    assert len(used) > 50
    missing = sorted(used - UKRAINIAN.keys())
    assert not missing, f"no Ukrainian for: {missing}"


def test_one_address_failing_on_many_users_is_throttled(world: World) -> None:
    from homeward.web import create_app

    settings = world.settings.model_copy(update={"login_failures_per_address": 3})
    app = create_app(settings, registry=world.registry)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        for username in ("analyst", "auditor", "partner"):
            assert _password(client, username, "not the password") == 401
        assert _password(client, "verifier") == 429  # the right password, but wait
        for username in ("analyst", "auditor", "partner"):
            assert _user(world, username).locked_until is None  # no account was locked
