"""Lists newest first: indexes on (kind, last_activity_at) and (author_id, last_activity_at)

The wide index for the network-health figures (0015, starting with ``kind``) made SQLite's
planner, which has no statistics, read every dilemma and sort them for "open dilemmas", "research
missing" and the member home's "your knowledge is asked" (53–71 ms at 100,000 items, 0.1–1.3 ms
with this index, which also gives the order). A member's own items newest first (the home's
"your dilemmas wait", the profile) get theirs, or the planner would take the new one instead.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 20:50:00

"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_item_kind_activity", "item", ["kind", "last_activity_at"])
    op.create_index("ix_item_author_activity", "item", ["author_id", "last_activity_at"])


def downgrade():
    op.drop_index("ix_item_author_activity", table_name="item")
    op.drop_index("ix_item_kind_activity", table_name="item")
