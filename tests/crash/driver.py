"""The operations a crash test kills, each as a child process runs it
(``tests.crash.forker``) and as the test runs it again after a kill.

Each takes the registry the child opened from ``HOMEWARD_DATABASE_URL`` and
``HOMEWARD_DATA_DIR`` (as the ``homeward`` command does) and one unit: the
file, the proposal, the cases or the list to work on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeward import keys
from homeward.cli.main import app as homeward_command
from homeward.domain.roles import Actor, Role
from homeward.services import imports, lists, merging, review
from homeward.services.registry_app import Registry

IMPORTER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
REVIEWER = Actor(username="taras", role=Role.VERIFIER, user_id=2)
APPROVER = Actor(username="iryna", role=Role.VERIFIER, user_id=3)

Unit = dict[str, Any]


NOTHING_PROPOSED = review.Thresholds(auto_link=1.0, review=1.0)
"""Thresholds no pair reaches: every imported record opens a case of its own.
However alike two children of different files are, importing one file adds
what importing any other adds, which is how a re-run import is checked."""


def import_file(registry: Registry, unit: Unit) -> None:
    """A bulk import in small batches (each its own transaction), then the
    matching and a case opened for every record (one more transaction): a
    kill can fall between batches, inside one, or inside the last."""
    imports.import_file(
        registry, IMPORTER, unit["path"], batch_rows=unit["batch_rows"], open_cases=True,
        workers=1, thresholds=NOTHING_PROPOSED,
    )  # fmt: skip


def accept_proposal(registry: Registry, unit: Unit) -> None:
    """A reviewer accepts a proposed match: a link, or a merge of two cases."""
    with registry.uow(REVIEWER) as uow:
        review.decide(uow, unit["candidate"], review.Action.ACCEPT, reason="same child")
        uow.commit()


def merge_cases(registry: Registry, unit: Unit) -> None:
    with registry.uow(REVIEWER) as uow:
        merging.merge_children(
            uow, unit["duplicate"], unit["surviving"], reason="one child, reported twice"
        )
        uow.commit()


def freeze_list(registry: Registry, unit: Unit) -> None:
    """Freeze an approved list, signed with the registry's key (as ``homeward lists freeze``)."""
    key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
    with registry.uow(APPROVER) as uow:
        lists.freeze(uow, unit["list"], key)
        uow.commit()


def run_command(registry: Registry, unit: Unit) -> None:
    """The ``homeward`` command with ``unit["args"]``; its exit status is the
    child's (``SystemExit``)."""
    homeward_command(args=unit["args"], prog_name="homeward")


OPERATIONS: dict[str, Callable[[Registry, Unit], None]] = {
    "import": import_file,
    "decide": accept_proposal,
    "merge": merge_cases,
    "freeze": freeze_list,
    "command": run_command,
}
