"""One generated registry shared by the tests that measure it."""

from __future__ import annotations

import pytest

from homeward.synthetic import SyntheticDataset, generate


@pytest.fixture(scope="session")
def dataset() -> SyntheticDataset:
    return generate(4000, seed=11)
