"""File every record again: Latin spellings of diminutives now lead to their names.

A Latin record's ``Lisa`` or ``Nastia`` is now known as a diminutive of
``Аліса`` or ``Анастасія`` as well as by its own group, so such records gain
search keys.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 16:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from homeward.linkage.search import refile_all

    refile_all(op.get_bind())


def downgrade() -> None:
    pass  # the keys of 0011 are a superset: the search works with them
