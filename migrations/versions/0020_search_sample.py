"""Search on PostgreSQL: the sample that large result sets are counted on, one document in 20
by runs of 64 neighbouring rows (``alliance.search.postgres.SAMPLE``); the documents now hold
their neighbouring words as pairs: run `flask search rebuild` after this upgrade (documents
written before it are still found by their words, not yet by phrases)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 23:20:00

"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite searches with Whoosh; its search_document table stays empty
    op.execute("CREATE INDEX ix_search_document_sample ON search_document (((id / 64) % 20))")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_document_sample")
