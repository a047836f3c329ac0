"""Batch linking and ``homeward link``: the command-line contract other tools rely on."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homeward import synthetic
from homeward.cli.main import app
from homeward.linkage.batch import link
from homeward.linkage.blocking import candidate_pairs
from homeward.linkage.model import MatchModel, default_model
from homeward.linkage.scoring import score_pair

runner = CliRunner()


def _read_pairs(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _f1(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> float:
    hits = len(found & truth)
    precision, recall = hits / max(1, len(found)), hits / max(1, len(truth))
    return 2 * precision * recall / max(1e-9, precision + recall)


@pytest.fixture(scope="module")
def dataset() -> synthetic.SyntheticDataset:
    return synthetic.generate(400, seed=3)


def test_dedupe_one_file_writes_the_contract(
    dataset: synthetic.SyntheticDataset, tmp_path: Path
) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "pairs.csv"
    synthetic.write_csv(dataset.records, source)
    result = runner.invoke(app, ["link", str(source), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    header, rows = _read_pairs(out)
    assert header[:3] == ["record_id_a", "record_id_b", "match_probability"]
    assert rows and all(float(r["match_probability"]) >= 0.5 for r in rows)
    found = {tuple(sorted((r["record_id_a"], r["record_id_b"]))) for r in rows}
    assert _f1(found, synthetic.true_pairs(dataset.records)) > 0.85  # type: ignore[arg-type]


def test_homeward_link_starts_without_the_registry_modules(
    dataset: synthetic.SyntheticDataset, tmp_path: Path
) -> None:
    """The command other tools run starts light, and writes what the full
    command writes."""
    source, out, full = tmp_path / "in.csv", tmp_path / "pairs.csv", tmp_path / "full.csv"
    synthetic.write_csv(dataset.records, source)
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules"
        " if m.startswith(('homeward.services', 'homeward.web', 'sqlalchemy')))))\n"
        "from homeward.cli.main import main\n"
        f"sys.argv = ['homeward', 'link', {str(source)!r}, '--out', {str(out)!r}, '-q']\n"
        "main()\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert runner.invoke(app, ["link", str(source), "--out", str(full), "-q"]).exit_code == 0
    assert out.read_text(encoding="utf-8") == full.read_text(encoding="utf-8")
    wrong = subprocess.run(
        [sys.executable, "-c", script.replace("'-q'", "'--bogus'")], capture_output=True
    )
    assert wrong.returncode == 2


def test_link_two_files_pairs_only_across_them(
    dataset: synthetic.SyntheticDataset, tmp_path: Path
) -> None:
    split = synthetic.split_for_link(dataset)
    a, b, out = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "pairs.csv"
    synthetic.write_csv(split.left, a)
    synthetic.write_csv(split.right, b)
    model = tmp_path / "model.json"
    result = runner.invoke(
        app, ["link", str(a), str(b), "--out", str(out), "--threshold", "0.8",
              "--save-model", str(model), "-q"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    _header, rows = _read_pairs(out)
    left_ids = {r["record_id"] for r in split.left}
    right_ids = {r["record_id"] for r in split.right}
    assert all(r["record_id_a"] in left_ids and r["record_id_b"] in right_ids for r in rows)
    assert all(float(r["match_probability"]) >= 0.8 for r in rows)
    found = {(r["record_id_a"], r["record_id_b"]) for r in rows}
    assert _f1(found, split.pairs) > 0.8
    assert MatchModel.load(model).trained["records"] == len(split.left) + len(split.right)


def test_a_given_model_is_used_as_it_is(
    dataset: synthetic.SyntheticDataset, tmp_path: Path
) -> None:
    source, out, model = tmp_path / "in.csv", tmp_path / "pairs.csv", tmp_path / "m.json"
    synthetic.write_csv(dataset.records[:300], source)
    default_model().save(model)
    result = runner.invoke(
        app, ["link", str(source), "--out", str(out), "--model", str(model),
              "--save-model", str(tmp_path / "used.json"), "-q"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert MatchModel.load(tmp_path / "used.json") == default_model()


def test_unknown_columns_are_ignored_and_empty_cells_are_missing(tmp_path: Path) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "pairs.csv"
    source.write_text(
        "record_id,full_name,birth_date,colour\n"
        "a,КОВАЛЕНКО Олександр Сергійович,04.03.2012,red\n"
        "b,Aleksandr Kovalenko,2012-03-04,\n"
        "c,Марія Шевчук,2015,blue\n"
        "d,,,\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["link", str(source), "--out", str(out), "-q",
                                 "--model", str(_saved_default(tmp_path))])  # fmt: skip
    assert result.exit_code == 0, result.output
    _header, rows = _read_pairs(out)
    assert [(r["record_id_a"], r["record_id_b"]) for r in rows] == [("a", "b")]


def _saved_default(tmp_path: Path) -> Path:
    path = tmp_path / "default.json"
    default_model().save(path)
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("given_name\nОлександр\n", "no record_id column"),
        ("record_id,given_name\n,Олександр\n", "line 2: record_id is empty"),
        ("record_id\nx\nx\n", "appears twice"),
    ],
)
def test_bad_input_is_refused_with_the_line(tmp_path: Path, content: str, message: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["link", str(source), "--out", str(tmp_path / "o.csv"), "-q"])
    assert result.exit_code == 1
    assert message in result.output


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("record_id,given_name\n1,Олександр\n".encode("cp1251"))
    result = runner.invoke(app, ["link", str(source), "--out", str(tmp_path / "o.csv"), "-q"])
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_a_chain_does_not_join_clearly_different_children() -> None:
    # B (Саша, 2012) fits both; A and C contradict each other (sex, given name).
    a = {
        "given_name": "Олександр",
        "family_name": "Коваленко",
        "birth_date": "2012-03-04",
        "sex": "m",
    }
    b = {"given_name": "Саша", "family_name": "Коваленко", "birth_date": "2012"}
    c = {
        "given_name": "Олександра",
        "family_name": "Коваленко",
        "birth_date": "2012",
        "sex": "f",
    }
    model = default_model()
    assert score_pair(model, a, b).probability > 0.5 and score_pair(model, b, c).probability > 0.5
    assert score_pair(model, a, c).probability < 0.01
    result = link([a, b, c], model=model, train_model=False, threshold=0.5)
    assert result.joins_refused == 1
    assert all({p.a, p.b} != {0, 2} for p in result.pairs)
    assert not any({0, 2} <= set(group) for group in result.groups)


def test_blocking_pairs_records_sharing_a_key_once() -> None:
    keys = [frozenset({"x", "y"}), frozenset({"x", "y"}), frozenset({"z"}), frozenset({"z", "x"})]
    found = candidate_pairs(keys)
    assert sorted(zip(found.left.tolist(), found.right.tolist(), strict=True)) == [
        (0, 1), (0, 3), (1, 3), (2, 3),
    ]  # fmt: skip
    across = candidate_pairs(keys, split_at=2)
    assert sorted(zip(across.left.tolist(), across.right.tolist(), strict=True)) == [
        (0, 3), (1, 3),
    ]  # fmt: skip


def test_blocks_larger_than_the_limit_are_windowed() -> None:
    found = candidate_pairs([frozenset({"same"})] * 50, max_block=10)
    assert found.large_blocks == 1
    assert 0 < len(found) < 50 * 49 // 2
    assert all(b - a < 10 for a, b in zip(found.left.tolist(), found.right.tolist(), strict=True))
