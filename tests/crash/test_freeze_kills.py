"""A list freeze killed at random points: a version is frozen whole (entries,
content, hash, signature, inclusion events) or still approved."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from homeward.services.registry_app import Registry
from tests.crash import setups
from tests.crash.harness import Forker, Tally, kill_many

pytestmark = pytest.mark.crash


def test_a_killed_freeze_leaves_the_version_approved_or_frozen_whole(
    forker: Forker, registry: Registry, backend: str, report_kills: Callable[[Tally], None]
) -> None:
    units = setups.list_units(registry, 38, children=6)
    tally = kill_many(
        forker, registry, "freeze", units, label="list freeze",
        progress=setups.list_progress, kills=20, seed=3, backend=backend,
    )  # fmt: skip
    report_kills(tally)
