"""Administration, the audit trail, facilities and the account page, as their
users drive them: the register keeper, an auditor, case workers and partners."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from homeward.domain.model import EventKind
from homeward.domain.roles import SYSTEM_ACTOR
from homeward.services import cases, facilities
from homeward.storage.tables import AuditRow
from tests.web.conftest import PASSWORD, World, api_token, csrf_of, sign_in

SECRET = re.compile(r'<code class="secret">([^<]+)</code>')
NEW_PASSWORD = "tulips under the Kyiv rain"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def other_client(app_client: TestClient) -> Iterator[TestClient]:
    """A second browser on the same app."""
    with TestClient(app_client.app, base_url="https://testserver", follow_redirects=False) as c:
        yield c


def english(client: TestClient) -> None:
    client.get("/language/en?next=/")


def password_step(client: TestClient, username: str, password: str) -> int:
    page = client.get("/signin")
    answer = client.post(
        "/signin",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )
    return answer.status_code


def enrol(client: TestClient, username: str, password: str) -> str:
    """Sign in with a password and enrol a new authenticator; its secret."""
    assert password_step(client, username, password) == 303
    page = client.get("/signin/code")
    found = re.search(r'<code class="secret">([A-Z2-7]{16,})</code>', page.text)
    assert found, "a user without an authenticator is asked to enrol one"
    answer = client.post(
        "/signin/code",
        data={"code": pyotp.TOTP(found.group(1)).now(), "csrf_token": csrf_of(page.text)},
    )
    assert answer.status_code == 303
    return found.group(1)


def user_id(world: World, username: str) -> int:
    with world.registry.uow(write=False) as uow:
        user = uow.repos.users.by_username(username)
        assert user is not None
        return user.id


def post_form(client: TestClient, path: str, page: str = "/", **data: str) -> httpx.Response:
    token = csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf_token": token})


def audited(world: World, action: str, actor: str) -> int:
    with world.registry.uow(write=False) as uow:
        return int(
            uow.session.scalar(
                select(func.count())
                .select_from(AuditRow)
                .where(AuditRow.action == action, AuditRow.actor == actor)
            )
            or 0
        )


# --- administration ---------------------------------------------------------------


def test_an_admin_creates_a_partner_user_who_signs_in_and_sees_their_organisation_only(
    app_client: TestClient, world: World, other_client: TestClient
) -> None:
    sign_in(app_client, world, "admin")
    english(app_client)
    page = app_client.get("/admin")
    assert page.status_code == 200
    org = re.search(r'<option value="(\d+)"[^>]*>Save the Children UA</option>', page.text)
    assert org, "the organisations are offered"
    form = {"username": "hanna.boiko", "display_name": "Ганна Бойко", "role": "partner",
            "csrf_token": csrf_of(page.text)}  # fmt: skip
    refused = app_client.post("/admin/users", data={**form, "organisation_id": ""})
    assert refused.status_code == 422
    assert "a partner user belongs to an organisation" in refused.text
    made = app_client.post("/admin/users", data={**form, "organisation_id": org.group(1)})
    assert made.status_code == 200
    shown = SECRET.search(made.text)
    assert shown, "the one-time password is shown once"
    listed = app_client.get("/admin").text
    assert "hanna.boiko" in listed and shown.group(1) not in listed
    assert audited(world, "user.create:insert", "admin") == 1

    enrol(other_client, "hanna.boiko", shown.group(1))
    their_cases = other_client.get("/cases")
    assert their_cases.status_code == 200
    assert world.partner_child_number in their_cases.text
    assert world.child_number not in their_cases.text
    assert other_client.get("/admin").status_code == 403
    english(other_client)
    assert "Your password was set by the register keeper" in other_client.get("/account").text


@pytest.mark.parametrize("role", ["case_worker", "auditor"])
def test_only_the_register_keeper_administers(
    app_client: TestClient, world: World, role: str
) -> None:
    sign_in(app_client, world, role)
    assert app_client.get("/admin").status_code == 403
    assert app_client.get(f"/admin/users/{user_id(world, 'analyst')}").status_code == 403
    forged = post_form(app_client, f"/admin/users/{user_id(world, 'analyst')}/disable")
    assert forged.status_code == 403
    with world.registry.uow(write=False) as uow:
        analyst = uow.repos.users.by_username("analyst")
        assert analyst is not None and analyst.is_active
    # the auditor reads the trail, and nothing else of the registry's cases
    assert app_client.get("/audit").status_code == (200 if role == "auditor" else 403)
    assert app_client.get("/facilities").status_code == (403 if role == "auditor" else 200)


def test_disabling_a_user_ends_their_sessions_and_tokens_and_unlock_lifts_a_lockout(
    app_client: TestClient, world: World, other_client: TestClient
) -> None:
    sign_in(other_client, world, "analyst")
    token = api_token(world, "analyst")
    assert other_client.get("/").status_code == 200
    sign_in(app_client, world, "admin")
    english(app_client)
    analyst = user_id(world, "analyst")
    done = post_form(app_client, f"/admin/users/{analyst}/disable", f"/admin/users/{analyst}")
    assert done.status_code == 303
    assert other_client.get("/").headers["location"].startswith("/signin")
    assert app_client.get("/api/v1/cases", headers=bearer(token)).status_code == 401
    other_client.cookies.clear()
    assert password_step(other_client, "analyst", PASSWORD) == 401
    assert "disabled" in app_client.get(f"/admin/users/{analyst}").text
    post_form(app_client, f"/admin/users/{analyst}/enable", f"/admin/users/{analyst}")
    assert password_step(other_client, "analyst", PASSWORD) == 303

    other_client.cookies.clear()
    for _ in range(world.settings.login_max_failures):
        assert password_step(other_client, "verifier", "not the password!") == 401
    verifier = user_id(world, "verifier")
    page = app_client.get(f"/admin/users/{verifier}")
    assert "locked" in page.text
    post_form(app_client, f"/admin/users/{verifier}/unlock", f"/admin/users/{verifier}")
    assert password_step(other_client, "verifier", PASSWORD) == 303
    assert audited(world, "user.unlock:update", "admin") == 1


def test_the_last_register_keeper_can_neither_demote_nor_disable_themselves(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "admin")
    english(app_client)
    me = user_id(world, "admin")
    page = f"/admin/users/{me}"
    demoted = post_form(app_client, f"{page}/role", page, role="analyst", organisation_id="")
    assert demoted.status_code == 409
    assert "last active register keeper" in demoted.text
    disabled = post_form(app_client, f"{page}/disable", page)
    assert disabled.status_code == 409
    assert app_client.get("/admin").status_code == 200  # still the register keeper

    verifier = user_id(world, "verifier")
    promoted = post_form(
        app_client, f"/admin/users/{verifier}/role", page, role="admin", organisation_id=""
    )
    assert promoted.status_code == 303
    demoted = post_form(app_client, f"{page}/role", page, role="analyst", organisation_id="")
    assert demoted.status_code == 303
    assert app_client.get("/admin").status_code == 403  # an analyst now, at once


def test_a_reset_password_and_authenticator_take_effect_at_the_next_sign_in(
    app_client: TestClient, world: World, other_client: TestClient
) -> None:
    sign_in(other_client, world, "case_worker")
    sign_in(app_client, world, "admin")
    worker = user_id(world, "case_worker")
    page = f"/admin/users/{worker}"
    reset = post_form(app_client, f"{page}/password", page)
    assert reset.status_code == 200
    shown = SECRET.search(reset.text)
    assert shown
    assert shown.group(1) not in app_client.get(page).text  # shown once only
    assert other_client.get("/").headers["location"].startswith("/signin")
    assert post_form(app_client, f"{page}/two-factor", page).status_code == 303

    other_client.cookies.clear()
    assert password_step(other_client, "case_worker", PASSWORD) == 401
    secret = enrol(other_client, "case_worker", shown.group(1))
    assert secret != world.secrets["case_worker"]
    assert other_client.get("/cases").status_code == 200


# --- the account page --------------------------------------------------------------


def test_changing_my_password_ends_my_other_sessions_and_revokes_my_tokens(
    app_client: TestClient, world: World, other_client: TestClient
) -> None:
    sign_in(app_client, world, "case_worker")
    sign_in(other_client, world, "case_worker")
    token = api_token(world, "case_worker")
    assert app_client.get("/api/v1/cases", headers=bearer(token)).status_code == 200
    english(app_client)

    def change(current: str, new: str, repeat: str) -> httpx.Response:
        page = app_client.get("/account")
        assert page.status_code == 200
        form = {"current": current, "new": new, "repeat": repeat,
                "csrf_token": csrf_of(page.text)}  # fmt: skip
        return app_client.post("/account/password", data=form)

    short = change(PASSWORD, "kyiv", "kyiv")
    assert short.status_code == 422 and "at least 12 characters" in short.text
    wrong = change("not my password", NEW_PASSWORD, NEW_PASSWORD)
    assert wrong.status_code == 422
    assert audited(world, "user.password_change_refused", "case_worker") == 1
    assert other_client.get("/").status_code == 200  # nothing changed yet

    changed = change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 303
    page = app_client.get(changed.headers["location"])
    assert page.status_code == 200 and "Your password is changed" in page.text
    assert "set by the register keeper" not in app_client.get("/account").text
    assert other_client.get("/").headers["location"].startswith("/signin")
    assert app_client.get("/api/v1/cases", headers=bearer(token)).status_code == 401
    other_client.cookies.clear()
    assert password_step(other_client, "case_worker", PASSWORD) == 401
    other_client.cookies.clear()
    assert password_step(other_client, "case_worker", NEW_PASSWORD) == 303


# --- the audit trail ---------------------------------------------------------------


def tamper(world: World, sql: str, **params: object) -> None:
    """Change the audit log behind Homeward's back, as an intruder would."""
    with world.registry.engine.connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        conn.execute(text(sql), params)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER USER")


def test_the_auditor_finds_a_change_and_verifies_the_chain_until_an_entry_is_forged(
    app_client: TestClient, world: World, other_client: TestClient
) -> None:
    sign_in(other_client, world, "admin")
    page = "/admin"
    org = re.search(r'action="/admin/organisations/(\d+)"', other_client.get(page).text)
    assert org
    renamed = post_form(
        other_client, f"/admin/organisations/{org.group(1)}", page, name="Save the Children Ukraine"
    )
    assert renamed.status_code == 303

    sign_in(app_client, world, "auditor")
    english(app_client)
    listed = app_client.get("/audit", params={"table": "organisations", "who": "admin"})
    assert listed.status_code == 200
    assert "organisation.rename:update" in listed.text
    seq = int(re.findall(r'href="/audit/(\d+)"', listed.text)[0])
    entry = app_client.get(f"/audit/{seq}")
    assert "Save the Children UA" in entry.text and "Save the Children Ukraine" in entry.text
    none = app_client.get("/audit", params={"table": "organisations", "until": "2000-01-01"})
    assert "No entry matches." in none.text

    verified = app_client.post("/audit/verify", data={"csrf_token": csrf_of(listed.text)})
    assert verified.status_code == 200
    assert "The audit trail is intact." in verified.text
    with world.registry.uow(write=False) as uow:
        total = uow.session.scalar(select(func.count()).select_from(AuditRow))
    assert f"{total} entries were checked" in verified.text

    tamper(world, "UPDATE audit_log SET after = REPLACE(after, 'Ukraine', 'Russia') WHERE seq = :s",
           s=seq)  # fmt: skip
    broken = app_client.post("/audit/verify", data={"csrf_token": csrf_of(listed.text)})
    assert f"The audit trail is broken at entry {seq}." in broken.text
    assert "edited after it was written" in broken.text


def test_an_audit_entry_hides_what_the_reader_may_not_read(
    app_client: TestClient, world: World
) -> None:
    with world.registry.uow(SYSTEM_ACTOR) as uow:
        child_id = uow.repos.children.by_case_number(world.child_number).id
        cases.add_event(uow, child_id, EventKind.SIGHTING, place="Анапа",
                        note="seen by the volunteer Olha, +380991234567")  # fmt: skip
        uow.commit()
    sign_in(app_client, world, "admin")
    english(app_client)
    listed = app_client.get("/audit", params={"table": "events", "action": "case.add_event"})
    seq = int(re.findall(r'href="/audit/(\d+)"', listed.text)[0])
    entry = app_client.get(f"/audit/{seq}")
    assert "Анапа" in entry.text and "sighting" in entry.text
    assert "volunteer Olha" not in entry.text and "+380991234567" not in entry.text
    assert "hidden from your role" in entry.text


# --- facilities --------------------------------------------------------------------

FOREST_TALE = {
    "name": "табір «Лісова казка»", "name_ru": "лагерь «Лесная сказка»",
    "name_latin": "Lisova Kazka camp", "kind": "camp", "country": "ru",
    "region": "Краснодарський край", "settlement": "Анапа", "latitude": "44.89",
    "longitude": "37.32", "note": "",
}  # fmt: skip


def test_facilities_are_added_found_in_any_script_and_edited(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    english(app_client)
    form = app_client.get("/facilities/new")
    assert form.status_code == 200
    bad = app_client.post(
        "/facilities", data={**FOREST_TALE, "country": "Russia", "csrf_token": csrf_of(form.text)}
    )
    assert bad.status_code == 422 and "country" in bad.text
    made = app_client.post("/facilities", data={**FOREST_TALE, "csrf_token": csrf_of(form.text)})
    assert made.status_code == 303
    page_path = made.headers["location"]
    page = app_client.get(page_path)
    assert "табір «Лісова казка»" in page.text and "Russia" in page.text

    for query in ("Лесная сказка", "lisova", "Anapa", "Анапа", "Krasnodarskyi"):
        found = app_client.get("/facilities/results", params={"q": query})
        assert "Лісова казка" in found.text, query
    assert "Лісова казка" not in app_client.get("/facilities", params={"q": "Artek"}).text

    edit = app_client.get(f"{page_path}/edit")
    saved = app_client.post(
        page_path,
        data={**FOREST_TALE, "note": "children from Kherson oblast, 2022",
              "csrf_token": csrf_of(edit.text)},
    )  # fmt: skip
    assert saved.status_code == 303
    assert "children from Kherson oblast, 2022" in app_client.get(page_path).text
    assert audited(world, "facility.update:update", "case_worker") == 1

    app_client.cookies.clear()
    sign_in(app_client, world, "analyst")
    assert "Лісова казка" in app_client.get("/facilities").text
    assert app_client.get("/facilities/new").status_code == 403
    assert app_client.get(f"{page_path}/edit").status_code == 403


def test_the_facilities_api_lists_reads_creates_and_patches(
    app_client: TestClient, world: World
) -> None:
    worker = bearer(api_token(world, "case_worker"))
    body = {**FOREST_TALE, "latitude": 44.89, "longitude": 37.32}
    del body["note"]
    made = app_client.post("/api/v1/facilities", json=body, headers=worker)
    assert made.status_code == 201, made.text
    facility = made.json()
    assert facility["country"] == "RU" and facility["name_ru"] == "лагерь «Лесная сказка»"
    path = f"/api/v1/facilities/{facility['id']}"

    listed = app_client.get("/api/v1/facilities", params={"q": "Lesnaya"}, headers=worker)
    assert listed.json()["total"] == 1 and listed.json()["items"][0]["id"] == facility["id"]
    patched = app_client.patch(path, json={"region": "Krasnodar Krai"}, headers=worker)
    assert patched.status_code == 200 and patched.json()["region"] == "Krasnodar Krai"
    assert patched.json()["settlement"] == "Анапа"  # the rest stays
    bad = app_client.patch(path, json={"latitude": 123}, headers=worker)
    assert bad.status_code == 422 and "latitude" in bad.json()["error"]

    analyst = bearer(api_token(world, "analyst"))
    assert app_client.get(path, headers=analyst).json()["region"] == "Krasnodar Krai"
    assert app_client.post("/api/v1/facilities", json=body, headers=analyst).status_code == 403
    auditor = bearer(api_token(world, "auditor"))
    assert app_client.get("/api/v1/facilities", headers=auditor).status_code == 403
    spec = app_client.get("/api/v1/openapi.json").json()
    assert "patch" in spec["paths"]["/facilities/{facility_id}"]


def test_a_partner_sees_only_its_own_children_at_a_facility(
    app_client: TestClient, world: World
) -> None:
    with world.registry.uow(SYSTEM_ACTOR) as uow:
        row = facilities.create_facility(uow, {**FOREST_TALE, "note": None})
        for number in (world.child_number, world.partner_child_number):
            child_id = uow.repos.children.by_case_number(number).id
            cases.add_event(uow, child_id, EventKind.SIGHTING, date="2023-07", facility_id=row.id)
        uow.commit()
        facility_id = row.id
    sign_in(app_client, world, "partner")
    page = app_client.get(f"/facilities/{facility_id}")
    assert world.partner_child_number in page.text
    assert world.child_number not in page.text and "Коваленко" not in page.text
    token = bearer(api_token(world, "partner"))
    answer = app_client.get(f"/api/v1/facilities/{facility_id}", headers=token).json()
    assert [c["case_number"] for c in answer["children"]] == [world.partner_child_number]
    listed = app_client.get("/api/v1/facilities", headers=token).json()
    assert listed["items"][0]["children"] == 1

    app_client.cookies.clear()
    sign_in(app_client, world, "analyst")
    page = app_client.get(f"/facilities/{facility_id}")
    assert world.partner_child_number in page.text and world.child_number in page.text
