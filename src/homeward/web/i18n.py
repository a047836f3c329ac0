"""Ukrainian and English: every text the pages show, and dates as people read them.

Texts are written in English in the templates and code (``_("Search")``);
:data:`UKRAINIAN` holds their Ukrainian.  A test fails when a template uses a
text that has no Ukrainian here.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time

from homeward.linkage.scoring import FieldExplanation
from homeward.web.messages import UKRAINIAN
from homeward.web.messages.cases import reason_in_ukrainian
from homeward.web.messages.core import PLURALS


@lru_cache(maxsize=8192)
def _date_text(day: date, style: str, lang: str) -> str:
    """Babel's date in a language (Babel takes a good part of a millisecond for
    each; a page shows dozens, most of them the same few days)."""
    return format_date(day, style, locale=lang)


@lru_cache(maxsize=4096)
def _time_text(hour: int, minute: int, lang: str) -> str:
    return format_time(time(hour, minute), "short", locale=lang)


LANGUAGES = ("uk", "en")
DEFAULT_LANGUAGE = "uk"
LANGUAGE_NAMES = {"uk": "Українська", "en": "English"}
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}

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
RELATIONSHIP_LABELS = {
    "mother": "Mother",
    "father": "Father",
    "grandmother": "Grandmother",
    "grandfather": "Grandfather",
    "sibling": "Brother or sister",
    "aunt": "Aunt",
    "uncle": "Uncle",
    "guardian": "Guardian",
    "foster_parent": "Foster parent",
    "other": "Other",
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
        self.locale = _LOCALES[self.lang]

    def gettext(self, message: str, **values: object) -> str:
        text = UKRAINIAN.get(message, message) if self.lang == "uk" else message
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The text that agrees with the number ``n`` (also given to the text as
        ``{n}``), by the language's plural rules: ``1 запропонований збіг``,
        ``2 запропоновані збіги``, ``5 запропонованих збігів``.

        The English is the singular and plural; the Ukrainian forms, one for each
        CLDR plural category, are :data:`~homeward.web.messages.core.PLURALS`
        under the English singular.
        """
        form = self.locale.plural_form(n)
        forms = PLURALS.get(singular) if self.lang == "uk" else None
        if forms:
            text = forms.get(form) or forms["many"]
        else:
            text = singular if _LOCALES["en"].plural_form(n) == "one" else plural
        return text.format(n=n, **values)

    def reason(self, text: str | None) -> str:
        """A reason of the match model, or one of its field labels, in this
        language (the model writes them in English)."""
        if not text:
            return ""
        return reason_in_ukrainian(text) if self.lang == "uk" else text

    def describe(self, field: FieldExplanation) -> str:
        """One field of a scored pair on one line, in this language:
        ``Ім’я: Олександр ~ Александр, те саме ім’я (Олександр), російська форма, +6.2``."""
        label = self.reason(field.label)
        label = label[:1].upper() + label[1:]
        if field.level == "missing":
            return f"{label}: {self.reason(field.reason)}"
        a, b = field.value_a, field.value_b
        values = a if a == b else f"{a} ~ {b}"
        line = f"{label}: {values}, {self.reason(field.reason)}, {field.weight:+.1f}"
        if not field.counted:
            note = self.gettext("not counted: the given names differ, and siblings share this")
            line += f" ({note})"
        return line

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

    def relationship(self, value: str | None) -> str:
        return self.label(RELATIONSHIP_LABELS, value)

    def when(self, value: datetime | str | None) -> str:
        """A moment as people read it, in the registry's time zone: ``25 лист. 2026 р., 14:05``."""
        if value is None or value == "":
            return ""
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        local = moment.astimezone(self.zone)
        day = _date_text(local.date(), "medium", self.lang)
        return f"{day}, {_time_text(local.hour, local.minute, self.lang)}"

    def day(self, value: str | date | None) -> str:
        """A date that may be partial (``2012``, ``2012-03``, ``2012-03-04``)."""
        if value is None or value == "":
            return ""
        if isinstance(value, date):
            return _date_text(value, "long", self.lang)
        parts = value.split("-")
        try:
            if len(parts) == 3:
                return _date_text(date.fromisoformat(value), "long", self.lang)
            if len(parts) == 2:
                return format_skeleton(
                    "yMMMM", date(int(parts[0]), int(parts[1]), 1), locale=self.lang
                )
        except ValueError:
            return value
        return value
