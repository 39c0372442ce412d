"""policy versions (every applied policy, its hash, who applied it); cells to revise after erasure

Revision ID: policy_0001
Revises: core_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "policy_0001"
down_revision = "core_0001"
branch_labels = ("policy",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("city", sa.String(length=40), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("applied_by", sa.String(length=160), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_versions")),
    )
    op.create_index(op.f("ix_policy_versions_hash"), "policy_versions", ["hash"])
    op.create_table(
        "aggregate_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("iccs_code", sa.String(length=8), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("area", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revised_in", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aggregate_revisions")),
    )


def downgrade() -> None:
    op.drop_table("aggregate_revisions")
    op.drop_index(op.f("ix_policy_versions_hash"), table_name="policy_versions")
    op.drop_table("policy_versions")
