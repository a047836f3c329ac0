"""What case workers do in a real browser, with the mouse and the keyboard:
sign in, search as they type, open a case, take a report and link it, review a
proposed match, switch the language, sign out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, Browsing
from tests.web.conftest import RUSSIAN

pytestmark = pytest.mark.browser

WORKER = "case_worker"
SHOWN_NAME = "Коваленко Олександр"
"""How the registry shows the world's child: family name first."""


def test_sign_in_with_password_then_code(browsing: Browsing) -> None:
    page = browsing.page
    page.goto(browsing.url("/"))
    # Not signed in: sent to sign in, and back to the page asked for afterwards.
    expect(page).to_have_url(re.compile(r"/signin\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    browsing.shot("signin")
    page.get_by_label("Ім’я користувача").fill(WORKER)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Далі").click()
    expect(page.get_by_role("heading", name="Другий фактор")).to_be_visible()
    # The password alone opens nothing: a page asked for now sends back to sign in.
    page.goto(browsing.url("/search"))
    expect(page).to_have_url(re.compile(r"/signin\?next=/search$"))
    expect(page.get_by_role("heading", name="Увійти")).to_be_visible()
    page.goto(browsing.url("/signin/code?next=/search"))
    page.get_by_label("Код").fill(browsing.code_for(WORKER))
    page.get_by_role("button", name="Увійти").click()
    expect(page).to_have_url(browsing.url("/search"))
    expect(page.get_by_role("navigation", name="Головне меню")).to_be_visible()
    expect(page.locator("header.top")).to_contain_text(f"{WORKER} user")
    page.goto(browsing.url("/"))
    expect(page.get_by_role("heading", name="Моя робота")).to_be_visible()
    # The world's proposed match waits for this reviewer.
    expect(page.locator("a.card[href='/review']")).to_contain_text("1")
    browsing.shot("home")
    browsing.assert_clean()


def test_sign_in_form_by_keyboard_alone(browsing: Browsing) -> None:
    page = browsing.page
    page.goto(browsing.url("/signin"))
    # The username field has the focus when the page opens.
    expect(page.get_by_label("Ім’я користувача")).to_be_focused()
    page.keyboard.type(WORKER)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Пароль")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Далі")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Другий фактор")).to_be_visible()
    expect(page.get_by_label("Код")).to_be_focused()
    page.keyboard.type(browsing.code_for(WORKER))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Моя робота")).to_be_visible()
    # The first Tab on a page reaches the skip link, and it leads to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти до змісту")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    browsing.assert_clean()


def test_search_as_you_type_then_open_the_case(browsing: Browsing) -> None:
    page = browsing.page
    browsing.sign_in(WORKER)
    page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Пошук").click()
    box = page.get_by_role("searchbox")
    expect(box).to_be_focused()
    box.press_sequentially("Aleksandr Kovalenko", delay=20)
    results = page.locator("#results")
    # Found in Cyrillic from a Latin spelling, without pressing Enter.
    first = results.locator("ol.results > li").first
    expect(first).to_contain_text(SHOWN_NAME)
    expect(first).to_contain_text(browsing.world.child_number)
    expect(page).to_have_url(browsing.url("/search"))
    browsing.shot("search")
    # Typing on narrows or widens the list again, still without Enter.
    box.press_sequentially(" 2012", delay=20)
    expect(first).to_contain_text(SHOWN_NAME)
    box.fill("")
    box.press_sequentially("Zzyzx Qwerty", delay=20)
    expect(results).to_contain_text("дітей не знайдено")
    box.fill("")
    box.press_sequentially("Олександр Коваленко", delay=20)
    link = results.get_by_role("link", name=re.compile(browsing.world.child_number))
    link.click()
    expect(page).to_have_url(browsing.url(f"/cases/{browsing.world.child_number}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(browsing.world.child_number)
    expect(page.get_by_role("heading", name="Записи (1)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Коваленко Олена Петрівна")
    browsing.shot("case")
    browsing.assert_clean()


def test_new_report_shows_candidates_as_typed_then_is_linked(browsing: Browsing) -> None:
    page = browsing.page
    number = browsing.world.child_number
    browsing.sign_in(WORKER)
    page.get_by_role("navigation", name="Головне меню").get_by_role(
        "link", name="Нове повідомлення"
    ).click()
    candidates = page.locator("#candidates")
    expect(candidates).to_contain_text("Можливі збіги з’являються тут")
    page.get_by_label("Прізвище").press_sequentially("Kovalenko", delay=10)
    page.get_by_label("Ім’я", exact=True).press_sequentially("Oleksandr", delay=10)
    page.get_by_label("Дата народження").press_sequentially("2012-03-04", delay=10)
    # The child already in the registry appears beside the form while it is typed.
    expect(candidates.get_by_role("link", name=re.compile(number))).to_be_visible()
    expect(candidates).to_contain_text(SHOWN_NAME)
    browsing.shot("report-new")
    page.get_by_label("Хто повідомляє").fill("Бондар Марина")
    page.get_by_role("button", name="Зберегти повідомлення").click()
    expect(page.get_by_role("heading", name="Повідомлення збережено")).to_be_visible()
    choice = page.locator("ol.results > li").filter(
        has=page.get_by_role("link", name=re.compile(number))
    )
    choice.get_by_label("Чому це саме ця дитина").fill("same name and date of birth")
    choice.get_by_role("button", name="Віднести до цієї справи").click()
    # Linked: the case now has the new report beside its first record.
    expect(page).to_have_url(browsing.url(f"/cases/{number}"))
    expect(page.get_by_role("heading", name="Записи (2)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kovalenko")
    browsing.assert_clean()


def test_review_a_proposed_match_side_by_side_and_accept(browsing: Browsing) -> None:
    page = browsing.page
    item = browsing.world.candidate_id
    browsing.sign_in("verifier")
    page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Розгляд").click()
    expect(page.get_by_role("heading", name="Черга розгляду")).to_be_visible()
    page.get_by_role("link", name=str(item), exact=True).click()
    expect(page).to_have_url(browsing.url(f"/review/{item}"))
    compare = page.locator("table.compare")
    # The report and the case side by side, field by field.
    headers = compare.locator("thead th")
    expect(headers.nth(2)).to_have_text(browsing.world.child_number)
    given = compare.locator("tbody tr").filter(has_text=RUSSIAN["given_name"])
    expect(given.locator("td").nth(0)).to_have_text(RUSSIAN["given_name"])
    expect(given.locator("td").nth(1)).to_have_text("Олександр")
    browsing.shot("review-item")
    page.get_by_label("Причина").fill("the same boy in a Russian list")
    page.get_by_role("button", name="Прийняти: це та сама дитина").click()
    expect(page).to_have_url(browsing.url("/review"))
    expect(page.locator("main")).to_contain_text("Нічого не чекає на розгляд.")
    # The Russian record now belongs to the case.
    page.goto(browsing.url(f"/cases/{browsing.world.child_number}"))
    expect(page.get_by_role("heading", name="Записи (2)")).to_be_visible()
    expect(page.locator("main")).to_contain_text(RUSSIAN["given_name"])
    browsing.assert_clean()


def test_switch_language_to_english_and_back(browsing: Browsing) -> None:
    page = browsing.page
    browsing.sign_in(WORKER, next_path="/search")
    html = page.locator("html")
    nav = page.get_by_role("navigation", name="Головне меню")
    expect(html).to_have_attribute("lang", "uk")
    expect(nav.get_by_role("link", name="Пошук")).to_be_visible()
    page.locator("header .tools").get_by_role("link", name="EN").click()
    # The same page, now in English.
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(browsing.url("/search"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases")
    ).to_be_visible()
    # The choice is kept from page to page.
    page.goto(browsing.url("/"))
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    page.locator("header .tools").get_by_role("link", name="UK").click()
    expect(html).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", name="Моя робота")).to_be_visible()
    browsing.assert_clean()


def test_sign_out_ends_the_session_on_the_server(browsing: Browsing) -> None:
    page = browsing.page
    browsing.sign_in(WORKER)
    context = page.context
    [session] = [c for c in context.cookies() if c["name"] == "hw_session"]
    page.get_by_role("button", name="Вийти").click()
    expect(page).to_have_url(browsing.url("/signin"))
    expect(page.get_by_role("heading", name="Увійти")).to_be_visible()
    page.goto(browsing.url("/"))
    expect(page).to_have_url(re.compile(r"/signin\?next=/$"))
    # The old cookie, put back, is worth nothing: the server ended the session.
    context.add_cookies([{"name": session["name"], "value": session["value"],
                          "url": browsing.url("/")}])  # fmt: skip
    page.goto(browsing.url("/cases"))
    expect(page).to_have_url(re.compile(r"/signin\?next=/cases$"))
    # And signing in again works.
    browsing.sign_in(WORKER)
    expect(page.get_by_role("heading", name="Моя робота")).to_be_visible()
    browsing.assert_clean()
