"""Messages between members: conversations, who is in them (and what they read), messages,
blocks, and who may write to a member

Revision ID: 0012b
Revises: 0012
Create Date: 2026-12-05 16:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012b"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation")),
    )
    op.create_table(
        "conversation_participant",
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("last_read_at", sa.DateTime(), nullable=True),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_conversation_participant_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_conversation_participant_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "conversation_id", "member_id", name=op.f("pk_conversation_participant")
        ),
    )
    with op.batch_alter_table("conversation_participant") as batch:
        batch.create_index(
            "ix_conversation_participant_member", ["member_id", "conversation_id"], unique=False
        )
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["member.id"],
            name=op.f("fk_message_author_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_message_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    with op.batch_alter_table("message") as batch:
        batch.create_index(
            "ix_message_conversation_created", ["conversation_id", "created_at"], unique=False
        )
        batch.create_index("ix_message_author_created", ["author_id", "created_at"], unique=False)
    op.create_table(
        "message_block",
        sa.Column("blocker_id", sa.Integer(), nullable=False),
        sa.Column("blocked_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blocked_id"],
            ["member.id"],
            name=op.f("fk_message_block_blocked_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"],
            ["member.id"],
            name=op.f("fk_message_block_blocker_id_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("blocker_id", "blocked_id", name=op.f("pk_message_block")),
    )
    with op.batch_alter_table("message_block") as batch:
        batch.create_index("ix_message_block_blocked", ["blocked_id", "blocker_id"], unique=False)
    op.create_table(
        "message_setting",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("allow", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_message_setting_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_message_setting")),
    )


def downgrade():
    op.drop_table("message_setting")
    op.drop_table("message_block")
    op.drop_table("message")
    op.drop_table("conversation_participant")
    op.drop_table("conversation")
