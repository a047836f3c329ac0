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
import os
import platform
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from homeward import keys
from homeward.config import Settings
from homeward.domain.roles import Actor, Role
from homeward.services import lists
from homeward.services.demo import build_demo
from homeward.services.registry_app import Registry

RESULTS = Path(__file__).parent / "results" / "lists.md"
AUTHOR = Actor(username="author", role=Role.VERIFIER)
APPROVER = Actor(username="approver", role=Role.VERIFIER)


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
        "",
        "Targets: PDF <= 60 s, XLSX <= 5 s for 5,000 entries.",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
