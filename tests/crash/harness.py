"""Kill an operation at random points, many times over, and check what is left.

:func:`kill_many` takes a list of units of one operation (a file to import, a
proposal to accept, two cases to merge, a list to freeze), all alike, and:

1. runs the first units of each kind uninterrupted in child processes: the
   median of their times is the operation's typical duration, and the rows
   they add are what every other unit of that kind must add, no more, no less;
2. for each other unit, starts it in a child, waits a delay drawn (from a
   seeded generator) between 0 and the typical duration, and kills the child
   with SIGKILL: no cleanup, no rollback by the child, exactly as a power cut
   or the OOM killer would;
3. checks the registry (``invariants``): consistent, the audit chain verifies,
   the replay of the trail finds nothing changed behind its back, and the unit
   is either not done at all or done whole (or, for an import, done in whole
   batches);
4. runs the unit again to the end (here; a command in a child of its own): a
   unit that had committed is refused (a ``Conflict``; a command fails) or, for
   an import, adds nothing; then checks that it added exactly what the
   uninterrupted run added: nothing twice, nothing lost.

A kill that comes after the child finished is not counted as one; the test
asks for a number of kills that landed.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from homeward.errors import Conflict
from homeward.services.registry_app import Registry
from tests.crash import driver
from tests.crash.invariants import assert_consistent, difference, row_counts

CHILD_TIMEOUT = 120.0
"""Seconds a child may take to become ready or to finish: past it, the test
fails (a child that hangs is a finding, not a reason to wait for ever)."""

CALIBRATION_RUNS = 3
"""Uninterrupted runs of each kind of unit: the median of their times is the
operation's typical duration, and each must add the same rows."""

LOAD_TIMEOUT = 600.0
"""Seconds the fork server may take to load Homeward and its names data (a
busy machine makes it slow; it happens once per test process)."""

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Unit:
    """One operation to run: ``kind`` groups units that must add the same rows."""

    label: str
    args: driver.Unit
    kind: str = "default"


@dataclass
class Child:
    """What became of one run in a child process."""

    killed: bool
    """The child was still working when the kill came."""
    seconds: float | None
    """How long the work took (a child that finished), else None."""
    exitcode: int


def env_of(registry: Registry) -> dict[str, str]:
    """What a child needs to open the same registry as the test."""
    settings = registry.settings
    return {
        "HOMEWARD_DATABASE_URL": settings.resolved_database_url(),
        "HOMEWARD_DATA_DIR": str(settings.data_dir),
    }


class Forker:
    """The test's side of ``tests.crash.forker``: send a job, kill the child."""

    def __init__(self, log: Path) -> None:
        self.log_path = log
        self._log = log.open("wb")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.forker"], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
        )  # fmt: skip
        assert self.process.stdin is not None and self.process.stdout is not None
        self._in, self._out = self.process.stdin, self.process.stdout.fileno()
        self._buffer = b""
        self._next("loaded", LOAD_TIMEOUT)

    def _event(self, timeout: float) -> dict[str, Any] | None:
        """The next event, or None if ``timeout`` passes first."""
        deadline = time.monotonic() + timeout
        while True:
            line, sep, rest = self._buffer.partition(b"\n")
            if sep:
                self._buffer = rest
                event: dict[str, Any] = json.loads(line)
                return event
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._out], [], [], left)[0]:
                return None
            block = os.read(self._out, 65536)
            if not block:
                raise AssertionError(f"the fork server ended; see {self.log_path}")
            self._buffer += block

    def _next(self, wanted: str, timeout: float) -> Any:
        """The value of the next event, which must be ``wanted`` (None if
        ``timeout`` passes first)."""
        event = self._event(timeout)
        if event is None:
            return None
        if wanted not in event:
            raise AssertionError(f"fork server: expected {wanted}, got {event}")
        return event[wanted]

    def run(self, operation: str, env: dict[str, str], unit: driver.Unit,
            kill_after: float | None) -> Child:  # fmt: skip
        """Run ``operation`` on ``unit`` in a child; SIGKILL it ``kill_after``
        seconds after it is ready (None: let it finish)."""
        job = {"operation": operation, "env": env, "unit": unit}
        self._in.write((json.dumps(job) + "\n").encode())
        self._in.flush()
        pid = self._next("pid", CHILD_TIMEOUT)
        if self._next("ready", CHILD_TIMEOUT) is None:
            raise AssertionError(f"{operation} {unit}: the child never became ready")
        seconds = self._next("seconds", CHILD_TIMEOUT if kill_after is None else kill_after)
        if seconds is None and kill_after is None:
            raise AssertionError(f"{operation} {unit}: the child did not finish")
        if seconds is None:
            os.kill(pid, signal.SIGKILL)
        while True:
            event = self._event(CHILD_TIMEOUT)
            if event is None:
                raise AssertionError(f"{operation} {unit}: the child did not end")
            if "seconds" in event:  # it finished its work just as the kill came
                seconds = event["seconds"]
                continue
            return Child(seconds is None, seconds, int(event["exit"]))

    def close(self) -> None:
        self._in.close()
        self.process.wait(CHILD_TIMEOUT)
        self._log.close()


@dataclass
class Tally:
    """Kills survived, and what each one left behind."""

    operation: str
    backend: str
    kills: int = 0
    left_undone: int = 0
    left_done: int = 0
    left_partial: int = 0
    finished_first: int = 0
    """Children that finished before their kill came (not counted as kills)."""
    typical_seconds: dict[str, float] = field(default_factory=dict)
    units_run: int = 0
    """Units run (uninterrupted, killed or finished first), the first ones given."""

    def line(self) -> str:
        return (
            f"{self.operation} on {self.backend}: {self.kills} kills survived "
            f"({self.left_undone} left nothing, {self.left_partial} left whole batches, "
            f"{self.left_done} had committed; {self.finished_first} finished before the kill)"
        )


Progress = Callable[[Registry, Unit], str]
"""How far a unit got: ``none``, ``partial`` (an import's whole batches) or ``done``."""


def kill_many(
    forker: Forker,
    registry: Registry,
    operation: str,
    units: Sequence[Unit],
    *,
    progress: Progress,
    kills: int,
    seed: int,
    backend: str,
    writes: bool = True,
    label: str | None = None,
) -> Tally:
    """See the module's doc.  Fails unless at least ``kills`` kills landed.
    ``writes=False``: the operation changes nothing in the database (a backup),
    so every run must leave the row counts as they were.  ``label``: the
    operation's name in the figures (default ``operation``)."""
    rng = random.Random(seed)
    tally = Tally(label or operation, backend)
    deltas: dict[str, dict[str, int]] = {}
    timings: dict[str, list[float]] = {}
    assert_consistent(registry, "setting up")
    for unit in units:
        before = row_counts(registry)
        if len(timings.setdefault(unit.kind, [])) < CALIBRATION_RUNS:
            child = forker.run(operation, env_of(registry), unit.args, None)
            assert child.exitcode == 0 and child.seconds is not None, f"{unit.label} failed"
            timings[unit.kind].append(child.seconds)
            tally.typical_seconds[unit.kind] = statistics.median(timings[unit.kind])
            found = difference(before, row_counts(registry))
            assert bool(found) == writes, f"{unit.label} changed {found or 'nothing'}"
            assert deltas.setdefault(unit.kind, found) == found, (
                f"{unit.label} added {found}, another like it {deltas[unit.kind]}"
            )
            assert progress(registry, unit) == "done"
            assert_consistent(registry, f"{unit.label}, uninterrupted")
            tally.units_run += 1
            continue
        if tally.kills >= kills:
            break
        tally.units_run += 1
        delay = rng.uniform(0.0, tally.typical_seconds[unit.kind])
        child = forker.run(operation, env_of(registry), unit.args, delay)
        if not child.killed:
            tally.finished_first += 1
            assert child.exitcode == 0, f"{unit.label} failed (exit {child.exitcode})"
            if child.seconds is not None:
                # the machine got quicker since the calibration: aim earlier
                timings[unit.kind].append(child.seconds)
                recent = timings[unit.kind][-CALIBRATION_RUNS:]
                tally.typical_seconds[unit.kind] = statistics.median(recent)
        else:
            tally.kills += 1
        when = f"{unit.label} killed {delay * 1000:.0f} ms in"
        assert_consistent(registry, when)
        left = progress(registry, unit)
        found = difference(before, row_counts(registry))
        if left == "none":
            tally.left_undone += child.killed
            assert found == {}, f"{when}: nothing done, yet rows changed: {found}"
        elif left == "done":
            tally.left_done += child.killed
            assert found == deltas[unit.kind], f"{when}: done, but {found}"
        else:
            assert left == "partial", left
            tally.left_partial += child.killed
        started = time.perf_counter()
        if operation == "command":  # the homeward command, in a process of its own
            again = forker.run(operation, env_of(registry), unit.args, None)
            refused = again.exitcode != 0
            assert refused == (left == "done"), f"{when}, then run again: exit {again.exitcode}"
        else:
            try:  # done or not, running it again must finish it and add nothing twice
                driver.OPERATIONS[operation](registry, unit.args)
            except Conflict:
                if left != "done":
                    raise
        rerun = time.perf_counter() - started
        assert progress(registry, unit) == "done", f"{when}: running it again did not finish it"
        found = difference(before, row_counts(registry))
        assert found == deltas[unit.kind], (
            f"{when}, then run again: added {found}; an uninterrupted run adds "
            f"{deltas[unit.kind]} ({rerun:.2f} s)"
        )
    assert_consistent(registry, "every unit killed and run again")
    assert tally.kills >= kills, (
        f"only {tally.kills} kills landed ({tally.finished_first} children finished first): "
        "give the test more units"
    )
    return tally
