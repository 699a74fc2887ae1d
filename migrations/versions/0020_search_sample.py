"""Search on PostgreSQL: partial indexes (which the models do not declare: Alembic cannot compare
their conditions, so the migrations test leaves them out by name; search works without them,
only slower):
- the words of what visitors may read;
- the sample that large result sets are counted on, one document in 20 by runs of 64
  neighbouring rows (``alliance.search.postgres.SAMPLE``): its words (a common word's hits in
  the sample are found without reading its hits in all the documents) and its dates (for
  filters without words).
The documents now hold their neighbouring words as pairs: run `flask search rebuild` after this
upgrade (documents written before it are still found by their words, not yet by phrases).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 22:45:00

"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

INDEX = "ix_search_document_sample_words"
BY_DATE = "ix_search_document_sample_created"
VISITORS = "ix_search_document_visitor_words"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite searches with Whoosh; its search_document table stays empty
    # The words of what visitors may read (``knowledge.access.VISITOR_TOKENS``): a visitor's
    # few readable hits of a common word are found without reading the others.
    op.execute(
        f"CREATE INDEX {VISITORS} ON search_document USING gin (vector)"
        " WHERE access && CAST('{anon,public}' AS varchar[])"
    )
    # The sample's words.
    op.execute(
        f"CREATE INDEX {INDEX} ON search_document USING gin (vector) WHERE (id / 64) % 20 = 0"
    )
    # The sample by date, for a search by filters only (no words to look up).
    op.execute(f"CREATE INDEX {BY_DATE} ON search_document (created) WHERE (id / 64) % 20 = 0")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {BY_DATE}")
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
        op.execute(f"DROP INDEX IF EXISTS {VISITORS}")
