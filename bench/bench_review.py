"""Benchmark of the review workflow's thresholds on a registry with known truth.

Builds the demo registry (``homeward.services.demo.build_demo``: synthetic
children loaded through the real services, some of their records from other
sources left in no case, and records of children on no Ukrainian list) in a
temporary SQLite database, then times ``review.scan_registry`` over the whole
registry with the review threshold at 0.01, so that every proposal of any
weight is kept with its probability.  The synthetic truth then says, for each
proposal, whether it is right:

- auto-link: how many records the auto-link threshold would link, and how many
  of those links are right, for several thresholds;
- the queue: how many proposals a reviewer would see at each review threshold,
  and how many of them are right;
- recall: of the records left in no case that belong to a registered child,
  how many reach their child's case at all (linked or queued);
- cases proposed as duplicates (the demo opens one case per child, so every
  such proposal is wrong).

Run it with::

    .venv/bin/python bench/bench_review.py                  # 3,000 children
    .venv/bin/python bench/bench_review.py --children 500

It prints a markdown report and writes it to ``bench/results/review.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from homeward.config import Settings
from homeward.domain.roles import Actor, Role
from homeward.services import review
from homeward.services.demo import build_demo
from homeward.services.registry_app import Registry
from homeward.storage.tables import MatchCandidateRow, RecordRow
from homeward.synthetic import generate

RESULTS = Path(__file__).parent / "results" / "review.md"
SYSTEM = Actor(username="bench", role=Role.SYSTEM)
AUTO = (0.9, 0.95, 0.99, 0.999)
REVIEW = (0.01, 0.05, 0.1, 0.2, 0.3, 0.5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        registry = Registry.open(Settings(data_dir=Path(tmp)), migrate_schema=True)
        started = time.perf_counter()
        loaded = build_demo(registry, args.children, args.seed, scan=False)
        load_s = time.perf_counter() - started
        # Which child each record and each case is, by the synthetic truth.
        dataset = generate(args.children, seed=args.seed)
        truth = {str(r["record_id"]): str(r["child_key"]) for r in dataset.records}
        with registry.uow(write=False) as uow:
            rows = uow.session.execute(
                select(RecordRow.id, RecordRow.external_id, RecordRow.child_id)
            ).all()
        child_of_record = {rid: truth[str(ext)] for rid, ext, _ in rows}
        case_child = {cid: child_of_record[rid] for rid, _, cid in rows if cid is not None}
        loose = [rid for rid, _, cid in rows if cid is None]
        registered = set(case_child.values())
        findable = {rid for rid in loose if child_of_record[rid] in registered}

        started = time.perf_counter()
        with registry.uow(SYSTEM) as uow:
            summary = review.scan_registry(uow, thresholds=review.Thresholds(1.0, 0.01))
            uow.commit()
        scan_s = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with registry.uow(write=False) as uow:
            proposals = list(uow.session.scalars(select(MatchCandidateRow)))
        registry.close()

    record_props = [
        (p.probability, child_of_record[p.record_id] == case_child[p.child_id], p.record_id)
        for p in proposals
        if p.record_id is not None
    ]
    case_props = [p.probability for p in proposals if p.other_child_id is not None]
    lines = [
        "# Review thresholds benchmark",
        "",
        f"`.venv/bin/python bench/bench_review.py --children {args.children}`",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, SQLite; "
        f"load average {os.getloadavg()[0]:.2f} at the end. Demo registry of "
        f"{loaded.children:,} children and {loaded.records:,} records "
        f"({len(loose):,} in no case, {len(findable):,} of them of a registered child); "
        f"built through the services in {load_s:.0f} s.",
        "",
        "## The scan",
        "",
        "| measure | value |",
        "|---|---|",
        f"| records scanned | {summary.records:,} |",
        f"| candidate pairs compared | {summary.candidate_pairs:,} |",
        f"| proposals kept (p >= 0.01) | {len(proposals):,} |",
        f"| scan time (s) | {scan_s:.1f} |",
        f"| peak memory of the process (MB) | {peak_mb:,.0f} |",
        "",
        "## Auto-link threshold",
        "",
        "Records in no case proposed for a case at or above the threshold (before the",
        "rule that a record with two such cases waits for a person), and how many of",
        "those links are right.",
        "",
        "| auto-link threshold | links | right | wrong | precision |",
        "|---|---|---|---|---|",
    ]
    for t in AUTO:
        chosen = [ok for p, ok, _ in record_props if p >= t]
        right = sum(chosen)
        lines.append(
            f"| {t} | {len(chosen):,} | {right:,} | {len(chosen) - right:,} | "
            f"{right / len(chosen) if chosen else 0:.4f} |"
        )
    lines += [
        "",
        "## Review threshold",
        "",
        "With auto-link at 0.99: what waits for a reviewer at each review threshold,",
        "and how many of the findable records reach their child's case (linked or queued).",
        "",
        "| review threshold | queued (record → case) | right among queued "
        "| cases proposed as duplicates (all wrong) | findable records reaching their case "
        "| recall |",
        "|---|---|---|---|---|---|",
    ]
    for r in REVIEW:
        queued = [(p, ok) for p, ok, _ in record_props if r <= p < 0.99]
        reached = {rid for p, ok, rid in record_props if ok and p >= r}
        lines.append(
            f"| {r} | {len(queued):,} | {sum(ok for _, ok in queued):,} | "
            f"{sum(p >= r for p in case_props):,} | {len(reached):,} of {len(findable):,} | "
            f"{len(reached) / len(findable) if findable else 0:.3f} |"
        )
    bands = Counter(min(int(p * 10), 9) for p, _, _ in record_props)
    right_bands = Counter(min(int(p * 10), 9) for p, ok, _ in record_props if ok)
    lines += [
        "",
        "## Calibration",
        "",
        "Record → case proposals by probability band: the share that is right should",
        "follow the band.",
        "",
        "| probability | proposals | right | share right |",
        "|---|---|---|---|",
    ]
    for band in range(10):
        n = bands.get(band, 0)
        lines.append(
            f"| {band / 10:.1f}–{(band + 1) / 10:.1f} | {n:,} | {right_bands.get(band, 0):,} | "
            f"{right_bands.get(band, 0) / n if n else 0:.2f} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
