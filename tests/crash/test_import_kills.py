"""A bulk import killed at random points: whole batches or nothing, and
running it again finishes it with every row once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from homeward.services.registry_app import Registry
from tests.crash import driver, setups
from tests.crash.harness import Forker, Tally, kill_many
from tests.crash.invariants import row_counts

pytestmark = pytest.mark.crash


def test_a_killed_import_is_finished_by_running_it_again_and_adds_nothing_twice(
    forker: Forker,
    registry: Registry,
    backend: str,
    tmp_path: Path,
    report_kills: Callable[[Tally], None],
) -> None:
    units = setups.import_units(registry, tmp_path / "files", 34, rows=60)
    tally = kill_many(
        forker, registry, "import", units, progress=setups.import_progress, kills=20, seed=4,
        backend=backend,
    )  # fmt: skip
    report_kills(tally)
    before = row_counts(registry)
    for unit in units[
        : tally.units_run
    ]:  # a file imported before adds nothing, however it got there
        driver.import_file(registry, unit.args)
    assert row_counts(registry) == before
