"""Bulk import on SQLite and PostgreSQL: real-shaped files, quarantine, no
duplicates, resumable, matched against the registry."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from homeward.domain.model import Reliability, SourceKind
from homeward.domain.roles import Actor, Role
from homeward.errors import Conflict, Forbidden, Invalid, NotFound
from homeward.services import audit_trail, imports, review
from homeward.services.imports import batches
from homeward.services.registry_app import Registry
from homeward.storage.tables import ChildRow, ImportRow, QuarantineRow, RecordRow
from tests.factories import make_child

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
ANALYST = Actor(username="ivan", role=Role.ANALYST, user_id=2)

HEADER = [
    "№ п/п",
    "Прізвище",
    "Ім'я",
    "По батькові",
    "Дата народження",
    "Стать",
    "Місце народження",
]
ROWS = [
    ["1", "Коваленко", "Олександр", "Сергійович", "04.03.2012", "ч", "Маріуполь"],
    ["2", "Шевчук", "Дмитро", "Іванович", "31.02.2012", "x", "Херсон"],  # two bad fields
    ["3", "", "", "", "01.01.2015", "ж", "Бердянськ"],  # no name at all
    ["4", "Бондаренко", "Марія", "Петрівна", "21.07.2015", "ж", "Мелітополь"],
    ["5", "Ткаченко", "Іван", "", "2031", "ч", ""],  # born in the future
    ["6", "Мельник", "Софія", "Андріївна", "12.12.2010", "ж", "Херсон"],
]


def _cp1251_csv(path: Path, rows: list[list[str]] = ROWS) -> Path:
    text = "\r\n".join(";".join(r) for r in [HEADER, *rows]) + "\r\n"
    path.write_bytes(text.encode("cp1251"))
    return path


def _count(registry: Registry, table: type, *where: object) -> int:
    with registry.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def test_good_rows_imported_bad_rows_quarantined_with_reasons(
    registry: Registry, tmp_path: Path
) -> None:
    path = _cp1251_csv(tmp_path / "список дітей.csv")
    result = imports.import_file(registry, WORKER, path, match=False)
    assert (result.rows_read, result.imported, result.quarantined) == (6, 3, 3)
    with registry.uow(WORKER, write=False) as uow:
        records = list(uow.session.scalars(select(RecordRow).order_by(RecordRow.source_row)))
        bad = {q.source_row: q for q in imports.quarantined(uow, import_id=result.import_id)}
        source = uow.repos.sources.get(result.source_id)
    assert [r.source_row for r in records] == [2, 5, 7]
    first = records[0]
    assert (first.family_name, first.birth_date, first.sex) == ("Коваленко", "2012-03-04", "m")
    assert first.raw["Прізвище"] == "Коваленко" and first.raw["№ п/п"] == "1"
    assert source.file_name == "список дітей.csv" and source.file_sha256 == imports.file_sha256(
        path
    )
    assert bad[3].errors == [
        "birth_date: '31.02.2012' is not a date: February has 28 or 29 days",
        "sex: 'x' is not one of m, f, u (or чол/жін, муж/жен)",
    ]
    assert bad[4].errors == ["name: the row has no family name, given name or full name"]
    assert bad[6].errors == ["birth_date: '2031' is in the future"]
    assert bad[3].raw["Дата народження"] == "31.02.2012"  # as received


def test_the_same_file_twice_adds_nothing(registry: Registry, tmp_path: Path) -> None:
    path = _cp1251_csv(tmp_path / "list.csv")
    imports.import_file(registry, WORKER, path, match=False)
    again = imports.import_file(registry, WORKER, path, match=False, file_name="renamed.csv")
    assert again.already_imported and "nothing added" in again.describe()
    assert _count(registry, RecordRow) == 3
    assert _count(registry, QuarantineRow) == 3
    assert _count(registry, ImportRow) == 1


def test_an_import_cut_short_is_finished_by_running_it_again(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [[str(i), f"Прізвище{chr(1072 + i % 30)}", "Олена", "", f"0{1 + i % 9}.01.2012", "ж", ""]
            for i in range(1, 24)]  # fmt: skip
    path = _cp1251_csv(tmp_path / "big.csv", rows)
    real = batches._write_batch
    calls = {"n": 0}

    def dies_on_the_third_batch(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C, or the process died
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batches, "_write_batch", dies_on_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        imports.import_file(registry, WORKER, path, match=False, batch_rows=5)
    assert _count(registry, RecordRow) == 10  # two whole batches, nothing of the third
    with registry.uow(write=False) as uow:
        assert uow.session.scalar(select(ImportRow.status)) == "running"
    monkeypatch.setattr(batches, "_write_batch", real)
    finished = imports.import_file(registry, WORKER, path, match=False, batch_rows=5)
    assert (finished.skipped, finished.imported) == (10, 13)
    assert _count(registry, RecordRow) == 23
    with registry.uow(write=False) as uow:
        rows_seen = list(uow.session.scalars(select(RecordRow.source_row)))
        assert sorted(rows_seen) == list(range(2, 25))
        assert uow.session.scalar(select(ImportRow.status)) == "complete"
    assert audit_trail.verify_audit(registry).ok


def test_xlsx_with_excel_dates_and_a_merged_header(registry: Registry, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ПІБ дитини", "Дата рождения", "Пол", "Местонахождение"])
    sheet.append(["Коваленко Александр Сергеевич", datetime(2012, 3, 4), "м", "Анапа"])
    sheet.append(["Шевчук Дмитрий Иванович", 40909, "м", "Москва"])  # serial of 2012-01-01
    path = tmp_path / "дети.xlsx"
    book.save(path)
    result = imports.import_file(registry, WORKER, path, match=False)
    assert (result.imported, result.quarantined) == (2, 0)
    with registry.uow(write=False) as uow:
        dates = list(uow.session.scalars(select(RecordRow.birth_date).order_by(RecordRow.id)))
        names = list(uow.session.scalars(select(RecordRow.full_name).order_by(RecordRow.id)))
    assert dates == ["2012-03-04", "2012-01-01"]
    assert names[0] == "Коваленко Александр Сергеевич"


def test_imported_rows_are_matched_linked_queued_or_opened_as_cases(
    registry: Registry, tmp_path: Path
) -> None:
    with registry.uow() as uow:
        known = make_child(uow)  # Олександр Сергійович Коваленко, 2012-03-04, Маріуполь
        uow.commit()
    path = tmp_path / "from the NGO.csv"
    path.write_text(
        "surname,given name,patronymic,date of birth,place of birth\n"
        "Kovalenko,Oleksandr,Serhiiovych,04.03.2012,Mariupol\n"
        "Kovalenko,Oleksandr,,2012,\n"
        "Shevchuk,Dmytro,Ivanovych,02.01.2010,Kherson\n",
        encoding="utf-8",
    )
    result = imports.import_file(
        registry, WORKER, path, open_cases=True,
        thresholds=review.Thresholds(auto_link=0.99, review=0.05),
    )  # fmt: skip
    assert result.imported == 3
    assert result.linked == 1 and result.queued == 1 and result.new_cases == 1
    with registry.uow(WORKER, write=False) as uow:
        records = list(
            uow.session.scalars(
                select(RecordRow)
                .where(RecordRow.source_id == result.source_id)
                .order_by(RecordRow.source_row)
            )
        )
        assert records[0].child_id == known.id
        assert records[1].child_id is None
        [waiting] = review.queue(uow)
        assert waiting.record_id == records[1].id and waiting.child_id == known.id
        assert waiting.origin == "import"
        assert records[2].child_id not in (None, known.id)
        assert uow.repos.children.count() == 2
        summary = uow.session.scalar(select(ImportRow.summary))
    assert summary == {
        "linked": 1, "queued": 1, "new_cases": 1, "unmatched": 0, "imported": 3,
        "quarantined": 0,
    }  # fmt: skip


def test_a_counterpart_list_is_kept_as_such_and_opens_no_cases(
    registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "reply.csv"
    path.write_text("Фамилия;Год рождения\nКоваленко;2012\nШевчук;2010\n", encoding="utf-8")
    result = imports.import_file(
        registry, WORKER, path, kind=SourceKind.COUNTERPART_LIST, title="Reply, round 3"
    )
    assert result.imported == 2 and result.unmatched == 2 and result.new_cases == 0
    with registry.uow(write=False) as uow:
        source = uow.repos.sources.get(result.source_id)
        assert (source.kind, source.title) == ("counterpart_list", "Reply, round 3")
        assert uow.session.scalar(select(func.count()).select_from(ChildRow)) == 0


def test_a_quarantined_row_is_corrected_or_discarded(registry: Registry, tmp_path: Path) -> None:
    result = imports.import_file(registry, WORKER, _cp1251_csv(tmp_path / "l.csv"), match=False)
    with registry.uow(WORKER) as uow:
        bad = {q.source_row: q for q in imports.quarantined(uow)}
        with pytest.raises(Invalid, match="still cannot be read: sex"):
            imports.correct(uow, bad[3].id, {"birth_date": "28.02.2012"}, reason="typo")
        record = imports.correct(
            uow, bad[3].id, {"birth_date": "28.02.2012", "sex": "ч"},
            reason="the mother confirmed by phone",
        )  # fmt: skip
        imports.discard(uow, bad[4].id, reason="an empty line with a date only")
        uow.commit()
    assert (record.birth_date, record.source_row, record.raw["Дата народження"]) == (
        "2012-02-28", 3, "31.02.2012",
    )  # fmt: skip
    with registry.uow(WORKER) as uow:
        assert [q.source_row for q in imports.quarantined(uow)] == [6]
        with pytest.raises(Conflict, match="already discarded"):
            imports.discard(uow, bad[4].id, reason="again")
        counts = uow.session.get_one(ImportRow, result.import_id)
        assert (counts.rows_imported, counts.rows_quarantined) == (4, 2)


def test_imports_are_read_back_page_by_page_and_a_missing_one_is_not_found(
    registry: Registry, tmp_path: Path
) -> None:
    first = imports.import_file(registry, WORKER, _cp1251_csv(tmp_path / "a.csv"), match=False)
    second = imports.import_file(
        registry, WORKER, _cp1251_csv(tmp_path / "b.csv", ROWS[:2]), match=False,
        kind=SourceKind.INVESTIGATION, reliability=Reliability.USUALLY_RELIABLE,
    )  # fmt: skip
    with registry.uow(WORKER, write=False) as uow:
        assert imports.count_imports(uow) == 2
        assert [r.id for r in imports.list_imports(uow, limit=1)] == [second.import_id]
        assert [r.id for r in imports.list_imports(uow, limit=1, offset=1)] == [first.import_id]
        row = imports.get_import(uow, second.import_id)
        sources = imports.sources_of(uow, [row])
        assert sources[row.source_id].reliability == "usually_reliable"
        earlier = imports.import_of_file(uow, imports.file_sha256(tmp_path / "a.csv"))
        assert earlier is not None and earlier.id == first.import_id
        assert imports.import_of_file(uow, "0" * 64) is None
        assert imports.quarantine_counts(uow, first.import_id) == {
            "open": 3, "corrected": 0, "discarded": 0,
        }  # fmt: skip
        page = imports.quarantined(uow, import_id=first.import_id, limit=2, offset=1)
        assert [q.source_row for q in page] == [4, 6]  # the second and third, in file order
        with pytest.raises(Invalid, match="status: one of open, corrected, discarded"):
            imports.quarantined(uow, status="lost")
        one = page[0]
        assert imports.get_quarantined(uow, first.import_id, one.id) is one
        with pytest.raises(NotFound, match=f"no quarantined row {one.id} in import"):
            imports.get_quarantined(uow, second.import_id, one.id)  # not through another
        for read in (
            lambda: imports.get_import(uow, 999),
            lambda: imports.quarantine_counts(uow, 999),
            lambda: imports.quarantined(uow, import_id=999),
            lambda: imports.entries(uow, 999),
        ):
            with pytest.raises(NotFound, match="no import 999"):
                read()
    with registry.uow(WORKER) as uow, pytest.raises(NotFound, match="no quarantined row 999"):
        imports.discard(uow, 999, reason="gone")
    with registry.uow(ANALYST, write=False) as uow:
        for read in (
            lambda: imports.count_imports(uow),
            lambda: imports.list_imports(uow),
            lambda: imports.get_import(uow, first.import_id),
            lambda: imports.quarantine_counts(uow, first.import_id),
            lambda: imports.import_of_file(uow, "0" * 64),
        ):
            with pytest.raises(Forbidden):
                read()


def test_a_source_imported_without_a_word_on_its_reliability_is_unverified(
    registry: Registry, tmp_path: Path
) -> None:
    result = imports.import_file(registry, WORKER, _cp1251_csv(tmp_path / "l.csv"), match=False)
    with registry.uow(write=False) as uow:
        assert uow.repos.sources.get(result.source_id).reliability == "unverified"


def test_only_importers_import(registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        imports.import_file(registry, ANALYST, _cp1251_csv(tmp_path / "l.csv"))


def test_a_file_without_a_name_column_is_refused_before_anything_is_written(
    registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("Дата народження;Стать\n01.01.2012;ч\n", encoding="utf-8")
    with pytest.raises(Invalid, match="no column holds a name"):
        imports.import_file(registry, WORKER, path)
    assert _count(registry, ImportRow) == 0


def test_preview_shows_the_mapping_a_sample_and_the_first_errors(tmp_path: Path) -> None:
    shown = imports.preview(_cp1251_csv(tmp_path / "l.csv"), sample_rows=2)
    assert shown.reading.endswith("encoding cp1251, delimiter semicolon, header in row 1")
    assert [c.field for c in shown.columns][1:3] == ["family_name", "given_name"]
    assert [c.header for c in shown.unmapped] == ["№ п/п"]
    assert shown.sample[0][0] == 2 and shown.sample[0][1]["family_name"] == "Коваленко"
    assert (shown.rows_checked, shown.rows_with_errors) == (6, 3)
    assert (
        shown.errors[0]
        == "row 3, birth_date: '31.02.2012' is not a date: February has 28 or 29 days"
    )


def test_invisible_characters_are_dropped_from_fields_and_kept_in_the_raw_copy(
    registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Прізвище;Ім'я\nКова\u200bленко\u200f;Олек\tсандр\n", encoding="utf-8")
    imports.import_file(registry, WORKER, path, match=False)
    with registry.uow(write=False) as uow:
        record = uow.session.scalars(select(RecordRow)).one()
    assert (record.family_name, record.given_name) == ("Коваленко", "Олек сандр")
    assert record.raw["Прізвище"] == "Кова\u200bленко\u200f"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_worker_processes_import_exactly_what_one_process_does(
    registry: Registry, tmp_path: Path
) -> None:
    from homeward.storage.tables import RecordKeyRow

    rows = [[str(i), f"Коваленко{chr(1072 + i % 30)}", "Олена", "", f"0{1 + i % 9}.01.2012", "ж",
             "Херсон"] for i in range(1, 60)]  # fmt: skip
    rows[7][4] = "31.02.2012"
    one = _cp1251_csv(tmp_path / "one.csv", rows)
    two = tmp_path / "two.csv"
    two.write_bytes(one.read_bytes() + b"\r\n")  # another file, the same rows
    first = imports.import_file(registry, WORKER, one, match=False, batch_rows=7, workers=1)
    second = imports.import_file(registry, WORKER, two, match=False, batch_rows=7, workers=2)
    assert (first.imported, first.quarantined) == (second.imported, second.quarantined) == (58, 1)

    def content(source_id: int) -> list[tuple[object, ...]]:
        with registry.uow(write=False) as uow:
            return [
                (r.source_row, r.family_name, r.birth_date,
                 tuple(sorted(k for k in uow.session.scalars(
                     select(RecordKeyRow.key).where(RecordKeyRow.record_id == r.id)))))
                for r in uow.session.scalars(
                    select(RecordRow).where(RecordRow.source_id == source_id)
                    .order_by(RecordRow.source_row))
            ]  # fmt: skip

    assert content(first.source_id) == content(second.source_id)
    assert audit_trail.verify_audit(registry).ok


def test_imported_records_are_filed_in_the_match_index_as_one_record_is(
    registry: Registry, tmp_path: Path
) -> None:
    """What a batch files for each record (in a worker process or not) is what
    filing that record alone files: every key, in order, and its prepared values."""
    from homeward.linkage.search import MAX_KEY_LENGTH, index_rows, record_values
    from homeward.storage.tables import RecordKeyRow

    long_document = "АН" + "1" * 250  # its key is longer than the index keeps
    lines = [
        "Прізвище;Ім'я;По батькові;Дата народження;Свідоцтво про народження;Мати",
        f"Коваленко;Олександр;Сергійович;04.03.2012;{long_document};Коваленко Ольга Петрівна",
        "Бондаренко;Марія;Петрівна;21.07.2015;I-АН 123456;",
        "КОВАЛЕНКО Олег;;;2012;;Ковальова Ганна",
        "Мельник;Софія;;12.12.2010;;Мельник Оксани Іванівни",
    ]
    path = tmp_path / "index.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1251"))
    imports.import_file(registry, WORKER, path, match=False, batch_rows=2, workers=2)
    with registry.uow(write=False) as uow:
        records = list(uow.session.scalars(select(RecordRow)))
        assert len(records) == 4
        for record in records:
            stored = uow.session.execute(
                select(RecordKeyRow.key, RecordKeyRow.prepared)
                .where(RecordKeyRow.record_id == record.id)
                .order_by(RecordKeyRow.key)
            ).all()
            expected = index_rows(record.id, record_values(record))
            assert [tuple(r) for r in stored] == sorted((r["key"], r["prepared"]) for r in expected)
            assert all(len(r[0]) <= MAX_KEY_LENGTH for r in stored)
