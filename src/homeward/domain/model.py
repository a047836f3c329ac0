"""The vocabulary of a case: categories, sexes, sources, events, relatives.

Values are short lowercase strings so they read well in the database, the API
and exported files alike.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Category(StrEnum):
    DEPORTED = "deported"
    """Taken to Russia or Belarus."""
    FORCIBLY_TRANSFERRED = "forcibly_transferred"
    """Moved within the occupied territory."""
    DETAINED = "detained"
    MISSING = "missing"
    AT_RISK = "at_risk"
    """At risk in the occupied territory."""


class Sex(StrEnum):
    MALE = "m"
    FEMALE = "f"
    UNKNOWN = "u"

    @classmethod
    def read(cls, value: str) -> Sex | None:
        """The sex a source's word means (``чол``, ``жен.``, ``girl``...); None
        when the word is not one of them.

        >>> Sex.read("Жін."), Sex.read("maybe")
        (<Sex.FEMALE: 'f'>, None)
        """
        return _SEX_WORDS.get(value.strip().lower().rstrip("."))


_SEX_WORDS = {
    "m": Sex.MALE, "male": Sex.MALE, "ч": Sex.MALE, "чол": Sex.MALE, "чоловіча": Sex.MALE,
    "м": Sex.MALE, "муж": Sex.MALE, "мужской": Sex.MALE, "хлопчик": Sex.MALE, "boy": Sex.MALE,
    "f": Sex.FEMALE, "female": Sex.FEMALE, "ж": Sex.FEMALE, "жін": Sex.FEMALE,
    "жіноча": Sex.FEMALE, "жен": Sex.FEMALE, "женский": Sex.FEMALE, "дівчинка": Sex.FEMALE,
    "girl": Sex.FEMALE, "u": Sex.UNKNOWN, "unknown": Sex.UNKNOWN,
}  # fmt: skip


class SourceKind(StrEnum):
    REPORT = "report"
    """A report typed by a case worker (a family's call, a visit, a letter)."""
    PUBLIC_REPORT = "public_report"
    """A report sent through the public form; triaged before it counts."""
    IMPORT_FILE = "import_file"
    """A file from another agency, NGO or investigator."""
    COUNTERPART_LIST = "counterpart_list"
    """A list received from the other side or a mediator."""
    INVESTIGATION = "investigation"
    """Found in an adoption database, camp list or social media."""
    OTHER = "other"


class Reliability(StrEnum):
    """How far a source is trusted, after the Admiralty grading used by investigators."""

    CONFIRMED = "confirmed"
    RELIABLE = "reliable"
    USUALLY_RELIABLE = "usually_reliable"
    UNVERIFIED = "unverified"
    DOUBTFUL = "doubtful"


class EventKind(StrEnum):
    REMOVAL = "removal"
    SIGHTING = "sighting"
    TRANSFER = "transfer"
    ADOPTION = "adoption"
    GUARDIANSHIP = "guardianship"
    CITIZENSHIP_CHANGE = "citizenship_change"
    LIST_INCLUSION = "list_inclusion"
    COUNTERPART_RESPONSE = "counterpart_response"
    RETURN = "return"
    REUNIFICATION = "reunification"
    DEATH = "death"
    NOTE = "note"


class Relationship(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GRANDMOTHER = "grandmother"
    GRANDFATHER = "grandfather"
    SIBLING = "sibling"
    AUNT = "aunt"
    UNCLE = "uncle"
    GUARDIAN = "guardian"
    FOSTER_PARENT = "foster_parent"
    OTHER = "other"


class FacilityKind(StrEnum):
    CAMP = "camp"
    INSTITUTION = "institution"
    """Orphanage, boarding school, hospital."""
    FAMILY_PLACEMENT_REGION = "family_placement_region"
    OTHER = "other"


class OrganisationKind(StrEnum):
    REGISTER_KEEPER = "register_keeper"
    OMBUDSMAN = "ombudsman"
    INFORMATION_BUREAU = "information_bureau"
    POLICE = "police"
    PROSECUTOR = "prosecutor"
    COMMISSION = "commission"
    NGO = "ngo"
    OTHER = "other"


CASE_NUMBER = re.compile(r"^(?P<prefix>[A-Z]{2,5})-(?P<year>\d{4})-(?P<serial>\d{6,})$")


def format_case_number(prefix: str, year: int, serial: int) -> str:
    """``HW-2026-000123``: prefix, year the case was opened, serial within that year."""
    return f"{prefix}-{year:04d}-{serial:06d}"


def is_case_number(value: str) -> bool:
    return CASE_NUMBER.match(value) is not None
