"""What the web server processes share: events per client address (failed
sign-ins, public reports) and import jobs with their progress.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "address_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_events")),
    )
    op.create_index(
        "ix_address_events_kind_address_at", "address_events", ["kind", "address", "at"]
    )
    op.create_index("ix_address_events_kind_at", "address_events", ["kind", "at"])
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("started_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    op.create_index(op.f("ix_import_jobs_file_sha256"), "import_jobs", ["file_sha256"])


def downgrade() -> None:
    op.drop_index("ix_import_jobs_file_sha256", table_name="import_jobs")
    op.drop_table("import_jobs")
    op.drop_index("ix_address_events_kind_at", table_name="address_events")
    op.drop_index("ix_address_events_kind_address_at", table_name="address_events")
    op.drop_table("address_events")
