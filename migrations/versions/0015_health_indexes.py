"""Network health: covering indexes for the figures (replies, marks and items by time)

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-05 17:00:00

"""

from alembic import op

revision = "0015"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_reply_created_figures",
        "reply",
        ["created_at", "item_id", "author_id", "perspective", "hidden_at"],
    )
    op.create_index(
        "ix_item_mark_created_figures", "item_mark", ["created_at", "member_id", "item_id"]
    )
    op.create_index(
        "ix_item_kind_created_figures",
        "item",
        [
            "kind",
            "created_at",
            "visibility",
            "hidden_at",
            "author_id",
            "status",
            "decided_at",
            "evaluated_at",
            "answered_perspectives",
        ],
    )
    op.create_index(
        "ix_item_counted_figures", "item", ["id", "visibility", "hidden_at", "author_id"]
    )


def downgrade():
    op.drop_index("ix_item_counted_figures", table_name="item")
    op.drop_index("ix_item_kind_created_figures", table_name="item")
    op.drop_index("ix_item_mark_created_figures", table_name="item_mark")
    op.drop_index("ix_reply_created_figures", table_name="reply")
