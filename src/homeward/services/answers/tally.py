"""The tallies of a frozen version that negotiators quote, and their export."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from homeward.domain.model import SourceKind
from homeward.io.writers import write_table
from homeward.services.answers.recording import Answer
from homeward.services.lists import check_export, frozen_version, require_reader
from homeward.storage.tables import (
    ChildRow,
    DeliveryRow,
    HandoverListRow,
    ListAnswerRow,
    ListEntryRow,
    ListVersionRow,
    MatchCandidateRow,
    RecordRow,
    SourceRow,
)
from homeward.storage.uow import UnitOfWork


@dataclass
class Tally:
    """The figures of one frozen version."""

    list_id: int
    title: str
    version: int
    entries: int
    by_answer: dict[str, int]
    """The latest answer of each entry (``no_answer`` for entries nobody answered)."""
    delivered_on: str | None
    days_since_delivery: int | None
    disputed: list[str] = field(default_factory=list)
    """Case numbers whose latest answer disputes the entry."""
    waiting_on_several_lists: list[str] = field(default_factory=list)
    """Children on this and other frozen lists, with no answer on any of them."""
    on_their_lists: list[str] = field(default_factory=list)
    """Children of this version whom a list of the other side names too: a record of
    a counterpart list is in their case, or waits in the review queue for it."""

    def sentence(self) -> str:
        """``of 339: partial information on 62, no answer on 212, returned 6``"""
        parts = [f"{a.replace('_', ' ')} {n}" for a, n in sorted(
            self.by_answer.items(), key=lambda item: -item[1])]  # fmt: skip
        return f"of {self.entries}: " + ", ".join(parts)


def reconcile(uow: UnitOfWork, list_id: int, number: int, *, today: date | None = None) -> Tally:
    """The figures of a frozen version (see :class:`Tally`)."""
    require_reader(uow.actor)
    version = frozen_version(uow, list_id, number)
    entries = list(
        uow.session.scalars(select(ListEntryRow).where(ListEntryRow.version_id == version.id))
    )
    latest: dict[int, ListAnswerRow] = {}
    for answer in uow.session.scalars(
        select(ListAnswerRow)
        .where(ListAnswerRow.entry_id.in_([e.id for e in entries]))
        .order_by(ListAnswerRow.answered_on, ListAnswerRow.id)
    ):
        latest[answer.entry_id] = answer
    counts = Counter(latest[e.id].answer if e.id in latest else "no_answer" for e in entries)
    deliveries = list(
        uow.session.scalars(
            select(DeliveryRow.delivered_on)
            .where(DeliveryRow.version_id == version.id)
            .order_by(DeliveryRow.delivered_on)
        )
    )
    first = deliveries[0] if deliveries else None
    today = today or datetime.now(UTC).date()
    disputed = sorted(
        str(e.values.get("case_number"))
        for e in entries
        if e.id in latest and latest[e.id].answer == Answer.DISPUTED
    )
    return Tally(
        list_id, uow.session.get_one(HandoverListRow, list_id).title, number, len(entries),
        dict(counts), first, (today - date.fromisoformat(first)).days if first else None,
        disputed, _waiting_everywhere(uow, [e.child_id for e in entries if e.id not in latest]),
        _on_their_lists(uow, [e.child_id for e in entries]),
    )  # fmt: skip


def _on_their_lists(uow: UnitOfWork, child_ids: list[int]) -> list[str]:
    """Of these children, those a counterpart's list names (linked or proposed)."""
    if not child_ids:
        return []
    theirs = (
        select(RecordRow.id)
        .join(SourceRow, RecordRow.source_id == SourceRow.id)
        .where(SourceRow.kind == SourceKind.COUNTERPART_LIST.value)
    )
    linked = set(
        uow.session.scalars(
            select(RecordRow.child_id)
            .where(RecordRow.id.in_(theirs))
            .where(RecordRow.child_id.in_(child_ids))
        )
    )
    proposed = set(
        uow.session.scalars(
            select(MatchCandidateRow.child_id)
            .where(MatchCandidateRow.record_id.in_(theirs))
            .where(MatchCandidateRow.child_id.in_(child_ids))
            .where(MatchCandidateRow.status.in_(["pending", "deferred"]))
        )
    )
    found = linked | proposed
    return list(
        uow.session.scalars(
            select(ChildRow.case_number)
            .where(ChildRow.id.in_(found))
            .order_by(ChildRow.case_number)
        )
    )


def _waiting_everywhere(uow: UnitOfWork, child_ids: list[int]) -> list[str]:
    """Of these children, those on more than one frozen list and answered on none."""
    if not child_ids:
        return []
    rows = uow.session.execute(
        select(ListEntryRow.child_id, ListEntryRow.id, ListVersionRow.list_id)
        .join(ListVersionRow, ListEntryRow.version_id == ListVersionRow.id)
        .where(ListEntryRow.child_id.in_(child_ids))
    ).all()
    answered = set(
        uow.session.scalars(
            select(ListAnswerRow.entry_id).where(ListAnswerRow.entry_id.in_([r[1] for r in rows]))
        )
    )
    lists_of: dict[int, set[int]] = {}
    touched: set[int] = set()
    for child_id, entry_id, list_id in rows:
        lists_of.setdefault(child_id, set()).add(list_id)
        if entry_id in answered:
            touched.add(child_id)
    waiting = [c for c, found in lists_of.items() if len(found) > 1 and c not in touched]
    numbers = uow.session.scalars(
        select(ChildRow.case_number).where(ChildRow.id.in_(waiting)).order_by(ChildRow.case_number)
    )
    return list(numbers)


TALLY_COLUMNS = (
    "entry_number", "case_number", "family_name_uk", "given_name_uk", "birth_date",
    "answer", "detail", "answered_on", "source", "answers",
)  # fmt: skip


def tally_rows(uow: UnitOfWork, list_id: int, number: int) -> list[list[Any]]:
    """One row per entry: who it is and the latest answer (``answers``: how many)."""
    require_reader(uow.actor)
    version = frozen_version(uow, list_id, number)
    entries = list(
        uow.session.scalars(
            select(ListEntryRow)
            .where(ListEntryRow.version_id == version.id)
            .order_by(ListEntryRow.number)
        )
    )
    history: dict[int, list[ListAnswerRow]] = {}
    for answer in uow.session.scalars(
        select(ListAnswerRow)
        .where(ListAnswerRow.entry_id.in_([e.id for e in entries]))
        .order_by(ListAnswerRow.answered_on, ListAnswerRow.id)
    ):
        history.setdefault(answer.entry_id, []).append(answer)
    rows = []
    for entry in entries:
        said = history.get(entry.id, [])
        last = said[-1] if said else None
        rows.append(
            [entry.number, entry.values.get("case_number"), entry.values.get("family_name_uk"),
             entry.values.get("given_name_uk"), entry.values.get("birth_date"),
             last.answer if last else Answer.NO_ANSWER.value, last.detail if last else None,
             last.answered_on if last else None, last.source if last else None, len(said)]
        )  # fmt: skip
    return rows


def write_tally(
    uow: UnitOfWork, list_id: int, number: int, path: str, *, format: str, language: str = "uk"
) -> int:
    """The tally as a table (``csv``, ``xlsx`` or ``json``: the figures, then every
    entry) or as a ``pdf`` report in ``language``.  An unknown format or PDF
    language is ``Invalid``, and nothing is written."""
    from pathlib import Path

    check_export(format, language)
    tally = reconcile(uow, list_id, number)
    rows = tally_rows(uow, list_id, number)
    if format == "pdf":
        from homeward.documents.lists import write_tally_pdf

        write_tally_pdf(tally, rows, path, language=language)
        uow.note("list.tally_export", "list_versions", None, list_id=list_id, version=number,
                 format=format, entries=len(rows))  # fmt: skip
        return len(rows)
    summary = [
        [None, None, f"{tally.title}, version {tally.version}", None, None, a, None, None, None, n]
        for a, n in sorted(tally.by_answer.items(), key=lambda item: -item[1])
    ]
    count = write_table(Path(path), format, TALLY_COLUMNS, [*summary, *rows])
    uow.note("list.tally_export", "list_versions", None, list_id=list_id, version=number,
             format=format, entries=len(rows))  # fmt: skip
    return count
