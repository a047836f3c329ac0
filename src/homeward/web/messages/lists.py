"""Ukrainian texts of the lists pages, by their English original."""

from __future__ import annotations

UKRAINIAN: dict[str, str] = {}
