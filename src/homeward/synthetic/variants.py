"""The ways a record drifts from the truth: typos, look-alike letters, apostrophes,
altered and partial dates, and each source's date format."""

from __future__ import annotations

import random
from datetime import date

# Rows of the Ukrainian keyboard layout: a typo hits a neighbouring key.
_KEY_ROWS = ("йцукенгшщзхї", "фівапролджє", "ячсмитьбю")
_NEIGHBOURS: dict[str, str] = {}
for _row in _KEY_ROWS:
    for _i, _ch in enumerate(_row):
        _NEIGHBOURS[_ch] = _row[max(0, _i - 1) : _i] + _row[_i + 1 : _i + 2]

LOOKALIKES: dict[str, str] = {
    "а": "a",
    "о": "o",
    "е": "e",
    "с": "c",
    "р": "p",
    "х": "x",
    "і": "i",
    "у": "y",
    "А": "A",
    "В": "B",
    "Е": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "Х": "X",
    "І": "I",
}
"""Cyrillic letters and the Latin letters that look the same."""

APOSTROPHES = ("'", "’", "ʼ", "`")


def typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: a neighbouring key, a dropped, doubled or swapped letter.
    The first letter is left alone (people notice it), and the result always differs."""
    if len(word) < 3:
        return word
    for _ in range(10):
        pos = rng.randrange(1, len(word))
        kind = rng.randrange(4)
        ch = word[pos]
        if kind == 0 and ch.lower() in _NEIGHBOURS:
            candidates = _NEIGHBOURS[ch.lower()]
            new = rng.choice(candidates)
            result = word[:pos] + (new.upper() if ch.isupper() else new) + word[pos + 1 :]
        elif kind == 1 and len(word) > 3:
            result = word[:pos] + word[pos + 1 :]
        elif kind == 2:
            result = word[:pos] + ch + word[pos:]
        elif pos + 1 < len(word):
            result = word[:pos] + word[pos + 1] + ch + word[pos + 2 :]
        else:
            continue
        if result != word:
            return result
    return word[:-1] + ("а" if word[-1] != "а" else "о")


def with_lookalikes(word: str, rng: random.Random) -> str:
    """The word with one or two Cyrillic letters typed as their Latin look-alikes
    (unchanged when it has no such letter)."""
    positions = [i for i, ch in enumerate(word) if ch in LOOKALIKES]
    if not positions:
        return word
    chosen = rng.sample(positions, min(len(positions), 1 + (rng.random() < 0.3)))
    chars = list(word)
    for i in chosen:
        chars[i] = LOOKALIKES[chars[i]]
    return "".join(chars)


def has_latin_letter(text: str) -> bool:
    return any("a" <= ch.lower() <= "z" for ch in text)


def vary_apostrophe(text: str, rng: random.Random) -> str:
    """Ukrainian apostrophes are typed with whatever key is at hand."""
    if "'" not in text:
        return text
    return text.replace("'", rng.choice(APOSTROPHES))


def alter_date(true: date, rng: random.Random) -> tuple[date, str]:
    """A birth date as a new document may carry it: ``year`` (±1), ``swap`` (day and
    month exchanged) or ``digit`` (one digit changed).  Always a different, valid date."""
    kinds = ["year", "digit"]
    if true.day <= 12 and true.day != true.month:
        kinds.append("swap")
    for _ in range(20):
        kind = rng.choice(kinds)
        try:
            if kind == "year":
                candidate = true.replace(year=true.year + rng.choice((-1, 1)))
            elif kind == "swap":
                candidate = true.replace(month=true.day, day=true.month)
            else:
                text = true.strftime("%Y%m%d")
                pos = rng.choice((3, 4, 5, 6, 7))
                digit = rng.choice([d for d in "0123456789" if d != text[pos]])
                text = text[:pos] + digit + text[pos + 1 :]
                candidate = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            continue
        if candidate != true:
            return candidate, kind
    return true.replace(day=1 if true.day != 1 else 2), "digit"


def format_date(value: date, style: str) -> str:
    """A date in a source's format: ``iso`` 2012-03-04, ``dotted`` 04.03.2012,
    ``slashed`` 04/03/2012, ``year_month`` 2012-03, ``year`` 2012."""
    if style == "iso":
        return value.isoformat()
    if style == "dotted":
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    if style == "slashed":
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if style == "year_month":
        return f"{value.year:04d}-{value.month:02d}"
    if style == "year":
        return f"{value.year:04d}"
    raise ValueError(f"unknown date style {style!r}")
