"""Cyrillic → Latin romanisation systems, as the Latin-script sources use them.

Written from the published tables, independently of the matcher's own
transliteration, so that the ground truth does not share its mistakes:

- ``kmu2010``: the Ukrainian national system (Cabinet of Ministers resolution 55 of
  2010), applied to Ukrainian spelling: Олександр → Oleksandr, Юлія → Yuliia.
- ``soviet``: the old Soviet and Russian passport style, applied to the Russified name:
  Александр → Aleksandr, Юлия → Yuliya, Андрей → Andrey.
- ``icao``: ICAO Doc 9303 as in Russian passports since 2013: Юлия → Iuliia,
  Андрей → Andrei.
- ``bgn``: BGN/PCGN for Russian: Юлия → Yuliya, Наталья → Natal'ya.
- ``german``: the German (Duden) press style for Russian: Шевченко → Schewtschenko,
  Сергей → Sergej.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

SYSTEMS: tuple[str, ...] = ("kmu2010", "soviet", "icao", "bgn", "german")
UKRAINIAN_SYSTEMS = frozenset({"kmu2010"})

_VOWELS = set("аеёєиіїоуыэюя")
_SOFT = set("ьъ'ʼ’")

_COMMON: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "'": "",
    "ʼ": "",
    "’": "",
    # Ukrainian letters, for a Russian system meeting a Ukrainian spelling.
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
}


@dataclass(frozen=True, slots=True)
class _System:
    base: dict[str, str]
    initial: dict[str, str] = field(default_factory=dict)
    after_vowel: dict[str, str] = field(default_factory=dict)
    between_vowels: dict[str, str] = field(default_factory=dict)
    pairs: dict[str, str] = field(default_factory=dict)


_SYSTEMS: dict[str, _System] = {
    "kmu2010": _System(
        base={
            **_COMMON,
            "г": "h",
            "ґ": "g",
            "и": "y",
            "і": "i",
            "ї": "i",
            "й": "i",
            "є": "ie",
            "ю": "iu",
            "я": "ia",
            "ё": "io",
        },
        initial={"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
        pairs={"зг": "zgh"},
    ),
    "soviet": _System(base=dict(_COMMON)),
    "icao": _System(base={**_COMMON, "й": "i", "ю": "iu", "я": "ia", "ъ": "ie"}),
    "bgn": _System(
        base={**_COMMON, "ь": "'", "ъ": '"'},
        initial={"е": "ye", "ё": "ye"},
        after_vowel={"е": "ye", "ё": "ye"},
    ),
    "german": _System(
        base={
            **_COMMON,
            "в": "w",
            "ё": "jo",
            "ж": "sch",
            "з": "s",
            "й": "j",
            "х": "ch",
            "ц": "z",
            "ч": "tsch",
            "ш": "sch",
            "щ": "schtsch",
            "ю": "ju",
            "я": "ja",
            "ї": "ji",
            "є": "je",
        },
        initial={"е": "je"},
        after_vowel={"е": "je"},
        between_vowels={"с": "ss"},
        pairs={"кс": "x"},
    ),
}


@lru_cache(maxsize=200_000)
def transliterate(text: str, system: str) -> str:
    """Romanise ``text`` with one of ``SYSTEMS``, keeping the case pattern of each
    word (``КОВАЛЕНКО`` → ``KOVALENKO``, ``Щур`` → ``Shchur``).  Characters outside
    the Cyrillic alphabet are kept as they are."""
    table = _SYSTEMS[system]
    out: list[str] = []
    lower = text.lower()
    n = len(text)
    i = 0
    while i < n:
        ch = lower[i]
        prev = lower[i - 1] if i > 0 else " "
        nxt = lower[i + 1] if i + 1 < n else " "
        step = 1
        if ch + nxt in table.pairs:
            latin = table.pairs[ch + nxt]
            step = 2
        elif not prev.isalpha() and prev not in _SOFT and ch in table.initial:
            latin = table.initial[ch]
        elif (prev in _VOWELS or prev in _SOFT) and ch in table.after_vowel:
            latin = table.after_vowel[ch]
        elif prev in _VOWELS and nxt in _VOWELS and ch in table.between_vowels:
            latin = table.between_vowels[ch]
        elif ch in table.base:
            latin = table.base[ch]
        else:
            out.append(text[i])
            i += 1
            continue
        original = text[i]
        if latin and original != ch:  # upper-case source letter
            word_upper = nxt.isalpha() and text[i + 1 : i + 2].isupper()
            latin = latin.upper() if word_upper else latin[0].upper() + latin[1:]
        out.append(latin)
        i += step
    return "".join(out)
