"""run journals: a killed run-plan resumes instead of running twice, and a debtor file
imported once is not imported again

Revision ID: 0005
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_key", sa.String(length=64), nullable=False),
        sa.Column("plan", sa.String(length=7), nullable=False),
        sa.Column("selection", sa.Text(), nullable=False),
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.Column("last_file", sa.Integer(), nullable=True),
        sa.Column("finished", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("started_at", sa.String(length=19), nullable=False),
        sa.Column("finished_at", sa.String(length=19), nullable=True),
        sa.Column("operator", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_runs")),
    )
    op.create_index("ix_plan_runs_run_key", "plan_runs", ["run_key"])
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=260), nullable=False),
        sa.Column("imported_at", sa.String(length=19), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("plan", sa.String(length=7), nullable=True),
        sa.Column("files", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_index("ix_imports_content_hash", "imports", ["content_hash"])


def downgrade() -> None:
    op.drop_index("ix_imports_content_hash", table_name="imports")
    op.drop_table("imports")
    op.drop_index("ix_plan_runs_run_key", table_name="plan_runs")
    op.drop_table("plan_runs")
