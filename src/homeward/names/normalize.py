"""Normalisation of name values as they arrive from reports, lists and imports.

A name value is brought to one canonical spelling in its own script:
Unicode NFC, lower case, one apostrophe (``'``), one hyphen (``-``) without
spaces around it, single spaces, initials as ``"о."``, stress marks removed.

Look-alike letters are repaired: a Latin ``i`` or ``o`` typed inside a
Cyrillic word (the keys sit in the same place on Ukrainian keyboards) becomes
the Cyrillic letter, and the reverse for Cyrillic letters inside a Latin word.
Every repair is recorded, so a case worker can see what was changed.

>>> result = normalize_name("Олександр  КОВАЛЕНКO")
>>> result.text
'олександр коваленко'
>>> result.repairs[0].found, result.repairs[0].replaced_by
('O', 'О')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Script = Literal["cyrillic", "latin", "mixed", "none"]

APOSTROPHE = "'"
_APOSTROPHES = "'’ʼ`´‘′ʹʻ＇"
_HYPHENS = "‐‑‒–—―−﹣－"
_STRESS_MARKS = {"\u0301", "\u0300"}

# Latin letters that look like Cyrillic ones, and the Cyrillic letter meant.
# "i" maps to the Ukrainian "і" (same key, same glyph).
_LATIN_TO_CYRILLIC = {
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М",
    "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е",
    "i": "і", "k": "к", "o": "о", "p": "р", "x": "х", "y": "у", "ï": "ї", "Ï": "Ї",
}  # fmt: skip
_CYRILLIC_TO_LATIN = {
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "К": "K", "М": "M",
    "О": "O", "Р": "P", "Т": "T", "Х": "X", "У": "Y", "а": "a", "с": "c", "е": "e",
    "і": "i", "к": "k", "о": "o", "р": "p", "х": "x", "у": "y", "ї": "ï", "Ї": "Ï",
}  # fmt: skip

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*", re.UNICODE)
_SPACES = re.compile(r"\s+")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u052f]")
_NOT_NAME = re.compile(r"[^\w'\-. ]+|\d+|_", re.UNICODE)
_PLAIN = re.compile("[ A-Za-z]*|[ А-Яа-яЁёІіЇїЄєҐґ]*")
"""A value :func:`normalize_name` need only lower-case and split: Latin or
Cyrillic letters that are their own canonical form (no stress mark, nothing
to decompose differently), and plain spaces."""


@dataclass(frozen=True, slots=True)
class Repair:
    """One look-alike letter replaced inside a word.

    ``word`` is the word as received, ``found`` the letter typed, and
    ``replaced_by`` the letter of the word's own script put in its place.
    """

    word: str
    position: int
    found: str
    replaced_by: str

    def describe(self) -> str:
        """Say the repair in words.

        >>> Repair("Iван", 0, "I", "І").describe()
        "Latin 'I' in 'Iван' read as Cyrillic 'І'"
        """
        found_script = "Latin" if _is_latin(self.found) else "Cyrillic"
        meant_script = "Cyrillic" if found_script == "Latin" else "Latin"
        return (
            f"{found_script} {self.found!r} in {self.word!r} "
            f"read as {meant_script} {self.replaced_by!r}"
        )


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """A normalised name value: ``text`` and the look-alike ``repairs`` made."""

    text: str
    repairs: tuple[Repair, ...] = ()

    @property
    def tokens(self) -> tuple[str, ...]:
        """The words of the name; hyphenated parts stay one token."""
        return tuple(self.text.split()) if self.text else ()


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff" or "\u0500" <= char <= "\u052f"


def _is_latin(char: str) -> bool:
    return (char.isascii() and char.isalpha()) or "\u00c0" <= char <= "\u024f"


def letter_script(text: str) -> Script:
    """Tell which script the letters of ``text`` are written in.

    >>> letter_script("Коваленко"), letter_script("Kovalenko"), letter_script("Кoваленко")
    ('cyrillic', 'latin', 'mixed')
    """
    cyr = lat = False
    for char in text:
        if _is_cyrillic(char):
            cyr = True
        elif _is_latin(char):
            lat = True
    if cyr and lat:
        return "mixed"
    if cyr:
        return "cyrillic"
    return "latin" if lat else "none"


def _repair_word(word: str) -> tuple[str, list[Repair]]:
    """Repair look-alike letters of one word written mostly in one script."""
    cyr_only = lat_only = cyr_any = lat_any = 0
    for char in word:
        if _is_cyrillic(char):
            cyr_any += 1
            if char not in _CYRILLIC_TO_LATIN:
                cyr_only += 1
        elif _is_latin(char):
            lat_any += 1
            if char not in _LATIN_TO_CYRILLIC:
                lat_only += 1
    if not (cyr_any and lat_any):
        return word, []
    # The letters that exist in one script only decide; when both or neither
    # script has such letters, the majority decides, Cyrillic on a tie.
    if cyr_only and not lat_only:
        to_cyrillic = True
    elif lat_only and not cyr_only:
        to_cyrillic = False
    elif cyr_only and lat_only:
        to_cyrillic = cyr_only >= lat_only
    else:
        to_cyrillic = cyr_any >= lat_any
    table = _LATIN_TO_CYRILLIC if to_cyrillic else _CYRILLIC_TO_LATIN
    is_foreign = _is_latin if to_cyrillic else _is_cyrillic
    chars = list(word)
    repairs: list[Repair] = []
    for index, char in enumerate(chars):
        if is_foreign(char) and char in table:
            chars[index] = table[char]
            repairs.append(Repair(word, index, char, table[char]))
    return "".join(chars), repairs


def _canonical_characters(value: str) -> str:
    if not value.isprintable():
        # Format characters (a zero-width space, a right-to-left override) are
        # invisible: a name typed or pasted with one is the name without it,
        # as a record keeps it (services.records.clean_text).
        value = "".join(c for c in value if unicodedata.category(c) != "Cf")
    decomposed = unicodedata.normalize("NFD", value)
    if any(mark in decomposed for mark in _STRESS_MARKS):
        decomposed = "".join(c for c in decomposed if c not in _STRESS_MARKS)
    text = unicodedata.normalize("NFC", decomposed)
    for char in _APOSTROPHES:
        if char in text:
            text = text.replace(char, APOSTROPHE)
    for char in _HYPHENS:
        if char in text:
            text = text.replace(char, "-")
    return text


def _tidy(text: str) -> str:
    text = _NOT_NAME.sub(" ", text)
    # An apostrophe only belongs between two letters, a hyphen too (after the
    # spaces around it are dropped: "Іванова - Петренко" is one double name).
    text = re.sub(r"(?<![^\W\d_])'|'(?![^\W\d_])", " ", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"(?<![^\W\d_])-|-(?![^\W\d_])", " ", text)
    # Initials: "О.С." -> "о. с."; a lone letter becomes "x.".
    words = []
    for word in _SPACES.split(text.replace(".", ". ")):
        bare = word.strip(".")
        if not bare:
            continue
        words.append(bare + "." if len(bare) == 1 else bare)
    return " ".join(words)


@lru_cache(maxsize=262_144)
def normalize_name(value: str | None) -> NormalizedName:
    """Normalise one name value (a given name, a family name or a full name).

    >>> normalize_name("  ДЕМ’ЯНЕНКО   Олeксандр ").text
    "дем'яненко олександр"
    >>> normalize_name("Іванова - Петренко").text
    'іванова-петренко'
    >>> normalize_name("Коваленко О.С.").text
    'коваленко о. с.'
    >>> [r.describe() for r in normalize_name("Iвaн").repairs]
    ["Latin 'I' in 'Iвaн' read as Cyrillic 'І'", "Latin 'a' in 'Iвaн' read as Cyrillic 'а'"]
    >>> normalize_name(None).text
    ''
    """
    if not value:
        return NormalizedName("")
    if _PLAIN.fullmatch(value):
        # Letters of one alphabet and spaces (most names): nothing to
        # canonicalise, repair or tidy but the case, spaces and lone letters.
        words = value.lower().split()
        return NormalizedName(" ".join(w + "." if len(w) == 1 else w for w in words))
    repaired = repair_look_alikes(_canonical_characters(value))
    text = _tidy(unicodedata.normalize("NFC", repaired.text.lower()))
    return NormalizedName(text, repaired.repairs)


@lru_cache(maxsize=65_536)
def repair_look_alikes(value: str) -> NormalizedName:
    """Repair look-alike letters only, keeping case, apostrophes and spacing.

    This is the form a record keeps as its normalised value (the raw copy
    keeps what was typed); the repairs say what was changed.

    >>> fixed = repair_look_alikes("Bласюк Iрина")
    >>> fixed.text
    'Власюк Ірина'
    >>> [r.describe() for r in fixed.repairs]
    ["Latin 'B' in 'Bласюк' read as Cyrillic 'В'", "Latin 'I' in 'Iрина' read as Cyrillic 'І'"]
    >>> repair_look_alikes("Дем’яненко").repairs
    ()
    """
    if not (_LATIN_LETTER.search(value) and _CYRILLIC_LETTER.search(value)):
        return NormalizedName(value)
    repairs: list[Repair] = []

    def repair(match: re.Match[str]) -> str:
        fixed, made = _repair_word(match.group(0))
        repairs.extend(made)
        return fixed

    return NormalizedName(_WORD.sub(repair, value), tuple(repairs))


def normalize_text(value: str | None) -> str:
    """The normalised text of a name value, without the repair list.

    >>> normalize_text("KOVALENKO  Oleksandr")
    'kovalenko oleksandr'
    """
    return normalize_name(value).text


def is_initial(token: str) -> bool:
    """Tell whether a normalised token is an initial (``"о."``).

    >>> is_initial("о."), is_initial("олег")
    (True, False)
    """
    return len(token) == 2 and token[1] == "." and token[0].isalpha()
