"""Splink 5 reference for the linkage benchmark: a standard model on the raw names.

Reads the same CSV files as ``homeward link`` (the contract columns) and writes the
same PAIRS.csv, so that ``bench/bench_link.py`` can run both tools on the very same
files and score them the same way::

    .venv/bin/python bench/splink_reference.py link INPUT.csv [OTHER.csv] --out PAIRS.csv \\
        [--threshold 0.5] [--stats STATS.json] [--model-out MODEL.json]
    .venv/bin/python bench/splink_reference.py realtime INPUT.csv --model MODEL.json \\
        [--existing 5000] [--calls 200] [--stats STATS.json]

One file: deduplication (``link_type="dedupe_only"``); two files: linkage
(``link_only``), pairs written as (INPUT id, OTHER id).

What a Splink user would do with these files, and nothing Homeward-specific:

- **Data preparation** in pandas: names, places and parents' names lower-cased with
  spaces collapsed (no transliteration, no Russian/Ukrainian equivalence);
  ``document_id`` upper-cased without spaces and ``№``; ``birth_date`` put into ISO
  ``YYYY-MM-DD`` from ``YYYY-MM-DD``, ``DD.MM.YYYY``, ``DD/MM/YYYY`` or ``YYYYMMDD``;
  a partial date (``YYYY``, ``YYYY-MM``) or an invalid one becomes empty, as
  ``DateOfBirthComparison`` cannot compare it. A record whose name is only in
  ``full_name`` gets the simple split: first word the family name, second the given
  name, third the patronymic (right for "Коваленко Олександр Сергійович" and
  "KOVALENKO Oleksandr", wrong for "Олександр Коваленко", as it would be for the user).
- **Comparisons**: ``NameComparison`` (exact with term-frequency adjustment,
  Jaro-Winkler 0.92 / 0.88 / 0.70) on given name, family name and patronymic;
  ``DateOfBirthComparison`` on the ISO date (exact, one edit, one month, one year, ten
  years); ``ExactMatch`` on sex; ``ExactMatch`` with term-frequency adjustment on
  birth place and residence; ``ExactMatch`` on ``document_id``;
  ``JaroWinklerAtThresholds`` (0.9, 0.7) on mother's and father's names.
- **Blocking** for prediction: given + family name, family name + birth date,
  given name + birth date, document id.
- **Training**: λ from the deterministic rule given + family name + birth date (recall
  0.6); u by random sampling (``--max-pairs``, 10 million by default, fixed seed);
  m by EM on two blocking rules, given + family name and birth date, each on at most
  ``--em-max-pairs`` pairs (1 million; Splink 5 samples records to keep under it) and
  without term frequencies in the iterations (``estimate_without_term_frequencies``,
  as Splink's examples do for speed: with them, EM on the birth-date block of 200,000
  records takes half a minute).
- **Prediction** at ``--threshold`` (0.5) with ``linker.inference.predict``; no
  clustering (the benchmark scores pairs).

``realtime`` scores single records against ``--existing`` records with the trained
model, three ways, each ``--calls`` times: ``compare_records`` (the real-time module,
one record against all existing records, SQL cached, term frequencies supplied as
``tf_`` columns), ``linker.inference.score_pairs`` (the same cartesian product through
the linker) and ``linker.inference.predict_between`` (the new record against the
existing ones through the blocking rules: Splink 5's incremental search).

``--stats`` writes a JSON object with the sizes and the seconds of each phase.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.realtime import compare_records

SEED = 20_250_602
WARM_UP = 5  # real-time calls made first and not counted (SQL built and cached)
NAME_COLUMNS = ("given_name", "family_name", "patronymic", "mother_name", "father_name")
TEXT_COLUMNS = ("birth_place", "residence")
MODEL_COLUMNS = (
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "residence",
    "document_id",
    "mother_name",
    "father_name",
)
_SPACES = re.compile(r"\s+")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = _SPACES.sub(" ", str(value)).strip().lower()
    return text or None


def iso_date(value: Any) -> str | None:
    """``DD.MM.YYYY``, ``DD/MM/YYYY``, ``YYYY-MM-DD`` or ``YYYYMMDD`` as ISO; else None."""
    text = _clean(value)
    if text is None:
        return None
    for pattern, order in ((_ISO, (0, 1, 2)), (_DMY, (2, 1, 0)), (_COMPACT, (0, 1, 2))):
        match = pattern.match(text)
        if match:
            parts = match.groups()
            year, month, day = (int(parts[i]) for i in order)
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
    return None


def _split_full_name(full: str | None) -> tuple[str | None, str | None, str | None]:
    words = (full or "").split()
    family = words[0] if words else None
    given = words[1] if len(words) > 1 else None
    return family, given, " ".join(words[2:]) or None


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """The contract columns cleaned the way a Splink user would clean them."""
    out = pd.DataFrame({"record_id": frame["record_id"].astype(str)})
    for column in (*MODEL_COLUMNS, "full_name"):
        if column not in frame:
            frame[column] = None
    for column in (*NAME_COLUMNS, *TEXT_COLUMNS, "sex", "full_name"):
        out[column] = [_clean(v) for v in frame[column]]
    no_parts = out["given_name"].isna() & out["family_name"].isna() & out["full_name"].notna()
    if no_parts.any():
        split = [_split_full_name(v) for v in out.loc[no_parts, "full_name"]]
        out.loc[no_parts, "family_name"] = [s[0] for s in split]
        out.loc[no_parts, "given_name"] = [s[1] for s in split]
        kept = out.loc[no_parts, "patronymic"]
        out.loc[no_parts, "patronymic"] = [
            k if isinstance(k, str) else s[2] for k, s in zip(kept, split, strict=True)
        ]
    out["birth_date"] = [iso_date(v) for v in frame["birth_date"]]
    out["document_id"] = [
        None if v is None else v.upper().replace(" ", "").replace("№", "") or None
        for v in (_clean(v) for v in frame["document_id"])
    ]
    out = out.drop(columns=["full_name"])
    return out.astype(object).where(out.notna(), None)


def read(path: str) -> pd.DataFrame:
    """One contract CSV, every value a string, empty cells as None."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.replace({"": None})


def settings(link_type: str) -> SettingsCreator:
    """The standard model: comparisons and prediction blocking rules."""
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="record_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.NameComparison("patronymic"),
            cl.DateOfBirthComparison(
                "birth_date", input_is_string=True, datetime_format="%Y-%m-%d"
            ),
            cl.ExactMatch("sex"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.ExactMatch("residence").configure(term_frequency_adjustments=True),
            cl.ExactMatch("document_id"),
            cl.JaroWinklerAtThresholds("mother_name", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("father_name", [0.9, 0.7]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"),
            block_on("family_name", "birth_date"),
            block_on("given_name", "birth_date"),
            block_on("document_id"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def train(linker: Linker, max_pairs: float, em_max_pairs: float) -> None:
    """λ from a deterministic rule, u by random sampling, m by EM on two rules."""
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "birth_date")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=SEED)
    for rule in (block_on("given_name", "family_name"), block_on("birth_date")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=em_max_pairs
        )


def run_link(args: argparse.Namespace) -> dict[str, Any]:
    """Train on the input, predict at the threshold, write PAIRS.csv."""
    started = time.perf_counter()
    frames = [prepare(read(args.input))]
    if args.other:
        frames.append(prepare(read(args.other)))
    db_api = DuckDBAPI()
    names = ["input", "other"][: len(frames)]
    tables = [
        db_api.register(f, dataset_display_name=n, table_name=n)
        for f, n in zip(frames, names, strict=True)
    ]
    link_type = "link_only" if args.other else "dedupe_only"
    linker = Linker(tables if args.other else tables[0], settings(link_type), log_level=None)
    prepared = time.perf_counter()
    train(linker, args.max_pairs, args.em_max_pairs)
    trained = time.perf_counter()
    predictions = linker.inference.predict(
        threshold_match_probability=args.threshold, warning_mode="never"
    )
    if args.other:
        sql = f"""
            select
              case when source_dataset_l = 'input' then record_id_l else record_id_r end
                as record_id_a,
              case when source_dataset_l = 'input' then record_id_r else record_id_l end
                as record_id_b,
              match_probability
            from {predictions.physical_name}
            where match_probability >= {args.threshold}
        """
    else:
        sql = f"""
            select record_id_l as record_id_a, record_id_r as record_id_b, match_probability
            from {predictions.physical_name}
            where match_probability >= {args.threshold}
        """
    pairs = db_api.duckdb_con.sql(sql).df()
    predicted = time.perf_counter()
    pairs.to_csv(args.out, index=False)
    written = time.perf_counter()
    if args.model_out:
        linker.misc.save_model_to_json(args.model_out, overwrite=True)
    return {
        "tool": "splink",
        "splink_version": __import__("splink").__version__,
        "link_type": link_type,
        "records": [len(f) for f in frames],
        "pairs": len(pairs),
        "threshold": args.threshold,
        "max_pairs_u": args.max_pairs,
        "max_pairs_em": args.em_max_pairs,
        "seconds_read_prepare": prepared - started,
        "seconds_train": trained - prepared,
        "seconds_predict": predicted - trained,
        "seconds_train_predict": predicted - prepared,
        "seconds_write": written - predicted,
        "seconds_total": written - started,
    }


def _tf_columns(model: dict[str, Any]) -> list[str]:
    columns = []
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            column = level.get("tf_adjustment_column")
            if column and column not in columns:
                columns.append(column)
    return columns


def _with_tf(frame: pd.DataFrame, reference: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        shares = reference[column].value_counts(normalize=True)
        out[f"tf_{column}"] = [None if v is None else shares.get(v) for v in out[column]]
    return out


def _latency(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds[WARM_UP:])
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "calls": len(ordered),
        "median_ms": statistics.median(ordered) * 1000,
        "p99_ms": p99 * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def run_realtime(args: argparse.Namespace) -> dict[str, Any]:
    """Latency of one record against ``--existing`` records with a trained model."""
    data = prepare(read(args.input))
    sample = data.sample(frac=1.0, random_state=SEED).reset_index(drop=True)
    existing = sample.iloc[: args.existing].reset_index(drop=True)
    wanted = args.calls + WARM_UP
    queries = sample.iloc[args.existing : args.existing + wanted].reset_index(drop=True)
    if len(queries) < wanted:
        raise SystemExit(f"{args.input}: not enough records for {args.calls} calls")
    model = json.loads(Path(args.model).read_text(encoding="utf-8"))
    tf_columns = _tf_columns(model)
    db_api = DuckDBAPI()
    out: dict[str, Any] = {
        "tool": "splink",
        "splink_version": __import__("splink").__version__,
        "existing": len(existing),
        "tf_columns": tf_columns,
    }

    # 1. compare_records: the real-time module; the existing records sit in a table.
    existing_tf = _with_tf(existing, data, tf_columns)
    queries_tf = _with_tf(queries, data, tf_columns)
    db_api.duckdb_con.register("existing_view", existing_tf)
    db_api.duckdb_con.execute("create table existing_records as select * from existing_view")
    db_api.duckdb_con.unregister("existing_view")
    timings, found = [], 0
    for i, query in enumerate(queries_tf.to_dict("records")):
        query["record_id"] = f"query-{i}"
        start = time.perf_counter()
        scored = compare_records(
            query, "existing_records", model, db_api, sql_cache_key="homeward_bench"
        )
        matches = db_api.duckdb_con.sql(
            f"select record_id_r, match_probability from {scored.physical_name} "
            f"where match_probability >= {args.threshold}"
        ).fetchall()
        timings.append(time.perf_counter() - start)
        found += len(matches)
        scored.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    out["compare_records"] = {**_latency(timings), "pairs_found": found}

    # 2 and 3. Through a linker holding the trained model and the input's term frequencies.
    base = db_api.register(data, table_name="training")
    linker = Linker(base, model, log_level=None)
    for column in tf_columns:
        linker.table_management.compute_tf_table(column)
    existing_sdf = db_api.register(existing, table_name="existing_sdf")
    timings, found = [], 0
    for i, query in enumerate(queries.to_dict("records")):
        query["record_id"] = f"query-{i}"
        start = time.perf_counter()
        scored = linker.inference.score_pairs([query], existing_sdf)
        matches = db_api.duckdb_con.sql(
            f"select record_id_r from {scored.physical_name} "
            f"where match_probability >= {args.threshold}"
        ).fetchall()
        timings.append(time.perf_counter() - start)
        found += len(matches)
        scored.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    out["score_pairs"] = {**_latency(timings), "pairs_found": found}

    timings, found = [], 0
    for i, query in enumerate(queries.to_dict("records")):
        query["record_id"] = f"query-{i}"
        start = time.perf_counter()
        new = db_api.register([query], table_name=f"new_record_{i}")
        scored = linker.inference.predict_between(
            new, existing_sdf, threshold_match_probability=args.threshold, warning_mode="never"
        )
        matches = db_api.duckdb_con.sql(f"select * from {scored.physical_name}").fetchall()
        timings.append(time.perf_counter() - start)
        found += len(matches)
        scored.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    out["predict_between"] = {**_latency(timings), "pairs_found": found}
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: ``link`` or ``realtime``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    link = commands.add_parser("link", help="dedupe one file or link two")
    link.add_argument("input")
    link.add_argument("other", nargs="?")
    link.add_argument("--out", required=True)
    link.add_argument("--threshold", type=float, default=0.5)
    link.add_argument("--max-pairs", type=float, default=1e7, help="pairs sampled for u")
    link.add_argument(
        "--em-max-pairs", type=float, default=1e6, help="pairs sampled for each EM session"
    )
    link.add_argument("--model-out", help="save the trained model as JSON")
    link.add_argument("--stats", help="write phase timings as JSON")
    realtime = commands.add_parser("realtime", help="latency of one record against many")
    realtime.add_argument("input")
    realtime.add_argument("--model", required=True, help="a model saved by link --model-out")
    realtime.add_argument("--existing", type=int, default=5000)
    realtime.add_argument("--calls", type=int, default=200)
    realtime.add_argument("--threshold", type=float, default=0.5)
    realtime.add_argument("--stats", help="write latencies as JSON")
    args = parser.parse_args(argv)
    logging.getLogger("splink").setLevel(logging.ERROR)
    stats = run_link(args) if args.command == "link" else run_realtime(args)
    text = json.dumps(stats, indent=2, ensure_ascii=False)
    if args.stats:
        Path(args.stats).write_text(text + "\n", encoding="utf-8")
    print(text, file=sys.stderr)


if __name__ == "__main__":
    main()
