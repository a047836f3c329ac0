"""Benchmark of record linkage: ``homeward link`` against Splink 5 on the same files.

Measures, at the default threshold (0.5):

- **accuracy on synthetic data** (``homeward.synthetic``, fixed seed): pairwise
  precision, recall and F1 of a deduplication of one file (``--records``, 20,000 by
  default) and of a linkage of the same kind of dataset split into the Ukrainian
  reports and the other side's records (``split_for_link``); a dedupe pair counts
  whichever way round it is written, a link pair as (INPUT id, OTHER id) written
  either way round. Recall is broken down by the sources of the two records and by
  what the generator did to them (``dataset.variations``); false positives by how
  the two children are related (twins, siblings, a shared common name, a distractor);
- **FEBRL4** (``bench/febrl4.py``): 5,000 records against 5,000 corrupted copies;
- **speed and memory** of a batch deduplication of ``--speed-records`` records
  (50,000 by default; 200,000 for the published figures): wall time and peak resident
  memory of the whole process, Homeward and Splink on the same machine in the same run;
- **Splink's real-time reference**: one record scored against 5,000 with a trained
  Splink model, median and p99 of 200 calls (Homeward's own real-time search has a
  benchmark of its own).

Both tools run as subprocesses on the very same CSV files: ``homeward link`` (its
command line contract) and ``bench/splink_reference.py link`` (a standard Splink 5
model on the raw names; its docstring says what it does). Each run is started from a
fresh Python wrapper that times it and takes its peak memory: the larger of the peak
resident set of the process tree (sampled every 50 ms) and ``getrusage`` of the
wrapper's children, so one run's memory never hides another's. Generated CSV files
go to a temporary directory, removed at the end unless ``--keep``.

Run it with::

    .venv/bin/python bench/bench_link.py                          # a few minutes
    .venv/bin/python bench/bench_link.py --speed-records 200000   # the published figures
    .venv/bin/python bench/bench_link.py --only homeward          # Homeward side only
    .venv/bin/python bench/bench_link.py --only homeward,febrl    # Homeward on FEBRL4 only

``--only`` takes a comma-separated list of tools (``homeward``, ``splink``) and parts
(``dedupe``, ``link``, ``febrl``, ``speed``, ``realtime``); tools or parts left out
mean all of them. ``--homeward CMD`` runs another ``homeward`` executable.

A full run (no ``--only``) prints the report and writes it to
``bench/results/link.md``; a partial run writes it to
``/tmp/homeward-bench-link/link.md`` (or ``--results``). Samples of each tool's false
negatives and false positives, with their fields, go to ``/tmp/homeward-bench-link/``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import febrl4

from homeward import synthetic
from homeward.synthetic.csvout import CONTRACT_COLUMNS

SEED = 20_250_602
RECORDS_PER_CHILD = 2.55
BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results" / "link.md"
SCRATCH = Path(tempfile.gettempdir()) / "homeward-bench-link"
TOOLS = ("homeward", "splink")
PARTS = ("dedupe", "link", "febrl", "speed", "realtime")
TOOL_NAMES = {"homeward": "Homeward", "splink": "Splink 5"}
SAMPLE = 20

# Runs one command, samples the resident memory of its process tree, and writes wall
# time, peak memory and exit status as JSON. One wrapper per measured run, so that
# ``RUSAGE_CHILDREN`` covers that run alone.
WRAPPER = r"""
import json, os, resource, subprocess, sys, time
out, log, timeout, cmd = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
PAGE = os.sysconf("SC_PAGE_SIZE")

def tree_rss(root):
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
        todo.extend(children.get(pid, ()))
    return total

peak, timed_out = 0, False
with open(log, "wb") as sink:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT)
    while True:
        try:
            proc.wait(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            peak = max(peak, tree_rss(proc.pid))
            if time.perf_counter() - start > timeout:
                proc.kill()
                proc.wait()
                timed_out = True
                break
    wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    json.dump({"rc": proc.returncode, "wall": wall, "timed_out": timed_out,
               "maxrss_kb": usage.ru_maxrss, "tree_peak_kb": peak // 1024,
               "user": usage.ru_utime, "sys": usage.ru_stime}, f)
"""


@dataclass
class Run:
    """One measured subprocess."""

    tool: str
    task: str
    command: list[str]
    rc: int
    wall: float
    peak_mb: float
    cpu: float
    log: Path
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rc == 0


@dataclass
class Score:
    """Pairwise accuracy of one run against the truth."""

    predicted: set[tuple[str, str]]
    probability: dict[tuple[str, str], float]
    tp: int
    fp: int
    fn: int
    notes: list[str]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Task:
    """One set of files to run both tools on, with its truth."""

    name: str
    label: str
    inputs: list[Path]
    truth: set[tuple[str, str]]
    records: dict[str, dict[str, Any]]
    left_ids: set[str] | None = None  # link: ids of INPUT
    dataset: synthetic.SyntheticDataset | None = None
    runs: dict[str, Run] = field(default_factory=dict)
    scores: dict[str, Score] = field(default_factory=dict)

    @property
    def sizes(self) -> str:
        if self.left_ids is None:
            return f"{len(self.records):,}"
        return f"{len(self.left_ids):,} × {len(self.records) - len(self.left_ids):,}"


def measure(tool: str, task: str, command: list[str], workdir: Path, timeout: float) -> Run:
    """Run ``command`` in a fresh wrapper; its wall time, peak memory and output."""
    out = workdir / f"{task}-{tool}.measure.json"
    log = workdir / f"{task}-{tool}.log"
    print(f"  {TOOL_NAMES[tool]}: {_shown(command, workdir)}", flush=True)
    subprocess.run(
        [sys.executable, "-c", WRAPPER, str(out), str(log), str(timeout), *command],
        check=True,
        cwd=ROOT,
    )
    measured = json.loads(out.read_text())
    peak = max(measured["maxrss_kb"], measured["tree_peak_kb"]) / 1024
    run = Run(
        tool,
        task,
        command,
        measured["rc"],
        measured["wall"],
        peak,
        measured["user"] + measured["sys"],
        log,
    )
    if measured["timed_out"]:
        print(f"    timed out after {timeout:.0f} s", flush=True)
    if not run.ok:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        print(f"    exit status {run.rc}; output ends:\n{tail}", flush=True)
    else:
        print(f"    {run.wall:.2f} s, peak {run.peak_mb:,.0f} MB", flush=True)
    return run


def _shown(command: Iterable[str], workdir: Path) -> str:
    """A command as printed: the work directory as ``$WORK``, paths in the repository
    relative to it."""
    shown = []
    for part in command:
        part = part.replace(str(workdir), "$WORK").replace(str(ROOT) + "/", "")
        shown.append(part if part.startswith("$WORK") else shlex.quote(part))
    return " ".join(shown)


def read_pairs(
    path: Path, threshold: float, left_ids: set[str] | None, right_ids: set[str] | None
) -> tuple[dict[tuple[str, str], float], list[str]]:
    """The pairs of a PAIRS.csv at or above the threshold, normalised; contract notes."""
    notes: list[str] = []
    pairs: dict[tuple[str, str], float] = {}
    below = wrong_side = self_pairs = 0
    with path.open(newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        header = next(reader, [])
        if header[:3] != ["record_id_a", "record_id_b", "match_probability"]:
            notes.append(f"header is {header[:3]}, not record_id_a,record_id_b,match_probability")
        for row in reader:
            a, b, probability = row[0], row[1], float(row[2])
            if probability < threshold:
                below += 1
                continue
            if a == b:
                self_pairs += 1
                continue
            if left_ids is None:
                key = (a, b) if a < b else (b, a)
            elif a in left_ids and right_ids is not None and b in right_ids:
                key = (a, b)
            elif b in left_ids and right_ids is not None and a in right_ids:
                key = (b, a)
            else:
                wrong_side += 1
                continue
            pairs[key] = max(probability, pairs.get(key, 0.0))
    if below:
        notes.append(f"{below:,} pairs below the threshold (left out)")
    if self_pairs:
        notes.append(f"{self_pairs:,} pairs of a record with itself (left out)")
    if wrong_side:
        notes.append(f"{wrong_side:,} pairs not of one INPUT and one OTHER record (left out)")
    return pairs, notes


def score_run(task: Task, run: Run, out: Path, threshold: float) -> Score | None:
    """Score a run's PAIRS.csv against the task's truth."""
    if not run.ok or not out.exists():
        return None
    right_ids = None if task.left_ids is None else set(task.records) - task.left_ids
    probability, notes = read_pairs(out, threshold, task.left_ids, right_ids)
    predicted = set(probability)
    tp = len(predicted & task.truth)
    return Score(predicted, probability, tp, len(predicted) - tp, len(task.truth) - tp, notes)


def _children_for(records: int) -> int:
    return max(1, round(records / RECORDS_PER_CHILD))


def synthetic_tasks(records: int, seed: int, workdir: Path, prefix: str) -> tuple[Task, Task]:
    """A dedupe task on one synthetic file and a link task on its split."""
    started = time.perf_counter()
    dataset = synthetic.generate(_children_for(records), seed=seed)
    by_id = {r["record_id"]: r for r in dataset.records}
    dedupe_path = workdir / f"{prefix}dedupe.csv"
    synthetic.write_csv(dataset.records, dedupe_path)
    dedupe = Task(
        f"{prefix}dedupe",
        "synthetic, dedupe",
        [dedupe_path],
        synthetic.true_pairs(dataset.records),
        by_id,
        dataset=dataset,
    )
    split = synthetic.split_for_link(dataset)
    left, right = workdir / f"{prefix}left.csv", workdir / f"{prefix}right.csv"
    synthetic.write_csv(split.left, left)
    synthetic.write_csv(split.right, right)
    link = Task(
        f"{prefix}link",
        "synthetic, link",
        [left, right],
        set(split.pairs),
        {r["record_id"]: r for r in (*split.left, *split.right)},
        left_ids={r["record_id"] for r in split.left},
        dataset=dataset,
    )
    print(
        f"generated {len(dataset.records):,} records ({_children_for(records):,} children, "
        f"seed {seed}) in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return dedupe, link


def febrl_task(workdir: Path) -> Task:
    """FEBRL4 in the contract (``bench/febrl4.py``)."""
    files = febrl4.write(workdir)
    left_ids = {r for r in files.records if r.endswith("-org")}
    return Task(
        "febrl4",
        "FEBRL4, link",
        [files.a, files.b],
        set(files.pairs),
        files.records,
        left_ids=left_ids,
    )


def commands(
    tool: str, task: Task, out: Path, threshold: float, homeward: list[str], model_out: Path | None
) -> list[str]:
    """The command line of one tool on one task."""
    inputs = [str(p) for p in task.inputs]
    if tool == "homeward":
        return [*homeward, *inputs, "--out", str(out), "--threshold", str(threshold)]
    command = [sys.executable, str(BENCH / "splink_reference.py"), "link", *inputs]
    command += ["--out", str(out), "--threshold", str(threshold)]
    command += ["--stats", str(out.with_suffix(".stats.json"))]
    if model_out is not None:
        command += ["--model-out", str(model_out)]
    return command


def run_task(
    task: Task,
    tools: list[str],
    workdir: Path,
    args: argparse.Namespace,
    homeward: list[str],
    model_out: Path | None = None,
) -> None:
    """Run each tool on the task and score it."""
    print(f"{task.label}: {task.sizes} records, {len(task.truth):,} true pairs", flush=True)
    for tool in tools:
        out = workdir / f"{task.name}-{tool}.pairs.csv"
        out.unlink(missing_ok=True)
        keep_model = model_out if tool == "splink" else None
        command = commands(tool, task, out, args.threshold, homeward, keep_model)
        run = measure(tool, task.name, command, workdir, args.timeout)
        stats = out.with_suffix(".stats.json")
        if stats.exists():
            run.stats = json.loads(stats.read_text())
        task.runs[tool] = run
        score = score_run(task, run, out, args.threshold)
        if score is not None:
            task.scores[tool] = score
            print(
                f"    precision {score.precision:.4f}, recall {score.recall:.4f}, "
                f"F1 {score.f1:.4f} ({len(score.predicted):,} pairs)"
                + "".join(f"; {n}" for n in score.notes),
                flush=True,
            )


# --- breakdowns -----------------------------------------------------------------------


def _source_pair(task: Task, a: str, b: str) -> str:
    sources = sorted(str(task.records[r].get("source") or "?") for r in (a, b))
    return " + ".join(sources)


def _tags(task: Task, a: str, b: str) -> set[str]:
    assert task.dataset is not None
    tags = set(task.dataset.variations.get(a, ())) | set(task.dataset.variations.get(b, ()))
    return {"translit" if t.startswith("translit:") else t for t in tags} or {"(none)"}


def relation(task: Task, a: str, b: str) -> str:
    """How the children of two records are related, for a false positive."""
    assert task.dataset is not None
    ca = task.dataset.child(task.records[a]["child_key"])
    cb = task.dataset.child(task.records[b]["child_key"])
    if ca.is_distractor or cb.is_distractor:
        return "a distractor (a child of the other side)"
    if ca.family_key == cb.family_key:
        return "twins" if ca.is_twin and cb.is_twin else "siblings"
    if ca.collision_group and ca.collision_group == cb.collision_group:
        return "same common name (collision group)"
    return "unrelated"


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def breakdown_by(task: Task, tools: list[str], key: str) -> list[dict[str, str]]:
    """Recall (and false positives) by the source pair or by variation tags."""
    truth_groups: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a, b in task.truth:
        groups = [_source_pair(task, a, b)] if key == "source" else sorted(_tags(task, a, b))
        for group in groups:
            truth_groups[group].add((a, b))
    fp_groups: dict[str, Counter[str]] = {t: Counter() for t in tools}
    if key == "source":
        for tool in tools:
            score = task.scores.get(tool)
            for a, b in (score.predicted - task.truth) if score else ():
                fp_groups[tool][_source_pair(task, a, b)] += 1
    rows = []
    ordered = sorted(truth_groups, key=lambda g: -len(truth_groups[g]))
    ordered += sorted({g for c in fp_groups.values() for g in c} - set(ordered))
    for group in ordered:
        pairs = truth_groups.get(group, set())
        row = {"records": group, "true pairs": f"{len(pairs):,}"}
        for tool in tools:
            score = task.scores.get(tool)
            name = TOOL_NAMES[tool]
            found = len(pairs & score.predicted) if score else 0
            row[f"{name} recall"] = _pct(found, len(pairs)) if score else "—"
            if key == "source":
                row[f"{name} false pos."] = f"{fp_groups[tool][group]:,}" if score else "—"
        rows.append(row)
    return rows


def relations(task: Task, tools: list[str]) -> list[dict[str, str]]:
    """False positives by how the two children are related."""
    counts = {}
    for tool in tools:
        score = task.scores.get(tool)
        if score:
            counts[tool] = Counter(relation(task, a, b) for a, b in score.predicted - task.truth)
    kinds = sorted({k for c in counts.values() for k in c}, key=lambda k: k)
    rows = []
    for kind in kinds:
        row = {"the two children are": kind}
        for tool in tools:
            row[TOOL_NAMES[tool]] = f"{counts[tool][kind]:,}" if tool in counts else "—"
        rows.append(row)
    return rows


def write_misses(task: Task, tool: str, seed: int) -> Path | None:
    """A sample of false negatives and false positives with their fields."""
    score = task.scores.get(tool)
    if score is None:
        return None
    rng = random.Random(seed)
    fn = sorted(task.truth - score.predicted)
    fp = sorted(score.predicted - task.truth)
    columns = [*CONTRACT_COLUMNS, "source"]
    lines = [
        f"# {TOOL_NAMES[tool]} on {task.label} ({task.name})",
        "",
        f"{len(fn):,} false negatives, {len(fp):,} false positives; "
        f"a sample of {SAMPLE} of each (seed {seed}).",
    ]
    for title, pairs in (("False negatives", fn), ("False positives", fp)):
        lines += ["", f"## {title}", ""]
        for a, b in sorted(rng.sample(pairs, min(SAMPLE, len(pairs)))):
            note = []
            if (a, b) in score.probability:
                note.append(f"probability {score.probability[(a, b)]:.3f}")
            if task.dataset is not None:
                if title == "False positives":
                    note.append(relation(task, a, b))
                for r in (a, b):
                    tags = sorted(task.dataset.variations.get(r, ()))
                    note.append(f"{r}: {', '.join(tags) or 'no variation'}")
            lines.append(f"### {a} / {b}" + (f" ({'; '.join(note)})" if note else ""))
            lines.append("")
            lines.append("| field | " + a + " | " + b + " |")
            lines.append("|---|---|---|")
            for column in columns:
                va = task.records[a].get(column) or ""
                vb = task.records[b].get(column) or ""
                if va or vb:
                    lines.append(f"| {column} | {va} | {vb} |")
            lines.append("")
    SCRATCH.mkdir(parents=True, exist_ok=True)
    path = SCRATCH / f"misses-{task.name}-{tool}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- Splink real-time reference -------------------------------------------------------


def realtime(
    dedupe: Task, model: Path, workdir: Path, args: argparse.Namespace
) -> dict[str, Any] | None:
    """Splink 5's real-time calls: one record against 5,000, median and p99."""
    if len(dedupe.records) < args.realtime_existing + args.realtime_calls + 5:
        print("realtime: not enough records; skipped", flush=True)
        return None
    if not model.exists():
        out = workdir / "realtime-model.pairs.csv"
        command = commands("splink", dedupe, out, args.threshold, [], model)
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    stats = workdir / "realtime-splink.stats.json"
    command = [
        sys.executable,
        str(BENCH / "splink_reference.py"),
        "realtime",
        str(dedupe.inputs[0]),
        "--model",
        str(model),
        "--existing",
        str(args.realtime_existing),
        "--calls",
        str(args.realtime_calls),
        "--threshold",
        str(args.threshold),
        "--stats",
        str(stats),
    ]
    print(f"Splink real-time reference ({args.realtime_calls} calls)", flush=True)
    run = measure("splink", "realtime", command, workdir, args.timeout)
    if not run.ok:
        return None
    result: dict[str, Any] = json.loads(stats.read_text())
    result["command"] = command
    result["peak_mb"] = run.peak_mb
    return result


# --- report ---------------------------------------------------------------------------


def _table(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "(nothing measured)"
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.get(h, "—") for h in head) + " |" for row in rows]
    return "\n".join(lines)


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    text = (
        f"{os.cpu_count()} cores ({model or platform.machine()}), {memory:.0f} GB RAM, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )
    try:  # only with the bench extra installed (make bench)
        import duckdb
        import splink
    except ImportError:
        return text
    return f"{text}, Splink {splink.__version__}, DuckDB {duckdb.__version__}"


def _revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "src"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return head + (" with uncommitted changes in src/" if dirty else "")


def _f(value: float) -> str:
    return f"{value:.4f}"


def accuracy_rows(tasks: list[Task], tools: list[str]) -> list[dict[str, str]]:
    """Precision, recall and F1 of each tool, side by side."""
    rows = []
    for task in tasks:
        row = {"data": task.label, "records": task.sizes, "true pairs": f"{len(task.truth):,}"}
        for tool in tools:
            score, name = task.scores.get(tool), TOOL_NAMES[tool]
            run = task.runs.get(tool)
            failed = "failed" if run is not None and not run.ok else "—"
            row[f"{name} pairs"] = f"{len(score.predicted):,}" if score else failed
            row[f"{name} precision"] = _f(score.precision) if score else "—"
            row[f"{name} recall"] = _f(score.recall) if score else "—"
            row[f"{name} F1"] = _f(score.f1) if score else "—"
        rows.append(row)
    return rows


def speed_rows(tasks: list[Task], tools: list[str]) -> list[dict[str, str]]:
    """Wall time and peak memory of each run."""
    rows = []
    for task in tasks:
        row = {"data": task.label, "records": task.sizes}
        for tool in tools:
            run, name = task.runs.get(tool), TOOL_NAMES[tool]
            ok = run is not None and run.ok
            row[f"{name} wall s"] = f"{run.wall:.2f}" if ok and run else "—"
            if tool == "splink":
                inner = run.stats.get("seconds_train_predict") if ok and run else None
                row["Splink train+predict s"] = f"{inner:.2f}" if inner is not None else "—"
            row[f"{name} CPU s"] = f"{run.cpu:.2f}" if ok and run else "—"
            row[f"{name} peak MB"] = f"{run.peak_mb:,.0f}" if ok and run else "—"
        rows.append(row)
    return rows


def realtime_rows(result: dict[str, Any]) -> list[dict[str, str]]:
    """Splink's real-time latencies."""
    what = {
        "compare_records": "`compare_records` (real-time module), one record × all existing, "
        "SQL cached",
        "score_pairs": "`linker.inference.score_pairs`, one record × all existing",
        "predict_between": "`linker.inference.predict_between`, one record vs existing "
        "through the blocking rules",
    }
    rows = []
    for key, label in what.items():
        r = result[key]
        rows.append(
            {
                "call": label,
                "existing records": f"{result['existing']:,}",
                "calls": f"{r['calls']}",
                "median ms": f"{r['median_ms']:.1f}",
                "p99 ms": f"{r['p99_ms']:.1f}",
                "mean ms": f"{r['mean_ms']:.1f}",
            }
        )
    return rows


def report(
    args: argparse.Namespace,
    argv: list[str],
    tools: list[str],
    accuracy: list[Task],
    speed: list[Task],
    live: dict[str, Any] | None,
    workdir: Path,
    misses: list[Path],
    load: tuple[float, float, float],
) -> str:
    """The markdown report."""
    command = shlex.join([".venv/bin/python", "bench/bench_link.py", *argv])
    parts = [
        "# Linkage benchmark",
        f"`{command}`",
        f"Machine: {_machine()}; load average {load[0]:.2f} at the start of the run, "
        f"{os.getloadavg()[0]:.2f} at the end. Homeward at {_revision()}. "
        "Each figure below comes "
        "from this one run; the commands of every measured process are listed at the "
        f"end. Threshold {args.threshold}; synthetic data seed {args.seed} "
        f"(`homeward.synthetic.generate(n, seed={args.seed})`, "
        f"n = records / {RECORDS_PER_CHILD}).",
    ]
    if accuracy:
        parts += [
            "## Accuracy",
            "Pairwise precision, recall and F1 at the threshold. Dedupe: pairs of records of "
            "one file that describe the same child, either way round. Link: pairs of an "
            "INPUT record (Ukrainian reports) and an OTHER record (the other side's records, "
            "counterpart lists, Latin-script records, distractors). FEBRL4: "
            "`bench/febrl4.py` (5,000 originals × 5,000 corrupted copies).",
            _table(accuracy_rows(accuracy, tools)),
        ]
        notes = [
            f"- {TOOL_NAMES[t]} on {task.label}: {n}"
            for task in accuracy
            for t, s in task.scores.items()
            for n in s.notes
        ]
        if notes:
            parts.append("Notes on the output files:\n\n" + "\n".join(notes))
    measured = [t for t in (*accuracy, *speed) if t.runs]
    if measured:
        parts += [
            "## Speed and memory",
            "Wall time of the whole process (start-up, reading, training, prediction, "
            "writing PAIRS.csv); CPU: user + system seconds; peak: the process tree's "
            "largest resident set. Splink train+predict: Splink's own time for training "
            "and prediction, without reading and preparing the files.",
            _table(speed_rows(measured, tools)),
        ]
        for task in speed:
            run_h, run_s = task.runs.get("homeward"), task.runs.get("splink")
            if run_h is not None and run_h.ok:
                met = "met" if run_h.peak_mb <= 1024 else "missed"
                verdicts = [f"peak memory {run_h.peak_mb:,.0f} MB (target ≤ 1,024 MB: {met})"]
                if run_s is not None and run_s.ok:
                    met = "met" if run_h.wall <= run_s.wall else "missed"
                    verdicts.append(
                        f"wall time {run_h.wall:.2f} s against Splink's {run_s.wall:.2f} s "
                        f"(train+predict {run_s.stats.get('seconds_train_predict', 0):.2f} s; "
                        f"target no slower than Splink: {met})"
                    )
                parts.append(
                    f"Homeward on {task.sizes} records ({task.label}): " + "; ".join(verdicts) + "."
                )
        speed_scored = [t for t in speed if t.scores]
        if speed_scored:
            parts += ["Accuracy of the speed runs:", _table(accuracy_rows(speed_scored, tools))]
    for task in (*accuracy, *speed):
        if task.dataset is None or not task.scores:
            continue
        parts += [
            f"## Breakdown: {task.label} ({task.sizes} records)",
            "Recall by the sources of the two records of a true pair, and the false "
            "positives between records of those sources:",
            _table(breakdown_by(task, tools, "source")),
            "Recall by what the generator did to either record of a true pair "
            "(`dataset.variations`; a pair counts under each tag of either record; "
            "`translit` is any romanisation):",
            _table(breakdown_by(task, tools, "tags")),
            "False positives by how the two children are related:",
            _table(relations(task, tools)),
        ]
    if live:
        parts += [
            "## Splink real-time reference",
            f"A Splink model trained on the {accuracy[0].sizes if accuracy else ''} synthetic "
            f"dedupe records; {live['existing']:,} of them held as the existing records, "
            f"{args.realtime_calls} others scored one at a time after 5 uncounted warm-up "
            "calls, each call including fetching the pairs at or above the threshold. "
            "Homeward's real-time search is measured by its own benchmark.",
            _table(realtime_rows(live)),
        ]
    lines = []
    for task in (*accuracy, *speed):
        for run in task.runs.values():
            lines.append(
                f"- {TOOL_NAMES[run.tool]}, {task.label} ({task.sizes}): "
                f"`{_shown(run.command, workdir)}`"
            )
    if live:
        lines.append(f"- Splink 5, real-time reference: `{_shown(live['command'], workdir)}`")
    if lines:
        parts += [
            "## Commands",
            "`$WORK` is the run's temporary directory; each command ran in a fresh "
            "wrapper process that timed it and sampled its memory.",
            "\n".join(lines),
        ]
    if misses:
        parts.append(
            "Samples of false negatives and false positives: "
            + ", ".join(f"`{p}`" for p in misses)
            + " (not kept in the repository)."
        )
    return "\n\n".join(parts) + "\n"


def _select(only: str | None) -> tuple[list[str], list[str]]:
    chosen = [w.strip() for w in (only or "").split(",") if w.strip()]
    unknown = [w for w in chosen if w not in (*TOOLS, *PARTS)]
    if unknown:
        raise SystemExit(f"--only: unknown {', '.join(unknown)}; use {', '.join(TOOLS + PARTS)}")
    tools = [t for t in TOOLS if t in chosen] or list(TOOLS)
    parts = [p for p in PARTS if p in chosen] or list(PARTS)
    return tools, parts


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write the results."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000, help="synthetic accuracy size")
    parser.add_argument(
        "--speed-records", type=int, default=50_000, help="batch dedupe size for speed and memory"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--only", help="comma-separated tools and parts (see above)")
    parser.add_argument("--homeward", help="the homeward executable (default: next to python)")
    parser.add_argument("--realtime-existing", type=int, default=5000)
    parser.add_argument("--realtime-calls", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    parser.add_argument("--workdir", type=Path, help="where generated files go")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--results", type=Path, help="where the report goes")
    args = parser.parse_args(argv)
    tools, parts = _select(args.only)
    homeward_bin = args.homeward or str(Path(sys.executable).parent / "homeward")
    homeward = [*shlex.split(homeward_bin), "link"]
    if "homeward" in tools and not shutil.which(shlex.split(homeward_bin)[0]):
        raise SystemExit(f"{homeward_bin}: not found (use --homeward or --only splink)")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="homeward-bench-link-"))
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"work directory: {workdir}", flush=True)
    load = os.getloadavg()
    accuracy: list[Task] = []
    speed: list[Task] = []
    live = None
    misses: list[Path] = []
    model = workdir / "splink-model.json"
    try:
        dedupe = link = None
        if {"dedupe", "link", "realtime"} & set(parts):
            dedupe, link = synthetic_tasks(args.records, args.seed, workdir, "")
        if dedupe is not None and "dedupe" in parts:
            run_task(dedupe, tools, workdir, args, homeward, model_out=model)
            accuracy.append(dedupe)
        if link is not None and "link" in parts:
            run_task(link, tools, workdir, args, homeward)
            accuracy.append(link)
        if "febrl" in parts:
            febrl = febrl_task(workdir)
            run_task(febrl, tools, workdir, args, homeward)
            accuracy.append(febrl)
        if "speed" in parts and args.speed_records:
            large, _ = synthetic_tasks(args.speed_records, args.seed, workdir, "speed-")
            large.label = "synthetic, dedupe (speed)"
            run_task(large, tools, workdir, args, homeward)
            speed.append(large)
        for task in (*accuracy, *speed):
            for tool in tools:
                path = write_misses(task, tool, args.seed)
                if path is not None:
                    misses.append(path)
        if "realtime" in parts and "splink" in tools and dedupe is not None:
            live = realtime(dedupe, model, workdir, args)
        text = report(args, argv, tools, accuracy, speed, live, workdir, misses, load)
        print()
        print(text)
        full = args.only is None
        target = args.results or (RESULTS if full else SCRATCH / "link.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"written to {target}", flush=True)
    finally:
        if args.keep or args.workdir:
            print(f"files kept in {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
