"""Every page a role's menu offers opens cleanly in a real browser: no error
answer, no console error, no script error, no Content-Security-Policy violation
(an inline script or style anywhere would be one)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from homeward.domain.roles import Role
from tests.browser.conftest import Browsing

pytestmark = pytest.mark.browser

ROLES = [r.value for r in Role if r != Role.SYSTEM]


def menu_paths(browsing: Browsing) -> list[str]:
    nav = browsing.page.get_by_role("navigation", name="Головне меню")
    hrefs = nav.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [str(h) for h in hrefs]


def test_every_menu_page_of_every_role_opens_cleanly(browsing: Browsing) -> None:
    page = browsing.page
    opened: dict[str, list[str]] = {}
    for role in ROLES:
        browsing.sign_in(role)
        paths = menu_paths(browsing)
        assert paths and paths[0] == "/", f"{role} has no menu"
        for path in paths:
            answer = page.goto(browsing.url(path))
            assert answer is not None and answer.ok, f"{role}: {path} answered {answer}"
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", "uk")
            # The page marks where the person is in the menu.
            current = page.locator("nav a[aria-current='page']")
            expect(current).to_have_attribute("href", path)
        opened[role] = paths
        page.get_by_role("button", name="Вийти").click()
        expect(page.get_by_role("heading", name="Увійти")).to_be_visible()
    browsing.assert_clean()
    # Menus differ by role: what a case worker may do is not offered to an auditor.
    assert "/reports/new" in opened["case_worker"]
    assert "/reports/new" not in opened["auditor"]
    assert "/review" not in opened["analyst"]


def test_the_watch_catches_what_these_tests_forbid(browsing: Browsing) -> None:
    """The watch on every page is what the other tests rely on: an inline style,
    an inline script and a script error are each caught."""
    page = browsing.page
    page.goto(browsing.url("/signin"))
    browsing.assert_clean()
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate(
        "const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        "document.body.append(s)"
    )
    page.evaluate("setTimeout(() => { throw new Error('boom') }, 0)")
    page.wait_for_timeout(300)
    caught = "\n".join(browsing.problems)
    assert "CSP violation" in caught and "style-src" in caught, caught
    assert "script-src" in caught, caught
    assert "script error" in caught and "boom" in caught, caught
    browsing.problems.clear()
    browsing.checked = 0
