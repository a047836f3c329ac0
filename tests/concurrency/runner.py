"""Many writers at once: threads released together, each with its own unit of
work, and what became of each.

A writer either succeeds, or is refused with a :class:`Conflict` whose message
tells its user what to do (reload, try again, undo first); anything else (a
database error, a deadlock that the database broke, a thread that never came
back) fails the test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from homeward.errors import Conflict

JOIN_TIMEOUT = 60.0
"""Seconds every writer together may take: a thread still running after it is
taken as a deadlock."""

ACTIONABLE = (
    "reload",
    "again",
    "undo",
    "first",
    "start a new version",
    "allowed",
    "instead",
    "there",
)
"""What a conflict's message must say, in one form or another: what the user
does next (reload, try or run again, undo first, what is allowed instead, which case
to use)."""


def check_message(name: str, conflict: Conflict) -> None:
    message = str(conflict)
    assert any(hint in message for hint in ACTIONABLE), (
        f"{name}: the conflict does not say what to do: {message!r}"
    )


class Retries:
    """Conflicts met by writers that read again and retry, from any thread."""

    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []
        self._lock = threading.Lock()

    def attempt(self, name: str, job: Callable[[], Any]) -> bool:
        """Run ``job``: True if it went through, False if it met a conflict."""
        try:
            job()
        except Conflict as err:
            check_message(name, err)
            with self._lock:
                self.conflicts.append(err)
            return False
        return True


@dataclass
class Outcome:
    name: str
    result: Any = None
    conflict: Conflict | None = None
    error: BaseException | None = None
    finished_at: float = 0.0

    @property
    def ok(self) -> bool:
        return self.conflict is None and self.error is None


@dataclass
class Round:
    """Every writer's outcome, in the order they were given."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def succeeded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def conflicts(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.conflict is not None]


Writer = tuple[str, Callable[[], Any]]
"""A name (for messages) and the work, which opens and commits its own unit of work."""


def at_once(writers: Sequence[Writer], *, timeout: float = JOIN_TIMEOUT) -> Round:
    """Run every writer in a thread of its own, all released at the same
    moment; fail on a hang, an unexpected error, or a conflict that does not
    say what to do."""
    barrier = threading.Barrier(len(writers))
    outcomes = [Outcome(name) for name, _ in writers]

    def work(outcome: Outcome, job: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            outcome.result = job()
        except Conflict as err:
            outcome.conflict = err
        except BaseException as err:  # reported below, with the writer's name
            outcome.error = err
        outcome.finished_at = time.monotonic()

    threads = [
        threading.Thread(target=work, args=(o, job), name=o.name, daemon=True)
        for o, (_, job) in zip(outcomes, writers, strict=True)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    hung = [t.name for t in threads if t.is_alive()]
    assert not hung, f"writers still running after {timeout:.0f} s (a deadlock?): {hung}"
    errors = [o for o in outcomes if o.error is not None]
    assert not errors, "writers failed with something other than a conflict:\n" + "\n".join(
        f"  {o.name}: {type(o.error).__name__}: {o.error}" for o in errors
    )
    for outcome in outcomes:
        if outcome.conflict is not None:
            check_message(outcome.name, outcome.conflict)
    return Round(outcomes)
