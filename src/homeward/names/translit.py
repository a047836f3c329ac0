"""Transliteration of Ukrainian and Russian names, and the comparison skeleton.

Real documents romanise one name under many systems: the Ukrainian national
system of 2010 (Cabinet of Ministers resolution 55), ICAO Doc 9303 in
passports, the BGN/PCGN systems in maps and older lists, Russian passports of
1997 and 2010 and, since 2014, ICAO again. :func:`transliterate` writes a
Cyrillic value under each of them; :func:`transliterations` gives every
spelling at once.

:func:`skeleton` is the other direction: a short, phonetic-ish key that the
spellings of one name share whatever the script or system, so that
``Hanna``/``Ganna``/``Ганна``, ``Yuliia``/``Iuliia``/``Yuliya``/``Юлія`` and
``Serhii``/``Sergei``/``Сергій`` meet:

>>> skeleton("Юлія") == skeleton("Yuliia") == skeleton("Iuliia") == skeleton("Yuliya")
True
>>> skeleton("Serhii") == skeleton("Sergei") == skeleton("Сергей")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

import translitua  # type: ignore[import-untyped,unused-ignore]

from homeward.names.normalize import letter_script, normalize_text

Language = Literal["uk", "ru"]

_VOWELS = set("аеєиіїоуюяыэёaeiouy")


def _table(spec: str) -> dict[str, str]:
    pairs = (item.split("=", 1) for item in spec.split())
    return {key: ("" if value == "-" else value) for key, value in pairs}


# Own tables for the systems translitua does not cover.
_UK_ICAO = _table(
    "а=a б=b в=v г=h ґ=g д=d е=e є=ie ж=zh з=z и=y і=i ї=i й=i к=k л=l м=m н=n о=o "
    "п=p р=r с=s т=t у=u ф=f х=kh ц=ts ч=ch ш=sh щ=shch ь=- ю=iu я=ia '=-"
)
_RU_2010 = _table(
    "а=a б=b в=v г=g д=d е=e ё=e ж=zh з=z и=i й=i к=k л=l м=m н=n о=o п=p р=r с=s "
    "т=t у=u ф=f х=kh ц=tc ч=ch ш=sh щ=shch ъ=- ы=y ь=- э=e ю=iu я=ia"
)
_RU_BGN = _table(
    "а=a б=b в=v г=g д=d е=e ё=ë ж=zh з=z и=i й=y к=k л=l м=m н=n о=o п=p р=r с=s "
    "т=t у=u ф=f х=kh ц=ts ч=ch ш=sh щ=shch ъ=- ы=y ь=' э=e ю=yu я=ya"
)


def _by_table(table: dict[str, str], initial: dict[str, str] | None = None) -> Callable[[str], str]:
    def convert(text: str) -> str:
        out: list[str] = []
        previous = ""
        for char in text:
            at_start = not previous or not previous.isalpha() or previous in _VOWELS
            at_start = at_start or previous in "ъьй'"
            if initial and at_start and char in initial:
                out.append(initial[char])
            else:
                out.append(table.get(char, char))
            previous = char
        return "".join(out)

    return convert


def _by_translitua(table: type[translitua.TransliterationTable]) -> Callable[[str], str]:
    def convert(text: str) -> str:
        return str(translitua.translit(text, table)).lower()

    return convert


SYSTEMS: dict[str, tuple[Language, Callable[[str], str]]] = {
    "uk_national_2010": ("uk", _by_translitua(translitua.UkrainianKMU)),
    "uk_icao_9303": ("uk", _by_table(_UK_ICAO)),
    "uk_passport_2007": ("uk", _by_translitua(translitua.UkrainianPassport2007)),
    "uk_bgn_pcgn_1965": ("uk", _by_translitua(translitua.UkrainianBGN)),
    "ru_passport_1997": ("ru", _by_translitua(translitua.RussianInternationalPassport1997)),
    "ru_passport_2010": ("ru", _by_table(_RU_2010)),
    "ru_icao_9303": ("ru", _by_translitua(translitua.RussianICAO)),
    "ru_bgn_pcgn": ("ru", _by_table(_RU_BGN, {"е": "ye", "ё": "yë"})),
}
"""Every transliteration system by name: its language and its converter."""

_UK_ONLY = set("іїєґ'")
_RU_ONLY = set("ыэёъ")
# Spellings Ukrainian orthography does not have: "ее" (Сергеевич), "ия"
# (Мария), "ье"/"ья"/"ьи" (Дарья), a final "ей" (Андрей).
_RU_HINTS = re.compile(r"ее|и[яюе]|ь[еяию]|ей\b")


def detect_language(text: str) -> Language | None:
    """Tell Ukrainian from Russian Cyrillic by the letters only one of them has.

    ``None`` when the letters fit both (``"коваленко"``) or the text is Latin.

    >>> detect_language("Сергійович"), detect_language("Сергеевич"), detect_language("Ганна")
    ('uk', 'ru', None)
    """
    text = text.lower()
    letters = set(text)
    if letters & _UK_ONLY or "ьо" in text:
        return "uk"
    if letters & _RU_ONLY or _RU_HINTS.search(text):
        return "ru"
    return None


@lru_cache(maxsize=65_536)
def transliterate(text: str, system: str = "uk_national_2010") -> str:
    """Write a (normalised) Cyrillic name in Latin under one named system.

    >>> transliterate("Олександр Коваленко")
    'oleksandr kovalenko'
    >>> transliterate("Юлія", "uk_icao_9303")
    'iuliia'
    >>> transliterate("Александр Цой", "ru_passport_2010")
    'aleksandr tcoi'
    >>> transliterate("Елена", "ru_bgn_pcgn")
    'yelena'
    """
    try:
        _language, convert = SYSTEMS[system]
    except KeyError:
        raise ValueError(f"unknown transliteration system {system!r}") from None
    return convert(normalize_text(text))


@lru_cache(maxsize=65_536)
def transliterations(text: str) -> frozenset[str]:
    """Every Latin spelling of a Cyrillic name under the systems that fit its language.

    Russian systems are applied only when the value has no Ukrainian-only
    letter, and the reverse.

    >>> sorted(transliterations("Юлія"))
    ['iuliia', 'yuliia', 'yuliya']
    """
    value = normalize_text(text)
    if letter_script(value) != "cyrillic":
        return frozenset({value}) if value else frozenset()
    language = detect_language(value)
    spellings = set()
    for system_language, convert in SYSTEMS.values():
        if language is None or language == system_language:
            spelled = convert(value)
            if letter_script(spelled) == "latin":
                spellings.add(spelled.replace("'", "").replace("ë", "e"))
    return frozenset(spellings)


# --- the skeleton -----------------------------------------------------------

_CYRILLIC_BASE = _table(
    "а=a б=b в=v г=g ґ=g д=d е=e є=ie ё=io ж=zh з=z и=y і=i ї=i й=i к=k л=l м=m н=n "
    "о=o п=p р=r с=s т=t у=u ф=f х=kh ц=ts ч=ch ш=sh щ=shch ъ=- ы=y ь=- э=e ю=iu я=ia "
    "'=- ў=u"
)
_LATIN_DIACRITICS = _table("č=ch š=sh ž=zh ć=ch ś=s ź=z ż=z ł=l ë=e ń=n ř=r ß=ss ø=o æ=ae œ=oe")
# Digraphs first (longest match at each position), then single letters.  Upper
# case letters stand for sounds that Latin writes with several letters:
# S = ш/щ, Q = ч, Z = ж, C = ц, x = х or кс.
_LATIN_RULES = (
    ("shtsch", "S"), ("shch", "S"), ("szcz", "S"), ("sch", "S"), ("tsch", "Q"),
    ("tch", "Q"), ("ch", "Q"), ("cz", "Q"), ("sh", "S"), ("sz", "S"), ("zh", "Z"),
    ("kh", "x"), ("cks", "x"), ("ks", "x"), ("ts", "C"), ("tc", "C"), ("tz", "C"),
    ("ph", "f"), ("th", "t"), ("gh", "g"), ("ck", "k"), ("ce", "Ce"), ("ci", "Ci"),
    ("cy", "Cy"), ("c", "k"), ("h", "g"), ("w", "v"), ("q", "k"), ("j", "i"), ("y", "i"),
)  # fmt: skip
_RULES_BY_FIRST: dict[str, list[tuple[str, str]]] = {}
for _pattern, _replacement in _LATIN_RULES:
    _RULES_BY_FIRST.setdefault(_pattern[0], []).append((_pattern, _replacement))
_DOUBLED = re.compile(r"(.)\1+")
_YO = re.compile(r"([^aeiou])io")


def _plain_latin(word: str) -> str:
    if letter_script(word) == "cyrillic" or any(c in _CYRILLIC_BASE for c in word):
        word = "".join(_CYRILLIC_BASE.get(c, c) for c in word)
    word = "".join(_LATIN_DIACRITICS.get(c, c) for c in word)
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if "a" <= c <= "z")


@lru_cache(maxsize=262_144)
def skeleton(token: str) -> str:
    """The comparison skeleton of one name word, from either script.

    The skeleton is built from a plain Latin spelling by merging what the
    romanisation systems write differently: ``h``/``g`` (Ukrainian and Russian
    ``г``), ``y``/``i``/``j``, ``ks``/``x``, doubled letters, a word-initial
    ``ye``/``e`` and the endings ``-ii``/``-iy``/``-ei``/``-ey``.  Letters that
    different names rely on (vowels ``a``/``o``/``e``/``u``) are kept.

    >>> skeleton("Ганна"), skeleton("Hanna"), skeleton("Ganna")
    ('gana', 'gana', 'gana')
    >>> skeleton("Андрій") == skeleton("Andrey") == skeleton("Andrei") == skeleton("Andriy")
    True
    >>> skeleton("Олександр") == skeleton("Oleksandr") == skeleton("Olexandr")
    True
    >>> skeleton("Іван") == skeleton("Ян")
    False
    """
    word = _plain_latin(normalize_text(token).replace("-", "").replace(" ", ""))
    out: list[str] = []
    index = 0
    while index < len(word):
        for pattern, replacement in _RULES_BY_FIRST.get(word[index], ()):
            if word.startswith(pattern, index):
                out.append(replacement)
                index += len(pattern)
                break
        else:
            out.append(word[index])
            index += 1
    # "io"/"yo" after a consonant is the Russian ё, which Russian records
    # spell "е" just as often.
    text = _YO.sub(r"\1e", "".join(out))
    text = _DOUBLED.sub(r"\1", text)
    if text.startswith("ie") and len(text) > 2:
        text = text[1:]
    if text.endswith("ei") and len(text) > 3:
        text = text[:-2] + "i"
    return text


def to_latin(text: str) -> str:
    """A readable Latin spelling of a name: the national 2010 system for
    Ukrainian and ambiguous values, the 1997 passport system for Russian ones.

    >>> to_latin("Олександр Коваленко"), to_latin("Александр Сергеевич")
    ('oleksandr kovalenko', 'aleksandr sergeevich')
    """
    value = normalize_text(text)
    if letter_script(value) == "latin":
        return value
    if detect_language(value) == "ru":
        return transliterate(value, "ru_passport_1997")
    return transliterate(value, "uk_national_2010")
