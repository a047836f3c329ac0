"""Family names across Ukrainian, Russian and Latin.

A family name is brought to a *stem*: its :func:`~homeward.names.translit.skeleton`
without the gendered ending and with ``e``/``i`` merged.  The stem absorbs

- the regular Ukrainian/Russian spelling shifts: ``і``/``и``, ``и``/``ы``,
  ``є``/``е``, ``ї``/``и``, the apostrophe and ``ь``/``ъ``, ``г`` as ``h`` or
  ``g`` in Latin, and the ``і``/``е`` of ``Олійник``/``Олейник``;
- the transliteration systems;
- the gendered endings ``-ський``/``-ська``/``-ский``/``-ская``,
  ``-цький``/``-цька``, ``-ов``/``-ова``, ``-ев``/``-ева``, ``-ін``/``-іна``,
  ``-ин``/``-ина``.

Family names ending in ``-енко``, ``-ук``, ``-чук``, ``-ко`` and most other
Ukrainian endings are the same for a son and a daughter.

**Gendered forms.**  ``Петров`` and ``Петрова`` are one family's name in its
masculine and feminine forms.  Brothers and sisters carry different forms, so
the pair is reported at its own level, ``"gendered"``, which the match model
weighs apart from an exact agreement; a record's sex tells which form to
expect (:func:`family_name_for_sex`).  For one child, a record with the other
form usually comes from a sex recorded wrongly or from an inflected
``Петрова`` ("of Петров") read as a name.

>>> family_stem("Ковальська") == family_stem("Kovalskyi") == family_stem("Ковальский")
True
>>> family_stem("Олійник") == family_stem("Олейник") == family_stem("Oliinyk")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from homeward.names.normalize import letter_script, normalize_text
from homeward.names.translit import skeleton

_DOUBLED = re.compile(r"(.)\1+")
# Gendered endings on the skeleton: (ending, masculine ending, sex).
_GENDERED = (
    ("skaia", "ski", "f"), ("skaa", "ski", "f"), ("ska", "ski", "f"), ("ski", "ski", "m"),
    ("Ckaia", "Cki", "f"), ("Cka", "Cki", "f"), ("Cki", "Cki", "m"),
    ("zkaia", "zki", "f"), ("zka", "zki", "f"), ("zki", "zki", "m"),
    ("ova", "ov", "f"), ("ov", "ov", "m"), ("eva", "ev", "f"), ("ev", "ev", "m"),
    ("ina", "in", "f"), ("in", "in", "m"),
)  # fmt: skip
# Endings that make a family name what it is: a one-letter slip that changes
# them is another name (Коваленко / Коваленков), not a typo.
_SUFFIX_CLASSES = (
    "enko", "Quk", "iuk", "uk", "iak", "ak", "ik", "iQ", "ski", "Cki", "zki", "ov", "ev",
    "in", "ko", "ar", "ii", "i", "a", "o",
)  # fmt: skip


_SAME_CLASS = {"ev": "ov"}
_OV = re.compile(r"[aeiou]+v$")


def compatible_suffixes(a: str, b: str) -> bool:
    """Whether two ending classes can be one ending mistyped (``enko``/``ko``).

    >>> compatible_suffixes("enko", "ko"), compatible_suffixes("enko", "ov")
    (True, False)
    """
    return a == b or (bool(a) and bool(b) and (a.endswith(b) or b.endswith(a)))


@dataclass(frozen=True, slots=True)
class FamilyForm:
    """A family name read for comparison.

    ``stem`` is the loose skeleton without the gendered ending, ``sex`` the
    sex its ending marks (``None`` for names the same for both), and
    ``suffix`` the ending class (``"enko"``, ``"ski"``, ``"ov"`` …).
    """

    token: str
    skeleton: str
    stem: str
    sex: str | None
    suffix: str


def _loose(text: str) -> str:
    return _DOUBLED.sub(r"\1", text.replace("e", "i"))


@lru_cache(maxsize=262_144)
def family_form(value: str) -> FamilyForm:
    """Read one family-name word.

    >>> family_form("Петрова")
    FamilyForm(token='петрова', skeleton='petrova', stem='pitrOv', sex='f', suffix='ov')
    >>> family_form("Коваленко").sex is None
    True
    """
    token = normalize_text(value)
    skel = skeleton(token)
    base, sex = skel, None
    for ending, masculine, marked in _GENDERED:
        if skel.endswith(ending) and len(skel) - len(ending) >= 2:
            base, sex = skel[: -len(ending)] + masculine, marked
            break
    suffix = next((s for s in _SUFFIX_CLASSES if base.endswith(s)), "")
    suffix = _SAME_CLASS.get(suffix, suffix)
    if suffix == "ov":
        # -ов, -ев, -єв, -ёв, Ukrainian -ьов: one ending, whatever its vowel.
        base = _OV.sub("Ov", base)
    return FamilyForm(token, skel, _loose(base), sex, suffix)


def family_stem(value: str) -> str:
    """The stem that spellings and gendered forms of one family name share.

    >>> family_stem("Petrova") == family_stem("Петров")
    True
    """
    return family_form(value).stem


def family_name_sex(value: str) -> str | None:
    """The sex a family name's ending marks, or ``None`` when it marks none.

    >>> family_name_sex("Шевчук"), family_name_sex("Іванова"), family_name_sex("Kovalskyi")
    (None, 'f', 'm')
    """
    return family_form(value).sex


_FEMININE = (
    ("ський", "ська"), ("цький", "цька"), ("зький", "зька"), ("ский", "ская"),
    ("цкий", "цкая"), ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"), ("єв", "єва"),
    ("ін", "іна"), ("ин", "ина"), ("їн", "їна"),
    ("skyi", "ska"), ("skiy", "skaya"), ("sky", "skaya"), ("ov", "ova"), ("ev", "eva"),
    ("in", "ina"), ("yn", "yna"),
)  # fmt: skip


def family_name_for_sex(value: str, sex: str) -> str:
    """The form of a (normalised) family name a child of this sex carries.

    >>> family_name_for_sex("Петров", "f"), family_name_for_sex("Ковальська", "m")
    ('петрова', 'ковальський')
    >>> family_name_for_sex("Коваленко", "f")
    'коваленко'
    """
    token = normalize_text(value)
    if sex not in ("m", "f"):
        raise ValueError(f"sex must be 'm' or 'f', not {sex!r}")
    for masculine, feminine in _FEMININE:
        if sex == "f" and token.endswith(masculine) and len(token) > len(masculine) + 2:
            return token[: -len(masculine)] + feminine
        if sex == "m" and token.endswith(feminine) and len(token) > len(feminine) + 2:
            return token[: -len(feminine)] + masculine
    return token


def same_script_pair(a: str, b: str) -> bool:
    """Whether two values are written in the same script."""
    return letter_script(a) == letter_script(b)
