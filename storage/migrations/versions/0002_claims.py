"""claims and claim pairs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("surface", sa.String(), nullable=False),
        sa.Column("sentence", sa.String(), nullable=False),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("counted", sa.String(), nullable=False),
        sa.Column("counted_text", sa.String(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("scope_text", sa.String(), nullable=False),
        sa.Column("context", sa.String(), nullable=False),
        sa.Column("attribution", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("figure_index", sa.Integer(), nullable=False),
        sa.Column("predicate", sa.String(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("headline", sa.Boolean(), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("is_new", sa.Boolean(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
        ),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["story.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_first_seen"), ["first_seen"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_story_id"), ["story_id"], unique=False)

    op.create_table(
        "claim_pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("claim_a", sa.Integer(), nullable=False),
        sa.Column("claim_b", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_a"],
            ["claim.id"],
        ),
        sa.ForeignKeyConstraint(
            ["claim_b"],
            ["claim.id"],
        ),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["story.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claim_pair", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_pair_first_seen"), ["first_seen"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_pair_label"), ["label"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_pair_story_id"), ["story_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim_pair", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_pair_story_id"))
        batch_op.drop_index(batch_op.f("ix_claim_pair_label"))
        batch_op.drop_index(batch_op.f("ix_claim_pair_first_seen"))

    op.drop_table("claim_pair")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_story_id"))
        batch_op.drop_index(batch_op.f("ix_claim_first_seen"))
        batch_op.drop_index(batch_op.f("ix_claim_article_id"))

    op.drop_table("claim")
