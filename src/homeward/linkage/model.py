"""The match model: Fellegi–Sunter weights per field and level, saved as JSON.

For each field and each agreement level the model holds two probabilities:
``m``, that a pair of records of the *same* child shows this level, and ``u``,
that a pair of records of *different* children does.  A level's weight is
``log2(m / u)``: how many times more likely the observation is under "same
child", in bits.  A pair's match weight is the prior's weight
``log2(prior / (1 - prior))`` plus the weights of its fields' levels, and its
match probability is ``2**w / (1 + 2**w)``.  A missing value weighs nothing.

The sibling rule: siblings share a family name, patronymic, parents and
places, so when two records' given names are ``different``, those fields'
positive weights are not counted (their negative weights still are).  Twins
then do not match for sharing everything but a name, nor for birth
certificates numbered one after the other (a document number one character
off is set aside with the shared fields).  Siblings never share a
document number, so the rule is not applied to a pair whose document numbers
are the same.

The model ships with default probabilities (:func:`default_model`, read from
``default_model.json`` beside this module) and can be re-estimated from a
registry's own records (:mod:`homeward.linkage.training`).

>>> model = default_model()
>>> round(model.weight("given_name", "exact"), 1) > 0 > model.weight("given_name", "different")
True
>>> MatchModel.from_json(model.to_json()) == model
True
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from homeward.errors import Invalid
from homeward.linkage.fields import FIELDS, FIELDS_BY_NAME

FORMAT = "homeward-match-model/1"
FloatArray = npt.NDArray[np.float64]

FREQUENCY_LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": ("exact", "equivalent", "transliteration", "diminutive"),
    "family_name": ("exact", "equivalent", "transliteration", "gendered"),
}
"""The levels whose weight depends on how common the name is: the two records
carry one name (one frequency key, :func:`homeward.linkage.prepare.frequency_key`)."""
MAX_UP = 4.0
"""At most this many bits more for a rare name."""
MAX_DOWN = 6.0
"""At most this many bits less for a common name."""


@dataclass(frozen=True)
class TermFrequencies:
    """How many records carry each name key, of ``records`` that name the field."""

    records: int
    counts: dict[str, int]

    def frequency(self, key: str) -> float:
        """The share of records with this key; a key never seen counts once."""
        if not key or self.records <= 0:
            return 0.0
        return max(self.counts.get(key, 0), 1) / self.records


_MIN_PROBABILITY = 1e-6


@dataclass(frozen=True, slots=True)
class LevelProbabilities:
    """``m`` and ``u`` of one level of one field."""

    m: float
    u: float

    @property
    def weight(self) -> float:
        return math.log2(max(self.m, _MIN_PROBABILITY) / max(self.u, _MIN_PROBABILITY))


@dataclass(frozen=True)
class MatchModel:
    """Prior and per-level probabilities of every field."""

    prior: float
    """Probability that two records picked at random describe the same child."""
    levels: dict[str, dict[str, LevelProbabilities]]
    """Field name -> level -> probabilities (every level of every field)."""
    sibling_rule: bool = True
    trained: dict[str, Any] = field(default_factory=dict, compare=False)
    """How the probabilities were estimated (for people; not used in scoring)."""
    frequencies: dict[str, TermFrequencies] = field(default_factory=dict)
    """Field name -> how often each name occurs among the records the model was
    trained on (term-frequency adjustment, see :meth:`frequency_adjustment`);
    empty in the default model."""

    def __post_init__(self) -> None:
        if not 0 < self.prior < 1:
            raise Invalid(f"model prior must be between 0 and 1, got {self.prior}")
        for spec in FIELDS:
            given = self.levels.get(spec.name)
            if given is None or set(given) != set(spec.levels):
                have = sorted(given or ())
                raise Invalid(
                    f"model field {spec.name!r} needs levels {list(spec.levels)}, has {have}"
                )
            for level, probs in given.items():
                for name in ("m", "u"):
                    value = getattr(probs, name)
                    if not 0 <= value <= 1:
                        raise Invalid(f"{spec.name}.{level}.{name} must be in [0, 1], got {value}")

    def frequency_adjustment(
        self, field_index: int, levels: npt.NDArray[np.int8], tf_a: FloatArray, tf_b: FloatArray
    ) -> FloatArray:
        """Bits added to a name field's agreement weight for how common the name is.

        A level's u is the chance that two random records agree on the name at
        that level; for a given name the chance is its own frequency.  Two
        records that agree on *Коваленко* say less than two that agree on a
        rare surname: the weight of an agreeing level (exact to transliteration,
        :data:`FREQUENCY_LEVELS`) moves by ``log2(u_agree / frequency)``, the
        frequency being the larger of the two records' (0 when unknown:
        no adjustment), within ``[-MAX_DOWN, +MAX_UP]`` bits.
        """
        spec = FIELDS[field_index]
        out = np.zeros(len(levels), dtype=np.float64)
        counted = FREQUENCY_LEVELS.get(spec.name)
        if counted is None or spec.name not in self.frequencies:
            return out
        indexes = [spec.levels.index(level) + 1 for level in counted]
        u_agree = sum(self.levels[spec.name][level].u for level in counted)
        tf = np.maximum(tf_a, tf_b)
        applies = np.isin(levels, indexes) & (tf > 0)
        if u_agree <= 0 or not applies.any():
            return out
        raw = np.log2(u_agree / np.where(applies, tf, 1.0))
        out[applies] = np.clip(raw[applies], -MAX_DOWN, MAX_UP)
        return out

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))

    def weight(self, field_name: str, level: str) -> float:
        """The weight of one level; 0 for a missing value."""
        if level not in FIELDS_BY_NAME[field_name].levels:
            return 0.0
        return self.levels[field_name][level].weight

    @cached_property
    def weight_table(self) -> npt.NDArray[np.float64]:
        """Weights as an array ``[field, level + 1]``; column 0 is "missing" (0).
        Built once per model: every scored pair reads it."""
        width = 1 + max(len(f.levels) for f in FIELDS)
        table = np.zeros((len(FIELDS), width))
        for i, spec in enumerate(FIELDS):
            for j, level in enumerate(spec.levels):
                table[i, j + 1] = self.levels[spec.name][level].weight
        return table

    # --- JSON ---------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "prior": self.prior,
            "sibling_rule": self.sibling_rule,
            "fields": {
                spec.name: {
                    "label": spec.label,
                    "levels": {
                        level: {
                            "m": _round(self.levels[spec.name][level].m),
                            "u": _round(self.levels[spec.name][level].u),
                            "weight": round(self.levels[spec.name][level].weight, 2),
                        }
                        for level in spec.levels
                    },
                }
                for spec in FIELDS
            },
            "trained": self.trained,
            **(
                {
                    "term_frequencies": {
                        name: {"records": tf.records, "counts": tf.counts}
                        for name, tf in self.frequencies.items()
                    }
                }
                if self.frequencies
                else {}
            ),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchModel:
        if data.get("format") != FORMAT:
            raise Invalid(f"not a Homeward match model (format {data.get('format')!r})")
        try:
            levels = {
                name: {
                    level: LevelProbabilities(float(p["m"]), float(p["u"]))
                    for level, p in spec["levels"].items()
                }
                for name, spec in data["fields"].items()
            }
            _add_new_levels(levels)
            return cls(
                prior=float(data["prior"]),
                levels=levels,
                sibling_rule=bool(data.get("sibling_rule", True)),
                trained=dict(data.get("trained") or {}),
                frequencies={
                    name: TermFrequencies(
                        int(tf["records"]), {str(k): int(v) for k, v in tf["counts"].items()}
                    )
                    for name, tf in (data.get("term_frequencies") or {}).items()
                },
            )
        except (KeyError, TypeError, ValueError) as error:
            raise Invalid(f"match model is incomplete: {error}") from error

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise Invalid(f"match model is not JSON: {error}") from error
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> MatchModel:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


ADDED_LEVELS: dict[str, tuple[str, ...]] = {"given_name": ("related",)}
"""Levels added since models were first saved: a saved model that lacks one
takes its probabilities from the default model, so that it still loads."""


def _add_new_levels(levels: dict[str, dict[str, LevelProbabilities]]) -> None:
    for name, added in ADDED_LEVELS.items():
        have = levels.get(name, {})
        for level in added:
            if have and level not in have:
                have[level] = default_model().levels[name][level]


def _round(value: float) -> float:
    return float(f"{value:.6g}")


@cache
def default_model() -> MatchModel:
    """The model Homeward ships with (see docs/matching.md for its reasoning)."""
    text = resources.files("homeward.linkage").joinpath("default_model.json").read_text("utf-8")
    return MatchModel.from_json(text)


def probability(weight: float) -> float:
    """Match probability of a match weight (bits)."""
    if weight > 60:
        return 1.0
    odds = 2.0 ** float(weight)
    return float(odds / (1 + odds))
