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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)

from homeward.web import create_app
from homeward.web.i18n import Translator
from homeward.web.messages import UKRAINIAN
from tests.web.conftest import PASSWORD, World, world

__all__ = ["PASSWORD", "Browsing", "LiveServer", "OpenBrowser", "World", "world"]

CHROMIUM = Path(os.environ.get("HOMEWARD_CHROMIUM", "/usr/bin/chromium"))
SKIP_BROWSER = os.environ.get("HOMEWARD_SKIP_BROWSER") == "1"
SCREENSHOTS = os.environ.get("HOMEWARD_SCREENSHOTS", "")
TIMEOUT_MS = 10_000
LOCALES = {"uk": "uk-UA", "en": "en-GB"}
"""The browser's own language for each of the app's: the app answers in it until
the person picks another in the header."""

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
    used_steps: dict[str, int] = field(default_factory=dict)
    """The last TOTP step each user signed in with, whichever browser they used."""


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
    language: str = "uk"
    problems: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def world(self) -> World:
        return self.live.world

    def url(self, path: str) -> str:
        return self.live.url + path

    def say(self, english: str, **values: object) -> str:
        """A text as the pages show it in this browser's language.  In Ukrainian
        the text must have its Ukrainian: a test never passes on English words
        left in a Ukrainian page."""
        if self.language == "uk" and re.search(r"[A-Za-z]{2}", english):
            assert english in UKRAINIAN, f"no Ukrainian for {english!r}"
        return Translator(self.language).gettext(english, **values)

    def status(self, value: str) -> str:
        """A case status as the pages name it in this browser's language."""
        return Translator(self.language).status(value)

    def code_for(self, username: str) -> str:
        """The user's current TOTP code; a code is accepted once, so a second
        sign-in within the same 30 seconds uses the next step's code (the server
        accepts one step of clock drift)."""
        totp = pyotp.TOTP(self.world.secrets[username])
        used = self.live.used_steps
        step = max(int(time.time()) // 30, used.get(username, -1) + 1)
        used[username] = step
        return totp.at(step * 30)

    def sign_in(self, username: str, next_path: str = "/") -> None:
        """Password, then the code, by mouse and keyboard as a person does it."""
        page = self.page
        page.goto(self.url(next_path))
        page.wait_for_url(re.compile(r"/signin\?next="))
        page.get_by_label(self.say("Username")).fill(username)
        page.get_by_label(self.say("Password")).fill(PASSWORD)
        page.get_by_role("button", name=self.say("Continue")).click()
        page.wait_for_url(re.compile(r"/signin/code\?"))
        page.get_by_label(self.say("Code")).fill(self.code_for(username))
        page.get_by_role("button", name=self.say("Sign in")).click()
        page.wait_for_url(self.url(next_path))

    def shot(self, name: str) -> None:
        """Save a full-page screenshot when HOMEWARD_SCREENSHOTS names a folder
        (from the SQLite run in Ukrainian only: the pages are the same on
        PostgreSQL, and Ukrainian is the language people read them in)."""
        if not SCREENSHOTS or self.backend != "sqlite" or self.language != "uk":
            return
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    def answered_on_purpose(self, status: int) -> None:
        """The page just answered ``status`` by design (a form sent back with what
        to correct, as 422): Chromium logs that answer as a console error.  That
        one is expected and dropped; it must have happened, and anything else
        reported stays."""
        mark = f"the server responded with a status of {status}"
        new = self.problems[self.checked :]
        assert any(mark in p for p in new), f"the page did not answer {status}: {new}"
        self.problems[self.checked :] = [p for p in new if mark not in p]

    def assert_clean(self) -> None:
        """Nothing went wrong in the browser since the last check."""
        new, self.checked = self.problems[self.checked :], len(self.problems)
        assert not new, "the browser reported:\n" + "\n".join(new)


def _open(
    browser: Browser, live: LiveServer, backend: str, language: str
) -> tuple[BrowserContext, Browsing]:
    """A fresh browser context (no cookies) whose language is ``language``, with
    every page it opens watched."""
    context = browser.new_context(
        base_url=live.url,
        locale=LOCALES[language],
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    found = Browsing(page=page, live=live, backend=backend, language=language)

    def on_console(message: ConsoleMessage) -> None:
        where = message.location.get("url") or page.url
        if message.type == "error":
            found.problems.append(f"console error on {page.url} ({where}): {message.text}")

    context.expose_function(
        "__homewardViolation",
        lambda text: found.problems.append(f"CSP violation on {page.url}: {text}"),
    )
    context.add_init_script(CSP_LISTENER)
    page.on("console", on_console)
    page.on("pageerror", lambda err: found.problems.append(f"script error on {page.url}: {err}"))
    return context, found


@pytest.fixture
def browsing(browser: Browser, live: LiveServer, backend: str) -> Iterator[Browsing]:
    """One person's browser, in Ukrainian."""
    context, found = _open(browser, live, backend, "uk")
    yield found
    context.close()
    found.assert_clean()


OpenBrowser = Callable[[str], Browsing]
"""Opens one more person's browser on the same live server, in the language given."""


@pytest.fixture
def open_browser(browser: Browser, live: LiveServer, backend: str) -> Iterator[OpenBrowser]:
    """Several people at once, each at a browser of their own (``open_browser("en")``);
    every one is closed and checked for problems at the end."""
    opened: list[tuple[BrowserContext, Browsing]] = []

    def open_one(language: str) -> Browsing:
        opened.append(_open(browser, live, backend, language))
        return opened[-1][1]

    yield open_one
    for context, _found in opened:
        context.close()
    for _context, found in opened:
        found.assert_clean()


@pytest.fixture(params=["uk", "en"])
def language(request: pytest.FixtureRequest) -> str:
    """The language of a journey's browsers: Ukrainian (the default), then English."""
    return str(request.param)
