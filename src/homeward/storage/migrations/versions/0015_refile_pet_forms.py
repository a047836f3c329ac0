"""File every record again: more pet forms of given names are listed (``Лесик``
of Олексій, ``Дарка`` of Дарина, ``Славко`` of Мирослав and others), so records
that carry one gain the search keys of the name it belongs to.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25 21:15:00
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from homeward.linkage.search import refile_all

    refile_all(op.get_bind())


def downgrade() -> None:
    pass  # the keys of 0015 are a superset: the search works with them
