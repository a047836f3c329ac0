"""Verifiers freezing the same handover list at once: one frozen version,
signed with the registry's own key, its entries once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from homeward import keys
from homeward.domain.model import Category, SourceKind
from homeward.domain.roles import Actor, Role
from homeward.services import cases, lists
from homeward.services.registry_app import Registry
from homeward.storage.tables import ListEntryRow, ListVersionRow
from tests.concurrency.conftest import ReportConflicts
from tests.concurrency.runner import Writer, at_once
from tests.crash import setups
from tests.crash.invariants import assert_consistent

pytestmark = pytest.mark.concurrency

AUTHOR = Actor(username="mykola", role=Role.VERIFIER, user_id=1)
APPROVER = Actor(username="iryna", role=Role.VERIFIER, user_id=2)


def _freezer(registry: Registry, list_id: int, n: int) -> Writer:
    """A verifier freezing the list as ``homeward lists freeze`` does: the
    registry's key is loaded (made, in a registry that has none yet) first."""
    actor = Actor(username=f"verifier-{n}", role=Role.VERIFIER, user_id=10 + n)

    def freeze() -> int:
        key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
        with registry.uow(actor) as uow:
            version = lists.freeze(uow, list_id, key)
            uow.commit()
            return version.number

    return actor.username, freeze


def test_freezing_one_list_at_once_freezes_it_once_with_the_registrys_key(
    registry: Registry, report_conflicts: ReportConflicts
) -> None:
    with registry.uow() as uow:
        source = cases.create_source(uow, kind=SourceKind.REPORT, title="hotline")
        for i in range(5):
            setups.open_child(uow, source.id, i, records=2, russian=i % 2 == 0)
        uow.commit()
    with registry.uow(AUTHOR) as uow:
        list_id = lists.create_list(
            uow, title="Round 4", purpose="children located in Russia", channel="mediator",
            recipient="Mediator's office", criteria={"category": [Category.DEPORTED.value]},
        ).id  # fmt: skip
        uow.commit()
    conflicts = succeeded = 0
    for number in (1, 2):  # a registry with no key yet, then one with its key
        if number > 1:
            with registry.uow(AUTHOR) as uow:
                lists.new_version(uow, list_id)
                uow.commit()
        with registry.uow(APPROVER) as uow:
            lists.approve(uow, list_id)
            uow.commit()
        round_ = at_once([_freezer(registry, list_id, n) for n in range(5)])
        assert [o.result for o in round_.succeeded] == [number]
        conflicts += len(round_.conflicts)
        succeeded += 1
        registry_key = keys.public_key_text(
            keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
        )
        with registry.uow(write=False) as uow:
            version = uow.session.scalars(
                select(ListVersionRow).where(
                    ListVersionRow.list_id == list_id, ListVersionRow.number == number
                )
            ).one()
            entries = uow.session.scalar(
                select(func.count()).select_from(ListEntryRow)
                .where(ListEntryRow.version_id == version.id)
            )  # fmt: skip
        assert version.status == "frozen" and entries == version.entries == 5
        assert version.frozen_by == round_.succeeded[0].name
        # Anyone checking the list with the registry's published key can.
        assert version.public_key == registry_key, "signed with a key the registry no longer has"
        assert keys.verify(
            registry_key, (version.content_sha256 or "").encode(), version.signature or ""
        )
    assert_consistent(registry, "freezes at once")
    report_conflicts("freezes of one list", conflicts, succeeded)


def test_a_new_registrys_key_made_by_many_at_once_is_one_key(tmp_path: Path) -> None:
    """Everyone who signs first in a new registry (two verifiers freezing
    lists, an auditor's checkpoint) gets the one key that stays on disk, and
    nobody reads it half-written."""
    for trial in range(20):
        folder = tmp_path / f"registry-{trial}" / "keys"
        round_ = at_once([(f"signer {n}", _signer(folder)) for n in range(5)])
        kept = keys.public_key_text(keys.load_or_create_signing_key(folder))
        assert {o.result for o in round_.outcomes} == {kept}, f"trial {trial}: keys differ"
        assert [p.name for p in folder.iterdir()] == [keys.KEY_FILE]


def _signer(folder: Path) -> Callable[[], str]:
    def sign() -> str:
        return keys.public_key_text(keys.load_or_create_signing_key(folder))

    return sign
