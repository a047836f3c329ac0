"""Signing in with a password and a TOTP code; lockout; CSRF; headers; languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from homeward.storage.tables import AuditRow, UserRow, WebSessionRow, utcnow
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


def _code_page(client: TestClient, username: str) -> str:
    assert _password(client, username) == 303
    return csrf_of(client.get("/signin/code").text)


def test_a_code_is_accepted_once(app_client: TestClient, world: World) -> None:
    """A code seen over a shoulder, or in a proxy's log, opens nothing."""
    totp = pyotp.TOTP(world.secrets["verifier"])
    step = totp.timecode(datetime.now(UTC))
    code = totp.generate_otp(step)
    csrf = _code_page(app_client, "verifier")
    used = app_client.post("/signin/code", data={"code": code, "csrf_token": csrf})
    assert used.status_code == 303
    assert _user(world, "verifier").totp_last_step == step
    app_client.cookies.clear()
    csrf = _code_page(app_client, "verifier")
    replayed = app_client.post("/signin/code", data={"code": code, "csrf_token": csrf})
    assert replayed.status_code == 401
    earlier = totp.generate_otp(step - 1)  # still inside the window, but older
    refused = app_client.post("/signin/code", data={"code": earlier, "csrf_token": csrf})
    assert refused.status_code == 401
    assert _user(world, "verifier").failed_logins == 2
    later = app_client.post(
        "/signin/code", data={"code": totp.generate_otp(step + 1), "csrf_token": csrf}
    )
    assert later.status_code == 303


def test_a_session_left_idle_ends(app_client: TestClient, world: World) -> None:
    sign_in(app_client, world, "case_worker")
    assert app_client.get("/").status_code == 200
    idle = world.settings.session_idle_minutes
    with world.registry.uow() as uow:
        [row] = uow.session.scalars(select(WebSessionRow).where(WebSessionRow.stage == "active"))
        assert row.last_seen_at is not None
        row.last_seen_at = utcnow() - timedelta(minutes=idle - 1)
        uow.commit()
    assert app_client.get("/").status_code == 200  # used within the limit: goes on,
    with world.registry.uow(write=False) as uow:
        [row] = uow.session.scalars(select(WebSessionRow).where(WebSessionRow.stage == "active"))
        assert row.last_seen_at is not None
        assert utcnow() - row.last_seen_at < timedelta(minutes=1)  # and its use is noted
    with world.registry.uow() as uow:
        [row] = uow.session.scalars(select(WebSessionRow).where(WebSessionRow.stage == "active"))
        row.last_seen_at = utcnow() - timedelta(minutes=idle + 1)
        uow.commit()
    assert app_client.get("/").headers["location"].startswith("/signin")


def test_using_a_session_adds_nothing_to_the_audit_trail(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "analyst")
    with world.registry.uow() as uow:
        [row] = uow.session.scalars(select(WebSessionRow).where(WebSessionRow.stage == "active"))
        row.last_seen_at = utcnow() - timedelta(minutes=5)
        uow.commit()
    with world.registry.uow(write=False) as uow:
        before = uow.session.scalar(select(func.count()).select_from(AuditRow))
    for _ in range(3):
        assert app_client.get("/").status_code == 200
    with world.registry.uow(write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(AuditRow)) == before


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
