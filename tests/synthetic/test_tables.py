"""The data tables are complete enough to draw realistic children from."""

from __future__ import annotations

from collections import Counter

from homeward.synthetic.tables import OBLASTS, facilities, given_names, towns


def test_given_name_table_has_at_least_150_names_with_russian_forms_and_diminutives() -> None:
    names = given_names()
    assert len(names) >= 150
    assert len({n.uk for n in names}) == len(names)
    for name in names:
        assert name.sex in ("m", "f")
        assert name.ru and all(name.ru)
        assert 1 <= len(name.diminutives) <= 3
        assert name.weight_child > 0 and name.weight_parent > 0


def test_given_name_table_knows_the_usual_russifications() -> None:
    index = {n.uk: n.ru for n in given_names()}
    assert index["Олександр"][0] == "Александр"
    assert index["Ганна"][0] == "Анна"
    assert index["Микита"][0] == "Никита"
    assert index["Катерина"][0] == "Екатерина"
    assert index["Тарас"][0] == "Тарас"
    assert set(index["Петро"]) == {"Пётр", "Петр"}


def test_towns_cover_the_affected_oblasts_with_renamed_towns() -> None:
    all_towns = towns()
    assert len(all_towns) >= 80
    assert set(Counter(t.oblast for t in all_towns)) == set(OBLASTS)
    by_name = {t.uk: t for t in all_towns}
    assert by_name["Бахмут"].former_ru == "Артёмовск"
    assert by_name["Олешки"].ru == "Алешки"
    assert by_name["Маріуполь"].ru == "Мариуполь"
    assert all(t.latin.isascii() for t in all_towns)


def test_facilities_have_every_kind_and_country_and_three_spellings() -> None:
    places = facilities()
    assert {f.kind for f in places} == {"camp", "institution", "family_placement_region"}
    assert {f.country for f in places} == {"RU", "BY", "UA"}
    for facility in places:
        assert facility.name_uk and facility.name_ru and facility.name_latin.isascii()
