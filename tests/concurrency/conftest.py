"""Concurrency tests: a ``concurrency`` mark (``pytest -m concurrency``) and,
at the end of a run, the conflicts each scenario detected on each database."""

from __future__ import annotations

from collections.abc import Callable

import pytest

_COUNTS: list[tuple[str, str, int, int]] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "concurrency: many writers at once (tests/concurrency)")


ReportConflicts = Callable[[str, int, int], None]


@pytest.fixture
def report_conflicts(
    backend: str, record_property: Callable[[str, object], None]
) -> ReportConflicts:
    """Keep a scenario's figures for the summary: conflicts detected, and the
    changes that went through."""

    def keep(scenario: str, conflicts: int, succeeded: int) -> None:
        _COUNTS.append((scenario, backend, conflicts, succeeded))
        record_property("conflicts", conflicts)
        print(f"{scenario} on {backend}: {conflicts} conflicts detected, {succeeded} changes made")

    return keep


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _COUNTS:
        terminalreporter.section("conflicts detected")
        for scenario, backend, conflicts, succeeded in sorted(_COUNTS):
            terminalreporter.write_line(
                f"{scenario} on {backend}: {conflicts} conflicts detected, {succeeded} changes made"
            )
