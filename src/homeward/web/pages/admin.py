"""Administration: users and organisations, for the register keeper."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.domain.model import OrganisationKind
from homeward.domain.roles import Actor, Permission
from homeward.errors import HomewardError, Invalid
from homeward.services import administration
from homeward.web.deps import page_actor, read_form, render, state
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])

ORGANISATION_KINDS = {
    "register_keeper": "Register keeper",
    "ombudsman": "Ombudsman's office",
    "information_bureau": "National information bureau",
    "police": "Police",
    "prosecutor": "Prosecutor's office",
    "commission": "Verification commission",
    "ngo": "Non-governmental organisation",
    "other": "Other",
}
assert set(ORGANISATION_KINDS) == {k.value for k in OrganisationKind}
DONE = {
    "role": "The role is changed. The user's sessions and tokens act with it from now on.",
    "disable": "The account is disabled. Its sessions and API tokens have ended.",
    "enable": "The account is enabled again.",
    "unlock": "The account is unlocked.",
    "two-factor": (
        "The authenticator is forgotten. The user enrols a new one at the next sign-in; "
        "their sessions and API tokens have ended."
    ),
    "organisation": "The organisation is saved.",
}


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _organisation_id(form: FormData) -> int | None:
    value = _text(form, "organisation_id")
    if not value:
        return None
    if not value.isdigit():
        raise Invalid("organisation: choose one of the organisations offered")
    return int(value)


def _overview(request: Request, actor: Actor, **extra: Any) -> dict[str, Any]:
    with state(request).registry.uow(actor, write=False) as uow:
        users = administration.list_users(uow)
        organisations = administration.list_organisations(uow)
    return {
        "users": users,
        "organisations": organisations,
        "roles": administration.PERSON_ROLES,
        "kinds": ORGANISATION_KINDS,
        "values": {},
        "error": None,
        "created": None,
        "done": DONE.get(str(request.query_params.get("done"))),
        **extra,
    }


@router.get("/admin")
def admin_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    actor.require(Permission.MANAGE_USERS)
    return render(request, "admin.html", _overview(request, actor))


@router.post("/admin/users")
def create_user(
    request: Request, actor: Actor = Depends(page_actor), form: FormData = Depends(read_form)
) -> Response:
    actor.require(Permission.MANAGE_USERS)
    values = {k: _text(form, k) for k in ("username", "display_name", "role", "email")}
    values["organisation_id"] = _text(form, "organisation_id")
    try:
        with state(request).registry.uow(actor) as uow:
            user, password = administration.create_user(
                uow,
                username=values["username"],
                display_name=values["display_name"],
                role=values["role"],
                organisation_id=_organisation_id(form),
                email=values["email"],
            )
            uow.commit()
    except HomewardError as err:
        context = _overview(request, actor, values=values, error=str(err))
        return render(request, "admin.html", context, status_code=err.status_code)
    created = {"username": user.username, "password": password}
    return render(request, "admin.html", _overview(request, actor, created=created))


@router.post("/admin/organisations")
def create_organisation(
    request: Request, actor: Actor = Depends(page_actor), form: FormData = Depends(read_form)
) -> Response:
    actor.require(Permission.MANAGE_USERS)
    try:
        with state(request).registry.uow(actor) as uow:
            administration.create_organisation(uow, _text(form, "name"), _text(form, "kind"))
            uow.commit()
    except HomewardError as err:
        values = {"organisation_name": _text(form, "name"), "kind": _text(form, "kind")}
        context = _overview(request, actor, values=values, organisation_error=str(err))
        return render(request, "admin.html", context, status_code=err.status_code)
    return RedirectResponse("/admin?done=organisation#organisations", status_code=303)


@router.post("/admin/organisations/{organisation_id}")
def rename_organisation(
    request: Request,
    organisation_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    actor.require(Permission.MANAGE_USERS)
    try:
        with state(request).registry.uow(actor) as uow:
            administration.rename_organisation(uow, organisation_id, _text(form, "name"))
            uow.commit()
    except HomewardError as err:
        context = _overview(request, actor, organisation_error=str(err))
        return render(request, "admin.html", context, status_code=err.status_code)
    return RedirectResponse("/admin?done=organisation#organisations", status_code=303)


def _user_page(
    request: Request, actor: Actor, user_id: int, *, status_code: int = 200, **extra: Any
) -> Response:
    with state(request).registry.uow(actor, write=False) as uow:
        user = administration.get_user(uow, user_id)
        organisations = administration.list_organisations(uow)
    context = {
        "person": user,
        "organisations": organisations,
        "roles": administration.PERSON_ROLES,
        "error": None,
        "new_password": None,
        "done": DONE.get(str(request.query_params.get("done"))),
        **extra,
    }
    return render(request, "admin_user.html", context, status_code=status_code)


@router.get("/admin/users/{user_id}")
def user_page(request: Request, user_id: int, actor: Actor = Depends(page_actor)) -> Response:
    actor.require(Permission.MANAGE_USERS)
    return _user_page(request, actor, user_id)


@router.post("/admin/users/{user_id}/{what}")
def change_user(
    request: Request,
    user_id: int,
    what: str,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """One change to a user: role, disable, enable, unlock, password, two-factor."""
    actor.require(Permission.MANAGE_USERS)
    new_password = None
    try:
        with state(request).registry.uow(actor) as uow:
            if what == "role":
                administration.change_role(
                    uow, user_id, _text(form, "role"), _organisation_id(form)
                )
            elif what in ("disable", "enable"):
                administration.set_active(uow, user_id, what == "enable")
            elif what == "unlock":
                administration.unlock(uow, user_id)
            elif what == "password":
                new_password = administration.reset_password(uow, user_id)
            elif what == "two-factor":
                administration.reset_two_factor(uow, user_id)
            else:
                raise Invalid(f"{what}: not a change this page makes")
            uow.commit()
    except HomewardError as err:
        return _user_page(request, actor, user_id, status_code=err.status_code, error=str(err))
    if new_password is not None:  # shown once, in this answer only
        return _user_page(request, actor, user_id, new_password=new_password)
    return RedirectResponse(f"/admin/users/{user_id}?done={what}", status_code=303)
