"""Organisations and users."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from homeward.domain.model import OrganisationKind
from homeward.domain.roles import Permission, Role
from homeward.errors import Conflict, Invalid
from homeward.storage.tables import OrganisationRow, UserRow, utcnow
from homeward.storage.uow import UnitOfWork

_hasher = PasswordHasher()  # argon2id with the library's current recommended costs
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except VerificationError:
        return False


def create_organisation(uow: UnitOfWork, name: str, kind: OrganisationKind) -> OrganisationRow:
    uow.actor.require(Permission.MANAGE_USERS)
    if uow.repos.organisations.by_name(name) is not None:
        raise Conflict(f"an organisation named '{name}' exists already")
    with uow.action("organisation.create"):
        return uow.repos.organisations.add(OrganisationRow(name=name, kind=kind.value))


def create_user(
    uow: UnitOfWork,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    organisation_id: int | None = None,
    email: str | None = None,
    totp_secret: str | None = None,
) -> UserRow:
    uow.actor.require(Permission.MANAGE_USERS)
    if role == Role.SYSTEM:
        raise Invalid("role: 'system' is not a role a person can hold")
    if role == Role.PARTNER and organisation_id is None:
        raise Invalid("organisation: a partner user belongs to an organisation")
    if uow.repos.users.by_username(username) is not None:
        raise Conflict(f"a user named '{username}' exists already")
    with uow.action("user.create"):
        return uow.repos.users.add(
            UserRow(
                username=username,
                display_name=display_name,
                role=role.value,
                organisation_id=organisation_id,
                email=email,
                password_hash=hash_password(password),
                password_changed_at=utcnow(),
                totp_secret=totp_secret,
            )
        )
