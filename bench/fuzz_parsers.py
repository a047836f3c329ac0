"""Coverage-guided fuzzing of every reader of hostile input, with atheris.

Homeward reads files other people made: CSV and XLSX imports, PFIF XML, the
other side's answer files, dates, names and places, evidence packages and
encrypted backups.  The promise is that a bad input gets a Homeward error
(``Invalid`` and its kind, saying what and where) and never a crash or a hang.
This script holds each reader to it with libFuzzer's coverage-guided mutation
(atheris): one target per reader; a ``HomewardError`` (and, for the sealed
streams, the documented ``DecryptionError``) is an expected outcome, anything
else is a crash, and a call that takes longer than ``--budget`` seconds a hang.

Run one target, or all of them one after another (each in its own process);
``--database-url`` runs the targets that write (import, answers, pfif_import)
on an empty PostgreSQL database instead of a SQLite file::

    .venv/bin/python bench/fuzz_parsers.py --target csv --seconds 60
    .venv/bin/python bench/fuzz_parsers.py --target pfif --runs 20000
    .venv/bin/python bench/fuzz_parsers.py --all --seconds 90   # writes bench/results/

By default the first crash stops the run, and atheris prints it with its input
and writes the input to ``var/fuzz/<target>/crashes/``.  ``--keep-going``
records every crash there instead (the input, and its traceback beside it) and
goes on, counting distinct crashes by where they were raised.  The corpus
libFuzzer grows is kept in ``var/fuzz/<target>/corpus/`` and reused by the
next run; it starts from seeds made here (a real workbook, a PFIF document, a
sealed backup, a signed package...).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import atheris

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "fuzz_parsers.md"
WORK = ROOT / "var" / "fuzz"

# Only what is imported inside this block is instrumented for coverage: the
# readers, and openpyxl and defusedxml under them, are imported here first.
with atheris.instrument_imports(include=["homeward", "openpyxl", "et_xmlfile", "defusedxml"]):
    import openpyxl
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from homeward import crypto, keys
    from homeward.config import Settings
    from homeward.domain.model import Category, SourceKind
    from homeward.domain.roles import Actor, Role
    from homeward.domain.status import Status
    from homeward.errors import HomewardError
    from homeward.io import headers, pfif, tabular
    from homeward.names import dates, fullname, normalize, parse, places, translit
    from homeward.services import answers, cases, imports, lists
    from homeward.services import pfif as pfif_service
    from homeward.services.evidence import packages
    from homeward.services.records import parse_partial_date, raw_copy, record_data
    from homeward.services.registry_app import Registry
    from homeward.storage import migrate
    from homeward.storage.db import make_engine


class Hang(Exception):
    """A call that took longer than the budget: a crash like any other."""


# --- what each target reads ---------------------------------------------------------------

SCRATCH = Path(tempfile.mkdtemp(prefix="homeward-fuzz-"))
WORKER = Actor(username="fuzz", role=Role.CASE_WORKER, user_id=1)


def _as_file(data: bytes, name: str) -> Path:
    path = SCRATCH / name
    path.write_bytes(data)
    return path


def _read_table(path: Path, sheet: str | None = None) -> None:
    with tabular.open_table(path, sheet=sheet) as table:
        columns = headers.map_headers(table.headers)
        for _, cells in table.rows:
            imports.check_row(imports.row_cells(columns, cells)[1])


def target_tabular(data: bytes) -> None:
    """Any bytes as an uploaded table (the reader tells CSV from XLSX itself)."""
    _read_table(_as_file(data, "upload"))


def target_csv(data: bytes) -> None:
    """Bytes as a CSV: the first two bytes choose a BOM and a delimiter-rich prefix."""
    boms = (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
    head = boms[data[0] % 4] if data else b""
    _read_table(_as_file(head + data[1:], "list.csv"))


def _seed_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["№", "Прізвище", "Ім'я", "Дата народження", "Стать"])
    sheet.append([1, "Коваленко", "Олександр", datetime(2012, 3, 4), "ч"])
    sheet.append([2, "Шевчук", "Марія", "31.02.2012", "ж"])
    sheet.merge_cells("A4:B5")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOK = _seed_workbook()
WORKBOOK_PARTS = {i.filename: zipfile.ZipFile(io.BytesIO(WORKBOOK)).read(i) for i in
                  zipfile.ZipFile(io.BytesIO(WORKBOOK)).infolist()}  # fmt: skip
PART_NAMES = sorted(WORKBOOK_PARTS)


def target_xlsx(data: bytes) -> None:
    """A real workbook with one of its parts (the first byte says which:
    the sheet most often) replaced by the input: the XML readers of openpyxl
    and of the merged-cell scan meet every mutation of a real part."""
    if not data:
        return
    wanted = "xl/worksheets/sheet1.xml" if data[0] < 128 else PART_NAMES[data[0] % len(PART_NAMES)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in WORKBOOK_PARTS.items():
            archive.writestr(name, data[1:] if name == wanted else content)
    path = _as_file(out.getvalue(), "list.xlsx")
    _read_table(path)
    _read_table(path, sheet="Sheet")


def target_pfif(data: bytes) -> None:
    """A PFIF document read, checked, and made into records' values."""
    pfif.check_pfif(data, canonical_order=True)
    for number, person in enumerate(pfif.read_pfif(data, "fuzz.xml"), 1):
        pfif_service.importing._record_values(person, number, "fuzz.xml")


@dataclass
class Registries:
    """A registry on a SQLite file, with a frozen handover list, made once."""

    registry: Registry | None = None
    list_id: int = 0

    def get(self) -> Registry:
        if self.registry is None:
            self.registry, self.list_id = _make_registry()
        return self.registry


REGISTRY = Registries()


def _make_registry() -> tuple[Registry, int]:
    """On a new SQLite file, or on the (empty) database HOMEWARD_FUZZ_DATABASE_URL names."""
    url = (
        os.environ.get("HOMEWARD_FUZZ_DATABASE_URL") or f"sqlite:///{SCRATCH / 'registry.sqlite3'}"
    )
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    registry = Registry.open(Settings(data_dir=SCRATCH / "data", database_url=url))
    verifier = Actor(username="taras", role=Role.VERIFIER, user_id=2)
    other = Actor(username="iryna", role=Role.VERIFIER, user_id=3)
    with registry.uow() as uow:
        for given, family, born in (("Олександр", "Коваленко", "2012-03-04"),
                                    ("Дмитро", "Шевчук", "2010-01-02")):  # fmt: skip
            child = cases.open_case(uow, category=Category.DEPORTED)
            source = cases.create_source(uow, kind=SourceKind.REPORT, title="report")
            values = {"given_name": given, "family_name": family, "birth_date": born}
            cases.register_record(uow, source_id=source.id, data=record_data(values),
                                  raw=raw_copy(values), child_id=child.id)  # fmt: skip
            for status, detail in ((Status.UNDER_VERIFICATION, None), (Status.VERIFIED, None),
                                   (Status.LOCATED, "russia")):  # fmt: skip
                cases.move_status(uow, child.id, status, detail=detail, reason="fuzz setup")
        uow.commit()
    with registry.uow(verifier) as uow:
        row = lists.create_list(
            uow, title="Round 3", purpose="fuzzing", channel="mediator", recipient="Mediator",
            criteria={"located_in_russia": True},
        )  # fmt: skip
        uow.commit()
        list_id = row.id
    with registry.uow(other) as uow:
        lists.approve(uow, list_id, accept_without_representative=True)
        lists.freeze(uow, list_id, Ed25519PrivateKey.generate())
        uow.commit()
    return registry, list_id


def target_answers(data: bytes) -> None:
    """The other side's answer file, recorded against a frozen list (never
    committed: every input meets the same list)."""
    registry = REGISTRY.get()
    path = _as_file(data, "reply.xlsx" if data.startswith(b"PK") else "reply.csv")
    with registry.uow(WORKER) as uow:
        answers.import_answers(uow, REGISTRY.list_id, 1, str(path), source="fuzz",
                               answered_on="2026-01-01")  # fmt: skip
        # never committed: the unit of work rolls back on leaving


def target_pfif_import(data: bytes) -> None:
    """A PFIF document imported into the registry (never committed)."""
    registry = REGISTRY.get()
    with registry.uow(WORKER) as uow:
        pfif_service.import_pfif(uow, data, file_name="fuzz.xml")  # never committed


def target_import(data: bytes) -> None:
    """A file imported into the registry (committed, batch by batch, as a real
    import is: a refused file must leave nothing behind, which is checked)."""
    registry = REGISTRY.get()
    path = _as_file(data, "list.xlsx" if data.startswith(b"PK") else "list.csv")
    before = _audit_length(registry)
    try:
        imports.import_file(registry, WORKER, path, match=False, workers=1)
    except HomewardError:
        if _audit_length(registry) != before:
            raise AssertionError("a refused file changed the registry") from None
        raise


def _audit_length(registry: Registry) -> int:
    from sqlalchemy import func, select

    from homeward.storage.tables import AuditRow

    with registry.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(AuditRow)) or 0)


def target_dates(data: bytes) -> None:
    """A date as text, as a number, as a record's date; compared with another."""
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(40)
    number = fdp.ConsumeFloat()
    other = fdp.ConsumeUnicodeNoSurrogates(40)
    whole = int(number) if number == number and abs(number) < 1e300 else 0
    for value in (text, number, whole):
        dates.date_keys(value)
        with contextlib.suppress(dates.InvalidDateError):  # an Invalid, and a ValueError
            dates.parse_date(value)
        with contextlib.suppress(HomewardError):
            parse_partial_date(value)
    dates.compare_dates(text, other)


def target_names(data: bytes) -> None:
    """Two names: normalised, parsed, compared, keyed and transliterated."""
    fdp = atheris.FuzzedDataProvider(data)
    a, b = fdp.ConsumeUnicodeNoSurrogates(60), fdp.ConsumeUnicodeNoSurrogates(60)
    normalize.normalize_name(a)
    normalize.repair_look_alikes(a)
    parse.parse_full_name(a)
    fullname.explain_full_names(a, b)
    fullname.full_name_keys(a)
    translit.transliterations(a)
    translit.to_latin(a)
    for word in a.split():
        translit.skeleton(word)


def target_places(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    a, b = fdp.ConsumeUnicodeNoSurrogates(60), fdp.ConsumeUnicodeNoSurrogates(60)
    places.resolve_place(a)
    places.compare_places(a, b)
    places.place_keys(a)


FIELDS = ("given_name", "family_name", "patronymic", "full_name", "sex", "birth_date",
          "removal_date", "birth_place", "document_ids", "notes", "external_id")  # fmt: skip


def target_rows(data: bytes) -> None:
    """A row of an import, its cells of any type, checked as the import checks it."""
    fdp = atheris.FuzzedDataProvider(data)
    values: dict[str, Any] = {}
    for _ in range(fdp.ConsumeIntInRange(0, 8)):
        field = FIELDS[fdp.ConsumeIntInRange(0, len(FIELDS) - 1)]
        kind = fdp.ConsumeIntInRange(0, 4)
        values[field] = (
            fdp.ConsumeUnicodeNoSurrogates(30) if kind == 0 else fdp.ConsumeFloat() if kind == 1
            else fdp.ConsumeInt(8) if kind == 2 else fdp.ConsumeBool() if kind == 3
            else [fdp.ConsumeUnicodeNoSurrogates(8)]
        )  # fmt: skip
    imports.check_row(values)
    headers.map_headers(list(values.values()))


def target_mapping(data: bytes) -> None:
    headers.read_mapping_file(_as_file(data, "mapping.json"))


SECRET, PUBLIC = crypto.generate_identity()


def target_sealed(data: bytes) -> None:
    """A sealed backup's header and payload: opened with the secret key, or
    (first byte odd) with a passphrase."""
    passphrase = "pw" if data[:1] and data[0] & 1 else None
    stream = io.BytesIO(crypto.SEALED_MAGIC + data[1:])
    # DecryptionError is the documented refusal: the backup reader makes it Invalid.
    with contextlib.suppress(crypto.DecryptionError):
        crypto.open_sealed(
            stream, passphrase=passphrase, identity=None if passphrase else SECRET
        ).read()


def target_decrypt(data: bytes) -> None:
    with contextlib.suppress(crypto.DecryptionError):
        crypto.DecryptingReader(io.BytesIO(data), b"k" * 32).read()


PACKAGE_KEY = Ed25519PrivateKey.generate()


def target_package(data: bytes) -> None:
    """An evidence package: the input is the whole ZIP, or (first byte odd) the
    manifest of a package signed with the key it is checked with."""
    if data[:1] and data[0] & 1:
        body = data[1:]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("HW-1/case.json", b"{}")
            archive.writestr(packages.MANIFEST, body)
            archive.writestr(packages.SIGNATURE, keys.sign(PACKAGE_KEY, body))
        data = out.getvalue()
    packages.verify_package(_as_file(data, "package.zip"), keys.public_key_text(PACKAGE_KEY))


def _seed_pfif() -> bytes:
    person = pfif.PfifPerson(
        {
            "person_record_id": "test.example/1",
            "source_date": "2026-01-01T00:00:00Z",
            "full_name": "Коваленко Олександр",
            "given_name": "Олександр",
            "family_name": "Коваленко",
            "sex": "male",
            "date_of_birth": "2012-03-04",
            "home_state": "14",
            "home_country": "UA",
        },
        [
            {
                "note_record_id": "test.example/n1",
                "author_name": "x",
                "source_date": "2026-01-01T00:00:00Z",
                "text": "seen",
                "status": "believed_alive",
                "last_known_location": "Анапа",
            }
        ],
    )
    return pfif.write_pfif([person])


def _seeds() -> dict[str, list[bytes]]:
    csv_seed = "№;Прізвище;Ім'я;Дата народження;Стать\n1;Коваленко;Олександр;04.03.2012;ч\n"
    answer_seed = "№;Прізвище;Ім'я;Відповідь\n1;Коваленко;Олександр;Найден\n2;;;не найден\n"
    sealed = io.BytesIO()
    with crypto.seal(sealed, recipients=[PUBLIC]) as writer:
        writer.write(b"homeward backup " * 10)
    encrypted = io.BytesIO()
    crypto.encrypt_file(io.BytesIO(b"x" * 100), encrypted, b"k" * 32)
    manifest = json.dumps({"format": packages.FORMAT, "version": 1, "cases": ["HW-1"],
                           "files": [{"path": "HW-1/case.json", "size": 2,
                                      "sha256": hashlib.sha256(b"{}").hexdigest()}]})  # fmt: skip
    sheet = WORKBOOK_PARTS["xl/worksheets/sheet1.xml"]
    return {
        "tabular": [csv_seed.encode("cp1251"), WORKBOOK],
        "csv": [b"\x00" + csv_seed.encode("utf-8"), b"\x01" + csv_seed.encode("utf-8")],
        "xlsx": [b"\x00" + sheet, b"\x00" + sheet.replace(b"<sheetData>", b"<sheetData><row/>")],
        "pfif": [_seed_pfif()],
        "pfif_import": [_seed_pfif()],
        "answers": [answer_seed.encode("utf-8")],
        "import": [csv_seed.encode("utf-8"), WORKBOOK],
        "dates": [b"04.03.2012", "4 березня 2012 р.".encode(), b"41000"],
        "names": ["Коваленко Олександр Сергійович|KOVALENKO Aleksandr".encode()],
        "places": ["м. Маріуполь, Донецька обл.|Артемовск".encode()],
        "rows": ["\x03\x01\x00Коваленко".encode()],
        "mapping": [json.dumps({"Прізвище": "family_name", "x": None}).encode()],
        "sealed": [b"\x00" + sealed.getvalue()[len(crypto.SEALED_MAGIC) :]],
        "decrypt": [encrypted.getvalue()],
        "package": [b"\x01" + manifest.encode()],
    }


TARGETS: dict[str, tuple[Callable[[bytes], None], int, str]] = {
    "tabular": (target_tabular, 16384, "any bytes as an uploaded table, rows checked"),
    "csv": (target_csv, 8192, "bytes as a CSV (BOMs), rows checked"),
    "xlsx": (target_xlsx, 16384, "a real workbook with one part replaced by the input"),
    "pfif": (target_pfif, 8192, "PFIF read, checked, made into record values"),
    "pfif_import": (target_pfif_import, 8192, "PFIF imported into a registry"),
    "answers": (target_answers, 4096, "an answer file recorded against a frozen list"),
    "import": (target_import, 8192, "a file imported (refusal leaves no trace)"),
    "dates": (target_dates, 256, "dates as text and numbers, compared"),
    "names": (target_names, 512, "names normalised, parsed, compared, transliterated"),
    "places": (target_places, 512, "places resolved, compared, keyed"),
    "rows": (target_rows, 1024, "an import row of cells of any type, checked"),
    "mapping": (target_mapping, 2048, "a column mapping file"),
    "sealed": (target_sealed, 4096, "a sealed backup's header and payload"),
    "decrypt": (target_decrypt, 4096, "a file encrypted at rest"),
    "package": (target_package, 8192, "an evidence package, or its signed manifest"),
}
"""Each target: what it calls, the largest input libFuzzer may make for it,
and what it reads, in words."""


# --- running ------------------------------------------------------------------------------


@dataclass
class Run:
    target: str
    seconds: float
    runs: int
    budget: float
    keep_going: bool
    folder: Path
    started: float = 0.0
    executions: int = 0
    expected: int = 0
    """Inputs refused with a Homeward error (the promise kept)."""
    crashes: int = 0
    hangs: int = 0
    distinct: set[str] | None = None

    def summary(self) -> dict[str, Any]:
        elapsed = time.monotonic() - self.started
        corpus = self.folder / "corpus"
        return {
            "target": self.target, "executions": self.executions,
            "seconds": round(elapsed, 1), "per_second": round(self.executions / max(elapsed, 1e-9)),
            "refused": self.expected, "crashes": self.crashes, "hangs": self.hangs,
            "distinct_crashes": sorted(self.distinct or ()),
            "corpus": len(list(corpus.iterdir())) if corpus.exists() else 0,
        }  # fmt: skip


def _expire(signum: int, frame: FrameType | None) -> None:
    raise Hang("the call took longer than its budget")


def _save(run: Run, data: bytes, kind: str, err: BaseException) -> str:
    """Keep the input that crashed or hung, and its traceback beside it; the
    signature (type and innermost Homeward line) tells distinct crashes apart."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if "/homeward/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    signature = f"{kind} {type(err).__name__} at {where}"
    folder = run.folder / "crashes"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{kind}-{hashlib.sha1(data).hexdigest()}"
    (folder / name).write_bytes(data)
    (folder / f"{name}.txt").write_text(
        signature + "\n\n" + "".join(traceback.format_exception(err)), encoding="utf-8"
    )
    return signature


def _one_input(run: Run, call: Callable[[bytes], None]) -> Callable[[bytes], None]:
    def test_one_input(data: bytes) -> None:
        if run.executions >= run.runs or time.monotonic() - run.started >= run.seconds:
            _finish(run)
        run.executions += 1
        signal.setitimer(signal.ITIMER_REAL, run.budget)
        try:
            call(data)
        except HomewardError:
            run.expected += 1
        except Exception as err:
            kind = "hang" if isinstance(err, Hang) else "crash"
            if kind == "hang":
                run.hangs += 1
            else:
                run.crashes += 1
            signature = _save(run, data, kind, err)
            assert run.distinct is not None
            if signature not in run.distinct:
                run.distinct.add(signature)
                print(f"\n{signature} (input kept in {run.folder / 'crashes'})", flush=True)
            if not run.keep_going:
                raise  # atheris reports it with the input, and stops
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    return test_one_input


def _finish(run: Run) -> None:
    summary = run.summary()
    out = os.environ.get("HOMEWARD_FUZZ_SUMMARY")
    if out:
        Path(out).write_text(json.dumps(summary), encoding="utf-8")
    print("\n" + json.dumps(summary, ensure_ascii=False), flush=True)
    os._exit(0)


def fuzz(run: Run) -> None:
    call, max_len, _ = TARGETS[run.target]
    corpus = run.folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in _seeds()[run.target]:
        (corpus / f"seed-{hashlib.sha1(seed).hexdigest()}").write_bytes(seed)
    # Load the names layer's data (seconds, once) and the registry before the clock.
    fullname.compare_full_names("Коваленко Олександр", "KOVALENKO Aleksandr")
    places.resolve_place("Маріуполь")
    if run.target in ("answers", "pfif_import", "import"):
        REGISTRY.get()
    run.distinct = set()
    signal.signal(signal.SIGALRM, _expire)
    args = [
        sys.argv[0], f"-max_len={max_len}", "-timeout=0", "-rss_limit_mb=6144",
        f"-artifact_prefix={run.folder / 'crashes'}/", "-print_final_stats=0", str(corpus),
    ]  # fmt: skip
    (run.folder / "crashes").mkdir(parents=True, exist_ok=True)
    atheris.Setup(args, _one_input(run, call))
    run.started = time.monotonic()
    atheris.Fuzz()


WRITERS = ("import", "answers", "pfif_import")
"""The targets that read into a registry (SQLite, or --database-url)."""


def run_all(seconds: float, budget: float, targets: list[str], database_url: str | None) -> None:
    """Each target in a process of its own, ``seconds`` each (with a database
    URL, the targets that write run once more on it); the table of what they
    did goes to bench/results/fuzz_parsers.md."""
    plan = [(name, None) for name in targets]
    if database_url:
        plan += [(name, database_url) for name in targets if name in WRITERS]
    rows = []
    for name, url in plan:
        label = f"{name} (PostgreSQL)" if url else name
        summary_file = SCRATCH / f"{label}.json"
        command = [sys.executable, __file__, "--target", name, "--seconds", str(seconds),
                   "--budget", str(budget), "--keep-going"]  # fmt: skip
        if url:
            command += ["--database-url", url, "--folder", str(WORK / f"{name}-postgresql")]
        print(f"== {label}: {' '.join(command[1:])}", flush=True)
        env = {**os.environ, "HOMEWARD_FUZZ_SUMMARY": str(summary_file)}
        env.pop("HOMEWARD_FUZZ_DATABASE_URL", None)
        subprocess.run(command, env=env, check=False, timeout=seconds + 300,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        if summary_file.exists():
            row = json.loads(summary_file.read_text(encoding="utf-8"))
        else:
            row = {"target": name, "executions": 0, "crashes": "the run did not finish"}
        rows.append({**row, "label": label})
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    _write_results(rows, seconds, budget, bool(database_url))


def _write_results(
    rows: list[dict[str, Any]], seconds: float, budget: float, postgresql: bool
) -> None:
    load = os.getloadavg()[0]
    lines = [
        "| target | reads | executions | per second | refused (HomewardError) | crashes | hangs "
        "| corpus |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        doc = TARGETS[row["target"]][2]
        lines.append(
            f"| {row['label']} | {doc} | {row.get('executions', 0):,} "
            f"| {row.get('per_second', 0):,} | {row.get('refused', 0):,} "
            f"| {row.get('crashes', '?')} | {row.get('hangs', '?')} | {row.get('corpus', 0):,} |"
        )
    distinct = [(r["label"], s) for r in rows for s in r.get("distinct_crashes", [])]
    table = "\n".join(lines)
    found = "\n".join(f"- {t}: {s}" for t, s in distinct) or "- none"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    marker = "<!-- last run -->"
    head = text.split(marker)[0] if marker in text else "# Fuzzing the readers\n\n"
    command = f".venv/bin/python bench/fuzz_parsers.py --all --seconds {seconds:g}"
    if postgresql:
        command += " --database-url <an empty PostgreSQL database>"
    RESULTS.write_text(
        f"{head}{marker}\n\n## Last run\n\n`{command}` (each input's budget {budget:g} s)\n\n"
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
        f"{load:.2f} at the end; {now}.\n\n{table}\n\nDistinct crashes and hangs:\n\n{found}\n",
        encoding="utf-8",
    )
    print(f"written to {RESULTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=sorted(TARGETS))
    parser.add_argument("--all", action="store_true", help="every target, one after another")
    parser.add_argument("--only", nargs="*", default=None, help="with --all: these targets")
    parser.add_argument("--seconds", type=float, default=60.0, help="time per target")
    parser.add_argument("--runs", type=int, default=10**12, help="stop after this many inputs")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds one input may take")
    parser.add_argument("--keep-going", action="store_true", help="record crashes and go on")
    parser.add_argument("--folder", type=Path, default=None, help="corpus and crashes (var/fuzz/T)")
    parser.add_argument(
        "--database-url",
        default=None,
        help="an empty database for the import, answers and pfif_import targets (default: SQLite)",
    )
    options = parser.parse_args()
    if options.database_url:
        os.environ["HOMEWARD_FUZZ_DATABASE_URL"] = options.database_url
    if options.all:
        run_all(
            options.seconds, options.budget, options.only or list(TARGETS), options.database_url
        )
        return
    if not options.target:
        parser.error("give --target NAME or --all")
    folder = options.folder or WORK / options.target
    fuzz(
        Run(
            options.target,
            options.seconds,
            options.runs,
            options.budget,
            options.keep_going,
            folder,
        )
    )


if __name__ == "__main__":
    main()
