"""Thin records (a family name and a birth year, no given name) in a batch run."""

from __future__ import annotations

import pytest

from homeward import synthetic
from homeward.linkage import batch
from homeward.linkage.batch import batch_keys, link
from homeward.linkage.model import MatchModel
from homeward.linkage.prepare import prepare
from homeward.linkage.scoring import score_pair
from homeward.names.compare import compare_given_names

Run = tuple[list[dict[str, str]], dict[tuple[str, str], float], MatchModel]


def _records(seed: int) -> list[dict[str, str]]:
    dataset = synthetic.generate(300, seed=seed)
    out = []
    for record in dataset.records:
        row = {k: "" if v is None else str(v) for k, v in record.items()}
        if row["family_name"] in ("Яструбинський", "Яструбинская", "Коваленко"):
            continue
        out.append(row)
    return out


def _child(record_id: str, given: str, family: str, date: str, place: str) -> dict[str, str]:
    return {
        "record_id": record_id,
        "given_name": given,
        "family_name": family,
        "birth_date": date,
        "birth_place": place,
        "sex": "m",
    }


@pytest.fixture(scope="module")
def run() -> Run:
    records = _records(5)
    records += [
        {
            **_child("Y-1", "Олег", "Яструбинський", "04.03.2012", "Маріуполь"),
            "mother_name": "Смирнова Ольга Петрівна",
        },
        _child("Y-2", "Олег", "Яструбинський", "2012-03-04", "м. Маріуполь"),
        {"record_id": "Y-list", "family_name": "Яструбинський", "birth_date": "2012"},
        # The same child under an adopted family name: the list entry's family
        # name differs from it, which says little, not that they are two children.
        {
            **_child("Y-adopted", "Олег", "Смирнов", "2012-03-04", "Мариуполь"),
            "mother_name": "Смирнова Ольга Петровна",
        },
        _child("K-1", "Артем", "Коваленко", "11.05.2012", "Харків"),
        _child("K-2", "Богдан", "Коваленко", "20.09.2012", "Суми"),
        _child("K-3", "Денис", "Коваленко", "02.01.2012", "Полтава"),
        {"record_id": "K-list", "family_name": "Коваленко", "birth_date": "2012"},
    ]
    # Both family names are common here, but only one Яструбинський was born
    # in 2012, and three Коваленко were.
    names = ("Іван", "Максим", "Назар", "Тарас", "Роман", "Остап")
    for family, tag in (("Коваленко", "K"), ("Яструбинський", "Y")):
        records += [
            _child(
                f"{tag}-{k}", names[k % 6], family, f"{k % 28 + 1:02d}.06.{2005 + k % 6}", "Київ"
            )
            for k in range(4, 124)
        ]
    result = link(records)
    ids = [r["record_id"] for r in records]
    pairs = {tuple(sorted((ids[p.a], ids[p.b]))): p.probability for p in result.pairs}
    return records, pairs, result.model  # type: ignore[return-value]


def test_a_list_entry_that_fits_one_child_is_that_child(
    run: Run,
) -> None:
    records, pairs, model = run
    assert ("Y-1", "Y-list") in pairs
    assert ("Y-2", "Y-list") in pairs
    # Alone, with the run's model, the pair falls short: the name is common.
    by_id = {r["record_id"]: r for r in records}
    assert score_pair(model, by_id["Y-1"], by_id["Y-list"]).probability < 0.5


def test_a_list_entry_that_fits_several_children_is_none_of_them(
    run: Run,
) -> None:
    _, pairs, _ = run
    assert not [p for p in pairs if "K-list" in p]


def test_latin_given_names_one_letter_apart_letter_for_letter_are_a_typo() -> None:
    assert compare_given_names("Rachel", "Racehl").level == "typo"
    assert compare_given_names("Olivia", "Oliiva").level == "typo"
    assert compare_given_names("Roman", "Romana").level == "different"


def test_a_want_of_evidence_is_no_contradiction(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    records, pairs, _ = run
    assert ("Y-1", "Y-adopted") in pairs
    assert ("Y-1", "Y-list") in pairs  # though Y-list and Y-adopted are improbable
    # Were every improbable pair a contradiction, the entry would stay out.
    monkeypatch.setattr(batch, "CONTRADICTION_BITS", 0.0)
    result = link(records)
    ids = [r["record_id"] for r in records]
    strict = {tuple(sorted((ids[p.a], ids[p.b]))) for p in result.pairs}
    assert ("Y-1", "Y-adopted") in strict
    assert ("Y-1", "Y-list") not in strict


def test_batch_keys_meet_a_mistyped_given_name_and_a_mistyped_document() -> None:
    a = prepare({"given_name": "Мирослава", "family_name": "Затовканюк", "birth_date": "2013"})
    b = prepare({"given_name": "Мрослава", "family_name": "Затовканюк", "birth_date": "20.10.2013"})
    # fy: pairs only a record without a given name; iy: one without a day.
    shared = {k for k in batch_keys(a) & batch_keys(b) if not k.startswith("fy:")}
    assert shared and all(k.startswith("iy:") for k in shared)
    c = prepare({"given_name": "Georgia", "document_id": "5714719"})
    d = prepare({"given_name": "Geogia", "document_id": "5714791"})
    assert any(k.startswith("dd:") for k in batch_keys(c) & batch_keys(d))
