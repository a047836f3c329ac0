"""Real-time candidate search: the children a typed report may describe.

Every registered record is filed under its blocking keys in the ``record_keys``
table (indexed, on SQLite and PostgreSQL alike), so every web worker and every
command sees the same index; each record also keeps its prepared values there
(under :data:`PREPARED_KEY`), so a search never prepares the registry's records
again.  A search prepares the typed record and then, in two queries:

1. counts how many records each of its keys holds (its *block*);
2. ranks the records of those blocks by the keys they share with the typed
   record, each key weighing ``log(SCALE / block size)`` (a rare key says more
   than a common one), and reads the prepared values of the best
   :data:`MAX_CANDIDATES`.

Keys holding more than :data:`MAX_BLOCK` records are too common to rank by
(``given name × family name`` of the most frequent names); they are left out
when the typed record has other keys.  The candidates are scored together with
the batch path's vectorised scoring (:class:`~homeward.linkage.scoring.ValueTable`,
the same model and comparisons as ``homeward link``), each child keeps its best
record, and only the children returned are explained (:func:`score_pair`, the
same weight; a small query reads their values as written).
The case a record belongs to is read from the record at search time, so links,
merges and splits keep the index current.

A report sent through the public form that is in no case (waiting for triage,
or rejected) is never a candidate: anyone can send one, so it takes part in
matching only once a case worker has linked it or opened a case with it.  Only
the triage page asks for them (``include_untriaged``), to show a case worker
the other waiting reports that may be the same child.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

import numpy as np
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Float,
    Integer,
    Select,
    bindparam,
    case,
    column,
    delete,
    exists,
    func,
    insert,
    select,
    table,
)
from sqlalchemy.orm import InstrumentedAttribute, aliased

from homeward.domain.model import SourceKind
from homeward.domain.record import RECORD_FIELD_NAMES
from homeward.domain.roles import Permission
from homeward.linkage.model import MatchModel, default_model
from homeward.linkage.prepare import Prepared, field_values, prepare
from homeward.linkage.scoring import (
    ScoredPair,
    ValueTable,
    display_values,
    probabilities,
    score_pair,
    score_pairs,
)
from homeward.storage.tables import ChildRow, RecordKeyRow, RecordRow, SourceRow
from homeward.storage.uow import UnitOfWork

MAX_KEY_LENGTH = 200
MAX_CANDIDATES = 150
"""Records scored per search at most: those sharing the rarest keys first."""
MAX_BLOCK = 5000
"""A key filed under more records is not ranked by, when the typed record has others."""
PREPARED_KEY = "="
"""The row of a record that keeps its prepared values (never a blocking key)."""
SCALE = 1e7
"""Weight of a key: ``log(SCALE / records under it)``, positive for any registry size."""

_MATCHED_COLUMNS: tuple[str, ...] = (
    "given_name", "family_name", "patronymic", "full_name", "sex", "birth_date",
    "birth_place", "residence", "document_ids", "mother_name", "father_name",
    "last_known_location",
)  # fmt: skip
"""The columns of a record that matching reads (:func:`~homeward.linkage.prepare.field_values`)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A child (or a record not yet linked to one) that may be the same child."""

    child_id: int | None
    case_number: str | None
    record_id: int
    """The child's record that scored best."""
    records_matched: int
    """How many of the child's records were scored and reached ``min_probability``."""
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


_PREPARED_JSON = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(values, ensure_ascii=False)``, without building an encoder each time."""


def index_keys(values: Mapping[str, Any]) -> tuple[tuple[str, ...], str]:
    """What a record is filed under: its keys in order, and its prepared
    values' JSON (a worker process of an import sends these, a fraction of the
    rows' size)."""
    prepared = prepare(values)
    keys = tuple(sorted(k for k in prepared.keys if len(k) <= MAX_KEY_LENGTH))
    return keys, _PREPARED_JSON(prepared.values)


def index_rows(record_id: int, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``record_keys`` rows of a record: one per key, and its prepared
    values under :data:`PREPARED_KEY`."""
    keys, prepared = index_keys(values)
    rows: list[dict[str, Any]] = [
        {"record_id": record_id, "key": key, "prepared": None} for key in keys
    ]
    rows.append({"record_id": record_id, "key": PREPARED_KEY, "prepared": prepared})
    return rows


def stored_prepared(uow: UnitOfWork, record_ids: Sequence[int]) -> dict[int, Prepared]:
    """What the index holds for these records: their prepared values and keys,
    as :func:`index_rows` filed them (a record filed before prepared values
    were kept is left out: prepare it)."""
    if not record_ids:
        return {}
    rows = uow.session.execute(
        select(RecordKeyRow.record_id, RecordKeyRow.key, RecordKeyRow.prepared).where(
            RecordKeyRow.record_id.in_(list(record_ids))
        )
    )
    keys: dict[int, set[str]] = {}
    values: dict[int, tuple[str, ...]] = {}
    for record_id, key, prepared in rows:
        if key != PREPARED_KEY:
            keys.setdefault(record_id, set()).add(key)
        elif prepared is not None:
            values[record_id] = tuple(json.loads(prepared))
    return {rid: Prepared(v, frozenset(keys.get(rid, ()))) for rid, v in values.items()}


def index_record(uow: UnitOfWork, record: RecordRow) -> int:
    """File a registered record under its keys; returns how many."""
    rows = index_rows(record.id, record_values(record))
    uow.session.add_all(RecordKeyRow(**row) for row in rows)
    return len(rows) - 1


def refile_all(connection: Connection, *, batch: int = 5000) -> int:
    """File every record again (keys and prepared values); returns how many.

    For migrations: run it when the preparation or the keys of
    :mod:`homeward.linkage.prepare` change, so the index matches them again."""
    records = table(
        "records", column("id"), *(column(c) for c in _MATCHED_COLUMNS if c != "document_ids"),
        column("document_ids", JSON),
    )  # fmt: skip
    keys = table("record_keys", column("record_id"), column("key"), column("prepared"))
    connection.execute(delete(keys))
    filed = 0
    last = 0
    while True:
        rows = (
            connection.execute(
                select(records).where(records.c.id > last).order_by(records.c.id).limit(batch)
            )
            .mappings()
            .all()
        )
        if not rows:
            return filed
        connection.execute(
            insert(keys), [k for row in rows for k in index_rows(row["id"], dict(row))]
        )
        filed += len(rows)
        last = rows[-1]["id"]


@cache
def _columns_statement() -> Select[Any]:
    columns = [getattr(RecordRow, name) for name in _MATCHED_COLUMNS]
    return select(RecordRow.id, *columns).where(RecordRow.id.in_(bindparam("ids", expanding=True)))


def _matched_columns(uow: UnitOfWork, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The matched columns of records, as the matcher reads them."""
    rows = uow.session.connection().execute(_columns_statement(), {"ids": list(ids)})
    out = {}
    for record_id, *matched in rows:
        record = dict(zip(_MATCHED_COLUMNS, matched, strict=True))
        record["document_ids"] = list(record["document_ids"] or ())
        out[record_id] = record
    return out


@dataclass(frozen=True, slots=True)
class _Found:
    """A record read for scoring."""

    rank: int
    record_id: int
    child_id: int | None
    case_number: str | None
    organisation_id: int | None
    """Of its case."""
    values: tuple[str, ...]
    """Its prepared values."""


# The statements are built once (per number of keys) and their SQL is cached by
# SQLAlchemy: building them again for every search cost more than running them.


@cache
def _sizes_statement() -> Select[str, int]:
    return (
        select(RecordKeyRow.key, func.count())
        .where(RecordKeyRow.key.in_(bindparam("keys", expanding=True)))
        .group_by(RecordKeyRow.key)
    )


def untriaged_public_report(
    record_id: ColumnElement[int] | InstrumentedAttribute[int],
) -> ColumnElement[bool]:
    """Whether a record is a report sent through the public form that is in no
    case: waiting for triage, or rejected.  Nobody has vouched for it yet, so it
    takes no part in matching (neither this search nor the review scan).

    Asked record by record (a correlated ``EXISTS``, two primary-key look-ups):
    gathering every such record first would read all the records in no case at
    every search."""
    record, source = aliased(RecordRow), aliased(SourceRow)
    return exists().where(
        record.id == record_id,
        record.child_id.is_(None),
        source.id == record.source_id,
        source.kind == SourceKind.PUBLIC_REPORT.value,
    )


@lru_cache(maxsize=512)
def _candidates_statement(
    keys: int, include_untriaged: bool = False
) -> Select[int, int | None, str, int | None, str | None]:
    """Parameters ``k0``, ``w0``, ``k1``, ``w1``... (a key and its weight) and ``cap``.

    Untriaged public reports are left out before the records are ranked and
    capped, so however many of them share a child's keys they cannot push the
    child's records out of the :data:`MAX_CANDIDATES` scored."""
    weight = case(
        *((bindparam(f"k{i}"), bindparam(f"w{i}", type_=Float)) for i in range(keys)),
        value=RecordKeyRow.key,
        else_=0.0,
    )
    shared = func.sum(weight).label("shared")
    wanted: list[ColumnElement[bool]] = [
        RecordKeyRow.key.in_([bindparam(f"k{i}") for i in range(keys)])
    ]
    if not include_untriaged:
        wanted.append(~untriaged_public_report(RecordKeyRow.record_id))
    ranked = (
        select(RecordKeyRow.record_id, shared)
        .where(*wanted)
        .group_by(RecordKeyRow.record_id)
        .order_by(shared.desc(), RecordKeyRow.record_id)
        .limit(bindparam("cap", type_=Integer))
        .subquery()
    )
    stored = aliased(RecordKeyRow)
    return (
        select(
            RecordRow.id,
            RecordRow.child_id,
            ChildRow.case_number,
            ChildRow.organisation_id,
            stored.prepared,
        )
        .join(ranked, ranked.c.record_id == RecordRow.id)
        .outerjoin(ChildRow, ChildRow.id == RecordRow.child_id)
        .outerjoin(stored, (stored.record_id == RecordRow.id) & (stored.key == PREPARED_KEY))
        .order_by(ranked.c.shared.desc(), RecordRow.id)
    )


def _key_weights(uow: UnitOfWork, keys: Sequence[str]) -> dict[str, float]:
    """The keys to rank by, each with its weight (query 1: the size of each block)."""
    rows = uow.session.connection().execute(_sizes_statement(), {"keys": list(keys)})
    sizes: dict[str, int] = {key: count for key, count in rows}
    if not sizes:
        return {}
    chosen = {k: n for k, n in sizes.items() if n <= MAX_BLOCK}
    if not chosen:  # only common keys: rank by the least common one
        rarest = min(sizes, key=lambda k: (sizes[k], k))
        chosen = {rarest: sizes[rarest]}
    return {k: math.log(SCALE / n) for k, n in chosen.items()}


def _candidates(
    uow: UnitOfWork, weights: Mapping[str, float], *, include_untriaged: bool = False
) -> list[_Found]:
    """The best-ranked records, best first (query 2: the keys joined with the records)."""
    params: dict[str, Any] = {"cap": MAX_CANDIDATES}
    for i, (key, weight) in enumerate(sorted(weights.items())):
        params[f"k{i}"], params[f"w{i}"] = key, weight
    statement = _candidates_statement(len(weights), include_untriaged)
    rows = uow.session.connection().execute(statement, params).all()
    unfiled = [row[0] for row in rows if row[-1] is None]
    missing = {  # filed before prepared values were kept: prepared here
        record_id: field_values(record)
        for record_id, record in _matched_columns(uow, unfiled).items()
    } if unfiled else {}  # fmt: skip
    return [
        _Found(
            rank,
            record_id,
            child_id,
            case_number,
            organisation_id,
            tuple(json.loads(prepared)) if prepared is not None else missing[record_id],
        )
        for rank, (record_id, child_id, case_number, organisation_id, prepared) in enumerate(rows)
    ]


def _explain(
    model: MatchModel,
    values: Mapping[str, Any],
    typed: Prepared,
    row: _Found,
    record: Mapping[str, Any],
) -> ScoredPair:
    """``score_pair`` of the typed record and a candidate, from the candidate's
    stored prepared values (not prepared again), its values shown as written."""
    prepared = Prepared(row.values, frozenset())
    scored = score_pair(model, values, prepared, prepared_a=typed)
    shown = display_values(record, prepared)
    fields = tuple(
        replace(field, value_b=value) for field, value in zip(scored.fields, shown, strict=True)
    )
    return ScoredPair(scored.weight, scored.probability, scored.prior_weight, fields)


def search(
    uow: UnitOfWork,
    values: Mapping[str, Any],
    *,
    model: MatchModel | None = None,
    limit: int = 10,
    min_probability: float = 0.01,
    include_untriaged: bool = False,
    prepared: Prepared | None = None,
) -> list[Candidate]:
    """The best candidate children for a typed record, best first.

    ``values``: the record as typed (field names as in a registry record or
    the columns of ``homeward link``).  A record that is not yet linked to a
    case is a candidate of its own (``child_id`` None), except a report sent
    through the public form (:func:`untriaged_public_report`): those are
    candidates only with ``include_untriaged``, which the triage of public
    reports alone asks for.  Partners see only their organisation's cases.
    ``prepared``: the record's prepared values and keys when they are known
    already (a registered record's, :func:`stored_prepared`).
    """
    uow.actor.require(Permission.READ_CASES)
    model = model or default_model()
    typed = prepared if prepared is not None else prepare(values)
    keys = sorted(k for k in typed.keys if len(k) <= MAX_KEY_LENGTH)
    if not keys:
        return []
    weights = _key_weights(uow, keys)
    found = _candidates(uow, weights, include_untriaged=include_untriaged) if weights else []
    if not found:
        return []
    table = ValueTable([typed.values, *(row.values for row in found)])
    right = np.arange(1, len(found) + 1, dtype=np.int64)
    _, scores = score_pairs(model, table, np.zeros(len(found), dtype=np.int64), right)
    kept = probabilities(scores) >= min_probability
    best: dict[tuple[str, int], tuple[_Found, float, int]] = {}
    for row, score in zip(found, scores.tolist(), strict=True):
        if not kept[row.rank]:
            continue
        owner = ("child", row.child_id) if row.child_id else ("record", row.record_id)
        known = best.get(owner)
        if known is None:
            best[owner] = (row, score, 1)
        elif (score, -row.record_id) > (known[1], -known[0].record_id):
            best[owner] = (row, score, known[2] + 1)
        else:
            best[owner] = (known[0], known[1], known[2] + 1)
    ranked = [
        (score, row, count)
        for (row, score, count) in best.values()
        # a partner sees its own cases only, and no unlinked records
        if not uow.actor.organisation_scoped
        or (row.child_id is not None and row.organisation_id == uow.actor.organisation_id)
    ]
    ranked.sort(key=lambda c: (-c[0], c[1].record_id))
    chosen = ranked[:limit]
    records = _matched_columns(uow, [row.record_id for _, row, _ in chosen])
    out = []
    for _, row, count in chosen:
        scored = _explain(model, values, typed, row, records[row.record_id])
        out.append(Candidate(row.child_id, row.case_number, row.record_id, count, scored))
    out.sort(key=lambda c: (-c.scored.weight, c.record_id))
    return out
