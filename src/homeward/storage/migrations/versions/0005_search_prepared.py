"""Real-time search at registry scale: prepared values kept in the index, and an
index on (key, record_id) that answers a block without reading the table.

Every record is filed again (its keys and its prepared values).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from homeward.linkage.search import refile_all

    op.add_column("record_keys", sa.Column("prepared", sa.Text(), nullable=True))
    op.drop_index(op.f("ix_record_keys_key"), table_name="record_keys")
    op.create_index(
        op.f("ix_record_keys_key_record_id"), "record_keys", ["key", "record_id"], unique=False
    )
    refile_all(op.get_bind())


def downgrade() -> None:
    op.execute("DELETE FROM record_keys WHERE key = '='")
    op.drop_index(op.f("ix_record_keys_key_record_id"), table_name="record_keys")
    op.create_index(op.f("ix_record_keys_key"), "record_keys", ["key"], unique=False)
    with op.batch_alter_table("record_keys") as batch:
        batch.drop_column("prepared")
