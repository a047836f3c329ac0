"""Partial dates: parse what the files hold, compare two dates, blocking keys, ages.

Dates of birth and of removal reach Homeward as ``04.03.2012``, ``2012-03-04``,
``4 березня 2012``, ``март 2012``, ``2012``, Excel serial numbers (``41000``) or
Python dates, often with the day or month unknown.  :class:`PartialDate` keeps
exactly what is known.  Ukrainian and Russian files write the day first, so
``04.03.2012`` is 4 March; two-digit years are read as the most recent year
with those digits that is not in the future (``12`` → 2012, ``95`` → 1995).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from homeward.errors import Invalid
from homeward.names.comparison import Comparison

__all__ = [
    "LEVELS",
    "InvalidDateError",
    "PartialDate",
    "age_on",
    "age_range",
    "compare_dates",
    "date_keys",
    "is_adult",
    "parse_date",
]

LEVELS = (
    "exact",
    "day_month_swapped",
    "one_digit_off",
    "year_plus_minus_one",
    "same_year",
    "partial_agree",
    "different",
    "unknown",
)

MIN_YEAR = 1800
MAX_YEAR = 2200
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 once Excel's 29 Feb 1900 is skipped
_EXCEL_MAX = 2958465  # 9999-12-31

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class InvalidDateError(Invalid, ValueError):
    """A value that cannot be a date; the message names the value and why.

    >>> str(InvalidDateError("31.02.2012", "February has 28 or 29 days"))
    "'31.02.2012' is not a date: February has 28 or 29 days"
    """

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} is not a date: {reason}")


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in(year: int, month: int) -> int:
    return 29 if month == 2 and _is_leap(year) else _DAYS[month - 1] - (month == 2)


def _check(value: object, year: int, month: int | None, day: int | None) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidDateError(value, f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    if month is None:
        if day is not None:
            raise InvalidDateError(value, "a day is given without a month")
        return
    if not 1 <= month <= 12:
        raise InvalidDateError(value, f"there is no month {month}")
    if day is None:
        return
    if day < 1 or day > 31:
        raise InvalidDateError(value, f"no month has a day {day}")
    if day > _days_in(year, month):
        name = _MONTH_NAMES[month - 1]
        if month == 2 and day == 29:
            reason = f"February {year} has 28 days ({year} is not a leap year)"
        elif month == 2:
            reason = "February has 28 or 29 days"
        else:
            reason = f"{name} has {_DAYS[month - 1]} days"
        raise InvalidDateError(value, reason)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date of which the day, or the day and month, may be unknown.

    ``str()`` gives ``"2012"``, ``"2012-03"`` or ``"2012-03-04"``, which
    :func:`parse_date` reads back.

    >>> str(PartialDate(2012, 3)), str(PartialDate(2012, 3, 4))
    ('2012-03', '2012-03-04')
    >>> PartialDate(2012, 2, 30)
    Traceback (most recent call last):
    homeward.names.dates.InvalidDateError: '2012-02-30' is not a date: February has 28 or 29 days
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        shown = "-".join(f"{part:02d}" for part in (self.year, self.month, self.day) if part)
        _check(shown, self.year, self.month, self.day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``: how much of the date is known."""
        return "year" if self.month is None else "month" if self.day is None else "day"

    def earliest(self) -> date:
        """The first day the partial date can be.

        >>> PartialDate(2012, 2).earliest()
        datetime.date(2012, 2, 1)
        """
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """The last day the partial date can be.

        >>> PartialDate(2012, 2).latest()
        datetime.date(2012, 2, 29)
        """
        month = self.month or 12
        return date(self.year, month, self.day or _days_in(self.year, month))

    def to_date(self) -> date | None:
        """The date, when day and month are known."""
        return self.earliest() if self.day is not None else None


def _month_table() -> dict[str, int]:
    forms = {
        1: "січень січня січні січ январь января январе янв january jan",
        2: "лютий лютого лютому лют февраль февраля феврале фев февр february feb",
        3: "березень березня березні бер берез март марта марте мар march mar",
        4: "квітень квітня квітні квіт кві апрель апреля апреле апр april apr",
        5: "травень травня травні трав тра май мая мае may",
        6: "червень червня червні черв чер июнь июня июне июн june jun",
        7: "липень липня липні лип июль июля июле июл july jul",
        8: "серпень серпня серпні серп сер август августа августе авг august aug",
        9: "вересень вересня вересні вер сентябрь сентября сентябре сен сент september sep sept",
        10: "жовтень жовтня жовтні жовт жов октябрь октября октябре окт october oct",
        11: "листопад листопада листопаді лист лис ноябрь ноября ноябре ноя november nov",
        12: "грудень грудня грудні груд гру декабрь декабря декабре дек december dec",
    }
    return {word: month for month, words in forms.items() for word in words.split()}


_MONTHS = _month_table()
_TIME = r"(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_YEAR_FIRST = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})" + _TIME)
_DAY_FIRST = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})" + _TIME)
_YEAR_MONTH = re.compile(r"(\d{4})[-./](\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-./](\d{4})")
_YEAR = re.compile(r"\d{4}")
_SERIAL = re.compile(r"\d{5,7}(?:[.,]\d+)?")
_WORDY = re.compile(r"(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(\d{4})")
_WORDY_EN = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
# "2012 р.", "4 марта 2012 г.", "2012 року", "2009 г.р.": year words after the date.
_SUFFIX = re.compile(r"\s*(?:р\.?\s*н\.?|г\.?\s*р\.?|року|рік|год[а]?|р\.?|г\.?|yr\.?)\s*$")
_PREFIX = re.compile(r"^(?:у|в|in|on)\s+")
_UNKNOWN = frozenset(
    {"", "-", "--", "?", "??", "невідомо", "неизвестно", "unknown", "н/д", "n/a", "na", "нет"}
)


def _two_digit_year(digits: str, this_year: int) -> int:
    year = 2000 + int(digits)
    return year if year <= this_year else year - 100


def _from_parts(value: object, year: int, month: int | None, day: int | None) -> PartialDate:
    """Build a PartialDate, reading 00 as "unknown" (``00.03.2012``, ``00.00.2012``)."""
    if month == 0:
        if day:
            raise InvalidDateError(value, "a day is given without a month")
        month = day = None
    if day == 0:
        day = None
    _check(value, year, month, day)
    return PartialDate(year, month, day)


def _from_serial(value: object, serial: float) -> PartialDate:
    whole = math.floor(serial)
    if whole == 60:
        raise InvalidDateError(value, "Excel serial 60 is 29 February 1900, a day that never was")
    if not 1 <= whole <= _EXCEL_MAX:
        raise InvalidDateError(value, f"{whole} is not an Excel date serial (1–{_EXCEL_MAX})")
    day = _EXCEL_EPOCH + timedelta(days=whole + (1 if whole < 60 else 0))
    return _from_parts(value, day.year, day.month, day.day)


def _from_number(value: object, number: float) -> PartialDate:
    if number == int(number) and MIN_YEAR <= number <= MAX_YEAR:
        return _from_parts(value, int(number), None, None)
    return _from_serial(value, number)


@lru_cache(maxsize=65536)
def _from_text(value: str, this_year: int) -> PartialDate | None:
    """Parse text; ``this_year`` is part of the cache key for two-digit years."""
    text = " ".join(value.strip().casefold().split())
    text = _PREFIX.sub("", _SUFFIX.sub("", text))
    if text in _UNKNOWN:
        return None
    if match := _ISO.fullmatch(text) or _YEAR_FIRST.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return _from_parts(value, year, month, day)
    if match := _DAY_FIRST.fullmatch(text):
        day_text, month_text, year_text = match.groups()
        year = int(year_text) if len(year_text) == 4 else _two_digit_year(year_text, this_year)
        return _from_parts(value, year, int(month_text), int(day_text))
    if match := _YEAR_MONTH.fullmatch(text):
        return _from_parts(value, int(match[1]), int(match[2]), None)
    if match := _MONTH_YEAR.fullmatch(text):
        return _from_parts(value, int(match[2]), int(match[1]), None)
    if _YEAR.fullmatch(text):
        return _from_parts(value, int(text), None, None)
    if _SERIAL.fullmatch(text):
        return _from_serial(value, float(text.replace(",", ".")))
    if match := _WORDY.fullmatch(text):
        day_text, word, year_text = match.groups()
        if word in _MONTHS:
            day_number = int(day_text) if day_text else None
            return _from_parts(value, int(year_text), _MONTHS[word], day_number)
        raise InvalidDateError(value, f"«{word}» is not a month name")
    if (match := _WORDY_EN.fullmatch(text)) and match[1] in _MONTHS:
        return _from_parts(value, int(match[3]), _MONTHS[match[1]], int(match[2]))
    raise InvalidDateError(
        value, "the format is not recognised (write for example 2012-03-04 or 04.03.2012)"
    )


def parse_date(value: object) -> PartialDate | None:
    """Read a date as files hold it; ``None`` when the value is empty or "unknown".

    Accepted: ``2012-03-04`` (also with a time), ``04.03.2012``, ``4.3.2012``,
    ``04/03/2012``, ``04-03-2012`` (day first), ``04.03.12`` (two-digit year: the
    latest such year not in the future), ``2012/03/04``, ``2012-03``,
    ``03.2012``, ``2012``, ``00.03.2012`` (00 = unknown), Ukrainian, Russian and
    English month names (``4 березня 2012``, ``4 марта 2012 г.``,
    ``березень 2012``), Excel serial numbers (``41000``, ``41000.0``, as
    number or text), :class:`date`, :class:`datetime` (its date as written) and
    :class:`PartialDate`.  Anything else raises :class:`InvalidDateError`.

    >>> str(parse_date("4 березня 2012 р.")), str(parse_date("март 2012"))
    ('2012-03-04', '2012-03')
    >>> str(parse_date(41000)), str(parse_date("04.03.12"))
    ('2012-04-01', '2012-03-04')
    >>> parse_date("31.02.2012")
    Traceback (most recent call last):
    homeward.names.dates.InvalidDateError: '31.02.2012' is not a date: February has 28 or 29 days
    """
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise InvalidDateError(value, "a yes/no value is not a date")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, float) and math.isinf(value):  # a workbook cell of 1e999
            raise InvalidDateError(value, "an infinite number is not a date")
        return _from_number(value, value)
    if isinstance(value, str):
        return _from_text(value, date.today().year)
    raise InvalidDateError(value, f"a {type(value).__name__} is not a date")


def _parse_or_reason(value: object) -> tuple[PartialDate | None, str]:
    try:
        return parse_date(value), "no date on one side"
    except InvalidDateError as error:
        return None, str(error)


def _digits(value: PartialDate) -> str:
    return str(value).replace("-", "")


def _agrees(short: PartialDate, long: PartialDate) -> bool:
    return short.year == long.year and short.month in (None, long.month) and short.day is None


def compare_dates(a: object, b: object) -> Comparison:
    """Grade how far two dates agree; the first level that applies is returned.

    - ``exact``: the same date, known to the same precision;
    - ``day_month_swapped``: full dates of one year whose day and month are
      exchanged (04.03.2012 and 03.04.2012);
    - ``one_digit_off``: same precision, exactly one digit of ``YYYYMMDD``
      differs (a typing slip: 2012-03-04 and 2012-03-14, or 2012 and 2013);
    - ``year_plus_minus_one``: same precision, same month and day, years one
      apart (2009-12-31 and 2010-12-31; a common alteration of birth dates);
    - ``same_year``: same year, otherwise disagreeing (2012-03-04 and 2012-07-15);
    - ``partial_agree``: one is less precise and agrees with everything the
      other says (2012 and 2012-03-04; 2012-03 and 2012-03-04);
    - ``different``: anything else;
    - ``unknown``: either side is empty or not a date (the reason says which).

    The result does not depend on the order of the arguments.

    >>> compare_dates("04.03.2012", "2012-04-03")
    Comparison(level='day_month_swapped', reason='day and month swapped')
    >>> compare_dates("2012", "4 березня 2012").level
    'partial_agree'
    """
    pa, reason_a = _parse_or_reason(a)
    pb, reason_b = _parse_or_reason(b)
    if pa is None or pb is None:
        reason = reason_a if pa is None else reason_b
        if pa is None and pb is None and reason_a == reason_b == "no date on one side":
            reason = "no date on either side"
        return Comparison("unknown", reason)
    if pa == pb:
        return Comparison("exact", "same date")
    same_precision = pa.precision == pb.precision
    swapped = (pa.day, pa.month) == (pb.month, pb.day)
    if pa.precision == pb.precision == "day" and pa.year == pb.year and swapped:
        return Comparison("day_month_swapped", "day and month swapped")
    if same_precision:
        differing = sum(x != y for x, y in zip(_digits(pa), _digits(pb), strict=True))
        if differing == 1:
            return Comparison("one_digit_off", "one digit differs")
        if (pa.month, pa.day) == (pb.month, pb.day) and abs(pa.year - pb.year) == 1:
            return Comparison("year_plus_minus_one", "same day and month, years one apart")
    elif _agrees(pa, pb) or _agrees(pb, pa):
        return Comparison("partial_agree", "agree as far as both are known")
    if pa.year == pb.year:
        return Comparison("same_year", "same year, different day or month")
    return Comparison("different", "different dates")


def date_keys(value: object) -> frozenset[str]:
    """Blocking keys for a date; empty for empty or invalid values.

    Every date gives ``y:YYYY``; month dates add ``ym:YYYY-MM``; full dates add
    ``ymd:YYYY-MM-DD`` and ``md:MM-DD``.  So two dates share a key at every
    :func:`compare_dates` level above ``different``: ``y:`` covers the levels
    that keep the year, ``md:`` a full date whose year was altered or mistyped.
    A year-only or month-only date whose year is mistyped (2012 and 2013) shares
    no key.  ``y:`` blocks are large; combine them with a name key.

    >>> sorted(date_keys("04.03.2012"))
    ['md:03-04', 'y:2012', 'ymd:2012-03-04']
    """
    try:
        parsed = parse_date(value)
    except InvalidDateError:
        return frozenset()
    if parsed is None:
        return frozenset()
    keys = {f"y:{parsed.year:04d}"}
    if parsed.precision == "month":
        keys.add(f"ym:{parsed}")
    elif parsed.precision == "day":
        keys.add(f"ymd:{parsed}")
        keys.add(f"md:{parsed.month:02d}-{parsed.day:02d}")
    return frozenset(keys)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_range(birth: object, on: object) -> tuple[int, int] | None:
    """The least and greatest age in whole years someone born ``birth`` has on ``on``.

    Partial dates widen the range.  Someone born on 29 February turns a year
    older on 1 March in common years.  ``None`` when either date is missing;
    :class:`ValueError` when ``on`` is before the birth.

    >>> age_range("2007", "2025-06-01")
    (17, 18)
    """
    born, when = parse_date(birth), parse_date(on)
    if born is None or when is None:
        return None
    if when.latest() < born.earliest():
        raise ValueError(f"{when} is before the date of birth {born}")
    low = max(0, _age(born.latest(), when.earliest()))
    return low, _age(born.earliest(), when.latest())


def age_on(birth: object, on: object) -> int | None:
    """Age in whole years on a date, or ``None`` when the dates do not settle it.

    >>> age_on("04.03.2012", date(2025, 3, 3)), age_on("04.03.2012", date(2025, 3, 4))
    (12, 13)
    >>> age_on("2012", date(2025, 6, 1)) is None
    True
    """
    ages = age_range(birth, on)
    if ages is None or ages[0] != ages[1]:
        return None
    return ages[0]


def is_adult(birth: object, on: object = None, *, majority: int = 18) -> bool | None:
    """Whether someone is of age (18 by default) on ``on`` (today if not given).

    ``None`` when a partial date of birth leaves it open.  Reaching majority
    never closes a case; this answers "adult now" in counterpart responses.

    >>> is_adult("2007-01-01", date(2025, 1, 1)), is_adult("2007", date(2025, 6, 1))
    (True, None)
    """
    ages = age_range(birth, date.today() if on is None else on)
    if ages is None:
        return None
    low, high = ages
    if low >= majority:
        return True
    if high < majority:
        return False
    return None
