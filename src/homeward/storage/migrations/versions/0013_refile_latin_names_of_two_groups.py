"""File every record again: a Latin spelling that is a diminutive of one name and,
letter for letter, another name (``Zlata``: Zlatoslava's diminutive, and Злата)
now belongs to both, so such records gain the second name's search keys.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 19:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from homeward.linkage.search import refile_all

    refile_all(op.get_bind())


def downgrade() -> None:
    pass  # the keys of 0013 are a superset: the search works with them
