"""``homeward import`` as an operator uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from homeward.cli.common import console
from homeward.cli.main import app
from homeward.config import Settings
from tests.core.test_imports import _cp1251_csv

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", settings.database_url)
    monkeypatch.setattr(console, "width", 250)  # tables unwrapped, to read them here
    return settings


def test_preview_run_quarantine_correct_show(env: Settings, tmp_path: Path) -> None:
    path = _cp1251_csv(tmp_path / "список.csv")
    shown = runner.invoke(app, ["import", "preview", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "encoding cp1251, delimiter semicolon" in shown.output
    assert "row 3, birth_date: '31.02.2012' is not a date" in shown.output

    ran = runner.invoke(app, ["import", "run", str(path), "-q", "--open-cases"])
    assert ran.exit_code == 0, ran.output
    assert "6 rows read, 3 imported, 3 quarantined" in ran.output
    assert "3 new cases opened" in ran.output
    again = runner.invoke(app, ["import", "run", str(path), "-q"])
    assert "nothing added" in again.output

    listed = runner.invoke(app, ["import", "quarantine", "1"])
    assert listed.exit_code == 0 and "February has 28 or 29 days" in listed.output
    fixed = runner.invoke(
        app, ["import", "correct", "1", "birth_date=28.02.2012", "sex=ч", "-r", "phoned"]
    )
    assert fixed.exit_code == 0, fixed.output
    assert "row 3 is now record" in fixed.output
    wrong = runner.invoke(app, ["import", "correct", "2", "colour=red", "-r", "x"])
    assert wrong.exit_code == 1 and "write field=value" in wrong.output

    show = runner.invoke(app, ["import", "show", "1"])
    assert show.exit_code == 0 and "Коваленко Олександр Сергійович" in show.output
    imports_list = runner.invoke(app, ["import", "list"])
    assert "список.csv" in imports_list.output and "complete" in imports_list.output
    discarded = runner.invoke(app, ["import", "discard", "2", "-r", "no name at all"])
    assert discarded.exit_code == 0 and "discarded" in discarded.output


def test_a_pdf_is_refused_with_a_clear_message(env: Settings, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"%PDF-1.7\n...")
    result = runner.invoke(app, ["import", "run", str(path)])
    assert result.exit_code == 1 and "this is a PDF document" in result.output


def test_report_add_then_link_or_open_a_case(env: Settings) -> None:
    taken = runner.invoke(
        app, ["report", "add", "family_name=Новенький", "given_name=Петро", "birth_date=2011"]
    )
    assert taken.exit_code == 0, taken.output
    assert "report kept as record 1" in taken.output and "no case matches it" in taken.output
    opened = runner.invoke(app, ["report", "new-case", "1", "--category", "missing"])
    assert opened.exit_code == 0 and "opened with record 1" in opened.output
    again = runner.invoke(
        app, ["report", "add", "family_name=Novenkyi", "given_name=Petro", "birth_date=2011"]
    )
    assert "HW-" in again.output and "family name: Novenkyi ~ Новенький" in again.output
    case_number = opened.output.split()[1]
    linked = runner.invoke(app, ["report", "link", "2", case_number, "-r", "same boy"])
    assert linked.exit_code == 0 and f"record 2 linked to {case_number}" in linked.output
    wrong = runner.invoke(app, ["report", "add", "colour=red"])
    assert wrong.exit_code == 1 and "write field=value" in wrong.output


def test_an_import_killed_mid_way_is_finished_by_running_it_again(
    env: Settings, tmp_path: Path
) -> None:
    """SIGKILL, not an exception: the process dies between two batches or inside
    one; committed batches stay, the one in flight vanishes, and the same
    command finishes the job without duplicates."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from sqlalchemy import func, select

    from homeward.services.registry_app import Registry
    from homeward.storage.tables import ImportRow, RecordRow

    rows = [[str(i), f"Прізвище{i}", "Олена", "", f"0{1 + i % 9}.01.2012", "ж", ""]
            for i in range(1, 6001)]  # fmt: skip
    path = _cp1251_csv(tmp_path / "big.csv", rows)
    homeward = str(Path(sys.executable).parent / "homeward")
    command = [homeward, "import", "run", str(path), "-q", "--no-match"]
    registry = Registry.open(env)

    def records() -> int:
        with registry.uow(write=False) as uow:
            return int(uow.session.scalar(select(func.count()).select_from(RecordRow)) or 0)

    process = subprocess.Popen(command, env=os.environ.copy())
    deadline = time.monotonic() + 120
    while records() == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    cut = records()
    assert 0 < cut < 6000 and cut % 500 == 0  # whole batches only
    finished = subprocess.run(command, env=os.environ.copy(), capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert f"{cut:,} already imported by an earlier run" in finished.stdout
    with registry.uow(write=False) as uow:
        assert records() == 6000
        numbers = list(uow.session.scalars(select(RecordRow.source_row)))
        assert sorted(numbers) == list(range(2, 6002))
        assert uow.session.scalar(select(ImportRow.status)) == "complete"
    registry.close()


def test_the_source_s_reliability_is_recorded(env: Settings, tmp_path: Path) -> None:
    from homeward.services.registry_app import Registry
    from homeward.storage.tables import SourceRow

    path = _cp1251_csv(tmp_path / "чутки.csv")
    ran = runner.invoke(app, ["import", "run", str(path), "-q", "--reliability", "doubtful"])
    assert ran.exit_code == 0, ran.output
    registry = Registry.open(env)
    try:
        with registry.uow(write=False) as uow:
            [source] = uow.session.query(SourceRow).all()
            assert source.reliability == "doubtful"
    finally:
        registry.close()
    wrong = runner.invoke(app, ["import", "run", str(path), "-q", "--reliability", "gossip"])
    assert wrong.exit_code == 2
