"""Names, places, dates and headers as files and forms carry them: mixed
scripts, combining and direction marks, zero-width characters, any code point.
The names layer reads all of it without an exception; a date or a field that
cannot be read says so with an ``Invalid`` naming the value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from homeward.errors import HomewardError, Invalid
from homeward.io.headers import field_for_header, map_headers, normalise_header, read_mapping_file
from homeward.names.dates import PartialDate, compare_dates, date_keys, parse_date
from homeward.names.fullname import compare_full_names, explain_full_names, full_name_keys
from homeward.names.normalize import normalize_name, repair_look_alikes
from homeward.names.parse import name_parts, parse_full_name
from homeward.names.places import compare_places, normalize_place, place_keys, resolve_place
from homeward.names.translit import SYSTEMS, skeleton, to_latin, transliterate, transliterations
from homeward.services.imports import check_row
from homeward.services.records import parse_partial_date
from tests.fuzz.conftest import BUDGET, outcome, within
from tests.fuzz.inputs import DATES, NAMES, any_value, nasty_char, nasty_text

PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]
FUZZ = settings(max_examples=300, deadline=None, phases=PHASES)

LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэёъABCEHIKMOPTXYaceiopxyklmnzşçğ"
MARKS = "\u0301\u0300\u0308\u0336\u200b\u200c\u200d\u200e\u200f\u202e\ufeff\u00ad'’ʼ-–. "


@st.composite
def name_like(draw: st.DrawFn) -> str:
    """Words of Cyrillic and Latin letters run together, with combining,
    direction and zero-width marks and punctuation between and inside them, or
    a real name so marked, or any text at all."""
    kind = draw(st.sampled_from(["words", "marked", "any"]))
    if kind == "any":
        return draw(nasty_text(60))
    if kind == "marked":
        name = draw(st.sampled_from(NAMES))
        at = draw(st.integers(0, len(name)))
        return name[:at] + draw(st.text(st.sampled_from(MARKS), min_size=1, max_size=3)) + name[at:]
    alphabet = st.one_of(st.sampled_from(LETTERS), st.sampled_from(MARKS), nasty_char)
    words = draw(st.lists(st.text(alphabet, min_size=1, max_size=14), min_size=1, max_size=5))
    return " ".join(w.upper() if draw(st.booleans()) else w for w in words)


def _quietly(call: Any, what: str) -> Any:
    """The names layer's functions raise nothing, Homeward's errors included."""
    with within(BUDGET, what):
        return call()


@FUZZ
@given(a=name_like(), b=name_like())
def test_names_are_normalised_parsed_and_compared_whatever_they_hold(a: str, b: str) -> None:
    normal = _quietly(lambda: normalize_name(a), "normalising a name")
    assert normalize_name(normal.text).text == normal.text, "normalising twice changes it"
    _quietly(lambda: repair_look_alikes(a), "repairing look-alike letters")
    parsed = _quietly(lambda: parse_full_name(a), "parsing a name")
    assert parsed.order in ("given_first", "family_first", "single")
    _quietly(lambda: name_parts(a), "splitting a name")
    forward = _quietly(lambda: compare_full_names(a, b), "comparing names")
    assert forward == compare_full_names(b, a), "the comparison depends on the order"
    _quietly(lambda: explain_full_names(a, b), "explaining a comparison")
    _quietly(lambda: full_name_keys(a), "keying a name")


@FUZZ
@given(text=name_like())
def test_names_are_transliterated_and_skeletonised_whatever_they_hold(text: str) -> None:
    for system in SYSTEMS:
        _quietly(lambda s=system: transliterate(text, s), f"transliterating ({system})")
    _quietly(lambda: transliterations(text), "every transliteration")
    _quietly(lambda: to_latin(text), "writing in Latin")
    for word in text.split() or [text]:
        _quietly(lambda w=word: skeleton(w), "a skeleton")


@st.composite
def place_like(draw: st.DrawFn) -> str:
    places = [
        "м. Маріуполь, Донецька обл.", "г. Мариуполь", "Bakhmut, Donetsk oblast", "Артемовск",
        "с. Вишневе", "Херсонська область", "смт", "обл.", ",,,", "()",
    ]  # fmt: skip
    base = draw(st.one_of(st.sampled_from(places), name_like()))
    at = draw(st.integers(0, len(base)))
    return base[:at] + draw(nasty_text(6)) + base[at:]


@FUZZ
@given(a=place_like(), b=place_like())
def test_places_are_resolved_and_compared_whatever_they_hold(a: str, b: str) -> None:
    once = _quietly(lambda: normalize_place(a), "normalising a place")
    assert normalize_place(once) == once
    _quietly(lambda: resolve_place(a), "resolving a place")
    forward = _quietly(lambda: compare_places(a, b), "comparing places")
    assert forward == compare_places(b, a)
    _quietly(lambda: place_keys(a), "keying a place")


@st.composite
def date_like(draw: st.DrawFn) -> Any:
    """Dates as files write them, changed a little; or any value at all."""
    if draw(st.booleans()):
        return draw(any_value())
    text = draw(st.sampled_from(DATES))
    at = draw(st.integers(0, len(text)))
    return (
        text[:at]
        + draw(st.text(st.sampled_from("0123456789.-/ ٣０г.р\u200b"), max_size=4))
        + (text[at:])
    )


@settings(FUZZ, max_examples=600)
@given(value=date_like(), other=date_like())
def test_dates_are_read_or_refused_with_the_value_named(value: Any, other: Any) -> None:
    found = outcome(lambda: parse_date(value), "reading a date")
    if isinstance(found, HomewardError):
        assert isinstance(found, Invalid) and isinstance(found, ValueError)
        assert " is not a date: " in str(found)
    else:
        assert found is None or isinstance(found, PartialDate)
        if found is not None:  # what is written is read back the same
            assert parse_date(str(found)) == found
    stored = outcome(lambda: parse_partial_date(value), "reading a record's date")
    if isinstance(stored, HomewardError):
        assert str(stored).startswith("birth_date: ")
    _quietly(lambda: compare_dates(value, other), "comparing dates")
    _quietly(lambda: date_keys(value), "keying a date")


FIELDS = (
    "given_name", "family_name", "patronymic", "full_name", "sex", "birth_date", "removal_date",
    "birth_place", "document_ids", "notes", "external_id", "mother_name",
)  # fmt: skip


@settings(FUZZ, max_examples=300)
@given(values=st.dictionaries(st.sampled_from(FIELDS), any_value(), max_size=6))
def test_a_row_of_any_values_becomes_a_record_or_its_reasons(values: dict[str, Any]) -> None:
    """What an import does with each row: never raises, and every refusal has
    a reason naming the field."""
    data, errors = _quietly(lambda: check_row(values), "checking a row")
    assert (data is None) == bool(errors)
    for error in errors:
        assert error.split(":")[0] in (*FIELDS, "name"), error


@FUZZ
@given(header=nasty_text(), headers=st.lists(st.one_of(st.none(), any_value()), max_size=8))
def test_any_header_maps_to_a_field_or_to_none(header: str, headers: list[Any]) -> None:
    _quietly(lambda: normalise_header(header), "normalising a header")
    _, reason = _quietly(lambda: field_for_header(header), "mapping a header")
    assert reason
    columns = _quietly(lambda: map_headers(headers), "mapping headers")
    taken = [c.field for c in columns if c.field]
    assert len(taken) == len(set(taken)), "two columns feed one field"


@settings(FUZZ, max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
            max_leaves=8,
        ).map(lambda v: json.dumps(v).encode()),
    )
)
def test_a_mapping_file_is_read_or_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "mapping.json"
    path.write_bytes(data)
    found = outcome(lambda: read_mapping_file(path), "reading a mapping file")
    if isinstance(found, HomewardError):
        assert str(path) in str(found)
    else:
        assert all(isinstance(k, str) for k in found)


def test_a_mapping_file_nested_too_deep_is_refused(tmp_path: Path) -> None:
    """Found by looking for what the JSON parser raises besides ValueError:
    100,000 nested brackets raised RecursionError."""
    path = tmp_path / "mapping.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    refused = outcome(lambda: read_mapping_file(path), "reading a deep mapping file")
    assert isinstance(refused, Invalid) and "nested too deep" in str(refused)


def test_a_letter_unicode_gives_no_name_is_parsed_as_any_other() -> None:
    """Found by atheris (names target): a word ending like a declined name with
    a Tangut component in it (U+180D4, a letter without a Unicode name) made the
    morphological analyser raise ValueError, in every search and match of it."""
    for name in ("\U000180d4ка", "Олександра \U000180d4ка"):
        parsed = _quietly(lambda n=name: parse_full_name(n), "parsing a Tangut letter")
        assert "\U000180d4ка" in (parsed.given, parsed.family)
    assert parse_full_name("Коваленка Олександра Сергійовича").family == "коваленко"
