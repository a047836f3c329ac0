"""What every fuzz test shares: a time budget per call (a hang is a failure),
the rule that only Homeward's own errors may escape a reader, and a count of
every table to show that a refused file changed nothing."""

from __future__ import annotations

import faulthandler
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TypeVar

import pytest
from sqlalchemy import func, select

from homeward.errors import HomewardError
from homeward.services.registry_app import Registry
from homeward.storage.tables import Base

T = TypeVar("T")

BUDGET = 5.0
"""Seconds one reading of one fuzzed input may take.  The inputs are small (a
few kilobytes), so anything near this is a hang or an explosion of work."""
HARD_FACTOR = 6
"""A reading stuck where no signal reaches it (inside a C loop) is ended from
outside after this many budgets: the traceback is dumped and the worker exits."""


class Hang(AssertionError):
    """A reading that did not return within its budget.  An ``AssertionError``
    rather than a ``BaseException``, so that hypothesis shrinks it like any
    failure, yet no reader's ``except ValueError`` catches it."""


@contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Fail with :class:`Hang` if the block takes longer than ``seconds``."""
    if threading.current_thread() is not threading.main_thread():  # pragma: no cover
        yield
        return
    started = time.monotonic()

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"{what} took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds * HARD_FACTOR, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.monotonic() - started
    if elapsed > seconds:  # the alarm came while a C call held on
        raise Hang(f"{what} took {elapsed:.1f} s (budget {seconds:g} s)")


def outcome(call: Callable[[], T], what: str, seconds: float = BUDGET) -> T | HomewardError:
    """Run one reading: its result, or the Homeward error it raised on purpose.
    Any other exception (a crash) and any hang fail the test."""
    with within(seconds, what):
        try:
            return call()
        except HomewardError as err:
            assert str(err).strip(), f"{what}: {type(err).__name__} with no message"
            return err


def table_counts(registry: Registry) -> dict[str, int]:
    """How many rows each table holds (the audit trail among them)."""
    with registry.uow(write=False) as uow:
        return {
            table.name: int(uow.session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="session", autouse=True)
def names_data_loaded() -> None:
    """Load the names layer's data (several seconds, once per process) before
    any reading is timed."""
    from homeward.linkage.model import default_model
    from homeward.linkage.prepare import prepare
    from homeward.linkage.scoring import score_pair
    from homeward.names.places import resolve_place

    score_pair(
        default_model(),
        {"full_name": "Коваленко Олександр Сергійович", "birth_place": "Маріуполь"},
        {"full_name": "KOVALENKO Aleksandr", "given_name": "Zbyszko", "birth_place": "Mariupol"},
    )
    prepare({"full_name": "Коваленко Олександр", "birth_date": "2012"})
    resolve_place("м. Бахмут, Донецька обл.")
