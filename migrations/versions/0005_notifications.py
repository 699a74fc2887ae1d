"""Notifications: notification, notification_setting, help_request; outgoing_mail.headers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 02:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('reply_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=True),
    sa.Column('delivery', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['member.id'], name=op.f('fk_notification_actor_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], name=op.f('fk_notification_group_id_working_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_notification_item_id_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['member.id'], name=op.f('fk_notification_recipient_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reply_id'], ['reply.id'], name=op.f('fk_notification_reply_id_reply'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_reply_id'), ['reply_id'], unique=False)
        batch_op.create_index('ix_notification_recipient_read', ['recipient_id', 'read_at'], unique=False)
        batch_op.create_index('ix_notification_recipient_created', ['recipient_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notification_delivery_emailed', ['delivery', 'emailed_at'], unique=False)
        batch_op.create_index('ix_notification_recipient_key', ['recipient_id', 'key'], unique=False)

    op.create_table('notification_setting',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('deliveries', sa.JSON(), nullable=False),
    sa.Column('matching_opt_out', sa.Boolean(), nullable=False),
    sa.Column('monthly_cap', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_notification_setting_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_notification_setting'))
    )
    op.create_table('help_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['asked_by_id'], ['member.id'], name=op.f('fk_help_request_asked_by_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_help_request_item_id_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_help_request_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_request')),
    sa.UniqueConstraint('item_id', 'member_id', name=op.f('uq_help_request_item_id'))
    )
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_request_asked_by_id'), ['asked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_request_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_help_request_member_created', ['member_id', 'created_at'], unique=False)

    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_column('headers')

    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_index('ix_help_request_member_created')
        batch_op.drop_index(batch_op.f('ix_help_request_item_id'))
        batch_op.drop_index(batch_op.f('ix_help_request_asked_by_id'))

    op.drop_table('help_request')
    op.drop_table('notification_setting')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_recipient_key')
        batch_op.drop_index('ix_notification_delivery_emailed')
        batch_op.drop_index('ix_notification_recipient_created')
        batch_op.drop_index('ix_notification_recipient_read')
        batch_op.drop_index(batch_op.f('ix_notification_reply_id'))
        batch_op.drop_index(batch_op.f('ix_notification_item_id'))
        batch_op.drop_index(batch_op.f('ix_notification_group_id'))
        batch_op.drop_index(batch_op.f('ix_notification_actor_id'))

    op.drop_table('notification')
