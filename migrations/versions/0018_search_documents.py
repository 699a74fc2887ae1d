"""Search on PostgreSQL: a table of search documents with a weighted tsvector, and the text
search configuration ``alliance_dutch`` (Dutch stems, accents removed by ``unaccent``)

On SQLite the same table is made with plain types (it stays empty there: SQLite searches with
Whoosh), and no text search configuration.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-05 19:40:00

"""

import logging

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _text_search_configuration() -> None:
    """``alliance_dutch``: the ``dutch`` configuration with ``unaccent`` before the stemmer.
    Without the ``unaccent`` extension (not installed, or not allowed to create it) the plain
    Dutch one: the app folds accents itself before indexing, only highlights then miss
    accented words."""
    bind = op.get_bind()
    schema = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
    ).scalar()
    if schema is None:
        try:
            with bind.begin_nested():
                # In public, not in the first schema of the search path: one database may hold
                # several schemas (the tests make one each) that all use it.
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"))
            schema = "public"
        except sa.exc.DBAPIError as error:
            log.warning("unaccent is not available (%s): search uses plain 'dutch'", error)
    op.execute("CREATE TEXT SEARCH CONFIGURATION alliance_dutch (COPY = pg_catalog.dutch)")
    if schema is not None:
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION alliance_dutch ALTER MAPPING FOR "
            f'hword, hword_part, word WITH "{schema}".unaccent, dutch_stem'
        )


def _trigrams() -> bool:
    """``pg_trgm`` in the public schema, for spelling suggestions and compound parts; False
    when it cannot be had (search then makes no suggestions)."""
    bind = op.get_bind()
    schema = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()
    if schema is None:
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
            schema = "public"
        except sa.exc.DBAPIError as error:
            log.warning("pg_trgm is not available (%s): no spelling suggestions", error)
    return schema == "public"


def upgrade():
    postgresql_database = op.get_bind().dialect.name == "postgresql"
    trigrams = False
    if postgresql_database:
        _text_search_configuration()
        trigrams = _trigrams()
    op.create_table(
        "search_word",
        sa.Column("word", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_word")),
    )
    if trigrams or not postgresql_database:
        op.create_index(
            "ix_search_word_trigram",
            "search_word",
            ["word"],
            postgresql_using="gin",
            postgresql_ops={"word": "public.gin_trgm_ops"},
        )
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref", sa.Integer(), nullable=False),
        sa.Column(
            "access",
            postgresql.ARRAY(sa.String(length=40)).with_variant(sa.JSON(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "themes",
            postgresql.ARRAY(sa.Integer()).with_variant(sa.JSON(), "sqlite"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("perspective", sa.String(length=20), nullable=False),
        sa.Column("year", sa.String(length=4), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column(
            "vector",
            postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "head",
            postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
    )
    if postgresql_database:
        # A narrow row: the words, the excerpt and the title go out of line (TOAST) at once,
        # so that counting and grouping thousands of hits reads little; ``head`` (the title
        # and tags as words, small) stays in the row for the first ranking pass.
        # The small columns every hit is filtered and counted by never go out of line (with
        # the low target the toaster would move them too, and each hit would cost lookups).
        op.execute("ALTER TABLE search_document SET (toast_tuple_target = 128)")
        op.execute(
            "ALTER TABLE search_document ALTER COLUMN head SET STORAGE MAIN, "
            + ", ".join(
                f"ALTER COLUMN {name} SET STORAGE PLAIN"
                for name in ("owner", "kind", "access", "themes", "status", "perspective", "year")
            )
        )
    op.create_index("ix_search_document_owner", "search_document", ["owner"])
    op.create_index("ix_search_document_created", "search_document", ["created"])
    op.create_index(
        "ix_search_document_vector", "search_document", ["vector"], postgresql_using="gin"
    )
    op.create_index(
        "ix_search_document_head", "search_document", ["head"], postgresql_using="gin"
    )


def downgrade():
    op.drop_table("search_document")
    op.drop_table("search_word")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS alliance_dutch")
