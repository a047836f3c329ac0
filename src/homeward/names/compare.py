"""Comparison and blocking keys for given names, patronymics and family names.

Every ``compare_*`` function takes two raw values and returns a
:class:`~homeward.names.comparison.Comparison`: a ``level`` from the kind's
ordered ``*_LEVELS`` tuple (strongest agreement first, ``"missing"`` last) and
a ``reason`` for a person.  Comparisons are symmetric and cached.

Levels up to and including ``"typo"`` / ``"initial"`` *agree*: they say the
two values are the same name.  ``"similar"`` is the grey zone, and
``"different"`` contradicts (:func:`agrees` tells them apart).  Two values
that are both listed given names of different groups are ``"different"`` even
when one letter apart: ``Марія`` / ``Марина``, ``Олександр`` / ``Олександра``.

Every ``*_keys`` function returns blocking keys: short strings such that two
values at an agreeing level other than ``"typo"``, ``"initial"`` and
``"partial"`` always share at least one key.

Full names are compared in :mod:`homeward.names.fullname`.

>>> compare_given_names("Олександр", "Aleksandr")
Comparison(level='equivalent', reason='same name (Олександр), Russian form')
>>> compare_given_names("Саша", "Oleksandr").level
'diminutive'
>>> compare_family_names("Петров", "Petrova").level
'gendered'
>>> compare_patronymics("Сергійович", "Sergeevich").level
'equivalent'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

from homeward.names.comparison import Comparison
from homeward.names.family import compatible_suffixes, family_form
from homeward.names.given import FULL_ROLES, Resolution, group_skeletons, name_group
from homeward.names.given import resolve_given_name as _resolve
from homeward.names.normalize import is_initial, letter_script, normalize_text
from homeward.names.patronymic import parse_patronymic
from homeward.names.related import related_pairs, relation_between
from homeward.names.translit import skeleton

GIVEN_LEVELS = (
    "exact", "equivalent", "transliteration", "diminutive", "related", "partial", "typo",
    "initial", "similar", "different", "missing",
)  # fmt: skip
"""Levels of :func:`compare_given_names`, strongest agreement first."""
PATRONYMIC_LEVELS = (
    "exact", "equivalent", "transliteration", "typo", "initial", "similar", "different",
    "missing",
)  # fmt: skip
"""Levels of :func:`compare_patronymics`, strongest agreement first."""
FAMILY_LEVELS = (
    "exact", "equivalent", "transliteration", "gendered", "partial", "typo", "similar",
    "different", "missing",
)  # fmt: skip
"""Levels of :func:`compare_family_names`, strongest agreement first."""

PAIR_CACHE = 16_384
"""Comparisons of pairs of values kept, per kind: a server process meets the same
pairs again (a case page opened twice), never most of the pairs it has compared;
a batch run keeps the level of every distinct pair on its own."""
SIMILAR_THRESHOLD = 0.88
"""Jaro-Winkler similarity of skeletons from which two unlisted names are "similar"."""
_NON_AGREEING = frozenset({"similar", "family_differs", "different", "missing"})
_SPLIT = re.compile(r"[\s\-]+")
_WordCompare = Callable[[str, str], Comparison]


def agrees(level: str) -> bool:
    """Whether a level says the two values are the same name.

    >>> agrees("diminutive"), agrees("typo"), agrees("similar"), agrees("different")
    (True, True, False, False)
    """
    return level not in _NON_AGREEING


def _words(value: str) -> list[str]:
    return [w for w in _SPLIT.split(value) if w]


def _one_edit(a: str, b: str, shortest: int = 4) -> bool:
    if min(len(a), len(b)) < shortest:
        return False
    return OSA.distance(a, b, score_cutoff=1) <= 1


# --- given names ------------------------------------------------------------

_ROLE_TEXT = {"ru": "Russian form", "latin": "international form", "variant": "variant form"}


def _role_reason(group_id: str, roles_a: set[str], roles_b: set[str]) -> str:
    label = name_group(group_id).label
    for role in ("variant", "latin", "ru"):
        for one, other in ((roles_a, roles_b), (roles_b, roles_a)):
            if one <= {role, "diminutive"} and role in one and not other <= {role, "diminutive"}:
                return f"same name ({label}), {_ROLE_TEXT[role]}"
    return f"same name ({label}), another form"


def _initial_letters(word: str, resolution: Resolution) -> set[str]:
    letters = {skeleton(word)[:1].lower()}
    for group in resolution.groups:
        letters |= {s[:1].lower() for s in group_skeletons(group)}
    return letters


def _compare_initial(a: str, b: str) -> Comparison:
    if is_initial(a) and is_initial(b):
        if skeleton(a)[:1].lower() == skeleton(b)[:1].lower():
            return Comparison("initial", "same initial in another script")
        return Comparison("different", "different initials")
    initial, word = (a, b) if is_initial(a) else (b, a)
    if skeleton(initial)[:1].lower() in _initial_letters(word, _resolve(word)):
        return Comparison("initial", f"initial {initial.upper()} fits")
    return Comparison("different", f"initial {initial.upper()} does not fit")


@lru_cache(maxsize=PAIR_CACHE)
def _given_word(a: str, b: str) -> Comparison:
    if a == b:
        return Comparison("exact", "identical")
    if is_initial(a) or is_initial(b):
        return _compare_initial(a, b)
    ra, rb = _resolve(a), _resolve(b)
    shared = ra.groups & rb.groups
    sa, sb = skeleton(a), skeleton(b)
    if shared:
        group = sorted(shared)[0]
        label = name_group(group).label
        if sa == sb:
            return Comparison("transliteration", f"same name ({label}), another spelling")
        roles_a: set[str] = {m.role for m in ra.memberships if m.group in shared}
        roles_b: set[str] = {m.role for m in rb.memberships if m.group in shared}
        if not (roles_a & FULL_ROLES and roles_b & FULL_ROLES):
            return Comparison("diminutive", f"diminutive of {label}")
        return Comparison("equivalent", _role_reason(group, roles_a, roles_b))
    if sa == sb:
        return Comparison("transliteration", "transliteration variant")
    if ra.symbols & rb.symbols:
        return Comparison("equivalent", "same name in Wikidata's name variants")
    why = relation_between(ra, rb)
    if why:
        return Comparison("related", f"related names: {why}")
    if ra.known and rb.known:
        return Comparison("different", "different names")
    latin = letter_script(a) == letter_script(b) == "latin"
    if latin and _one_edit(a, b) and not _feminine_of(a, b):
        # Letter for letter, before the skeletons: they spell digraphs as one
        # sound, so Rachel / Racehl would be two letters apart and Olivia /
        # Oliiva look like a masculine and a feminine name.
        return Comparison("typo", "one letter off")
    candidates_a = {sa} | {s for g in ra.groups for s in group_skeletons(g)}
    candidates_b = {sb} | {s for g in rb.groups for s in group_skeletons(g)}
    if any(_feminine_of(x, y) for x in candidates_a for y in candidates_b):
        return Comparison("different", "masculine and feminine names")
    if any(_one_edit(x, y) for x in candidates_a for y in candidates_b):
        return Comparison("typo", "one letter off")
    if JaroWinkler.similarity(sa, sb) >= SIMILAR_THRESHOLD:
        return Comparison("similar", "similar spelling")
    return Comparison("different", "different names")


def _feminine_of(a: str, b: str) -> bool:
    """Whether one skeleton is the other with a feminine ending (Роман / Романа)."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and long in (short + "a", short + "ia", short[:-1] + "ia")


def _worst(comparisons: list[Comparison], levels: tuple[str, ...]) -> Comparison:
    return max(comparisons, key=lambda c: levels.index(c.level))


def _best(comparisons: list[Comparison], levels: tuple[str, ...]) -> Comparison:
    return min(comparisons, key=lambda c: levels.index(c.level))


def _compare_values(
    a: str | None, b: str | None, compare_word: _WordCompare, levels: tuple[str, ...], what: str
) -> Comparison:
    """Normalise two values and compare them word by word, in a fixed order
    (so the comparison is symmetric); a missing side is ``missing``."""
    na, nb = normalize_text(a), normalize_text(b)
    if not na or not nb:
        return Comparison("missing", f"no {what} on one side")
    if na > nb:
        na, nb = nb, na
    return _multi(na, nb, compare_word, levels)


def _multi(a: str, b: str, compare_word: _WordCompare, levels: tuple[str, ...]) -> Comparison:
    """Compare values that may hold several words (double names)."""
    wa, wb = _words(a), _words(b)
    if len(wa) == 1 and len(wb) == 1:
        return compare_word(wa[0], wb[0])
    if len(wa) > len(wb):
        wa, wb = wb, wa
    matched = [_best([compare_word(x, y) for y in wb], levels) for x in wa]
    result = _worst(matched, levels)
    if len(wa) == len(wb):
        in_order = _worst([compare_word(x, y) for x, y in zip(wa, wb, strict=True)], levels)
        return _best([in_order, result], levels) if agrees(result.level) else in_order
    if (
        "partial" in levels
        and agrees(result.level)
        and levels.index(result.level) < levels.index("partial")
    ):
        return Comparison("partial", "one name of a double name")
    return result


@lru_cache(maxsize=PAIR_CACHE)
def compare_given_names(a: str | None, b: str | None) -> Comparison:
    """Compare two given names (one word, or a double name).

    >>> compare_given_names("Микита", "Nikita")
    Comparison(level='equivalent', reason='same name (Микита), Russian form')
    >>> compare_given_names("Hanna", "Ганна").level
    'transliteration'
    >>> compare_given_names("Олександр", "Олександра")
    Comparison(level='different', reason='different names')
    >>> compare_given_names("Олексанлр", "Oleksandr")
    Comparison(level='typo', reason='one letter off')
    >>> compare_given_names("Анна-Марія", "Анна").level
    'partial'
    >>> compare_given_names("", "Анна").level
    'missing'
    """
    return _compare_values(a, b, _given_word, GIVEN_LEVELS, "given name")


@lru_cache(maxsize=131_072)
def given_name_keys(value: str | None) -> frozenset[str]:
    """Blocking keys of a given name: its groups, the pairs of related names
    it is part of, its skeleton, its name items.

    >>> sorted(given_name_keys("Sasha"))
    ['g:oleksandr', 'g:oleksandra', 'g:oleksandryna', 'gs:saSa']
    >>> bool(given_name_keys("Олександр") & given_name_keys("Aleksandr"))
    True
    >>> sorted(given_name_keys("Дарина") & given_name_keys("Дарья"))
    ['gr:daryna~dariia']
    """
    keys: set[str] = set()
    for word in _words(normalize_text(value)):
        if is_initial(word):
            keys.add(f"gi:{skeleton(word)[:1].lower()}")
            continue
        resolution = _resolve(word)
        keys.update(f"g:{g}" for g in resolution.groups)
        keys.update(f"gr:{a}~{b}" for a, b in related_pairs(resolution.groups))
        keys.update(f"gq:{s}" for s in resolution.symbols)
        keys.add(f"gs:{skeleton(word)}")
    return frozenset(keys)


# --- patronymics ------------------------------------------------------------


@lru_cache(maxsize=PAIR_CACHE)
def _patronymic_word(a: str, b: str) -> Comparison:
    if a == b:
        return Comparison("exact", "identical")
    if is_initial(a) or is_initial(b):
        if is_initial(a) and is_initial(b):
            return _compare_initial(a, b)
        initial, word = (a, b) if is_initial(a) else (b, a)
        parsed = parse_patronymic(word)
        letters = {skeleton(word)[:1].lower()}
        if parsed:
            letters |= {s[:1].lower() for g in parsed.father_groups for s in group_skeletons(g)}
        if skeleton(initial)[:1].lower() in letters:
            return Comparison("initial", f"initial {initial.upper()} fits")
        return Comparison("different", f"initial {initial.upper()} does not fit")
    pa, pb = parse_patronymic(a), parse_patronymic(b)
    if pa and pb and pa.sex != pb.sex:
        return Comparison("different", "a son's and a daughter's patronymic")
    sa, sb = skeleton(a), skeleton(b)
    if pa and pb and pa.father_groups & pb.father_groups:
        label = name_group(sorted(pa.father_groups & pb.father_groups)[0]).label
        if sa == sb:
            return Comparison("transliteration", f"same father's name ({label}), another spelling")
        return Comparison("equivalent", f"same father's name ({label}), another language form")
    if sa == sb:
        return Comparison("transliteration", "transliteration variant")
    if pa and pb and pa.father_groups and pb.father_groups:
        return Comparison("different", "different fathers' names")
    if _one_edit(sa, sb, shortest=6):
        return Comparison("typo", "one letter off")
    if JaroWinkler.similarity(sa, sb) >= SIMILAR_THRESHOLD:
        return Comparison("similar", "similar spelling")
    return Comparison("different", "different patronymics")


@lru_cache(maxsize=PAIR_CACHE)
def compare_patronymics(a: str | None, b: str | None) -> Comparison:
    """Compare two patronymics by the father's name and the sex they mark.

    >>> compare_patronymics("Сергійович", "Serhiyovych").level
    'transliteration'
    >>> compare_patronymics("Сергійович", "Сергіївна")
    Comparison(level='different', reason="a son's and a daughter's patronymic")
    >>> compare_patronymics("Олександрович", "Aleksandrovich").level
    'equivalent'
    >>> compare_patronymics("С.", "Сергеевич").level
    'initial'
    """
    return _compare_values(a, b, _patronymic_word, PATRONYMIC_LEVELS, "patronymic")


@lru_cache(maxsize=131_072)
def patronymic_keys(value: str | None) -> frozenset[str]:
    """Blocking keys of a patronymic: father's name group with sex, and skeleton.

    >>> sorted(patronymic_keys("Sergeevich"))
    ['p:serhii:m', 'ps:sergeviQ']
    """
    keys: set[str] = set()
    for word in _words(normalize_text(value)):
        if is_initial(word):
            keys.add(f"pi:{skeleton(word)[:1].lower()}")
            continue
        parsed = parse_patronymic(word)
        if parsed:
            keys.update(f"p:{g}:{parsed.sex}" for g in parsed.father_groups)
        keys.add(f"ps:{skeleton(word)}")
    return frozenset(keys)


# --- family names -----------------------------------------------------------


@lru_cache(maxsize=PAIR_CACHE)
def _family_word(a: str, b: str) -> Comparison:
    if a == b:
        return Comparison("exact", "identical")
    fa, fb = family_form(a), family_form(b)
    if fa.skeleton == fb.skeleton:
        if letter_script(a) == letter_script(b) == "cyrillic":
            return Comparison("equivalent", "same family name, Ukrainian and Russian spelling")
        return Comparison("transliteration", "transliteration variant")
    if fa.stem == fb.stem:
        if fa.sex and fb.sex and fa.sex != fb.sex:
            return Comparison("gendered", "same family name, masculine and feminine forms")
        if letter_script(a) == letter_script(b) == "cyrillic":
            return Comparison("equivalent", "same family name, Ukrainian and Russian spelling")
        return Comparison("equivalent", "transliteration of another language form")
    if compatible_suffixes(fa.suffix, fb.suffix) and _one_edit(fa.stem, fb.stem, shortest=5):
        return Comparison("typo", "one letter off")
    # A different ending makes a different family name (Коваленко / Коваленков).
    if fa.suffix == fb.suffix and JaroWinkler.similarity(fa.stem, fb.stem) >= SIMILAR_THRESHOLD:
        return Comparison("similar", "similar spelling")
    return Comparison("different", "different family names")


@lru_cache(maxsize=PAIR_CACHE)
def compare_family_names(a: str | None, b: str | None) -> Comparison:
    """Compare two family names (one word or a double-barrelled name).

    >>> compare_family_names("Коваленко", "KOVALENKO")
    Comparison(level='transliteration', reason='transliteration variant')
    >>> compare_family_names("Сергієнко", "Сергиенко").level
    'equivalent'
    >>> compare_family_names("Ковальська", "Kovalskyi").level
    'gendered'
    >>> compare_family_names("Коваленко", "Коваленков").level
    'different'
    >>> compare_family_names("Коваленко", "Ковальчук").level
    'different'
    """
    return _compare_values(a, b, _family_word, FAMILY_LEVELS, "family name")


@lru_cache(maxsize=262_144)
def family_name_keys(value: str | None) -> frozenset[str]:
    """Blocking keys of a family name: the stem of each of its words.

    >>> family_name_keys("Петрова") == family_name_keys("Petrov")
    True
    """
    return frozenset(f"f:{family_form(w).stem}" for w in _words(normalize_text(value)))


def clear_pair_caches() -> None:
    """Forget the comparisons of pairs of names made so far.

    A batch run keeps the level of every distinct pair of values it compares
    on its own (:class:`homeward.linkage.scoring.ValueTable`); on a large input
    these caches would hold hundreds of thousands of pairs besides.
    """
    for cached in (
        _given_word, compare_given_names, _patronymic_word, compare_patronymics,
        _family_word, compare_family_names,
    ):  # fmt: skip
        cached.cache_clear()
