"""Files in the store that no document names, and removing files safely.

A file is removed in two steps around the database's commit: before it, the
file is moved out of its address to ``<root>/.retention-<sha256>`` (a rename,
on the same disk); after it, that name is deleted.  A transaction that fails
puts the files back; an upload of the same bytes made meanwhile finds the
address empty and stores its own copy, so no new document can come to name a
file that is about to go.  A run cut short between the two steps leaves a
``.retention-`` file: the next run puts it back if a document names its hash,
and removes it otherwise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeward.services.retention.policy import Kind, Policy, RetentionItem, period
from homeward.services.retention.rules import referenced_hashes
from homeward.storage.files import FileStore
from homeward.storage.tables import AuditRow, DocumentRow

SET_ASIDE = ".retention-"
INCOMING = ".incoming-"
"""The prefix ``FileStore.put`` gives a file while it is being written."""


def _is_hash(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _stat(path: Path) -> tuple[datetime, int] | None:
    """A file's modification time and size; None once it is gone."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return datetime.fromtimestamp(found.st_mtime, UTC), found.st_size


def set_aside_path(files: FileStore, sha256: str) -> Path:
    return files.root / f"{SET_ASIDE}{sha256}"


def _loose_files(files: FileStore) -> list[Path]:
    """Files at the store's top level: uploads cut short, files set aside."""
    if not files.root.is_dir():
        return []
    return sorted(
        p for p in files.root.iterdir()
        if p.is_file() and (p.name.startswith(INCOMING) or p.name.startswith(SET_ASIDE))
    )  # fmt: skip


def _former_owner(session: Session, sha256: str) -> str:
    """Why a file no document names is in the store, as the audit trail tells."""
    entity = session.scalar(
        select(AuditRow.entity_id)
        .where(AuditRow.entity_type == "documents", AuditRow.after.like(f"%{sha256}%"))
        .order_by(AuditRow.seq.desc())
        .limit(1)
    )
    if entity is None:
        return "left by an upload cut short: no document ever named it"
    if session.get(DocumentRow, int(entity)) is not None:
        return f"a working copy of document {entity} that a newer copy replaced"
    return f"the file of document {entity}, which is gone"


def orphan_files(
    session: Session, files: FileStore, now: datetime, policy: Policy
) -> list[RetentionItem]:
    """Files no document names (originals or working copies), older than the
    grace period by their modification time; and files left at the store's top
    level by an upload or a run cut short."""
    limit = period(policy.orphan_files_days)
    if limit is None:
        return []
    named = referenced_hashes(session)
    items = []
    for sha in files.hashes():
        if sha in named:
            continue
        found = _stat(files.path(sha))
        if found is None or now - found[0] <= limit:
            continue
        modified, size = found
        items.append(
            RetentionItem(
                Kind.ORPHAN_FILE, sha, f"stored file of {size:,} bytes",
                _former_owner(session, sha),
                modified, now - modified, files=(sha,), size=size,
            )
        )  # fmt: skip
    for path in _loose_files(files):
        sha = path.name.removeprefix(SET_ASIDE)
        if path.name.startswith(SET_ASIDE) and (
            not _is_hash(sha) or (sha in named and not files.path(sha).exists())
        ):
            continue  # a file a document names and misses: the next run puts it back
        found = _stat(path)
        if found is None or now - found[0] <= limit:
            continue
        modified, size = found
        what = "an upload cut short" if path.name.startswith(INCOMING) else "a run cut short"
        items.append(
            RetentionItem(
                Kind.ORPHAN_FILE, path.name, f"temporary file {path.name} ({size:,} bytes)",
                f"left by {what}", modified, now - modified,
                size=size,
            )
        )  # fmt: skip
    return items


@dataclass
class Removal:
    """Files moved out of their addresses in this run, to delete after the
    commit (or to put back if it fails)."""

    files: FileStore
    moved: list[tuple[Path, Path]] = field(default_factory=list)
    """(address, set-aside name)."""
    loose: list[Path] = field(default_factory=list)
    """Temporary files to delete after the commit."""

    def set_aside(self, sha256: str) -> bool:
        """Move a stored file out of its address; False when it is not there."""
        address = self.files.path(sha256)
        target = set_aside_path(self.files, sha256)
        try:
            os.replace(address, target)
        except FileNotFoundError:
            return False
        self.moved.append((address, target))
        return True

    def put_back(self) -> None:
        """The transaction failed: every file returns to its address."""
        for address, target in reversed(self.moved):
            if target.exists() and not address.exists():
                address.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, address)
        self.moved.clear()

    def finish(self) -> list[str]:
        """After the commit: delete what was set aside.  Returns the problems."""
        problems = []
        for path in [target for _, target in self.moved] + self.loose:
            try:
                path.unlink(missing_ok=True)
            except OSError as err:
                problems.append(f"{path}: not deleted ({err}); the next run removes it")
        return problems


def restore_set_aside(session: Session, files: FileStore) -> list[str]:
    """Put back the files an interrupted run set aside that a document names
    (their address is empty); returns their hashes.  Set-aside copies of a file
    that is at its address again are a spare copy, which the orphan rule removes."""
    named = referenced_hashes(session)
    restored = []
    for path in _loose_files(files):
        sha = path.name.removeprefix(SET_ASIDE)
        if not path.name.startswith(SET_ASIDE) or not _is_hash(sha) or sha not in named:
            continue
        address = files.path(sha)
        if address.exists():
            continue
        address.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, address)
        restored.append(sha)
    return restored
