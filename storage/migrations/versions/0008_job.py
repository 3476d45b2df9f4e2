"""job: a queue table with leases, the durable inbox of Slack events and the outbox of posts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

An acknowledged Slack event is stored as a `job` row (kind `slack_event`, key its event id) in
the transaction that claims its id, so the unique (kind, key) replaces the `slack_event` claim
table; the event ids already claimed are carried over as done jobs.
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
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_run", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "key"),
    )
    op.create_index("ix_job_due", "job", ["state", "next_run"])
    op.execute(
        "INSERT INTO job (kind, key, payload, state, attempts, next_run, created) "
        "SELECT 'slack_event', event_id, '{}', 'done', 1, received, received FROM slack_event"
    )
    op.drop_index("ix_slack_event_received", table_name="slack_event")
    op.drop_table("slack_event")


def downgrade() -> None:
    op.create_table(
        "slack_event",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("received", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_slack_event_received", "slack_event", ["received"])
    op.execute(
        "INSERT INTO slack_event (event_id, received) "
        "SELECT key, created FROM job WHERE kind = 'slack_event'"
    )
    op.drop_index("ix_job_due", table_name="job")
    op.drop_table("job")
