"""contact control rules (SPEC 9, seed 003)

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "control_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=8), nullable=False),
        sa.Column("description", sa.String(length=200), server_default="", nullable=False),
        sa.Column("state", sa.String(length=32), nullable=True),
        sa.Column("country", sa.String(length=32), nullable=True),
        sa.Column("max_total", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), server_default="week", nullable=False),
        sa.Column("apply_to_group", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("hold_days", sa.Integer(), nullable=True),
        sa.Column("attempt_results", sa.Text(), nullable=True),
        sa.Column("rpc_results", sa.Text(), nullable=True),
        sa.Column("call_from", sa.String(length=5), nullable=True),
        sa.Column("call_to", sa.String(length=5), nullable=True),
        sa.Column("validation_letter", sa.String(length=100), nullable=True),
        sa.Column("validation_business_days", sa.Integer(), nullable=True),
        sa.Column("validation_calendar_days", sa.Integer(), nullable=True),
        sa.Column("sms_reauth_days", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_rules")),
    )


def downgrade() -> None:
    op.drop_table("control_rules")
