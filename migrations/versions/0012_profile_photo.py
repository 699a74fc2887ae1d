"""Profile photo: the random part of the keys of a member's photo in the file store

Revision ID: 0012
Revises: 0013b
Create Date: 2026-12-05 16:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0013b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("photo_key", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("member") as batch:
        batch.drop_column("photo_key")
