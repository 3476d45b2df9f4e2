"""SQLite: document frequencies in a clustered (WITHOUT ROWID) table

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

A BIGINT primary key is not SQLite's rowid, so each lookup of a term's document frequency went
through the primary-key index and then the table: two B-tree searches. Clustered by term, it is
one (matching looks up hundreds of terms per article: 2.9 -> 1.8 ms for 800 terms at 100k
stored articles), and the table is smaller. PostgreSQL is unchanged.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _rebuild(clustered: bool) -> None:
    op.execute("DROP TABLE IF EXISTS termstat_rebuilt")
    op.execute(
        "CREATE TABLE termstat_rebuilt (term BIGINT NOT NULL, df INTEGER NOT NULL, "
        f"PRIMARY KEY (term)){' WITHOUT ROWID' if clustered else ''}"
    )
    op.execute("INSERT INTO termstat_rebuilt (term, df) SELECT term, df FROM termstat")
    op.execute("DROP TABLE termstat")
    op.execute("ALTER TABLE termstat_rebuilt RENAME TO termstat")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(clustered=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(clustered=False)
