"""Blocking keys of records, stored and indexed for real-time candidate search.

Existing records get their keys here.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_keys",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_record_keys_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("record_id", "key", name=op.f("pk_record_keys")),
    )  # fmt: skip
    op.create_index(op.f("ix_record_keys_key"), "record_keys", ["key"], unique=False)
    from homeward.linkage.search import record_keys_of

    connection = op.get_bind()
    records = sa.table(
        "records", *(sa.column(c) for c in ("id", *_FIELDS)), sa.column("document_ids", sa.JSON)
    )
    keys = sa.table("record_keys", sa.column("record_id"), sa.column("key"))
    rows = connection.execute(sa.select(records)).mappings().all()
    batch = [
        {"record_id": row["id"], "key": key} for row in rows for key in record_keys_of(dict(row))
    ]
    if batch:
        connection.execute(keys.insert(), batch)


_FIELDS = (
    "given_name", "family_name", "patronymic", "full_name", "sex", "birth_date", "birth_place",
    "residence", "mother_name", "father_name", "last_known_location",
)  # fmt: skip


def downgrade() -> None:
    op.drop_index(op.f("ix_record_keys_key"), table_name="record_keys")
    op.drop_table("record_keys")
