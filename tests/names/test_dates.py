"""Dates: every format the files use, invalid dates with their reason, comparison, ages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from homeward.errors import Invalid
from homeward.names.comparison import Comparison
from homeward.names.dates import (
    LEVELS,
    InvalidDateError,
    PartialDate,
    age_on,
    age_range,
    compare_dates,
    date_keys,
    is_adult,
    parse_date,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2012-03-04", "2012-03-04"),
        ("04.03.2012", "2012-03-04"),
        ("4.3.2012", "2012-03-04"),
        ("04/03/2012", "2012-03-04"),
        ("04-03-2012", "2012-03-04"),
        ("2012/03/04", "2012-03-04"),
        ("2012.03.04", "2012-03-04"),
        ("04.03.12", "2012-03-04"),
        ("04.03.95", "1995-03-04"),
        ("2012-03", "2012-03"),
        ("03.2012", "2012-03"),
        ("3/2012", "2012-03"),
        ("2012", "2012"),
        ("2012 р.", "2012"),
        ("2012 г.", "2012"),
        ("2009 г.р.", "2009"),
        ("2012 року", "2012"),
        ("41000", "2012-04-01"),
        ("41000.0", "2012-04-01"),
        ("40972", "2012-03-04"),
        (41000, "2012-04-01"),
        (41000.75, "2012-04-01"),
        (2012, "2012"),
        (2012.0, "2012"),
        ("2012-03-04T10:11:12", "2012-03-04"),
        ("2012-03-04T23:30:00+03:00", "2012-03-04"),
        ("2012-03-04T10:11:12.345Z", "2012-03-04"),
        ("2012-03-04 00:00:00", "2012-03-04"),
        ("04.03.2012 00:00", "2012-03-04"),
        ("4 березня 2012", "2012-03-04"),
        ("04 березня 2012 р.", "2012-03-04"),
        ("4 марта 2012 г.", "2012-03-04"),
        ("4 March 2012", "2012-03-04"),
        ("March 4, 2012", "2012-03-04"),
        ("4 мар. 2012", "2012-03-04"),
        ("березень 2012", "2012-03"),
        ("март 2012", "2012-03"),
        ("у березні 2012", "2012-03"),
        ("в марте 2012 года", "2012-03"),
        ("  1 ВЕРЕСНЯ 2022  ", "2022-09-01"),
        ("00.03.2012", "2012-03"),
        ("00.00.2012", "2012"),
        ("2012-00-00", "2012"),
        (date(2012, 3, 4), "2012-03-04"),
        (datetime(2012, 3, 4, 23, 59, tzinfo=UTC), "2012-03-04"),
        (PartialDate(2012, 3), "2012-03"),
    ],
)
def test_parse_each_format(value: object, expected: str) -> None:
    parsed = parse_date(value)
    assert parsed is not None
    assert str(parsed) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "-", "?", "невідомо", "неизвестно", "n/a",
                                   float("nan")])  # fmt: skip
def test_empty_and_unknown_values_are_no_date(value: object) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2012", "'31.02.2012' is not a date: February has 28 or 29 days"),
        ("29.02.2013", "'29.02.2013' is not a date: February 2013 has 28 days"),
        ("31.04.2012", "'31.04.2012' is not a date: April has 30 days"),
        ("31.11.2015", "'31.11.2015' is not a date: November has 30 days"),
        ("13.13.2012", "'13.13.2012' is not a date: there is no month 13"),
        ("2012-13", "'2012-13' is not a date: there is no month 13"),
        ("32.01.2012", "'32.01.2012' is not a date: no month has a day 32"),
        ("04.00.2012", "'04.00.2012' is not a date: a day is given without a month"),
        ("1700", "'1700' is not a date: year 1700 is outside 1800–2200"),
        ("4 мартобря 2012", "'4 мартобря 2012' is not a date: «мартобря» is not a month name"),
        ("next tuesday", "'next tuesday' is not a date: the format is not recognised"),
        ("2012-03-04-05", "'2012-03-04-05' is not a date: the format is not recognised"),
        (60, "60 is not a date: Excel serial 60 is 29 February 1900"),
        (-5, "-5 is not a date: -5 is not an Excel date serial"),
        (True, "True is not a date: a yes/no value is not a date"),
        ([2012], "[2012] is not a date: a list is not a date"),
    ],
)
def test_invalid_dates_say_which_value_and_why(value: object, message: str) -> None:
    with pytest.raises(InvalidDateError) as caught:
        parse_date(value)
    assert str(caught.value).startswith(message)
    assert caught.value.value == value


def test_invalid_date_is_a_value_error_and_a_homeward_rejection() -> None:
    error = InvalidDateError("x", "why")
    assert isinstance(error, ValueError)
    assert isinstance(error, Invalid)
    assert error.status_code == 422


def test_excel_serials_follow_excel_including_its_1900_leap_day() -> None:
    assert str(parse_date(1)) == "1900-01-01"
    assert str(parse_date(59)) == "1900-02-28"
    assert str(parse_date(61)) == "1900-03-01"
    assert str(parse_date("41000,5")) == "2012-04-01"  # a time of day is dropped
    with pytest.raises(InvalidDateError, match="year 9999 is outside"):
        parse_date(2958465)


def test_two_digit_years_are_never_in_the_future() -> None:
    this_year = date.today().year % 100
    parsed = parse_date(f"01.01.{this_year:02d}")
    assert parsed is not None and parsed.year == date.today().year
    next_year = (this_year + 1) % 100
    later = parse_date(f"01.01.{next_year:02d}")
    assert later is not None and later.year <= date.today().year


def test_partial_date_keeps_what_is_known() -> None:
    day, month, year = PartialDate(2012, 3, 4), PartialDate(2012, 3), PartialDate(2012)
    assert [d.precision for d in (day, month, year)] == ["day", "month", "year"]
    assert (month.earliest(), month.latest()) == (date(2012, 3, 1), date(2012, 3, 31))
    assert (year.earliest(), year.latest()) == (date(2012, 1, 1), date(2012, 12, 31))
    assert day.to_date() == date(2012, 3, 4) and month.to_date() is None
    with pytest.raises(InvalidDateError, match="a day is given without a month"):
        PartialDate(2012, None, 4)
    with pytest.raises(AttributeError):
        day.year = 2013  # type: ignore[misc]


def test_levels_are_ordered_strongest_first() -> None:
    assert LEVELS[0] == "exact" and LEVELS[-1] == "unknown"


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("04.03.2012", "2012-03-04", "exact"),
        ("березень 2012", "2012-03", "exact"),
        ("04.03.2012", "03.04.2012", "day_month_swapped"),
        ("2012-03-04", "2012-03-14", "one_digit_off"),
        ("2012-03-04", "2012-08-04", "one_digit_off"),
        ("2012-03-04", "2013-03-04", "one_digit_off"),
        ("2012", "2013", "one_digit_off"),
        ("2009-12-31", "2010-12-31", "year_plus_minus_one"),
        ("2010-01-15", "2009-01-15", "year_plus_minus_one"),
        ("2009", "2010", "year_plus_minus_one"),
        ("2012-03-04", "2012-07-19", "same_year"),
        ("2012-03", "2012-11", "same_year"),
        ("2012-03", "2012-11-05", "same_year"),
        ("2012", "2012-03-04", "partial_agree"),
        ("2012-03", "2012-03-17", "partial_agree"),
        ("2012-03-04", "2014-07-19", "different"),
        ("2012", "2014-03-04", "different"),
        ("2012-03-04", None, "unknown"),
        ("", "", "unknown"),
    ],
)
def test_compare_dates_levels(a: object, b: object, level: str) -> None:
    assert compare_dates(a, b).level == level
    assert compare_dates(b, a).level == level
    assert level in LEVELS


def test_swapped_day_and_month_that_are_equal_is_just_exact() -> None:
    assert compare_dates("05.05.2012", "2012-05-05").level == "exact"


def test_an_invalid_date_compares_as_unknown_and_says_why() -> None:
    assert compare_dates("31.02.2012", "2012-02-28") == Comparison(
        "unknown", "'31.02.2012' is not a date: February has 28 or 29 days"
    )
    assert compare_dates(None, None) == Comparison("unknown", "no date on either side")


@pytest.mark.parametrize(
    ("value", "keys"),
    [
        ("04.03.2012", {"y:2012", "md:03-04", "ymd:2012-03-04"}),
        ("березень 2012", {"y:2012", "ym:2012-03"}),
        ("2012", {"y:2012"}),
        (None, set()),
        ("31.02.2012", set()),
    ],
)
def test_date_keys(value: object, keys: set[str]) -> None:
    assert date_keys(value) == keys


def test_an_altered_birth_year_still_shares_a_key() -> None:
    assert date_keys("2009-12-31") & date_keys("2010-12-31") == {"md:12-31"}


def test_age_on_counts_whole_years() -> None:
    assert age_on("04.03.2012", date(2025, 3, 3)) == 12
    assert age_on("04.03.2012", date(2025, 3, 4)) == 13
    assert age_on(date(2012, 3, 4), "2025-03-04") == 13


def test_born_on_29_february_ages_on_1_march_in_common_years() -> None:
    assert age_on("29.02.2008", date(2026, 2, 28)) == 17
    assert age_on("29.02.2008", date(2026, 3, 1)) == 18
    assert age_on("29.02.2008", date(2028, 2, 29)) == 20


def test_partial_birth_dates_give_an_age_range() -> None:
    assert age_range("2007", date(2025, 6, 1)) == (17, 18)
    assert age_range("2007-03", date(2025, 6, 1)) == (18, 18)
    assert age_on("2007", date(2025, 6, 1)) is None
    assert age_on("2007-03", date(2025, 6, 1)) == 18
    assert age_range(None, date(2025, 6, 1)) is None


def test_an_on_date_before_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on("2012-03-04", "2011-01-01")


@pytest.mark.parametrize(
    ("birth", "on", "adult"),
    [
        ("2007-06-01", date(2025, 6, 1), True),
        ("2007-06-02", date(2025, 6, 1), False),
        ("2007", date(2025, 6, 1), None),
        ("2006", date(2025, 6, 1), True),
        ("2010", date(2025, 6, 1), False),
        (None, date(2025, 6, 1), None),
    ],
)
def test_is_adult(birth: object, on: date, adult: bool | None) -> None:
    assert is_adult(birth, on) is adult


def test_is_adult_defaults_to_today_and_takes_another_majority() -> None:
    assert is_adult("1990-01-01") is True
    assert is_adult("2010-01-01", date(2026, 1, 1), majority=16) is True
