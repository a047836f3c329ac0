"""File every record again: given names now carry the keys of related names
(``Дарина`` and ``Дарья``, ``Орина`` and ``Арина``, ``Данило`` and ``Daniel``)
and pet forms built with a diminutive suffix on a listed name (``Богданчик``,
``Ігорко``) are filed under that name, so the search finds them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26 00:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from homeward.linkage.search import refile_all

    refile_all(op.get_bind())


def downgrade() -> None:
    pass  # the keys of 0016 are a superset: the search works with them
