"""Crash tests: a ``crash`` mark (``pytest -m crash``) and, at the end of a
run, the kills each operation survived on each database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.crash.harness import Forker, Tally

_TALLIES: list[Tally] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "crash: kills operations mid-way (tests/crash)")


@pytest.fixture
def report_kills(record_property: Callable[[str, object], None]) -> Callable[[Tally], None]:
    """Keep a test's tally for the summary (and as a property of the test)."""

    def keep(tally: Tally) -> None:
        _TALLIES.append(tally)
        record_property("kills", tally.kills)
        print(tally.line())

    return keep


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _TALLIES:
        terminalreporter.section("kills survived")
        for tally in sorted(_TALLIES, key=lambda t: (t.operation, t.backend)):
            terminalreporter.write_line(tally.line())


@pytest.fixture(scope="session")
def forker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Forker]:
    """One fork server per test process (it loads Homeward once)."""
    server = Forker(tmp_path_factory.mktemp("forker") / "children.log")
    yield server
    server.close()
