"""Real-browser tests: the web app served by uvicorn on a free loopback port,
driven by Debian's Chromium (headless) through Playwright.

Every test gets the registry of ``tests/web/conftest.py``'s ``world`` (one user
per role with a known TOTP secret, a child, a partner's child, a proposed match),
on SQLite and on PostgreSQL like the rest of the suite, and a fresh browser
context (no cookies).  Every page the test opens is watched: a console error, an
uncaught script error or a Content-Security-Policy violation fails the test.

Screenshots are written only when ``HOMEWARD_SCREENSHOTS`` names a folder (see
docs/testing.md), so running the suite never changes the repository.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from homeward.web import create_app
from tests.web.conftest import PASSWORD, World, world

__all__ = ["PASSWORD", "Browsing", "LiveServer", "World", "world"]

CHROMIUM = Path(os.environ.get("HOMEWARD_CHROMIUM", "/usr/bin/chromium"))
SKIP_BROWSER = os.environ.get("HOMEWARD_SKIP_BROWSER") == "1"
SCREENSHOTS = os.environ.get("HOMEWARD_SCREENSHOTS", "")
TIMEOUT_MS = 10_000
KNOWN_MISSING = ("/favicon.ico",)
"""Files the browser asks for on its own that the app does not serve yet: the
pages name no icon, so Chromium tries /favicon.ico and logs its 404."""

# Reports every CSP violation of the page to Python.  Added as an init script,
# which the browser runs outside the page's CSP (the page itself has none inline).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__homewardViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@dataclass
class LiveServer:
    """The web app of one ``world``, served on 127.0.0.1 by uvicorn in a thread."""

    url: str
    world: World


@pytest.fixture
def live(world: World) -> Iterator[LiveServer]:
    app = create_app(world.settings, registry=world.registry)
    # A socket bound to port 0 here, handed to uvicorn: a free port with no race
    # between parallel workers.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, server_header=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the web app did not start on 127.0.0.1")
        time.sleep(0.02)
    yield LiveServer(url=f"http://127.0.0.1:{port}", world=world)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if SKIP_BROWSER:
        pytest.skip("HOMEWARD_SKIP_BROWSER=1")
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Chromium at {CHROMIUM}: run scripts/system-deps.sh "
            "(it installs Debian's chromium package), set HOMEWARD_CHROMIUM to another "
            "Chromium, or set HOMEWARD_SKIP_BROWSER=1 to leave these tests out"
        )
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # Chromium's sandbox refuses to start as root (CI machines run as root).
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    # Containers often have a tiny /dev/shm, which crashes Chromium's renderers.
    args.append("--disable-dev-shm-usage")
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
    yield launched
    launched.close()


@dataclass
class Browsing:
    """One person's browser on the live server: the page, and what went wrong on it."""

    page: Page
    live: LiveServer
    backend: str
    problems: list[str] = field(default_factory=list)
    checked: int = 0
    used_steps: dict[str, int] = field(default_factory=dict)

    @property
    def world(self) -> World:
        return self.live.world

    def url(self, path: str) -> str:
        return self.live.url + path

    def code_for(self, username: str) -> str:
        """The user's current TOTP code; a code is accepted once, so a second
        sign-in within the same 30 seconds uses the next step's code (the server
        accepts one step of clock drift)."""
        totp = pyotp.TOTP(self.world.secrets[username])
        step = max(int(time.time()) // 30, self.used_steps.get(username, -1) + 1)
        self.used_steps[username] = step
        return totp.at(step * 30)

    def sign_in(self, username: str, next_path: str = "/") -> None:
        """Password, then the code, by mouse and keyboard as a person does it."""
        page = self.page
        page.goto(self.url(next_path))
        page.wait_for_url(re.compile(r"/signin\?next="))
        page.get_by_label("Ім’я користувача").fill(username)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Далі").click()
        page.wait_for_url(re.compile(r"/signin/code\?"))
        page.get_by_label("Код").fill(self.code_for(username))
        page.get_by_role("button", name="Увійти").click()
        page.wait_for_url(self.url(next_path))

    def shot(self, name: str) -> None:
        """Save a full-page screenshot when HOMEWARD_SCREENSHOTS names a folder
        (from the SQLite run only: the pages are the same on PostgreSQL)."""
        if not SCREENSHOTS or self.backend != "sqlite":
            return
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        """Nothing went wrong in the browser since the last check."""
        new, self.checked = self.problems[self.checked :], len(self.problems)
        assert not new, "the browser reported:\n" + "\n".join(new)


@pytest.fixture
def browsing(browser: Browser, live: LiveServer, backend: str) -> Iterator[Browsing]:
    context = browser.new_context(
        base_url=live.url,
        locale="uk-UA",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    found = Browsing(page=page, live=live, backend=backend)

    def on_console(message: ConsoleMessage) -> None:
        where = message.location.get("url") or page.url
        if message.type == "error" and not where.endswith(KNOWN_MISSING):
            found.problems.append(f"console error on {page.url} ({where}): {message.text}")

    context.expose_function(
        "__homewardViolation",
        lambda text: found.problems.append(f"CSP violation on {page.url}: {text}"),
    )
    context.add_init_script(CSP_LISTENER)
    page.on("console", on_console)
    page.on("pageerror", lambda err: found.problems.append(f"script error on {page.url}: {err}"))
    yield found
    context.close()
    found.assert_clean()
