"""The review queue: proposed matches and the decisions taken on them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair", sa.String(length=80), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("other_child_id", sa.Integer(), nullable=True),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("origin", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_by", sa.String(length=80), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_match_candidates_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_match_candidates_child_id_children")
        ),
        sa.ForeignKeyConstraint(
            ["other_child_id"], ["children.id"],
            name=op.f("fk_match_candidates_other_child_id_children"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"],
            name=op.f("fk_match_candidates_decision_id_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_candidates")),
        sa.UniqueConstraint("pair", name=op.f("uq_match_candidates_pair")),
    )  # fmt: skip
    for column in ("record_id", "child_id", "other_child_id", "status"):
        op.create_index(
            op.f(f"ix_match_candidates_{column}"), "match_candidates", [column], unique=False
        )


def downgrade() -> None:
    for column in ("record_id", "child_id", "other_child_id", "status"):
        op.drop_index(op.f(f"ix_match_candidates_{column}"), table_name="match_candidates")
    op.drop_table("match_candidates")
