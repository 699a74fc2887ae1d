"""Group documents: the newest version's name, type and size on the document (the list of
documents in one statement)

Revision ID: 0013b
Revises: 0013
Create Date: 2026-12-05 16:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013b"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("group_document") as batch:
        batch.add_column(sa.Column("filename", sa.String(length=255), nullable=False, server_default=""))
        batch.add_column(sa.Column("mime", sa.String(length=120), nullable=False, server_default=""))
        batch.add_column(sa.Column("size", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("group_document") as batch:
        batch.alter_column("filename", server_default=None)
        batch.alter_column("mime", server_default=None)
        batch.alter_column("size", server_default=None)


def downgrade():
    with op.batch_alter_table("group_document") as batch:
        batch.drop_column("size")
        batch.drop_column("mime")
        batch.drop_column("filename")
