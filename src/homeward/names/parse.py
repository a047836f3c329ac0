"""Full names: inflection reduction and parsing into given / patronymic / family.

**Order.**  Ukrainian documents often put the family name first
(``Коваленко Олександр Сергійович``), Latin lists write it in capitals
(``KOVALENKO Oleksandr``), reports write it last (``Олександр Коваленко``).
The parser uses, in this order: a patronymic (the given name stands right
before it), a word in capitals among words that are not, the listed given
names, family-name endings, and last the position (given name first).

**Inflection.**  A report's sentence declines names: "розшукується
Коваленка Олександра Сергійовича".  ``Олександра`` is also a woman's name in
the nominative, so words are reduced only when the name itself says it is
declined: at least one word of it has no nominative reading as a name,
family name or patronymic (``Коваленка``, ``Сергійовича``).  Then every word is
put back in the nominative, choosing the reading in that case and in the
gender the unambiguous words show.  ``Олександра Коваленко`` is left as it is.

>>> parse_full_name("KOVALENKO Oleksandr").family
'kovalenko'
>>> p = parse_full_name("Коваленка Олександра Сергійовича")
>>> p.given, p.patronymic, p.family
('олександр', 'сергійович', 'коваленко')
>>> parse_full_name("Олександра Коваленко").given
'олександра'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from homeward.names.family import family_form
from homeward.names.given import resolve_given_name
from homeward.names.normalize import is_initial, letter_script, normalize_name
from homeward.names.patronymic import parse_patronymic
from homeward.names.translit import detect_language

_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
_CASES = ("gent", "accs", "datv", "loct", "ablt", "voct")


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A full name split into its parts (normalised; empty string when absent).

    ``order`` is ``"given_first"``, ``"family_first"`` or ``"single"``;
    ``reduced`` lists the words put back in the nominative, as ``"from→to"``;
    ``certain`` is false when nothing told the given name from the family name
    (two unlisted words, or two listed given names) and the order was assumed.
    """

    given: str
    patronymic: str
    family: str
    order: str
    reduced: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    certain: bool = True

    def swapped(self) -> ParsedName:
        """The same words read the other way round (given and family exchanged)."""
        order = {"given_first": "family_first", "family_first": "given_first"}.get(
            self.order, self.order
        )
        return ParsedName(
            self.family, self.patronymic, self.given, order, self.reduced, self.others, False
        )


@cache
def _analyzer(language: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


def load_morphology() -> None:
    """Load the Ukrainian and Russian morphological dictionaries now rather
    than at the first declined name: a process that forks workers loads them
    once, before forking, instead of once in every worker."""
    for language in ("uk", "ru"):
        _analyzer(language)


@lru_cache(maxsize=65_536)
def _name_parses(word: str, language: str) -> tuple[Any, ...]:
    """The analyser's readings of a word as a name, singular; none for a word
    with a letter outside Cyrillic (no declined Ukrainian or Russian name has
    one, and pymorphy3 raises ValueError on a letter Unicode gives no name,
    such as a Tangut component)."""
    if any(c.isalpha() and not "\u0400" <= c <= "\u052f" for c in word):
        return ()
    parses = _analyzer(language).parse(word)
    return tuple(
        p for p in parses if _NAME_TAGS & p.tag.grammemes and "plur" not in p.tag.grammemes
    )


_OBLIQUE_ENDINGS = (
    "а", "я", "у", "ю", "і", "ї", "и", "е", "є", "ом", "ем", "єм", "ою", "ею", "єю", "ої",
    "ого", "ому", "им", "ім", "ій", "ей", "ой",
)  # fmt: skip
_NOMINATIVE_ENDINGS = ("енко", "ович", "евич", "івна", "ївна", "овна", "евна", "ський", "цький")


@lru_cache(maxsize=131_072)
def _may_be_declined(word: str) -> bool:
    """A cheap test that spares the morphological analyser most names.

    A word can be declined only when it ends like a declined form and is not
    a listed given name in the nominative.
    """
    if is_initial(word) or word.endswith(_NOMINATIVE_ENDINGS):
        return False
    if not word.endswith(_OBLIQUE_ENDINGS):
        return False
    return not any(m.form == word for m in resolve_given_name(word).memberships)


@lru_cache(maxsize=131_072)
def _is_cyrillic_word(word: str) -> bool:
    return letter_script(word) == "cyrillic"


@lru_cache(maxsize=131_072)
def _word_language(word: str) -> str | None:
    return detect_language(word)


def _is_nominative_possible(parses: tuple[Any, ...]) -> bool:
    return any("nomn" in p.tag.grammemes for p in parses)


@lru_cache(maxsize=16_384)
def reduce_inflection(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Put the words of one declined Cyrillic name back in the nominative.

    Returns the words and the list of changes.  Words are changed only when
    at least one of them cannot be a nominative (see the module text).

    >>> reduce_inflection(("коваленка", "олександра"))[0]
    ('коваленко', 'олександр')
    >>> reduce_inflection(("олександра", "коваленко"))[0]
    ('олександра', 'коваленко')
    >>> reduce_inflection(("марії", "шевчук"))[0]
    ('марія', 'шевчук')
    """
    if not words or not all(map(_is_cyrillic_word, words)):
        return words, ()
    candidates = [w for w in words if _may_be_declined(w)]
    if not candidates:
        return words, ()
    languages = set(map(_word_language, words)) - {None}
    language = languages.pop() if len(languages) == 1 else "uk"
    parses = [_name_parses(w, language) for w in candidates]
    oblique = [ps for ps in parses if ps and not _is_nominative_possible(ps)]
    if not oblique:
        return words, ()
    case = next(
        (c for c in _CASES if all(any(c in p.tag.grammemes for p in ps) for ps in oblique)),
        None,
    )
    if case is None:
        return words, ()
    # Every other word that can be read as a name must fit that case too:
    # "Пріска Назарівна" is not declined, whatever "Пріска" could be.
    for word in words:
        if word not in candidates and not is_initial(word):
            readings = _name_parses(word, language)
            if readings and not any(case in p.tag.grammemes for p in readings):
                return words, ()
    genders = {
        g
        for ps in oblique
        for p in ps
        if case in p.tag.grammemes
        for g in ("masc", "femn")
        if g in p.tag.grammemes
    }
    gender = genders.pop() if len(genders) == 1 else None
    out: list[str] = []
    changes: list[str] = []
    for word in words:
        if is_initial(word):
            out.append(word)
            continue
        fitting = [p for p in _name_parses(word, language) if case in p.tag.grammemes]
        if gender:
            fitting = [p for p in fitting if gender in p.tag.grammemes] or fitting
        base = fitting[0].normal_form if fitting else word
        if base != word:
            changes.append(f"{word}→{base}")
        out.append(base)
    return tuple(out), tuple(changes)


_RAW_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ`-][^\W\d_]+)*\.?")


def _upper_words(raw: str) -> list[bool]:
    words = _RAW_WORD.findall(raw)
    return [w.isupper() and len(w.rstrip(".")) > 1 for w in words]


@lru_cache(maxsize=131_072)
def _given_score(word: str) -> int:
    if is_initial(word):
        return 1
    resolution = resolve_given_name(word)
    # a word known only from a pet form's suffix (Іваник, Гнатко) is as often
    # a family name: it weighs between a listed name and an unknown word
    score = 2 if resolution.derived else 3 if resolution.known else 1 if resolution.symbols else 0
    if family_form(word).suffix in ("enko", "Quk", "iuk", "uk", "ski", "Cki", "ov", "ev"):
        score -= 2
    return score


@lru_cache(maxsize=131_072)
def parse_full_name(value: str | None) -> ParsedName:
    """Split a full name into given name, patronymic and family name.

    >>> p = parse_full_name("Коваленко Олександр Сергійович")
    >>> p.given, p.patronymic, p.family, p.order
    ('олександр', 'сергійович', 'коваленко', 'family_first')
    >>> parse_full_name("О. С. Коваленко").given
    'о.'
    >>> parse_full_name("Aleksandr Kovalenko").order
    'given_first'
    """
    normalized = normalize_name(value)
    words = normalized.tokens
    if not words:
        return ParsedName("", "", "", "single")
    words, reduced = reduce_inflection(words)
    upper = _upper_words(value or "")
    upper = upper if len(upper) == len(words) and not all(upper) else [False] * len(words)
    if len(words) == 1:
        word = words[0]
        if parse_patronymic(word):
            return ParsedName("", word, "", "single", reduced)
        if resolve_given_name(word).known:
            return ParsedName(word, "", "", "single", reduced)
        return ParsedName("", "", word, "single", reduced)

    indices = list(range(len(words)))
    patronymic_at = next(
        (i for i in indices[1:] if not is_initial(words[i]) and parse_patronymic(words[i])), None
    )
    if patronymic_at is None and len(words) >= 3 and all(is_initial(w) for w in words[1:3]):
        patronymic_at = 2  # "Коваленко О. С."
    if patronymic_at is None and len(words) >= 3 and all(is_initial(w) for w in words[:2]):
        patronymic_at = 1  # "О. С. Коваленко"
    rest = [i for i in indices if i != patronymic_at]
    scores = {i: _given_score(words[i]) for i in rest}
    family_at: int | None
    certain = True
    if any(upper[i] for i in rest):
        family_at = next(i for i in rest if upper[i])
    elif patronymic_at is not None:
        before = patronymic_at - 1
        remaining = [i for i in rest if i != before]
        if not remaining:
            family_at = None
        elif remaining[0] < before:
            family_at = remaining[0]
        else:
            family_at = remaining[-1]
    elif len(rest) == 1:
        family_at = None
    else:
        first, last = rest[0], rest[-1]
        family_at = first if scores[first] < scores[last] else last
        certain = scores[first] != scores[last]
    given_words = [i for i in rest if i != family_at]
    if len(given_words) > 1 and not all(scores[i] >= 3 for i in given_words):
        best = max(given_words, key=lambda i: (scores[i], -i))
        others: tuple[str, ...] = tuple(words[i] for i in given_words if i != best)
        given_words = [best]
    else:
        others = ()
    given = "-".join(words[i] for i in given_words)
    if family_at is None:
        order = "single"
    else:
        order = "given_first" if given_words and given_words[0] < family_at else "family_first"
    return ParsedName(
        given,
        words[patronymic_at] if patronymic_at is not None else "",
        words[family_at] if family_at is not None else "",
        order,
        reduced,
        others,
        certain,
    )


def name_parts(value: str | None) -> dict[str, str]:
    """The parts of a full name as a mapping, for display and export.

    >>> name_parts("KOVALENKO Oleksandr")
    {'given': 'oleksandr', 'patronymic': '', 'family': 'kovalenko'}
    """
    parsed = parse_full_name(value)
    return {"given": parsed.given, "patronymic": parsed.patronymic, "family": parsed.family}
