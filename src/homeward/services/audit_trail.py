"""Verifying the audit trail, and signed checkpoints of its head."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeward import keys
from homeward.domain.roles import Permission
from homeward.errors import Invalid
from homeward.services.registry_app import Registry
from homeward.storage import audit, audit_replay


def verify_audit(registry: Registry, checkpoint: Path | None = None) -> audit.ChainReport:
    """Walk the whole chain (and compare with a checkpoint file, if given)."""
    expect = None
    if checkpoint is not None:
        key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
        expect = read_checkpoint(checkpoint, keys.public_key_text(key))
    with registry.uow(write=False) as uow:
        uow.actor.require(Permission.READ_AUDIT)
        return audit.verify_chain(audit.iter_entries(uow.session), expect_head=expect)


def verify_rows(registry: Registry, limit: int = 50) -> list[str]:
    """Replay the trail against the tables: every row changed, added or removed
    behind Homeward's back, named (``storage.audit_replay``)."""
    with registry.uow(write=False) as uow:
        uow.actor.require(Permission.READ_AUDIT)
        return audit_replay.differences(uow.session, limit)


def write_checkpoint(registry: Registry, path: Path) -> dict[str, Any]:
    """Sign the chain's current head and write it to ``path``, to be kept
    somewhere the database's administrators cannot reach."""
    report = verify_audit(registry)
    if not report.ok:
        raise Invalid(f"the audit trail does not verify ({report.problem}); no checkpoint written")
    key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
    statement = {"seq": report.head_seq, "hash": report.head_hash, "at": audit.timestamp()}
    body = audit.canonical_json(statement).encode()
    document = {
        **statement,
        "public_key": keys.public_key_text(key),
        "signature": keys.sign(key, body),
    }
    Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return document


def read_checkpoint(path: Path, public_key: str) -> tuple[int, str]:
    """The (seq, hash) a checkpoint file states, if this registry's key signed it."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        statement = {k: document[k] for k in ("seq", "hash", "at")}
        signature = document["signature"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise Invalid(f"{path}: not a Homeward audit checkpoint ({err})") from err
    if not keys.verify(public_key, audit.canonical_json(statement).encode(), signature):
        raise Invalid(
            f"{path}: the checkpoint's signature does not verify with this registry's key"
        )
    return int(statement["seq"]), str(statement["hash"])
