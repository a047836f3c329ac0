"""A merge killed at random points: never a half-merged child."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from homeward.services.registry_app import Registry
from tests.crash import setups
from tests.crash.harness import Forker, Tally, kill_many

pytestmark = pytest.mark.crash


def test_a_killed_merge_leaves_both_cases_whole_and_finishes_when_run_again(
    forker: Forker, registry: Registry, backend: str, report_kills: Callable[[Tally], None]
) -> None:
    units = setups.merge_units(registry, 38)
    tally = kill_many(
        forker,
        registry,
        "merge",
        units,
        progress=setups.merge_progress,
        kills=20,
        seed=1,
        backend=backend,
    )
    report_kills(tally)
