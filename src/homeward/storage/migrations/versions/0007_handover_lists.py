"""Handover lists: lists, their hand changes, versions, entries and deliveries.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "handover_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=300), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("extra_fields", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("handover_lists", "organisation_id", "organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_lists")),
    )
    op.create_table(
        "list_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        _fk("list_changes", "list_id", "handover_lists"),
        _fk("list_changes", "child_id", "children"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_changes")),
    )
    op.create_index(op.f("ix_list_changes_list_id"), "list_changes", ["list_id"], unique=False)
    op.create_table(
        "list_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("approved_by", sa.String(length=80), nullable=True),
        sa.Column("approved_at", _WHEN, nullable=True),
        sa.Column("frozen_by", sa.String(length=80), nullable=True),
        sa.Column("frozen_at", _WHEN, nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("signature", sa.String(length=200), nullable=True),
        sa.Column("public_key", sa.String(length=200), nullable=True),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("list_versions", "list_id", "handover_lists"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_versions")),
        sa.UniqueConstraint("list_id", "number", name="uq_list_versions_number"),
    )
    op.create_index(op.f("ix_list_versions_list_id"), "list_versions", ["list_id"], unique=False)
    op.create_table(
        "list_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        _fk("list_entries", "version_id", "list_versions"),
        _fk("list_entries", "child_id", "children"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_entries")),
        sa.UniqueConstraint("version_id", "number", name="uq_list_entries_number"),
    )
    op.create_index(op.f("ix_list_entries_version_id"), "list_entries", ["version_id"])
    op.create_index(op.f("ix_list_entries_child_id"), "list_entries", ["child_id"])
    op.create_table(
        "list_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("delivered_on", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=300), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        _fk("list_deliveries", "version_id", "list_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_deliveries")),
    )
    op.create_index(op.f("ix_list_deliveries_version_id"), "list_deliveries", ["version_id"])


def downgrade() -> None:
    for table in ("list_deliveries", "list_entries", "list_versions", "list_changes"):
        op.drop_table(table)
    op.drop_table("handover_lists")
