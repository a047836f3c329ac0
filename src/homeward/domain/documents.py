"""Kinds of documents and evidence, and what a return needs (domain.md: "A return
needs a verified identity and family link, a requesting legal representative,
documents ... and a traveller")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from homeward.domain.status import Status


class DocumentKind(StrEnum):
    BIRTH_CERTIFICATE = "birth_certificate"
    PROOF_OF_KINSHIP = "proof_of_kinship"
    POWER_OF_ATTORNEY = "power_of_attorney"
    GUARDIANSHIP_DECISION = "guardianship_decision"
    RETURN_IDENTITY_CERTIFICATE = "return_identity_certificate"
    """The identity certificate for return to Ukraine, issued by a consulate."""
    PHOTO = "photo"
    SCREENSHOT = "screenshot"
    """A screenshot of an adoption database, a social network, a news page."""
    OTHER = "other"


class TravellerRole(StrEnum):
    LEGAL_REPRESENTATIVE = "legal_representative"
    RELATIVE = "relative"
    AUTHORISED_PERSON = "authorised_person"
    """Someone travelling on a power of attorney (often a volunteer or NGO staff)."""
    OFFICIAL = "official"
    """An ombudsman's or a mediator's staff member."""


@dataclass(frozen=True)
class Requirement:
    """One line of the return checklist, met by a verified document of any of
    ``kinds`` (or, for ``kinds == ()``, by a fact of the case)."""

    key: str
    kinds: tuple[DocumentKind, ...]


RETURN_DOCUMENTS: tuple[Requirement, ...] = (
    Requirement("birth_certificate", (DocumentKind.BIRTH_CERTIFICATE,)),
    Requirement("proof_of_kinship", (DocumentKind.PROOF_OF_KINSHIP,)),
    Requirement("authority", (DocumentKind.POWER_OF_ATTORNEY, DocumentKind.GUARDIANSHIP_DECISION)),
    Requirement("return_identity_certificate", (DocumentKind.RETURN_IDENTITY_CERTIFICATE,)),
)
"""The documents a return needs; ``authority`` is a power of attorney or a
guardianship decision."""

IDENTITY_VERIFIED = frozenset(
    {
        Status.VERIFIED,
        Status.LOCATED,
        Status.WHEREABOUTS_UNKNOWN,
        Status.RETURN_IN_PROGRESS,
        Status.RETURNED,
        Status.REINTEGRATION,
    }
)
"""Statuses in which the verification commission has confirmed who the child is."""
