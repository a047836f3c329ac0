"""Reports sent through the public form, and their triage by case workers.

Anyone may send a report without signing in (a mother, a grandmother, a
neighbour).  It is kept at once as a record of a source of its own, of kind
``public_report``, and waits in the triage queue: it is in no case, counts in
no statistic and is shown to nobody but the case workers who triage it.  A
case worker opens it beside the children it may describe, then links it to a
case, opens a new case with it, or rejects it as not a genuine report (with a
reason).  A rejected report is kept, never deleted here, so that the
retention rules can remove it later with everything else of its age.

Every step is in the audit trail: the report's arrival (written by
:data:`PUBLIC_FORM_ACTOR`), each opening of it, and each decision.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from homeward.domain.model import Category, Relationship, SourceKind
from homeward.domain.roles import Actor, Permission, Role
from homeward.errors import Conflict, Forbidden, Invalid, NotFound
from homeward.linkage.model import MatchModel
from homeward.linkage.search import Candidate, record_values, search
from homeward.services import intake
from homeward.services.cases import _require_reason, create_source, new_decision, register_record
from homeward.services.records import clean_text, record_data
from homeward.storage.tables import ChildRow, DecisionRow, RecordRow, SourceRow
from homeward.storage.uow import UnitOfWork

PUBLIC_FORM_ACTOR = Actor(username="public-form", role=Role.SYSTEM)
"""Who writes a report sent through the public form to the registry and its
audit trail: nobody signed in sent it."""

REJECT = "triage_reject"
"""The kind of decision that says a public report is not a genuine report."""

LIMITS: dict[str, int] = {
    "family_name": 100,
    "given_name": 100,
    "patronymic": 100,
    "birth_date": 20,
    "sex": 1,
    "removal_place": 300,
    "removal_date": 20,
    "removal_circumstances": 4000,
    "last_known_location": 300,
    "reporter_name": 200,
    "reporter_relationship": 20,
    "reporter_contact": 200,
    "notes": 4000,
}
"""Every field the public form takes, with its greatest length in characters.
Anything else a browser sends is dropped."""

CHOICES = {
    "sex": frozenset({"m", "f", "u"}),
    "reporter_relationship": frozenset(r.value for r in Relationship),
}
"""Fields answered by choosing from a list, with the values the list offers."""
REQUIRED = ("reporter_name", "reporter_contact")
"""Without a way to reach the person who reports, nobody can verify a report."""

REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Letters and digits nobody confuses when reading them out on the telephone."""

# The texts of the problems a form can have; the web app translates them.
TOO_LONG = "Too long: at most {n} characters."
NEEDED = "Needed, so that someone can verify the report and answer you."
NAME_NEEDED = "Give the child's family name or given name."
NOT_A_DATE = "Not a date we can read: write it as 04.03.2012, 2012-03 or 2012."
NOT_A_CHOICE = "Choose one of the answers offered."
CONSENT_NEEDED = "Tick the box to agree, or the report cannot be kept."


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one field of the public form."""

    field: str
    message: str
    """One of the texts above (English; translated by the page)."""
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class Received:
    reference: str
    record_id: int


@dataclass
class TriageItem:
    """A public report as the triage queue and page show it."""

    record: RecordRow
    reference: str
    received_at: datetime
    relationship: str | None
    candidates: list[Candidate] = field(default_factory=list)
    case_names: dict[int, str] = field(default_factory=dict)
    others: list[tuple[Candidate, str]] = field(default_factory=list)
    """Other public reports waiting that may describe the same child (the same
    family writing twice, or a relative and a neighbour), with their reference."""

    @property
    def child_name(self) -> str:
        parts = [self.record.family_name, self.record.given_name, self.record.patronymic]
        return " ".join(p for p in parts if p) or self.record.full_name or ""


@dataclass(frozen=True, slots=True)
class Rejected:
    record_id: int
    reference: str
    actor: str
    at: datetime
    reason: str


def new_reference() -> str:
    """A short reference the sender can quote (``K7QM-4XRA``): random, so it
    says nothing about how many reports the registry holds."""
    letters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


def public_values(form: Mapping[str, Any]) -> dict[str, str]:
    """The fields of the public form, as sent (stripped), empty ones left out."""
    values: dict[str, str] = {}
    for name in LIMITS:
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            values[name] = value.strip()
    return values


def check_public_report(values: Mapping[str, str], *, consent: bool) -> list[Problem]:
    """Every problem of a public report, field by field (empty when it can be kept)."""
    problems: list[Problem] = []
    for name, limit in LIMITS.items():
        value = values.get(name, "")
        if len(value) > limit:
            problems.append(Problem(name, TOO_LONG, limit))
            continue
        if name in ("birth_date", "removal_date") and value:
            try:
                record_data({name: value})
            except Invalid:
                problems.append(Problem(name, NOT_A_DATE))
        elif name in CHOICES and value and value not in CHOICES[name]:
            problems.append(Problem(name, NOT_A_CHOICE))
    if not clean_text(values.get("family_name")) and not clean_text(values.get("given_name")):
        problems.insert(0, Problem("family_name", NAME_NEEDED))
    for name in REQUIRED:
        if not clean_text(values.get(name)):
            problems.append(Problem(name, NEEDED))
    if not consent:
        problems.append(Problem("consent", CONSENT_NEEDED))
    return problems


def receive_public_report(uow: UnitOfWork, values: Mapping[str, str], *, consent: bool) -> Received:
    """Keep a report sent through the public form, for triage.

    The record keeps every field as sent (``raw``, with the reporter's
    relationship to the child, which no record column holds) and cleaned.
    It is linked to no case and matched against nothing until a case worker
    triages it.  Raises ``Invalid`` when :func:`check_public_report` finds a
    problem; the form shows them all before this is called.
    """
    uow.actor.require(Permission.CREATE_RECORDS)
    problems = check_public_report(values, consent=consent)
    if problems:
        first = problems[0]
        raise Invalid(f"{first.field}: {first.message.format(n=first.limit)}")
    kept = {k: v for k, v in values.items() if k in LIMITS}
    reference = new_reference()
    source = create_source(
        uow, kind=SourceKind.PUBLIC_REPORT, title=f"Public report {reference}",
        reliability="unverified", note="sent through the public form; waits for triage",
    )  # fmt: skip
    record = register_record(
        uow,
        source_id=source.id,
        data=record_data(kept),
        raw={**kept, "consent": "given"},
        external_id=reference,
    )
    uow.note("public_report.receive", "records", record.id, reference=reference)
    return Received(reference, record.id)


def _require_triage(actor: Actor) -> None:
    """Triage opens cases (create records) and shows the reporter's name and
    contact (read sensitive): a case worker's work.  A partner, who creates
    records too, sees only its own organisation's, and public reports are
    nobody's."""
    actor.require(Permission.CREATE_RECORDS)
    actor.require(Permission.READ_SENSITIVE)
    if actor.organisation_scoped:
        raise Forbidden("reports sent through the public form are triaged by case workers")


def _rejected_ids(uow: UnitOfWork) -> set[int]:
    query = select(DecisionRow.record_ids).where(
        DecisionRow.kind == REJECT, DecisionRow.reverted_by_id.is_(None)
    )
    return {int(r) for ids in uow.session.scalars(query) for r in ids}


def _item(record: RecordRow) -> TriageItem:
    relationship = record.raw.get("reporter_relationship") if record.raw else None
    return TriageItem(
        record=record,
        reference=record.external_id or str(record.id),
        received_at=record.created_at,
        relationship=relationship if isinstance(relationship, str) else None,
    )


def waiting(uow: UnitOfWork) -> list[TriageItem]:
    """Public reports waiting for triage, oldest first."""
    _require_triage(uow.actor)
    rejected = _rejected_ids(uow)
    query = (
        select(RecordRow)
        .join(SourceRow, RecordRow.source_id == SourceRow.id)
        .where(SourceRow.kind == SourceKind.PUBLIC_REPORT.value, RecordRow.child_id.is_(None))
        .order_by(RecordRow.id)
    )
    return [_item(r) for r in uow.session.scalars(query) if r.id not in rejected]


def rejected(uow: UnitOfWork, *, limit: int = 20) -> list[Rejected]:
    """The latest public reports rejected as not genuine, newest first."""
    _require_triage(uow.actor)
    query = (
        select(DecisionRow)
        .where(DecisionRow.kind == REJECT, DecisionRow.reverted_by_id.is_(None))
        .order_by(DecisionRow.id.desc())
        .limit(limit)
    )
    return [
        Rejected(int(d.record_ids[0]), str(d.payload.get("reference", "")), d.actor, d.at, d.reason)
        for d in uow.session.scalars(query)
        if d.record_ids
    ]


def _waiting_record(uow: UnitOfWork, record_id: int) -> RecordRow:
    try:
        record = uow.repos.records.get(record_id)
    except NotFound:
        raise NotFound(f"no public report {record_id}") from None
    if uow.repos.sources.get(record.source_id).kind != SourceKind.PUBLIC_REPORT.value:
        raise NotFound(f"no public report {record_id}")
    if record.child_id is not None or record.id in _rejected_ids(uow):
        raise Conflict(f"public report {record.external_id} was triaged already")
    return record


def open_report(
    uow: UnitOfWork, record_id: int, *, model: MatchModel | None = None, limit: int = 5
) -> TriageItem:
    """One waiting report with the cases it may describe, best first.  Opening
    it is written to the audit trail (it shows the reporter's contact)."""
    from homeward.services.worklist import case_names

    _require_triage(uow.actor)
    record = _waiting_record(uow, record_id)
    item = _item(record)
    # other waiting public reports are candidates here only: a family often
    # writes twice, and the case worker should see both reports side by side
    found = search(uow, record_values(record), model=model, limit=limit * 2, include_untriaged=True)
    item.candidates = [c for c in found if c.child_id is not None][:limit]
    loose = {c.record_id: c for c in found if c.child_id is None and c.record_id != record.id}
    if loose:
        query = (
            select(RecordRow.id, RecordRow.external_id)
            .join(SourceRow, RecordRow.source_id == SourceRow.id)
            .where(RecordRow.id.in_(loose), SourceRow.kind == SourceKind.PUBLIC_REPORT.value)
        )
        rejected = _rejected_ids(uow)
        references = {
            i: ref or str(i) for i, ref in uow.session.execute(query) if i not in rejected
        }
        item.others = [
            (c, references[c.record_id]) for c in loose.values() if c.record_id in references
        ]
    item.case_names = case_names(uow, [c.child_id for c in item.candidates if c.child_id])
    uow.record_view("records", record.id, "triage_view")
    return item


def link(uow: UnitOfWork, record_id: int, child_id: int, *, reason: str) -> ChildRow:
    """The report describes this case's child."""
    _require_triage(uow.actor)
    record = _waiting_record(uow, record_id)
    child = intake.link_report(uow, record.id, child_id, reason=reason)
    uow.note("triage.link", "records", record.id, case=child.case_number, reason=reason)
    return child


def open_case(uow: UnitOfWork, record_id: int, *, category: Category, reason: str) -> ChildRow:
    """No case describes the child yet: open one with the report in it."""
    _require_triage(uow.actor)
    record = _waiting_record(uow, record_id)
    child = intake.open_case_for_report(uow, record.id, category=category, reason=reason)
    uow.note("triage.open_case", "records", record.id, case=child.case_number, reason=reason)
    return child


def reject(uow: UnitOfWork, record_id: int, *, reason: str) -> DecisionRow:
    """Not a genuine report (a test, abuse, nonsense): out of the queue, with
    the reason, and kept."""
    _require_triage(uow.actor)
    text = _require_reason(reason)
    record = _waiting_record(uow, record_id)
    with uow.action("triage.reject"):
        return uow.repos.decisions.add(
            new_decision(
                REJECT, uow, None, None, [record.id], text, {"reference": record.external_id}
            )
        )
