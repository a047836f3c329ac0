"""Benchmark of handover lists: freezing a list of about 5,000 entries and
exporting it to PDF and XLSX.

Builds the demo registry (``homeward.services.demo.build_demo``, through the
real services) in a temporary SQLite database, composes a list of every
deported or forcibly transferred child (about 69% of the demo's children: 7,250
children give about 5,000 entries), approves and freezes it, and times the
freeze, the PDF (Ukrainian) and the XLSX export.  With ``--png DIR`` it also
renders the PDF's first two pages to PNG (``pdftoppm``, from Debian's
poppler-utils) to be looked at.

Run it with::

    .venv/bin/python bench/bench_lists.py                 # about 5,000 entries
    .venv/bin/python bench/bench_lists.py --children 700 --png /tmp/pages

It prints a markdown report and writes it to ``bench/results/lists.md``.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from homeward import keys
from homeward.config import Settings
from homeward.domain.roles import Actor, Role
from homeward.services import answers, lists
from homeward.services.demo import build_demo
from homeward.services.registry_app import Registry
from homeward.storage.tables import ListEntryRow, RecordRow
from homeward.synthetic import generate

RESULTS = Path(__file__).parent / "results" / "lists.md"
AUTHOR = Actor(username="author", role=Role.VERIFIER)
APPROVER = Actor(username="approver", role=Role.VERIFIER)


def _answers_round_trip(
    registry: Registry, list_id: int, children: int, seed: int, base: Path
) -> tuple[int, int, int]:
    """Write the other side's reply to the frozen version, import it, and count
    the rows that reached the right entry: (right, rows, unmatched)."""
    dataset = generate(children, seed=seed)
    key_of = {str(r["record_id"]): str(r["child_key"]) for r in dataset.records}
    russian: dict[str, dict[str, object]] = {}
    for record in dataset.records:
        if record["source"] == "ru_record" and record.get("family_name"):
            russian.setdefault(str(record["child_key"]), record)
    with registry.uow(APPROVER, write=False) as uow:
        version = lists.current_version(uow, list_id)
        entries = list(
            uow.session.scalars(select(ListEntryRow).where(ListEntryRow.version_id == version.id))
        )
        child_key = {
            child_id: key_of[str(external)]
            for child_id, external in uow.session.execute(
                select(RecordRow.child_id, RecordRow.external_id).where(
                    RecordRow.child_id.in_([e.child_id for e in entries])
                )
            )
            if external is not None and str(external) in key_of
        }
    rng = random.Random(seed)
    numbers = [e.number for e in entries]
    rng.shuffle(numbers)
    truth: dict[int, int] = {}
    path = base / "reply.csv"
    with path.open("w", encoding="cp1251", errors="replace", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["№", "Фамилия", "Имя", "Отчество", "Дата рождения", "Ответ"])
        for row_number, (entry, shown) in enumerate(zip(entries, numbers, strict=True), start=2):
            truth[row_number] = entry.number
            theirs = russian.get(child_key.get(entry.child_id, ""))
            values = entry.values
            if theirs:
                names = [theirs.get("family_name"), theirs.get("given_name"),
                         theirs.get("patronymic"), theirs.get("birth_date")]  # fmt: skip
            elif values.get("family_name_ru") or values.get("given_name_ru"):
                names = [values.get("family_name_ru"), values.get("given_name_ru"),
                         values.get("patronymic_ru"), values.get("birth_date")]  # fmt: skip
            else:  # known to us in Latin letters only: they write it as we gave it
                family, _, given = str(values.get("name_latin") or "").partition(" ")
                names = [family, given, None, values.get("birth_date")]
            answer = rng.choice(["Найден", "Не найден", "Возвращён", "Нет информации"])
            writer.writerow([shown, *(n or "" for n in names), answer])
    with registry.uow(APPROVER) as uow:
        found = answers.import_answers(uow, list_id, version.number, str(path), source="bench")
        uow.commit()
    right = sum(1 for row, entry in found.assigned.items() if truth[row] == entry)
    return right, len(truth), len(found.problems)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=7250)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--png", type=Path, help="render the PDF's first pages here")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        registry = Registry.open(Settings(data_dir=base), migrate_schema=True)
        started = time.perf_counter()
        build_demo(registry, args.children, args.seed, scan=False)
        build_s = time.perf_counter() - started
        with registry.uow(AUTHOR) as uow:
            row = lists.create_list(
                uow, title="Раунд 5: депортовані та примусово переміщені діти",
                purpose="Повернення дітей", channel="посередник", recipient="Офіс посередника",
                criteria={"category": ["deported", "forcibly_transferred"]},
            )  # fmt: skip
            uow.commit()
        key = keys.load_or_create_signing_key(base / "keys")
        timings: dict[str, float] = {}
        with registry.uow(APPROVER) as uow:
            lists.approve(uow, row.id, accept_without_representative=True)
            started = time.perf_counter()
            version = lists.freeze(uow, row.id, key)
            uow.commit()
            timings["freeze (entries, canonical JSON, SHA-256, signature, commit)"] = (
                time.perf_counter() - started
            )
        entries = version.entries
        pdf = base / "list.pdf"
        with registry.uow(APPROVER) as uow:
            for label, path, fmt in (("PDF (Ukrainian)", pdf, "pdf"),
                                     ("XLSX", base / "list.xlsx", "xlsx")):  # fmt: skip
                started = time.perf_counter()
                lists.export_version(uow, row.id, 1, path, format=fmt)
                timings[label] = time.perf_counter() - started
            uow.commit()
        size_mb = pdf.stat().st_size / 1e6
        started = time.perf_counter()
        accuracy = _answers_round_trip(registry, row.id, args.children, args.seed, base)
        timings["answers file: import and match"] = time.perf_counter() - started
        if args.png and shutil.which("pdftoppm"):
            args.png.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "3", str(pdf),
                 str(args.png / "list")], check=True,
            )  # fmt: skip
        registry.close()

    lines = [
        "# Handover list benchmark",
        "",
        f"`.venv/bin/python bench/bench_lists.py --children {args.children}`",
        "",
        f"Machine: {os.cpu_count()} cores shared with other work, Python "
        f"{platform.python_version()}, SQLite; load average {os.getloadavg()[0]:.2f} at the "
        f"end; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Demo registry of "
        f"{args.children:,} children built through the services in {build_s:.0f} s.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| entries on the list | {entries:,} |",
        *(f"| {label} (s) | {seconds:.1f} |" for label, seconds in timings.items()),
        f"| PDF size (MB) | {size_mb:.1f} |",
        f"| answers file rows matched to the right entry | {accuracy[0]:,} of {accuracy[1]:,} "
        f"({accuracy[0] / max(accuracy[1], 1):.1%}) |",
        f"| answers file rows not matched (reported) | {accuracy[2]:,} |",
        "",
        "Targets: PDF <= 60 s, XLSX <= 5 s for 5,000 entries; answers matched correctly >= 95%.",
        "",
        "The answers file: every entry of the frozen version, renumbered at random and written "
        "as the other side writes the child (the names and birth date of the child's Russian "
        "record from the generator when there is one, with adopted surnames and altered dates; "
        "else the entry's Russian spelling), in Windows-1251 with Russian headers.",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
