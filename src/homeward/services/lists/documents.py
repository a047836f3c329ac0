"""Frozen versions as documents: the signed file, its exports, checking a
file with the public key alone, and checking every frozen version."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from homeward import keys
from homeward.domain.roles import Permission
from homeward.io.writers import write_table
from homeward.services.lists.rules import FORMAT, check_export, frozen_version, require_reader
from homeward.storage.tables import ListEntryRow, ListVersionRow
from homeward.storage.uow import UnitOfWork


def signed_document(version: ListVersionRow) -> dict[str, Any]:
    """The frozen version as a file anyone can check: the canonical content
    (as text, exactly as hashed), its SHA-256, the signature and the public key."""
    return {
        "format": FORMAT + "+signed",
        "content": version.content,
        "sha256": version.content_sha256,
        "signature": version.signature,
        "public_key": version.public_key,
    }


def export_version(
    uow: UnitOfWork,
    list_id: int,
    number: int,
    path: str | Path,
    *,
    format: str = "json",
    language: str = "uk",
) -> int:
    """Write a frozen version: ``json`` (the signed document), ``csv``, ``xlsx``
    or ``pdf`` (in ``language``: uk, en or ru); returns the entries written.
    An unknown format or PDF language is ``Invalid``, and nothing is written."""
    require_reader(uow.actor)
    check_export(format, language)
    version = frozen_version(uow, list_id, number)
    content = json.loads(version.content or "{}")
    path = Path(path)
    if format == "pdf":
        from homeward.documents.lists import write_list_pdf

        write_list_pdf(
            version, path, language=language, fingerprint=key_fingerprint(version.public_key or "")
        )
        count = len(content["entries"])
    elif format == "json":
        path.write_text(json.dumps(signed_document(version), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")  # fmt: skip
        count = len(content["entries"])
    else:
        fields = content["fields"]
        count = write_table(
            path, format, fields, ([e.get(f) for f in fields] for e in content["entries"])
        )
    uow.note("list.export", "list_versions", version.id, format=format, entries=count,
             sha256=version.content_sha256)  # fmt: skip
    return count


@dataclass(frozen=True)
class Verification:
    ok: bool
    problem: str | None
    sha256: str | None
    public_key: str | None
    entries: int


def verify_document(path: str | Path, public_key: str | None = None) -> Verification:
    """Check a signed list file with the public key alone: the content hashes to
    the SHA-256 it states, and the signature over it is the key's.  Without
    ``public_key`` the key in the file is used (say which key you expect: a
    forger would put their own)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        content = document["content"]
        stated = document["sha256"]
        signature = document["signature"]
        key = public_key or document["public_key"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return Verification(False, f"not a signed Homeward list: {err}", None, None, 0)
    entries = len(json.loads(content).get("entries", [])) if isinstance(content, str) else 0
    actual = hashlib.sha256(content.encode("utf-8")).hexdigest()
    if actual != stated:
        return Verification(
            False,
            f"the content was changed: its SHA-256 is {actual}, the file says {stated}",
            stated,
            key,
            entries,
        )
    if not keys.verify(key, stated.encode("ascii"), signature):
        return Verification(
            False,
            "the signature is not the registry's (wrong key, or changed)",
            stated,
            key,
            entries,
        )
    return Verification(True, None, stated, key, entries)


def key_fingerprint(public_key: str) -> str:
    """A short, readable fingerprint of a public key (SHA-256, first 16 hex digits)."""
    raw = base64.b64decode(public_key)
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return " ".join(re.findall("....", digest))


def check_frozen(uow: UnitOfWork) -> list[str]:
    """Every frozen version checked against itself: its stored content hashes to
    its SHA-256, the signature verifies with its public key, and its entries rows
    are exactly the entries of the content.  Returns what is wrong, in words
    (nothing when all is well): a direct edit of the database shows here."""
    uow.actor.require(Permission.READ_AUDIT)
    problems = []
    versions = uow.session.scalars(
        select(ListVersionRow)
        .where(ListVersionRow.status == "frozen")
        .order_by(ListVersionRow.list_id, ListVersionRow.number)
    )
    for version in versions:
        name = f"list {version.list_id} version {version.number}"
        content = version.content or ""
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if digest != version.content_sha256:
            problems.append(f"{name}: content changed (SHA-256 {digest}, frozen as "
                            f"{version.content_sha256})")  # fmt: skip
            continue
        if not keys.verify(
            version.public_key or "", digest.encode("ascii"), version.signature or ""
        ):
            problems.append(f"{name}: the signature does not verify")
        frozen = {e["entry_number"]: e for e in json.loads(content).get("entries", [])}
        stored = {
            e.number: e
            for e in uow.session.scalars(
                select(ListEntryRow).where(ListEntryRow.version_id == version.id)
            )
        }
        for number in sorted(set(frozen) | set(stored)):
            if number not in stored:
                problems.append(f"{name}: entry {number} was deleted")
            elif number not in frozen:
                problems.append(f"{name}: entry {number} was added")
            elif stored[number].values != frozen[number]:
                fields = sorted(
                    k for k in set(frozen[number]) | set(stored[number].values)
                    if frozen[number].get(k) != stored[number].values.get(k)
                )  # fmt: skip
                problems.append(f"{name}: entry {number} changed ({', '.join(fields)})")
        if version.entries != len(frozen):
            problems.append(
                f"{name}: entry count changed ({version.entries}, frozen {len(frozen)})"
            )
    return problems
