"""Word forms: patronymics, feminine surnames, and the Russified spelling of a
Ukrainian surname.  Written from the spelling rules of both languages, independently
of the matcher's own tables, so that the ground truth is not circular."""

from __future__ import annotations

from functools import lru_cache

from homeward.synthetic.model import Surname

_RU_CONSONANTS = set("бвгджзклмнпрстфхцчшщ")

# Ukrainian patronymics that do not follow the regular endings.
_UK_PATRONYMIC_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "Микола": ("Миколайович", "Миколаївна"),
    "Ілля": ("Ілліч", "Іллівна"),
    "Яків": ("Якович", "Яківна"),
    "Федір": ("Федорович", "Федорівна"),
    "Григорій": ("Григорович", "Григорівна"),
    "Лев": ("Львович", "Львівна"),
    "Лука": ("Лукич", "Лукинічна"),
    "Кузьма": ("Кузьмич", "Кузьмівна"),
    "Хома": ("Хомич", "Хомівна"),
    "Сава": ("Савович", "Савівна"),
    "Ярема": ("Яремович", "Яремівна"),
}

_RU_PATRONYMIC_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
    "Петр": ("Петрович", "Петровна"),
    "Фёдор": ("Фёдорович", "Фёдоровна"),
    "Лев": ("Львович", "Львовна"),
    "Яков": ("Яковлевич", "Яковлевна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Илья": ("Ильич", "Ильинична"),
    "Никита": ("Никитич", "Никитична"),
    "Фома": ("Фомич", "Фоминична"),
    "Кузьма": ("Кузьмич", "Кузьминична"),
    "Лука": ("Лукич", "Лукинична"),
    "Савва": ("Саввич", "Саввична"),
    "Викентий": ("Викентьевич", "Викентьевна"),
}


@lru_cache(maxsize=65_536)
def uk_patronymic(father_given_name: str, sex: str) -> str:
    """The Ukrainian patronymic from the father's given name:
    Сергій → Сергійович / Сергіївна, Микола → Миколайович / Миколаївна,
    Ілля → Ілліч / Іллівна, Яків → Якович / Яківна, Василь → Васильович / Василівна."""
    male = sex != "f"
    if father_given_name in _UK_PATRONYMIC_EXCEPTIONS:
        return _UK_PATRONYMIC_EXCEPTIONS[father_given_name][0 if male else 1]
    name = father_given_name
    if name.endswith("ій"):
        return name + "ович" if male else name[:-1] + "ївна"
    if name.endswith("й"):
        return name + "ович" if male else name[:-1] + "ївна"
    if name.endswith("ь"):
        return name + "ович" if male else name[:-1] + "івна"
    if name[-1] in "оа":
        stem = name[:-1]
        return stem + "ович" if male else stem + "івна"
    return name + "ович" if male else name + "івна"


@lru_cache(maxsize=65_536)
def ru_patronymic(father_russian_name: str, sex: str) -> str:
    """The Russian patronymic from the father's Russian given name:
    Сергей → Сергеевич / Сергеевна, Дмитрий → Дмитриевич, Юрий → Юрьевич,
    Николай → Николаевна, Игорь → Игоревич, Илья → Ильич."""
    male = sex != "f"
    if father_russian_name in _RU_PATRONYMIC_EXCEPTIONS:
        return _RU_PATRONYMIC_EXCEPTIONS[father_russian_name][0 if male else 1]
    name = father_russian_name
    ending = "ич" if male else "на"
    if name.endswith(("ей", "ай")):
        return name[:-1] + "ев" + ending
    if name.endswith("ий"):
        stem = name[:-2]
        # Дмитрий, Георгий keep the и after two consonants; Юрий, Василий soften.
        if len(stem) >= 2 and stem[-1] in _RU_CONSONANTS and stem[-2] in _RU_CONSONANTS:
            return stem + "иев" + ending
        return stem + "ьев" + ending
    if name.endswith("ь"):
        return name[:-1] + "ев" + ending
    if name[-1] in "ая":
        return name[:-1] + "ич" if male else name[:-1] + "ична"
    if name[-1] in "жшчщц":
        return name + "ев" + ending
    return name + "ов" + ending


@lru_cache(maxsize=65_536)
def uk_feminine_surname(masculine: str) -> str:
    """The feminine form of a Ukrainian surname: Петровський → Петровська,
    Білий → Біла, Ковальов → Ковальова, Волошин → Волошина, Шевченко unchanged."""
    if masculine.endswith(("ський", "цький", "зький")):
        return masculine[:-2] + "а"
    if masculine.endswith("ий"):
        return masculine[:-2] + "а"
    if masculine.endswith(("ов", "ев", "єв", "ьов", "йов", "ин", "ін", "їн")):
        return masculine + "а"
    return masculine


def uk_surname(masculine: str) -> Surname:
    return Surname(masculine, uk_feminine_surname(masculine))


@lru_cache(maxsize=65_536)
def ru_feminine_surname(masculine: str) -> str:
    """The feminine form of a Russian surname: Петровский → Петровская,
    Белый → Белая, Ковалёв → Ковалёва, Иванов → Иванова, Шевченко unchanged."""
    if masculine.endswith(("ский", "цкий", "ой", "ый")):
        return masculine[:-2] + "ая"
    if masculine.endswith("ий"):
        return masculine[:-2] + ("ая" if masculine[-3] in "гкхжшчщ" else "яя")
    if masculine.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return masculine + "а"
    return masculine


def ru_surname(masculine: str) -> Surname:
    return Surname(masculine, ru_feminine_surname(masculine))


# Whole surnames whose Russian counterpart differs in the root, not only the spelling.
_RU_SURNAME_ROOTS: dict[str, str] = {
    "Білий": "Белый",
    "Чорний": "Черный",
    "Сірий": "Серый",
    "Вовк": "Волк",
    "Заєць": "Заяц",
    "Білик": "Белик",
    "Кузнєцов": "Кузнецов",
}


@lru_cache(maxsize=65_536)
def russify_surname(masculine: str, apostrophe: str = "ь") -> str:
    """How the other side spells a Ukrainian surname (masculine form):
    -ський → -ский, -ий → -ый, -ець → -ец, -ьов → -ёв, і/ї → и, є → е, ґ → г,
    the apostrophe → ``apostrophe`` (ь, ъ or nothing), и → ы after ц and in
    Ри-/Би-/Кри- at the start.  Ковальов → Ковалёв, Дем'яненко → Демьяненко."""
    if masculine in _RU_SURNAME_ROOTS:
        return _RU_SURNAME_ROOTS[masculine]
    word = masculine
    if word.endswith(("ський", "цький", "зький")):
        word = word[:-4] + "кий"
    elif word.endswith("ий"):
        word = word[:-2] + ("ий" if word[-3] in "гкхжшчщ" else "ый")
    elif word.endswith("ій"):
        word = word[:-2] + "ий"
    elif word.endswith("ець"):
        word = word[:-3] + "ец"
    word = word.replace("йов", "ьёв").replace("ьо", "ё")
    # Ukrainian и sounds like Russian ы; a Russian clerk writes ы in a few places.
    word = word.replace("ци", "цы").replace("Ци", "Цы")
    for start in ("Ри", "Би", "Кри"):
        if word.startswith(start):
            word = start[:-1] + "ы" + word[len(start) :]
    table = str.maketrans(
        {
            "і": "и",
            "І": "И",
            "ї": "и",
            "Ї": "И",
            "є": "е",
            "Є": "Е",
            "ґ": "г",
            "Ґ": "Г",
            "'": apostrophe,
            "ʼ": apostrophe,
            "’": apostrophe,
        }
    )
    return word.translate(table)


def russify(surname: Surname, apostrophe: str = "ь") -> Surname:
    """A Ukrainian surname as the other side writes it, both genders."""
    return ru_surname(russify_surname(surname.masculine, apostrophe))
