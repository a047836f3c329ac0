"""Return readiness: per child, what a return still needs.

The checklist (domain.md): the child's identity verified by the commission; a
legal representative who asked for the return; the documents (birth
certificate, proof of kinship, a power of attorney or a guardianship decision,
the identity certificate for return), each present and verified; and who will
travel.  A child is *ready* when every line is met.  The case page shows the
checklist, the list composer a ready / not ready mark per child.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from homeward.domain.documents import IDENTITY_VERIFIED, RETURN_DOCUMENTS, TravellerRole
from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Invalid
from homeward.services.cases import get_child
from homeward.services.records import clean_text
from homeward.storage.tables import ChildRow, DocumentRow, RelativeRow, ReturnPlanRow
from homeward.storage.uow import UnitOfWork


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    """``identity_verified``, ``legal_representative``, a document requirement
    (``birth_certificate``, ``proof_of_kinship``, ``authority``,
    ``return_identity_certificate``) or ``traveller``."""
    state: str
    """``met``, ``unverified`` (a document is there but nobody verified it) or
    ``missing``."""
    document_ids: tuple[int, ...] = ()
    detail: str | None = None

    @property
    def met(self) -> bool:
        return self.state == "met"


@dataclass(frozen=True)
class Readiness:
    child_id: int
    items: list[ChecklistItem] = field(default_factory=list)
    traveller_name: str | None = None
    traveller_role: str | None = None

    @property
    def ready(self) -> bool:
        return all(item.met for item in self.items)

    @property
    def missing(self) -> list[str]:
        return [item.key for item in self.items if not item.met]


@dataclass(frozen=True)
class _Facts:
    status: str
    documents: list[tuple[int, str, bool]]
    """(id, kind, verified) of the child's documents, merged cases included."""
    representatives: list[RelativeRow]
    plan: ReturnPlanRow | None


def _assess(child_id: int, facts: _Facts) -> Readiness:
    items = [
        ChecklistItem(
            "identity_verified",
            "met" if Status(facts.status) in IDENTITY_VERIFIED else "missing",
            detail=facts.status,
        )
    ]
    requesting = [r for r in facts.representatives if r.requested_return]
    items.append(
        ChecklistItem(
            "legal_representative",
            "met" if requesting else "missing",
            detail=requesting[0].full_name if requesting else None,
        )
    )
    for requirement in RETURN_DOCUMENTS:
        kinds = {k.value for k in requirement.kinds}
        present = [(i, ok) for i, kind, ok in facts.documents if kind in kinds]
        verified = tuple(i for i, ok in present if ok)
        state = "met" if verified else "unverified" if present else "missing"
        ids = verified or tuple(i for i, _ in present)
        items.append(ChecklistItem(requirement.key, state, ids))
    plan = facts.plan
    name = plan.traveller_name if plan else None
    items.append(ChecklistItem("traveller", "met" if name else "missing", detail=name))
    return Readiness(
        child_id, items, traveller_name=name, traveller_role=plan.traveller_role if plan else None
    )


def _facts_of(uow: UnitOfWork, children: Iterable[ChildRow]) -> dict[int, _Facts]:
    children = list(children)
    if not children:
        return {}
    ids = [c.id for c in children]
    merged: dict[int, int] = {c.id: c.id for c in children}
    for row in uow.session.scalars(select(ChildRow).where(ChildRow.merged_into_id.in_(ids))):
        merged[row.id] = row.merged_into_id or row.id
    documents: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    query = select(DocumentRow.id, DocumentRow.child_id, DocumentRow.kind, DocumentRow.verified_at)
    for doc_id, owner, kind, verified_at in uow.session.execute(
        query.where(DocumentRow.child_id.in_(list(merged)))
    ):
        documents[merged[owner]].append((doc_id, kind, verified_at is not None))
    representatives: dict[int, list[RelativeRow]] = defaultdict(list)
    for relative in uow.session.scalars(
        select(RelativeRow).where(
            RelativeRow.child_id.in_(list(merged)), RelativeRow.is_legal_representative
        )
    ):
        representatives[merged[relative.child_id]].append(relative)
    plans = {
        p.child_id: p
        for p in uow.session.scalars(select(ReturnPlanRow).where(ReturnPlanRow.child_id.in_(ids)))
    }
    return {
        c.id: _Facts(c.status, documents[c.id], representatives[c.id], plans.get(c.id))
        for c in children
    }


def return_readiness(uow: UnitOfWork, child_id: int) -> Readiness:
    """The return checklist of one case (roles that may read cases)."""
    uow.actor.require(Permission.READ_CASES)
    child = get_child(uow, child_id)
    return _assess(child.id, _facts_of(uow, [child])[child.id])


def readiness_of(uow: UnitOfWork, child_ids: Iterable[int]) -> dict[int, Readiness]:
    """The checklists of many cases at once (the list composer), in four queries."""
    uow.actor.require(Permission.READ_CASES)
    wanted = sorted(set(child_ids))
    children = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        children += list(uow.session.scalars(select(ChildRow).where(ChildRow.id.in_(chunk))))
    if uow.actor.organisation_scoped:
        children = [c for c in children if c.organisation_id == uow.actor.organisation_id]
    facts: dict[int, _Facts] = {}
    for start in range(0, len(children), 500):
        facts.update(_facts_of(uow, children[start : start + 500]))
    return {child_id: _assess(child_id, f) for child_id, f in facts.items()}


def readiness_by_case_number(uow: UnitOfWork, case_numbers: Iterable[str]) -> dict[str, Readiness]:
    """The checklists of the cases these numbers name (a handover list's
    entries), by number; a merged duplicate's number is answered by the case
    it was merged into, and a number of no reachable case is left out."""
    uow.actor.require(Permission.READ_CASES)
    wanted = sorted(set(case_numbers))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        query = select(ChildRow.case_number, ChildRow.id, ChildRow.merged_into_id)
        for number, child_id, merged_into in uow.session.execute(
            query.where(ChildRow.case_number.in_(wanted[start : start + 500]))
        ):
            found[number] = merged_into or child_id
    ready = readiness_of(uow, found.values())
    return {number: ready[i] for number, i in found.items() if i in ready}


def set_traveller(
    uow: UnitOfWork,
    child_id: int,
    *,
    name: str | None,
    role: TravellerRole | None = None,
    relative_id: int | None = None,
    note: str | None = None,
) -> Readiness:
    """Say who will travel to bring the child home (or, with no name, that it
    is not known any more).  A relative of the case may be named by id."""
    uow.actor.require(Permission.EDIT_CASES)
    child = get_child(uow, child_id)
    traveller = clean_text(name)
    if relative_id is not None:
        relative = uow.repos.relatives.get(relative_id)
        if relative.child_id != child.id:
            raise Invalid(f"relative_id: relative {relative_id} is not one of this case's")
        traveller = traveller or relative.full_name
    plan = uow.session.get(ReturnPlanRow, child.id)
    with uow.action("case.return_plan"):
        if plan is None:
            plan = ReturnPlanRow(child_id=child.id, updated_by=uow.actor.username)
            uow.session.add(plan)
        plan.traveller_name = traveller
        plan.traveller_role = TravellerRole(role).value if role and traveller else None
        plan.traveller_relative_id = relative_id if traveller else None
        plan.note = clean_text(note)
        plan.updated_by = uow.actor.username
        plan.updated_at = datetime.now(UTC)
    return return_readiness(uow, child.id)
