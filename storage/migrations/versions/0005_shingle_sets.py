"""PostgreSQL: an article's near-duplicate band keys as one array under a GIN index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Sixteen (key, article) rows per article cost PostgreSQL ~1.35 KB an article (24-byte tuple
headers, a line pointer each, and a btree over both columns); one bigint[] row per article
under a GIN index costs ~0.8 KB. SQLite keeps its compact WITHOUT ROWID table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

VACUUM_AS_ROWS_ARRIVE = (
    "autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 50000"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "shingleset",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("keys", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"]),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.execute(
        "INSERT INTO shingleset (article_id, keys) "
        "SELECT article_id, array_agg(key ORDER BY key) FROM shingleband GROUP BY article_id"
    )
    op.create_index(
        "ix_shingleset_keys",
        "shingleset",
        ["keys"],
        postgresql_using="gin",
        postgresql_with={"fastupdate": "off"},
    )
    op.execute(f"ALTER TABLE shingleset SET ({VACUUM_AS_ROWS_ARRIVE})")
    op.drop_table("shingleband")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "shingleband",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"]),
        sa.PrimaryKeyConstraint("key", "article_id"),
    )
    op.execute(
        "INSERT INTO shingleband (key, article_id) "
        "SELECT DISTINCT unnest(keys), article_id FROM shingleset"
    )
    op.execute(f"ALTER TABLE shingleband SET ({VACUUM_AS_ROWS_ARRIVE})")
    op.drop_table("shingleset")
