"""Documents and evidence files; return plans (who will travel).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(120), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("added_by", sa.String(80), nullable=False),
        sa.Column("added_at", _WHEN, nullable=False),
        sa.Column("verified_by", sa.String(80), nullable=True),
        sa.Column("verified_at", _WHEN, nullable=True),
        sa.Column("working_sha256", sa.String(64), nullable=True),
        sa.Column("working_media_type", sa.String(120), nullable=True),
        sa.Column("working_size", sa.BigInteger(), nullable=True),
        sa.Column("working_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("documents", "child_id", "children"),
        _fk("documents", "record_id", "records"),
        _fk("documents", "event_id", "events"),
        _fk("documents", "source_id", "sources"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index(op.f("ix_documents_child_id"), "documents", ["child_id"])
    op.create_index(op.f("ix_documents_sha256"), "documents", ["sha256"])
    op.create_table(
        "return_plans",
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("traveller_name", sa.String(300), nullable=True),
        sa.Column("traveller_relative_id", sa.Integer(), nullable=True),
        sa.Column("traveller_role", sa.String(40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(80), nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("return_plans", "child_id", "children"),
        _fk("return_plans", "traveller_relative_id", "relatives"),
        sa.PrimaryKeyConstraint("child_id", name=op.f("pk_return_plans")),
    )


def downgrade() -> None:
    op.drop_table("return_plans")
    op.drop_index("ix_documents_sha256", table_name="documents")
    op.drop_index("ix_documents_child_id", table_name="documents")
    op.drop_table("documents")
