"""The ``homeward names`` commands."""

from __future__ import annotations

from typer.testing import CliRunner

from homeward.cli.main import app

runner = CliRunner()


def test_explain_shows_each_part_with_level_and_reason() -> None:
    result = runner.invoke(
        app,
        ["names", "explain", "Олександр Коваленко", "Aleksandr Kovalenko"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    given = next(line for line in lines if "given name" in line and "олександр" in line)
    assert "aleksandr" in given
    assert "equivalent" in given
    assert "Russian form" in given
    family = next(line for line in lines if "family name" in line and "коваленко" in line)
    assert "transliteration" in family
    assert "overall: transliteration" in result.output


def test_explain_reports_repairs_and_declined_words() -> None:
    result = runner.invoke(
        app,
        ["names", "explain", "Коваленка Олександра", "Oлександр Коваленко"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "коваленка→коваленко" in result.output
    assert "Latin 'O' in 'Oлександр'" in result.output
    assert "overall: exact" in result.output


def test_explain_says_different_for_siblings() -> None:
    result = runner.invoke(
        app,
        ["names", "explain", "Олександр Коваленко", "Олександра Коваленко"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0
    assert "overall: different" in result.output


def test_parse_shows_parts_and_latin() -> None:
    result = runner.invoke(app, ["names", "parse", "KOVALENKO Oleksandr"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    family = next(line for line in result.output.splitlines() if "family name" in line)
    assert "kovalenko" in family


def test_explain_needs_two_names() -> None:
    result = runner.invoke(app, ["names", "explain", "Олександр"])
    assert result.exit_code != 0
