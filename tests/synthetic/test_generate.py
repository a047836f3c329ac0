"""The generated registry: deterministic, complete, and with the configured shape."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from collections import Counter, defaultdict
from itertools import pairwise

import pytest

from homeward.synthetic import (
    RECORD_FIELDS,
    SOURCES,
    SyntheticConfig,
    SyntheticDataset,
    generate,
)


def _fingerprint(data: SyntheticDataset) -> str:
    text = json.dumps(data.records, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def test_same_seed_gives_the_same_dataset() -> None:
    random.seed(1)
    first = generate(300, seed=5)
    random.seed(2)  # the global random state plays no part
    second = generate(300, seed=5)
    assert first.records == second.records
    assert first.children == second.children
    assert first.variations == second.variations


def test_different_seeds_give_different_datasets() -> None:
    assert _fingerprint(generate(300, seed=5)) != _fingerprint(generate(300, seed=6))


def test_same_seed_gives_the_same_dataset_in_another_process() -> None:
    code = (
        "import hashlib, json; from homeward.synthetic import generate; "
        "d = generate(200, seed=9); "
        "print(hashlib.sha256(json.dumps(d.records, ensure_ascii=False, sort_keys=True)"
        ".encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == _fingerprint(generate(200, seed=9))


def test_counts_and_keys(dataset: SyntheticDataset) -> None:
    assert len(dataset.children) == 4000
    assert len(dataset.distractors) == 200  # 5 % by default
    assert len({c.child_key for c in dataset.children}) == 4000
    ids = [r["record_id"] for r in dataset.records]
    assert all(ids) and len(set(ids)) == len(ids)
    assert set(dataset.variations) == set(ids)
    for record in dataset.records:
        assert set(record) == {*RECORD_FIELDS, "child_key", "source"}
        assert record["child_key"]
        assert record["source"] in SOURCES
    # about 2.5 records per child, as the benchmarks expect
    assert 2.2 <= len(dataset.records) / len(dataset.children) <= 2.8


def test_every_child_is_in_one_to_four_sources(dataset: SyntheticDataset) -> None:
    sources: dict[str, set[str]] = defaultdict(set)
    for record in dataset.records:
        sources[record["child_key"] or ""].add(record["source"] or "")
    for child in dataset.children:
        assert 1 <= len(sources[child.child_key]) <= 4
    by_count = Counter(len(s) for key, s in sources.items() if not key.startswith("ru-"))
    assert by_count[1] and by_count[2] and by_count[3]


def test_russian_only_children_are_apart_from_ukrainian_ones(dataset: SyntheticDataset) -> None:
    ukrainian_keys = {c.child_key for c in dataset.children}
    distractor_keys = {c.child_key for c in dataset.distractors}
    assert all(k.startswith("ru-") for k in distractor_keys)
    assert not ukrainian_keys & distractor_keys
    for record in dataset.records:
        key = record["child_key"] or ""
        if record["source"] == "russian_only":
            assert key in distractor_keys
            assert (record["record_id"] or "")[:3] in ("RU-", "CP-")  # ids hide the truth
        else:
            assert key in ukrainian_keys


def test_siblings_and_twins_share_family_but_differ(dataset: SyntheticDataset) -> None:
    families = defaultdict(list)
    for child in dataset.children:
        families[child.family_key].append(child)
    multi = [f for f in families.values() if len(f) > 1]
    assert multi
    for family in multi:
        assert len({c.surname for c in family}) == 1
        assert len({id(c.relatives) for c in family}) == 1
        assert len({c.father_given_name for c in family}) == 1
        assert len({c.birth_place for c in family}) == 1
        assert len({(c.given_name, c.birth_date) for c in family}) == len(family)
        if family[0].is_twin:
            assert len(family) == 2
            assert family[0].birth_date == family[1].birth_date
            assert family[0].given_name != family[1].given_name
        else:
            dates = sorted(c.birth_date for c in family)
            assert all((b - a).days >= 300 for a, b in pairwise(dates))
    n = len(dataset.children)
    cfg = dataset.config
    twins = sum(c.is_twin for c in dataset.children)
    siblings = sum(len(f) for f in multi if not f[0].is_twin)
    assert abs(twins / n - cfg.twins_rate) < 0.002
    assert abs(siblings / n - cfg.siblings_rate) < 0.002
    same_sex = sum(f[0].sex == f[1].sex for f in multi if f[0].is_twin)
    assert 0 < same_sex < twins // 2  # some twins are of the same sex, not all


def test_common_name_collisions_are_unrelated_children(dataset: SyntheticDataset) -> None:
    groups = defaultdict(list)
    for child in dataset.children:
        if child.collision_group:
            groups[child.collision_group].append(child)
    total = sum(len(g) for g in groups.values())
    assert abs(total / len(dataset.children) - dataset.config.common_name_collision_rate) < 0.002
    for group in groups.values():
        assert len(group) >= 2
        assert len({(c.given_name, c.family_name) for c in group}) == 1
        assert len({c.family_key for c in group}) == len(group)
        assert len({c.birth_date for c in group}) == len(group)


def test_birth_and_removal_dates_are_in_range(dataset: SyntheticDataset) -> None:
    years = Counter(c.birth_date.year for c in dataset.children)
    assert min(years) >= 2005 and max(years) <= 2022
    core = sum(v for y, v in years.items() if 2008 <= y <= 2020)
    assert core / len(dataset.children) > 0.8
    for child in dataset.children:
        removal = [e for e in child.events if e.kind == "removal"]
        if child.category == "at_risk":
            assert not removal
            continue
        assert len(removal) == 1
        assert 2022 <= removal[0].date.year <= 2024
        assert removal[0].date > child.birth_date
        dates = [e.date for e in child.events]
        assert dates == sorted(dates)


def test_relatives_have_one_legal_representative_at_most(dataset: SyntheticDataset) -> None:
    with_rep = 0
    for child in dataset.children:
        assert child.relative("mother") is not None
        reps = [r for r in child.relatives if r.is_legal_representative]
        assert len(reps) <= 1
        with_rep += bool(reps)
        assert all(r.phone for r in child.relatives)
    assert with_rep / len(dataset.children) > 0.9


def test_categories_follow_the_configured_weights(dataset: SyntheticDataset) -> None:
    families = {c.family_key: c.category for c in dataset.children}
    shares = Counter(families.values())
    for category, weight in dataset.config.category_weights:
        assert abs(shares[category] / len(families) - weight) < 0.03


@pytest.mark.parametrize(
    "kwargs",
    [
        {"typo_rate": -0.1},
        {"adopted_surname_rate": 1.5},
        {"russian_only_count": -1},
        {"siblings_rate": 0.6, "twins_rate": 0.3, "common_name_collision_rate": 0.2},
        {"category_weights": (("abducted", 1.0),)},
    ],
)
def test_bad_config_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SyntheticConfig(**kwargs)  # type: ignore[arg-type]


def test_russian_only_count_can_be_set() -> None:
    data = generate(100, seed=1, config=SyntheticConfig(russian_only_count=7))
    assert len(data.distractors) == 7
    assert {r["child_key"] for r in data.records if r["source"] == "russian_only"} == {
        c.child_key for c in data.distractors
    }


def test_empty_registry() -> None:
    data = generate(0, seed=1)
    assert data.children == [] and data.records == []
