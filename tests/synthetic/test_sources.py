"""Each source looks as specified, and its variations occur at the configured rates."""

from __future__ import annotations

import re

import pytest

from homeward.synthetic import Record, SyntheticConfig, SyntheticDataset, generate
from homeward.synthetic.forms import ru_patronymic, russify
from homeward.synthetic.tables import given_name_index
from homeward.synthetic.variants import format_date, has_latin_letter

DATE_FORMATS = {
    "ua_report": r"\d{2}\.\d{2}\.\d{4}|\d{4}",
    "ru_record": r"\d{4}-\d{2}-\d{2}",
    "latin_record": r"\d{2}/\d{2}/\d{4}|\d{4}",
    "counterpart_list": r"\d{2}\.\d{2}\.\d{4}|\d{4}",
    "russian_only": r"\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}|\d{4}",
}
NAME_FIELDS = ("given_name", "family_name", "patronymic", "full_name")


def _no_yo(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е")


def _apostrophe(text: str) -> str:
    return text.replace("’", "'").replace("ʼ", "'").replace("`", "'")


def _share(data: SyntheticDataset, source: str, tag: str) -> float:
    records = data.records_from(source)
    return sum(tag in data.variations[r["record_id"] or ""] for r in records) / len(records)


@pytest.mark.parametrize("source", sorted(DATE_FORMATS))
def test_birth_dates_are_in_the_source_format(dataset: SyntheticDataset, source: str) -> None:
    records = dataset.records_from(source)
    assert records
    for record in records:
        assert re.fullmatch(DATE_FORMATS[source], record["birth_date"] or ""), record


def test_ukrainian_reports_carry_the_true_date_unless_year_only(dataset: SyntheticDataset) -> None:
    for record in dataset.records_from("ua_report"):
        child = dataset.child(record["child_key"] or "")
        partial = "partial_date" in dataset.variations[record["record_id"] or ""]
        style = "year" if partial else "dotted"
        assert record["birth_date"] == format_date(child.birth_date, style)


def test_russian_records_carry_the_altered_date_when_tagged(dataset: SyntheticDataset) -> None:
    altered = 0
    for record in dataset.records_from("ru_record"):
        child = dataset.child(record["child_key"] or "")
        if "altered_birth_date" in dataset.variations[record["record_id"] or ""]:
            altered += 1
            assert child.ru_birth_date is not None and child.ru_birth_date != child.birth_date
            assert record["birth_date"] == child.ru_birth_date.isoformat()
        else:
            assert record["birth_date"] == child.birth_date.isoformat()
    assert altered


@pytest.mark.parametrize(
    ("source", "tag", "rate_field"),
    [
        ("ua_report", "typo", "typo_rate"),
        ("ua_report", "lookalike", "lookalike_rate"),
        ("ua_report", "diminutive", "diminutive_rate"),
        ("ua_report", "full_name_only", "full_name_only_rate"),
        ("ua_report", "partial_date", "partial_date_rate"),
        ("ru_record", "adopted_surname", "adopted_surname_rate"),
        ("ru_record", "altered_birth_date", "altered_birthdate_rate"),
    ],
)
def test_variation_rates_match_the_config(
    dataset: SyntheticDataset, source: str, tag: str, rate_field: str
) -> None:
    expected = getattr(dataset.config, rate_field)
    assert abs(_share(dataset, source, tag) - expected) < 0.035


def test_rates_follow_a_changed_config() -> None:
    config = SyntheticConfig(
        typo_rate=0.5, diminutive_rate=0.0, lookalike_rate=0.0, adopted_surname_rate=0.4
    )
    data = generate(2000, seed=3, config=config)
    assert abs(_share(data, "ua_report", "typo") - 0.5) < 0.04
    assert abs(_share(data, "ru_record", "adopted_surname") - 0.4) < 0.05
    assert _share(data, "ua_report", "diminutive") == 0
    for record in data.records_from("ua_report"):
        assert not any(has_latin_letter(record[f] or "") for f in NAME_FIELDS)


def test_missing_fields_follow_the_config(dataset: SyntheticDataset) -> None:
    records = dataset.records_from("ua_report")
    missing_sex = sum(r["sex"] is None for r in records) / len(records)
    assert abs(missing_sex - dataset.config.missing_field_rate) < 0.03
    none = generate(500, seed=4, config=SyntheticConfig(missing_field_rate=0.0))
    assert all(r["sex"] for r in none.records_from("ua_report"))


def test_ukrainian_report_names(dataset: SyntheticDataset) -> None:
    for record in dataset.records_from("ua_report"):
        tags = dataset.variations[record["record_id"] or ""]
        child = dataset.child(record["child_key"] or "")
        names = [record[f] or "" for f in NAME_FIELDS]
        assert has_latin_letter(" ".join(names)) == ("lookalike" in tags)
        if "full_name_only" in tags:
            assert record["full_name"] and not record["given_name"] and not record["family_name"]
            continue
        assert record["given_name"] and record["family_name"] and not record["full_name"]
        if tags & {"typo", "lookalike"}:
            continue
        given, family = _apostrophe(record["given_name"]), _apostrophe(record["family_name"])
        if "diminutive" in tags:
            assert given in given_name_index()[child.given_name].diminutives
        else:
            assert given == child.given_name
        assert family == child.family_name


def test_russian_records_use_the_russian_forms_of_the_table(dataset: SyntheticDataset) -> None:
    checked = 0
    for record in dataset.records_from("ru_record"):
        if not record["given_name"]:
            continue
        child = dataset.child(record["child_key"] or "")
        forms = {_no_yo(f) for f in given_name_index()[child.given_name].ru}
        assert _no_yo(record["given_name"]) in forms
        if record["patronymic"]:
            father = given_name_index()[child.father_given_name].ru[0]
            assert _no_yo(record["patronymic"]) == _no_yo(ru_patronymic(father, child.sex))
        checked += 1
    assert checked > 1000


def test_adopted_surname_records_have_a_different_surname(dataset: SyntheticDataset) -> None:
    adopted = 0
    for source in ("ru_record", "counterpart_list"):
        for record in dataset.records_from(source):
            child = dataset.child(record["child_key"] or "")
            family = record["family_name"] or (record["full_name"] or "").split(" ")[0]
            russified = {
                _no_yo(russify(child.surname, a).for_sex(child.sex)) for a in ("ь", "ъ", "")
            }
            if "adopted_surname" in dataset.variations[record["record_id"] or ""]:
                adopted += 1
                assert child.adopted_surname is not None
                assert _no_yo(family) == _no_yo(child.adopted_surname.for_sex(child.sex))
                assert _no_yo(family) not in russified
                assert family != child.family_name
                assert any(e.kind in ("adoption", "guardianship") for e in child.events)
            else:
                assert _no_yo(family) in russified
    assert adopted > 50


def test_russian_records_use_russian_or_former_place_names(dataset: SyntheticDataset) -> None:
    former = 0
    for record in dataset.records_from("ru_record"):
        if not record["birth_place"]:
            continue
        town = dataset.child(record["child_key"] or "").birth_place
        place = _no_yo(record["birth_place"].removeprefix("г. "))
        if "former_place_name" in dataset.variations[record["record_id"] or ""]:
            former += 1
            assert place == _no_yo(town.former_ru or "")
        else:
            assert place == _no_yo(town.ru)
    assert former > 10


def test_latin_records_are_in_latin_script(dataset: SyntheticDataset) -> None:
    systems = set()
    for record in dataset.records_from("latin_record"):
        tags = dataset.variations[record["record_id"] or ""]
        systems |= {t for t in tags if t.startswith("translit:")}
        for field in (*NAME_FIELDS, "birth_place", "mother_name", "father_name"):
            value = record[field] or ""
            assert value.isascii(), (field, value)
        if "full_name_only" in tags:
            family, _ = (record["full_name"] or "").split(" ", 1)
            assert family == family.upper()
    assert systems == {f"translit:{s}" for s in ("kmu2010", "soviet", "icao", "bgn", "german")}


def test_a_latin_record_in_the_national_system(dataset: SyntheticDataset) -> None:
    from homeward.synthetic.translit import transliterate

    for record in dataset.records_from("latin_record"):
        tags = dataset.variations[record["record_id"] or ""]
        if tags == {"translit:kmu2010"}:
            child = dataset.child(record["child_key"] or "")
            assert record["given_name"] == transliterate(child.given_name, "kmu2010")
            assert record["family_name"] == transliterate(child.family_name, "kmu2010")
            return
    pytest.fail("no plain record in the national system")


def test_counterpart_lists_are_sparse(dataset: SyntheticDataset) -> None:
    records: list[Record] = dataset.records_from("counterpart_list")
    for record in records:
        assert not record["mother_name"] and not record["document_id"]
        if "family_name_and_year_only" in dataset.variations[record["record_id"] or ""]:
            assert record["family_name"] and not record["given_name"] and not record["full_name"]
            assert re.fullmatch(r"\d{4}", record["birth_date"] or "")
        else:
            assert len((record["full_name"] or "").split(" ")) == 3
    assert any(r["last_known_location"] for r in records)
