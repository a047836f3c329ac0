"""A review decision killed at random points: the proposal, the link or the
merge it makes, and the audit trail stay together."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from homeward.services.registry_app import Registry
from tests.crash import setups
from tests.crash.harness import Forker, Tally, kill_many

pytestmark = pytest.mark.crash


def test_a_killed_acceptance_links_or_merges_whole_or_not_at_all(
    forker: Forker, registry: Registry, backend: str, report_kills: Callable[[Tally], None]
) -> None:
    units = setups.proposal_units(registry, 44)
    tally = kill_many(
        forker, registry, "decide", units, label="review decision",
        progress=setups.proposal_progress, kills=20, seed=2, backend=backend,
    )  # fmt: skip
    report_kills(tally)
