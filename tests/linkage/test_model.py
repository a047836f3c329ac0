"""The match model: weights, JSON, the sibling rule, and EM recovering known weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from homeward.errors import Invalid
from homeward.linkage.fields import FIELD_INDEX, FIELDS
from homeward.linkage.model import LevelProbabilities, MatchModel, default_model
from homeward.linkage.prepare import prepare
from homeward.linkage.scoring import ValueTable, combine, score_pair
from homeward.linkage.training import Patterns, estimate_u, run_em


def test_default_model_round_trips_through_readable_json(tmp_path: Path) -> None:
    model = default_model()
    path = tmp_path / "model.json"
    model.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["fields"]["given_name"]["label"] == "given name"
    assert data["fields"]["given_name"]["levels"]["exact"]["weight"] > 0
    assert MatchModel.load(path) == model


def test_every_field_has_every_level_and_probabilities_sum_to_one() -> None:
    model = default_model()
    for spec in FIELDS:
        levels = model.levels[spec.name]
        assert list(levels) == list(spec.levels)
        assert sum(p.m for p in levels.values()) == pytest.approx(1, abs=1e-3)
        assert sum(p.u for p in levels.values()) == pytest.approx(1, abs=1e-3)


def test_a_model_missing_a_level_is_refused(tmp_path: Path) -> None:
    data = default_model().to_dict()
    del data["fields"]["sex"]["levels"]["different"]
    with pytest.raises(Invalid, match="sex"):
        MatchModel.from_dict(data)
    with pytest.raises(Invalid, match="not a Homeward match model"):
        MatchModel.from_dict({"format": "splink"})


def test_missing_values_weigh_nothing() -> None:
    model = default_model()
    only_name = score_pair(model, {"given_name": "Олександр"}, {"given_name": "Олександр"})
    assert only_name.weight == pytest.approx(
        model.prior_weight + model.weight("given_name", "exact")
    )


SIBLINGS = {
    "family_name": "Коваленко",
    "patronymic": "Сергійович",
    "sex": "m",
    "birth_date": "2012-03-04",
    "birth_place": "Маріуполь",
    "residence": "Маріуполь",
    "mother_name": "Коваленко Ольга Петрівна",
    "father_name": "Коваленко Сергій Іванович",
}


def test_twins_do_not_match() -> None:
    pair = score_pair(
        default_model(),
        {**SIBLINGS, "given_name": "Олександр"},
        {**SIBLINGS, "given_name": "Дмитро"},
    )
    assert pair.probability < 0.05
    not_counted = {f.field for f in pair.fields if not f.counted}
    assert {"family_name", "mother_name", "birth_place"} <= not_counted


def test_a_shared_document_number_is_no_sibling_sign() -> None:
    """Siblings never share a birth certificate: with the same one, a given name
    written wrongly on one record does not set the shared fields aside."""
    one = {**SIBLINGS, "given_name": "Олександр", "document_id": "I-АН 123456"}
    other = {**SIBLINGS, "given_name": "Дмитро", "document_id": "I-АН 123456"}
    pair = score_pair(default_model(), one, other)
    assert all(f.counted for f in pair.fields)
    assert pair.probability > 0.99
    twin = score_pair(default_model(), one, {**other, "document_id": "I-АН 123457"})
    assert not all(f.counted for f in twin.fields)
    assert twin.probability < 0.05


def test_siblings_born_apart_do_not_match() -> None:
    pair = score_pair(
        default_model(),
        {**SIBLINGS, "given_name": "Олександр", "birth_date": "2012-03-04"},
        {**SIBLINGS, "given_name": "Марія", "sex": "f", "birth_date": "2015-07-21"},
    )
    assert pair.probability < 0.001


def test_an_adopted_surname_does_not_sink_a_pair() -> None:
    ukrainian = {**SIBLINGS, "given_name": "Олександр"}
    russian = {
        "given_name": "Александр",
        "family_name": "Смирнов",
        "patronymic": "Сергеевич",
        "birth_date": "04.03.2012",
        "birth_place": "г. Мариуполь",
        "mother_name": "Коваленко Ольга Петровна",
    }
    pair = score_pair(default_model(), ukrainian, russian)
    family = next(f for f in pair.fields if f.field == "family_name")
    assert family.level == "different" and family.weight < 0
    assert pair.probability > 0.99


def test_explanation_names_values_level_reason_and_weight() -> None:
    pair = score_pair(
        default_model(),
        {"given_name": "Олександр", "family_name": "Коваленко"},
        {"given_name": "Александр", "family_name": "Коваленко"},
    )
    given = pair.fields[0]
    assert (given.value_a, given.value_b, given.level) == ("Олександр", "Александр", "equivalent")
    assert given.describe().startswith("given name: Олександр ~ Александр, same name")
    assert given.describe().endswith(f"{given.weight:+.1f}")
    assert pair.as_dict()["fields"][0]["reason"] == given.reason


def _known_model() -> MatchModel:
    """A model whose m differ clearly from the default's, to be recovered."""
    rng = np.random.default_rng(5)
    levels = {}
    for spec in FIELDS:
        m = rng.dirichlet(np.linspace(3, 0.5, len(spec.levels)) * 4)
        u = rng.dirichlet(np.linspace(0.5, 3, len(spec.levels)) * 4)
        levels[spec.name] = {
            level: LevelProbabilities(float(m[j]), float(u[j]))
            for j, level in enumerate(spec.levels)
        }
    return MatchModel(0.2, levels, sibling_rule=False)


def _sample(model: MatchModel, n: int, which: str, rng: np.random.Generator) -> np.ndarray:
    columns = []
    for spec in FIELDS:
        p = [getattr(model.levels[spec.name][lv], which) for lv in spec.levels]
        columns.append(rng.choice(len(spec.levels), size=n, p=np.array(p) / sum(p)) + 1)
    return np.stack(columns, axis=1).astype(np.int8)


def test_em_recovers_known_weights_from_synthetic_pairs() -> None:
    truth = _known_model()
    rng = np.random.default_rng(11)
    levels = np.concatenate([_sample(truth, 20_000, "m", rng), _sample(truth, 80_000, "u", rng)])
    start = MatchModel(0.5, default_model().levels, sibling_rule=False)
    u = [np.array([truth.levels[s.name][lv].u for lv in s.levels]) for s in FIELDS]
    m, share, _iterations, converged = run_em(start, Patterns.of(levels), u=u)
    assert converged
    assert share == pytest.approx(0.2, abs=0.01)
    for f, spec in enumerate(FIELDS):
        expected = np.array([truth.levels[spec.name][lv].m for lv in spec.levels])
        assert np.abs(m[f] - expected).max() < 0.03, spec.name
    # And the weights that come out of it score pairs as the true model does.
    recovered = MatchModel(
        share,
        {
            s.name: {lv: LevelProbabilities(float(m[f][j]), float(u[f][j]))
                     for j, lv in enumerate(s.levels)}
            for f, s in enumerate(FIELDS)
        },
        sibling_rule=False,
    )  # fmt: skip
    sample = levels[:2000]
    assert np.corrcoef(combine(sample, recovered), combine(sample, truth))[0, 1] > 0.99


@pytest.mark.parametrize(
    "module",
    ["homeward.linkage.fields", "homeward.linkage.prepare", "homeward.linkage.model",
     "homeward.linkage.scoring"],
)  # fmt: skip
def test_docstring_examples_hold(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_examples_in_the_matching_documentation_hold() -> None:
    import doctest

    docs = Path(__file__).resolve().parents[2] / "docs" / "matching.md"
    result = doctest.testfile(str(docs), module_relative=False)
    assert result.attempted >= 2 and result.failed == 0


def test_u_takes_off_the_matches_among_random_pairs() -> None:
    # 100 children with two records each: one random pair in 199 is one child,
    # and those are nearly all the random pairs that share a document number.
    rows = [
        prepare({"given_name": "Іван", "document_id": f"АВ{k:06d}"}).values
        for k in range(100)
        for _ in range(2)
    ]
    table = ValueTable(rows)
    document = FIELD_INDEX["document"]
    raw = estimate_u(table, sample=40_000, seed=1)[document][0]
    corrected = estimate_u(
        table, sample=40_000, seed=1, reference=default_model(), match_rate=1 / 199
    )[document][0]
    assert raw > 0.003
    assert corrected < raw / 3


def test_a_model_saved_before_related_names_loads_with_the_default_weight() -> None:
    data = default_model().to_dict()
    data["fields"]["given_name"]["levels"]["related"] = {"m": 0.2, "u": 0.1}
    assert MatchModel.from_dict(data).levels["given_name"]["related"].m == 0.2
    del data["fields"]["given_name"]["levels"]["related"]
    loaded = MatchModel.from_dict(data)
    assert loaded.levels["given_name"]["related"] == default_model().levels["given_name"]["related"]
