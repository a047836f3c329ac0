"""The documentation covers every setting, and a registry's worth of children
brings the records the benchmarks count on.  (How fast it is generated is
measured where speed is measured: ``bench/bench_link.py`` prints it.)"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from homeward.synthetic import SOURCES, SyntheticConfig, generate

DOC = Path(__file__).resolve().parents[2] / "docs" / "synthetic-data.md"


def test_every_setting_is_documented_with_its_default() -> None:
    text = DOC.read_text(encoding="utf-8")
    defaults = SyntheticConfig()
    for f in fields(SyntheticConfig):
        value = getattr(defaults, f.name)
        assert f"`{f.name}`" in text, f"{f.name} is not documented"
        if isinstance(value, float):
            row = next(line for line in text.splitlines() if line.startswith(f"| `{f.name}`"))
            assert f"| {value:.2f} |" in row, f"{f.name}: the documented default is not {value}"


def test_every_source_has_an_example() -> None:
    text = DOC.read_text(encoding="utf-8")
    for source in SOURCES:
        assert f"### `{source}`" in text
        assert f'"source": "{source}"' in text


def test_children_bring_about_two_and_a_half_records_each() -> None:
    # The benchmarks ask for n records as n / 2.55 children (bench/bench_link.py).
    data = generate(2_000, seed=2)
    assert 2.3 < len(data.records) / 2_000 < 2.8, len(data.records)
