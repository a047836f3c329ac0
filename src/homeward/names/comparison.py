"""The result every comparison function of :mod:`homeward.names` returns."""

from __future__ import annotations

from typing import NamedTuple


class Comparison(NamedTuple):
    """A graded comparison of two values of one kind.

    ``level`` is a short machine name taken from the comparing module's ordered
    ``LEVELS`` tuple (strongest agreement first, ``"missing"`` last); the match
    model keys its weights on it.  ``reason`` says the same for a person, for
    example ``"same name, Russian form"``.

    >>> Comparison("exact", "identical").level
    'exact'
    """

    level: str
    reason: str
