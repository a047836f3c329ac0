"""Checking the file store against the documents and the audit trail.

Three things must agree for every document: the file in the store (its bytes
still hash to its name), the document row (the hash it names), and the audit
trail (the hash recorded when the file was added or its working copy made).
A changed byte breaks the first; swapping a file and editing the row to match
breaks the second against the third; removing a row the trail says exists is
named too.  ``homeward evidence verify`` and ``homeward audit verify`` run it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from homeward.domain.roles import Permission
from homeward.services.evidence.documents import ENTITY
from homeward.services.registry_app import Registry
from homeward.storage.audit_replay import replayed
from homeward.storage.tables import DocumentRow


@dataclass
class StoreReport:
    documents: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_TRACKED = ("sha256", "working_sha256", "child_id", "kind")


def _audited_state(registry: Registry) -> dict[int, dict[str, object] | None]:
    """Each document's tracked values as the audit trail last recorded them
    (None once the trail records its removal)."""
    with registry.uow(write=False) as uow:
        state = replayed(uow.session, ENTITY)
    return {
        int(doc_id): None if values is None else {k: values[k] for k in _TRACKED if k in values}
        for doc_id, values in state.items()
    }


def verify_store(
    registry: Registry, progress: Callable[[int, int], None] | None = None
) -> StoreReport:
    """Check every document's files, and each row against the audit trail."""
    report = StoreReport()
    files = registry.files
    with registry.uow(write=False) as uow:
        uow.actor.require(Permission.READ_AUDIT)
        rows = list(uow.session.execute(select(DocumentRow).order_by(DocumentRow.id)).scalars())
    audited = _audited_state(registry)
    hashes: dict[str, list[int]] = {}
    for row in rows:
        report.documents += 1
        for sha in (row.sha256, row.working_sha256):
            if sha:
                hashes.setdefault(sha, []).append(row.id)
        recorded = audited.get(row.id)
        if recorded is None:
            report.problems.append(
                f"document {row.id} ({row.filename}) has no entry in the audit trail: "
                "it was added behind Homeward's back"
            )
            continue
        for key in _TRACKED:
            now = getattr(row, key)
            if key in recorded and recorded[key] != now:
                report.problems.append(
                    f"document {row.id} ({row.filename}): {key} is {now!r} in the database "
                    f"but the audit trail recorded {recorded[key]!r}"
                )
    present = {row.id for row in rows}
    for doc_id, values in sorted(audited.items()):
        if values is not None and doc_id not in present:
            report.problems.append(
                f"document {doc_id} is gone from the database, but the audit trail "
                "records no removal"
            )
    for done, (sha, owners) in enumerate(sorted(hashes.items()), start=1):
        report.files += 1
        problem = files.check(sha)
        if problem:
            names = ", ".join(f"document {i}" for i in owners)
            report.problems.append(f"{problem} ({names})")
        if progress:
            progress(done, len(hashes))
    return report
