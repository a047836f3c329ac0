"""What must hold of the registry after any crash and any race: read from the
services that keep it and the tables that hold it.

Each check names what is wrong and where (the case, the record, the list), so
a failing test says which promise a kill or a race broke:

- every record has its source, its case (if any) exists, and the record is
  filed under its prepared key (an import writes a record and its keys in one
  transaction);
- every case's status is the one its last status change moved it to;
- a merged case points to the case it went into, keeps nothing of its own
  (records, events, relatives all moved) and has the merge decision that did
  it; an undone merge is not half-undone;
- a decided proposal has the decision it made, a waiting one has none;
- an import's counts are the rows it wrote; a finished import says so;
- a frozen list version carries its content, the hash of that content, a
  signature that verifies, and exactly its entries; a draft has none;
- case numbers have no gap and no duplicate (the counter moves with its case);
- the audit chain verifies, and replaying it finds nothing changed behind its
  back.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from homeward import keys
from homeward.domain.status import Status
from homeward.services import audit_trail
from homeward.services.registry_app import Registry
from homeward.services.review import OPEN, ReviewStatus
from homeward.storage.tables import (
    Base,
    ChildRow,
    CounterRow,
    DecisionRow,
    EventRow,
    ImportRow,
    ListEntryRow,
    ListVersionRow,
    MatchCandidateRow,
    QuarantineRow,
    RecordKeyRow,
    RecordRow,
    RelativeRow,
    SourceRow,
    StatusChangeRow,
)
from homeward.storage.uow import UnitOfWork


def row_counts(registry: Registry) -> dict[str, int]:
    """How many rows each table holds (the audit log included)."""
    with registry.uow(write=False) as uow:
        return {
            table.name: int(uow.session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


def difference(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Rows added (or removed, negative) per table; tables that did not change left out."""
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


def problems(registry: Registry) -> list[str]:
    """Everything inconsistent in the registry, in words; empty when all holds."""
    found: list[str] = []
    with registry.uow(write=False) as uow:
        for check in (_records, _statuses, _merges, _proposals, _imports, _lists, _case_numbers):
            found += check(uow)
    chain = audit_trail.verify_audit(registry)
    if not chain.ok:
        found.append(f"audit chain: {chain.problem}")
    found += [f"audit replay: {p}" for p in audit_trail.verify_rows(registry)]
    return found


def assert_consistent(registry: Registry, when: str) -> None:
    found = problems(registry)
    assert not found, f"after {when}:\n  " + "\n  ".join(found)


def _ids(uow: UnitOfWork, column: Any) -> set[int]:
    return {int(v) for v in uow.session.scalars(select(column)) if v is not None}


def _records(uow: UnitOfWork) -> list[str]:
    sources, children = _ids(uow, SourceRow.id), _ids(uow, ChildRow.id)
    filed = set(uow.session.scalars(select(RecordKeyRow.record_id).where(RecordKeyRow.key == "=")))
    out = []
    for record_id, source_id, child_id in uow.session.execute(
        select(RecordRow.id, RecordRow.source_id, RecordRow.child_id)
    ):
        if source_id not in sources:
            out.append(f"record {record_id}: its source {source_id} does not exist")
        if child_id is not None and child_id not in children:
            out.append(f"record {record_id}: its case {child_id} does not exist")
        if record_id not in filed:
            out.append(f"record {record_id}: not filed under its prepared values (record_keys)")
    return out


def _statuses(uow: UnitOfWork) -> list[str]:
    last: dict[int, tuple[str, str | None]] = {}
    for child_id, status, detail in uow.session.execute(
        select(StatusChangeRow.child_id, StatusChangeRow.to_status, StatusChangeRow.to_detail)
        .order_by(StatusChangeRow.id)
    ):  # fmt: skip
        last[child_id] = (status, detail)
    out = []
    for child in uow.session.scalars(select(ChildRow)):
        moved = last.get(child.id)
        if moved is None:
            out.append(f"case {child.case_number}: no status change opened it")
        elif moved != (child.status, child.status_detail):
            out.append(
                f"case {child.case_number}: status {child.status}/{child.status_detail} but its "
                f"last status change moved it to {moved[0]}/{moved[1]}"
            )
    return out


def _merges(uow: UnitOfWork) -> list[str]:
    holding: Counter[int] = Counter()
    for table in (RecordRow, EventRow, RelativeRow):
        holding.update(c for c in uow.session.scalars(select(table.child_id)) if c is not None)
    decisions = list(uow.session.scalars(select(DecisionRow).where(DecisionRow.kind == "merge")))
    active = {(d.other_child_id, d.child_id) for d in decisions if d.reverted_by_id is None}
    children = {c.id: c for c in uow.session.scalars(select(ChildRow))}
    out = []
    for child in children.values():
        merged = child.status == Status.MERGED.value
        if merged != (child.merged_into_id is not None):
            out.append(
                f"case {child.case_number}: status {child.status} but merged into "
                f"{child.merged_into_id} (half-merged)"
            )
        if not merged:
            continue
        if holding[child.id]:
            out.append(
                f"case {child.case_number} was merged away yet still holds {holding[child.id]} "
                "records, events or relatives (half-merged)"
            )
        if (child.id, child.merged_into_id) not in active:
            out.append(f"case {child.case_number}: merged with no merge decision in force")
    for duplicate_id, surviving_id in active:
        duplicate = children.get(duplicate_id or -1)
        if duplicate is None or duplicate.merged_into_id != surviving_id:
            out.append(
                f"merge of case {duplicate_id} into {surviving_id} is in force, but the case "
                "is not merged there (half-undone)"
            )
    return out


def _proposals(uow: UnitOfWork) -> list[str]:
    kinds = dict(uow.session.execute(select(DecisionRow.id, DecisionRow.kind)).all())
    out = []
    for row in uow.session.scalars(select(MatchCandidateRow)):
        decided = row.status not in OPEN
        if decided != (row.decided_at is not None):
            out.append(f"proposed match {row.id}: {row.status} but decided at {row.decided_at}")
        if row.status in (ReviewStatus.ACCEPTED, ReviewStatus.AUTO_LINKED):
            wanted = "link" if row.record_id is not None else "merge"
            if kinds.get(row.decision_id or -1) != wanted:
                out.append(f"proposed match {row.id}: {row.status} without its {wanted} decision")
        elif row.decision_id is not None:
            out.append(
                f"proposed match {row.id}: {row.status} yet names decision {row.decision_id}"
            )
    return out


def _imports(uow: UnitOfWork) -> list[str]:
    records = Counter(uow.session.scalars(select(RecordRow.source_id)))
    quarantined = Counter(
        uow.session.scalars(
            select(QuarantineRow.import_id).where(QuarantineRow.status != "corrected")
        )
    )
    out = []
    for row in uow.session.scalars(select(ImportRow)):
        if row.rows_imported != records[row.source_id]:
            out.append(
                f"import {row.id}: counts {row.rows_imported} rows imported, "
                f"its source holds {records[row.source_id]} records"
            )
        if row.rows_quarantined != quarantined[row.id]:
            out.append(
                f"import {row.id}: counts {row.rows_quarantined} rows quarantined, "
                f"the quarantine holds {quarantined[row.id]}"
            )
        if (row.status == "complete") != (row.finished_at is not None):
            out.append(f"import {row.id}: {row.status} but finished at {row.finished_at}")
    return out


def _lists(uow: UnitOfWork) -> list[str]:
    entries = Counter(uow.session.scalars(select(ListEntryRow.version_id)))
    inclusions = int(
        uow.session.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.kind == "list_inclusion")
        )
        or 0
    )
    frozen_entries = 0
    out = []
    for version in uow.session.scalars(select(ListVersionRow)):
        name = f"list {version.list_id} version {version.number}"
        if version.status != "frozen":
            if entries[version.id] or version.content is not None:
                out.append(f"{name}: {version.status}, yet has frozen entries or content")
            continue
        content = version.content or ""
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if digest != version.content_sha256:
            out.append(f"{name}: its content does not match its SHA-256")
        signed = keys.verify(
            version.public_key or "", digest.encode("ascii"), version.signature or ""
        )
        if not signed:
            out.append(f"{name}: its signature does not verify")
        listed = len(json.loads(content)["entries"]) if content else -1
        if not version.entries == entries[version.id] == listed:
            out.append(
                f"{name}: says {version.entries} entries, holds {entries[version.id]}, "
                f"its content lists {listed}"
            )
        frozen_entries += version.entries
    if inclusions != frozen_entries:
        out.append(
            f"{inclusions} list-inclusion events for {frozen_entries} entries of frozen lists"
        )
    return out


def _case_numbers(uow: UnitOfWork) -> list[str]:
    serials: dict[str, list[int]] = {}
    for number in uow.session.scalars(select(ChildRow.case_number)):
        _prefix, year, serial = number.rsplit("-", 2)
        serials.setdefault(year, []).append(int(serial))
    counters = dict(uow.session.execute(select(CounterRow.name, CounterRow.value)).all())
    out = []
    for year, found in serials.items():
        counted = counters.get(f"case_serial:{year}")
        if sorted(found) != list(range(1, len(found) + 1)) or counted != len(found):
            out.append(
                f"case numbers of {year}: {len(found)} cases, serials up to {max(found)}, "
                f"counter at {counted} (a gap or a duplicate)"
            )
    return out
