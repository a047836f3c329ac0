"""Repositories: the queries services need, one class per aggregate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from homeward.errors import NotFound
from homeward.storage.tables import (
    Base,
    ChildRow,
    CounterRow,
    DecisionRow,
    EventRow,
    FacilityRow,
    MatchCandidateRow,
    OrganisationRow,
    RecordRow,
    RelativeRow,
    SourceRow,
    StatusChangeRow,
    UserRow,
)

RowT = TypeVar("RowT", bound=Base)


class Repository(Generic[RowT]):
    row_type: type[RowT]
    label: str

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: RowT) -> RowT:
        self.session.add(row)
        self.session.flush()
        return row

    def get(self, row_id: int) -> RowT:
        row = self.session.get(self.row_type, row_id)
        if row is None:
            raise NotFound(f"no {self.label} with id {row_id}")
        return row

    def find(self, row_id: int) -> RowT | None:
        return self.session.get(self.row_type, row_id)

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(self.row_type)) or 0)


class Children(Repository[ChildRow]):
    row_type = ChildRow
    label = "case"

    def get(self, row_id: int) -> ChildRow:
        """The case; kept for the rest of the unit of work.  The session's
        identity map holds rows only while someone else does, and one page
        asks for its case a dozen times, in as many services: each would read
        it from the database again."""
        row = super().get(row_id)
        self.session.info.setdefault("cases_held", {})[row_id] = row
        return row

    def by_case_number(self, case_number: str, *, follow_merges: bool = True) -> ChildRow:
        """The case with this number; a merged duplicate's number leads to the
        case it was merged into."""
        row = self.session.scalar(select(ChildRow).where(ChildRow.case_number == case_number))
        if row is None:
            raise NotFound(f"no case numbered {case_number}")
        return self.surviving(row) if follow_merges else row

    def surviving(self, row: ChildRow) -> ChildRow:
        """The case a child is followed in now: this one, or the one it was
        merged into, through every merge."""
        seen = {row.id}
        while row.merged_into_id is not None:
            row = self.get(row.merged_into_id)
            if row.id in seen:
                break
            seen.add(row.id)
        return row

    def merged_into(self, child_id: int) -> Sequence[ChildRow]:
        return self.session.scalars(
            select(ChildRow).where(ChildRow.merged_into_id == child_id).order_by(ChildRow.id)
        ).all()

    def next_serial(self, year: int) -> int:
        """The next case serial of ``year``, atomically (a row lock until commit)."""
        name = f"case_serial:{year}"
        dialect = self.session.get_bind().dialect.name
        insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
        self.session.execute(
            insert_fn(CounterRow).values(name=name, value=0).on_conflict_do_nothing()
        )
        value = self.session.execute(
            update(CounterRow)
            .where(CounterRow.name == name)
            .values(value=CounterRow.value + 1)
            .returning(CounterRow.value)
        ).scalar_one()
        return int(value)


class Records(Repository[RecordRow]):
    row_type = RecordRow
    label = "record"

    def of_child(self, child_id: int) -> Sequence[RecordRow]:
        return self.session.scalars(
            select(RecordRow).where(RecordRow.child_id == child_id).order_by(RecordRow.id)
        ).all()

    def unlinked(self, limit: int = 100) -> Sequence[RecordRow]:
        return self.session.scalars(
            select(RecordRow)
            .where(RecordRow.child_id.is_(None))
            .order_by(RecordRow.id)
            .limit(limit)
        ).all()


class Sources(Repository[SourceRow]):
    row_type = SourceRow
    label = "source"

    def by_sha256(self, sha256: str) -> SourceRow | None:
        return self.session.scalar(select(SourceRow).where(SourceRow.file_sha256 == sha256))


class Events(Repository[EventRow]):
    row_type = EventRow
    label = "event"

    def of_child(self, child_id: int) -> Sequence[EventRow]:
        return self.session.scalars(
            select(EventRow).where(EventRow.child_id == child_id).order_by(EventRow.id)
        ).all()


class Relatives(Repository[RelativeRow]):
    row_type = RelativeRow
    label = "relative"

    def of_child(self, child_id: int) -> Sequence[RelativeRow]:
        return self.session.scalars(
            select(RelativeRow).where(RelativeRow.child_id == child_id).order_by(RelativeRow.id)
        ).all()


class StatusChanges(Repository[StatusChangeRow]):
    row_type = StatusChangeRow
    label = "status change"

    def of_child(self, child_id: int) -> Sequence[StatusChangeRow]:
        return self.session.scalars(
            select(StatusChangeRow)
            .where(StatusChangeRow.child_id == child_id)
            .order_by(StatusChangeRow.id)
        ).all()


class Decisions(Repository[DecisionRow]):
    row_type = DecisionRow
    label = "decision"

    def active_merges_into(self, child_id: int) -> Sequence[DecisionRow]:
        return self.session.scalars(
            select(DecisionRow)
            .where(DecisionRow.kind == "merge")
            .where(DecisionRow.child_id == child_id)
            .where(DecisionRow.reverted_by_id.is_(None))
            .order_by(DecisionRow.id.desc())
        ).all()

    def of_child(self, child_id: int) -> Sequence[DecisionRow]:
        return self.session.scalars(
            select(DecisionRow)
            .where((DecisionRow.child_id == child_id) | (DecisionRow.other_child_id == child_id))
            .order_by(DecisionRow.id)
        ).all()


class MatchCandidates(Repository[MatchCandidateRow]):
    row_type = MatchCandidateRow
    label = "proposed match"

    def by_pair(self, pair: str) -> MatchCandidateRow | None:
        return self.session.scalar(select(MatchCandidateRow).where(MatchCandidateRow.pair == pair))

    def with_status(
        self, statuses: Sequence[str], *, limit: int = 50, offset: int = 0
    ) -> Sequence[MatchCandidateRow]:
        """Best first: the most probable pairs are the quickest to confirm."""
        return self.session.scalars(
            select(MatchCandidateRow)
            .where(MatchCandidateRow.status.in_(statuses))
            .order_by(MatchCandidateRow.probability.desc(), MatchCandidateRow.id)
            .limit(limit)
            .offset(offset)
        ).all()

    def count_by_status(self) -> dict[str, int]:
        rows = self.session.execute(
            select(MatchCandidateRow.status, func.count()).group_by(MatchCandidateRow.status)
        )
        return {status: int(n) for status, n in rows}

    def of_child(self, child_id: int) -> Sequence[MatchCandidateRow]:
        return self.session.scalars(
            select(MatchCandidateRow)
            .where(
                (MatchCandidateRow.child_id == child_id)
                | (MatchCandidateRow.other_child_id == child_id)
            )
            .order_by(MatchCandidateRow.probability.desc(), MatchCandidateRow.id)
        ).all()


class Facilities(Repository[FacilityRow]):
    row_type = FacilityRow
    label = "facility"


class Organisations(Repository[OrganisationRow]):
    row_type = OrganisationRow
    label = "organisation"

    def by_name(self, name: str) -> OrganisationRow | None:
        return self.session.scalar(select(OrganisationRow).where(OrganisationRow.name == name))


class Users(Repository[UserRow]):
    row_type = UserRow
    label = "user"

    def by_username(self, username: str) -> UserRow | None:
        return self.session.scalar(select(UserRow).where(UserRow.username == username))


class Repositories:
    def __init__(self, session: Session) -> None:
        self.children = Children(session)
        self.records = Records(session)
        self.sources = Sources(session)
        self.events = Events(session)
        self.relatives = Relatives(session)
        self.status_changes = StatusChanges(session)
        self.decisions = Decisions(session)
        self.match_candidates = MatchCandidates(session)
        self.facilities = Facilities(session)
        self.organisations = Organisations(session)
        self.users = Users(session)
