"""Ukrainian texts of the admin pages, by their English original."""

from __future__ import annotations

UKRAINIAN: dict[str, str] = {}
