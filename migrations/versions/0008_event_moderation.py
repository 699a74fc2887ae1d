"""Moderation of events: an event can be hidden by a coordinator after a report

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 04:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("hidden_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("event") as batch:
        batch.drop_column("hidden_at")
