"""Search and cases."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from homeward.domain.roles import Actor, Permission
from homeward.errors import Invalid
from homeward.linkage.scoring import FieldExplanation
from homeward.linkage.search import search
from homeward.services import assignments, case_view, cases, merging, worklist
from homeward.web.api import api_actor, api_state
from homeward.web.api.schemas import CaseAssign, CaseMerge, CaseSplit, CaseUnmerge, Page, StatusMove
from homeward.web.messages.cases import reason_in_ukrainian
from homeward.web.pages.cases import search_values

router = APIRouter(tags=["cases"])


@router.get("/search")
def search_children(
    request: Request,
    q: str = Query(default="", description="A name in any script, perhaps with a date of birth"),
    given_name: str | None = None,
    family_name: str | None = None,
    birth_date: str | None = None,
    limit: int = Query(default=10, ge=1, le=50),
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:
    """The children a name may be, best first, each with the reasons field by field."""
    values: dict[str, Any] = search_values(q) if q.strip() else {}
    for name, value in (("given_name", given_name), ("family_name", family_name),
                        ("birth_date", birth_date)):  # fmt: skip
        if value:
            values[name] = value
    if not values:
        raise Invalid("q: type a name to search for")
    web = api_state(request)
    with web.registry.uow(actor, write=False) as uow:
        found = search(uow, values, model=web.model, limit=limit)
        names = worklist.case_names(uow, [c.child_id for c in found if c.child_id])
    return {
        "items": [
            {**c.as_dict(), "name": names.get(c.child_id) if c.child_id else None} for c in found
        ]
    }


@router.get("/cases", response_model=Page)
def list_cases(
    request: Request,
    limit: int = Query(default=50, ge=1, le=worklist.MAX_PAGE),
    offset: int = Query(default=0, ge=0),
    status: str | None = None,
    mine: bool = Query(default=False, description="Only the cases assigned to me"),
    actor: Actor = Depends(api_actor),
) -> Page:
    with api_state(request).registry.uow(actor, write=False) as uow:
        found = worklist.list_cases(
            uow, limit=limit, offset=offset, status=status,
            assigned_to=actor.user_id if mine else None,
        )  # fmt: skip
    items = [{**i, "updated_at": i["updated_at"].isoformat()} for i in found.items]
    return Page(items=items, total=found.total, limit=found.limit, offset=found.offset)


@router.get("/cases/{case_number}")
def get_case(
    request: Request, case_number: str, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """The whole case as this user may see it; the read is written to the audit trail."""
    with api_state(request).registry.uow(actor) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        view = case_view.view_case(uow, child_id)
        uow.commit()
    return asdict(view)


@router.post("/cases/{case_number}/status")
def move_status(
    request: Request, case_number: str, body: StatusMove, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Move the case to another status, with the reason; a ``version`` that changed
    since answers 409, a move the status machine forbids answers 409 too."""
    with api_state(request).registry.uow(actor) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        child = cases.move_status(
            uow, child_id, body.status, detail=body.detail, reason=body.reason,
            expected_version=body.version,
        )  # fmt: skip
        uow.commit()
    return case_view.child_summary(child)


@router.get("/cases/{case_number}/records", response_model=Page, tags=["records"])
def case_records(
    request: Request,
    case_number: str,
    limit: int = Query(default=50, ge=1, le=worklist.MAX_PAGE),
    offset: int = Query(default=0, ge=0),
    actor: Actor = Depends(api_actor),
) -> Page:
    """The case's records, oldest first, as this user may see them; the read is audited."""
    with api_state(request).registry.uow(actor) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        items, total = case_view.case_records(uow, child_id, limit=limit, offset=offset)
        uow.commit()
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/records/{record_id}", tags=["records"])
def get_record(
    request: Request, record_id: int, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """One record with its case number; a record of a case this user may not
    reach answers 404.  The read is audited."""
    with api_state(request).registry.uow(actor) as uow:
        item = case_view.view_record(uow, record_id)
        uow.commit()
    return item


def _explained(field: FieldExplanation) -> dict[str, Any]:
    return {
        **field.as_dict(),
        "label_uk": reason_in_ukrainian(field.label),
        "reason_uk": reason_in_ukrainian(field.reason),
    }


@router.get("/cases/{case_number}/matches", response_model=Page, tags=["matches"])
def case_matches(
    request: Request,
    case_number: str,
    limit: int = Query(default=10, ge=1, le=50),
    offset: int = Query(default=0, ge=0),
    actor: Actor = Depends(api_actor),
) -> Page:
    """Other cases that may be the same child, best first, each with every
    field's values, level, weight and reason in English and Ukrainian."""
    web = api_state(request)
    with web.registry.uow(actor, write=False) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        found = case_view.candidate_cases(uow, child_id, model=web.model, limit=50)
        names = worklist.case_names(uow, [c.child_id for c in found])
    items = [
        {**c.as_dict(), "name": names.get(c.child_id), "fields": [_explained(f) for f in c.fields]}
        for c in found[offset : offset + limit]
    ]
    return Page(items=items, total=len(found), limit=limit, offset=offset)


@router.post("/cases/{case_number}/merge")
def merge_cases(
    request: Request, case_number: str, body: CaseMerge, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Merge this case and another of the same child into the one named by
    ``keep_case_number``; answers the surviving case's summary.  A stale
    ``version`` answers 409, a role without ``merge_cases`` 403."""
    actor.require(Permission.MERGE_CASES)
    with api_state(request).registry.uow(actor) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        other_id, _other = worklist.case_id(uow, body.other_case_number)
        keep_id, _keep = worklist.case_id(uow, body.keep_case_number)
        surviving = case_view.merge_from_case(
            uow, child_id, other_id, keep=keep_id, reason=body.reason,
            version=body.version, other_version=body.other_version,
        )  # fmt: skip
        uow.commit()
        return case_view.child_summary(surviving)


@router.post("/cases/{case_number}/unmerge")
def unmerge_case(
    request: Request, case_number: str, body: CaseUnmerge, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Undo the merge of ``merged_case_number`` into this case; answers the
    restored case's summary."""
    actor.require(Permission.MERGE_CASES)
    with api_state(request).registry.uow(actor) as uow:
        child_id, number = worklist.case_id(uow, case_number)
        cases.check_version(uow.repos.children.get(child_id), body.version)
        found = [
            m for m in case_view.merges_into(uow, child_id)
            if m["case_number"] == body.merged_case_number
        ]  # fmt: skip
        if not found:
            raise Invalid(
                f"merged_case_number: {body.merged_case_number} is not merged into {number}"
            )
        restored = merging.unmerge(uow, found[0]["decision_id"], reason=body.reason)
        uow.commit()
        return case_view.child_summary(restored)


@router.post("/cases/{case_number}/split", status_code=201)
def split_case(
    request: Request, case_number: str, body: CaseSplit, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Move these records out into a new case (or, when they are exactly what a
    merge brought, bring that case back); answers 201 with that case's summary."""
    actor.require(Permission.MERGE_CASES)
    with api_state(request).registry.uow(actor) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        cases.check_version(uow.repos.children.get(child_id), body.version)
        new = merging.split_child(uow, child_id, body.record_ids, reason=body.reason)
        uow.commit()
        return case_view.child_summary(new)


@router.post("/cases/{case_number}/assign")
def assign_case(
    request: Request, case_number: str, body: CaseAssign, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Give the case to a user who works cases (a partner's user only for its
    organisation's cases), or take it back; answers the case's summary with
    ``assigned_to`` (a username or null)."""
    actor.require(Permission.EDIT_CASES)
    with api_state(request).registry.uow(actor) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        if body.username is None:
            child = assignments.unassign(uow, child_id, expected_version=body.version)
        else:
            user = uow.repos.users.by_username(body.username)
            if user is None:
                raise Invalid(f"username: no user named '{body.username}'")
            child = assignments.assign(uow, child_id, user.id, expected_version=body.version)
        uow.commit()
        return {**case_view.child_summary(child), "assigned_to": body.username}
