"""Ukrainian and English: every text the pages show, and dates as people read them.

Texts are written in English in the templates and code (``_("Search")``);
:data:`UKRAINIAN` holds their Ukrainian.  A test fails when a template uses a
text that has no Ukrainian here.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time

from homeward.web.messages import UKRAINIAN

LANGUAGES = ("uk", "en")
DEFAULT_LANGUAGE = "uk"
LANGUAGE_NAMES = {"uk": "Українська", "en": "English"}

STATUS_LABELS = {
    "reported": "Reported",
    "under_verification": "Under verification",
    "verified": "Verified",
    "rejected": "Rejected",
    "located": "Located",
    "whereabouts_unknown": "Whereabouts unknown",
    "return_in_progress": "Return in progress",
    "returned": "Returned",
    "reintegration": "Reintegration",
    "closed": "Closed",
    "merged": "Merged into another case",
}
CATEGORY_LABELS = {
    "deported": "Deported",
    "forcibly_transferred": "Forcibly transferred",
    "detained": "Detained",
    "missing": "Missing",
    "at_risk": "At risk in occupied territory",
}
REVIEW_LABELS = {
    "pending": "Waiting",
    "deferred": "Deferred",
    "accepted": "Accepted",
    "auto_linked": "Linked automatically",
    "rejected": "Rejected",
}
ROLE_LABELS = {
    "admin": "Register keeper",
    "case_worker": "Case worker",
    "verifier": "Verifier",
    "analyst": "Analyst",
    "partner": "Partner organisation",
    "auditor": "Auditor",
    "system": "System",
}


class Translator:
    """The texts and formats of one language, for one request."""

    def __init__(self, lang: str, time_zone: str = "Europe/Kyiv") -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self.zone = ZoneInfo(time_zone)

    def gettext(self, message: str, **values: object) -> str:
        text = UKRAINIAN.get(message, message) if self.lang == "uk" else message
        return text.format(**values) if values else text

    def label(self, table: dict[str, str], value: str | None) -> str:
        if value is None:
            return ""
        english = table.get(value)
        return self.gettext(english) if english else value.replace("_", " ")

    def status(self, value: str | None) -> str:
        return self.label(STATUS_LABELS, value)

    def category(self, value: str | None) -> str:
        return self.label(CATEGORY_LABELS, value)

    def review_status(self, value: str | None) -> str:
        return self.label(REVIEW_LABELS, value)

    def role(self, value: str | None) -> str:
        return self.label(ROLE_LABELS, value)

    def when(self, value: datetime | str | None) -> str:
        """A moment as people read it, in the registry's time zone: ``25 лист. 2026 р., 14:05``."""
        if value is None or value == "":
            return ""
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        local = moment.astimezone(self.zone)
        day = format_date(local.date(), "medium", locale=self.lang)
        return f"{day}, {format_time(local.time(), 'short', locale=self.lang)}"

    def day(self, value: str | date | None) -> str:
        """A date that may be partial (``2012``, ``2012-03``, ``2012-03-04``)."""
        if value is None or value == "":
            return ""
        if isinstance(value, date):
            return format_date(value, "long", locale=self.lang)
        parts = value.split("-")
        try:
            if len(parts) == 3:
                return format_date(date.fromisoformat(value), "long", locale=self.lang)
            if len(parts) == 2:
                return format_skeleton(
                    "yMMMM", date(int(parts[0]), int(parts[1]), 1), locale=self.lang
                )
        except ValueError:
            return value
        return value
