"""article versions: a page revised at its URL is stored again as its next version

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The canonical URL was unique; now (canonical_url, version) is, so the current version of a
page is its highest, and two writers storing the same revision at once cannot both succeed.
`version_of` names a later version's first version. Claims and claim pairs get `superseded`:
the claims of a revised version, and the pairs of figures the revision changed, no longer
count. Downgrading keeps every row: the earlier versions lose their canonical URL (so the
old uniqueness holds again) and the superseded flags are dropped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# SQLite's unique constraint from 0001 has no name; batch mode names it by this convention.
_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_OLD_UNIQUE = {"postgresql": "article_canonical_url_key", "sqlite": "uq_article_canonical_url"}


_GIVEN = sa.text("external_id IS NOT NULL")


def _external_id_index(*columns: str) -> None:
    op.create_index(
        "uq_article_external_id",
        "article",
        list(columns),
        unique=True,
        sqlite_where=_GIVEN,
        postgresql_where=_GIVEN,
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # 0009's id index is made again with the version (each version keeps its page's id), after
    # the table is rebuilt (SQLite's batch mode would not carry its WHERE clause over).
    op.drop_index("uq_article_external_id", table_name="article")
    with op.batch_alter_table("article", naming_convention=_NAMES) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("version_of", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_article_version_of", "article", ["version_of"], ["id"])
        batch_op.drop_constraint(_OLD_UNIQUE[dialect], type_="unique")
        batch_op.create_unique_constraint(
            "uq_article_canonical_url_version", ["canonical_url", "version"]
        )
    _external_id_index("external_id", "version")
    for table in ("claim", "claim_pair"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("superseded", sa.Boolean(), nullable=False, server_default=sa.false())
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in ("claim_pair", "claim"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("superseded")
    op.execute(
        "UPDATE article SET canonical_url = NULL WHERE canonical_url IS NOT NULL AND EXISTS "
        "(SELECT 1 FROM article AS later WHERE later.canonical_url = article.canonical_url "
        "AND later.version > article.version)"
    )
    op.drop_index("uq_article_external_id", table_name="article")
    op.execute(  # an id stays on its page's first version, as 0009 keeps it
        "UPDATE article SET external_id = NULL WHERE external_id IS NOT NULL AND id > "
        "(SELECT min(first.id) FROM article AS first WHERE first.external_id = article.external_id)"
    )
    with op.batch_alter_table("article", naming_convention=_NAMES) as batch_op:
        batch_op.drop_constraint("uq_article_canonical_url_version", type_="unique")
        batch_op.create_unique_constraint(_OLD_UNIQUE[dialect], ["canonical_url"])
        batch_op.drop_constraint("fk_article_version_of", type_="foreignkey")
        batch_op.drop_column("version_of")
        batch_op.drop_column("version")
    _external_id_index("external_id")
