"""article.external_id unique where given: a record with an id is never stored twice

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

The plain index on article.external_id becomes a partial unique index (WHERE external_id IS
NOT NULL, on SQLite and PostgreSQL alike): articles without an id are unaffected, and of two
replicas storing the same record at once, the second gets an IntegrityError and answers
"already stored". A database that already holds one id twice keeps the id on its first article
only (the later ones were the same record stored again).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_GIVEN = sa.text("external_id IS NOT NULL")


def upgrade() -> None:
    op.execute(
        "UPDATE article SET external_id = NULL WHERE external_id IS NOT NULL AND id > "
        "(SELECT min(first.id) FROM article AS first WHERE first.external_id = article.external_id)"
    )
    with op.batch_alter_table("article") as batch_op:
        batch_op.drop_index("ix_article_external_id")
    op.create_index(
        "uq_article_external_id",
        "article",
        ["external_id"],
        unique=True,
        sqlite_where=_GIVEN,
        postgresql_where=_GIVEN,
    )


def downgrade() -> None:
    op.drop_index("uq_article_external_id", table_name="article")
    op.create_index("ix_article_external_id", "article", ["external_id"], unique=False)
