"""Every page for every role: allowed ones work, the others answer 403 or 404,
and no page shows a role what it may not see."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from homeward.storage.tables import AuditRow
from tests.web.conftest import (
    RELATIVE_PHONE,
    REPORTER,
    REPORTER_CONTACT,
    ROLES,
    World,
    csrf_of,
    sign_in,
)

READERS = {"admin", "case_worker", "verifier", "analyst", "partner"}
REVIEWERS = {"case_worker", "verifier"}
REPORTERS = {"case_worker", "partner"}
SENSITIVE_READERS = {"case_worker", "verifier"}


def expected_pages(world: World, role: str) -> dict[str, int]:
    own_case = 200 if role in READERS - {"partner"} else (404 if role == "partner" else 403)
    partner_case = 200 if role in READERS else 403
    return {
        "/": 200,
        "/search?q=Kovalenko": 200 if role in READERS else 403,
        "/search/results?q=Kovalenko": 200 if role in READERS else 403,
        "/cases": 200 if role in READERS else 403,
        f"/cases/{world.child_number}": own_case,
        f"/cases/{world.partner_child_number}": partner_case,
        "/cases/HW-1999-000999": 404 if role in READERS else 403,
        "/reports/new": 200 if role in REPORTERS else 403,
        "/review": 200 if role in REVIEWERS else 403,
        f"/review/{world.candidate_id}": 200 if role in REVIEWERS else 403,
        "/account/tokens": 200,
        "/imports": 200 if role == "case_worker" else 403,
        "/imports/new": 200 if role == "case_worker" else 403,
        "/lists": 200 if role in {"case_worker", "verifier"} else 403,
        "/lists/new": 200 if role in {"case_worker", "verifier"} else 403,
        "/facilities": 200 if role in READERS else 403,
        "/statistics": 200,
        "/audit": 200 if role in {"admin", "auditor"} else 403,
        "/admin": 200 if role == "admin" else 403,
        "/triage": 200 if role == "case_worker" else 403,
        "/report": 200,
        "/public/statistics": 200,
    }


@pytest.mark.parametrize("role", [r.value for r in ROLES])
def test_every_page_answers_each_role_as_its_permissions_say(
    app_client: TestClient, world: World, role: str
) -> None:
    sign_in(app_client, world, role)
    for path, status in expected_pages(world, role).items():
        answer = app_client.get(path)
        assert answer.status_code == status, (role, path, answer.status_code)
        if role not in SENSITIVE_READERS:
            for secret in (REPORTER, REPORTER_CONTACT, RELATIVE_PHONE, "seen in Anapa"):
                assert secret not in answer.text, (role, path, secret)


def test_a_case_worker_sees_contacts_and_the_reporter(app_client: TestClient, world: World) -> None:
    sign_in(app_client, world, "case_worker")
    page = app_client.get(f"/cases/{world.child_number}")
    assert page.status_code == 200
    assert "Коваленко" in page.text
    assert RELATIVE_PHONE in page.text and REPORTER in page.text


def test_opening_a_case_page_is_written_to_the_audit_trail(
    app_client: TestClient, world: World
) -> None:
    def views() -> int:
        with world.registry.uow(write=False) as uow:
            return int(
                uow.session.scalar(
                    select(func.count())
                    .select_from(AuditRow)
                    .where(AuditRow.action == "children.view", AuditRow.actor == "analyst")
                )
                or 0
            )

    sign_in(app_client, world, "analyst")
    before = views()
    assert app_client.get(f"/cases/{world.child_number}").status_code == 200
    assert views() == before + 1


def test_search_as_you_type_finds_the_cyrillic_child_from_latin_letters(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "analyst")
    answer = app_client.get("/search/results", params={"q": "Aleksandr Kovalenko"})
    assert answer.status_code == 200
    assert world.child_number in answer.text
    assert "Коваленко Олександр" in answer.text
    assert world.partner_child_number not in answer.text
    assert "<html" not in answer.text  # a fragment for htmx, not a page


def test_a_partner_searches_only_its_own_cases(app_client: TestClient, world: World) -> None:
    sign_in(app_client, world, "partner")
    mine = app_client.get("/search/results", params={"q": "Mariia Shevchenko"})
    assert world.partner_child_number in mine.text
    theirs = app_client.get("/search/results", params={"q": "Aleksandr Kovalenko"})
    assert world.child_number not in theirs.text


def test_a_report_shows_candidates_while_typed_and_is_then_linked(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    form = app_client.get("/reports/new")
    token = csrf_of(form.text)
    typed = {"given_name": "Oleksandr", "family_name": "Kovalenko", "birth_date": "2012-03-04"}
    live = app_client.post("/reports/candidates", data=typed, headers={"X-CSRF-Token": token})
    assert live.status_code == 200
    assert world.child_number in live.text
    kept = app_client.post("/reports", data={**typed, "csrf_token": token})
    assert kept.status_code == 200
    assert world.child_number in kept.text
    link_form = kept.text[kept.text.index('action="/reports/') :]
    action = link_form[len('action="') : link_form.index('" ')]
    child_id = link_form.split('name="child_id" value="')[1].split('"')[0]
    linked = app_client.post(
        action, data={"child_id": child_id, "reason": "same child", "csrf_token": token}
    )
    assert linked.status_code == 303
    assert linked.headers["location"] == f"/cases/{world.child_number}"
    case = app_client.get(linked.headers["location"])
    assert case.text.count('<details class="record">') == 2


def test_a_report_with_an_impossible_date_is_shown_again_with_the_error(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    token = csrf_of(app_client.get("/reports/new").text)
    answer = app_client.post(
        "/reports", data={"given_name": "Оля", "birth_date": "2012-02-31", "csrf_token": token}
    )
    assert answer.status_code == 422
    assert "birth_date" in answer.text and 'value="Оля"' in answer.text


def test_the_review_page_compares_side_by_side_and_decides(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "verifier")
    item = app_client.get(f"/review/{world.candidate_id}")
    assert "Александр" in item.text and "Олександр" in item.text
    answer = app_client.post(
        f"/review/{world.candidate_id}",
        data={"action": "reject", "reason": "another boy", "csrf_token": csrf_of(item.text)},
    )
    assert answer.status_code == 303
    queue = app_client.get("/review")
    assert f'href="/review/{world.candidate_id}"' not in queue.text


def test_dates_are_shown_as_people_read_them(app_client: TestClient, world: World) -> None:
    sign_in(app_client, world, "case_worker")
    uk = app_client.get(f"/cases/{world.child_number}").text
    assert "4 березня 2012" in uk
    app_client.get("/language/en")
    en = app_client.get(f"/cases/{world.child_number}").text
    assert "March 4, 2012" in en


def test_two_cases_of_one_child_are_merged_into_the_case_the_reviewer_keeps(
    app_client: TestClient, world: World
) -> None:
    from homeward.services import review
    from tests.factories import make_child

    with world.registry.uow() as uow:
        newer = make_child(
            uow, given_name="Александр", patronymic="Сергеевич", birth_place="Мариуполь",
            mother_name="Коваленко Елена Петровна",
        )  # fmt: skip
        uow.commit()
    with world.registry.uow() as uow:
        review.scan_registry(uow, thresholds=review.Thresholds(auto_link=1.0, review=0.05))
        uow.commit()
        [pair] = [i for i in review.queue(uow) if i.kind == "cases"]
    sign_in(app_client, world, "case_worker")
    page = app_client.get(f"/review/{pair.id}")
    assert 'name="keep"' in page.text
    answer = app_client.post(
        f"/review/{pair.id}",
        data={"action": "accept", "reason": "one boy", "keep": str(newer.id),
              "version": str(pair.version), "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    moved = app_client.get(f"/cases/{world.child_number}")
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/cases/{newer.case_number}"


def test_a_verifier_moves_a_case_to_verified_and_a_case_worker_cannot(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    worker_page = app_client.get(f"/cases/{world.child_number}")
    assert 'value="under_verification"' in worker_page.text
    app_client.post(
        f"/cases/{world.child_number}/status",
        data={"move": "under_verification", "reason": "documents arrived",
              "csrf_token": csrf_of(worker_page.text)},
    )  # fmt: skip
    worker_page = app_client.get(f"/cases/{world.child_number}")
    assert 'value="verified"' not in worker_page.text  # the commission verifies
    refused = app_client.post(
        f"/cases/{world.child_number}/status",
        data={"move": "verified", "reason": "sure", "csrf_token": csrf_of(worker_page.text)},
    )
    assert refused.status_code == 403
    app_client.cookies.clear()
    sign_in(app_client, world, "verifier")
    page = app_client.get(f"/cases/{world.child_number}")
    assert 'value="verified"' in page.text
    moved = app_client.post(
        f"/cases/{world.child_number}/status",
        data={"move": "verified", "reason": "birth certificate seen",
              "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert moved.status_code == 303
    after = app_client.get(f"/cases/{world.child_number}").text
    assert "birth certificate seen" in after and "Підтверджено" in after


def test_search_results_give_their_reasons_in_the_page_s_language(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "analyst")
    uk = app_client.get("/search/results", params={"q": "Aleksandr Kovalenko"}).text
    assert world.child_number in uk
    assert "Ім’я: Олександр · те саме ім’я (Олександр)" in uk
    assert "same name" not in uk and "given name" not in uk.lower()
    app_client.get("/language/en")
    en = app_client.get("/search/results", params={"q": "Aleksandr Kovalenko"}).text
    assert "Given name: Олександр · same name (Олександр)" in en


def test_report_candidates_and_the_review_page_speak_the_page_s_language(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    form = app_client.get("/reports/new")
    assert "РРРР-ММ-ДД, або РРРР-ММ, або РРРР" in form.text
    assert "YYYY" not in form.text
    typed = {"given_name": "Oleksandr", "family_name": "Kovalenko"}
    live = app_client.post(
        "/reports/candidates", data=typed, headers={"X-CSRF-Token": csrf_of(form.text)}
    )
    assert world.child_number in live.text
    assert "Прізвище: Kovalenko ~ Коваленко, варіант транслітерації" in live.text
    assert "transliteration" not in live.text
    item = app_client.get(f"/review/{world.candidate_id}").text
    assert '<th scope="row">Ім’я</th>' in item
    assert "те саме ім’я (Олександр), російська форма" in item
    assert "Russian form" not in item and "given name" not in item
    queue = app_client.get("/review").text
    assert "те саме ім’я (Олександр)" in queue and "same name" not in queue


def test_a_field_the_report_could_not_keep_is_named_and_marked(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    token = csrf_of(app_client.get("/reports/new").text)
    answer = app_client.post(
        "/reports", data={"given_name": "Оля", "birth_date": "2012-02-31", "csrf_token": token}
    )
    assert answer.status_code == 422
    assert '<a href="#f-birth_date">Дата народження</a>: ' in answer.text
    field = answer.text.split('name="birth_date"')[1].split(">")[0]
    assert 'aria-describedby="h-birth_date error-summary"' in field
    assert 'aria-invalid="true"' in field
    assert 'aria-invalid="true"' not in answer.text.split('name="given_name"')[1].split(">")[0]


def test_home_counts_agree_with_their_number(app_client: TestClient, world: World) -> None:
    sign_in(app_client, world, "case_worker")
    home = app_client.get("/").text
    assert '<span class="figure">1</span>запропонований збіг чекає на розгляд' in home
    app_client.get("/language/en")
    home = app_client.get("/").text
    assert '<span class="figure">1</span>proposed match waits for review' in home


def test_the_case_page_names_relatives_in_the_page_s_language(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    uk = app_client.get(f"/cases/{world.child_number}").text
    assert "<td>Коваленко Олена Петрівна</td><td>Мати</td>" in uk
    app_client.get("/language/en")
    en = app_client.get(f"/cases/{world.child_number}").text
    assert "<td>Коваленко Олена Петрівна</td><td>Mother</td>" in en


def test_every_page_names_its_icon_and_the_menu_is_short(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    home = app_client.get("/").text
    assert '<link rel="icon" href="data:,">' in home  # no request for /favicon.ico
    assert "img-src 'self' data:" in app_client.get("/").headers["content-security-policy"]
    menu = home[home.index("<nav") : home.index("</nav>")]
    assert ">Сортування</a>" in menu and "Публічні повідомлення" not in menu
    triage = app_client.get("/triage").text
    assert "<h1>Публічні повідомлення для сортування</h1>" in triage
