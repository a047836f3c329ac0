"""Text handling for place names: normalisation, script, skeleton and word endings.

Place values arrive typed by hand in Ukrainian, Russian or Latin letters, with
Latin letters slipped into Cyrillic words ("Мaріуполь" with a Latin ``a``), three
kinds of apostrophe and hyphens or spaces in compound names.  Everything here is
a pure function on strings; :mod:`homeward.names.places` builds on it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Apostrophe look-alikes people type in Ukrainian names (Слов'янськ, Слов’янськ,
# Словʼянськ) and the soft/hard-sign marks of transliterations.  Dropping them all
# keeps "Словянськ" and "Слов'янськ" equal, which is what users mean.
APOSTROPHES = "'’ʼ`´‘ʹʺ′″ʻ\u0022«»“”„"

_LATIN_TO_CYRILLIC = str.maketrans(
    {
        "A": "А", "a": "а", "B": "В", "C": "С", "c": "с", "E": "Е", "e": "е",
        "H": "Н", "I": "І", "i": "і", "Ï": "Ї", "ï": "ї", "K": "К", "k": "к",
        "M": "М", "O": "О", "o": "о", "P": "Р", "p": "р", "T": "Т", "X": "Х",
        "x": "х", "Y": "У", "y": "у",
    }
)  # fmt: skip
_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "А": "A", "а": "a", "В": "B", "С": "C", "с": "c", "Е": "E", "е": "e",
        "Н": "H", "І": "I", "і": "i", "Ї": "Ï", "ї": "ï", "К": "K", "к": "k",
        "М": "M", "О": "O", "о": "o", "Р": "P", "р": "p", "Т": "T", "Х": "X",
        "х": "x", "У": "Y", "у": "y",
    }
)  # fmt: skip
_LOOKALIKE_LATIN = frozenset("AaBCcEeHIiÏïKkMOoPpTXxYy")
_LOOKALIKE_CYRILLIC = frozenset("АаВСсЕеНІіЇїКкМОоРрТХхУу")

# A rough Cyrillic-to-Latin table covering both Ukrainian and Russian letters.  It
# only feeds the skeleton, which then folds the differences between systems.
_CYRILLIC_ROUGH = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e",
        "є": "ie", "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ы": "y", "э": "e", "ю": "iu",
        "я": "ia", "ё": "io",
    }
)  # fmt: skip

# Order matters: longer letter groups first.
_SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "s"), ("sch", "s"), ("tch", "c"), ("sh", "s"), ("zh", "z"),
    ("ch", "c"), ("ts", "c"), ("tz", "c"), ("cz", "c"), ("kh", "h"), ("gh", "h"),
    ("g", "h"), ("q", "k"), ("ck", "k"), ("w", "v"), ("x", "ks"), ("j", "i"),
    ("y", "i"), ("ie", "e"), ("ia", "a"), ("iu", "u"), ("io", "o"), ("ii", "i"),
)  # fmt: skip
_REPEATS = re.compile(r"(.)\1+")
_NOT_WORD = re.compile(r"[^\w]+")


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of a literal, as a set (for word lists).

    >>> sorted(word_set("обл  область"))
    ['обл', 'область']
    """
    return frozenset(words.split())


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_latin(ch: str) -> bool:
    return (ch.isascii() and ch.isalpha()) or "\u00c0" <= ch <= "\u024f"


def _fix_lookalikes(word: str) -> str:
    """Make a word single-script when it mixes Cyrillic and Latin look-alikes."""
    has_cyrillic = has_latin = False
    cyrillic_only = latin_only = False
    for ch in word:
        if _is_cyrillic(ch):
            has_cyrillic = True
            cyrillic_only = cyrillic_only or ch not in _LOOKALIKE_CYRILLIC
        elif _is_latin(ch):
            has_latin = True
            latin_only = latin_only or ch not in _LOOKALIKE_LATIN
    if not (has_cyrillic and has_latin):
        return word
    if cyrillic_only and not latin_only:
        return word.translate(_LATIN_TO_CYRILLIC)
    if latin_only and not cyrillic_only:
        return word.translate(_CYRILLIC_TO_LATIN)
    if cyrillic_only and latin_only:
        return word  # genuinely mixed: leave it for the caller to reject
    cyrillic = sum(1 for ch in word if _is_cyrillic(ch))
    latin = sum(1 for ch in word if _is_latin(ch))
    return word.translate(_LATIN_TO_CYRILLIC if cyrillic >= latin else _CYRILLIC_TO_LATIN)


@lru_cache(maxsize=65536)
def normalize_place(text: str) -> str:
    """Return a place value in the one form Homeward compares.

    Unicode compatibility forms are folded, Latin letters typed inside Cyrillic
    words (and the reverse) are replaced by their look-alikes, case is folded,
    ``ё`` becomes ``е``, apostrophes are dropped and every other punctuation mark
    (dots, hyphens, commas) becomes one space.  The result is idempotent.

    >>> normalize_place("  м. Слов’янськ ")
    'м словянськ'
    >>> normalize_place("Мaріуполь")  # Latin "a"
    'маріуполь'
    >>> normalize_place("Kam'yanka-Dniprovs'ka")
    'kamyanka dniprovska'
    """
    # Case folding can produce text NFKC would change again (and the reverse),
    # so the steps are repeated until nothing moves; real values settle at once.
    for _ in range(4):
        normal = _normalize_once(text)
        if normal == text:
            break
        text = normal
    return text


def _normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        # Marks NFKC could not compose (the tie bar of some romanisations) carry
        # nothing a person would tell apart.
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    for mark in APOSTROPHES:
        if mark in text:
            text = text.replace(mark, "")
    words = _NOT_WORD.sub(" ", text).replace("_", " ").split()
    words = [_fix_lookalikes(word).casefold().replace("ё", "е") for word in words]
    return " ".join(words)


def has_cyrillic(text: str) -> bool:
    """Whether any letter of ``text`` is Cyrillic.

    >>> has_cyrillic("Бахмут"), has_cyrillic("Bakhmut")
    (True, False)
    """
    return any(_is_cyrillic(ch) for ch in text)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def place_skeleton(text: str) -> str:
    """A coarse Latin key on which spellings of one name in any script meet.

    Cyrillic is romanised roughly, then the letters transliteration systems
    disagree on are folded (``kh``/``h``/``g``, ``y``/``i``/``j``, ``ia``/``ya``/``a``,
    doubled letters...).  Different names can share a skeleton; it is a fallback
    and a blocking key, never proof of identity.

    >>> place_skeleton("Запоріжжя") == place_skeleton("Zaporizhia")
    True
    >>> place_skeleton("Луганськ") == place_skeleton("Lugansk")
    True
    """
    normal = normalize_place(text).translate(_CYRILLIC_ROUGH)
    latin = _strip_marks(normal).lower()
    latin = "".join(ch for ch in latin if ("a" <= ch <= "z") or ch == " ")
    for old, new in _SKELETON_RULES:
        if old in latin:
            latin = latin.replace(old, new)
    return _REPEATS.sub(r"\1", latin).strip()


# Adjective endings of oblast names ("Донецька", "Донецької", "Донецкой",
# "Donetskaya"...).  Stripping them leaves a stem shared by every case form.
_CYRILLIC_ENDINGS = (
    "ого", "ому", "ая", "ой", "ую", "ий", "ый", "ым", "ом", "ої", "ій", "ою", "им",
    "ім", "ее", "ие", "а", "у", "і", "и", "я", "ы", "е",
)  # fmt: skip
_LATIN_ENDINGS = (
    "skoi", "skoy", "aya", "aia", "oyi", "oi", "oy", "iy", "yi", "ij", "ii", "ei",
    "a", "y", "i", "e",
)  # fmt: skip


def strip_adjective_ending(word: str) -> tuple[str, bool]:
    """Split an oblast adjective into its stem; say whether an ending was removed.

    >>> strip_adjective_ending("донецької")
    ('донецьк', True)
    >>> strip_adjective_ending("donetskaya")
    ('donetsk', True)
    >>> strip_adjective_ending("донецьк")
    ('донецьк', False)
    """
    endings = _CYRILLIC_ENDINGS if has_cyrillic(word) else _LATIN_ENDINGS
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            if ending in ("skoi", "skoy"):
                stem += "sk"
            return stem, True
    return word, False


def region_word_key(words: str) -> str:
    """The key an oblast/region adjective phrase is looked up by.

    The last word loses its adjective ending; Latin phrases are also reduced to
    their skeleton, so "Donetska", "Donetsk" and "Donetskaya" meet.

    >>> region_word_key("донецької") == region_word_key("донецька")
    True
    >>> region_word_key("donetskaya") == region_word_key("donetsk")
    True
    """
    parts = words.split()
    if not parts:
        return ""
    parts[-1] = strip_adjective_ending(parts[-1])[0]
    key = " ".join(parts)
    return key if has_cyrillic(key) else "~" + place_skeleton(key)
