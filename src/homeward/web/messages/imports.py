"""Ukrainian texts of the imports pages, by their English original."""

from __future__ import annotations

UKRAINIAN: dict[str, str] = {}
