"""Answers of the other side or a mediator, per entry of a frozen list version.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("applied_by", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["list_entries.id"], name=op.f("fk_list_answers_entry_id_list_entries")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_list_answers_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_answers")),
    )
    op.create_index(op.f("ix_list_answers_entry_id"), "list_answers", ["entry_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_list_answers_entry_id"), table_name="list_answers")
    op.drop_table("list_answers")
