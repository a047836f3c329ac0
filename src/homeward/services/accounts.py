"""Organisations and users."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from homeward.domain.model import OrganisationKind
from homeward.domain.roles import Permission, Role
from homeward.errors import Conflict, Invalid
from homeward.storage.tables import OrganisationRow, UserRow, utcnow
from homeward.storage.uow import UnitOfWork

_hasher = PasswordHasher()  # argon2id with the library's current recommended costs
MIN_PASSWORD_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 6
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")
COMMON_PASSWORDS = frozenset(
    {
        "123456789012", "1234567890123", "12345678901234", "password1234", "password12345",
        "passwordpassword", "qwertyuiop12", "qwertyuiop123", "qwertyuiopasdf", "1q2w3e4r5t6y",
        "1qaz2wsx3edc", "iloveyou1234", "administrator", "homeward1234", "homeward12345",
        "slavaukraini", "slavaukraini1", "ukraine12345", "йцукенгшщзхї", "йцукенгшщзхъ",
        "пароль123456", "славаукраїні", "славаукраїні1",
    }
)  # fmt: skip
"""Passwords long enough to pass the length rule that are tried first anyway."""
_ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""Letters and digits nobody confuses when reading them aloud (no l/1, o/0)."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def check_new_password(password: str, *, username: str = "") -> None:
    """Refuse a password people could guess: short, the username inside it,
    one character repeated, or one of the passwords tried first."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    folded = password.casefold()
    if len(set(folded)) < MIN_DISTINCT_CHARACTERS:
        raise Invalid(f"password: at least {MIN_DISTINCT_CHARACTERS} different characters")
    if folded.replace(" ", "") in COMMON_PASSWORDS:
        raise Invalid("password: this one is among the first any intruder tries")
    if len(username) >= 3 and username.casefold() in folded:
        raise Invalid("password: it must not contain the username")


def one_time_password() -> str:
    """A random password to hand to a person once (about 98 bits), in groups
    of five to read and type: ``k7mq2-x9rtn-...``."""
    letters = "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(20))
    return "-".join(letters[i : i + 5] for i in range(0, 20, 5))


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except VerificationError:
        return False


def organisation_name(name: str) -> str:
    """An organisation's name as kept: trimmed, single spaces, not empty."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name: an organisation needs a name")
    if len(cleaned) > 200:
        raise Invalid("name: at most 200 characters")
    return cleaned


def create_organisation(uow: UnitOfWork, name: str, kind: OrganisationKind) -> OrganisationRow:
    uow.actor.require(Permission.MANAGE_USERS)
    name = organisation_name(name)
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
    username = username.strip()
    if not USERNAME.match(username):
        raise Invalid(
            "username: 2 to 80 Latin letters, digits, dots, dashes, underscores or @, "
            "beginning with a letter or digit"
        )
    display_name = " ".join(display_name.split())
    if not display_name:
        raise Invalid("name: say whose account this is")
    if organisation_id is not None:
        uow.repos.organisations.get(organisation_id)
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
