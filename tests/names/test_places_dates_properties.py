"""Properties of places and dates that must hold for every value, not just examples."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeward.names.dates import PartialDate, compare_dates, date_keys, parse_date
from homeward.names.places import (
    GazetteerEntry,
    compare_places,
    gazetteer_entries,
    normalize_place,
    place_keys,
    resolve_place,
)

ENTRIES = gazetteer_entries()
APOSTROPHES = ["'", "’", "ʼ", "`"]
PLACE_ALPHABET = st.sampled_from(
    list("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэёъ") + list("ABCEHIKMOPTXYaceiopxyklmnz")
    + list(" -.,'’ʼ()/")
)  # fmt: skip


@given(st.text())
def test_normalising_a_place_twice_changes_nothing(text: str) -> None:
    once = normalize_place(text)
    assert normalize_place(once) == once


@given(st.text(PLACE_ALPHABET, max_size=30))
def test_normalising_place_like_text_twice_changes_nothing(text: str) -> None:
    once = normalize_place(text)
    assert normalize_place(once) == once


@st.composite
def written_form(draw: st.DrawFn, entry: GazetteerEntry) -> str:
    """One of the entry's names (Ukrainian, Latin, Russian) as a person might type it."""
    name = draw(st.sampled_from([entry.uk, entry.latin, *entry.ru[:1]]))
    text = "".join(draw(st.sampled_from([ch.lower(), ch.upper()])) for ch in name)
    for mark in ("'", "’"):
        if mark in text:
            text = text.replace(mark, draw(st.sampled_from(APOSTROPHES)))
    if "-" in text and draw(st.booleans()):
        text = text.replace("-", " ")
    text = text.replace(" ", " " * draw(st.integers(1, 3)))
    pad = draw(st.sampled_from(["", " ", "  ", "\t"]))
    return pad + text + pad


def _named_by_region(entry: GazetteerEntry) -> bool:
    # "місто Москва" names the city itself, which lies in that region.
    return entry.kind in ("federal_city", "city_region")


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(ENTRIES))
def test_any_form_of_an_entry_keys_to_that_entry(
    data: st.DataObject, entry: GazetteerEntry
) -> None:
    text = data.draw(written_form(entry))
    if _named_by_region(entry):
        match = resolve_place(text).match
        assert match is not None and match.region == entry.id
    else:
        assert "place:" + entry.id in place_keys(text), (text, resolve_place(text))


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(ENTRIES))
def test_two_forms_of_one_entry_share_a_key(data: st.DataObject, entry: GazetteerEntry) -> None:
    first, second = data.draw(written_form(entry)), data.draw(written_form(entry))
    assert place_keys(first) & place_keys(second), (first, second)


def _place_values() -> st.SearchStrategy[str]:
    names = [name for e in ENTRIES for name in (e.uk, e.latin, *e.ru, *e.former_uk)]
    oblasts = ["", ", Донецька обл.", ", Луганская область", ", Kherson oblast", ", Крим"]
    named = st.builds(lambda n, o: n + o, st.sampled_from(names), st.sampled_from(oblasts))
    unknown = st.sampled_from(["с. Вишневе", "Vyshneve", "Вишневе, Луганська обл.", "", "Бахмач"])
    return st.one_of(named, unknown, st.text(PLACE_ALPHABET, max_size=15))


@settings(max_examples=500)
@given(_place_values(), _place_values())
def test_comparing_places_does_not_depend_on_the_order(a: str, b: str) -> None:
    assert compare_places(a, b) == compare_places(b, a)


@settings(max_examples=500)
@given(_place_values(), _place_values())
def test_places_compared_as_the_same_share_a_blocking_key(a: str, b: str) -> None:
    level = compare_places(a, b).level
    if level in ("same_place", "possibly_same_place", "same_name_unresolved"):
        assert place_keys(a) & place_keys(b)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    year = draw(st.integers(1900, 2100))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(year)
    month = draw(st.integers(1, 12))
    if precision == "month":
        return PartialDate(year, month)
    last = (date(year + (month == 12), month % 12 + 1, 1) - date(year, month, 1)).days
    return PartialDate(year, month, draw(st.integers(1, last)))


@given(partial_dates())
def test_a_partial_date_reads_back_from_its_text(value: PartialDate) -> None:
    assert parse_date(str(value)) == value


@given(partial_dates())
def test_a_full_date_reads_back_from_day_first_text(value: PartialDate) -> None:
    if value.day is not None and value.month is not None:
        assert parse_date(f"{value.day}.{value.month}.{value.year}") == value
        assert parse_date(f"{value.day:02d}/{value.month:02d}/{value.year}") == value


@given(partial_dates(), partial_dates())
def test_comparing_dates_does_not_depend_on_the_order(a: PartialDate, b: PartialDate) -> None:
    assert compare_dates(a, b) == compare_dates(b, a)


@given(partial_dates(), partial_dates())
def test_dates_that_agree_share_a_blocking_key(a: PartialDate, b: PartialDate) -> None:
    level = compare_dates(a, b).level
    if level in ("different", "unknown"):
        return
    if a.year != b.year and a.precision != "day":
        return  # documented: a mistyped year of a year- or month-only date shares no key
    assert date_keys(a) & date_keys(b)
