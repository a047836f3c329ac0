"""Aggregate statistics: how many children, by category, status, oblast of
origin and month of return, each with its "as of" time (docs/exchange.md).

Only counts leave this module, never a child.  Merged duplicates are not
counted (the case they were merged into is).  In anything public a count from
1 to 4 is shown as ``<5``; when a table would then hide a single count, the
next smallest is hidden too, so the table's total does not give it away.

The CSV form carries a second row of HXL hashtags (the Humanitarian Exchange
Language), so humanitarian tools read the columns without a mapping.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from homeward.domain.model import Category
from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.names.places import get_entry, resolve_place
from homeward.services.pfif import ordered_records, place_of_origin
from homeward.storage.tables import ChildRow, RecordRow, StatusChangeRow
from homeward.storage.uow import UnitOfWork

SMALL = 5
"""Counts below this (and above zero) are shown as ``<5`` in public output."""
SUPPRESSED = f"<{SMALL}"
HIDDEN = "suppressed"
"""A count of 5 or more hidden so that a table's total does not reveal a small one."""
UNKNOWN = "unknown"
OUTSIDE_UKRAINE = "outside Ukraine"

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("breakdown", "Breakdown", "#meta+breakdown"),
    ("category", "Category", "#category"),
    ("status", "Status", "#status"),
    ("oblast_code", "Oblast code", "#adm1+code"),
    ("oblast", "Oblast", "#adm1+name"),
    ("oblast_en", "Oblast (English)", "#adm1+name+i_en"),
    ("month", "Month of return", "#date+returned"),
    ("children", "Children", "#affected+children+num"),
    ("as_of", "As of", "#date+reported"),
)
"""Key, header and HXL hashtag of every column of the CSV."""

BREAKDOWNS = ("total", "category", "status", "oblast", "returns_by_month")


@dataclass
class Row:
    breakdown: str
    children: int
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Statistics:
    as_of: datetime
    rows: list[Row]

    def table(self, *, public: bool = True) -> list[dict[str, Any]]:
        """Every row as a mapping by column key; counts of 1 to 4 suppressed
        unless ``public`` is false."""
        small, hidden = _suppressed(self.rows) if public else (set(), set())
        as_of = self.as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        table = []
        for index, row in enumerate(self.rows):
            item: dict[str, Any] = {key: "" for key, _, _ in COLUMNS}
            item.update(row.labels)
            item["breakdown"] = row.breakdown
            item["children"] = (
                SUPPRESSED if index in small else HIDDEN if index in hidden else row.children
            )
            item["as_of"] = as_of
            table.append(item)
        return table


def _suppressed(rows: Sequence[Row]) -> tuple[set[int], set[int]]:
    """Rows whose count is hidden: those of 1 to 4, and (second set) the
    smallest other count of a breakdown that would otherwise hide one count
    alone, since the total minus the others would give it away."""
    small: set[int] = set()
    hidden: set[int] = set()
    for breakdown in BREAKDOWNS:
        indexes = [i for i, r in enumerate(rows) if r.breakdown == breakdown]
        found = {i for i in indexes if 0 < rows[i].children < SMALL}
        if len(found) == 1 and breakdown != "total":
            others = [i for i in indexes if i not in found and rows[i].children > 0]
            if others:
                hidden.add(min(others, key=lambda i: rows[i].children))
        small |= found
    return small, hidden


def compute_statistics(uow: UnitOfWork, *, now: datetime | None = None) -> Statistics:
    """Count the registry's children (merged duplicates left out)."""
    uow.actor.require(Permission.READ_STATISTICS)
    as_of = now or datetime.now(UTC)
    session = uow.session
    live = ChildRow.status != Status.MERGED.value
    rows: list[Row] = []
    total = session.scalar(select(func.count()).select_from(ChildRow).where(live)) or 0
    rows.append(Row("total", int(total)))
    by_category = _counts(uow, ChildRow.category)
    for category in Category:
        rows.append(
            Row("category", int(by_category.get(category.value, 0)), {"category": category.value})
        )
    by_status = _counts(uow, ChildRow.status)
    for status in Status:
        if status != Status.MERGED:
            rows.append(
                Row("status", int(by_status.get(status.value, 0)), {"status": status.value})
            )
    rows.extend(_by_oblast(uow))
    rows.extend(_returns_by_month(uow))
    return Statistics(as_of, rows)


def _counts(uow: UnitOfWork, column: InstrumentedAttribute[str]) -> dict[str, int]:
    query = (
        select(column, func.count()).where(ChildRow.status != Status.MERGED.value).group_by(column)
    )
    return {str(value): int(count) for value, count in uow.session.execute(query)}


def oblast_of_origin(records: Sequence[RecordRow]) -> str | None:
    """The oblast (ISO 3166-2 id) a child comes from (:func:`place_of_origin`):
    ``OUTSIDE_UKRAINE`` when no record places the child in Ukraine but a birth
    place lies elsewhere; ``None`` when nothing can be placed."""
    place = place_of_origin(records)
    if place is not None:
        return place.region
    for record in records:
        if resolve_place(record.birth_place).region is not None:
            return OUTSIDE_UKRAINE
    return None


def _by_oblast(uow: UnitOfWork) -> list[Row]:
    records: dict[int, list[RecordRow]] = {}
    query = (
        select(RecordRow)
        .join(ChildRow, RecordRow.child_id == ChildRow.id)
        .where(ChildRow.status != Status.MERGED.value)
        .options(selectinload(RecordRow.source))
    )
    for record in uow.session.scalars(query):
        assert record.child_id is not None
        records.setdefault(record.child_id, []).append(record)
    children = uow.session.scalars(
        select(ChildRow.id).where(ChildRow.status != Status.MERGED.value)
    )
    counts: Counter[str] = Counter()
    for child_id in children:
        region = oblast_of_origin(ordered_records(records.get(child_id, [])))
        counts[region or UNKNOWN] += 1
    rows = []
    for key in sorted(counts, key=lambda k: (k in (UNKNOWN, OUTSIDE_UKRAINE), k)):
        if key in (UNKNOWN, OUTSIDE_UKRAINE):
            labels = {"oblast": key, "oblast_en": key}
        else:
            entry = get_entry(key)
            labels = {
                "oblast_code": key,
                "oblast": entry.uk,
                "oblast_en": entry.en[0] if entry.en else entry.latin,
            }
        rows.append(Row("oblast", counts[key], labels))
    return rows


def _returns_by_month(uow: UnitOfWork) -> list[Row]:
    """Children by the month they were first recorded as returned (on
    Ukrainian-controlled territory: that is what the status means)."""
    first = (
        select(StatusChangeRow.child_id, func.min(StatusChangeRow.at))
        .join(ChildRow, StatusChangeRow.child_id == ChildRow.id)
        .where(StatusChangeRow.to_status == Status.RETURNED.value)
        .where(ChildRow.status != Status.MERGED.value)
        .group_by(StatusChangeRow.child_id)
    )
    months: Counter[str] = Counter()
    for _child_id, at in uow.session.execute(first):
        moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        months[moment.astimezone(UTC).strftime("%Y-%m")] += 1
    return [Row("returns_by_month", months[m], {"month": m}) for m in sorted(months)]


def statistics_csv(stats: Statistics, *, hxl: bool = True, public: bool = True) -> str:
    """The statistics as CSV: a header row, the HXL hashtags row, the counts."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header for _, header, _ in COLUMNS])
    if hxl:
        writer.writerow([tag for _, _, tag in COLUMNS])
    for item in stats.table(public=public):
        writer.writerow([item[key] for key, _, _ in COLUMNS])
    return out.getvalue()


def statistics_json(stats: Statistics, *, public: bool = True) -> str:
    """The statistics as JSON, grouped by breakdown."""
    table = stats.table(public=public)
    groups: dict[str, list[dict[str, Any]]] = {b: [] for b in BREAKDOWNS}
    for item in table:
        labels = {k: v for k, v in item.items() if v != "" and k not in ("breakdown", "as_of")}
        groups[item["breakdown"]].append(labels)
    document = {
        "as_of": table[0]["as_of"] if table else None,
        "suppressed_below": SMALL if public else None,
        "hxl": {key: tag for key, _, tag in COLUMNS},
        **groups,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
