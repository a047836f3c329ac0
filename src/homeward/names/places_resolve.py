"""Resolve a free-text place to the gazetteer entry (or entries) it names.

The public entry point is :func:`resolve_place`, re-exported by
:mod:`homeward.names.places`; the helpers here split the text into segments,
set aside kind words, raions, streets and countries, read the oblast in any
case or script, and look the settlement up by name, spelling variant or typo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract

from homeward.names.places_gazetteer import (
    ALIAS,
    REGION_ALSO,
    REGION_MARKERS,
    SKELETON,
    TYPO,
    Gazetteer,
    Hit,
    load_gazetteer,
)
from homeward.names.places_text import (
    has_cyrillic,
    normalize_place,
    place_skeleton,
    region_word_key,
    strip_adjective_ending,
    word_set,
)

RESOLVED = "resolved"
AMBIGUOUS = "ambiguous"
UNRESOLVED = "unresolved"
MISSING = "missing"

# Words before or after a name saying what kind of settlement it is.
_KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(word_set("м місто мiсто г город гор city town misto gorod"), "city"),
    **dict.fromkeys(
        word_set("смт пгт селище поселок пос п сщ смн smt pgt settlement selyshche"), "settlement"
    ),
    **dict.fromkeys(word_set("с село сел д дер деревня х хутір хутор village selo s"), "village"),
}
_FILLER = word_set("ще urban type of")  # "с-ще", "urban-type settlement"
_RAION_WORDS = word_set("р н рн район району районі районе raion rayon district")
_HROMADA_WORDS = word_set("громада громади тг отг hromada community рада совет")
_COUNTRY_WORDS = word_set(
    """україна украина ukraine україни украины росія россия russia рф rf росії россии
    федерація федерация federation российская російська russian білорусь беларусь
    belarus рб"""
)
_STREET_WORDS = word_set(
    "вул вулиця ул улица пр просп проспект пров пер переулок бул бульвар буд кв street"
)
# Adjectives of raion and council names ("Бахмутська міська рада", "сельский совет").
_ADJECTIVE = re.compile(
    r"(?:[сцз]ьк|[сцз]к|[иы]щн|елищн|ков|сільськ|сельск)(?:а|ий|ого|ому|ій|ої|ая|ой|ую|ое|ый)$"
)
_MARKERS_OR_OF = REGION_MARKERS | {"of"}
_TYPO_MIN_LETTERS = 6


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A gazetteer entry a text was found to name, and how it was found.

    ``name`` is the canonical Ukrainian name, ``region`` the region id
    (``"UA-14"``; a region's own id when the entry is a region) and ``matched``
    says how the text matched: ``"Ukrainian name"``, ``"Russian name"``,
    ``"former name"``, ``"Latin spelling"``, ``"one letter differs"``...
    """

    entry_id: str
    name: str
    latin: str
    region: str
    region_name: str
    kind: str
    matched: str
    form: str


@dataclass(frozen=True, slots=True)
class PlaceResolution:
    """What :func:`resolve_place` made of one value.

    ``status`` is ``"resolved"`` (one entry), ``"ambiguous"`` (several entries
    bear the name and nothing in the text tells them apart; all are in
    ``candidates``), ``"unresolved"`` (a name the gazetteer does not know, kept
    in ``name``) or ``"missing"`` (nothing usable).  ``region`` is the region the
    text states or the resolved entry lies in.
    """

    text: str
    name: str
    region: str | None
    status: str
    candidates: tuple[PlaceMatch, ...]
    note: str

    @property
    def match(self) -> PlaceMatch | None:
        """The one entry the text names, when it is resolved."""
        return self.candidates[0] if self.status == RESOLVED else None

    @property
    def entry_id(self) -> str | None:
        """The id of the one entry the text names, when it is resolved."""
        return self.candidates[0].entry_id if self.status == RESOLVED else None

    @property
    def entry_ids(self) -> frozenset[str]:
        """Every entry the text may name (one when resolved, several when ambiguous)."""
        return frozenset(match.entry_id for match in self.candidates)


@dataclass(slots=True)
class _Segment:
    name: str = ""
    kind_hint: str | None = None
    region: str | None = None


def _match(gazetteer: Gazetteer, hit: Hit, matched: str | None = None) -> PlaceMatch:
    entry_id, how, form = hit
    entry = gazetteer.entries[entry_id]
    region = entry.region_id
    return PlaceMatch(
        entry_id=entry_id,
        name=entry.uk,
        latin=entry.latin,
        region=region,
        region_name=gazetteer.region_name(region),
        kind=entry.kind,
        matched=matched or how,
        form=form,
    )


def _region_of_phrase(gazetteer: Gazetteer, words: list[str]) -> str | None:
    key = region_word_key(" ".join(words))
    return gazetteer.region_words.get(key) if key else None


def _alias_region(gazetteer: Gazetteer, name: str) -> str | None:
    found = gazetteer.region_aliases.get(name)
    if found is None and name and not has_cyrillic(name):
        found = gazetteer.region_aliases.get("~" + place_skeleton(name))
    return found


def _bare_region(gazetteer: Gazetteer, name: str) -> str | None:
    """A region named without a marker word: an alias, or an oblast adjective."""
    found = _alias_region(gazetteer, name)
    if found or not name:
        return found
    words = name.split()
    if has_cyrillic(name) and (len(words) > 2 or not strip_adjective_ending(words[-1])[1]):
        return None
    return _region_of_phrase(gazetteer, words)


def _closing_region(gazetteer: Gazetteer, tokens: list[str]) -> str | None:
    """A region word closing a segment: "Маріуполь Донецька", "г. Донецк ДНР".

    An alias or a Cyrillic oblast adjective is enough; a bare Latin word
    ("Mariupol Donetsk") counts only when the rest names a known place.
    """
    last = tokens[-1]
    found = _alias_region(gazetteer, last)
    if found:
        return found
    if has_cyrillic(last):
        return _region_of_phrase(gazetteer, [last]) if strip_adjective_ending(last)[1] else None
    if _known(gazetteer, " ".join(tokens[:-1])):
        return _region_of_phrase(gazetteer, [last])
    return None


def _take_region_phrase(gazetteer: Gazetteer, tokens: list[str]) -> tuple[list[str], str | None]:
    """Find "Донецька обл." / "Donetsk region" / "Республика Татарстан" in tokens."""
    for start, token in enumerate(tokens):
        if token not in REGION_MARKERS:
            continue
        end = start
        while end + 1 < len(tokens) and tokens[end + 1] in _MARKERS_OR_OF:
            end += 1
        spans = ((start - 2, start), (start - 1, start), (end + 1, end + 2), (end + 1, end + 3))
        for lo, hi in spans:
            if lo < 0 or hi > len(tokens) or lo >= hi:
                continue
            region = _region_of_phrase(gazetteer, tokens[lo:hi])
            if region:
                kept = tokens[: min(lo, start)] + tokens[max(hi, end + 1) :]
                return kept, region
        return tokens[:start] + tokens[end + 1 :], None
    return tokens, None


def _drop_phrases(tokens: list[str], markers: frozenset[str]) -> list[str]:
    """Drop "Бахмутський р-н" / "Бахмутська міська рада": the marker and its adjectives."""
    kept: list[str] = []
    after_marker = False
    for token in tokens:
        if token not in markers:
            kept.append(token)
            after_marker = False
            continue
        if not after_marker and kept:
            kept.pop()
            while kept and _ADJECTIVE.search(kept[-1]):
                kept.pop()
        after_marker = True
    return kept


def _parse_segment(gazetteer: Gazetteer, raw: str) -> _Segment | None:
    tokens = normalize_place(raw).split()
    tokens = [t for t in tokens if t not in _COUNTRY_WORDS and not any(c.isdigit() for c in t)]
    if not tokens or (tokens[0] in _STREET_WORDS and len(tokens) > 1):
        return None
    whole = _alias_region(gazetteer, " ".join(tokens))
    if whole:
        return _Segment("", None, whole)
    tokens = _drop_phrases(tokens, _RAION_WORDS)
    tokens = _drop_phrases(tokens, _HROMADA_WORDS)
    tokens, region = _take_region_phrase(gazetteer, tokens)
    hint = None
    while len(tokens) > 1 and (tokens[0] in _KIND_WORDS or tokens[0] in _FILLER):
        hint = _KIND_WORDS.get(tokens.pop(0), hint)
    while len(tokens) > 1 and (tokens[-1] in _KIND_WORDS or tokens[-1] in _FILLER):
        hint = _KIND_WORDS.get(tokens.pop(), hint)
    if len(tokens) == 1 and tokens[0] in _KIND_WORDS:
        tokens = []
    if region is None and len(tokens) > 1 and not _known(gazetteer, " ".join(tokens)):
        region = _closing_region(gazetteer, tokens)
        if region:
            tokens = tokens[:-1]
    return _Segment(" ".join(tokens), hint, region)


def _in_region(match: PlaceMatch, region: str) -> bool:
    return match.region == region or region in REGION_ALSO.get(match.region, frozenset())


def _known(gazetteer: Gazetteer, name: str) -> tuple[PlaceMatch, ...]:
    """Entries whose name or spelling variant equals ``name``."""
    hits = gazetteer.exact.get(name)
    if hits:
        return tuple(_match(gazetteer, hit) for hit in hits)
    hits = gazetteer.skeleton.get(place_skeleton(name))
    if hits:
        return tuple(_match(gazetteer, hit, SKELETON) for hit in hits)
    return ()


def _typos(gazetteer: Gazetteer, name: str) -> tuple[PlaceMatch, ...]:
    """Entries one edit away, for names of six letters or more."""
    if sum(ch.isalpha() for ch in name) < _TYPO_MIN_LETTERS:
        return ()
    forms = gazetteer.cyrillic_forms if has_cyrillic(name) else gazetteer.latin_forms
    found = extract(name, forms, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
    matches = []
    for form, _distance, _index in found:
        if sum(ch.isalpha() for ch in form) >= _TYPO_MIN_LETTERS:
            matches += [_match(gazetteer, hit, TYPO) for hit in gazetteer.exact[form]]
    return tuple(matches)


def _unique(matches: tuple[PlaceMatch, ...]) -> tuple[PlaceMatch, ...]:
    seen: dict[str, PlaceMatch] = {}
    for match in matches:
        seen.setdefault(match.entry_id, match)
    return tuple(sorted(seen.values(), key=lambda m: m.entry_id))


def _choose(
    gazetteer: Gazetteer, segment: _Segment, region: str | None
) -> tuple[tuple[PlaceMatch, ...], str]:
    outside: tuple[PlaceMatch, ...] = ()
    for tier in (_known, _typos):
        found = _unique(tier(gazetteer, segment.name))
        if region is not None:
            inside = tuple(m for m in found if _in_region(m, region))
            outside = outside or tuple(m for m in found if not _in_region(m, region))
            found = inside
        if found:
            if len(found) > 1 and segment.kind_hint:
                same_kind = tuple(m for m in found if m.kind == segment.kind_hint)
                found = same_kind or found
            return found, ""
    if outside and region is not None:
        where = ", ".join(sorted({m.region_name for m in outside}))
        stated = gazetteer.region_name(region)
        return (), f"the gazetteer has «{segment.name}» in {where}, not in {stated}"
    return (), "not in the gazetteer"


def _split_raw(text: str) -> list[str]:
    for separator in ";()[]/\\|\n":
        text = text.replace(separator, ",")
    return text.split(",")


@lru_cache(maxsize=262144)
def resolve_place(text: str | None) -> PlaceResolution:
    """Find the gazetteer entry a free-text place names.

    The text may name the settlement in Ukrainian, Russian or Latin letters, by
    a former or occupation-era name, with kind words (``м.``, ``г.``, ``смт``,
    ``с.``), with its oblast in any case or script (``Донецької області``,
    ``Donetsk region``, ``ДНР``) and with one wrong letter in names of six or
    more letters.  A stated oblast chooses between places of the same name;
    without one, the result is ``"ambiguous"`` with every candidate.  Results are
    cached, so repeated values cost a dictionary look-up.

    >>> resolve_place("г. Мариуполь").entry_id
    'UA-14:mariupol'
    >>> place = resolve_place("Бахмут Донецької області").match
    >>> place.name, place.region_name, place.kind
    ('Бахмут', 'Донецька область', 'city')
    >>> resolve_place("Artemovsk").status
    'ambiguous'
    >>> resolve_place("Артемовск, Донецкая обл.").match.matched
    'former name, in Russian'
    >>> resolve_place("Ростовская обл.").entry_id
    'RU-ROS'
    """
    if text is None or not str(text).strip():
        return PlaceResolution("" if text is None else str(text), "", None, MISSING, (), "empty")
    gazetteer = load_gazetteer()
    segments = [s for s in (_parse_segment(gazetteer, raw) for raw in _split_raw(str(text))) if s]
    region = next((s.region for s in segments if s.region), None)
    named = [s for s in segments if s.name]
    known = [bool(_known(gazetteer, s.name)) for s in named]
    bare = [_bare_region(gazetteer, s.name) for s in named]
    place = next((i for i, s in enumerate(named) if known[i] and not bare[i]), None)
    if place is None:
        place = next((i for i in range(len(named)) if known[i]), None)
    if place is None:
        place = next((i for i in range(len(named)) if not bare[i]), None)
    if region is None:
        region = next((bare[i] for i in range(len(named)) if bare[i] and i != place), None)
    if place is None:
        if region is None:
            return PlaceResolution(str(text), "", None, MISSING, (), "no place name found")
        hit = (region, ALIAS, gazetteer.region_name(region))
        return PlaceResolution(str(text), "", region, RESOLVED, (_match(gazetteer, hit),), "")
    segment = named[place]
    found, note = _choose(gazetteer, segment, region)
    if not found:
        return PlaceResolution(str(text), segment.name, region, UNRESOLVED, (), note)
    regions = {m.region for m in found}
    where = next(iter(regions)) if len(regions) == 1 else region
    if len(found) == 1:
        return PlaceResolution(str(text), segment.name, where, RESOLVED, found, "")
    places = "; ".join(f"{m.name} ({m.region_name})" for m in found)
    note = f"{len(found)} places bear this name: {places}"
    return PlaceResolution(str(text), segment.name, where, AMBIGUOUS, found, note)
