"""Home, search as you type, the list of cases and the case page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.domain.roles import Actor, Permission
from homeward.domain.status import Status
from homeward.errors import Invalid
from homeward.linkage.search import search
from homeward.services import assignments, case_view, cases, merging, worklist
from homeward.storage.uow import UnitOfWork
from homeward.web import evidence
from homeward.web.deps import language, page_actor, read_form, render, state
from homeward.web.i18n import Translator
from homeward.web.messages.cases import reason_in_ukrainian
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])
PAGE_SIZE = 50


@router.get("/")
def home(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    with state(request).registry.uow(actor, write=False) as uow:
        work = worklist.my_work(uow)
    return render(request, "home.html", {"work": work})


def search_values(query: str) -> dict[str, str]:
    """What a search box holds: a name, perhaps with a date of birth."""
    words = query.split()
    dates = [w for w in words if w[:4].isdigit() and len(w) >= 4]
    names = [w for w in words if w not in dates]
    values = {"full_name": " ".join(names)} if names else {}
    if dates:
        values["birth_date"] = dates[0]
    return values


@router.get("/search")
def search_page(request: Request, q: str = "", actor: Actor = Depends(page_actor)) -> Response:
    found = _search(request, actor, q) if q.strip() else None
    return render(request, "search.html", {"q": q, "found": found})


@router.get("/search/results")
def search_results(request: Request, q: str = "", actor: Actor = Depends(page_actor)) -> Response:
    found = _search(request, actor, q) if q.strip() else None
    return render(request, "_search_results.html", {"q": q, "found": found})


def _search(request: Request, actor: Actor, q: str) -> list[dict[str, object]]:
    web = state(request)
    with web.registry.uow(actor, write=False) as uow:
        candidates = search(uow, search_values(q[:300]), model=web.model, limit=20)
        names = worklist.case_names(uow, [c.child_id for c in candidates if c.child_id])
    return [
        {
            "candidate": c,
            "name": names.get(c.child_id, "") if c.child_id else "",
            "reasons": [f for f in c.scored.fields if f.level != "missing"],
        }
        for c in candidates
    ]


@router.get("/cases")
def case_list(
    request: Request, page: int = 1, mine: bool = False, actor: Actor = Depends(page_actor)
) -> Response:
    """Cases newest first, 50 a page; ``mine``: only those assigned to me."""
    page = max(1, page)
    with state(request).registry.uow(actor, write=False) as uow:
        found = worklist.list_cases(
            uow, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
            assigned_to=actor.user_id if mine else None,
        )  # fmt: skip
    pages = max(1, (found.total + PAGE_SIZE - 1) // PAGE_SIZE)
    return render(
        request, "cases.html", {"found": found, "page": page, "pages": pages, "mine": mine}
    )


@router.get("/cases/{case_number}")
def case_page(
    request: Request, case_number: str, added: int | None = None,
    actor: Actor = Depends(page_actor),
) -> Response:  # fmt: skip
    """The case; ``added``: a document just added, named at the top of the documents."""
    with state(request).registry.uow(actor, write=False) as uow:
        child_id, current_number = worklist.case_id(uow, case_number)
    if current_number != case_number:
        return RedirectResponse(f"/cases/{current_number}", status_code=303)
    context = case_context(request, actor, child_id)
    found = [d for d in context["documents"] if d.id == added]
    return render(request, "case.html", {**context, "added_document": found[0] if found else None})


def case_context(request: Request, actor: Actor, child_id: int) -> dict[str, Any]:
    """What the case page shows (the documents' routes show it again with a
    refused upload).  Opening it is written to the audit trail."""
    web = state(request)
    # Only the case itself is read in the writing transaction, which records
    # that it was opened: writers queue one behind the other, so whatever else
    # is read there (above all the search for other cases that may be this
    # child) would keep every other writer waiting.
    with web.registry.uow(actor) as uow:
        view = case_view.view_case(uow, child_id)
        uow.commit()  # the read is in the audit trail
    with web.registry.uow(actor, write=False) as uow:
        candidates = case_view.candidate_cases(uow, child_id, model=web.model, limit=5)
        context: dict[str, Any] = {
            "view": view,
            "matches": worklist.open_matches_of(uow, child_id),
            "moves": worklist.status_moves(uow, child_id),
            "candidates": candidates,
            "names": worklist.case_names(uow, [c.child_id for c in candidates]),
            "on_lists": case_view.lists_of_child(uow, child_id),
            "answers": case_view.answers_of_child(uow, child_id),
            "merges": case_view.merges_into(uow, child_id),
            "assignee": assignments.assignee_of(uow, child_id),
            "assignable": assignments.assignable_users(uow, child_id),
            **evidence.case_evidence(uow, child_id, view.records),
        }
    tr = Translator(language(request), web.settings.time_zone)
    return {
        **context, "why": explainer(request), "upload_values": {}, "added_document": None,
        "document_limit": evidence.limit_text(web.settings, tr), **evidence.labels(tr),
    }  # fmt: skip


def explainer(request: Request) -> Callable[[str], str]:
    """The match model's reasons and field labels in the page's language."""
    if language(request) == "uk":
        return reason_in_ukrainian
    return str


def _version(form: FormData, name: str = "version") -> int | None:
    value = form.get(name)
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _other_case(uow: UnitOfWork, child_id: int, other_number: str) -> tuple[int, str]:
    if not other_number:
        raise Invalid("other case: type the number of the case to merge with")
    other_id, number = worklist.case_id(uow, other_number)
    if other_id == child_id:
        raise Invalid(f"other case: {other_number} is this case (or was merged into it)")
    return other_id, number


@router.get("/cases/{case_number}/merge")
def merge_page(
    request: Request, case_number: str, other: str = "", actor: Actor = Depends(page_actor)
) -> Response:
    """Two cases side by side before a merge: which number stays, and why."""
    actor.require(Permission.MERGE_CASES)
    web = state(request)
    with web.registry.uow(actor, write=False) as uow:
        child_id, number = worklist.case_id(uow, case_number)
        if number != case_number:
            return RedirectResponse(f"/cases/{number}/merge?other={other}", status_code=303)
        other_id, _ = _other_case(uow, child_id, other.strip())
        this = case_view.case_card(uow, child_id)
        that = case_view.case_card(uow, other_id)
        scored = case_view.compare_cases(uow, child_id, other_id, model=web.model)
    return render(
        request, "case_merge.html",
        {"this": this, "that": that, "scored": scored, "why": explainer(request)},
    )  # fmt: skip


@router.post("/cases/{case_number}/merge")
def merge(
    request: Request,
    case_number: str,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """Merge two cases of one child; the form names the case that stays."""
    actor.require(Permission.MERGE_CASES)
    with state(request).registry.uow(actor) as uow:
        child_id, _ = worklist.case_id(uow, case_number)
        other_id, _ = _other_case(uow, child_id, _text(form, "other"))
        keep = _text(form, "keep")
        numbers = {uow.repos.children.get(i).case_number: i for i in (child_id, other_id)}
        if keep not in numbers:
            raise Invalid(f"case that stays: choose {' or '.join(numbers)}")
        case_view.merge_from_case(
            uow, child_id, other_id, keep=numbers[keep], reason=_text(form, "reason"),
            version=_version(form), other_version=_version(form, "other_version"),
        )  # fmt: skip
        uow.commit()
    return RedirectResponse(f"/cases/{keep}", status_code=303)


@router.get("/cases/{case_number}/merged")
def merged_page(request: Request, case_number: str, actor: Actor = Depends(page_actor)) -> Response:
    """A case merged into another: where it went, and the undo."""
    with state(request).registry.uow(actor, write=False) as uow:
        child, merge = case_view.merged_case(uow, case_number)
        version = uow.repos.children.by_case_number(merge["into"]).version
    return render(request, "case_merged.html", {"child": child, "merge": merge, "version": version})


@router.post("/cases/{case_number}/unmerge")
def unmerge(
    request: Request,
    case_number: str,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """Undo a merge into this case: the merged case comes back as it was."""
    actor.require(Permission.MERGE_CASES)
    decision = _text(form, "decision")
    if not decision.isdigit():
        raise Invalid("merge: choose the merge to undo")
    with state(request).registry.uow(actor) as uow:
        child_id, _ = worklist.case_id(uow, case_number)
        cases.check_version(uow.repos.children.get(child_id), _version(form))
        if int(decision) not in {m["decision_id"] for m in case_view.merges_into(uow, child_id)}:
            raise Invalid(f"merge: no merge {decision} into case {case_number} is in force")
        restored = merging.unmerge(uow, int(decision), reason=_text(form, "reason"))
        uow.commit()
    return RedirectResponse(f"/cases/{restored.case_number}", status_code=303)


@router.post("/cases/{case_number}/split")
def split(
    request: Request,
    case_number: str,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """The ticked records describe another child: they leave for a case of their own."""
    actor.require(Permission.MERGE_CASES)
    chosen = [int(v) for v in form.getlist("record") if isinstance(v, str) and v.isdigit()]
    with state(request).registry.uow(actor) as uow:
        child_id, _ = worklist.case_id(uow, case_number)
        cases.check_version(uow.repos.children.get(child_id), _version(form))
        new = merging.split_child(uow, child_id, chosen, reason=_text(form, "reason"))
        uow.commit()
    return RedirectResponse(f"/cases/{new.case_number}", status_code=303)


@router.post("/cases/{case_number}/assign")
def assign(
    request: Request,
    case_number: str,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """Give the case to a case worker, or take it back (an empty choice)."""
    actor.require(Permission.EDIT_CASES)
    chosen = _text(form, "assignee")
    with state(request).registry.uow(actor) as uow:
        child_id, number = worklist.case_id(uow, case_number)
        if chosen.isdigit():
            assignments.assign(uow, child_id, int(chosen), expected_version=_version(form))
        elif not chosen:
            assignments.unassign(uow, child_id, expected_version=_version(form))
        else:
            raise Invalid("assignee: choose one of the people offered")
        uow.commit()
    return RedirectResponse(f"/cases/{number}", status_code=303)


@router.post("/cases/{case_number}/status")
def move_status(
    request: Request,
    case_number: str,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    target, _, detail = str(form.get("move") or "").partition("/")
    try:
        status = Status(target)
    except ValueError as err:
        raise Invalid("status: choose one of the moves offered") from err
    version = form.get("version")
    expected = int(version) if isinstance(version, str) and version.isdigit() else None
    with state(request).registry.uow(actor) as uow:
        child_id, number = worklist.case_id(uow, case_number)
        cases.move_status(
            uow, child_id, status, detail=detail or None, reason=str(form.get("reason") or ""),
            expected_version=expected,
        )  # fmt: skip
        uow.commit()
    return RedirectResponse(f"/cases/{number}", status_code=303)
