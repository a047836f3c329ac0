"""Patronymics: the father's given name and the child's sex, read from the word.

A patronymic derives from the father's given name, so ``Сергійович``,
``Сергеевич``, ``Serhiiovych`` and ``Sergeevich`` all say "son of Сергій" and
are the same patronymic, while ``Сергіївна`` says "daughter of Сергій" and is
a different one.

>>> p = parse_patronymic("Сергеевич")
>>> p.sex, sorted(p.father_groups)
('m', ['serhii'])
>>> parse_patronymic("Serhiivna").sex
'f'
>>> parse_patronymic("Коваленко") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from homeward.names.given import FULL_ROLES, _index
from homeward.names.normalize import letter_script, normalize_text
from homeward.names.translit import skeleton

# (suffix, sex), longest first within each script.
_CYRILLIC_SUFFIXES = (
    ("овича", "m"), ("евича", "m"), ("ович", "m"), ("евич", "m"), ("євич", "m"),
    ("івна", "f"), ("ївна", "f"), ("овна", "f"), ("евна", "f"), ("инична", "f"),
    ("ивна", "f"),  # a Ukrainian -івна typed on a Russian keyboard
    ("ична", "f"), ("ічна", "f"), ("ич", "m"), ("іч", "m"),
)  # fmt: skip
_LATIN_SUFFIXES = (
    ("ovitch", "m"), ("ovych", "m"), ("ovich", "m"), ("ovič", "m"), ("yevych", "m"),
    ("yevich", "m"), ("ievich", "m"), ("evych", "m"), ("evich", "m"), ("evič", "m"),
    ("yivna", "f"), ("iivna", "f"), ("ivna", "f"), ("ovna", "f"), ("yevna", "f"),
    ("ievna", "f"), ("evna", "f"), ("ichna", "f"), ("ich", "m"), ("ych", "m"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Patronymic:
    """A word read as a patronymic: the sex it marks and the father's name.

    ``father_groups`` are the given-name groups the father's name belongs to
    (empty when it is not a listed name); ``father_stem`` is the word without
    its patronymic suffix.
    """

    token: str
    sex: str
    father_stem: str
    father_groups: frozenset[str]


def _cyrillic_candidates(stem: str) -> list[str]:
    out = [stem, stem + "й", stem + "о", stem + "а", stem + "я", stem + "ь", stem + "ій"]
    if stem.endswith("ь"):
        out += [stem[:-1] + "ий", stem[:-1] + "ья"]
    if stem.endswith("й"):
        out.append(stem[:-1])
    if stem.endswith("йл"):
        out.append(stem[:-2] + "ил")
    if stem.endswith("вл"):
        out.append(stem[:-1])  # Яковлевич
    out.append(stem + "ів")  # Яківна
    if len(stem) > 2:
        # The fleeting vowel of Russian "Павел" / "Павлович".
        out.append(stem[:-1] + "е" + stem[-1])
        out.append(stem[:-1] + "і" + stem[-1])
    return out


def _latin_candidates(stem: str) -> list[str]:
    out = [stem, stem + "i", stem + "y", stem + "o", stem + "a", stem + "ia", stem + "ii"]
    if stem.endswith(("i", "y")):
        out.append(stem[:-1])
    if len(stem) > 2:
        out.append(stem[:-1] + "e" + stem[-1])
    return out


def _father_groups(candidates: list[str], by_form: bool) -> frozenset[str]:
    index = _index()
    table = index.by_form if by_form else index.by_skeleton
    for candidate in candidates:
        key = candidate if by_form else skeleton(candidate)
        found = {m.group for m in table.get(key, ()) if m.role in FULL_ROLES}
        if found:
            return frozenset(found)
    return frozenset()


@lru_cache(maxsize=65_536)
def parse_patronymic(value: str) -> Patronymic | None:
    """Read one word as a patronymic, or ``None`` when it does not end like one.

    >>> sorted(parse_patronymic("Миколайович").father_groups)
    ['mykola']
    >>> sorted(parse_patronymic("Dmitrievich").father_groups)
    ['dmytro']
    >>> parse_patronymic("Ілліч").father_groups
    frozenset({'illia'})
    """
    token = normalize_text(value)
    if " " in token or len(token) < 5:
        return None
    cyrillic = letter_script(token) == "cyrillic"
    for suffix, sex in _CYRILLIC_SUFFIXES if cyrillic else _LATIN_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            stem = token[: -len(suffix)]
            if suffix in ("овича", "евича"):
                token = token[:-1]
            if cyrillic:
                candidates = _cyrillic_candidates(stem)
                groups = _father_groups(candidates, by_form=True)
            else:
                candidates = _latin_candidates(stem)
                groups = frozenset()
            if not groups:
                groups = _father_groups(candidates, by_form=False)
            if suffix in ("ич", "іч", "ich", "ych") and not groups:
                # A bare "-ич" ending is also a family name (Петрович, Бабич).
                return None
            return Patronymic(token, sex, stem, groups)
    return None


def is_patronymic(value: str) -> bool:
    """Tell whether a word ends like a patronymic.

    >>> is_patronymic("Олександрівна"), is_patronymic("Oleksandrivna"), is_patronymic("Олена")
    (True, True, False)
    """
    return parse_patronymic(value) is not None


def patronymic_sex(value: str) -> str | None:
    """The sex a patronymic marks: ``"m"``, ``"f"``, or ``None`` for other words.

    >>> patronymic_sex("Іванівна"), patronymic_sex("Ivanovich")
    ('f', 'm')
    """
    parsed = parse_patronymic(value)
    return parsed.sex if parsed else None
