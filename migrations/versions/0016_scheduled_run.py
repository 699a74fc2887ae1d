"""Worker: when each scheduled job (reminders, digests, mail purge) last ran

Revision ID: 0016
Revises: 0012b
Create Date: 2026-12-05 19:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0012b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduled_run",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_period", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduled_run")),
    )


def downgrade():
    op.drop_table("scheduled_run")
