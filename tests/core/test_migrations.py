"""The migrations build exactly the schema the tables declare."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from homeward.services.registry_app import Registry
from homeward.storage.tables import Base


def _differences(registry: Registry) -> list[Any]:
    with registry.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        return list(compare_metadata(context, Base.metadata))


def test_migrated_schema_matches_the_tables(registry: Registry) -> None:
    differences = _differences(registry)
    assert differences == [], "\n".join(map(str, differences))
