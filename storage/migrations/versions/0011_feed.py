"""feed and feed_item: watched feeds and news sitemaps, their poll state and the items seen

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

A feed is polled under a `job` row of kind `feed` (the same lease and queue as the inbox); its
validators, failures and next poll time are stored here, and each item it listed is kept by
its GUID (else its link), so that a restart resumes instead of ingesting again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("site_url", sa.String(length=2048), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("etag", sa.String(length=512), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("next_poll", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_polled", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("error_reported", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    op.create_table(
        "feed_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("link", sa.String(length=2048), nullable=False),
        sa.Column("updated", sa.String(length=64), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feed.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("feed_id", "key"),
    )
    op.create_index("ix_feed_item_article_id", "feed_item", ["article_id"])
    op.create_index("ix_feed_item_seen", "feed_item", ["seen"])


def downgrade() -> None:
    op.drop_index("ix_feed_item_seen", table_name="feed_item")
    op.drop_index("ix_feed_item_article_id", table_name="feed_item")
    op.drop_table("feed_item")
    op.drop_table("feed")
