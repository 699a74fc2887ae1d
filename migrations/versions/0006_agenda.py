"""Agenda: events (with a participant counter for the last place), sign-ups and the waiting
list, the items and groups a report links to, event themes, private calendar links

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 02:20:54.353631

"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_link",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_calendar_link_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_calendar_link")),
        sa.UniqueConstraint("token", name=op.f("uq_calendar_link_token")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("online_url", sa.String(length=1000), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("participant_count", sa.Integer(), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("review_message", sa.Text(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("report_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_event_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["member.id"],
            name=op.f("fk_event_organiser_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["member.id"],
            name=op.f("fk_event_reviewed_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_group_starts", ["group_id", "starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_organiser_id"), ["organiser_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_report_at"), ["report_at"], unique=False)
        batch_op.create_index("ix_event_state_starts", ["state", "starts_at"], unique=False)

    op.create_table(
        "event_group",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_group_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_group.id"],
            name=op.f("fk_event_group_group_id_working_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "group_id", name=op.f("pk_event_group")),
    )
    with op.batch_alter_table("event_group", schema=None) as batch_op:
        batch_op.create_index("ix_event_group_group_id", ["group_id", "event_id"], unique=False)

    op.create_table(
        "event_item",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_item_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_event_item_item_id_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "item_id", name=op.f("pk_event_item")),
    )
    with op.batch_alter_table("event_item", schema=None) as batch_op:
        batch_op.create_index("ix_event_item_item_id", ["item_id", "event_id"], unique=False)

    op.create_table(
        "event_signup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_signup_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_event_signup_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_signup")),
        sa.UniqueConstraint("event_id", "member_id", name=op.f("uq_event_signup_event_id")),
    )
    with op.batch_alter_table("event_signup", schema=None) as batch_op:
        batch_op.create_index(
            "ix_event_signup_event_state", ["event_id", "state", "queued_at"], unique=False
        )
        batch_op.create_index("ix_event_signup_member_state", ["member_id", "state"], unique=False)

    op.create_table(
        "event_theme",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_theme_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_event_theme_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "theme_id", name=op.f("pk_event_theme")),
    )
    with op.batch_alter_table("event_theme", schema=None) as batch_op:
        batch_op.create_index("ix_event_theme_theme_id", ["theme_id", "event_id"], unique=False)



def downgrade():
    with op.batch_alter_table("event_theme", schema=None) as batch_op:
        batch_op.drop_index("ix_event_theme_theme_id")

    op.drop_table("event_theme")
    with op.batch_alter_table("event_signup", schema=None) as batch_op:
        batch_op.drop_index("ix_event_signup_member_state")
        batch_op.drop_index("ix_event_signup_event_state")

    op.drop_table("event_signup")
    with op.batch_alter_table("event_item", schema=None) as batch_op:
        batch_op.drop_index("ix_event_item_item_id")

    op.drop_table("event_item")
    with op.batch_alter_table("event_group", schema=None) as batch_op:
        batch_op.drop_index("ix_event_group_group_id")

    op.drop_table("event_group")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_state_starts")
        batch_op.drop_index(batch_op.f("ix_event_report_at"))
        batch_op.drop_index(batch_op.f("ix_event_organiser_id"))
        batch_op.drop_index("ix_event_group_starts")

    op.drop_table("event")
    op.drop_table("calendar_link")
