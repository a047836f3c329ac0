"""The data tables the generator draws from, loaded once from ``data/*.tsv``."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Generic, TypeVar

from homeward.synthetic.model import Facility, Town

T = TypeVar("T")

OBLASTS: dict[str, tuple[str, str, str, str]] = {
    # code: (Ukrainian, Russian, the other side's name, Latin)
    "donetsk": ("Донецька обл.", "Донецкая обл.", "ДНР", "Donetsk Oblast"),
    "luhansk": ("Луганська обл.", "Луганская обл.", "ЛНР", "Luhansk Oblast"),
    "zaporizhzhia": (
        "Запорізька обл.",
        "Запорожская обл.",
        "Запорожская обл.",
        "Zaporizhzhia Oblast",
    ),
    "kherson": ("Херсонська обл.", "Херсонская обл.", "Херсонская обл.", "Kherson Oblast"),
    "kharkiv": ("Харківська обл.", "Харьковская обл.", "Харьковская обл.", "Kharkiv Oblast"),
    "mykolaiv": ("Миколаївська обл.", "Николаевская обл.", "Николаевская обл.", "Mykolaiv Oblast"),
    "crimea": ("АР Крим", "Республика Крым", "Республика Крым", "Autonomous Republic of Crimea"),
}


class Picker(Generic[T]):
    """Weighted random choice with the cumulative weights computed once."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights):
            raise ValueError("a picker needs as many positive weights as items")
        self._items = list(items)
        self._cum = list(itertools.accumulate(weights))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect.bisect_right(self._cum, rng.random() * self._total)]

    @property
    def items(self) -> list[T]:
        return self._items


@dataclass(frozen=True, slots=True)
class GivenName:
    """A Ukrainian given name with its Russian forms, diminutives and English form."""

    uk: str
    sex: str
    ru: tuple[str, ...]
    diminutives: tuple[str, ...]
    english: str | None
    weight_child: float
    weight_parent: float


def _rows(filename: str) -> list[list[str]]:
    text = resources.files("homeward.synthetic").joinpath("data", filename).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]] if "\t" in lines[0] else [[x] for x in lines]


@cache
def given_names() -> tuple[GivenName, ...]:
    """The curated table of Ukrainian given names (``data/given_names.tsv``)."""
    return tuple(
        GivenName(
            uk=uk,
            sex=sex,
            ru=tuple(ru.split("|")),
            diminutives=tuple(dims.split("|")),
            english=english or None,
            weight_child=float(w_child),
            weight_parent=float(w_parent),
        )
        for uk, sex, ru, dims, english, w_child, w_parent in _rows("given_names.tsv")
    )


@cache
def given_name_index() -> dict[str, GivenName]:
    return {name.uk: name for name in given_names()}


@cache
def towns() -> tuple[Town, ...]:
    """Towns of the occupied and frontline oblasts (``data/towns.tsv``)."""
    result = []
    for i, (oblast, uk, ru, latin, former_uk, former_ru, weight) in enumerate(_rows("towns.tsv")):
        region_uk, _, region_ru, region_latin = OBLASTS[oblast]
        result.append(
            Town(
                key=f"t{i:03d}",
                oblast=oblast,
                uk=uk,
                ru=ru,
                latin=latin,
                former_uk=former_uk or None,
                former_ru=former_ru or None,
                region_uk=region_uk,
                region_ru=region_ru,
                region_latin=region_latin,
                weight=float(weight),
            )
        )
    return tuple(result)


@cache
def russian_towns() -> tuple[Town, ...]:
    """Russian towns, for the children of the other side."""
    return tuple(
        Town(
            key=f"r{i:03d}",
            oblast="russia",
            uk=ru,
            ru=ru,
            latin=latin,
            former_uk=None,
            former_ru=None,
            region_uk=region,
            region_ru=region,
            region_latin=region,
            weight=1.0,
        )
        for i, (ru, latin, region) in enumerate(_rows("russian_towns.tsv"))
    )


@cache
def facilities() -> tuple[Facility, ...]:
    """Camps, institutions and family placement regions (``data/facilities.tsv``)."""
    result = []
    for row in _rows("facilities.tsv"):
        (key, kind, country, n_uk, n_ru, n_lat, r_uk, r_ru, r_lat, s_uk, s_ru, s_lat, w) = row
        result.append(
            Facility(
                key=key,
                kind=kind,
                country=country,
                name_uk=n_uk,
                name_ru=n_ru,
                name_latin=n_lat,
                region_uk=r_uk,
                region_ru=r_ru,
                region_latin=r_lat,
                settlement_uk=s_uk or None,
                settlement_ru=s_ru or None,
                settlement_latin=s_lat or None,
                weight=float(w),
            )
        )
    return tuple(result)


@cache
def common_surnames() -> tuple[str, ...]:
    """Frequent Ukrainian surnames, most frequent first (masculine form)."""
    return tuple(row[0] for row in _rows("surnames.tsv"))
