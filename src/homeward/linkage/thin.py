"""Thin records: list entries that give a family name and a birth year, no given name.

A pair's prior counts every record as a possible match, so the family name and
year of a thin record weigh too little even when a single child carries them;
:func:`one_child_weights` weighs a thin record against the *children* it fits.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from homeward.linkage.blocking import _pairs_within
from homeward.linkage.fields import FIELD_INDEX, FIELDS
from homeward.linkage.groups import components
from homeward.linkage.model import MatchModel
from homeward.linkage.scoring import (
    FloatArray,
    IntArray,
    ValueTable,
    combine,
    table_frequency_weights,
)

_FAMILY = FIELD_INDEX["family_name"]
_BIRTH = FIELD_INDEX["birth_date"]
FIT_FAMILY = ("exact", "equivalent", "transliteration", "gendered", "partial", "typo")
"""Family-name levels at which a thin record fits a child."""
MAX_FIT = 30
"""A thin record that fits more records than this fits too many children to
be linked by :func:`one_child_weights`; they are not compared."""
FIT_DATE = ("exact", "day_month_swapped", "same_year", "partial_agree")
"""Birth-date levels at which a thin record fits a child: the same year."""


def _level_numbers(field: int, names: Sequence[str]) -> IntArray:
    spec = FIELDS[field]
    return np.array([spec.levels.index(name) + 1 for name in names], dtype=np.int64)


def one_child_weights(
    model: MatchModel,
    table: ValueTable,
    left: IntArray,
    right: IntArray,
    pattern_levels: npt.NDArray[np.int8],
    inverse: npt.NDArray[np.int32],
    weights: FloatArray,
    threshold: float,
    split_at: int | None,
    frequencies: FloatArray | None,
) -> None:
    """Raise the weights of a *thin* record (no given name: a list entry with a
    family name and a birth year) with the one child it fits, in place.

    A pair's prior counts every record as a possible match, so a family name
    and a year that a single child of the input carries weigh too little:
    ``Яструбинський, 2012`` with one such child is probably that child,
    ``Коваленко, 2012`` with forty is none of them for sure.  Say the thin
    record's child is among the input's children with probability ``π`` and
    writes its family name and year as they do with probability ``m``; if
    ``n`` children of the input fit it, each is its child with probability
    ``π·m/n`` (the chance that another child carries that name and year cancels
    out).  ``π`` is read from the trained prior (the expected number of
    matching records, ``λ``, gives ``1 − e^−λ``); ``m`` from the model's m of the
    fitting levels; the children are the groups of the other records' pairs
    at or above the threshold, those records compared with each other where
    they were not.  The other fields of the pair (sex, places)
    still count; a pair keeps its own weight when that is higher."""
    thin = table.codes[FIELD_INDEX["given_name"]] < 0
    thin &= table.codes[_FAMILY] >= 0
    thin &= table.codes[_BIRTH] >= 0
    if not thin.any() or not len(left):
        return
    # Per pattern first: a pair's fit is its pattern's (no [pair, field] array).
    fitting = np.isin(pattern_levels[:, _FAMILY], _level_numbers(_FAMILY, FIT_FAMILY))
    fitting &= np.isin(pattern_levels[:, _BIRTH], _level_numbers(_BIRTH, FIT_DATE))
    fits = fitting[inverse]
    involved = fits & (thin[left] | thin[right])
    if not involved.any():
        return
    # The children: groups of the pairs at or above the threshold between
    # records that are not thin.
    threshold_weight = float(np.log2(threshold / (1 - threshold))) if threshold < 1 else np.inf
    sure = (weights >= threshold_weight) & ~thin[left] & ~thin[right]
    index = np.flatnonzero(involved)
    probe = np.concatenate((left[index][thin[left[index]]], right[index][thin[right[index]]]))
    other = np.concatenate((right[index][thin[left[index]]], left[index][thin[right[index]]]))
    pair = np.concatenate((index[thin[left[index]]], index[thin[right[index]]]))
    # The records a thin record fits may never have been compared with each
    # other (two records of one file, when linking two): compare them now.
    by_probe = np.lexsort((other, probe))
    starts = np.concatenate(([0], np.flatnonzero(np.diff(probe[by_probe])) + 1))
    sizes = np.diff(np.concatenate((starts, [len(by_probe)])))
    small = (sizes > 1) & (sizes <= MAX_FIT)
    a, b = _pairs_within(other[by_probe], starts[small], sizes[small])
    keep = ~thin[a] & ~thin[b] & (a != b)
    a, b = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    if len(a):
        codes = np.unique(a * table.size + b)
        a, b = codes // table.size, codes % table.size
        levels_ab = table.levels(a, b)
        extra = table_frequency_weights(model, table, levels_ab, a, b, frequencies)
        within = combine(levels_ab, model, extra)
        a, b = a[within >= threshold_weight], b[within >= threshold_weight]
    labels = components(
        table.size, np.concatenate((left[sure], a)), np.concatenate((right[sure], b))
    )
    child = labels[other]
    distinct = np.unique(probe * table.size + child)
    children = np.bincount(distinct // table.size, minlength=table.size)
    others = table.size - 1 if split_at is None else None
    if others is None:
        assert split_at is not None
        sizes = np.where(np.arange(table.size) < split_at, table.size - split_at, split_at)
        reach = sizes[probe].astype(np.float64)
    else:
        reach = np.full(len(probe), float(others))
    present = 1.0 - np.exp(-model.prior * reach)
    spec_f, spec_d = FIELDS[_FAMILY], FIELDS[_BIRTH]
    m = sum(model.levels[spec_f.name][x].m for x in FIT_FAMILY) * sum(
        model.levels[spec_d.name][x].m for x in FIT_DATE
    )
    chance = np.clip(present * m / children[probe], 1e-9, 1 - 1e-9)
    table_w = model.weight_table
    rest = table_w[np.arange(len(FIELDS))[None, :], pattern_levels[inverse[pair]]]
    rest[:, _FAMILY] = 0.0
    rest[:, _BIRTH] = 0.0
    raised = np.log2(chance / (1 - chance)) + rest.sum(axis=1)
    np.maximum.at(weights, pair, raised)
