"""The batch path scores a pair as ``score_pair`` does, and its shortcuts (numpy
dates, term frequencies, one-sided blocks) give what the slow path gives."""

from __future__ import annotations

import numpy as np
import pytest

from homeward import synthetic
from homeward.linkage.batch import link
from homeward.linkage.blocking import candidate_pairs
from homeward.linkage.fields import FIELD_INDEX, FIELDS
from homeward.linkage.model import MatchModel, default_model
from homeward.linkage.prepare import prepare
from homeward.linkage.scoring import ValueTable, score_pair

DATES = [
    "2012-03-04", "2012-04-03", "2012-03-14", "2013-03-04", "2011-03-04", "2012",
    "2013", "2012-03", "2012-04", "2021-03-04", "2012-12-31", "2013-12-31", "2012-03-05",
    "2002-03-04", "2012-11-04", "2010", "2012-01-01", "2009-12-31", "2010-12-31", "2012-03-04",
    "2012", "2012-03",
]  # fmt: skip


def test_dates_graded_with_numpy_as_the_field_grades_them() -> None:
    f = FIELD_INDEX["birth_date"]
    rows = []
    for date in DATES:
        values = [""] * len(FIELDS)
        values[f] = date
        rows.append(tuple(values))
    table = ValueTable(rows)
    left, right = np.meshgrid(np.arange(len(DATES)), np.arange(len(DATES)))
    left, right = left.ravel(), right.ravel()
    keep = left != right
    found = table.field_levels(f, left[keep], right[keep])
    spec = FIELDS[f]
    expected = [
        spec.level_index(spec.compare(DATES[a], DATES[b]).level) + 1
        for a, b in zip(left[keep].tolist(), right[keep].tolist(), strict=True)
    ]
    assert found.tolist() == expected
    assert len(set(expected)) == len(spec.levels)  # every level is tried


@pytest.fixture(scope="module")
def dataset() -> synthetic.SyntheticDataset:
    return synthetic.generate(300, seed=11)


def _records(dataset: synthetic.SyntheticDataset) -> list[dict[str, str]]:
    return [{k: "" if v is None else str(v) for k, v in r.items()} for r in dataset.records]


def _given(record: dict[str, str]) -> bool:
    return bool(record.get("given_name") or record.get("full_name"))


def test_a_pair_scores_the_same_in_a_batch_run_and_alone(
    dataset: synthetic.SyntheticDataset,
) -> None:
    records = _records(dataset)
    result = link(records, threshold=0.3)
    assert result.model.frequencies  # the trained model counts names
    assert result.pairs
    thin = 0
    for pair in result.pairs[:300]:
        alone = score_pair(result.model, records[pair.a], records[pair.b])
        if not (_given(records[pair.a]) and _given(records[pair.b])):
            # A thin record is weighed against the children of the run it fits.
            assert pair.weight >= alone.weight - 1e-9
            thin += 1
        else:
            assert alone.weight == pytest.approx(pair.weight, abs=1e-9)
        assert sum(f.weight for f in alone.fields if f.counted) + alone.prior_weight == (
            pytest.approx(alone.weight, abs=1e-9)
        )


def test_the_saved_model_keeps_its_name_frequencies(dataset: synthetic.SyntheticDataset) -> None:
    model = link(_records(dataset)).model
    again = MatchModel.from_json(model.to_json())
    assert again.frequencies == model.frequencies
    a, b = _records(dataset)[:2]
    assert score_pair(again, a, b).weight == pytest.approx(score_pair(model, a, b).weight, abs=1e-3)


def test_a_common_family_name_weighs_less_than_a_rare_one() -> None:
    common = [
        {"record_id": str(i), "given_name": name, "family_name": "Коваленко"}
        for i, name in enumerate(["Олег", "Ігор", "Павло", "Роман", "Тарас", "Юрій"] * 5)
    ]
    rare = [
        {"record_id": "r1", "family_name": "Скоробогатько", "birth_date": "2012"},
        {"record_id": "r2", "family_name": "Скоробогатько", "birth_date": "2012-05-01"},
        {"record_id": "c1", "family_name": "Коваленко", "birth_date": "2012"},
        {"record_id": "c2", "family_name": "Коваленко", "birth_date": "2012-05-01"},
    ]
    model = link(common + rare, threshold=0.99).model
    rare_pair = score_pair(model, rare[0], rare[1])
    common_pair = score_pair(model, rare[2], rare[3])
    assert rare_pair.weight > common_pair.weight
    family = FIELD_INDEX["family_name"]
    assert "a common name" in common_pair.fields[family].reason
    assert default_model().frequencies == {}  # nothing to count without records


def test_one_sided_keys_pair_a_probe_with_its_block_only() -> None:
    keys = [frozenset({"fy:a"}), frozenset({"fy:a"}), frozenset({"fy:a"}), frozenset({"fy:b"})]
    none = candidate_pairs(keys, probes=[False] * 4, one_sided=("fy:",))
    assert len(none) == 0
    found = candidate_pairs(keys, probes=[False, True, False, True], one_sided=("fy:",))
    assert sorted(zip(found.left.tolist(), found.right.tolist(), strict=True)) == [(0, 1), (1, 2)]


def test_a_record_without_a_given_name_meets_its_family_and_year() -> None:
    listed = {"family_name": "Скоробогатько", "birth_date": "2015"}
    full = {"given_name": "Алина", "family_name": "Скоробогатько", "birth_date": "2015-10-05"}
    other = {"given_name": "Алина", "family_name": "Скоробогатько", "birth_date": "2016-01-02"}
    assert any(k.startswith("fy:") for k in prepare(listed).keys)
    result = link([listed, full, other], model=default_model(), train_model=False, threshold=0.01)
    assert result.candidate_pairs >= 2  # the list's record and each of the others


def test_given_and_family_names_swapped_agree_in_both_paths() -> None:
    a = {"given_name": "Catherine", "family_name": "Gawthrop", "birth_date": "1915-10-03"}
    b = {"given_name": "Gawthrop", "family_name": "Catherine", "birth_date": "1915-10-03"}
    c = {"given_name": "Gawthrop", "family_name": "Gawthrop", "birth_date": "1915-10-03"}
    model = default_model()
    scored = score_pair(model, a, b)
    given, family = FIELD_INDEX["given_name"], FIELD_INDEX["family_name"]
    assert scored.fields[given].level == scored.fields[family].level == "equivalent"
    assert "swapped" in scored.fields[given].reason
    assert scored.probability > 0.99
    assert score_pair(model, a, c).fields[given].level == "different"
    result = link([a, b, c], model=model, train_model=False)
    assert [(p.a, p.b) for p in result.pairs] == [(0, 1)]
    assert result.pairs[0].weight == pytest.approx(scored.weight, abs=1e-9)


PARENTS = [
    "ольга|петрівна|коваленко", "ольга||kovalenko", "ольга||шевчук", "||коваленко",
    "||шевчук", "олга||коваленко", "ольга|іванівна|коваленко", "оксана||коваленко",
    "ольга||", "olga|petrovna|kovalenko", "ольга|петрівна|коваленко",
]  # fmt: skip


def test_parents_graded_by_parts_as_compare_parent_names_grades_them() -> None:
    f = FIELD_INDEX["mother_name"]
    rows = []
    for value in PARENTS:
        values = [""] * len(FIELDS)
        values[f] = value
        rows.append(tuple(values))
    table = ValueTable(rows)
    left, right = np.meshgrid(np.arange(len(PARENTS)), np.arange(len(PARENTS)))
    left, right = left.ravel(), right.ravel()
    found = table.field_levels(f, left, right)
    spec = FIELDS[f]
    expected = [
        spec.level_index(spec.compare(PARENTS[a], PARENTS[b]).level) + 1
        for a, b in zip(left.tolist(), right.tolist(), strict=True)
    ]
    assert found.tolist() == expected
    assert len(set(expected)) >= len(spec.levels)  # every level, and missing


def test_windowed_blocks_keep_the_records_of_their_pairs() -> None:
    keys = [frozenset({"same"})] * 30 + [frozenset({"x"})] * 2 + [frozenset()] * 28
    found = candidate_pairs(keys, max_block=10)
    pairs = set(zip(found.left.tolist(), found.right.tolist(), strict=True))
    assert (30, 31) in pairs
    assert all(b < 30 or (a, b) == (30, 31) for a, b in pairs)
    assert all(0 < b - a < 10 for a, b in pairs if b < 30)


def test_the_trained_prior_counts_about_as_many_matches_as_there_are() -> None:
    dataset = synthetic.generate(1200, seed=5)
    records = _records(dataset)
    model = link(records).model
    truth = len(synthetic.true_pairs(dataset.records))
    all_pairs = len(records) * (len(records) - 1) / 2
    assert 0.5 < model.prior * all_pairs / truth < 2.0
    assert "birth date" in model.trained["prior_from"]


def test_records_sharing_no_key_make_no_candidate() -> None:
    found = candidate_pairs([frozenset({"a"}), frozenset({"b"}), frozenset({"c"})])
    assert len(found) == 0
    result = link(
        [{"given_name": "Олег"}, {"given_name": "Ігор"}, {"family_name": "Шевчук"}],
        model=default_model(),
        train_model=False,
    )
    assert result.candidate_pairs == 0 and result.pairs == []


def test_typos_in_both_names_still_meet_on_the_whole_birth_date() -> None:
    """Nikita Bezuch / Nikiga Bzeuch share no name key; the birth date with the
    first letter of a name brings them together, and a year alone does not."""
    a = {"given_name": "Nikita", "family_name": "Bezuch", "birth_date": "1946-06-15"}
    b = {"given_name": "Nikiga", "family_name": "Bzeuch", "birth_date": "1946-06-15"}
    only_year = {**b, "birth_date": "1946"}
    other_letter = {**b, "given_name": "Mikiga", "family_name": "Czeuch"}
    model = default_model()
    result = link([a, b], model=model, train_model=False)
    assert result.candidate_pairs == 1
    assert [(p.a, p.b) for p in result.pairs] == [(0, 1)]
    for record in (only_year, other_letter):
        assert link([a, record], model=model, train_model=False).candidate_pairs == 0
