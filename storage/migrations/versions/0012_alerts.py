"""alert_subscription and alert_sent: a channel's opt-in to real-time conflict alerts, and
the alerts claimed (once per channel and conflict group)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

A watched item that brings a conflict to a story a channel discussed is posted in that story's
thread there, once: the (channel, group) row is inserted under its unique constraint before
anything is posted, so replicas polling feeds together post it once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_subscription",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel"),
    )
    op.create_table(
        "alert_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("group_key", sa.String(length=64), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=False),
        sa.Column("posted_ts", sa.String(length=32), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["story_id"], ["story.id"]),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "group_key"),
    )
    op.create_index("ix_alert_sent_story_id", "alert_sent", ["story_id"])


def downgrade() -> None:
    op.drop_index("ix_alert_sent_story_id", table_name="alert_sent")
    op.drop_table("alert_sent")
    op.drop_table("alert_subscription")
