"""Given names across Ukrainian, Russian and Latin: equivalence groups.

Homeward ships its own list of the given names of Ukrainian children
(``data/given_names_extra.tsv``): each line is one name with its Ukrainian
forms, its Russian forms, international Latin forms and its diminutives.  A
value is *resolved* to the groups it belongs to:

1. by its normalised spelling (``Саша`` is a diminutive of ``Олександр`` and
   of ``Олександра``);
2. otherwise by its :func:`~homeward.names.translit.skeleton`, which catches
   every romanisation (``Oleksandr``, ``Aleksandr``, ``Sasha``);
3. otherwise as a pet form built with a Ukrainian diminutive suffix on one of
   the listed names (``Богданчик``, ``Ігорко``, ``Віталько``, ``Оленка``);
4. otherwise by the Wikidata name items that rigour knows for it, mapped onto
   Homeward's groups where an item belongs to exactly one group.  For a name
   outside the list the items themselves stand for the name, so two spellings
   of a rare name rigour knows still meet.

Some names are distinct but one child is often recorded under both across
languages (``Дарина`` and ``Дарья``, ``Орина`` and ``Арина``, ``Данило`` and
``Daniel``): :mod:`homeward.names.related` knows these pairs.

Groups are never merged through a shared member: ``Саша`` meets ``Олександр``
and ``Олександра``, but ``Олександр`` and ``Олександра`` do not meet each
other.  A short form that is also a name of its own (``Олесь``, ``Ліза``,
``Влада``) is listed both as its own name and as a diminutive.

>>> sorted(given_name_groups("Sasha"))
['oleksandr', 'oleksandra', 'oleksandryna']
>>> sorted(given_name_groups("Nikita"))
['mykyta']
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from rigour.names import NameTypeTag, analyze_names

from homeward.names.normalize import normalize_text
from homeward.names.translit import SYSTEMS, skeleton, transliterate

Role = Literal["uk", "ru", "latin", "diminutive", "variant"]
"""How a value belongs to a group: one of its Ukrainian, Russian or Latin
forms, a diminutive (listed, or built with a diminutive suffix), or a variant
known from rigour's name data."""

FULL_ROLES: frozenset[Role] = frozenset({"uk", "ru", "latin", "variant"})


@dataclass(frozen=True, slots=True)
class NameGroup:
    """One given name in all its forms."""

    id: str
    sex: str
    uk: tuple[str, ...]
    ru: tuple[str, ...]
    latin: tuple[str, ...]
    diminutives: tuple[str, ...]

    @property
    def label(self) -> str:
        """The usual Ukrainian form, for display."""
        return self.uk[0]


@dataclass(frozen=True, slots=True)
class Membership:
    """A value's place in one group: the group id, the role and the form met."""

    group: str
    role: Role
    form: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """What is known of one given-name word.

    ``memberships`` are its places in Homeward's groups; ``symbols`` are
    rigour's Wikidata name items, kept only for words outside the groups.
    """

    token: str
    memberships: tuple[Membership, ...] = ()
    symbols: frozenset[str] = field(default_factory=frozenset)
    derived: bool = False
    """Whether the word is known only as a pet form read from its suffix
    (``Павлик``): such words are often family names too."""

    @property
    def known(self) -> bool:
        """Whether the word is one of Homeward's listed names."""
        return bool(self.memberships)

    @property
    def groups(self) -> frozenset[str]:
        """The ids of the groups the word belongs to."""
        return frozenset(m.group for m in self.memberships)


@dataclass(slots=True)
class _Index:
    groups: dict[str, NameGroup]
    by_form: dict[str, list[Membership]]
    by_skeleton: dict[str, list[Membership]]
    by_stem: dict[str, list[str]]
    """Stem a pet form is built on -> the ids of the names it comes from."""


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split(",") if v.strip())


def read_data_tsv(name: str) -> list[dict[str, str]]:
    """The rows of one of the shipped tab-separated lists in ``data/``."""
    text = resources.files("homeward.names").joinpath(f"data/{name}").read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    return list(csv.DictReader(lines, delimiter="\t"))


def load_name_groups() -> dict[str, NameGroup]:
    """Read the shipped list of given names.

    >>> groups = load_name_groups()
    >>> groups["mykyta"].ru
    ('Никита',)
    >>> len(groups) > 250
    True
    """
    groups: dict[str, NameGroup] = {}
    for row in read_data_tsv("given_names_extra.tsv"):
        group = NameGroup(
            id=row["id"],
            sex=row["sex"],
            uk=_split(row["uk"]),
            ru=_split(row["ru"]),
            latin=_split(row.get("latin")),
            diminutives=_split(row.get("diminutives")),
        )
        if group.id in groups:
            raise ValueError(f"given_names_extra.tsv: group {group.id!r} is listed twice")
        groups[group.id] = group
    return groups


# Ukrainian (and Russian) suffixes that make a pet form of a given name, by the
# sex of the name: Богдан -> Богданчик, Ігор -> Ігорко, Олена -> Оленка.
_PET_SUFFIXES: dict[str, tuple[str, ...]] = {
    "m": ("очок", "ечок", "чок", "чик", "ик", "ко", "усь", "ьо"),
    "f": ("очка", "ечка", "онька", "енька", "унька", "уся", "ся", "нька", "ка", "ня"),
}
_ENDINGS = ("ій", "ія", "ий", "ко", "а", "я", "о", "й", "ь", "к")


def _stems(form: str) -> set[str]:
    """What a pet form of ``form`` is built on: the name itself, or the name
    without its ending (Ярема -> ярем, Марко -> мар, Віталій -> віталь)."""
    stems = {form}
    for ending in _ENDINGS:
        if form.endswith(ending) and len(form) - len(ending) >= 3:
            stem = form[: -len(ending)]
            stems.add(stem)
            if ending in ("ій", "ий"):
                stems.add(stem + "ь")
    return stems


def _pet_form_of(token: str, index: _Index) -> list[Membership]:
    """The names ``token`` is a pet form of, built with a diminutive suffix."""
    found: list[Membership] = []
    for sex, suffixes in _PET_SUFFIXES.items():
        for suffix in suffixes:
            if not token.endswith(suffix) or len(token) - len(suffix) < 2:
                continue
            for group_id in index.by_stem.get(token[: -len(suffix)], ()):
                member = Membership(group_id, "diminutive", token)
                if index.groups[group_id].sex == sex and member not in found:
                    found.append(member)
    return found


@lru_cache(maxsize=131_072)
def name_symbols(token: str) -> frozenset[str]:
    """rigour's Wikidata name items for one word (empty when it knows none).

    >>> "Q40203849" in name_symbols("Данило") & name_symbols("Даниил")
    True
    """
    if not token or token.endswith("."):
        return frozenset()
    names = analyze_names(
        NameTypeTag.PER, [token], phonetics=False, consolidate=False, rewrite=False
    )
    return frozenset(s.id for name in names for s in name.symbols if s.category.value == "NAME")


@cache
def _index() -> _Index:
    groups = load_name_groups()
    by_form: dict[str, list[Membership]] = defaultdict(list)
    by_skeleton: dict[str, list[Membership]] = defaultdict(list)
    for group in groups.values():
        roles: list[tuple[Role, tuple[str, ...]]] = [
            ("uk", group.uk),
            ("ru", group.ru),
            ("latin", group.latin),
            ("diminutive", group.diminutives),
        ]
        for role, forms in roles:
            for raw in forms:
                spellings = [raw]
                if role == "diminutive":
                    # Latin records write diminutives too (Sasha, Nastia, Lisa): as
                    # any transliteration system writes them, they still belong here
                    spellings += [transliterate(raw, system) for system in sorted(SYSTEMS)]
                for spelling in spellings:
                    form = normalize_text(spelling)
                    member = Membership(group.id, role, form)
                    for table, key in ((by_form, form), (by_skeleton, skeleton(form))):
                        if all(m.group != group.id or m.role != role for m in table[key]):
                            table[key].append(member)
    by_stem: dict[str, list[str]] = defaultdict(list)
    for group in groups.values():
        for raw in (*group.uk, *group.ru):
            for stem in _stems(normalize_text(raw)):
                if group.id not in by_stem[stem]:
                    by_stem[stem].append(group.id)
    return _Index(groups, dict(by_form), dict(by_skeleton), dict(by_stem))


@cache
def _symbol_map() -> dict[str, str]:
    """Wikidata name item -> the one group whose Ukrainian or Russian forms carry it.

    Built only when a word outside the list is met: loading rigour's name data
    takes seconds.
    """
    symbol_groups: dict[str, set[str]] = defaultdict(set)
    for group in _index().groups.values():
        for form in (*group.uk, *group.ru):
            for symbol in name_symbols(normalize_text(form)):
                symbol_groups[symbol].add(group.id)
    return {s: next(iter(g)) for s, g in symbol_groups.items() if len(g) == 1}


def name_groups() -> dict[str, NameGroup]:
    """Every shipped given name by id, read once.

    >>> name_groups()["hanna"].ru
    ('Анна',)
    """
    return _index().groups


def name_group(group_id: str) -> NameGroup:
    """The group with this id.

    >>> name_group("hanna").uk
    ('Ганна', 'Анна')
    """
    return _index().groups[group_id]


@lru_cache(maxsize=131_072)
def resolve_given_name(token: str) -> Resolution:
    """Find the groups one given-name word belongs to.

    >>> [(m.group, m.role) for m in resolve_given_name("Сашко").memberships]
    [('oleksandr', 'diminutive')]
    >>> resolve_given_name("Aleksandr").memberships[0].role
    'ru'
    >>> resolve_given_name("Ян").groups == resolve_given_name("Іван").groups
    False
    """
    token = normalize_text(token)
    if not token or token.endswith("."):
        return Resolution(token)
    index = _index()
    found = list(index.by_form.get(token) or ())
    if not found or token.isascii():
        # A Latin spelling may be a listed form of one name (``zlata``, a
        # diminutive of Zlatoslava) and, letter for letter, another name (Злата):
        # it belongs to both.
        found += [m for m in index.by_skeleton.get(skeleton(token)) or () if m not in found]
    if found:
        return Resolution(token, tuple(found))
    if not token.isascii():
        pet = _pet_form_of(token, index)
        if pet:
            return Resolution(token, tuple(pet), derived=True)
    symbols = name_symbols(token)
    if not symbols:
        return Resolution(token)
    by_symbol = _symbol_map()
    mapped = sorted({by_symbol[s] for s in symbols if s in by_symbol})
    if len(mapped) == 1:
        return Resolution(token, (Membership(mapped[0], "variant", token),))
    return Resolution(token, (), symbols)


def given_name_groups(value: str) -> frozenset[str]:
    """The ids of the groups a given-name word belongs to.

    >>> sorted(given_name_groups("Женя"))
    ['yevhen', 'yevheniia']
    """
    return resolve_given_name(value).groups


def given_name_sex(value: str) -> str | None:
    """``"m"`` or ``"f"`` when every group of the word has that sex, else ``None``.

    >>> given_name_sex("Олександра"), given_name_sex("Oleksandr"), given_name_sex("Саша")
    ('f', 'm', None)
    """
    index = _index()
    sexes = {index.groups[g].sex for g in resolve_given_name(value).groups}
    return sexes.pop() if len(sexes) == 1 else None


def group_skeletons(group_id: str) -> frozenset[str]:
    """Skeletons of every full (non-diminutive) form of a group."""
    return _group_skeletons(group_id)


@cache
def _group_skeletons(group_id: str) -> frozenset[str]:
    group = _index().groups[group_id]
    return frozenset(skeleton(f) for f in (*group.uk, *group.ru, *group.latin))
