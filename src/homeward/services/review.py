"""The review queue: proposed matches, and the decisions people take on them.

A proposal is a pair: a record that is in no case and a case it may describe,
or two cases that may be one child.  Proposals come from scoring one record
against the registry (:func:`propose_for_record`, when a report arrives) or
from a scan of the whole registry (:func:`scan_registry`, after an import or a
retraining).

- A pair at or above the auto-link threshold is linked at once, but only a
  record, and only when no other case reaches the threshold for it.  Two cases
  are never merged unasked: a merge always waits for a person.
- A pair from the review threshold up waits in the queue.
- A reviewer accepts (the record is linked to the case, or the two cases are
  merged), rejects (the pair is never proposed again, whatever model scores it
  later: the rejection belongs to the pair, not to a score) or defers.
- :func:`undo` reopens a decided pair; undoing an acceptance undoes its link or
  merge.

Every proposal and decision is a change of a ``match_candidates`` row, so the
audit trail has each of them with who, when and why.

A report sent through the public form takes no part until a case worker has
triaged it (:mod:`homeward.services.triage`): while it is in no case it is not
scanned, not proposed and never linked unasked, so a forged report cannot be
attached to a real child's case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from homeward.config import Settings
from homeward.domain.model import SourceKind
from homeward.domain.record import RECORD_FIELD_NAMES
from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Conflict, Invalid
from homeward.linkage.batch import link
from homeward.linkage.model import MatchModel, default_model
from homeward.linkage.scoring import FieldExplanation, ScoredPair, score_pair
from homeward.linkage.search import record_values, search, untriaged_public_report
from homeward.services.cases import _require_reason, get_child, link_record, unlink_record
from homeward.services.merging import merge_children, unmerge
from homeward.storage.tables import ChildRow, DecisionRow, MatchCandidateRow, RecordRow, utcnow
from homeward.storage.uow import UnitOfWork


class ReviewStatus(StrEnum):
    PENDING = "pending"
    DEFERRED = "deferred"
    ACCEPTED = "accepted"
    AUTO_LINKED = "auto_linked"
    REJECTED = "rejected"


OPEN = (ReviewStatus.PENDING, ReviewStatus.DEFERRED)
"""Proposals still waiting for a person."""


class Action(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    DEFER = "defer"


_DECIDED = {
    Action.ACCEPT: ReviewStatus.ACCEPTED,
    Action.REJECT: ReviewStatus.REJECTED,
    Action.DEFER: ReviewStatus.DEFERRED,
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    auto_link: float = 0.99
    review: float = 0.05

    def __post_init__(self) -> None:
        if not 0 <= self.review <= self.auto_link <= 1:
            raise Invalid(
                f"thresholds: need 0 <= review ({self.review}) <= auto-link ({self.auto_link}) <= 1"
            )

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(auto_link=settings.auto_link_threshold, review=settings.review_threshold)


def load_model(settings: Settings) -> MatchModel:
    """The model in force: the settings' model file, or the default model."""
    return MatchModel.load(settings.match_model) if settings.match_model else default_model()


def model_label(model: MatchModel) -> str:
    """``default``, or ``sha256:`` and the first 16 hex digits of the model's JSON."""
    digest = hashlib.sha256(model.to_json().encode()).hexdigest()
    if digest == hashlib.sha256(default_model().to_json().encode()).hexdigest():
        return "default"
    return f"sha256:{digest[:16]}"


def record_pair(record_id: int, child_id: int) -> str:
    return f"record:{record_id}|child:{child_id}"


def children_pair(child_a: int, child_b: int) -> str:
    low, high = sorted((child_a, child_b))
    return f"child:{low}|child:{high}"


class Outcome(StrEnum):
    QUEUED = "queued"
    """New in the queue."""
    REFRESHED = "refreshed"
    """Already waiting; its score and explanation are brought up to date."""
    AUTO_LINKED = "auto_linked"
    SETTLED = "settled"
    """Decided before (accepted or rejected): not proposed again."""
    BELOW = "below"
    """Under the review threshold."""


@dataclass
class Summary:
    """What a round of proposals did, by outcome."""

    outcomes: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    records: int = 0
    """Records scored (a scan: the whole registry)."""
    candidate_pairs: int = 0
    pairs_in_one_case: int = 0
    """Pairs above the threshold whose records are already in one case."""
    unlinked_pairs: int = 0
    """Pairs of two records that are in no case: opening a case is a person's call."""

    def count(self, outcome: Outcome) -> None:
        self.outcomes[outcome.value] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "candidate_pairs": self.candidate_pairs,
            "pairs_in_one_case": self.pairs_in_one_case,
            "unlinked_pairs": self.unlinked_pairs,
            **self.outcomes,
        }


@dataclass(frozen=True, slots=True)
class _Proposal:
    pair: str
    child_id: int
    scored: ScoredPair
    record_id: int | None = None
    other_child_id: int | None = None


def _propose(
    uow: UnitOfWork,
    proposal: _Proposal,
    *,
    thresholds: Thresholds,
    label: str,
    origin: str,
    may_auto_link: bool,
) -> Outcome:
    scored = proposal.scored
    existing = uow.repos.match_candidates.by_pair(proposal.pair)
    if existing is not None:
        if existing.status not in OPEN:
            return Outcome.SETTLED
        with uow.action("match.rescore"):
            existing.probability, existing.weight = scored.probability, scored.weight
            existing.explanation = [f.as_dict() for f in scored.fields]
            existing.model = label
        return Outcome.REFRESHED
    if scored.probability < thresholds.review:
        return Outcome.BELOW
    with uow.action("match.propose"):
        row = uow.repos.match_candidates.add(
            MatchCandidateRow(
                pair=proposal.pair,
                record_id=proposal.record_id,
                child_id=proposal.child_id,
                other_child_id=proposal.other_child_id,
                probability=scored.probability,
                weight=scored.weight,
                explanation=[f.as_dict() for f in scored.fields],
                model=label,
                origin=origin,
                status=ReviewStatus.PENDING.value,
                proposed_by=uow.actor.username,
            )
        )
    auto = proposal.record_id is not None and scored.probability >= thresholds.auto_link
    if not (auto and may_auto_link):
        return Outcome.QUEUED
    assert proposal.record_id is not None
    reason = (
        f"automatic link: match probability {scored.probability:.4f} reaches the "
        f"auto-link threshold {thresholds.auto_link} (proposed match {row.id})"
    )
    decision = link_record(uow, proposal.record_id, proposal.child_id, reason=reason)
    with uow.action("match.auto_link"):
        _settle(uow, row, ReviewStatus.AUTO_LINKED, reason, decision)
    return Outcome.AUTO_LINKED


def _settle(
    uow: UnitOfWork,
    row: MatchCandidateRow,
    status: ReviewStatus,
    reason: str,
    decision: DecisionRow | None = None,
) -> None:
    row.status = status.value
    row.decided_at = utcnow()
    row.decided_by = uow.actor.username
    row.reason = reason
    row.decision_id = decision.id if decision else None


def propose_for_record(
    uow: UnitOfWork,
    record_id: int,
    *,
    model: MatchModel | None = None,
    thresholds: Thresholds | None = None,
    origin: str = "record",
    limit: int = 10,
) -> Summary:
    """Score one registered record against the registry and queue what may match.

    A record in no case is proposed for the cases it may describe (and linked
    to one at once if that one alone reaches the auto-link threshold); a record
    already in a case proposes its case and the others as possible duplicates.
    A public report in no case proposes nothing: it waits for triage.
    """
    uow.actor.require(Permission.CREATE_RECORDS)
    model = model or default_model()
    thresholds = thresholds or Thresholds()
    record = uow.repos.records.get(record_id)
    if _waits_for_triage(uow, record):
        return Summary()
    candidates = [
        c
        for c in search(
            uow,
            record_values(record),
            model=model,
            limit=limit,
            min_probability=thresholds.review,
        )
        if c.child_id is not None and c.record_id != record.id and c.child_id != record.child_id
    ]
    summary = Summary(records=1, candidate_pairs=len(candidates))
    sure = [c for c in candidates if c.probability >= thresholds.auto_link]
    label = model_label(model)
    for candidate in candidates:
        assert candidate.child_id is not None
        if record.child_id is None:
            proposal = _Proposal(
                record_pair(record.id, candidate.child_id), candidate.child_id,
                candidate.scored, record_id=record.id,
            )  # fmt: skip
        else:
            low, high = sorted((record.child_id, candidate.child_id))
            scored = candidate.scored
            if low != record.child_id:  # the older case's record on the left
                other = record_values(uow.repos.records.get(candidate.record_id))
                scored = score_pair(model, other, record_values(record))
            proposal = _Proposal(children_pair(low, high), low, scored, other_child_id=high)
        summary.count(
            _propose(
                uow, proposal, thresholds=thresholds, label=label, origin=origin,
                may_auto_link=len(sure) == 1,
            )
        )  # fmt: skip
    return summary


def _waits_for_triage(uow: UnitOfWork, record: RecordRow) -> bool:
    """A public report no case worker has triaged yet (it is in no case): it
    takes no part in matching (as ``linkage.search.untriaged_public_report``)."""
    if record.child_id is not None:
        return False
    return uow.repos.sources.get(record.source_id).kind == SourceKind.PUBLIC_REPORT.value


ScanProgress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def scan_registry(
    uow: UnitOfWork,
    *,
    model: MatchModel | None = None,
    thresholds: Thresholds | None = None,
    progress: ScanProgress | None = None,
) -> Summary:
    """Deduplicate the whole registry in one batch run and queue what it finds.

    Records in no case are proposed for cases; records of two cases propose the
    two cases as one child.  The best pair of records stands for each pair of
    cases.  Run it again at will: waiting pairs are rescored, decided ones are
    left as they were decided.
    """
    uow.actor.require(Permission.REVIEW_MATCHES)
    rows = _registry_records(uow)
    return _scan(uow, rows, None, model, thresholds, progress)


def match_records(
    uow: UnitOfWork,
    record_ids: Collection[int],
    *,
    model: MatchModel | None = None,
    thresholds: Thresholds | None = None,
    progress: ScanProgress | None = None,
) -> Summary:
    """Link these records (an import's) against the rest of the registry in one
    batch run, and queue what it finds, as :func:`scan_registry` does."""
    uow.actor.require(Permission.IMPORT_FILES)
    wanted = set(record_ids)
    rows = _registry_records(uow)
    new = [r for r in rows if r.id in wanted]
    rest = [r for r in rows if r.id not in wanted]
    return _scan(uow, new + rest, len(new), model, thresholds, progress)


def _scan(
    uow: UnitOfWork,
    rows: list[_Stored],
    split_at: int | None,
    model: MatchModel | None,
    thresholds: Thresholds | None,
    progress: ScanProgress | None,
) -> Summary:
    model = model or default_model()
    thresholds = thresholds or Thresholds()
    values = [r.values for r in rows]
    summary = Summary(records=len(rows) if split_at is None else split_at)
    if len(rows) < 2 or split_at in (0, len(rows)):
        return summary
    result = link(
        values[:split_at] if split_at is not None else values,
        values[split_at:] if split_at is not None else None,
        model=model, train_model=False, threshold=max(thresholds.review, 1e-6),
        progress=progress or _quiet,
    )  # fmt: skip
    summary.candidate_pairs = result.candidate_pairs
    best: dict[str, tuple[float, int, int]] = {}
    for pair in result.pairs:
        a, b = rows[pair.a], rows[pair.b]
        if a.child_id is not None and a.child_id == b.child_id:
            summary.pairs_in_one_case += 1
            continue
        if a.child_id is None and b.child_id is None:
            summary.unlinked_pairs += 1
            continue
        if a.child_id is None or b.child_id is None:
            loose, linked = (a, b) if a.child_id is None else (b, a)
            assert linked.child_id is not None
            key, left, right = record_pair(loose.id, linked.child_id), loose, linked
        else:
            key = children_pair(a.child_id, b.child_id)
            left, right = (a, b) if a.child_id < b.child_id else (b, a)
        if key not in best or pair.probability > best[key][0]:
            best[key] = (pair.probability, left.id, right.id)
    by_id = {r.id: i for i, r in enumerate(rows)}
    sure: dict[int, int] = {}
    for probability, left_id, _ in best.values():
        if probability >= thresholds.auto_link and rows[by_id[left_id]].child_id is None:
            sure[left_id] = sure.get(left_id, 0) + 1
    label = model_label(model)
    origin = "scan" if split_at is None else "import"
    for key, (_, left_id, right_id) in sorted(best.items()):
        left, right = rows[by_id[left_id]], rows[by_id[right_id]]
        scored = score_pair(model, values[by_id[left_id]], values[by_id[right_id]])
        assert right.child_id is not None
        if left.child_id is None:
            proposal = _Proposal(key, right.child_id, scored, record_id=left.id)
        else:
            proposal = _Proposal(key, left.child_id, scored, other_child_id=right.child_id)
        summary.count(
            _propose(
                uow, proposal, thresholds=thresholds, label=label, origin=origin,
                may_auto_link=sure.get(left.id, 0) == 1,
            )
        )  # fmt: skip
    return summary


@dataclass(frozen=True, slots=True)
class _Stored:
    """What a scan needs of a record: no ORM object, so a large registry stays small."""

    id: int
    child_id: int | None
    values: dict[str, Any]


def _registry_records(uow: UnitOfWork) -> list[_Stored]:
    """Every record that counts: in a case that was not merged away, or in no
    case and not a public report waiting for triage (or rejected by it)."""
    columns = [getattr(RecordRow, name) for name in RECORD_FIELD_NAMES]
    rows = uow.session.execute(
        select(RecordRow.id, RecordRow.child_id, *columns)
        .outerjoin(ChildRow, RecordRow.child_id == ChildRow.id)
        .where(
            (RecordRow.child_id.is_(None)) | (ChildRow.status != Status.MERGED.value),
            ~untriaged_public_report(RecordRow.id),
        )
        .order_by(RecordRow.id)
    )
    return [
        _Stored(
            row[0],
            row[1],
            {"record_id": str(row[0]), **dict(zip(RECORD_FIELD_NAMES, row[2:], strict=True))},
        )
        for row in rows
    ]


def train_on_registry(uow: UnitOfWork, *, start: MatchModel | None = None) -> MatchModel:
    """Re-estimate the model (EM) on the registry's own records.

    Decisions already taken stay as they are: a rejected pair is rejected
    whatever the new model says of it.
    """
    uow.actor.require(Permission.REVIEW_MATCHES)
    values = [r.values for r in _registry_records(uow)]
    if len(values) < 2:
        raise Invalid("the registry holds too few records to train on")
    return link(values, model=start or default_model(), train_model=True, threshold=0.99).model


# --- decisions -------------------------------------------------------------------


def decide(
    uow: UnitOfWork,
    candidate_id: int,
    action: Action,
    *,
    reason: str,
    surviving_child_id: int | None = None,
    expected_version: int | None = None,
) -> MatchCandidateRow:
    """Accept, reject or defer a proposed match.

    Accepting links the record to the case, or merges the two cases (into the
    older one, or into ``surviving_child_id``).  ``expected_version``: the
    version the reviewer saw; if someone decided meanwhile, this is refused.
    """
    uow.actor.require(Permission.REVIEW_MATCHES)
    reason = _require_reason(reason)
    row = uow.repos.match_candidates.get(candidate_id)
    if expected_version is not None and row.version != expected_version:
        raise Conflict(
            f"proposed match {row.id} was changed by someone else since you opened it; reload it"
        )
    if row.status not in OPEN:
        raise Conflict(
            f"proposed match {row.id} was already {row.status.replace('_', ' ')} "
            f"by {row.decided_by}; undo that first"
        )
    decision: DecisionRow | None = None
    if action == Action.ACCEPT:
        decision = _accept(uow, row, reason, surviving_child_id)
    with uow.action(f"match.{action.value}"):
        _settle(uow, row, _DECIDED[action], reason, decision)
    return row


def _accept(
    uow: UnitOfWork, row: MatchCandidateRow, reason: str, surviving_child_id: int | None
) -> DecisionRow | None:
    note = f"review of proposed match {row.id}: {reason}"
    if row.record_id is not None:
        record = uow.repos.records.get(row.record_id)
        if record.child_id is not None and record.child_id != row.child_id:
            other = uow.repos.children.get(record.child_id)
            raise Conflict(
                f"record {record.id} was since linked to case {other.case_number}; "
                "reject this proposal or split the record out first"
            )
        if _waits_for_triage(uow, record):
            raise Conflict(
                f"record {record.id} came through the public form and waits for triage; "
                "link it from the triage queue, where it is checked first"
            )
        return link_record(uow, record.id, row.child_id, reason=note)
    assert row.other_child_id is not None
    pair = (row.child_id, row.other_child_id)
    surviving = surviving_child_id if surviving_child_id is not None else pair[0]
    if surviving not in pair:
        raise Invalid(f"surviving case: must be one of the two cases of proposed match {row.id}")
    duplicate = pair[1] if surviving == pair[0] else pair[0]
    return merge_children(uow, duplicate, surviving, reason=note)


def undo(uow: UnitOfWork, candidate_id: int, *, reason: str) -> MatchCandidateRow:
    """Reopen a decided pair; an acceptance's link or merge is undone with it."""
    uow.actor.require(Permission.REVIEW_MATCHES)
    reason = _require_reason(reason)
    row = uow.repos.match_candidates.get(candidate_id)
    if row.status == ReviewStatus.PENDING:
        raise Invalid(f"proposed match {row.id} is waiting for a decision: nothing to undo")
    if row.decision_id is not None:
        _reverse(uow, uow.repos.decisions.get(row.decision_id), row, reason)
    with uow.action("match.undo"):
        row.status = ReviewStatus.PENDING.value
        row.decided_at, row.decided_by, row.decision_id = None, None, None
        row.reason = f"reopened by {uow.actor.username}: {reason}"
    return row


def _reverse(uow: UnitOfWork, decision: DecisionRow, row: MatchCandidateRow, reason: str) -> None:
    note = f"undo of proposed match {row.id}: {reason}"
    if decision.kind == "merge":
        unmerge(uow, decision.id, reason=note)
        return
    assert row.record_id is not None
    record = uow.repos.records.get(row.record_id)
    if record.child_id != row.child_id:
        raise Conflict(f"record {record.id} has since left the case it was linked to")
    previous = decision.payload.get("from")
    if previous is None:
        unlink_record(uow, record.id, reason=note)
    else:
        link_record(uow, record.id, int(previous), reason=note)


# --- reading the queue -------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    """A proposed match as a reviewer sees it."""

    id: int
    status: str
    probability: float
    weight: float
    record_id: int | None
    child_id: int
    case_number: str
    other_child_id: int | None
    other_case_number: str | None
    fields: tuple[FieldExplanation, ...]
    model: str
    origin: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    version: int

    @property
    def kind(self) -> str:
        """``record`` (a record for a case) or ``cases`` (two cases, one child?)."""
        return "record" if self.record_id is not None else "cases"

    def describe(self) -> list[str]:
        return [f.describe() for f in self.fields if f.level != "missing"]

    def strongest(self, count: int = 2) -> list[FieldExplanation]:
        """The fields that weigh most in the score, for or against, strongest first."""
        compared = [f for f in self.fields if f.level != "missing"]
        return sorted(compared, key=lambda f: -abs(f.weight))[:count]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "match_probability": round(self.probability, 6),
            "match_weight": round(self.weight, 2),
            "record_id": self.record_id,
            "child_id": self.child_id,
            "case_number": self.case_number,
            "other_child_id": self.other_child_id,
            "other_case_number": self.other_case_number,
            "fields": [f.as_dict() for f in self.fields],
            "model": self.model,
            "origin": self.origin,
            "proposed_at": self.proposed_at.isoformat(),
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "reason": self.reason,
            "version": self.version,
        }


def _item(uow: UnitOfWork, row: MatchCandidateRow, numbers: Mapping[int, str]) -> ReviewItem:
    return ReviewItem(
        id=row.id,
        status=row.status,
        probability=row.probability,
        weight=row.weight,
        record_id=row.record_id,
        child_id=row.child_id,
        case_number=numbers[row.child_id],
        other_child_id=row.other_child_id,
        other_case_number=numbers[row.other_child_id] if row.other_child_id else None,
        fields=tuple(FieldExplanation(**f) for f in row.explanation),
        model=row.model,
        origin=row.origin,
        proposed_at=row.proposed_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        reason=row.reason,
        version=row.version,
    )


def _case_numbers(uow: UnitOfWork, rows: Sequence[MatchCandidateRow]) -> dict[int, str]:
    ids = {r.child_id for r in rows} | {r.other_child_id for r in rows if r.other_child_id}
    found = uow.session.execute(
        select(ChildRow.id, ChildRow.case_number).where(ChildRow.id.in_(ids))
    )
    return {child_id: number for child_id, number in found}


def queue(
    uow: UnitOfWork,
    *,
    statuses: Sequence[str] = OPEN,
    limit: int = 50,
    offset: int = 0,
) -> list[ReviewItem]:
    """Proposed matches with these statuses (waiting ones by default), most probable first."""
    uow.actor.require(Permission.REVIEW_MATCHES)
    unknown = set(statuses) - {s.value for s in ReviewStatus}
    if unknown:
        raise Invalid(f"status: no such status {', '.join(sorted(unknown))}")
    rows = uow.repos.match_candidates.with_status(list(statuses), limit=limit, offset=offset)
    numbers = _case_numbers(uow, rows)
    return [_item(uow, row, numbers) for row in rows]


def get_item(uow: UnitOfWork, candidate_id: int) -> ReviewItem:
    uow.actor.require(Permission.REVIEW_MATCHES)
    row = uow.repos.match_candidates.get(candidate_id)
    for child_id in (row.child_id, row.other_child_id):
        if child_id is not None:
            get_child(uow, child_id)
    return _item(uow, row, _case_numbers(uow, [row]))


def counts(uow: UnitOfWork) -> dict[str, int]:
    """How many proposals there are of each status."""
    uow.actor.require(Permission.REVIEW_MATCHES)
    found = uow.repos.match_candidates.count_by_status()
    return {s.value: found.get(s.value, 0) for s in ReviewStatus}
