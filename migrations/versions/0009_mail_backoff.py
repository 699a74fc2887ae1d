"""Mail outbox: a growing pause between tries and an age limit instead of ten tries

A message that failed waits until ``next_attempt_at``; one not sent within
MAIL_GIVE_UP_AFTER_DAYS gets ``given_up_at``. Messages that the old rule dropped after ten
tries are tried again (they have no ``given_up_at``) until they reach the age limit.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("given_up_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.drop_column("given_up_at")
        batch.drop_column("next_attempt_at")
