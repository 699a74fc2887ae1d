"""The first hour (when a member first saw the welcome, and put it away); the closed loops

``welcome_seen_at`` is set the first time the welcome page is shown (after confirming the
e-mail address, or at the first login); ``welcome_dismissed_at`` when the member says they do
not need it any more. The state of the three steps is not stored: it is read from the profile,
the themes and the member's posts and replies.

Two partial indexes serve the closed loops (the home page's "Recent besloten en geleerd", ``/lessen``):
the latest decisions and lessons are read newest first without sorting every decided item.
A third counts what is new in a member's working groups since their last visit.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 16:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("welcome_seen_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("welcome_dismissed_at", sa.DateTime(), nullable=True))
    # Members who were there before have had their first hour: no welcome at their next login.
    op.execute("UPDATE member SET welcome_seen_at = created_at")
    # Partial: only the decided (evaluated) items, and only used by a query that says so, so
    # that the Kennisbank's status filters keep walking the activity index.
    # "What is new in my group since my last visit" on the home page: one index range.
    op.create_index("ix_item_group_activity", "item", ["group_id", "last_activity_at"])
    op.create_index(
        "ix_item_status_decided",
        "item",
        ["status", "decided_at"],
        sqlite_where=sa.text("decided_at IS NOT NULL"),
        postgresql_where=sa.text("decided_at IS NOT NULL"),
    )
    op.create_index(
        "ix_item_status_evaluated",
        "item",
        ["status", "evaluated_at"],
        sqlite_where=sa.text("evaluated_at IS NOT NULL"),
        postgresql_where=sa.text("evaluated_at IS NOT NULL"),
    )


def downgrade():
    op.drop_index("ix_item_status_evaluated", table_name="item")
    op.drop_index("ix_item_status_decided", table_name="item")
    op.drop_index("ix_item_group_activity", table_name="item")
    with op.batch_alter_table("member") as batch:
        batch.drop_column("welcome_dismissed_at")
        batch.drop_column("welcome_seen_at")
