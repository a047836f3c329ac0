"""Exporting cases as a PFIF 1.4 document, noted in the audit trail."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Forbidden, Invalid
from homeward.io.pfif import DOMAIN, PfifPerson, write_pfif
from homeward.services.access import check_case_access
from homeward.services.pfif.persons import Related, person_of
from homeward.storage.tables import ChildRow
from homeward.storage.uow import UnitOfWork

DEFAULT_DOMAIN = "homeward"
"""The record-id domain: a person is ``homeward/HW-2026-000123``.  Case numbers
already carry the registry's prefix; give your own domain (``domain=``,
``--domain``) when another repository must tell your records from others'."""


@dataclass
class PfifExport:
    document: bytes
    cases: int
    notes: int
    sensitive: bool
    sha256: str

    def describe(self) -> str:
        return (
            f"{self.cases:,} cases, {self.notes:,} notes"
            + (", with sensitive fields" if self.sensitive else "")
            + f"; SHA-256 {self.sha256}"
        )


def export_pfif(
    uow: UnitOfWork,
    *,
    case_numbers: Sequence[str] | None = None,
    include_sensitive: bool = False,
    domain: str = DEFAULT_DOMAIN,
) -> PfifExport:
    """A PFIF 1.4 document of the chosen cases (all the actor may read when none
    are named; merged duplicates are left out, their number leads to the case
    they were merged into).  The export is noted in the audit trail."""
    actor = uow.actor
    actor.require(Permission.READ_CASES)
    if include_sensitive and not actor.can(Permission.READ_SENSITIVE):
        raise Forbidden(f"role '{actor.role}' may not read sensitive fields; export without them")
    if not DOMAIN.match(domain):
        raise Invalid(f"domain: '{domain}' is not a domain name (like registry.example)")
    children = _chosen_cases(uow, case_numbers)
    persons: list[PfifPerson] = []
    for start in range(0, len(children), _CHUNK):
        chunk = children[start : start + _CHUNK]
        related = Related.load(uow, [c.id for c in chunk], include_sensitive)
        persons += [person_of(related, child, include_sensitive, domain) for child in chunk]
    document = write_pfif(persons)
    result = PfifExport(
        document=document,
        cases=len(persons),
        notes=sum(len(p.notes) for p in persons),
        sensitive=include_sensitive,
        sha256=hashlib.sha256(document).hexdigest(),
    )
    uow.note(
        "cases.export_pfif",
        "children",
        None,
        format="PFIF 1.4",
        cases=result.cases,
        notes=result.notes,
        sensitive=include_sensitive,
        chosen=case_numbers is not None,
        sha256=result.sha256,
    )
    return result


def _chosen_cases(uow: UnitOfWork, case_numbers: Sequence[str] | None) -> list[ChildRow]:
    actor = uow.actor
    if case_numbers is not None:
        chosen: dict[int, ChildRow] = {}
        for number in case_numbers:
            child = uow.repos.children.by_case_number(number.strip())
            check_case_access(actor, child)
            chosen.setdefault(child.id, child)
        return list(chosen.values())
    query = select(ChildRow).where(ChildRow.status != Status.MERGED.value).order_by(ChildRow.id)
    if actor.organisation_scoped:
        query = query.where(ChildRow.organisation_id == actor.organisation_id)
    return list(uow.session.scalars(query))


_CHUNK = 500
"""Cases whose records, changes, events and relatives are read in one go."""
