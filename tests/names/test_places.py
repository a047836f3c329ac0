"""Places: the gazetteer covers what users report, and free text resolves to it."""

from __future__ import annotations

import pytest
from translitua import UkrainianKMU, translit

from homeward.names.comparison import Comparison
from homeward.names.places import (
    LEVELS,
    compare_places,
    gazetteer_entries,
    get_entry,
    normalize_place,
    place_keys,
    place_skeleton,
    resolve_place,
)


def _words(text: str, separator: str | None = None) -> list[str]:
    return [word.strip() for word in text.split(separator)]


CITIES_AT_LEAST = {
    "UA-14": 52,  # Donetsk oblast
    "UA-09": 37,  # Luhansk oblast
    "UA-63": 17,  # Kharkiv oblast
    "UA-23": 14,  # Zaporizhzhia oblast
    "UA-65": 9,  # Kherson oblast
    "UA-48": 9,  # Mykolaiv oblast
    "UA-43": 16,  # Autonomous Republic of Crimea
    "UA-40": 2,  # Sevastopol and Inkerman
}
KNOWN_CITIES = {
    "UA-14": """Донецьк Маріуполь Бахмут Торецьк Покровськ Мирноград Горлівка Краматорськ
        Слов'янськ Костянтинівка Дружківка Лиман Вугледар Курахове Селидове Новогродівка
        Українськ Гірник Соледар Сіверськ Святогірськ Миколаївка Білозерське Добропілля
        Родинське Білицьке Докучаєвськ Вуглегірськ Світлодарськ Залізне Ясинувата Авдіївка
        Макіївка Харцизьк Іловайськ Зугрес Моспине Сніжне Чистякове Хрестівка Жданівка
        Дебальцеве Шахтарськ Новоазовськ Амвросіївка Волноваха Кальміуське Бунге Єнакієве
        Мар'їнка Красногорівка""",
    "UA-09": """Луганськ Алчевськ Кадіївка Хрустальний Довжанськ Сорокине Голубівка Сватове
        Сіверськодонецьк Лисичанськ Рубіжне Кремінна Старобільськ Щастя Попасна Кипуче
        Брянка Антрацит Ровеньки Перевальськ Лутугине Сокологірськ Отаманівка""",
    "UA-63": "Харків Ізюм Куп'янськ Балаклія Чугуїв Вовчанськ Лозова Берестин Златопіль",
    "UA-23": """Запоріжжя Мелітополь Бердянськ Енергодар Токмак Пологи Оріхів Гуляйполе
        Василівка Приморськ Молочанськ Дніпрорудне Кам'янка-Дніпровська Вільнянськ""",
    "UA-65": "Херсон Олешки Нова Каховка Каховка Генічеськ Скадовськ Гола Пристань Берислав",
    "UA-48": "Миколаїв Первомайськ Вознесенськ Очаків Снігурівка Південноукраїнськ",
    "UA-43": "Сімферополь Ялта Керч Феодосія Євпаторія Джанкой Алушта Бахчисарай Судак",
}
OBLAST_CENTRES = _words(
    """Вінниця Луцьк Дніпро Донецьк Житомир Ужгород Запоріжжя Івано-Франківськ Київ
    Кропивницький Луганськ Львів Миколаїв Одеса Полтава Рівне Суми Тернопіль Харків Херсон
    Хмельницький Черкаси Чернівці Чернігів Сімферополь Севастополь"""
)
# (text naming the place by an earlier or occupation-era name, the current Ukrainian name)
RENAMES = [
    ("Артемівськ, Донецька обл.", "Бахмут"),
    ("Артемовск, Донецкая обл.", "Бахмут"),
    ("Дзержинськ", "Торецьк"),
    ("Дзержинск", "Торецьк"),
    ("Красноармійськ", "Покровськ"),
    ("Красноармейск", "Покровськ"),
    ("Димитров", "Мирноград"),
    ("Цюрупинськ", "Олешки"),
    ("Алешки", "Олешки"),
    ("Кіровоград", "Кропивницький"),
    ("Дніпропетровськ", "Дніпро"),
    ("Красний Луч", "Хрустальний"),
    ("Свердловськ, Луганська обл.", "Довжанськ"),
    ("Краснодон", "Сорокине"),
    ("Стаханов", "Кадіївка"),
    ("Комунарськ", "Алчевськ"),
    ("Кіровськ", "Голубівка"),
    ("Красний Лиман", "Лиман"),
    ("Комсомольське", "Кальміуське"),
    ("Першотравневе", "Мангуш"),
    ("Володарське", "Нікольське"),
    ("Торез", "Чистякове"),
    ("Кіровське, Донецька обл.", "Хрестівка"),
    ("Артемове", "Залізне"),
    ("Юнокомунарівськ", "Бунге"),
    ("Тельманове", "Бойківське"),
    ("Жданов", "Маріуполь"),
    ("Ворошиловград", "Луганськ"),
    ("Сєвєродонецьк", "Сіверськодонецьк"),
    ("Первомайськ, Луганська обл.", "Сокологірськ"),
    ("Молодогвардійськ", "Отаманівка"),
    ("Красноград", "Берестин"),
    ("Первомайський", "Златопіль"),
    ("Южноукраїнськ", "Південноукраїнськ"),
    ("Красноперекопськ", "Яни Капу"),
    ("Куйбишеве", "Більмак"),
    ("Новгородське", "Нью-Йорк"),
]
RUSSIAN_REGIONS = _words(
    """Московская обл.|Москва|Ростовская обл.|Краснодарский край|Курская обл.|
    Белгородская обл.|Воронежская обл.|Нижегородская обл.|Калужская обл.|Тульская обл.|
    Ленинградская обл.|Санкт-Петербург|Пензенская обл.|Свердловская обл.|Тюменская обл.|
    Омская обл.|Новосибирская обл.|Башкортостан|Татарстан|Чечня|Дагестан|
    Кабардино-Балкария|Приморский край|Магаданская обл.|Мурманская обл.|Кировская обл.|
    Ярославская обл.|Владимирская обл.|Костромская обл.|Брянская обл.|Орловская обл.|
    Смоленская обл.|Тамбовская обл.|Липецкая обл.|Рязанская обл.|Саратовская обл.|
    Самарская обл.|Волгоградская обл.|Астраханская обл.|Ставропольский край|Чувашия|
    Мордовия""",
    "|",
)
BELARUS_REGIONS = ["Брестская обл.", "Гомельская обл.", "Гродненская обл.", "Могилёвская обл.",
                   "Минская обл.", "Витебская обл."]  # fmt: skip


def _cities(region: str) -> set[str]:
    return {e.uk for e in gazetteer_entries() if e.region == region and e.kind == "city"}


@pytest.mark.parametrize(("region", "minimum"), sorted(CITIES_AT_LEAST.items()))
def test_every_city_of_the_affected_oblasts_is_in_the_gazetteer(region: str, minimum: int) -> None:
    assert len(_cities(region)) >= minimum


@pytest.mark.parametrize("region", sorted(KNOWN_CITIES))
def test_known_cities_are_in_the_gazetteer(region: str) -> None:
    expected = set(KNOWN_CITIES[region].replace("Нова Каховка", "Нова_Каховка").split())
    expected = {name.replace("_", " ") for name in expected}
    expected |= {"Гола Пристань"} if region == "UA-65" else set()
    expected.discard("Гола")
    expected.discard("Пристань")
    assert expected - _cities(region) == set()


def test_every_oblast_centre_is_a_city_named_by_its_region() -> None:
    entries = gazetteer_entries()
    regions = [e for e in entries if e.is_region and e.country == "UA"]
    assert len(regions) == 27  # 24 oblasts, Crimea, Kyiv and Sevastopol
    centres = {get_entry(e.centre).uk for e in regions}
    assert set(OBLAST_CENTRES) <= centres
    assert all(get_entry(e.centre).kind == "city" for e in regions)


def test_ukrainian_entries_carry_the_national_transliteration() -> None:
    for entry in gazetteer_entries():
        if entry.country == "UA" and not entry.is_region:
            assert entry.latin == translit(entry.uk, UkrainianKMU).replace("'", ""), entry.id


def test_every_ukrainian_settlement_has_a_russian_form() -> None:
    missing = [
        e.id
        for e in gazetteer_entries()
        if e.country == "UA" and not e.is_region and not (e.ru or e.former_ru)
    ]
    assert missing == []


@pytest.mark.parametrize(("former", "current"), RENAMES)
def test_former_and_occupation_era_names_resolve_to_the_current_place(
    former: str, current: str
) -> None:
    match = resolve_place(former).match
    assert match is not None, resolve_place(former).note
    assert match.name == current
    assert match.matched.startswith("former name") or match.matched == "Russian name"


@pytest.mark.parametrize("text", RUSSIAN_REGIONS)
def test_russian_regions_children_are_taken_to_resolve(text: str) -> None:
    match = resolve_place(text.strip()).match
    assert match is not None and match.region.startswith("RU-")


@pytest.mark.parametrize("text", BELARUS_REGIONS)
def test_belarus_regions_resolve(text: str) -> None:
    match = resolve_place(text).match
    assert match is not None and match.entry_id.startswith("BY-") and match.kind == "oblast"


def test_regions_of_russia_have_ukrainian_russian_and_latin_names() -> None:
    for entry in gazetteer_entries():
        if entry.country == "RU" and entry.is_region:
            assert entry.uk and entry.ru and entry.latin, entry.id
            for name in (entry.uk, entry.ru[0], entry.latin):
                match = resolve_place(name).match
                assert match is not None, name
                # "місто Москва" names the city, whose region is the federal city.
                assert match.region == entry.id, name


@pytest.mark.parametrize(
    ("text", "entry_id", "matched"),
    [
        ("м. Маріуполь, Донецька обл.", "UA-14:mariupol", "Ukrainian name"),
        ("г. Мариуполь", "UA-14:mariupol", "Russian name"),
        ("Mariupol, Donetsk oblast", "UA-14:mariupol", "Latin spelling"),
        ("с. Нікольське", "UA-14:nikolske", "Ukrainian name"),
        ("смт Мангуш", "UA-14:manhush", "Ukrainian name"),
        ("Бахмут Донецької області", "UA-14:bakhmut", "Ukrainian name"),
        ("Donetsk region, Bakhmut", "UA-14:bakhmut", "Latin spelling"),
        ("Таганрог Ростовской области", "RU-ROS:taganrog", "Ukrainian name"),
        ("ул. Ленина 5, г. Мариуполь, Донецкая обл., 87500", "UA-14:mariupol", "Russian name"),
        ("Бахмутський р-н, м. Соледар", "UA-14:soledar", "Ukrainian name"),
        ("г. Донецк, ДНР", "UA-14:donetsk", "Russian name"),
        ("Маріуполь Донецька", "UA-14:mariupol", "Ukrainian name"),
        ("Станиця Луганська", "UA-09:stanytsia-luhanska", "Ukrainian name"),
        ("Нова Каховка", "UA-65:nova-kakhovka", "Ukrainian name"),
        ("Kyiv city", "UA-30:kyiv", "Latin spelling"),
        ("Ростовская обл.", "RU-ROS", "other name of the region"),
        ("Донецька область", "UA-14", "other name of the region"),
        ("Republic of Tatarstan", "RU-TA", "other name of the region"),
    ],
)
def test_free_text_resolves_to_the_entry_with_how_it_matched(
    text: str, entry_id: str, matched: str
) -> None:
    resolution = resolve_place(text)
    assert resolution.status == "resolved"
    assert resolution.entry_id == entry_id
    assert resolution.match is not None and resolution.match.matched == matched


def test_resolved_match_names_the_place_its_oblast_and_kind() -> None:
    match = resolve_place("Артемовск, Донецкая обл.").match
    assert match is not None
    assert (match.entry_id, match.name, match.latin) == ("UA-14:bakhmut", "Бахмут", "Bakhmut")
    assert (match.region, match.region_name, match.kind) == ("UA-14", "Донецька область", "city")
    assert (match.matched, match.form) == ("former name, in Russian", "Артёмовск")


def test_a_name_shared_by_several_places_is_reported_as_ambiguous() -> None:
    resolution = resolve_place("Олександрівка")
    assert resolution.status == "ambiguous" and resolution.match is None
    assert len(resolution.candidates) >= 3
    assert {m.name for m in resolution.candidates} == {"Олександрівка"}
    assert "Олександрівка (Миколаївська область)" in resolution.note


def test_the_oblast_in_the_text_chooses_between_places_of_one_name() -> None:
    assert resolve_place("Олександрівка, Миколаївська обл.").entry_id == "UA-48:oleksandrivka"
    assert resolve_place("Александровка Херсонской области").entry_id == "UA-65:oleksandrivka"
    assert resolve_place("Артемовск, Луганская обл.").entry_id == "UA-09:kypuche"
    assert resolve_place("Костянтинівка Донецької області").entry_id == "UA-14:kostiantynivka"


def test_a_soviet_name_two_towns_bore_is_ambiguous_without_an_oblast() -> None:
    resolution = resolve_place("Артемовск")
    assert resolution.status == "ambiguous"
    assert resolution.entry_ids == {"UA-14:bakhmut", "UA-09:kypuche"}


def test_a_kind_word_chooses_between_a_town_and_a_settlement() -> None:
    assert resolve_place("Ялта").status == "ambiguous"
    assert resolve_place("м. Ялта").entry_id == "UA-43:yalta"
    assert resolve_place("смт Ялта").entry_id == "UA-14:yalta"


def test_a_place_not_in_the_stated_oblast_stays_unresolved_and_says_why() -> None:
    resolution = resolve_place("Бахмут, Луганська обл.")
    assert resolution.status == "unresolved"
    assert resolution.region == "UA-09"
    assert "Донецька область" in resolution.note


def test_unknown_places_keep_their_normalised_name_and_oblast() -> None:
    resolution = resolve_place("с. Вишневе, Бахмутська міська громада, Донецька обл.")
    assert (resolution.status, resolution.name, resolution.region) == (
        "unresolved",
        "вишневе",
        "UA-14",
    )


@pytest.mark.parametrize(
    ("typo", "name"),
    [("Маріупль", "Маріуполь"), ("Mariupl", "Маріуполь"), ("Токмаг", "Токмак"),
     ("Краматоськ", "Краматорськ"), ("Kramatorsks", "Краматорськ")],
)  # fmt: skip
def test_one_wrong_letter_is_tolerated_in_names_of_six_letters_or_more(
    typo: str, name: str
) -> None:
    match = resolve_place(typo).match
    assert match is not None and match.name == name and match.matched == "one letter differs"


@pytest.mark.parametrize(
    ("variant", "name"),
    [("Mariupool", "Маріуполь"), ("Запорыжжя", "Запоріжжя"), ("Сакі", "Саки")],
)
def test_spellings_mixing_ukrainian_and_russian_letters_resolve(variant: str, name: str) -> None:
    match = resolve_place(variant).match
    assert match is not None and match.name == name and match.matched == "spelling variant"


@pytest.mark.parametrize("typo", ["Ізюн", "Керк", "Судаг"])
def test_short_names_must_be_spelt_right(typo: str) -> None:
    assert resolve_place(typo).status == "unresolved"


@pytest.mark.parametrize(
    "text",
    ["Мaріуполь", "МAРІУПОЛЬ", "Mаріуполь", "маріуполь"],  # Latin a, A, M
)
def test_latin_look_alike_letters_in_cyrillic_are_read_as_cyrillic(text: str) -> None:
    assert resolve_place(text).entry_id == "UA-14:mariupol"


@pytest.mark.parametrize("text", ["Слов'янськ", "Слов’янськ", "Словʼянськ", "Словянськ"])
def test_apostrophe_variants_are_one_name(text: str) -> None:
    assert resolve_place(text).entry_id == "UA-14:sloviansk"


@pytest.mark.parametrize("text", [None, "", "   ", ",", "Україна"])
def test_empty_values_are_missing(text: str | None) -> None:
    assert resolve_place(text).status == "missing"
    assert place_keys(text) == frozenset()


def test_normalize_place_folds_case_punctuation_and_look_alikes() -> None:
    assert normalize_place(" М.  Кам’янка-Дніпровська ") == "м камянка дніпровська"
    assert normalize_place("Щёлкино") == "щелкино"
    assert normalize_place("Xepcoн") == "херсон"


def test_skeleton_meets_across_scripts() -> None:
    assert place_skeleton("Луганськ") == place_skeleton("Lugansk") == place_skeleton("Luhansk")
    assert place_skeleton("Маріуполь") != place_skeleton("Мелітополь")


def test_levels_are_ordered_strongest_first() -> None:
    assert LEVELS[0] == "same_place" and LEVELS[-1] == "missing"


@pytest.mark.parametrize(
    ("a", "b", "level", "reason"),
    [
        ("Бахмут", "Бахмут", "same_place", "same town (Бахмут)"),
        ("Бахмут", "Артемівськ, Донецька обл.", "same_place", "same town (Бахмут), former name"),
        ("Олешки", "Алешки", "same_place", "same town (Олешки), Russian name"),
        ("Олешки", "Oleshky", "same_place", "same town (Олешки), Latin spelling"),
        ("смт Мангуш", "Мангуш", "same_place", "same settlement (Мангуш)"),
        ("Ростовская обл.", "Rostov Oblast", "same_place", "same region (Ростовська область)"),
        ("Артемовск", "Бахмут", "possibly_same_place", "may be the same place: Бахмут (UA-14)"),
        ("с. Вишневе", "Vyshneve", "same_name_unresolved",
         "same name, other spelling, not in the gazetteer"),
        ("с. Вишневе", "село Вишневе", "same_name_unresolved", "same name, not in the gazetteer"),
        ("Маріуполь", "Донецька обл., м. Бахмут", "same_oblast",
         "different places in Донецька область"),
        ("с. Вишневе, Донецька обл.", "Маріуполь", "same_oblast",
         "different places in Донецька область"),
        ("Маріуполь", "Мелітополь", "different", "different regions"),
        ("Бахмут", "Бахмач", "different", "different places"),
        ("Бахмут", None, "missing", "no place on one side"),
        ("", "Бахмут", "missing", "no place on one side"),
    ],
)  # fmt: skip
def test_compare_places_levels(a: str | None, b: str | None, level: str, reason: str) -> None:
    assert compare_places(a, b) == Comparison(level, reason)
    assert compare_places(b, a) == Comparison(level, reason)
    assert level in LEVELS


def test_same_name_in_different_oblasts_is_different_even_outside_the_gazetteer() -> None:
    result = compare_places("с. Вишневе, Донецька обл.", "с. Вишневе, Луганська обл.")
    assert result.level == "different"


def test_place_keys() -> None:
    assert place_keys("м. Бахмут") == frozenset({"place:UA-14:bakhmut"})
    assert place_keys("Artemovsk") == frozenset({"place:UA-14:bakhmut", "place:UA-09:kypuche"})
    assert place_keys("с. Вишневе") == place_keys("Vyshneve") == frozenset({"name:visneve"})
    assert place_keys("Артемовск") & place_keys("Bakhmut")
    assert not place_keys("Маріуполь") & place_keys("Мелітополь")


def test_every_name_in_the_gazetteer_keys_to_its_entry() -> None:
    missed = []
    for entry in gazetteer_entries():
        if entry.kind in ("federal_city", "city_region"):
            continue  # their names are the city's: "місто Київ" is Kyiv
        names = (entry.uk, entry.latin, *entry.ru, *entry.en, *entry.former_uk, *entry.former_ru,
                 *entry.former_latin, *entry.aliases)  # fmt: skip
        missed += [f"{entry.id}: {n}" for n in names if "place:" + entry.id not in place_keys(n)]
    assert missed == []


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [("misto Kyiv", "UA-30:kyiv"), ("St. Petersburg", "RU-SPE:saint-petersburg"),
     ("Mariupol Donetsk", "UA-14:mariupol"), ("вул. Шевченка 3, Мелітополь", "UA-23:melitopol")],
)  # fmt: skip
def test_kind_words_streets_and_closing_regions_are_told_apart(text: str, entry_id: str) -> None:
    assert resolve_place(text).entry_id == entry_id
