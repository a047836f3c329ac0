"""Estimating the model from unlabelled records: u by random sampling, m and the
prior by expectation–maximisation (EM).

- **u** (how often records of *different* children show a level) is counted on
  random pairs of records: almost every random pair is two different children.
- **m** stays as in the starting model unless asked for (``estimate_m``):
  how sources write a child's values (transliterated, with a typo, with an
  altered date) does not depend on the registry, and on synthetic registries
  with known truth EM's m made precision worse.  When asked, m is estimated by
  EM with u held fixed: each round scores every pair with
  the current model (the sibling rule included), takes its match probability as
  a soft label, and re-counts each level's share among the matches.  EM runs
  in sessions, each on the candidate pairs that agree on some fields (the same
  birth date; the same given and family name), and estimates m only for the
  other fields: run on all candidate pairs at once, EM would take "same
  family" for "same child" (siblings agree on everything but a name and a
  date).  A field's m is the mean of its sessions' estimates.
- The share of matches among all candidate pairs is then estimated by EM with
  m and u held.
- The **prior** is the number of matching pairs divided by all pairs of
  records; the matches are counted from the pairs that agree on given name,
  family name and the whole birth date, divided by the share of matches the
  model's m expects to show that (:func:`_count_matches`).

EM runs on the distinct patterns of levels (a few thousand), each weighed by
how many pairs show it, so a round costs microseconds whatever the input size.
A small pseudo-count keeps a level never seen from getting probability zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from homeward.linkage.fields import FIELD_INDEX, FIELDS
from homeward.linkage.model import LevelProbabilities, MatchModel
from homeward.linkage.scoring import LevelArray, ValueTable, combine, probabilities
from homeward.names.compare import agrees, clear_pair_caches

FloatArray = npt.NDArray[np.float64]
_RADIX = 16
U_CHUNK = 50_000
"""Random pairs compared at once when counting u."""
PSEUDO_COUNT = 0.5


def pattern_codes(levels: LevelArray) -> npt.NDArray[np.int64]:
    """One integer per pair for its whole pattern of levels."""
    codes = np.zeros(len(levels), dtype=np.int64)
    for f in range(levels.shape[1]):
        codes = codes * _RADIX + levels[:, f].astype(np.int64)
    return codes


def decode_patterns(codes: npt.NDArray[np.int64]) -> LevelArray:
    """The levels ``[pattern, field]`` of pattern codes."""
    out = np.zeros((len(codes), len(FIELDS)), dtype=np.int8)
    rest = codes.copy()
    for f in reversed(range(len(FIELDS))):
        out[:, f] = rest % _RADIX
        rest //= _RADIX
    return out


@dataclass(frozen=True, slots=True)
class Patterns:
    """Distinct level patterns and how many pairs show each."""

    levels: LevelArray
    counts: FloatArray

    @classmethod
    def of(cls, levels: LevelArray) -> Patterns:
        return cls.from_codes(pattern_codes(levels))

    @classmethod
    def from_codes(cls, codes: npt.NDArray[np.int64]) -> Patterns:
        unique, counts = np.unique(codes, return_counts=True)
        return cls(decode_patterns(unique), counts.astype(np.float64))


def _level_shares(patterns: Patterns, weights: FloatArray) -> list[FloatArray]:
    """Per field, the weighted share of each level among pairs where it is known."""
    shares = []
    for f, spec in enumerate(FIELDS):
        column = patterns.levels[:, f]
        counted = np.bincount(column, weights=weights, minlength=len(spec.levels) + 1)
        totals = counted[1 : len(spec.levels) + 1] + PSEUDO_COUNT
        shares.append(totals / totals.sum())
    return shares


U_PRIOR_PAIRS = 20.0
"""How many random pairs the starting model's u counts for: a field that two
random records seldom both give (a last known location) keeps about the
starting u instead of an even share among its levels."""


def estimate_u(
    table: ValueTable,
    *,
    sample: int = 200_000,
    seed: int = 0,
    split_at: int | None = None,
    reference: MatchModel | None = None,
    match_rate: float = 0.0,
) -> list[FloatArray]:
    """u of every level, counted on ``sample`` random pairs of records.

    ``match_rate``: the share of matches among random pairs (the prior).  A
    random pair is one child now and then, and on a small input or a level
    that different children seldom show (the same document number) those
    pairs are most of what is counted: ``match_rate × m`` of each level is
    taken off its count.  ``reference``: the model whose m is taken off and whose u stands for
    :data:`U_PRIOR_PAIRS` pairs more (a field seldom given on both sides)."""
    rng = np.random.default_rng(seed)
    if split_at is None:
        left = rng.integers(0, table.size, sample)
        right = rng.integers(0, table.size, sample)
    else:
        left = rng.integers(0, split_at, sample)
        right = rng.integers(split_at, table.size, sample)
    keep = left != right
    left, right = left[keep], right[keep]
    codes = []
    for start in range(0, len(left), U_CHUNK):
        part = slice(start, start + U_CHUNK)
        codes.append(pattern_codes(table.levels(left[part], right[part])))
        clear_pair_caches()  # random pairs are not met again
    patterns = Patterns.from_codes(np.concatenate(codes) if codes else np.zeros(0, np.int64))
    if reference is None:
        return _level_shares(patterns, patterns.counts)
    out = []
    m_start, u_start = _current(reference, "m"), _current(reference, "u")
    for f, spec in enumerate(FIELDS):
        column = patterns.levels[:, f]
        counted = np.bincount(column, weights=patterns.counts, minlength=len(spec.levels) + 1)
        counts = counted[1 : len(spec.levels) + 1]
        counts = np.maximum(counts - match_rate * counts.sum() * m_start[f], 0.0)
        totals = counts + U_PRIOR_PAIRS * u_start[f] / u_start[f].sum() + PSEUDO_COUNT
        out.append(totals / totals.sum())
    return out


def _with(model: MatchModel, m: list[FloatArray], u: list[FloatArray], prior: float) -> MatchModel:
    levels = {
        spec.name: {
            level: LevelProbabilities(float(m[f][j]), float(u[f][j]))
            for j, level in enumerate(spec.levels)
        }
        for f, spec in enumerate(FIELDS)
    }
    return MatchModel(prior, levels, model.sibling_rule, model.trained)


def _current(model: MatchModel, which: str) -> list[FloatArray]:
    return [
        np.array([getattr(model.levels[spec.name][level], which) for level in spec.levels])
        for spec in FIELDS
    ]


@dataclass(frozen=True, slots=True)
class Training:
    """A trained model and how the estimation went."""

    model: MatchModel
    iterations: int
    converged: bool
    match_share: float
    """Estimated share of matches among the candidate pairs."""


def run_em(
    start: MatchModel,
    patterns: Patterns,
    *,
    u: list[FloatArray] | None = None,
    m: list[FloatArray] | None = None,
    fixed: frozenset[int] = frozenset(),
    match_share: float = 0.1,
    max_iterations: int = 50,
    tolerance: float = 1e-5,
) -> tuple[list[FloatArray], float, int, bool]:
    """EM for m and the match share among the pairs of ``patterns``; u, and the
    m of the ``fixed`` fields (by index), are held."""
    u = u if u is not None else _current(start, "u")
    m = list(m if m is not None else _current(start, "m"))
    share = match_share
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007
        share = min(max(share, 1e-9), 1 - 1e-9)
        posterior = probabilities(combine(patterns.levels, _with(start, m, u, share)))
        matched = patterns.counts * posterior
        new_m = [
            old if f in fixed else new
            for f, (old, new) in enumerate(zip(m, _level_shares(patterns, matched), strict=True))
        ]
        new_share = float(matched.sum() / patterns.counts.sum())
        change = max(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True))
        change = max(change, abs(new_share - share))
        m, share = new_m, new_share
        if change < tolerance:
            converged = True
            break
    return m, share, iteration, converged


def _agreeing(levels: LevelArray, field: str, weakest: str) -> npt.NDArray[np.bool_]:
    spec = FIELDS[FIELD_INDEX[field]]
    column = levels[:, FIELD_INDEX[field]]
    return (column >= 1) & (column <= spec.levels.index(weakest) + 1)


SESSIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("same birth date", ("birth_date",)),
    ("same given and family name", ("given_name", "family_name")),
)
"""Training sessions: the candidate pairs that agree on these fields, whose m
is then not estimated (it would only count the selection)."""


def _session(patterns: Patterns, fields: tuple[str, ...]) -> Patterns:
    keep = np.ones(len(patterns.counts), dtype=bool)
    for name in fields:
        weakest = "exact" if name == "birth_date" else "typo"
        keep &= _agreeing(patterns.levels, name, weakest)
    return Patterns(patterns.levels[keep], patterns.counts[keep])


ANCHOR_FIELDS = ("given_name", "family_name")
"""Fields whose agreement, with the same whole birth date, makes a pair almost
surely one child: the pairs that count the matches for the prior."""


def _count_matches(
    model: MatchModel, table: ValueTable, patterns: Patterns, split_at: int | None
) -> tuple[float | None, int]:
    """How many pairs of records are matches, from the sure ones.

    Pairs whose given names agree, whose family names agree and whose birth
    dates are exactly the same are nearly all one child; the model's m says
    which share of all matches show that (the product of the three fields'
    m, times the chance that both records give all three).  EM's share of
    matches among the candidate pairs counts pairs of different children who
    share a common name as matches, more so as a registry grows (eight times
    the truth on 200,000 synthetic records); this count stays within 1.5
    times of it.
    """
    sure = patterns.levels[:, FIELD_INDEX["birth_date"]] == 1
    recall = model.levels["birth_date"]["exact"].m
    full = table.codes[FIELD_INDEX["birth_date"]] >= 0
    for name in ANCHOR_FIELDS:
        spec = FIELDS[FIELD_INDEX[name]]
        agreeing = [j + 1 for j, level in enumerate(spec.levels) if agrees(level)]
        sure &= np.isin(patterns.levels[:, FIELD_INDEX[name]], agreeing)
        recall *= sum(model.levels[name][spec.levels[j - 1]].m for j in agreeing)
        full &= table.codes[FIELD_INDEX[name]] >= 0
    if split_at is None:
        presence = float(full.mean()) ** 2
    else:
        presence = float(full[:split_at].mean()) * float(full[split_at:].mean())
    anchor = int(patterns.counts[sure].sum())
    if anchor < 20 or recall * presence <= 0:
        return None, 0
    return anchor / (recall * presence), anchor


def train(
    start: MatchModel,
    table: ValueTable,
    candidate_levels: LevelArray | Patterns,
    *,
    total_pairs: float,
    u_sample: int = 200_000,
    seed: int = 0,
    split_at: int | None = None,
    estimate_m: bool = False,
) -> Training:
    """Re-estimate ``start`` on the records of ``table``.

    ``candidate_levels``: the levels of the candidate pairs (or their
    patterns); ``total_pairs``: how many pairs the records make in all (the
    prior is taken against it).

    ``estimate_m``: also estimate m by EM sessions.  Off by default: measured
    on synthetic registries with known truth, EM takes pairs of different
    children who share a common name for matches (m of a different birth date
    came out near 0.5 where the truth is 0.004), and precision fell from 0.99
    to 0.94.  m then stays as in ``start``: how sources write a child's values
    does not depend on the registry.
    """
    patterns = (
        candidate_levels
        if isinstance(candidate_levels, Patterns)
        else Patterns.of(candidate_levels)
    )
    pairs = float(patterns.counts.sum())
    if pairs == 0:
        return Training(start, 0, True, 0.0)
    counted, _ = _count_matches(start, table, patterns, split_at)
    match_rate = min(counted / max(total_pairs, 1.0), 0.5) if counted else 0.0
    u = estimate_u(
        table, sample=u_sample, seed=seed, split_at=split_at, reference=start, match_rate=match_rate
    )
    # Each session estimates m for the fields it did not select on; a field's
    # m is the mean over the sessions that estimated it (the default where none).
    estimates: list[list[FloatArray]] = [[] for _ in FIELDS]
    iterations, converged = 0, True
    for _name, fields in SESSIONS if estimate_m else ():
        subset = _session(patterns, fields)
        if subset.counts.sum() < 50:
            continue
        fixed = frozenset(FIELD_INDEX[f] for f in fields)
        m_s, _share, used, done = run_em(start, subset, u=u, fixed=fixed, match_share=0.5)
        iterations, converged = iterations + used, converged and done
        for f, values in enumerate(m_s):
            if f not in fixed:
                estimates[f].append(values)
    default_m = _current(start, "m")
    m = [np.mean(e, axis=0) if e else default_m[f] for f, e in enumerate(estimates)]
    fixed_all = frozenset(range(len(FIELDS)))
    m, share, used, done = run_em(start, patterns, u=u, m=m, fixed=fixed_all)
    iterations, converged = iterations + used, converged and done
    matches, anchor = _count_matches(start, table, patterns, split_at)
    if matches is None:  # too few sure pairs to count from: EM's share
        matches = share * pairs
    prior = min(max(matches / max(total_pairs, 1.0), 1e-12), 0.5)
    trained: dict[str, Any] = {
        "how": (
            "u from random pairs, m and prior by EM on candidate pairs"
            if estimate_m
            else "u from random pairs, prior by EM on candidate pairs, m as given"
        ),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "records": table.size,
        "candidate_pairs": int(pairs),
        "random_pairs_for_u": u_sample,
        "em_iterations": iterations,
        "converged": converged,
        "match_share_of_candidates": round(share, 6),
        "prior_from": (
            f"{anchor:,} pairs agreeing on given name, family name and the whole birth date"
            if anchor
            else "EM's share of matches among the candidate pairs"
        ),
    }
    model = _with(start, m, u, prior)
    return Training(
        MatchModel(model.prior, model.levels, model.sibling_rule, trained),
        iterations,
        converged,
        share,
    )
