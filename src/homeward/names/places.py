"""Places: resolve free text to the gazetteer, compare two places, blocking keys.

A place arrives as whatever the source wrote: ``"м. Маріуполь, Донецька обл."``,
``"г. Мариуполь"``, ``"Mariupol, Donetsk oblast"``, ``"Бахмут Донецької області"``,
``"Артемовск"``.  :func:`resolve_place` finds the gazetteer entry it names (or
the several it may name), :func:`compare_places` grades two values and
:func:`place_keys` gives blocking keys that equivalent values always share.
"""

from __future__ import annotations

from functools import lru_cache

from homeward.names.comparison import Comparison
from homeward.names.places_gazetteer import (
    FORMER,
    FORMER_LATIN,
    FORMER_RUSSIAN,
    LATIN,
    LATIN_OF_RUSSIAN,
    RUSSIAN,
    SKELETON,
    TYPO,
    GazetteerEntry,
    gazetteer_entries,
    get_entry,
    load_gazetteer,
)
from homeward.names.places_resolve import (
    MISSING,
    PlaceMatch,
    PlaceResolution,
    resolve_place,
)
from homeward.names.places_text import normalize_place, place_skeleton

__all__ = [
    "LEVELS",
    "GazetteerEntry",
    "PlaceMatch",
    "PlaceResolution",
    "compare_places",
    "gazetteer_entries",
    "get_entry",
    "normalize_place",
    "place_keys",
    "place_skeleton",
    "resolve_place",
]

LEVELS = (
    "same_place",
    "possibly_same_place",
    "same_name_unresolved",
    "same_oblast",
    "different",
    "missing",
)


_KIND_NOUNS = {"city": "town", "settlement": "settlement", "village": "village"}


def _qualifiers(match: PlaceMatch) -> set[str]:
    how = match.matched
    found = set()
    if how in (FORMER, FORMER_RUSSIAN, FORMER_LATIN):
        found.add("former name")
    if how in (RUSSIAN, FORMER_RUSSIAN, LATIN_OF_RUSSIAN):
        found.add("Russian name")
    if how in (LATIN, LATIN_OF_RUSSIAN, FORMER_LATIN, SKELETON):
        found.add("Latin spelling")
    if how == TYPO:
        found.add("one letter differs")
    return found


_QUALIFIER_ORDER = ("former name", "Russian name", "Latin spelling", "one letter differs")


def _same_place_reason(a: PlaceMatch, b: PlaceMatch) -> str:
    noun = _KIND_NOUNS.get(a.kind, "region")
    if normalize_place(a.form) == normalize_place(b.form) and a.matched == b.matched:
        qualifiers = set()
    else:
        qualifiers = _qualifiers(a) | _qualifiers(b)
    words = [q for q in _QUALIFIER_ORDER if q in qualifiers]
    return ", ".join([f"same {noun} ({a.name})", *words])


def _regions_agree(a: PlaceResolution, b: PlaceResolution) -> bool:
    return a.region is None or b.region is None or a.region == b.region


def compare_places(a: str | None, b: str | None) -> Comparison:
    """Grade how far two place values agree.

    Levels, strongest first (:data:`LEVELS`):

    - ``same_place``: both resolve to one and the same gazetteer entry (the
      reason says whether a former, Russian or Latin name was involved);
    - ``possibly_same_place``: at least one side is ambiguous and the entries
      they may name overlap (``"Артемовск"`` and ``"Бахмут"``);
    - ``same_name_unresolved``: neither is in the gazetteer, their names have
      the same skeleton and their oblasts, where stated, agree;
    - ``same_oblast``: different or unknown settlements in one region;
    - ``different``: anything else;
    - ``missing``: either value is empty or names no place.

    The result does not depend on the order of the arguments.

    >>> compare_places("Бахмут", "Артемовск, Донецкая обл.")
    Comparison(level='same_place', reason='same town (Бахмут), former name, Russian name')
    >>> compare_places("Маріуполь", "Мелитополь").level
    'different'
    >>> compare_places("Маріуполь", "Донецька область").level
    'same_oblast'
    """
    ra, rb = resolve_place(a), resolve_place(b)
    if ra.status == MISSING or rb.status == MISSING:
        return Comparison("missing", "no place on one side")
    ids_a, ids_b = ra.entry_ids, rb.entry_ids
    if ids_a and ids_b:
        if len(ids_a) == len(ids_b) == 1 and ids_a == ids_b:
            pair = sorted([ra.candidates[0], rb.candidates[0]], key=lambda m: (m.matched, m.form))
            return Comparison("same_place", _same_place_reason(pair[0], pair[1]))
        shared = ids_a & ids_b
        if shared:
            names = ", ".join(sorted(f"{get_entry(i).uk} ({get_entry(i).region})" for i in shared))
            return Comparison("possibly_same_place", f"may be the same place: {names}")
    elif (
        not ids_a
        and not ids_b
        and _regions_agree(ra, rb)
        and place_skeleton(ra.name) == place_skeleton(rb.name)
    ):
        same = "same name" if ra.name == rb.name else "same name, other spelling"
        return Comparison("same_name_unresolved", f"{same}, not in the gazetteer")
    if ra.region and ra.region == rb.region:
        region_name = load_gazetteer().region_name(ra.region)
        return Comparison("same_oblast", f"different places in {region_name}")
    if ra.region and rb.region:
        return Comparison("different", "different regions")
    return Comparison("different", "different places")


@lru_cache(maxsize=262144)
def place_keys(value: str | None) -> frozenset[str]:
    """Blocking keys: two values :func:`compare_places` finds the same share one.

    A resolved value gives ``place:<entry id>``; an ambiguous one gives the key
    of every candidate; a name outside the gazetteer gives ``name:<skeleton>``.
    Empty values give no key.

    >>> sorted(place_keys("Artemovsk"))
    ['place:UA-09:kypuche', 'place:UA-14:bakhmut']
    >>> place_keys("м. Бахмут") == place_keys("Bakhmut, Donetsk oblast")
    True
    >>> place_keys("с. Вишневе")
    frozenset({'name:visneve'})
    """
    resolution = resolve_place(value)
    if resolution.candidates:
        return frozenset("place:" + entry_id for entry_id in resolution.entry_ids)
    if resolution.name:
        return frozenset({"name:" + place_skeleton(resolution.name)})
    return frozenset()
