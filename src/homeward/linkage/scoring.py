"""Scoring pairs of records: one pair with its explanation, or millions at once.

Both paths grade each field with the same function of
:mod:`homeward.linkage.fields` and sum the weights with the same
:func:`combine`, so a pair scores the same on a page and in a batch run.

The batch path is vectorised: every field's values are numbered once
(:class:`ValueTable`), a field is compared once per distinct pair of values
(most candidate pairs repeat a pair of given names or dates), and the weights
are summed with numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from homeward.linkage.fields import FIELD_INDEX, FIELDS, MISSING, PARENT_LEVELS
from homeward.linkage.model import FREQUENCY_LEVELS, MatchModel, TermFrequencies, probability
from homeward.linkage.prepare import Prepared, frequency_key, prepare
from homeward.names.compare import (
    agrees,
    compare_family_names,
    compare_given_names,
    compare_patronymics,
)
from homeward.names.comparison import Comparison

_GIVEN = 0
_GIVEN_DIFFERENT = FIELDS[_GIVEN].levels.index("different") + 1
_DOCUMENT = FIELD_INDEX["document"]
_DOCUMENT_SAME = FIELDS[_DOCUMENT].levels.index("exact") + 1
_DOCUMENT_NEAR = FIELDS[_DOCUMENT].levels.index("typo") + 1
_SHARED = np.array([f.shared_by_siblings for f in FIELDS])

IntArray = npt.NDArray[np.int64]
LevelArray = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class FieldExplanation:
    """One field of a scored pair: the two values, the level, why, and its weight."""

    field: str
    label: str
    value_a: str
    value_b: str
    level: str
    reason: str
    weight: float
    counted: bool = True
    """False when the sibling rule set a positive weight aside."""

    def describe(self) -> str:
        """``given name: Олександр ~ Александр, same name (Олександр), Russian form, +6.2``"""
        if self.level == MISSING:
            return f"{self.label}: {self.reason}"
        values = (
            self.value_a if self.value_a == self.value_b else f"{self.value_a} ~ {self.value_b}"
        )
        note = "" if self.counted else " (not counted: given names differ, siblings share it)"
        return f"{self.label}: {values}, {self.reason}, {self.weight:+.1f}{note}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": self.label,
            "value_a": self.value_a,
            "value_b": self.value_b,
            "level": self.level,
            "reason": self.reason,
            "weight": round(self.weight, 2),
            "counted": self.counted,
        }


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A pair's match weight and probability, with the explanation of each field."""

    weight: float
    probability: float
    prior_weight: float
    fields: tuple[FieldExplanation, ...]

    def describe(self) -> list[str]:
        return [f.describe() for f in self.fields if f.level != MISSING]

    def as_dict(self) -> dict[str, Any]:
        return {
            "match_probability": round(self.probability, 6),
            "match_weight": round(self.weight, 2),
            "prior_weight": round(self.prior_weight, 2),
            "fields": [f.as_dict() for f in self.fields],
        }


def combine(levels: LevelArray, model: MatchModel, extra: FloatArray | None = None) -> FloatArray:
    """Match weights of pairs from their levels ``[pair, field]`` (0 = missing,
    ``k`` = the field's k-th level counted from 1); ``extra``: bits added to
    each field's weight before the sibling rule (:func:`frequency_weights`)."""
    table = model.weight_table
    weights = table[np.arange(len(FIELDS))[None, :], levels]
    if extra is not None:
        weights = weights + extra
    if model.sibling_rule:
        weights = np.where(_set_aside(levels) & (weights > 0), 0.0, weights)
    return np.asarray(model.prior_weight + weights.sum(axis=1), dtype=np.float64)


def _set_aside(levels: LevelArray) -> npt.NDArray[np.bool_]:
    """``[pair, field]``: the fields whose positive weight the sibling rule sets
    aside.  Given names ``different`` and no document number in common: the
    fields siblings share, and a document number one character off (twins'
    birth certificates may be numbered one after the other)."""
    siblings = (levels[:, _GIVEN] == _GIVEN_DIFFERENT) & (levels[:, _DOCUMENT] != _DOCUMENT_SAME)
    shared: npt.NDArray[np.bool_] = np.broadcast_to(_SHARED, levels.shape).copy()
    shared[:, _DOCUMENT] |= levels[:, _DOCUMENT] == _DOCUMENT_NEAR
    out: npt.NDArray[np.bool_] = siblings[:, None] & shared
    return out


def contradiction(
    levels: LevelArray, model: MatchModel, extra: FloatArray | None = None
) -> FloatArray:
    """The bits by which the fields of each pair speak *against* one child: the
    sum of the negative field weights (as in :func:`combine`, the prior left
    out).  A pair can be improbable for want of evidence (a list entry that
    gives a family name and a year) without anything in it disagreeing."""
    table = model.weight_table
    weights = table[np.arange(len(FIELDS))[None, :], levels]
    if extra is not None:
        weights = weights + extra
    return np.asarray(np.minimum(weights, 0.0).sum(axis=1), dtype=np.float64)


FREQUENCY_FIELDS: tuple[int, ...] = tuple(FIELD_INDEX[name] for name in FREQUENCY_LEVELS)


def frequency_weights(
    model: MatchModel, levels: LevelArray, tf_a: FloatArray, tf_b: FloatArray
) -> FloatArray | None:
    """The term-frequency adjustment of every field of many pairs (``None``
    when the model has no frequencies).  ``tf_a[k, j]``: the frequency of the
    name of field ``FREQUENCY_FIELDS[j]`` of the first record of pair ``k``."""
    if not model.frequencies:
        return None
    extra = np.zeros(levels.shape, dtype=np.float64)
    for j, f in enumerate(FREQUENCY_FIELDS):
        extra[:, f] = model.frequency_adjustment(f, levels[:, f], tf_a[:, j], tf_b[:, j])
    return extra


def record_frequencies(model: MatchModel, values: tuple[str, ...]) -> FloatArray:
    """The frequency of each :data:`FREQUENCY_FIELDS` name of one prepared record."""
    out = np.zeros(len(FREQUENCY_FIELDS), dtype=np.float64)
    for j, f in enumerate(FREQUENCY_FIELDS):
        name = FIELDS[f].name
        counts = model.frequencies.get(name)
        if counts is not None:
            out[j] = counts.frequency(frequency_key(name, values[f]))
    return out


_FAMILY = FIELD_INDEX["family_name"]
_SWAPPED_GIVEN = FIELDS[_GIVEN].levels.index("equivalent") + 1
_SWAPPED_FAMILY = FIELDS[_FAMILY].levels.index("equivalent") + 1
SWAPPED = "given and family names swapped"


def _swapped(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One record's given name is the other's family name and the other way round."""
    ga, fa, gb, fb = a[_GIVEN], a[_FAMILY], b[_GIVEN], b[_FAMILY]
    return bool(ga and fa and ga != fa and ga == fb and fa == gb)


def field_levels(a: Prepared, b: Prepared) -> tuple[list[int], list[str]]:
    """The level (as in :func:`combine`) and reason of every field for one pair.

    Given and family names written the other way round (``Catherine Gawthrop``,
    ``Gawthrop Catherine``) are ``equivalent`` on both fields."""
    if _swapped(a.values, b.values):
        levels, reasons = field_levels(
            a, Prepared((b.values[_FAMILY], b.values[_GIVEN], *b.values[2:]), b.keys)
        )
        levels[_GIVEN], levels[_FAMILY] = _SWAPPED_GIVEN, _SWAPPED_FAMILY
        reasons[_GIVEN] = reasons[_FAMILY] = SWAPPED
        return levels, reasons
    levels, reasons = [], []
    for spec, x, y in zip(FIELDS, a.values, b.values, strict=True):
        if not x or not y:
            levels.append(0)
            reasons.append(f"no {spec.label} on {'either side' if not x and not y else 'one side'}")
            continue
        result = spec.compare(x, y)
        index = spec.level_index(result.level)
        levels.append(index + 1)
        reasons.append(result.reason)
    return levels, reasons


def display_values(record: Mapping[str, Any], prepared: Prepared) -> tuple[str, ...]:
    """Values to show in an explanation: as the source wrote them where it
    wrote the field, else the prepared value (a part parsed from a full name)."""
    shown = {
        "given_name": record.get("given_name"),
        "family_name": record.get("family_name"),
        "patronymic": record.get("patronymic"),
        "sex": record.get("sex"),
        "birth_date": record.get("birth_date"),
        "mother_name": record.get("mother_name"),
        "father_name": record.get("father_name"),
        "document": record.get("document_id")
        or "; ".join(str(d) for d in (record.get("document_ids") or [])),
    }
    out = []
    for spec, value in zip(FIELDS, prepared.values, strict=True):
        original = shown.get(spec.name)
        text = str(original).strip() if original else ""
        if spec.name in ("given_name", "family_name", "patronymic") and not text and value:
            text = value.title()
        out.append(text or value)
    return tuple(out)


def score_pair(
    model: MatchModel,
    a: Mapping[str, Any] | Prepared,
    b: Mapping[str, Any] | Prepared,
    *,
    prepared_a: Prepared | None = None,
) -> ScoredPair:
    """Score one pair of records and explain every field.

    >>> from homeward.linkage.model import default_model
    >>> pair = score_pair(default_model(),
    ...     {"given_name": "Олександр", "family_name": "Коваленко", "birth_date": "04.03.2012"},
    ...     {"full_name": "KOVALENKO Aleksandr", "birth_date": "2012-03-04"})
    >>> pair.probability > 0.99
    True
    >>> pair.describe()[0]
    'given name: Олександр ~ Aleksandr, same name (Олександр), Russian form, +6.2'

    ``prepared_a``: ``a`` already prepared, when one record is scored against
    many (its values are still shown as written).
    """
    pa = a if isinstance(a, Prepared) else (prepared_a or prepare(a))
    pb = b if isinstance(b, Prepared) else prepare(b)
    shown_a = pa.values if isinstance(a, Prepared) else display_values(a, pa)
    shown_b = pb.values if isinstance(b, Prepared) else display_values(b, pb)
    levels, reasons = field_levels(pa, pb)
    row = np.array([levels], dtype=np.int8)
    extra = frequency_weights(
        model,
        row,
        record_frequencies(model, pa.values)[None, :],
        record_frequencies(model, pb.values)[None, :],
    )
    total = float(combine(row, model, extra)[0])
    raw = model.weight_table[np.arange(len(FIELDS)), row[0]]
    if extra is not None:
        raw = raw + extra[0]
        for f in FREQUENCY_FIELDS:
            if extra[0, f]:
                kind = "a common" if extra[0, f] < 0 else "a rare"
                reasons[f] = f"{reasons[f]}; {kind} name here ({extra[0, f]:+.1f})"
    set_aside = _set_aside(row)[0] if model.sibling_rule else np.zeros(len(FIELDS), dtype=bool)
    explained = []
    for i, spec in enumerate(FIELDS):
        level = spec.levels[levels[i] - 1] if levels[i] else MISSING
        counted = not (set_aside[i] and raw[i] > 0)
        explained.append(
            FieldExplanation(
                spec.name, spec.label, shown_a[i], shown_b[i], level, reasons[i],
                float(raw[i]), counted,
            )
        )  # fmt: skip
    return ScoredPair(total, probability(total), model.prior_weight, tuple(explained))


# --- the batch path ------------------------------------------------------------


def _parent_split(value: str) -> tuple[str, str, str]:
    given, patronymic, family = value.split("|")
    return given, patronymic, family


class _Known:
    """The levels of the distinct pairs of values of one field compared so far,
    as a sorted array of pair codes and their levels (looked up with numpy, not
    a Python dict per pair)."""

    __slots__ = ("codes", "levels", "width")

    def __init__(self) -> None:
        self.codes: IntArray = np.zeros(0, dtype=np.int64)
        self.levels: LevelArray = np.zeros(0, dtype=np.int8)
        self.width = 0

    def find(self, combos: IntArray) -> tuple[LevelArray, npt.NDArray[np.bool_]]:
        """Levels of sorted distinct ``combos`` and which of them are unknown."""
        if not len(self.codes):
            return np.zeros(len(combos), dtype=np.int8), np.ones(len(combos), dtype=bool)
        at = np.minimum(np.searchsorted(self.codes, combos), len(self.codes) - 1)
        hit = self.codes[at] == combos
        return np.where(hit, self.levels[at], 0).astype(np.int8), ~hit

    def add(self, combos: IntArray, levels: LevelArray) -> None:
        codes = np.concatenate((self.codes, combos))
        order = np.argsort(codes, kind="stable")
        self.codes = codes[order]
        self.levels = np.concatenate((self.levels, levels))[order]


def _date_parts(vocab: Sequence[str]) -> tuple[IntArray, IntArray, IntArray]:
    """Year, month and day (0 when unknown) of prepared ISO partial dates."""
    years = np.array([int(v[:4]) for v in vocab], dtype=np.int64)
    months = np.array([int(v[5:7]) if len(v) >= 7 else 0 for v in vocab], dtype=np.int64)
    days = np.array([int(v[8:10]) if len(v) == 10 else 0 for v in vocab], dtype=np.int64)
    return years, months, days


def _digit_differences(a: IntArray, b: IntArray, width: int) -> IntArray:
    out = np.zeros(len(a), dtype=np.int64)
    for _ in range(width):
        out += (a % 10) != (b % 10)
        a, b = a // 10, b // 10
    return out


_DATE_LEVEL = {level: i + 1 for i, level in enumerate(FIELDS[FIELD_INDEX["birth_date"]].levels)}


def date_levels(parts: tuple[IntArray, IntArray, IntArray], x: IntArray, y: IntArray) -> LevelArray:
    """:func:`homeward.linkage.fields.compare_birth_dates` of prepared dates
    ``x[k]``, ``y[k]`` (vocabulary codes), computed with numpy: the same levels,
    tested against it on every pair of a synthetic registry."""
    years, months, days = parts
    ya, ma, da, yb, mb, db = years[x], months[x], days[x], years[y], months[y], days[y]
    precision_a = (ma > 0).astype(np.int64) + (da > 0)
    precision_b = (mb > 0).astype(np.int64) + (db > 0)
    same_precision = precision_a == precision_b
    exact = same_precision & (ya == yb) & (ma == mb) & (da == db)
    swapped = (precision_a == 2) & same_precision & (ya == yb) & (da == mb) & (ma == db)
    digits = (
        _digit_differences(ya, yb, 4)
        + _digit_differences(ma, mb, 2) * (precision_a >= 1)
        + _digit_differences(da, db, 2) * (precision_a >= 2)
    )
    one_digit = same_precision & (digits == 1)
    plus_minus_one = same_precision & (ma == mb) & (da == db) & (np.abs(ya - yb) == 1)
    a_short = (ya == yb) & (precision_a < precision_b) & ((ma == 0) | (ma == mb)) & (da == 0)
    b_short = (ya == yb) & (precision_b < precision_a) & ((mb == 0) | (mb == ma)) & (db == 0)
    # Two year-only (or month) dates that agree are partial_agree (compare_birth_dates).
    partial = (~same_precision & (a_short | b_short)) | (exact & (precision_a < 2))
    exact &= precision_a == 2
    out = np.where(ya == yb, _DATE_LEVEL["same_year"], _DATE_LEVEL["different"])
    out = np.where(partial, _DATE_LEVEL["partial_agree"], out)
    out = np.where(one_digit, _DATE_LEVEL["one_digit_off"], out)
    # A whole date whose year moved by one is year_plus_minus_one even when one
    # digit differs (compare_birth_dates).
    later = plus_minus_one & ((precision_a == 2) | ~one_digit)
    out = np.where(later, _DATE_LEVEL["year_plus_minus_one"], out)
    out = np.where(swapped, _DATE_LEVEL["day_month_swapped"], out)
    out = np.where(exact, _DATE_LEVEL["exact"], out)
    return out.astype(np.int8)


_DATE = FIELD_INDEX["birth_date"]
_PARENTS = (FIELD_INDEX["mother_name"], FIELD_INDEX["father_name"])
_PARENT_LEVEL = {level: i + 1 for i, level in enumerate(PARENT_LEVELS)}


def _given_part(a: str, b: str) -> int:
    level = compare_given_names(a, b).level
    return 1 if agrees(level) else 2 if level == "similar" else 0


def _agreeing(compare: Callable[[str, str], Comparison]) -> Callable[[str, str], int]:
    return lambda a, b: int(agrees(compare(a, b).level))


_PART_COMPARE: tuple[Callable[[str, str], int], ...] = (
    _given_part,
    _agreeing(compare_patronymics),
    _agreeing(compare_family_names),
)
"""Given name (1 agrees, 2 similar, 0 not), patronymic and family name (1 agrees)
of a parent's name ``given|patronymic|family``."""


class ValueTable:
    """Every field's values numbered once: ``codes[field, record]`` (-1 = missing).

    The table also remembers the level of every distinct pair of values it has
    compared, so a batch run compares ``Олександр``/``Александр`` once; birth
    dates are compared with numpy (:func:`date_levels`).
    """

    def __init__(self, rows: Sequence[tuple[str, ...]]) -> None:
        self.vocab: list[list[str]] = []
        codes = np.full((len(FIELDS), len(rows)), -1, dtype=np.int32)
        for f in range(len(FIELDS)):
            numbers: dict[str, int] = {"": -1}
            column = [numbers.setdefault(row[f], len(numbers) - 1) for row in rows]
            codes[f] = column
            del numbers[""]
            self.vocab.append(list(numbers))
        self.codes = codes
        self.size = len(rows)
        self._known = [_Known() for _ in FIELDS]
        self._dates = _date_parts(self.vocab[_DATE])
        self._cross: tuple[IntArray, IntArray] | None = None
        self._parts: dict[int, tuple[IntArray, IntArray, IntArray]] = {}
        self._part_vocab: list[dict[str, int]] = [{}, {}, {}]
        self._part_known = [_Known() for _ in _PART_COMPARE]
        self._frequency_keys: list[tuple[list[str], IntArray]] = []
        for f in FREQUENCY_FIELDS:
            keys = [frequency_key(FIELDS[f].name, value) for value in self.vocab[f]]
            self._frequency_keys.append((keys, self.codes[f]))

    def frequency_counts(self) -> dict[str, TermFrequencies]:
        """How many records carry each name key, for a model's frequencies."""
        out = {}
        for f, (keys, column) in zip(FREQUENCY_FIELDS, self._frequency_keys, strict=True):
            present = column[column >= 0]
            per_value = np.bincount(present, minlength=len(keys))
            counts: dict[str, int] = {}
            for key, count in zip(keys, per_value.tolist(), strict=True):
                if key and count:
                    counts[key] = counts.get(key, 0) + count
            out[FIELDS[f].name] = TermFrequencies(int(sum(counts.values())), counts)
        return out

    def frequencies(self, model: MatchModel) -> FloatArray:
        """``[record, j]``: the frequency of each record's name of field
        ``FREQUENCY_FIELDS[j]`` under the model (0 when missing or unknown)."""
        out = np.zeros((self.size, len(FREQUENCY_FIELDS)), dtype=np.float64)
        for j, (f, (keys, column)) in enumerate(
            zip(FREQUENCY_FIELDS, self._frequency_keys, strict=True)
        ):
            counts = model.frequencies.get(FIELDS[f].name)
            if counts is None:
                continue
            per_value = np.array([counts.frequency(k) for k in keys] + [0.0])
            out[:, j] = per_value[column]  # -1 (missing) reads the trailing 0
        return out

    def field_levels(self, f: int, left: IntArray, right: IntArray) -> LevelArray:
        """Levels of one field (index ``f``) for the pairs of rows ``(left[k], right[k])``."""
        out = np.zeros(len(left), dtype=np.int8)
        ca, cb = self.codes[f][left], self.codes[f][right]
        present = (ca >= 0) & (cb >= 0)
        if not present.any():
            return out
        lo = np.minimum(ca[present], cb[present]).astype(np.int64)
        hi = np.maximum(ca[present], cb[present]).astype(np.int64)
        if f == _DATE:
            out[present] = date_levels(self._dates, lo, hi)
            return out
        if f in _PARENTS:
            out[present] = self._parent_levels(f, lo, hi)
            return out
        width = len(self.vocab[f]) + 1
        unique, inverse = np.unique(lo * width + hi, return_inverse=True)
        found, unknown = self._known[f].find(unique)
        if unknown.any():
            spec, vocab = FIELDS[f], self.vocab[f]
            new = unique[unknown]
            levels = np.array(
                [
                    spec.level_index(spec.compare(vocab[x], vocab[y]).level) + 1
                    for x, y in zip((new // width).tolist(), (new % width).tolist(), strict=True)
                ],
                dtype=np.int8,
            )
            found[unknown] = levels
            self._known[f].add(new, levels)
        out[present] = found[inverse.reshape(-1)]
        return out

    def _part_results(self, part: int, x: IntArray, y: IntArray) -> LevelArray:
        """:data:`_PART_COMPARE` of parts ``x[k]``, ``y[k]`` (codes, both present),
        once per distinct pair."""
        if not len(x):
            return np.zeros(0, dtype=np.int8)
        vocab = list(self._part_vocab[part])
        width = len(vocab) + 1
        unique, inverse = np.unique(
            np.minimum(x, y) * width + np.maximum(x, y), return_inverse=True
        )
        known = self._part_known[part]
        if known.width != width:  # the part vocabulary grew: codes changed meaning
            known.__init__()  # type: ignore[misc]
            known.width = width
        found, unknown = known.find(unique)
        if unknown.any():
            compare = _PART_COMPARE[part]
            new = unique[unknown]
            results = np.array(
                [
                    compare(vocab[a], vocab[b])
                    for a, b in zip((new // width).tolist(), (new % width).tolist(), strict=True)
                ],
                dtype=np.int8,
            )
            found[unknown] = results
            known.add(new, results)
        return found[inverse.reshape(-1)]

    def _parent_parts(self, f: int) -> tuple[IntArray, IntArray, IntArray]:
        parts = self._parts.get(f)
        if parts is None:
            columns: list[list[int]] = [[], [], []]
            for value in self.vocab[f]:
                for part, text in enumerate(_parent_split(value)):
                    numbers = self._part_vocab[part]
                    columns[part].append(numbers.setdefault(text, len(numbers)) if text else -1)
            as_arrays = [np.array([*c, -1], dtype=np.int64) for c in columns]
            parts = self._parts[f] = (as_arrays[0], as_arrays[1], as_arrays[2])
        return parts

    def _parent_levels(self, f: int, x: IntArray, y: IntArray) -> LevelArray:
        """:func:`homeward.linkage.fields.compare_parent_names` of values ``x[k]``,
        ``y[k]``, from the comparisons of their parts (each distinct pair of
        given names, patronymics or family names compared once)."""
        for parent in _PARENTS:  # both first, so that the part codes stay put
            self._parent_parts(parent)
        given, patronymic, family = self._parent_parts(f)
        results = []
        for part, codes in enumerate((given, patronymic, family)):
            a, b = codes[x], codes[y]
            present = (a >= 0) & (b >= 0)
            result = np.zeros(len(x), dtype=np.int8)
            result[present] = self._part_results(part, a[present], b[present])
            results.append((present, result))
        (g_present, g), (p_present, p), (f_present, fam) = results
        level = _PARENT_LEVEL
        no_given = np.where(
            f_present, np.where(fam == 1, level["same_family_only"], level["different"]), 0
        )
        with_given = np.where(
            ~f_present | (p_present & (p != 1)), level["same_given_name"], level["same_name"]
        )
        with_given = np.where(f_present & (fam != 1), level["family_differs"], with_given)
        with_given = np.where(g == 0, level["different"], with_given)
        with_given = np.where(g == 2, level["similar"], with_given)
        return np.where(g_present, with_given, no_given).astype(np.int8)

    def levels(self, left: IntArray, right: IntArray) -> LevelArray:
        """Levels ``[pair, field]`` of the pairs of rows ``(left[k], right[k])``."""
        out = np.zeros((len(left), len(FIELDS)), dtype=np.int8)
        for f in range(len(FIELDS)):
            out[:, f] = self.field_levels(f, left, right)
        swapped = self._swapped(left, right)
        if swapped.any():
            out[swapped, _GIVEN] = _SWAPPED_GIVEN
            out[swapped, _FAMILY] = _SWAPPED_FAMILY
        return out

    def _swapped(self, left: IntArray, right: IntArray) -> npt.NDArray[np.bool_]:
        """Pairs whose given and family names are written the other way round."""
        if self._cross is None:
            given, family = self.vocab[_GIVEN], self.vocab[_FAMILY]
            family_code = {value: i for i, value in enumerate(family)}
            given_code = {value: i for i, value in enumerate(given)}
            g2f = np.array([family_code.get(v, -2) for v in given] + [-3], dtype=np.int64)
            f2g = np.array([given_code.get(v, -2) for v in family] + [-3], dtype=np.int64)
            self._cross = (g2f, f2g)
        g2f, f2g = self._cross
        ga, fa = self.codes[_GIVEN][left], self.codes[_FAMILY][left]
        gb, fb = self.codes[_GIVEN][right], self.codes[_FAMILY][right]
        # A missing value (-1) reads the trailing -3, which no code equals.
        swapped = (g2f[ga] == fb) & (f2g[fa] == gb) & (g2f[ga] != fa)
        return np.asarray(swapped, dtype=bool)


def score_pairs(
    model: MatchModel, table: ValueTable, left: IntArray, right: IntArray
) -> tuple[LevelArray, FloatArray]:
    """Levels and match weights of many pairs of rows of ``table``."""
    levels = table.levels(left, right)
    return levels, combine(
        levels, model, table_frequency_weights(model, table, levels, left, right)
    )


def table_frequency_weights(
    model: MatchModel,
    table: ValueTable,
    levels: LevelArray,
    left: IntArray,
    right: IntArray,
    frequencies: FloatArray | None = None,
) -> FloatArray | None:
    """:func:`frequency_weights` of pairs of rows of ``table``; ``frequencies``:
    ``table.frequencies(model)`` when already computed."""
    if not model.frequencies:
        return None
    tf = table.frequencies(model) if frequencies is None else frequencies
    return frequency_weights(model, levels, tf[left], tf[right])


def probabilities(weights: FloatArray) -> FloatArray:
    """Match probabilities of match weights."""
    clipped = np.clip(weights, -200, 200)
    return np.asarray(1.0 / (1.0 + np.exp2(-clipped)), dtype=np.float64)
