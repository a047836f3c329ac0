"""Real-time candidate search: the children a typed report may describe.

Every registered record is filed under its blocking keys in the ``record_keys``
table (indexed, on SQLite and PostgreSQL alike), so every web worker and every
command sees the same index.  A search prepares the typed record, reads the
records that share a key with it, scores each with the model and the same
comparison functions as a batch run, and returns the best children, each with
the explanation of its best record.  The case a record belongs to is read from
the record at search time, so links, merges and splits keep the index current.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from homeward.domain.record import RECORD_FIELD_NAMES
from homeward.domain.roles import Permission
from homeward.linkage.model import MatchModel, default_model
from homeward.linkage.prepare import prepare
from homeward.linkage.scoring import ScoredPair, score_pair
from homeward.storage.tables import ChildRow, RecordKeyRow, RecordRow
from homeward.storage.uow import UnitOfWork

MAX_KEY_LENGTH = 200
MAX_RECORDS = 1000
"""Records read per search at most (the ones sharing the most keys first)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A child (or a record not yet linked to one) that may be the same child."""

    child_id: int | None
    case_number: str | None
    record_id: int
    """The child's record that scored best."""
    records_matched: int
    """How many of the child's records share a key with the typed record."""
    scored: ScoredPair

    @property
    def probability(self) -> float:
        return self.scored.probability

    def as_dict(self) -> dict[str, Any]:
        return {
            "child_id": self.child_id,
            "case_number": self.case_number,
            "record_id": self.record_id,
            "records_matched": self.records_matched,
            **self.scored.as_dict(),
        }


def record_keys_of(values: Mapping[str, Any]) -> frozenset[str]:
    """The keys a record is filed under (those that fit the column)."""
    return frozenset(k for k in prepare(values).keys if len(k) <= MAX_KEY_LENGTH)


def record_values(record: RecordRow) -> dict[str, Any]:
    """A stored record's fields as the matcher reads them."""
    return {name: getattr(record, name) for name in RECORD_FIELD_NAMES}


def index_record(uow: UnitOfWork, record: RecordRow) -> int:
    """File a registered record under its keys; returns how many."""
    keys = record_keys_of(record_values(record))
    uow.session.add_all(RecordKeyRow(record_id=record.id, key=key) for key in sorted(keys))
    return len(keys)


def search(
    uow: UnitOfWork,
    values: Mapping[str, Any],
    *,
    model: MatchModel | None = None,
    limit: int = 10,
    min_probability: float = 0.01,
) -> list[Candidate]:
    """The best candidate children for a typed record, best first.

    ``values``: the record as typed (field names as in a registry record or
    the columns of ``homeward link``).  A record that is not yet linked to a
    case is a candidate of its own (``child_id`` None).  Partners see only
    their organisation's cases.
    """
    uow.actor.require(Permission.READ_CASES)
    model = model or default_model()
    typed = prepare(values)
    keys = sorted(k for k in typed.keys if len(k) <= MAX_KEY_LENGTH)
    if not keys:
        return []
    session = uow.session
    shared: dict[int, int] = {}
    for record_id in session.scalars(
        select(RecordKeyRow.record_id).where(RecordKeyRow.key.in_(keys))
    ):
        shared[record_id] = shared.get(record_id, 0) + 1
    chosen = sorted(shared, key=lambda r: (-shared[r], r))[:MAX_RECORDS]
    best: dict[tuple[str, int], tuple[RecordRow, ScoredPair, int]] = {}
    for start in range(0, len(chosen), 500):
        rows = session.scalars(
            select(RecordRow).where(RecordRow.id.in_(chosen[start : start + 500]))
        )
        for record in rows:
            scored = score_pair(model, values, record_values(record), prepared_a=typed)
            if scored.probability < min_probability:
                continue
            owner = ("child", record.child_id) if record.child_id else ("record", record.id)
            known = best.get(owner)
            count = (known[2] if known else 0) + 1
            if known is None or scored.weight > known[1].weight:
                best[owner] = (record, scored, count)
            else:
                best[owner] = (known[0], known[1], count)
    children = {
        child.id: child
        for child in session.scalars(
            select(ChildRow).where(ChildRow.id.in_([k[1] for k in best if k[0] == "child"]))
        )
    }
    out = []
    for (kind, owner_id), (record, scored, count) in best.items():
        child = children.get(owner_id) if kind == "child" else None
        if uow.actor.organisation_scoped and (
            child is None or child.organisation_id != uow.actor.organisation_id
        ):
            continue  # a partner sees its own cases only, and no unlinked records
        out.append(
            Candidate(
                child.id if child else None,
                child.case_number if child else None,
                record.id,
                count,
                scored,
            )
        )
    out.sort(key=lambda c: (-c.scored.weight, c.record_id))
    return out[:limit]
