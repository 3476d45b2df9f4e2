"""slack_request: signed requests already handled, so that a replayed one has no effect

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24

One row per handled slash command or interaction, keyed by the SHA-256 of its signature, kept
until the signature expires (its timestamp plus five minutes).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_request",
        sa.Column("signature_hash", sa.String(length=64), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature_hash"),
    )
    op.create_index("ix_slack_request_expires", "slack_request", ["expires"])


def downgrade() -> None:
    op.drop_index("ix_slack_request_expires", table_name="slack_request")
    op.drop_table("slack_request")
