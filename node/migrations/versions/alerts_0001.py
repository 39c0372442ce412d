"""early-warning alerts of the coordinator

Revision ID: alerts_0001
Revises: core_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "alerts_0001"
down_revision = "core_0001"
branch_labels = ("alerts",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ew_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("cities", sa.JSON(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("send_status", sa.String(length=16), nullable=False),
        sa.Column("deliveries", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ew_alerts")),
        sa.UniqueConstraint("alert_id", name=op.f("uq_ew_alerts_alert_id")),
    )
    op.create_index(op.f("ix_ew_alerts_category"), "ew_alerts", ["category"])
    op.create_index(op.f("ix_ew_alerts_period"), "ew_alerts", ["period"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ew_alerts_period"), table_name="ew_alerts")
    op.drop_index(op.f("ix_ew_alerts_category"), table_name="ew_alerts")
    op.drop_table("ew_alerts")
