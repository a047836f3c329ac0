"""``homeward backup`` killed at random points: a backup's file exists only
once it is complete, and then ``homeward backup --verify`` passes on it."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from homeward.services import backup
from homeward.services.registry_app import Registry
from tests.crash import setups
from tests.crash.harness import Forker, Tally, Unit, env_of, kill_many

pytestmark = pytest.mark.crash


def _units(registry: Registry, folder: Path, count: int) -> list[Unit]:
    """A registry worth backing up (cases with their records, events and
    relatives, and files in the store), and ``count`` backups to write."""
    setups.merge_units(registry, 12)
    rng = random.Random(5)
    for _ in range(12):
        registry.files.put_bytes(rng.randbytes(48 * 1024))
    folder.mkdir()
    # Encrypted for a partner's public key: the same sealed stream as for a
    # passphrase, without the passphrase's deliberately slow key derivation
    # in each of the many runs.
    identity = folder.parent / "partner.key"
    public = backup.write_identity(identity)
    return [
        Unit(f"backup {n}", {
            "args": ["backup", "--recipient", public, "--quiet",
                     str(folder / f"registry-{n:02d}.hwb")],
            "identity": str(identity),
        })
        for n in range(count)
    ]  # fmt: skip


def _progress(forker: Forker) -> Callable[[Registry, Unit], str]:
    """``done`` when the backup's file is there, which it may only be if
    ``homeward backup --verify`` passes on it."""

    def progress(registry: Registry, unit: Unit) -> str:
        path = Path(unit.args["args"][-1])
        if not path.exists():
            return "none"
        verify = ["backup", str(path), "--verify", "--identity", unit.args["identity"], "--quiet"]
        checked = forker.run("command", env_of(registry), {"args": verify}, None)
        assert checked.exitcode == 0, f"{path.name} is there but does not verify"
        return "done"

    return progress


def test_a_killed_backup_leaves_no_file_or_a_whole_one(
    forker: Forker,
    registry: Registry,
    backend: str,
    tmp_path: Path,
    report_kills: Callable[[Tally], None],
) -> None:
    folder = tmp_path / "backups"
    units = _units(registry, folder, 48)
    tally = kill_many(
        forker, registry, "command", units, progress=_progress(forker), kills=18,
        seed=5, backend=backend, writes=False, label="backup",
    )  # fmt: skip
    report_kills(tally)
    # Each backup run is there under its name, and nothing else: the run that
    # finished a killed backup removed the hidden file the killed one was writing.
    assert sorted(p.name for p in folder.iterdir()) == [
        f"registry-{n:02d}.hwb" for n in range(tally.units_run)
    ]
    print(f"backup on {backend}: {tally.kills} kills, no partial file left")
