"""The language of member text: items, replies, events, working groups, group notes and the
profile text keep the language they were written in (``lang``), so that a page in the other
interface language marks them ``lang="…"`` (WCAG 3.1.2). What is there already was written in
the platform's default language, Dutch.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("item", "reply", "event", "working_group", "group_note", "member")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("lang", sa.String(length=5), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET lang = 'nl'"))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("lang")
