"""The other side's answer files, recorded against a frozen handover list on
SQLite and PostgreSQL: whatever the file holds, its answers are recorded, its
rows reported as not understood or not matched, or the file refused whole,
and a refused file leaves the registry as it was."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from homeward.domain.roles import Actor, Role
from homeward.errors import HomewardError
from homeward.services import answers
from homeward.services.answers import Answer, AnswersImport
from homeward.services.registry_app import Registry
from tests.core.test_answers import _frozen_list
from tests.fuzz.conftest import outcome, table_counts
from tests.fuzz.inputs import any_value, cell_value, csv_files, nasty_text, tampered_workbooks

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]
DB_FUZZ = settings(
    max_examples=15,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANSWER_WORDS = ("Найден, находится в г. Анапа", "не найден", "Повернуто", "adult now", "x", "",
                "no_answer", "DISPUTED", "согласие на возвращение", "помер")  # fmt: skip


@settings(max_examples=400, deadline=None, phases=PHASES)
@given(value=any_value())
def test_any_value_reads_as_an_answer_or_as_none(value: Any) -> None:
    found = outcome(lambda: answers.read_answer(value), "reading an answer")
    assert found is None or isinstance(found, Answer)


@st.composite
def answer_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A reply as a mediator's office might type it: entry numbers as text,
    numbers, decimals or nonsense; answers in three languages or none; names of
    the children on the list, of others, or of no one; as CSV or XLSX."""
    header = ["№", "Прізвище", "Ім'я", "Дата народження", "Відповідь"]
    header = draw(st.permutations(header))
    if draw(st.booleans()):
        header = header[: draw(st.integers(1, len(header)))]
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = {
            "№": draw(st.one_of(st.integers(-3, 5), st.sampled_from(["1.", " 2 ", "2.0", "٣",
                                                                     "1" * 5000, "inf", ""]))),
            "Прізвище": draw(st.sampled_from(["Коваленко", "Шевчук", "Kovalenko", "", "Петров"])),
            "Ім'я": draw(st.sampled_from(["Олександр", "Дмитро", "Aleksandr", ""])),
            "Дата народження": draw(st.sampled_from(["04.03.2012", "2010-01-02", "1e999", ""])),
            "Відповідь": draw(st.one_of(st.sampled_from(ANSWER_WORDS), nasty_text())),
        }  # fmt: skip
        if draw(st.booleans()):
            row[draw(st.sampled_from(header))] = draw(cell_value)
        rows.append([row[h] for h in header])
    if draw(st.booleans()):
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(header)
        for cells in rows:
            sheet.append([_storable(c) for c in cells])
        out = io.BytesIO()
        book.save(out)
        return "reply.xlsx", out.getvalue()
    text = io.StringIO()
    csv.writer(text, delimiter=draw(st.sampled_from([",", ";", "\t"]))).writerows([header, *rows])
    return "reply.csv", text.getvalue().encode(
        draw(st.sampled_from(["utf-8", "cp1251"])), "replace"
    )


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(c for c in value if c in "\t\n\r" or ord(c) >= 32)
    return value


def _record(
    registry: Registry, list_id: int, path: Path, source: str
) -> AnswersImport | HomewardError:
    def run() -> AnswersImport:
        with registry.uow(WORKER) as uow:
            result = answers.import_answers(
                uow, list_id, 1, str(path), source=source, answered_on="2026-11-21"
            )
            uow.commit()
            return result

    return outcome(run, f"recording the answers of {path.name}", 15.0)


def _check(
    before: dict[str, int], after: dict[str, int], result: AnswersImport | HomewardError
) -> None:
    if isinstance(result, HomewardError):
        assert after == before, f"{result}: the database changed"
        return
    assert after["list_answers"] - before["list_answers"] == result.recorded
    assert after["events"] - before["events"] == result.recorded
    # Every row is recorded, or named among the problems with the reason.
    assert result.recorded == len(result.assigned)
    assert result.recorded + len(result.problems) == result.rows


@pytest.fixture
def frozen(registry: Registry, tmp_path: Path) -> int:
    return _frozen_list(registry, tmp_path)


@DB_FUZZ
@given(
    made=answer_files(),
    source=st.one_of(
        st.just("reply of round 3"), nasty_text(), st.text(min_size=290, max_size=310)
    ),
)
def test_an_answer_file_is_recorded_row_by_row_or_refused_whole(
    registry: Registry, frozen: int, tmp_path: Path, made: tuple[str, bytes], source: str
) -> None:
    name, data = made
    path = tmp_path / name
    path.write_bytes(data)
    before = table_counts(registry)
    result = _record(registry, frozen, path, source)
    _check(before, table_counts(registry), result)


@DB_FUZZ
@given(data=st.one_of(csv_files(), tampered_workbooks()))
def test_a_broken_answer_file_is_recorded_row_by_row_or_refused_whole(
    registry: Registry, frozen: int, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / ("reply.xlsx" if data.startswith(b"PK") else "reply.csv")
    path.write_bytes(data)
    before = table_counts(registry)
    result = _record(registry, frozen, path, "reply")
    _check(before, table_counts(registry), result)


def test_who_answered_longer_than_its_column_is_refused_not_a_database_error(
    registry: Registry, frozen: int
) -> None:
    """Found while fuzzing: a source of 301 characters was refused by PostgreSQL
    (value too long for varchar(300)) and failed the whole transaction; the
    unit of work's column-length guard now refuses it naming the field."""
    before = table_counts(registry)

    def run() -> object:
        with registry.uow(WORKER) as uow:
            return answers.record_answer(
                uow, frozen, 1, 1, Answer.LOCATED, answered_on="2026-11-15", source="x" * 301
            )

    refused = outcome(run, "recording an answer")
    assert isinstance(refused, HomewardError)
    assert "source is 301 characters long (at most 300)" in str(refused)
    assert table_counts(registry) == before
