"""Working groups: groups, memberships, tasks, notes, themes; item co-authors; item.group_id FK

item.group_id pointed nowhere until now (there were no groups). Rows that carry a group id
from before (demo data) are cut loose first, so that the foreign key can be added: those items
stay private ("group" visibility with no group is seen by nobody) rather than being opened up.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 23:15:29.133723

"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_coauthor',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_coauthor_item_id_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_item_coauthor_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'member_id', name=op.f('pk_item_coauthor'))
    )
    with op.batch_alter_table('item_coauthor', schema=None) as batch_op:
        batch_op.create_index('ix_item_coauthor_member_id', ['member_id', 'item_id'], unique=False)

    op.create_table('working_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('opgave', sa.Text(), nullable=False),
    sa.Column('deliverable', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('join_policy', sa.String(length=10), nullable=False),
    sa.Column('size_cap', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('dilemma_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('result_item_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['member.id'], name=op.f('fk_working_group_created_by_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dilemma_id'], ['item.id'], name=op.f('fk_working_group_dilemma_id_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['result_item_id'], ['item.id'], name=op.f('fk_working_group_result_item_id_item'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group'))
    )
    with op.batch_alter_table('working_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_group_dilemma_id'), ['dilemma_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_working_group_result_item_id'), ['result_item_id'], unique=False)
        batch_op.create_index('ix_working_group_state_ends', ['state', 'ends_on'], unique=False)

    op.create_table('group_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('contribution', sa.Text(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=True),
    sa.Column('last_visit_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], name=op.f('fk_group_membership_group_id_working_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['member.id'], name=op.f('fk_group_membership_invited_by_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_group_membership_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_membership')),
    sa.UniqueConstraint('group_id', 'member_id', name=op.f('uq_group_membership_group_id'))
    )
    with op.batch_alter_table('group_membership', schema=None) as batch_op:
        batch_op.create_index('ix_group_membership_member_state', ['member_id', 'state'], unique=False)

    op.create_table('group_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_group_note_author_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], name=op.f('fk_group_note_group_id_working_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_note'))
    )
    with op.batch_alter_table('group_note', schema=None) as batch_op:
        batch_op.create_index('ix_group_note_group_created', ['group_id', 'created_at'], unique=False)

    op.create_table('group_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['member.id'], name=op.f('fk_group_task_created_by_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], name=op.f('fk_group_task_group_id_working_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['member.id'], name=op.f('fk_group_task_owner_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_task'))
    )
    with op.batch_alter_table('group_task', schema=None) as batch_op:
        batch_op.create_index('ix_group_task_group_state', ['group_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_task_owner_id'), ['owner_id'], unique=False)

    op.create_table('working_group_theme',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], name=op.f('fk_working_group_theme_group_id_working_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_working_group_theme_theme_id_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'theme_id', name=op.f('pk_working_group_theme'))
    )
    with op.batch_alter_table('working_group_theme', schema=None) as batch_op:
        batch_op.create_index('ix_working_group_theme_theme_id', ['theme_id', 'group_id'], unique=False)

    op.execute("UPDATE item SET group_id = NULL WHERE group_id IS NOT NULL")
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_item_group_id_working_group'), 'working_group', ['group_id'], ['id'], ondelete='SET NULL', use_alter=True)



def downgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_item_group_id_working_group'), type_='foreignkey')

    with op.batch_alter_table('working_group_theme', schema=None) as batch_op:
        batch_op.drop_index('ix_working_group_theme_theme_id')

    op.drop_table('working_group_theme')
    with op.batch_alter_table('group_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_task_owner_id'))
        batch_op.drop_index('ix_group_task_group_state')

    op.drop_table('group_task')
    with op.batch_alter_table('group_note', schema=None) as batch_op:
        batch_op.drop_index('ix_group_note_group_created')

    op.drop_table('group_note')
    with op.batch_alter_table('group_membership', schema=None) as batch_op:
        batch_op.drop_index('ix_group_membership_member_state')

    op.drop_table('group_membership')
    with op.batch_alter_table('working_group', schema=None) as batch_op:
        batch_op.drop_index('ix_working_group_state_ends')
        batch_op.drop_index(batch_op.f('ix_working_group_result_item_id'))
        batch_op.drop_index(batch_op.f('ix_working_group_dilemma_id'))

    op.drop_table('working_group')
    with op.batch_alter_table('item_coauthor', schema=None) as batch_op:
        batch_op.drop_index('ix_item_coauthor_member_id')

    op.drop_table('item_coauthor')
