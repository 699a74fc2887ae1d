"""Trust: reports, suspensions and the audit log; two-step login and recovery codes; session
devices; moderation marks on items, replies and profiles

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 02:21:16.763691

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "member_suspension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["member.id"],
            name=op.f("fk_member_suspension_created_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_member_suspension_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_suspension")),
    )
    with op.batch_alter_table("member_suspension", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_suspension_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "moderation_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["member.id"],
            name=op.f("fk_moderation_report_reporter_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["member.id"],
            name=op.f("fk_moderation_report_resolved_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_report")),
    )
    with op.batch_alter_table("moderation_report", schema=None) as batch_op:
        batch_op.create_index("ix_moderation_report_kind_ref", ["kind", "ref_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_moderation_report_reporter_id"), ["reporter_id"], unique=False
        )
        batch_op.create_index(
            "ix_moderation_report_state_created", ["state", "created_at"], unique=False
        )

    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_recovery_code_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_code_member_id"), ["member_id"], unique=False)

    op.create_table(
        "moderation_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["member.id"],
            name=op.f("fk_moderation_audit_actor_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["moderation_report.id"],
            name=op.f("fk_moderation_audit_report_id_moderation_report"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_audit")),
    )
    with op.batch_alter_table("moderation_audit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderation_audit_actor_id"), ["actor_id"], unique=False
        )
        batch_op.create_index("ix_moderation_audit_created", ["created_at"], unique=False)

    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("moderated_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("user_agent", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_enabled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("totp_last_step", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("profile_hidden_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("profile_moderated_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("reply", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("moderated_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("reply", schema=None) as batch_op:
        batch_op.drop_column("moderated_at")
        batch_op.drop_column("hidden_at")

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("profile_moderated_at")
        batch_op.drop_column("profile_hidden_at")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_enabled_at")
        batch_op.drop_column("totp_secret")

    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("user_agent")

    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_column("moderated_at")
        batch_op.drop_column("hidden_at")

    with op.batch_alter_table("moderation_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_audit_created")
        batch_op.drop_index(batch_op.f("ix_moderation_audit_actor_id"))

    op.drop_table("moderation_audit")
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_code_member_id"))

    op.drop_table("recovery_code")
    with op.batch_alter_table("moderation_report", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_report_state_created")
        batch_op.drop_index(batch_op.f("ix_moderation_report_reporter_id"))
        batch_op.drop_index("ix_moderation_report_kind_ref")

    op.drop_table("moderation_report")
    with op.batch_alter_table("member_suspension", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_suspension_member_id"))

    op.drop_table("member_suspension")
