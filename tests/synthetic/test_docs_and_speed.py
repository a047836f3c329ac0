"""The documentation covers every setting, and generation stays fast."""

from __future__ import annotations

import time
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


def test_generation_is_fast() -> None:
    # 200,000 records must take well under 30 s; 20,000 children give about 51,000.
    start = time.perf_counter()
    data = generate(20_000, seed=2)
    elapsed = time.perf_counter() - start
    assert len(data.records) > 45_000
    assert elapsed < 7.5, f"{elapsed:.1f} s for {len(data.records)} records"
